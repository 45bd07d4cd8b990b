//! Fixing a text: rounds of fixes until none applies, a round that fails
//! verification narrowed down to the fixes responsible, which are left out.

use std::borrow::Cow;
use std::path::Path;

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::fix::{apply_selected, Applicability, AppliedFixes, Fix};
use crate::rules::Rule;

use super::verification::{line_of, verify_round, verify_whole, IntendedChanges, Shape};
use super::{check_in, Surroundings};

/// How many rounds of fixing before giving up: each round applies every
/// non-overlapping fix, so real files settle in two or three.
pub const MAX_FIX_ROUNDS: usize = 10;

/// What fixing a text did.
#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// The fixed text (equal to the input when nothing was fixed).
    pub text: String,
    /// The rule name of every fix applied, over all rounds.
    pub fixed: Vec<&'static str>,
    /// The findings left in the fixed text.
    pub remaining: Vec<Diagnostic>,
    /// Fixes that failed verification and were left out; the other fixes of
    /// the file were still applied, and the findings of these remain.
    pub rejected: Vec<RejectedFix>,
}

impl FixOutcome {
    pub fn changed(&self) -> bool {
        !self.fixed.is_empty()
    }
}

/// A fix left out because the text with it failed verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedFix {
    /// The rule whose fix it was.
    pub rule: &'static str,
    /// The fix's title.
    pub title: String,
    /// The 1-based line of its first edit, in the text it was tried on.
    pub line: usize,
    /// Why verification refused it.
    pub reason: String,
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
///
/// Every round is verified ([`verify_round`]): the bytes outside the edits,
/// the line structure and the messages. When a round fails, the fixes
/// responsible are found by halving the round's fixes, left out (and
/// reported in [`FixOutcome::rejected`]), and the rest are applied.
pub fn fix_in(
    name: &str,
    text: &str,
    settings: &Settings,
    threshold: Applicability,
    surroundings: Surroundings<'_>,
) -> Result<FixOutcome, Error> {
    // Borrowed until a round changes it: no copy of a large file up front.
    let source = FixSource::Rules(threshold);
    fix_rounds(name, Cow::Borrowed(text), settings, source, surroundings)
}

/// What a fixing applies: the rules' fixes at a threshold, or suppression
/// comments above the findings (`check --add-suppressions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixSource {
    Rules(Applicability),
    /// In the first round, each finding a comment can suppress gets the
    /// fix that writes it ([`super::suppressing`]); the rules' own fixes
    /// are not applied, and the findings that remain are reported.
    Suppressions,
}

/// [`fix_in`] with the fixes `source` says: [`FixSource::Suppressions`]
/// writes a suppression comment above each finding, through the same
/// rounds and verification.
pub fn fix_from(
    name: &str,
    text: &str,
    settings: &Settings,
    source: FixSource,
    surroundings: Surroundings<'_>,
) -> Result<FixOutcome, Error> {
    fix_rounds(name, Cow::Borrowed(text), settings, source, surroundings)
}

/// [`fix_in`] for a text the caller no longer needs: it is freed as soon
/// as the first round of fixes has replaced it, so that a large file is
/// held twice only while that round is made and verified, not through the
/// rounds and the check after it.
pub(crate) fn fix_owned(
    name: &str,
    text: String,
    settings: &Settings,
    source: FixSource,
    surroundings: Surroundings<'_>,
) -> Result<FixOutcome, Error> {
    fix_rounds(name, Cow::Owned(text), settings, source, surroundings)
}

fn fix_rounds(
    name: &str,
    text: Cow<'_, str>,
    settings: &Settings,
    source: FixSource,
    surroundings: Surroundings<'_>,
) -> Result<FixOutcome, Error> {
    let mut current = text;
    // What the whole must keep of the original, taken before the first
    // round that changes it.
    let mut original: Option<Shape> = None;
    let mut fixed = Vec::new();
    let mut rejected: Vec<RejectedFix> = Vec::new();
    // Fixes refused once are not tried again in later rounds.
    let mut refused: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut removed_messages = 0;
    // Whether some fix edited the BOM or a line break on purpose
    // (`invisible-character` does): only then may the file's style change.
    let mut intended = IntendedChanges::default();
    for round_number in 0..MAX_FIX_ROUNDS {
        let mut diagnostics = check_in(&current, settings, surroundings);
        let is_wanted = |fix: &Fix, rule: &str, threshold| {
            fix.applies_at(threshold)
                && (refused.is_empty() || !refused.contains(&refusal_key(&current, fix, rule)))
        };
        let wanted: Vec<bool> = match source {
            FixSource::Rules(threshold) => diagnostics
                .iter()
                .map(|d| {
                    d.fix
                        .as_ref()
                        .is_some_and(|fix| is_wanted(fix, d.rule.name, threshold))
                })
                .collect(),
            FixSource::Suppressions if round_number == 0 => {
                super::suppressing::give_suppression_fixes(&current, &mut diagnostics)
            }
            FixSource::Suppressions => vec![false; diagnostics.len()],
        };
        // A round with fixes to apply keeps only them: the findings are let
        // go before the fixed text is built beside the text. Those of the
        // text that settles are the ones reported.
        let (settled_findings, fixes): (Option<Vec<Diagnostic>>, Vec<(Fix, &'static str)>) =
            if wanted.contains(&true) {
                let fixes = diagnostics
                    .into_iter()
                    .zip(wanted)
                    .filter(|(_, wanted)| *wanted)
                    .filter_map(|(d, _)| d.fix.map(|fix| (fix, d.rule.name)))
                    .collect();
                (None, fixes)
            } else {
                (Some(diagnostics), Vec::new())
            };
        let candidates: Vec<(&Fix, &'static str)> =
            fixes.iter().map(|(fix, rule)| (fix, *rule)).collect();
        // Nothing to apply: the text is settled (and not copied once more).
        let first = if candidates.is_empty() {
            AppliedFixes::default()
        } else {
            apply_selected(&current, &candidates)
        };
        let round = if first.applied.is_empty() {
            first
        } else {
            match verify_round(name, &current, &first) {
                Ok(()) => first,
                Err(_) => {
                    let taken: Vec<(&Fix, &'static str)> =
                        first.taken.iter().map(|&at| candidates[at]).collect();
                    let (round, left_out) = apply_verified(name, &current, &taken);
                    for (fix, rule, reason) in left_out {
                        refused.insert(refusal_key(&current, fix, rule));
                        let at = fix.span().start;
                        rejected.push(RejectedFix {
                            rule,
                            title: fix.title.clone(),
                            line: line_of(&current, at),
                            reason,
                        });
                    }
                    round
                }
            }
        };
        if round.applied.is_empty() {
            // With no fix applied the text is the last verified one.
            if let Some(original) = original {
                verify_whole(name, original, &current, removed_messages, intended)?;
            }
            // (A round whose fixes were all left out let its findings go.)
            let remaining = match settled_findings {
                Some(findings) if rejected.is_empty() => findings,
                _ => check_in(&current, settings, surroundings),
            };
            return Ok(FixOutcome {
                text: current.into_owned(),
                fixed,
                remaining,
                rejected,
            });
        }
        original.get_or_insert_with(|| Shape::of(&current));
        fixed.extend(round.applied);
        removed_messages += round.removed_messages;
        for edit in &round.edits {
            let replaced = &current[edit.span.clone()];
            intended.bom |= replaced.contains('\u{feff}');
            intended.line_endings |=
                replaced.contains(['\r', '\n']) || edit.content.contains(['\r', '\n']);
        }
        current = Cow::Owned(round.text);
    }
    Err(Error::FixDidNotConverge {
        name: name.to_string(),
        iterations: MAX_FIX_ROUNDS,
    })
}

/// What tells a refused fix when it is found again in a later round: its
/// rule, title, edits and the text around it on its line (at most
/// [`REFUSAL_CONTEXT`] bytes each side, so that a long line with many fixes
/// is not copied once for each).
fn refusal_key(text: &str, fix: &Fix, rule: &str) -> String {
    use crate::line_index::floor_char_boundary;
    let span = fix.span();
    let (start, end) = (span.start.min(text.len()), span.end.min(text.len()));
    let bytes = text.as_bytes();
    let window_start = floor_char_boundary(text, start.saturating_sub(REFUSAL_CONTEXT));
    let line_start = memchr::memrchr2(b'\n', b'\r', &bytes[window_start..start])
        .map_or(window_start, |i| window_start + i + 1);
    let window_end = floor_char_boundary(text, end.saturating_add(REFUSAL_CONTEXT).min(text.len()));
    let end = end.max(start);
    let window_end = window_end.max(end);
    let line_end =
        memchr::memchr2(b'\n', b'\r', &bytes[end..window_end]).map_or(window_end, |i| end + i);
    let mut key = format!(
        "{rule}\0{}\0{}",
        fix.title,
        text.get(line_start..line_end).unwrap_or_default()
    );
    for edit in &fix.edits {
        key.push('\0');
        key.push_str(text.get(edit.span.clone()).unwrap_or_default());
        key.push('\0');
        key.push_str(&edit.content);
    }
    key
}

/// How much of a refused fix's line, each side of it, tells it apart.
const REFUSAL_CONTEXT: usize = 80;

/// Applies the largest set of `fixes` found by halving that passes
/// verification: a set that fails is split in two and each half tried on
/// top of what was accepted; a single fix that fails is left out, with the
/// reason, unless it passes on its own: then it only clashes with fixes
/// taken this round, and waits for the next round instead. Only the fixes
/// responsible for a failure are lost.
#[allow(clippy::type_complexity)]
fn apply_verified<'f>(
    name: &str,
    text: &str,
    fixes: &[(&'f Fix, &'static str)],
) -> (AppliedFixes, Vec<(&'f Fix, &'static str, String)>) {
    let mut accepted: Vec<(&'f Fix, &'static str)> = Vec::new();
    let mut left_out = Vec::new();
    let mut pending: Vec<&[(&'f Fix, &'static str)]> = vec![fixes];
    while let Some(set) = pending.pop() {
        if set.is_empty() {
            continue;
        }
        let mut trial = accepted.clone();
        trial.extend_from_slice(set);
        let applied = apply_selected(text, &trial);
        match verify_round(name, text, &applied) {
            Ok(()) => accepted = trial,
            Err(err) if set.len() == 1 => {
                // Alone it may pass: it clashes only with fixes taken
                // before it (one removes what stood before it on its line,
                // so that its text now starts the line). Left for the next
                // round, whose rules judge the text as it has become.
                if !accepted.is_empty()
                    && verify_round(name, text, &apply_selected(text, set)).is_ok()
                {
                    continue;
                }
                let reason = match err {
                    Error::FixVerification { reason, .. } => reason,
                    other => other.to_string(),
                };
                left_out.push((set[0].0, set[0].1, reason));
            }
            Err(_) => {
                let (left, right) = set.split_at(set.len() / 2);
                // Popped last-in first-out: the left half is tried first.
                pending.push(right);
                pending.push(left);
            }
        }
    }
    (apply_selected(text, &accepted), left_out)
}
