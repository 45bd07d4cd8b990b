//! The default output: miette's graphical report for each finding.
//!
//! `graphical.rs` draws it, byte for byte as miette's
//! `GraphicalReportHandler` does, for nearly every finding; `with_miette.rs`
//! hands miette the ones of other shapes. `snippet.rs` holds what both must
//! agree on: how miette reads a snippet's lines and measures columns.

mod graphical;
mod snippet;
mod with_miette;

use super::excerpt::Excerpt;
use super::FileReport;
use crate::diagnostic::Diagnostic;
use crate::fix::Applicability;

/// Whether to colour the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Always,
    Never,
}

/// How the full report is drawn: its colours, and the width (in columns)
/// its source lines are cut to fit, when known (a terminal's, or `COLUMNS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub color: Color,
    pub width: Option<usize>,
}

impl From<Color> for Look {
    /// Those colours, lines cut at a fixed length.
    fn from(color: Color) -> Self {
        Look { color, width: None }
    }
}

/// `--color`: when to colour the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum ColorChoice {
    /// On a terminal, unless the environment says otherwise.
    #[default]
    Auto,
    Always,
    Never,
}

impl Color {
    /// What `choice` comes to for a stream that is (or is not) a terminal,
    /// with the process's environment.
    pub fn detect(choice: ColorChoice, is_terminal: bool) -> Self {
        Self::choose(choice, is_terminal, |name| std::env::var_os(name))
    }

    /// `--color always` and `never` decide alone. `auto` follows the
    /// conventions (no-color.org, bixense.com/clicolors, and Node's
    /// `FORCE_COLOR`): a non-empty `NO_COLOR` turns colour off, whatever
    /// else is set; else `FORCE_COLOR` or `CLICOLOR_FORCE`, set and not `0`
    /// (`FORCE_COLOR` also not `false`), turns it on even into a pipe; else
    /// colour goes to a terminal, unless `TERM=dumb`.
    pub fn choose(
        choice: ColorChoice,
        is_terminal: bool,
        env: impl Fn(&str) -> Option<std::ffi::OsString>,
    ) -> Self {
        let set = |name: &str| env(name).filter(|value| !value.is_empty());
        let forced = |name: &str| set(name).is_some_and(|value| value != "0" && value != "false");
        let on = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if set("NO_COLOR").is_some() => false,
            ColorChoice::Auto if forced("FORCE_COLOR") || forced("CLICOLOR_FORCE") => true,
            ColorChoice::Auto => is_terminal && env("TERM").is_none_or(|term| term != "dumb"),
        };
        if on {
            Color::Always
        } else {
            Color::Never
        }
    }
}

/// Renders every report, a blank line between findings. Files are rendered
/// in parallel (with thousands of findings, rendering is a large part of
/// the work) and joined in order.
pub fn write(
    reports: &[FileReport],
    look: Look,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let separator = super::OutputFormat::Full.file_separator();
    super::write_in_parallel(reports, separator, out, |report, out| {
        let mut one = String::new();
        render_file(report, look, &mut one);
        out.extend_from_slice(one.as_bytes());
        Ok(())
    })
}

/// Renders every finding of a file, one report after another.
///
/// Each finding is drawn as miette's `GraphicalReportHandler` draws it: by
/// this module's own drawing, which writes the same bytes several times
/// faster, for the shapes of finding it knows (nearly all), and by miette
/// for the others.
pub fn render_file(report: &FileReport, look: Look, out: &mut String) {
    if report.diagnostics.is_empty() {
        return;
    }
    // About what the findings take (706 bytes each over the archive):
    // reserved at once, a large report is not copied at each doubling.
    out.reserve(report.diagnostics.len() * 768);
    let theme = graphical::Theme::of(look.color);
    let mut handler = None;
    for (i, diagnostic) in report.diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let excerpt = excerpt_of(report, diagnostic, look.width);
        if !graphical::render(theme, diagnostic, &excerpt, out) {
            let handler = handler.get_or_insert_with(|| with_miette::handler(look.color));
            with_miette::render(handler, report.source.name(), diagnostic, &excerpt, out);
        }
    }
}

/// The source a finding is drawn over: its lines, long ones cut (to fit
/// `width` columns when it is known).
fn excerpt_of<'a>(
    report: &'a FileReport,
    diagnostic: &Diagnostic,
    width: Option<usize>,
) -> Excerpt<'a> {
    let labelled: Vec<usize> = std::iter::once(&diagnostic.span)
        .chain(diagnostic.related.iter().map(|l| &l.span))
        .flat_map(|span| [span.start, span.end])
        .collect();
    Excerpt::fitted(&report.source, &labelled, width)
}

/// A label of a finding, its span in the excerpt's offsets.
#[derive(Debug, Clone, Copy)]
struct ExcerptLabel<'a> {
    text: Option<&'a str>,
    offset: usize,
    len: usize,
    primary: bool,
}

/// The primary label (no text when the finding's label is empty), then the
/// related ones, in the excerpt's offsets.
fn excerpt_labels<'a>(
    d: &'a Diagnostic,
    excerpt: &'a Excerpt<'a>,
) -> impl Iterator<Item = ExcerptLabel<'a>> + 'a {
    let label = move |text, span: &std::ops::Range<usize>, primary| {
        let offset = excerpt.to_excerpt(span.start);
        ExcerptLabel {
            text,
            offset,
            len: excerpt.to_excerpt(span.end).saturating_sub(offset),
            primary,
        }
    };
    let primary = label(
        (!d.label.is_empty()).then_some(d.label.as_str()),
        &d.span,
        true,
    );
    let related = d
        .related
        .iter()
        .map(move |related| label(Some(related.text.as_str()), &related.span, false));
    std::iter::once(primary).chain(related)
}

/// The `help:` block: the rule's help, then what the fix does. (Put
/// together in one allocation: it is drawn for nearly every finding.)
fn help_text(d: &Diagnostic) -> Option<String> {
    let fix = d.fix.as_ref().map(|fix| match fix.applicability {
        Applicability::Safe => (
            "fix: ",
            fix.title.as_str(),
            " (safe: `chatlint check --fix`)",
        ),
        Applicability::Unsafe => ("fix: ", fix.title.as_str(), " (unsafe: review it)"),
        Applicability::DisplayOnly => ("suggestion: ", fix.title.as_str(), ""),
    });
    if d.help.is_none() && fix.is_none() {
        return None;
    }
    let help = d.help.as_deref().unwrap_or_default();
    let fix_len = fix.map_or(0, |(a, b, c)| 1 + a.len() + b.len() + c.len());
    let mut text = String::with_capacity(help.len() + fix_len);
    text.push_str(help);
    if let Some((before, title, after)) = fix {
        if d.help.is_some() {
            text.push('\n');
        }
        text.push_str(before);
        text.push_str(title);
        text.push_str(after);
    }
    Some(text)
}

/// The two drawings of one finding, for the tests that compare them.
#[doc(hidden)]
pub mod differential {
    use super::*;

    /// Draws finding `index` of `report` with miette alone.
    pub fn render_with_miette(report: &FileReport, index: usize, color: Color, out: &mut String) {
        let diagnostic = &report.diagnostics[index];
        let excerpt = excerpt_of(report, diagnostic, None);
        let handler = with_miette::handler(color);
        with_miette::render(&handler, report.source.name(), diagnostic, &excerpt, out);
    }

    /// Draws finding `index` of `report` with the faster drawing alone:
    /// `false`, and `out` untouched, when it leaves the finding to miette.
    pub fn render_fast(report: &FileReport, index: usize, color: Color, out: &mut String) -> bool {
        let diagnostic = &report.diagnostics[index];
        let excerpt = excerpt_of(report, diagnostic, None);
        graphical::render(graphical::Theme::of(color), diagnostic, &excerpt, out)
    }
}

/// `word`, with an `s` unless `n` is 1.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::{Color, ColorChoice};
    use std::ffi::OsString;

    /// The colour chosen with exactly these variables set.
    fn choose(choice: ColorChoice, terminal: bool, vars: &[(&str, &str)]) -> Color {
        Color::choose(choice, terminal, |name| {
            vars.iter()
                .find(|(var, _)| *var == name)
                .map(|(_, value)| OsString::from(value))
        })
    }

    #[test]
    fn color_follows_the_flag_then_the_environment_then_the_terminal() {
        use Color::{Always, Never};
        use ColorChoice::Auto;
        assert_eq!(choose(Auto, true, &[]), Always);
        assert_eq!(choose(Auto, false, &[]), Never);
        assert_eq!(choose(Auto, true, &[("TERM", "dumb")]), Never);
        assert_eq!(choose(Auto, true, &[("NO_COLOR", "1")]), Never);
        // An empty NO_COLOR is not set (no-color.org).
        assert_eq!(choose(Auto, true, &[("NO_COLOR", "")]), Always);
        for force in ["FORCE_COLOR", "CLICOLOR_FORCE"] {
            assert_eq!(choose(Auto, false, &[(force, "1")]), Always, "{force}");
            assert_eq!(choose(Auto, false, &[(force, "0")]), Never, "{force}");
            assert_eq!(choose(Auto, false, &[(force, "")]), Never, "{force}");
            // NO_COLOR wins over forcing, as anstream and no-color.org have it.
            assert_eq!(
                choose(Auto, false, &[(force, "1"), ("NO_COLOR", "1")]),
                Never
            );
        }
        assert_eq!(choose(Auto, false, &[("FORCE_COLOR", "false")]), Never);
        // The flag decides alone.
        let everything = [("NO_COLOR", "1"), ("TERM", "dumb")];
        assert_eq!(choose(ColorChoice::Always, false, &everything), Always);
        assert_eq!(
            choose(ColorChoice::Never, true, &[("FORCE_COLOR", "1")]),
            Never
        );
    }
}
