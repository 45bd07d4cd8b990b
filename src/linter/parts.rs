//! Checking a large text a part at a time, as [`check_in`] does: where the
//! parts start, how far back each is parsed, and which findings it keeps.

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::parser;
use crate::rules::WholeFile;

#[cfg(doc)]
use super::check_in;
use super::{check_whole, finish, Surroundings};

/// How far before its own lines a part may need to be parsed from; beyond,
/// the text is checked whole.
const MAX_BYTES_BACK: usize = 8 << 20;

/// About how many bytes of a large text are checked at a time.
pub const PART_BYTES: usize = 1 << 18;

/// [`check_in`] in parts of about `part_bytes` (public for the test that
/// compares it with a whole check; use [`check_in`]).
#[doc(hidden)]
pub fn check_in_parts(
    text: &str,
    settings: &Settings,
    surroundings: Surroundings<'_>,
    part_bytes: usize,
) -> Vec<Diagnostic> {
    let parts = part_ranges(text, part_bytes);
    if parts.len() <= 1 {
        return check_whole(text, settings, surroundings);
    }
    let (front_matter, outline) = parser::outline(text);
    let whole_file = WholeFile::new(text, surroundings.path, front_matter.as_ref(), outline);
    let mut suppressions = crate::suppression::Gathered::new(text);
    let mut diagnostics = Vec::new();
    for (i, own) in parts.iter().enumerate() {
        // The part before, and more for as long as a rule needs more.
        let mut first = i.saturating_sub(1);
        let transcript = loop {
            let transcript = parser::parse_range(text, parts[first].start..own.end);
            let enough = || {
                settings
                    .rules()
                    .iter()
                    .all(|rule| rule.sees_enough_before(&transcript, own.start, settings))
            };
            if first == 0 || enough() {
                break transcript;
            }
            if own.start - parts[first].start >= MAX_BYTES_BACK {
                // A rule reads far back (a huge `max-distance`, megabytes
                // of messages without a valid time): parts would parse the
                // same text again and again, so the text is checked whole.
                return check_whole(text, settings, surroundings);
            }
            first -= 1;
        };
        // Only the first part holds the front matter: the findings about it
        // are that part's, and no rule reads it to judge a message (parsing
        // its YAML again in every part would cost time for nothing). A rule
        // that did would fail the test that compares parts with the whole.
        let last = i + 1 == parts.len();
        let is_own = |at: usize| at >= own.start && (at < own.end || last);
        let found = super::run_rules(text, &transcript, &whole_file, settings, surroundings);
        // A finding belongs to the part its span starts in; one that starts
        // earlier belongs here when it is about a line of this part (a
        // duplicate kept here whose earlier twin is removed): the part
        // before did not see this part's lines, so did not find it.
        diagnostics.extend(found.into_iter().filter(|d| {
            is_own(d.span.start)
                || (d.span.start < own.start && d.related.iter().any(|r| is_own(r.span.start)))
        }));
        suppressions.add(
            text,
            transcript
                .body_lines()
                .filter(|line| is_own(line.span.start)),
        );
    }
    finish(text, settings, surroundings, suppressions, diagnostics)
}

/// Where each part of a text starts and ends: the first at 0, each other
/// at a message header line about `part_bytes` after the one before.
fn part_ranges(text: &str, part_bytes: usize) -> Vec<std::ops::Range<usize>> {
    let mut starts = vec![0];
    // The first part holds the first message, so that it sees the file as
    // a whole check does (a file with messages, not a preamble alone).
    let Some(first_header) = parser::next_header_line(text, 0) else {
        return std::iter::once(0..text.len()).collect();
    };
    let mut at = part_bytes.max(first_header + 1);
    while at < text.len() {
        let Some(start) = parser::next_header_line(text, at) else {
            break;
        };
        if start > *starts.last().unwrap_or(&0) {
            starts.push(start);
        }
        at = start + part_bytes.max(1);
    }
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    starts
        .iter()
        .copied()
        .zip(ends)
        .map(|(s, e)| s..e)
        .collect()
}
