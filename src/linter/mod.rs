//! Checking and fixing one transcript: parse, run the rules, apply fixes.
//!
//! The entry points that check a text are here; `parts` checks a large text
//! a part at a time; `fixing` applies fixes round by round until the text
//! settles (`suppressing` makes suppression comments such fixes);
//! `verification` checks every round independently of the rules
//! that made it.

use std::path::Path;

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::parser;
use crate::rules::{Context, Rule, WholeFile};

mod fixing;
mod parts;
mod suppressing;

/// The findings of every rule of `settings` over a parsed text (or part).
fn run_rules(
    text: &str,
    transcript: &crate::model::Transcript,
    whole_file: &crate::rules::WholeFile,
    settings: &Settings,
    surroundings: Surroundings<'_>,
) -> Vec<Diagnostic> {
    let context = Context {
        text,
        path: surroundings.path,
        transcript,
        whole_file,
        settings,
        online: surroundings.online,
    };
    let mut diagnostics = Vec::new();
    for rule in settings.rules() {
        rule.check(&context, &mut diagnostics);
    }
    diagnostics
}

#[cfg(test)]
mod tests;
mod verification;

pub(crate) use fixing::fix_owned;
pub use fixing::{
    fix_from, fix_in, fix_path, fix_text, fix_with, FixOutcome, FixSource, RejectedFix,
    MAX_FIX_ROUNDS,
};
pub use parts::{check_in_parts, PART_BYTES};

/// Runs `rules` over `text` with default severities and options; findings
/// come sorted by position, then code.
pub fn check_text(text: &str, rules: &[&'static dyn Rule]) -> Vec<Diagnostic> {
    check_with(text, &Settings::from_rules(rules.to_vec()))
}

/// Runs the rules `settings` enables, with its severities and options.
pub fn check_with(text: &str, settings: &Settings) -> Vec<Diagnostic> {
    check_path(text, None, settings)
}

/// [`check_with`] for a text that is the file at `path` (rules such as
/// `front-matter` compare it with the file name).
pub fn check_path(text: &str, path: Option<&Path>, settings: &Settings) -> Vec<Diagnostic> {
    check_in(text, settings, Surroundings { path, online: None })
}

/// What a check may know of a text besides itself and its settings.
#[derive(Debug, Default, Clone, Copy)]
pub struct Surroundings<'a> {
    /// The file the text is: rules such as `front-matter` compare it with
    /// the file name.
    pub path: Option<&'a Path>,
    /// The online pass's verdicts on image URLs ([`crate::online::check`]),
    /// which `unreachable-image` reports from.
    pub online: Option<&'a crate::online::Verdicts>,
}

/// [`check_with`] for a text in its [`Surroundings`].
///
/// A text larger than [`PART_BYTES`] is checked a part at a time (each
/// part starting at a message header), so that only one part's model is
/// held at once: the model costs several times the text it describes.
/// Each part is parsed with the part before it, and with more while a rule
/// needs more ([`Rule::sees_enough_before`]), so that every message is
/// judged with what comes before it; a part keeps
/// the findings on its own lines (or about them, through a related
/// span), and suppression comments apply across parts. The result is the
/// same as checking the text whole, which a test asserts on every file of
/// the archive with parts of one message each.
pub fn check_in(
    text: &str,
    settings: &Settings,
    surroundings: Surroundings<'_>,
) -> Vec<Diagnostic> {
    check_in_parts(text, settings, surroundings, PART_BYTES)
}

fn check_whole(text: &str, settings: &Settings, surroundings: Surroundings<'_>) -> Vec<Diagnostic> {
    let transcript = parser::parse(text);
    let whole_file = WholeFile::new(
        text,
        surroundings.path,
        transcript.front_matter.as_ref(),
        outline(&transcript),
    );
    let diagnostics = run_rules(text, &transcript, &whole_file, settings, surroundings);
    let mut suppressions = crate::suppression::Gathered::new(text);
    suppressions.add(text, transcript.body_lines());
    drop(transcript);
    finish(text, settings, surroundings, suppressions, diagnostics)
}

/// The message headers and day headings of a parsed text, in order, as
/// [`parser::outline`] gives them.
fn outline(transcript: &crate::model::Transcript) -> Vec<parser::OutlineItem> {
    let mut headings = transcript.day_headings.iter().peekable();
    let mut items = Vec::with_capacity(transcript.messages.len() + transcript.day_headings.len());
    for message in &transcript.messages {
        while let Some(heading) = headings.next_if(|h| h.span.start < message.header.span.start) {
            items.push(parser::OutlineItem::DayHeading(heading.clone()));
        }
        items.push(parser::OutlineItem::Header(message.header.clone()));
    }
    items.extend(headings.cloned().map(parser::OutlineItem::DayHeading));
    items
}

/// The configured severities, the suppression comments, and the order:
/// by position, then code.
fn finish(
    text: &str,
    settings: &Settings,
    surroundings: Surroundings<'_>,
    suppressions: crate::suppression::Gathered,
    mut diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    for diagnostic in &mut diagnostics {
        diagnostic.severity = settings.severity(diagnostic.rule);
    }
    let rules_run = crate::suppression::RulesRun {
        settings,
        online: surroundings.online.is_some(),
    };
    let mut diagnostics = suppressions.apply(text, diagnostics, rules_run);
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule.code).cmp(&(b.span.start, b.span.end, b.rule.code))
    });
    diagnostics
}
