//! Turning findings into text for people and programs.
//!
//! Each format has its own file; all of them read a [`FileReport`], where the
//! byte spans of the findings are turned into lines and columns once, through
//! the source's line index.

mod excerpt;
pub mod full;
pub mod json;

use crate::diagnostic::Diagnostic;
use crate::line_index::LineColumn;
use crate::source::SourceFile;

/// One file's findings, with the source they point into.
#[derive(Debug)]
pub struct FileReport {
    pub source: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    /// The start and end of a span as lines and columns.
    pub fn range(&self, span: &std::ops::Range<usize>) -> (LineColumn, LineColumn) {
        (
            self.source.line_column(span.start),
            self.source.line_column(span.end),
        )
    }
}

/// `--output-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// miette's report: source snippet, labels, help.
    Full,
    /// A JSON array of findings (`schemas/diagnostics.schema.json`).
    Json,
}
