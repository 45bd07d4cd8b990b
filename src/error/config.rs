//! A configuration error, pointing into the configuration file.

use std::fmt;
use std::path::PathBuf;

use miette::{LabeledSpan, NamedSource, SourceCode};

use crate::model::Span;

/// What is wrong in a `.chatlint.yaml`, and where: one problem, or a
/// summary of several, each of which is one of [`ConfigError::problems`].
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
    /// When the file has more than one problem: each of them (and this
    /// error only counts them).
    related: Vec<ConfigError>,
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
            related: Vec::new(),
        }
    }

    /// One error for the `total` problems of a file, of which `shown` are
    /// shown: the problem itself when it is the only one, else a summary
    /// that holds them. `None` when there are none.
    pub fn all(path: PathBuf, text: &str, mut shown: Vec<Self>, total: usize) -> Option<Self> {
        if total <= 1 {
            return shown.pop();
        }
        let mut summary = Self::new(path, text, None, format!("{total} problems"));
        if shown.len() < total {
            summary.help = Some(format!(
                "The first {} are shown; fix them and run again for the rest",
                shown.len()
            ));
        }
        summary.related = shown;
        Some(summary)
    }

    /// Each problem this error reports.
    pub fn problems(&self) -> &[Self] {
        if self.related.is_empty() {
            std::slice::from_ref(self)
        } else {
            &self.related
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
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message)?,
            None => write!(f, "{}: {}", self.path.display(), self.message)?,
        }
        // A summary names the lines of its problems (which miette shows
        // below it, each on its own).
        let lines: Vec<String> = self
            .related
            .iter()
            .filter_map(|problem| problem.line.map(|line| line.to_string()))
            .collect();
        if !lines.is_empty() {
            write!(f, " (lines {})", lines.join(", "))?;
        }
        Ok(())
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

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|e| e as &dyn miette::Diagnostic),
        ))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        let label = (!self.label.is_empty()).then(|| self.label.clone());
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(label, (span.start, span.len())),
        )))
    }
}
