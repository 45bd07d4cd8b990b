//! A finding as miette's `Diagnostic`, drawn by its `GraphicalReportHandler`:
//! the reference drawing, and the one used for the findings the faster
//! [`super::graphical`] leaves to it.

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use std::fmt;

use super::super::excerpt::Excerpt;
use super::{excerpt_labels, help_text, Color};
use crate::diagnostic::{Diagnostic, Severity};

/// The theme of a colour choice.
pub(super) fn theme(color: Color) -> GraphicalTheme {
    match color {
        Color::Always => GraphicalTheme::unicode(),
        Color::Never => GraphicalTheme::unicode_nocolor(),
    }
}

/// The handler every finding is drawn with (and whose drawing
/// [`super::graphical`] reproduces).
pub(super) fn handler(color: Color) -> GraphicalReportHandler {
    GraphicalReportHandler::new_themed(theme(color))
        .with_width(100)
        .with_links(false)
        // Wrapping long messages costs a third of the rendering time; a
        // terminal wraps them anyway.
        .with_wrap_lines(false)
}

/// Draws one finding with miette; a label miette cannot read (a bug) gives
/// the file's name and the message instead.
pub(super) fn render(
    handler: &GraphicalReportHandler,
    name: &str,
    diagnostic: &Diagnostic,
    excerpt: &Excerpt,
    out: &mut String,
) {
    let rendered = Rendered {
        diagnostic,
        source: excerpt,
    };
    // Rendering into a String cannot fail but for a bug in a label.
    if handler.render_report(out, &rendered).is_err() {
        out.push_str(&format!("{name}: {}\n", diagnostic.message));
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
        help_text(self.diagnostic).map(|text| Box::new(text) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(excerpt_labels(self.diagnostic, self.source).map(
            |label| {
                let span = (label.offset, label.len);
                let text = label.text.map(String::from);
                if label.primary {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                }
            },
        )))
    }
}
