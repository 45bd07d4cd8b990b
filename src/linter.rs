//! Checking and fixing one transcript: parse, run the rules, apply fixes.

use std::path::Path;

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::fix::{apply_fixes, Applicability, Edit};
use crate::parser;
use crate::rules::{Context, Rule};
use crate::source::LineEnding;

/// How many rounds of fixing before giving up: each round applies every
/// non-overlapping fix, so real files settle in two or three.
pub const MAX_FIX_ROUNDS: usize = 10;

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
pub fn check_in(
    text: &str,
    settings: &Settings,
    surroundings: Surroundings<'_>,
) -> Vec<Diagnostic> {
    let transcript = parser::parse(text);
    let context = Context {
        text,
        path: surroundings.path,
        transcript: &transcript,
        settings,
        online: surroundings.online,
    };
    let mut diagnostics = Vec::new();
    for rule in settings.rules() {
        rule.check(&context, &mut diagnostics);
    }
    for diagnostic in &mut diagnostics {
        diagnostic.severity = settings.severity(diagnostic.rule);
    }
    let mut diagnostics = crate::suppression::apply(text, &transcript, diagnostics, settings);
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule.code).cmp(&(b.span.start, b.span.end, b.rule.code))
    });
    diagnostics
}

/// What fixing a text did.
#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// The fixed text (equal to the input when nothing was fixed).
    pub text: String,
    /// The rule name of every fix applied, over all rounds.
    pub fixed: Vec<&'static str>,
    /// The findings left in the fixed text.
    pub remaining: Vec<Diagnostic>,
}

impl FixOutcome {
    pub fn changed(&self) -> bool {
        !self.fixed.is_empty()
    }
}

/// Applies the fixes at least as trusted as `threshold` until none applies,
/// then checks the result: same messages, same line endings and BOM, and no
/// byte changed outside the edits. `name` is for error messages.
pub fn fix_text(
    name: &str,
    text: &str,
    rules: &[&'static dyn Rule],
    threshold: Applicability,
) -> Result<FixOutcome, Error> {
    fix_with(name, text, &Settings::from_rules(rules.to_vec()), threshold)
}

/// [`fix_text`] with the rules, severities and options of `settings`.
pub fn fix_with(
    name: &str,
    text: &str,
    settings: &Settings,
    threshold: Applicability,
) -> Result<FixOutcome, Error> {
    fix_path(name, text, None, settings, threshold)
}

/// [`fix_with`] for a text that is the file at `path`.
pub fn fix_path(
    name: &str,
    text: &str,
    path: Option<&Path>,
    settings: &Settings,
    threshold: Applicability,
) -> Result<FixOutcome, Error> {
    let surroundings = Surroundings { path, online: None };
    fix_in(name, text, settings, threshold, surroundings)
}

/// [`fix_with`] for a text in its [`Surroundings`].
pub fn fix_in(
    name: &str,
    text: &str,
    settings: &Settings,
    threshold: Applicability,
    surroundings: Surroundings<'_>,
) -> Result<FixOutcome, Error> {
    let mut current = text.to_string();
    let mut fixed = Vec::new();
    let mut removed_messages = 0;
    // Whether some fix edited the BOM or a carriage return on purpose
    // (`invisible-character` does): only then may they change.
    let mut intended = IntendedChanges::default();
    for _ in 0..MAX_FIX_ROUNDS {
        let diagnostics = check_in(&current, settings, surroundings);
        let round = apply_fixes(&current, &diagnostics, threshold);
        if round.applied.is_empty() {
            // With no fix applied the text is the input: nothing to verify.
            if !fixed.is_empty() {
                verify_whole(name, text, &current, removed_messages, intended)?;
            }
            return Ok(FixOutcome {
                text: current,
                fixed,
                remaining: diagnostics,
            });
        }
        verify_round(name, &current, &round.text, &round.edits)?;
        fixed.extend(round.applied);
        removed_messages += round.removed_messages;
        for edit in &round.edits {
            let replaced = &current[edit.span.clone()];
            intended.bom |= replaced.contains('\u{feff}');
            intended.line_endings |= replaced.contains('\r') || edit.content.contains('\r');
        }
        current = round.text;
    }
    Err(Error::FixDidNotConverge {
        name: name.to_string(),
        iterations: MAX_FIX_ROUNDS,
    })
}

fn verification_error(name: &str, reason: impl Into<String>) -> Error {
    Error::FixVerification {
        name: name.to_string(),
        reason: reason.into(),
    }
}

/// What the fixes applied were allowed to change.
#[derive(Debug, Clone, Copy, Default)]
struct IntendedChanges {
    bom: bool,
    line_endings: bool,
}

/// The fixed text keeps every message (but those a fix declared it
/// removes), its line endings and its BOM.
fn verify_whole(
    name: &str,
    original: &str,
    fixed: &str,
    removed_messages: usize,
    intended: IntendedChanges,
) -> Result<(), Error> {
    let before = parser::parse(original).messages.len();
    let after = parser::parse(fixed).messages.len();
    if before.checked_sub(removed_messages) != Some(after) {
        return Err(verification_error(
            name,
            format!("{before} messages became {after}, but the fixes removed {removed_messages}"),
        ));
    }
    if !intended.bom && original.starts_with('\u{feff}') != fixed.starts_with('\u{feff}') {
        return Err(verification_error(name, "the byte order mark changed"));
    }
    let (ending_before, ending_after) = (LineEnding::detect(original), LineEnding::detect(fixed));
    // Removing a line may leave a file with no line break at all; otherwise
    // the style must be the one the file had.
    if !intended.line_endings && ending_before != ending_after && ending_after != LineEnding::None {
        return Err(verification_error(name, "line endings changed"));
    }
    Ok(())
}

/// An independent check on the engine: every byte outside the edits is in
/// the result, in order, and the edits' contents fill exactly the gaps
/// between them. (A line diff cannot say this: next to a duplicate it may
/// pair the lines the other way round.)
fn verify_round(name: &str, before: &str, after: &str, edits: &[Edit]) -> Result<(), Error> {
    let mut edits: Vec<&Edit> = edits.iter().collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut before_at = 0;
    let mut after_at = 0;
    for edit in edits {
        let kept = before
            .get(before_at..edit.span.start)
            .ok_or_else(|| verification_error(name, "the fixes overlap"))?;
        let inserted = after.get(after_at + kept.len()..after_at + kept.len() + edit.content.len());
        if !after[after_at..].starts_with(kept) || inserted != Some(edit.content.as_str()) {
            let line = before[..before_at].matches('\n').count() + 1;
            return Err(verification_error(
                name,
                format!("text near line {line} changed outside the fixes"),
            ));
        }
        after_at += kept.len() + edit.content.len();
        before_at = edit.span.end;
    }
    if after.get(after_at..) != before.get(before_at..) {
        let line = before[..before_at].matches('\n').count() + 1;
        return Err(verification_error(
            name,
            format!("text after line {line} changed outside the fixes"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::registry;

    #[test]
    fn fixing_settles_and_keeps_crlf() {
        let text = "---\r\ntitle: x\r\n---\r\n> 7:50:02  右军  \r\n   \r\n##背景  \r\n";
        let rules = [
            registry::find("CL001").unwrap(),
            registry::find("CL101").unwrap(),
        ];
        let outcome = fix_text("t", text, &rules, Applicability::Safe).unwrap();
        assert_eq!(
            outcome.text,
            "---\r\ntitle: x\r\n---\r\n> 07:50:02  右军  \r\n   \r\n## 背景  \r\n"
        );
        assert_eq!(outcome.fixed.len(), 2);
        assert!(outcome.remaining.is_empty());
        let again = fix_text("t", &outcome.text, &rules, Applicability::Safe).unwrap();
        assert!(!again.changed());
    }

    #[test]
    fn a_change_outside_the_edits_is_caught() {
        let before = "a\nb\nc\n";
        let after = "a\nB\nc\n";
        let edits = [Edit::replace(0..1, "a")];
        assert!(verify_round("t", before, after, &edits).is_err());
        let edits = [Edit::replace(2..3, "B")];
        assert!(verify_round("t", before, after, &edits).is_ok());
    }
}
