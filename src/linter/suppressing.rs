//! `check --add-suppressions`: each finding gets a fix that writes
//! `<!-- chatlint-disable-next-line RULE -->` on a line of its own above
//! the line it starts on, applied and verified by the one fix engine like
//! any other fix.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::Transcript;

/// The title of every suppression fix.
const TITLE: &str = "Add a suppression comment above the line";

/// Gives each finding that a comment above its line can suppress the fix
/// that writes that comment: one per line, naming every rule found there,
/// so that the fixes of one line are one insertion (the engine takes one
/// insertion per place). Returns which findings got one.
///
/// A comment is read only outside front matter and code fences, so a line
/// qualifies when it is a message header or a body line (preamble
/// included) outside a fence. So does a line right below a
/// `chatlint-disable-next-line` comment: a comment between them would take
/// that comment's line from it.
pub(super) fn give_suppression_fixes(text: &str, diagnostics: &mut [Diagnostic]) -> Vec<bool> {
    let mut wanted = vec![false; diagnostics.len()];
    if diagnostics.is_empty() {
        return wanted;
    }
    let transcript = crate::parser::parse(text);
    let places = comment_places(text, &transcript);
    drop(transcript);
    // Per place: the rules found on its line, in the order of their codes.
    let mut rules: BTreeMap<usize, Vec<&'static str>> = BTreeMap::new();
    let mut place_of = vec![None; diagnostics.len()];
    for (i, diagnostic) in diagnostics.iter().enumerate() {
        let Some(&at) = places.get(&line_start(text, diagnostic.span.start)) else {
            continue;
        };
        place_of[i] = Some(at);
        let names = rules.entry(at).or_default();
        if !names.contains(&diagnostic.rule.name) {
            names.push(diagnostic.rule.name);
        }
    }
    let line_break = crate::rules::usual_line_break(text);
    for (i, diagnostic) in diagnostics.iter_mut().enumerate() {
        let Some(at) = place_of[i] else { continue };
        let comment = format!(
            "<!-- chatlint-disable-next-line {} -->{line_break}",
            rules[&at].join(", ")
        );
        diagnostic.fix = Some(Fix::safe(TITLE, vec![Edit::insert(at, comment)]));
        wanted[i] = true;
    }
    wanted
}

/// Line start → where a comment line above that line is inserted (after
/// a byte order mark on the first line), for every line a comment there
/// would reach.
fn comment_places(text: &str, transcript: &Transcript) -> BTreeMap<usize, usize> {
    let body = transcript
        .body_lines()
        .filter(|line| !line.in_code_fence)
        .map(|line| line.span.start);
    let headers = transcript.messages.iter().map(|m| m.header.span.start);
    body.chain(headers)
        .map(|at| line_start(text, at))
        .filter(|&start| !below_a_next_line_comment(text, start))
        .map(|start| {
            let bom = start == 0 && text.starts_with('\u{feff}');
            (start, if bom { '\u{feff}'.len_utf8() } else { start })
        })
        .collect()
}

/// The start of the line `at` is on (0 for the first, BOM or not).
fn line_start(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    memchr::memrchr2(b'\n', b'\r', &text.as_bytes()[..at]).map_or(0, |i| i + 1)
}

/// Whether the line before the one starting at `start` holds a
/// `chatlint-disable-next-line` comment.
fn below_a_next_line_comment(text: &str, start: usize) -> bool {
    if start == 0 {
        return false;
    }
    let before = &text[..start];
    let before = before
        .strip_suffix("\r\n")
        .or_else(|| before.strip_suffix(['\n', '\r']))
        .unwrap_or(before);
    let previous = &before[line_start(before, before.len())..];
    crate::suppression::comments_in_line(previous)
        .iter()
        .any(|span| previous[span.clone()].contains("chatlint-disable-next-line"))
}
