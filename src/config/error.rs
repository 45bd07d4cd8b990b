//! A configuration error, pointing into the configuration file.

use std::fmt;
use std::path::PathBuf;

use miette::{LabeledSpan, NamedSource, SourceCode};

use crate::model::Span;

/// What is wrong in a `.chatlint.yaml`, and where.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
    pub span: Option<Span>,
    pub label: String,
    pub help: Option<String>,
    source: NamedSource<String>,
    /// 1-based line of the span, for the one-line form of the error.
    line: Option<usize>,
}

impl ConfigError {
    pub fn new(path: PathBuf, text: &str, span: Option<Span>, message: impl Into<String>) -> Self {
        // Within the text and on character boundaries, whatever the caller
        // found, so that slicing the text here and in the report is safe.
        let floor = |offset: usize| {
            let mut offset = offset.min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            offset
        };
        let span = span.map(|s| floor(s.start)..floor(s.end).max(floor(s.start)));
        let line = span
            .as_ref()
            .map(|s| text[..s.start].matches('\n').count() + 1);
        Self {
            source: NamedSource::new(path.display().to_string(), text.to_string()),
            path,
            message: message.into(),
            span,
            label: String::new(),
            help: None,
            line,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("chatlint::config"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.span.as_ref().map(|_| &self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        let label = (!self.label.is_empty()).then(|| self.label.clone());
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(label, (span.start, span.len())),
        )))
    }
}
