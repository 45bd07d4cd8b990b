//! Turning findings into text for people and programs.
//!
//! Each format has its own file; all of them read a [`FileReport`], where the
//! byte spans of the findings are turned into lines and columns once, through
//! the source's line index.

pub mod concise;
pub mod diff;
mod excerpt;
pub mod full;
pub mod github;
pub mod json;
pub mod json_lines;
pub mod junit;
pub mod sarif;
pub mod statistics;

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

/// Writes each report with `write_one`, the files rendered in parallel and
/// joined in their order with `separator` between them: with thousands of
/// findings, formatting is a large part of a run. Empty reports are skipped.
fn write_in_parallel(
    reports: &[FileReport],
    separator: &[u8],
    out: &mut dyn std::io::Write,
    write_one: impl Fn(&FileReport, &mut Vec<u8>) -> std::io::Result<()> + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let rendered: Vec<Vec<u8>> = reports
        .par_iter()
        .filter(|report| !report.diagnostics.is_empty())
        .map(|report| {
            let mut one = Vec::new();
            write_one(report, &mut one).map(|()| one)
        })
        .collect::<std::io::Result<_>>()?;
    for (i, file) in rendered.iter().enumerate() {
        if i > 0 {
            out.write_all(separator)?;
        }
        out.write_all(file)?;
    }
    Ok(())
}

/// `--output-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum OutputFormat {
    /// miette's report: source snippet, labels, help.
    Full,
    /// `path:line:column: CODE name message`, one finding per line.
    Concise,
    /// A JSON array of findings (`schemas/diagnostics.schema.json`).
    Json,
    /// One JSON finding per line.
    JsonLines,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML.
    Junit,
}

impl OutputFormat {
    /// Every format with its name on the command line.
    pub const NAMED: [(&'static str, OutputFormat); 7] = [
        ("full", OutputFormat::Full),
        ("concise", OutputFormat::Concise),
        ("json", OutputFormat::Json),
        ("json-lines", OutputFormat::JsonLines),
        ("sarif", OutputFormat::Sarif),
        ("github", OutputFormat::Github),
        ("junit", OutputFormat::Junit),
    ];

    /// The format called `name` on the command line.
    pub fn named(name: &str) -> Option<Self> {
        Self::NAMED
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, format)| *format)
    }

    /// Whether the report of many files is the reports of each written one
    /// after another (with [`OutputFormat::file_separator`] between them),
    /// so that files can be written as they are checked. JSON, SARIF and
    /// JUnit are one document.
    pub fn renders_per_file(self) -> bool {
        matches!(
            self,
            OutputFormat::Full
                | OutputFormat::Concise
                | OutputFormat::JsonLines
                | OutputFormat::Github
        )
    }

    /// What goes between two files' reports: a blank line in `full`.
    pub fn file_separator(self) -> &'static [u8] {
        match self {
            OutputFormat::Full => b"\n",
            _ => b"",
        }
    }

    /// Appends one file's report in this format to `out` (nothing for a
    /// file without findings). The full report is drawn straight into an
    /// empty `out`, with no string of its own to copy: a caller that
    /// renders file by file (the streaming check) hands in a reused buffer.
    pub fn append_one(self, report: &FileReport, look: full::Look, out: &mut Vec<u8>) {
        if self == OutputFormat::Full && out.is_empty() {
            // An empty vector is a valid (empty) string.
            let mut text = String::from_utf8(std::mem::take(out)).unwrap_or_default();
            full::render_file(report, look, &mut text);
            *out = text.into_bytes();
            return;
        }
        // Writing into memory cannot fail.
        let _ = self.write(std::slice::from_ref(report), look, out);
    }

    /// Writes the reports in this format (`Full` is rendered by [`full`] with
    /// its look (colours, width), through [`full::write`]).
    pub fn write(
        self,
        reports: &[FileReport],
        look: full::Look,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        match self {
            OutputFormat::Full => full::write(reports, look, out),
            OutputFormat::Concise => concise::write(reports, out),
            OutputFormat::Json => json::write(reports, out),
            OutputFormat::JsonLines => json_lines::write(reports, out),
            OutputFormat::Sarif => sarif::write(reports, out),
            OutputFormat::Github => github::write(reports, out),
            OutputFormat::Junit => junit::write(reports, out),
        }
    }
}

#[cfg(all(test, feature = "cli"))]
mod names {
    use super::OutputFormat;
    use clap::ValueEnum;

    #[test]
    fn the_names_of_output_are_those_of_output_format() {
        let clap_names: Vec<String> = OutputFormat::value_variants()
            .iter()
            .map(|format| format.to_possible_value().unwrap().get_name().to_string())
            .collect();
        let ours: Vec<&str> = OutputFormat::NAMED.iter().map(|(name, _)| *name).collect();
        assert_eq!(clap_names, ours);
        for (name, format) in OutputFormat::NAMED {
            assert_eq!(OutputFormat::named(name), Some(format));
        }
        assert_eq!(OutputFormat::named("yaml"), None);
    }
}
