//! Checking and fixing one transcript: parse, run the rules, apply fixes.

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
    let transcript = parser::parse(text);
    let context = Context {
        text,
        transcript: &transcript,
        settings,
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
    let mut current = text.to_string();
    let mut fixed = Vec::new();
    for _ in 0..MAX_FIX_ROUNDS {
        let diagnostics = check_with(&current, settings);
        let round = apply_fixes(&current, &diagnostics, threshold);
        if round.applied.is_empty() {
            verify_whole(name, text, &current)?;
            return Ok(FixOutcome {
                text: current,
                fixed,
                remaining: diagnostics,
            });
        }
        verify_round(name, &current, &round.text, &round.edits)?;
        fixed.extend(round.applied);
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

/// The fixed text keeps every message, its line endings and its BOM.
fn verify_whole(name: &str, original: &str, fixed: &str) -> Result<(), Error> {
    let before = parser::parse(original);
    let after = parser::parse(fixed);
    if before.messages.len() != after.messages.len() {
        return Err(verification_error(
            name,
            format!(
                "{} messages became {}",
                before.messages.len(),
                after.messages.len()
            ),
        ));
    }
    let speakers_kept = before
        .messages
        .iter()
        .zip(&after.messages)
        .all(|(a, b)| a.header.speaker(original) == b.header.speaker(fixed));
    if !speakers_kept {
        return Err(verification_error(name, "a speaker changed"));
    }
    if original.starts_with('\u{feff}') != fixed.starts_with('\u{feff}') {
        return Err(verification_error(name, "the byte order mark changed"));
    }
    let (ending_before, ending_after) = (LineEnding::detect(original), LineEnding::detect(fixed));
    // Removing a line may leave a file with no line break at all; otherwise
    // the style must be the one the file had.
    if ending_before != ending_after && ending_after != LineEnding::None {
        return Err(verification_error(name, "line endings changed"));
    }
    Ok(())
}

/// An independent check on the engine: a line diff of the round, every
/// changed region of which must hold one of the edits applied.
fn verify_round(name: &str, before: &str, after: &str, edits: &[Edit]) -> Result<(), Error> {
    let growth: isize = edits
        .iter()
        .map(|e| e.content.len() as isize - e.span.len() as isize)
        .sum();
    if after.len() as isize - before.len() as isize != growth {
        return Err(verification_error(
            name,
            "the text changed by more than the edits",
        ));
    }
    let diff = similar::TextDiff::from_lines(before, after);
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(before.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let byte_at = |line: usize| line_starts.get(line).copied().unwrap_or(before.len());
    for op in diff.ops() {
        if matches!(op.tag(), similar::DiffTag::Equal) {
            continue;
        }
        let lines = op.old_range();
        let region = byte_at(lines.start)..byte_at(lines.end).max(byte_at(lines.start));
        let explained = edits
            .iter()
            .any(|e| e.span.start <= region.end && e.span.end >= region.start);
        if !explained {
            return Err(verification_error(
                name,
                format!("line {} changed but no fix edited it", lines.start + 1),
            ));
        }
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
        let outcome = fix_text("t", text, registry::all(), Applicability::Safe).unwrap();
        assert_eq!(
            outcome.text,
            "---\r\ntitle: x\r\n---\r\n> 07:50:02  右军  \r\n   \r\n## 背景  \r\n"
        );
        assert_eq!(outcome.fixed.len(), 2);
        assert!(outcome.remaining.is_empty());
        let again = fix_text("t", &outcome.text, registry::all(), Applicability::Safe).unwrap();
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
