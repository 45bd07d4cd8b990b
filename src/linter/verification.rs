//! Verifying fixes independently of the rules that made them: each round
//! keeps the bytes outside its edits, the lines and the messages, and the
//! fixed text as a whole keeps its messages, line endings and BOM.

use crate::error::Error;
use crate::fix::{AppliedFixes, Edit};
use crate::parser;
use crate::source::LineEnding;

pub(super) fn verification_error(name: &str, reason: impl Into<String>) -> Error {
    Error::FixVerification {
        name: name.to_string(),
        reason: reason.into(),
    }
}

/// What the fixes applied were allowed to change.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct IntendedChanges {
    pub(super) bom: bool,
    pub(super) line_endings: bool,
}

/// What the fixed text as a whole must keep of the original: its messages
/// (but those a fix declared it removes), its BOM and its line-ending
/// style. Taken from the original before the first round replaces it, so
/// that the original need not be held to the end.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shape {
    messages: usize,
    bom: bool,
    line_ending: LineEnding,
}

impl Shape {
    pub(super) fn of(text: &str) -> Self {
        Self {
            messages: parser::headers(text).count(),
            bom: text.starts_with('\u{feff}'),
            line_ending: LineEnding::detect(text),
        }
    }
}

/// The fixed text keeps every message (but those a fix declared it
/// removes), its line-ending style and its BOM. Each round was verified
/// already; this checks the whole against the original once more.
pub(super) fn verify_whole(
    name: &str,
    original: Shape,
    fixed: &str,
    removed_messages: usize,
    intended: IntendedChanges,
) -> Result<(), Error> {
    let (before, after) = (original, Shape::of(fixed));
    if before.messages.checked_sub(removed_messages) != Some(after.messages) {
        return Err(verification_error(
            name,
            format!(
                "{} messages became {}, but the fixes removed {removed_messages}",
                before.messages, after.messages
            ),
        ));
    }
    if !intended.bom && before.bom != after.bom {
        return Err(verification_error(name, "the byte order mark changed"));
    }
    // Removing a line may leave a file with no line break at all; otherwise
    // the style must be the one the file had.
    if !intended.line_endings
        && before.line_ending != after.line_ending
        && after.line_ending != LineEnding::None
    {
        return Err(verification_error(name, "line endings changed"));
    }
    Ok(())
}

/// Verifies one round of fixes, independently of the rules that made them:
/// the bytes outside the edits are kept ([`verify_kept_bytes`]), the lines
/// stay the lines ([`verify_line_structure`]), and the messages stay the
/// messages ([`verify_messages`]).
pub(super) fn verify_round(name: &str, before: &str, round: &AppliedFixes) -> Result<(), Error> {
    verify_kept_bytes(name, before, &round.text, &round.edits)?;
    verify_byte_order_mark(name, before, &round.text, &round.edits)?;
    verify_line_structure(name, before, &round.text, &round.edits)?;
    verify_messages(
        name,
        before,
        &round.text,
        &round.edits,
        round.removed_messages,
    )
}

/// An independent check on the engine: every byte outside the edits is in
/// the result, in order, and the edits' contents fill exactly the gaps
/// between them. (A line diff cannot say this: next to a duplicate it may
/// pair the lines the other way round.)
pub(super) fn verify_kept_bytes(
    name: &str,
    before: &str,
    after: &str,
    edits: &[Edit],
) -> Result<(), Error> {
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
            return Err(verification_error(
                name,
                format!(
                    "text near line {} changed outside the fixes",
                    line_of(before, before_at)
                ),
            ));
        }
        after_at += kept.len() + edit.content.len();
        before_at = edit.span.end;
    }
    if after.get(after_at..) != before.get(before_at..) {
        return Err(verification_error(
            name,
            format!(
                "text after line {} changed outside the fixes",
                line_of(before, before_at)
            ),
        ));
    }
    Ok(())
}

/// The BOM stays the BOM: a file starts with one after the round exactly
/// when it did before, unless an edit at the very start removed or wrote it
/// (as `invisible-character` removes a BOM). Removing text before a BOM
/// in the middle of a line would otherwise turn it into the file's BOM,
/// which the parser skips: caught here, so only that fix is left out.
fn verify_byte_order_mark(
    name: &str,
    before: &str,
    after: &str,
    edits: &[Edit],
) -> Result<(), Error> {
    const BOM: char = '\u{feff}';
    if before.starts_with(BOM) == after.starts_with(BOM) {
        return Ok(());
    }
    let edited_on_purpose = edits.iter().any(|edit| {
        edit.span.start == 0
            && (before
                .get(edit.span.clone())
                .is_some_and(|s| s.starts_with(BOM))
                || edit.content.starts_with(BOM))
    });
    if edited_on_purpose {
        return Ok(());
    }
    Err(verification_error(
        name,
        "a fix at the start of the file would add or remove its byte order mark",
    ))
}

/// The 1-based line of a byte offset, lines ending as CommonMark ends them.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    crate::line_index::count_line_breaks(&text.as_bytes()[..offset.min(text.len())]) + 1
}

/// The lines stay the lines: an edit inside lines keeps their number (a
/// line break may change its kind, CRLF to LF say, but never disappear or
/// appear), and only an edit of whole lines (from a line's start to a
/// line's start, or from a line's end to a line's end) may remove or add
/// them, by exactly the line breaks it removes and adds. Counted with the
/// lines around each edit, so that a CR joined to an LF beside it counts.
pub(super) fn verify_line_structure(
    name: &str,
    before: &str,
    after: &str,
    edits: &[Edit],
) -> Result<(), Error> {
    use crate::line_index::{count_line_breaks, is_line_end, is_line_start, next_line_break};
    let (before_bytes, after_bytes) = (before.as_bytes(), after.as_bytes());
    // The first line starts after a BOM, as the parser reads it.
    let bom = if before.starts_with('\u{feff}') { 3 } else { 0 };
    let is_line_start = |bytes: &[u8], at: usize| {
        is_line_start(bytes, at) || (at == bom && std::ptr::eq(bytes, before_bytes))
    };
    let line_start_at_or_before = |bytes: &[u8], mut at: usize| {
        while at > 0 && !is_line_start(bytes, at) {
            at -= 1;
        }
        at
    };
    // Each edit's region: from the start of the line before its line to the
    // end of the line after its end, in the text before; regions that
    // overlap are merged, and each is compared with its image after.
    let mut edits: Vec<&Edit> = edits.iter().collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut delta: isize = 0;
    let mut index = 0;
    // (Where the last edit ended, where its line ends) and that region's end.
    let mut last_line_end: Option<(usize, usize)> = None;
    let mut last_region_end = 0;
    while index < edits.len() {
        let first = edits[index];
        let start = line_start_at_or_before(before_bytes, first.span.start);
        let region_start = line_start_at_or_before(before_bytes, start.saturating_sub(1));
        let region_delta_before = delta;
        let mut expected: isize = 0;
        let mut region_end;
        loop {
            let edit = edits[index];
            let replaced = &before_bytes[edit.span.clone()];
            let content = edit.content.as_bytes();
            let whole_lines = (is_line_start(before_bytes, edit.span.start)
                && is_line_start(before_bytes, edit.span.end)
                && (content.is_empty()
                    || crate::line_index::is_line_start(content, content.len())))
                || (is_line_end(before_bytes, edit.span.start)
                    && is_line_end(before_bytes, edit.span.end)
                    && (content.is_empty() || is_line_end(content, 0)));
            if whole_lines {
                expected +=
                    count_line_breaks(content) as isize - count_line_breaks(replaced) as isize;
            }
            delta += edit.content.len() as isize - edit.span.len() as isize;
            // Through the end of the line after the one the edit ends on
            // (worked out again only when the edit ends on another line than
            // the one before: many edits on one long line stay linear).
            let same_line =
                last_line_end.is_some_and(|(from, end)| (from..=end).contains(&edit.span.end));
            if !same_line {
                let (end, next) = next_line_break(before_bytes, edit.span.end);
                last_line_end = Some((edit.span.end, end));
                last_region_end = next_line_break(before_bytes, next).1;
            }
            region_end = last_region_end;
            index += 1;
            if index >= edits.len() || edits[index].span.start > region_end {
                break;
            }
        }
        let after_start = (region_start as isize + region_delta_before) as usize;
        let after_end = (region_end as isize + delta) as usize;
        let breaks_before = count_line_breaks(&before_bytes[region_start..region_end]) as isize;
        let breaks_after = after_bytes
            .get(after_start..after_end)
            .map_or(isize::MIN, |region| count_line_breaks(region) as isize);
        if breaks_after - breaks_before != expected {
            return Err(verification_error(
                name,
                format!(
                    "a fix near line {} would join or split lines",
                    line_of(before, first.span.start)
                ),
            ));
        }
    }
    Ok(())
}

/// The messages stay the messages: every message header after the round is
/// a header that was there before (found through the edits, not inside
/// text a fix inserted), and there are exactly as many fewer as the fixes
/// declared they remove.
///
/// The headers of both texts are walked side by side, never gathered: the
/// place each header after the round comes from never goes backwards (the
/// text between edits keeps its order), so the headers before are passed
/// once. Two vectors of every header's position would cost as much as a
/// tenth of a large file while both texts are held.
pub(super) fn verify_messages(
    name: &str,
    before: &str,
    after: &str,
    edits: &[Edit],
    removed_messages: usize,
) -> Result<(), Error> {
    let mut headers_before = parser::headers(before)
        .map(|header| header.span.start)
        .peekable();
    let mut count_before = 0;
    let mut count_after = 0;
    let mut edits: Vec<&Edit> = edits.iter().collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    // (start and end of each edit's content in the text after, end before).
    let mut placed = Vec::with_capacity(edits.len());
    let mut delta: isize = 0;
    for edit in &edits {
        let after_start = (edit.span.start as isize + delta) as usize;
        delta += edit.content.len() as isize - edit.span.len() as isize;
        placed.push((
            after_start,
            after_start + edit.content.len(),
            edit.span.clone(),
        ));
    }
    for header in parser::headers(after).map(|header| header.span.start) {
        count_after += 1;
        // The last edit whose content starts at or before the header.
        let index = placed.partition_point(|(start, _, _)| *start <= header);
        let origin = match index.checked_sub(1).map(|i| &placed[i]) {
            None => Some(header),
            // Past the edit's content (or right after a deletion): kept text.
            Some((_, end, span)) if header >= *end => Some(header - end + span.end),
            // Where a replacement starts: the line started there before too.
            Some((start, _, span)) if header == *start => Some(span.start),
            // Inside text a fix inserted.
            Some(_) => None,
        };
        // The headers before it are passed (and counted); the next one
        // stays, since two headers after may come from one before (a line
        // inserted right before a header).
        let found = origin.is_some_and(|at| {
            while headers_before.next_if(|&start| start < at).is_some() {
                count_before += 1;
            }
            headers_before.peek() == Some(&at)
        });
        if !found {
            return Err(verification_error(
                name,
                format!(
                    "a fix near line {} would make a line into a message header",
                    line_of(after, header)
                ),
            ));
        }
    }
    count_before += headers_before.count();
    if count_before.checked_sub(removed_messages) != Some(count_after) {
        return Err(verification_error(
            name,
            format!(
                "{count_before} messages would become {count_after}, but the fixes remove {removed_messages}"
            ),
        ));
    }
    Ok(())
}
