//! Where the brackets and parentheses of a line close, worked out once in
//! linear time ([`Pairs`], [`Nesting`]), with the bounds on how far a label
//! or a destination is looked for.

use crate::model::{Span, Width};

#[cfg(doc)]
use super::parse_inlines;

/// How far past its `[` a bracket's `]` is looked for: about CommonMark's 999
/// characters of a link label. Without a bound, a long line of unclosed
/// brackets is quadratic; with it, linear (if with a large constant).
pub(super) const MAX_LABEL_BYTES: usize = 1024;

/// How far a `(` looks for its `)`: far beyond any real URL (even most data
/// URLs), and a bound on the work a line of unclosed parentheses can cause.
pub(super) const MAX_DESTINATION_BYTES: usize = 64 * 1024;

/// The end of a bracketed label starting at `open` (a `[`): the index of its
/// matching `]`, nesting allowed, at most [`MAX_LABEL_BYTES`] on.
pub(super) fn closing_bracket(content: &str, pairs: &Pairs, open: usize) -> Option<usize> {
    let end = (open + MAX_LABEL_BYTES).min(content.len());
    pairs.brackets.first_closer(open + 1, end)
}

pub(super) fn paren_at(content: &str, at: usize) -> Option<(Width, usize)> {
    let rest = content.get(at..)?;
    if rest.starts_with('(') {
        Some((Width::Ascii, 1))
    } else if rest.starts_with('（') {
        Some((Width::FullWidth, '（'.len_utf8()))
    } else {
        None
    }
}

/// The inside of `( … )` from `start`: where the content ends and which
/// paren closed it, if any on this line: the first `)` that is not closing
/// a `(` opened after `start` (parentheses nest, as in CommonMark), or the
/// first `）`, at most [`MAX_DESTINATION_BYTES`] on.
pub(super) fn scan_parenthesised(
    content: &str,
    pairs: &Pairs,
    start: usize,
) -> (usize, Option<(Width, usize)>) {
    let mut end = (start + MAX_DESTINATION_BYTES).min(content.len());
    while !content.is_char_boundary(end) {
        end -= 1;
    }
    let ascii = pairs.parens.first_closer(start, end);
    let full_width = pairs.full_width_close(start, end);
    match (ascii, full_width) {
        (Some(a), Some(f)) if f < a => (f, Some((Width::FullWidth, '）'.len_utf8()))),
        (Some(a), _) => (a, Some((Width::Ascii, 1))),
        (None, Some(f)) => (f, Some((Width::FullWidth, '）'.len_utf8()))),
        (None, None) => (content.len(), None),
    }
}

/// Where the brackets and parentheses of one line close, worked out in one
/// pass, so that finding the end of a link, an image or its destination is
/// a lookup however long the line.
pub(super) struct Pairs {
    /// `[` and `]`, a backslash escaping the next byte.
    brackets: Nesting,
    /// `(` and `)`, no escapes (as [`scan_parenthesised`] reads them).
    parens: Nesting,
    /// Where each `）` starts, in order.
    full_width_closes: Vec<usize>,
    /// Where each white-space character starts, in order (found when first
    /// asked for: only a destination without a closing paren needs them).
    whitespace: std::cell::OnceCell<Vec<usize>>,
    /// Where each `?` and `#` is, in order (found when first asked for).
    query_marks: std::cell::OnceCell<Vec<usize>>,
    content_len: usize,
}

impl Pairs {
    pub(super) fn new(content: &str) -> Self {
        let bytes = content.as_bytes();
        Self {
            brackets: Nesting::new(bytes, b'[', b']', true),
            parens: Nesting::new(bytes, b'(', b')', false),
            full_width_closes: memchr::memmem::find_iter(bytes, "）".as_bytes()).collect(),
            whitespace: std::cell::OnceCell::new(),
            query_marks: std::cell::OnceCell::new(),
            content_len: content.len(),
        }
    }

    /// The first `）` in `from..below`.
    fn full_width_close(&self, from: usize, below: usize) -> Option<usize> {
        let i = self.full_width_closes.partition_point(|&at| at < from);
        self.full_width_closes
            .get(i)
            .copied()
            .filter(|&at| at < below)
    }

    /// Where the first `?` or `#` in `span` is, or the span's end.
    pub(super) fn query_start(&self, content: &str, span: Span) -> usize {
        let marks = self
            .query_marks
            .get_or_init(|| memchr::memchr2_iter(b'?', b'#', content.as_bytes()).collect());
        let i = marks.partition_point(|&at| at < span.start);
        marks
            .get(i)
            .copied()
            .filter(|&at| at < span.end)
            .unwrap_or(span.end)
    }

    /// Where the first white space at or after `from` starts, or the end.
    pub(super) fn next_whitespace(&self, content: &str, from: usize) -> usize {
        let whitespace = self.whitespace.get_or_init(|| {
            content
                .char_indices()
                .filter(|(_, c)| c.is_whitespace())
                .map(|(at, _)| at)
                .collect()
        });
        let i = whitespace.partition_point(|&at| at < from);
        whitespace.get(i).copied().unwrap_or(self.content_len)
    }
}

/// One kind of nesting pair on a line: for each closer, the depth before it,
/// so that "the first closer from `s` on that is not closing an opener
/// after `s`" is the first closer from `s` at the depth at `s`: a binary
/// search instead of a scan. Positions and depths in 32 bits (a line
/// longer than 4 GiB gets no inlines, see [`parse_inlines`]): a line of
/// nothing but brackets costs about eight bytes a bracket, once.
struct Nesting {
    /// Each opener and closer, in order: its position and the depth after it.
    marks: Vec<(u32, i32)>,
    /// Each closer as (the depth before it, its position), sorted: the
    /// closers of one depth are together, in order.
    closers: Vec<(i32, u32)>,
}

impl Nesting {
    fn new(bytes: &[u8], open: u8, close: u8, escapes: bool) -> Self {
        // Counted first, so that each table is allocated once at its size
        // (a growing vector would hold up to twice as much, and three times
        // while it moves).
        let closes = memchr::memchr_iter(close, bytes).count();
        let opens = memchr::memchr_iter(open, bytes).count();
        let mut marks = Vec::with_capacity(opens + closes);
        let mut closers = Vec::with_capacity(closes);
        let mut depth: i32 = 0;
        // The byte a backslash escapes (none yet).
        let mut escaped_byte = usize::MAX;
        // All three bytes are ASCII: never part of a longer character.
        for at in memchr::memchr3_iter(open, close, b'\\', bytes) {
            let b = bytes[at];
            if at == escaped_byte {
                continue;
            }
            // Within 32 bits: `parse_inlines` takes no longer line.
            let position = at as u32;
            if b == b'\\' {
                if escapes {
                    escaped_byte = at + 1;
                }
            } else if b == open {
                depth += 1;
                marks.push((position, depth));
            } else {
                closers.push((depth, position));
                depth -= 1;
                marks.push((position, depth));
            }
        }
        closers.sort_unstable();
        Self { marks, closers }
    }

    /// The depth just before `at`.
    fn depth_at(&self, at: usize) -> i32 {
        let i = self
            .marks
            .partition_point(|&(mark, _)| (mark as usize) < at);
        i.checked_sub(1).map_or(0, |i| self.marks[i].1)
    }

    /// The first closer in `from..below` that closes no opener after `from`.
    fn first_closer(&self, from: usize, below: usize) -> Option<usize> {
        let depth = self.depth_at(from);
        let i = self
            .closers
            .partition_point(|&(d, at)| (d, at as usize) < (depth, from));
        self.closers
            .get(i)
            .filter(|&&(d, at)| d == depth && (at as usize) < below)
            .map(|&(_, at)| at as usize)
    }
}
