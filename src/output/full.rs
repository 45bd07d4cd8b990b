//! The default output: miette's graphical report for each finding.

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use std::fmt;

use super::excerpt::Excerpt;
use super::FileReport;
use crate::diagnostic::Applicability;
use crate::diagnostic::{Diagnostic, Severity};

/// Whether to colour the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Always,
    Never,
}

impl Color {
    /// Colour only on a terminal, and never when `NO_COLOR` is set.
    pub fn detect(is_terminal: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if is_terminal && !no_color {
            Color::Always
        } else {
            Color::Never
        }
    }
}

/// Renders every report, a blank line between findings. Files are rendered
/// in parallel (rendering is most of the work when there are many findings)
/// and joined in order.
pub fn write(
    reports: &[FileReport],
    color: Color,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let separator = super::OutputFormat::Full.file_separator();
    super::write_in_parallel(reports, separator, out, |report, out| {
        let mut one = String::new();
        render_file(report, color, &mut one);
        out.extend_from_slice(one.as_bytes());
        Ok(())
    })
}

/// Renders every finding of a file, one report after another.
pub fn render_file(report: &FileReport, color: Color, out: &mut String) {
    if report.diagnostics.is_empty() {
        return;
    }
    let theme = match color {
        Color::Always => GraphicalTheme::unicode(),
        Color::Never => GraphicalTheme::unicode_nocolor(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        // Wrapping long messages costs a third of the rendering time; a
        // terminal wraps them anyway.
        .with_wrap_lines(false);
    for (i, diagnostic) in report.diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let labelled: Vec<usize> = std::iter::once(&diagnostic.span)
            .chain(diagnostic.related.iter().map(|l| &l.span))
            .flat_map(|span| [span.start, span.end])
            .collect();
        let excerpt = Excerpt::new(&report.source, &labelled);
        let rendered = Rendered {
            diagnostic,
            source: &excerpt,
        };
        // Rendering into a String cannot fail but for a bug in a label.
        if handler.render_report(out, &rendered).is_err() {
            out.push_str(&format!(
                "{}: {}\n",
                report.source.name(),
                diagnostic.message
            ));
        }
    }
}

/// One finding as miette sees it.
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a Excerpt<'a>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.diagnostic.fmt(f)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let rule = self.diagnostic.rule;
        Some(Box::new(format!("{} {}", rule.code, rule.name)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let d = self.diagnostic;
        let fix = d.fix.as_ref().map(|fix| match fix.applicability {
            Applicability::Safe => format!("fix: {} (safe: `chatlint check --fix`)", fix.title),
            Applicability::Unsafe => format!("fix: {} (unsafe: review it)", fix.title),
            Applicability::DisplayOnly => format!("suggestion: {}", fix.title),
        });
        let text = match (&d.help, fix) {
            (Some(help), Some(fix)) => format!("{help}\n{fix}"),
            (Some(help), None) => help.clone(),
            (None, Some(fix)) => fix,
            (None, None) => return None,
        };
        Some(Box::new(text))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let d = self.diagnostic;
        let excerpt = self.source;
        let excerpt_span = move |span: &std::ops::Range<usize>| {
            let start = excerpt.to_excerpt(span.start);
            (start, excerpt.to_excerpt(span.end).saturating_sub(start))
        };
        let primary = LabeledSpan::new_primary_with_span(
            (!d.label.is_empty()).then(|| d.label.clone()),
            excerpt_span(&d.span),
        );
        let related = d.related.iter().map(move |label| {
            LabeledSpan::new_with_span(Some(label.text.clone()), excerpt_span(&label.span))
        });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// The closing line: how many findings, how many fixable.
pub fn summary(
    findings: usize,
    fixable: usize,
    files_with_findings: usize,
    files_checked: usize,
) -> String {
    if findings == 0 {
        return format!(
            "All checks passed ({files_checked} {}).",
            plural(files_checked, "file")
        );
    }
    let mut line = format!(
        "Found {findings} {} in {files_with_findings} of {files_checked} {}.",
        plural(findings, "finding"),
        plural(files_checked, "file")
    );
    if fixable > 0 {
        line.push_str(&format!(" {fixable} fixable with `chatlint check --fix`."));
    }
    line
}

/// `word`, with an `s` unless `n` is 1.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}
