//! Inline elements of one body line: images, links, mentions, emoji codes.
//!
//! Images are recognised leniently (full-width `！` and `（）`, a missing `)`,
//! spaces in the destination) so that the image rule can see what a writer
//! meant as an image even where a CommonMark renderer would not.

use crate::model::{Emoji, Image, Inline, Link, Mention, Span, Width};

/// The character that WeChat writes after an @mention.
pub const MENTION_END: char = '\u{2005}';

/// The bytes that can start a character handled in [`parse_inlines`]'s match:
/// `` ` `` `!` `[` `<` `@` `h`, and 0xEF, the lead byte of `！` (U+FF01). No
/// UTF-8 continuation byte is among them, so a hit is a character boundary.
const MAY_OPEN_INLINE: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let bytes = *b"`![<@h";
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table[0xEF] = true;
    table
};

/// The first index from `from` on that may open an inline: a byte in
/// [`MAY_OPEN_INLINE`], `！` only among the characters led by 0xEF. Eight
/// bytes are tested at a time without branching: most bytes of a transcript
/// (CJK text) open nothing.
fn next_opener(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let at = next_opener_byte(bytes, from)?;
        // 0xEF also leads the full-width punctuation of CJK text (`，` is
        // EF BC 8C): step over all but `！` (EF BC 81) here, where it is cheap.
        if bytes[at] != 0xEF || bytes.get(at + 1..at + 3) == Some(&[0xBC, 0x81]) {
            return Some(at);
        }
        from = at + 1;
    }
}

/// The first index from `from` on whose byte is in [`MAY_OPEN_INLINE`].
fn next_opener_byte(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = &bytes[from..];
    let mut chunks = rest.chunks_exact(8);
    let mut base = from;
    for chunk in &mut chunks {
        let hit = chunk
            .iter()
            .fold(false, |hit, &b| hit | MAY_OPEN_INLINE[usize::from(b)]);
        if hit {
            break;
        }
        base += 8;
    }
    bytes[base..]
        .iter()
        .position(|&b| MAY_OPEN_INLINE[usize::from(b)])
        .map(|i| base + i)
}

pub(super) fn parse_inlines(text: &str, line: Span) -> Vec<Inline> {
    let content = &text[line.clone()];
    // Offsets within a line are kept in 32 bits ([`Nesting`]); a line of
    // 4 GiB or more (which `--max-file-size` must be raised to allow) is
    // read as text without inlines.
    if u32::try_from(content.len()).is_err() {
        return Vec::new();
    }
    let base = line.start;
    let mut inlines = Vec::new();
    // Where each bracket and paren closes, found once and only for a line
    // with a `[` or `!`: each construct then finds its end by a lookup, not
    // a scan, so a long line of brackets stays linear.
    let pairs = std::cell::OnceCell::new();
    let pairs = || pairs.get_or_init(|| Pairs::new(content));
    let backtick_runs = std::cell::OnceCell::new();
    let mut i = 0;
    while i < content.len() {
        // Skip straight to the next character that can open an inline: the
        // ASCII ones below, or the first byte of `！` (every other character
        // would only be stepped over).
        match next_opener(content.as_bytes(), i) {
            Some(at) => i = at,
            None => break,
        }
        let rest = &content[i..];
        let Some(c) = rest.chars().next() else { break };
        // Keep `MAY_OPEN_INLINE` in step with these arms.
        let parsed = match c {
            '`' => {
                i = skip_code_span(
                    content,
                    backtick_runs.get_or_init(|| BacktickRuns::new(content)),
                    i,
                );
                continue;
            }
            '!' | '！' => {
                parse_image(content, i, pairs()).map(|image| Inline::Image(image.shifted(base)))
            }
            '[' => parse_link(content, i, pairs())
                .map(|link| Inline::Link(link.shifted(base)))
                .or_else(|| parse_emoji(content, i).map(|e| Inline::Emoji(e.shifted(base)))),
            '<' => parse_autolink(content, i).map(|link| Inline::Link(link.shifted(base))),
            '@' => parse_mention(content, i).map(|m| Inline::Mention(m.shifted(base))),
            'h' => parse_bare_url(content, i).map(|link| Inline::Link(link.shifted(base))),
            _ => None,
        };
        match parsed {
            Some(inline) => {
                i = inline_end(&inline) - base;
                inlines.push(inline);
            }
            None => i += c.len_utf8(),
        }
    }
    inlines
}

fn inline_end(inline: &Inline) -> usize {
    match inline {
        Inline::Image(x) => x.span.end,
        Inline::Link(x) => x.span.end,
        Inline::Mention(x) => x.span.end,
        Inline::Emoji(x) => x.span.end,
    }
}

/// Moves spans relative to the line to spans relative to the file.
trait Shift: Sized {
    fn shifted(self, by: usize) -> Self;
}

fn shift(span: Span, by: usize) -> Span {
    span.start + by..span.end + by
}

impl Shift for Image {
    fn shifted(self, by: usize) -> Self {
        Image {
            span: shift(self.span, by),
            alt_span: shift(self.alt_span, by),
            destination_span: shift(self.destination_span, by),
            title_span: self.title_span.map(|s| shift(s, by)),
            ..self
        }
    }
}

impl Shift for Link {
    fn shifted(self, by: usize) -> Self {
        Link {
            span: shift(self.span, by),
            text_span: shift(self.text_span, by),
            destination_span: shift(self.destination_span, by),
        }
    }
}

impl Shift for Mention {
    fn shifted(self, by: usize) -> Self {
        Mention {
            span: shift(self.span, by),
            name_span: shift(self.name_span, by),
        }
    }
}

impl Shift for Emoji {
    fn shifted(self, by: usize) -> Self {
        Emoji {
            span: shift(self.span, by),
            name_span: shift(self.name_span, by),
        }
    }
}

/// The byte ranges of the line's `` `code` `` spans, as the inline parser
/// skips them (an unclosed backtick run is text).
pub(crate) fn code_spans(content: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let runs = std::cell::OnceCell::new();
    let mut search = 0;
    while let Some(found) = memchr::memchr(b'`', &content.as_bytes()[search..]) {
        let at = search + found;
        let run = content[at..].bytes().take_while(|&b| b == b'`').count();
        let end = skip_code_span(content, runs.get_or_init(|| BacktickRuns::new(content)), at);
        if end > at + run {
            spans.push(at..end);
        }
        search = end;
    }
    spans
}

/// Past a `` `code` `` span (to the end of the next run of as many
/// backticks), or past the backtick run when it is not closed.
fn skip_code_span(content: &str, runs: &BacktickRuns, at: usize) -> usize {
    let run = content[at..].bytes().take_while(|&b| b == b'`').count();
    let after = at + run;
    runs.next_of_length(run, after)
        .map_or(after, |start| start + run)
}

/// The runs of backticks of one line by their length, found in one pass: a
/// run that no run of its length closes is found so by a lookup, not by a
/// scan to the end of the line (runs of ever more backticks would take time
/// growing with the line's length times their number).
struct BacktickRuns {
    by_length: std::collections::HashMap<usize, Vec<usize>>,
}

impl BacktickRuns {
    fn new(content: &str) -> Self {
        let mut by_length: std::collections::HashMap<usize, Vec<usize>> = Default::default();
        let bytes = content.as_bytes();
        let mut iter = memchr::memchr_iter(b'`', bytes).peekable();
        while let Some(start) = iter.next() {
            let mut end = start + 1;
            while iter.next_if_eq(&end).is_some() {
                end += 1;
            }
            by_length.entry(end - start).or_default().push(start);
        }
        Self { by_length }
    }

    /// Where the first whole run of `length` backticks at or after `from`
    /// starts.
    fn next_of_length(&self, length: usize, from: usize) -> Option<usize> {
        let starts = self.by_length.get(&length)?;
        starts.get(starts.partition_point(|&at| at < from)).copied()
    }
}

/// How far past its `[` a bracket's `]` is looked for: about CommonMark's 999
/// characters of a link label. Without a bound, a long line of unclosed
/// brackets is quadratic; with it, linear (if with a large constant).
const MAX_LABEL_BYTES: usize = 1024;

/// How far a `(` looks for its `)`: far beyond any real URL (even most data
/// URLs), and a bound on the work a line of unclosed parentheses can cause.
const MAX_DESTINATION_BYTES: usize = 64 * 1024;

/// The end of a bracketed label starting at `open` (a `[`): the index of its
/// matching `]`, nesting allowed, at most [`MAX_LABEL_BYTES`] on.
fn closing_bracket(content: &str, pairs: &Pairs, open: usize) -> Option<usize> {
    let end = (open + MAX_LABEL_BYTES).min(content.len());
    pairs.brackets.first_closer(open + 1, end)
}

fn paren_at(content: &str, at: usize) -> Option<(Width, usize)> {
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
fn scan_parenthesised(
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
struct Pairs {
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
    fn new(content: &str) -> Self {
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
    fn query_start(&self, content: &str, span: Span) -> usize {
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
    fn next_whitespace(&self, content: &str, from: usize) -> usize {
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

fn parse_image(content: &str, at: usize, pairs: &Pairs) -> Option<Image> {
    let bang = if content[at..].starts_with('!') {
        Width::Ascii
    } else {
        Width::FullWidth
    };
    let open_bracket = at + content[at..].chars().next()?.len_utf8();
    if !content[open_bracket..].starts_with('[') {
        return None;
    }
    let close_bracket = closing_bracket(content, pairs, open_bracket)?;
    let (open_paren, paren_len) = paren_at(content, close_bracket + 1)?;
    let inner_start = close_bracket + 1 + paren_len;
    let (destination_span, angle_brackets, title_span, inner_end, close) =
        parse_destination_and_title(content, pairs, inner_start);
    // `太棒了！[链接](http://…)` is an exclamation and a link; a full-width `！`
    // starts an image only when what follows is plainly one.
    if bang == Width::FullWidth
        && !looks_like_image(
            &content[open_bracket + 1..close_bracket],
            content,
            destination_span.clone(),
            pairs,
        )
    {
        return None;
    }
    let end = match close {
        Some((_, len)) => inner_end + len,
        None => inner_end,
    };
    Some(Image {
        span: at..end,
        bang,
        alt_span: open_bracket + 1..close_bracket,
        open_paren,
        close_paren: close.map(|(width, _)| width),
        destination_span,
        angle_brackets,
        title_span,
    })
}

/// An image file name, or the archive's alt text: the time it was sent.
/// The path ends at the first `?` or `#`, found by a lookup (a long line of
/// would-be images without a closing paren has destinations as long as the
/// line).
fn looks_like_image(alt: &str, content: &str, destination: Span, pairs: &Pairs) -> bool {
    let path_end = pairs.query_start(content, destination.clone());
    // The longest extension is 5 bytes: only the path's last 5 are compared.
    let tail_start = path_end.saturating_sub(5).max(destination.start);
    let path = content.as_bytes()[tail_start..path_end].to_ascii_lowercase();
    let image_extension = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg"]
        .iter()
        .any(|ext| path.ends_with(ext.as_bytes()));
    let timestamp_alt = alt.len() == 19
        && alt.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b' ',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        });
    image_extension || timestamp_alt
}

type DestinationParts = (Span, bool, Option<Span>, usize, Option<(Width, usize)>);

/// Splits `<dest> "title")` or `dest "title")` starting after the `(`.
fn parse_destination_and_title(
    content: &str,
    pairs: &Pairs,
    inner_start: usize,
) -> DestinationParts {
    let leading =
        content[inner_start..].len() - content[inner_start..].trim_start_matches([' ', '\t']).len();
    let dest_start = inner_start + leading;
    if content[dest_start..].starts_with('<') {
        // (Looked for no further than a destination may run.)
        let window_end = crate::line_index::floor_char_boundary(
            content,
            (dest_start + 1 + MAX_DESTINATION_BYTES).min(content.len()),
        );
        if let Some(close) = content[dest_start + 1..window_end].find(['>', '<']) {
            let close = dest_start + 1 + close;
            if content[close..].starts_with('>') {
                let (inner_end, paren) = scan_parenthesised(content, pairs, close + 1);
                let title = title_in(content, close + 1, inner_end);
                return (dest_start + 1..close, true, title, inner_end, paren);
            }
        }
    }
    let (inner_end, paren) = scan_parenthesised(content, pairs, dest_start);
    if paren.is_none() {
        // No `)` on the line: the URL is the first word, what follows is text.
        let token_end = pairs.next_whitespace(content, dest_start);
        return (dest_start..token_end, false, None, token_end, None);
    }
    let inner = &content[dest_start..inner_end];
    let trimmed_end = dest_start + inner.trim_end().len();
    // A title is a quoted string at the end, after white space.
    if let Some(title) = title_in(content, dest_start, trimmed_end) {
        let before_title = &content[dest_start..title.start - 1];
        let dest_end = dest_start + before_title.trim_end().len();
        if dest_end < title.start - 1 {
            return (dest_start..dest_end, false, Some(title), inner_end, paren);
        }
    }
    (dest_start..trimmed_end, false, None, inner_end, paren)
}

/// How long a link title may be.
const MAX_TITLE_BYTES: usize = 1024;

/// A `"title"`, `'title'` or `(title)` that ends exactly at `end`.
fn title_in(content: &str, start: usize, end: usize) -> Option<Span> {
    let region = content[start..end].trim_end();
    let close = region.chars().last()?;
    let open = match close {
        '"' => '"',
        '\'' => '\'',
        ')' => '(',
        _ => return None,
    };
    let body = &region[..region.len() - 1];
    // A title is looked for in the last MAX_TITLE_BYTES only: a line of
    // would-be images ending in one quote would otherwise search back
    // through each of their destinations.
    let search_from =
        crate::line_index::floor_char_boundary(body, body.len().saturating_sub(MAX_TITLE_BYTES));
    let open_at = search_from + body[search_from..].rfind(open)?;
    // The title must be separated from the destination by white space,
    // unless there is no destination at all.
    let before = &body[..open_at];
    if !before.is_empty() && !before.ends_with([' ', '\t']) {
        return None;
    }
    Some(start + open_at + 1..start + region.len() - 1)
}

fn parse_link(content: &str, at: usize, pairs: &Pairs) -> Option<Link> {
    let close_bracket = closing_bracket(content, pairs, at)?;
    if !content[close_bracket + 1..].starts_with('(') {
        return None;
    }
    let dest_start = close_bracket + 2;
    let (inner_end, paren) = scan_parenthesised(content, pairs, dest_start);
    let (Width::Ascii, len) = paren? else {
        return None;
    };
    Some(Link {
        span: at..inner_end + len,
        text_span: at + 1..close_bracket,
        destination_span: dest_start..inner_end,
    })
}

fn parse_autolink(content: &str, at: usize) -> Option<Link> {
    let rest = &content[at + 1..];
    if !(rest.starts_with("http://") || rest.starts_with("https://")) {
        return None;
    }
    let end = rest.find(|c: char| c == '>' || c == '<' || c.is_whitespace())?;
    if !rest[end..].starts_with('>') {
        return None;
    }
    let dest = at + 1..at + 1 + end;
    Some(Link {
        span: at..dest.end + 1,
        text_span: dest.clone(),
        destination_span: dest,
    })
}

fn parse_bare_url(content: &str, at: usize) -> Option<Link> {
    let rest = &content[at..];
    if !(rest.starts_with("http://") || rest.starts_with("https://")) {
        return None;
    }
    // A bare URL ends at white space or at the first character outside ASCII,
    // which in these transcripts is the CJK text that follows it.
    let len = rest
        .find(|c: char| c.is_whitespace() || !c.is_ascii() || c == '<' || c == '>')
        .unwrap_or(rest.len());
    let dest = at..at + len;
    Some(Link {
        span: dest.clone(),
        text_span: dest.clone(),
        destination_span: dest,
    })
}

fn parse_mention(content: &str, at: usize) -> Option<Mention> {
    // `name@example.com` is an address, not a mention.
    if content[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let name_start = at + 1;
    let rest = &content[name_start..];
    let len = rest
        .find(|c: char| c == MENTION_END || c == '?' || c == '@' || c.is_whitespace())
        .unwrap_or(rest.len());
    if len == 0 {
        return None;
    }
    let name_end = name_start + len;
    let end = if content[name_end..].starts_with(MENTION_END) {
        name_end + MENTION_END.len_utf8()
    } else {
        name_end
    };
    Some(Mention {
        span: at..end,
        name_span: name_start..name_end,
    })
}

fn parse_emoji(content: &str, at: usize) -> Option<Emoji> {
    let rest = &content[at + 1..];
    // An emoji name is at most 8 characters: look no further for its `]`.
    let window = &rest.as_bytes()[..rest.len().min(8 * 4 + 1)];
    let close = memchr::memchr(b']', window)?;
    let name = rest.get(..close)?;
    let chars = name.chars().count();
    if !(1..=8).contains(&chars) || !name.chars().all(char::is_alphabetic) || name == "cp" {
        return None;
    }
    Some(Emoji {
        span: at..at + 1 + close + 1,
        name_span: at + 1..at + 1 + close,
    })
}

#[cfg(test)]
mod scan_tests {
    use super::*;

    #[test]
    fn the_opener_table_holds_the_first_byte_of_each_opener() {
        let openers = ['`', '!', '！', '[', '<', '@', 'h'];
        let mut expected = [false; 256];
        for c in openers {
            let mut buffer = [0; 4];
            expected[usize::from(c.encode_utf8(&mut buffer).as_bytes()[0])] = true;
        }
        assert_eq!(MAY_OPEN_INLINE, expected);
    }

    /// The scans that [`Pairs`] replaced, kept as the reference: the depth
    /// counted byte by byte from the opener.
    fn closing_bracket_by_scan(content: &str, open: usize) -> Option<usize> {
        let end = (open + MAX_LABEL_BYTES).min(content.len());
        let mut depth = 0usize;
        let mut escaped = false;
        for (i, &b) in content.as_bytes()[open..end].iter().enumerate() {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'[' => depth += 1,
                b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Some(open + i);
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn scan_parenthesised_by_scan(content: &str, start: usize) -> (usize, Option<(Width, usize)>) {
        let mut depth = 0usize;
        let mut end = (start + MAX_DESTINATION_BYTES).min(content.len());
        while !content.is_char_boundary(end) {
            end -= 1;
        }
        for (i, c) in content[start..end].char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth > 0 => depth -= 1,
                ')' => return (start + i, Some((Width::Ascii, 1))),
                '）' => return (start + i, Some((Width::FullWidth, c.len_utf8()))),
                _ => {}
            }
        }
        (content.len(), None)
    }

    fn agrees_with_the_scans(content: &str) {
        let pairs = Pairs::new(content);
        for (at, c) in content.char_indices() {
            if c == '[' {
                assert_eq!(
                    closing_bracket(content, &pairs, at),
                    closing_bracket_by_scan(content, at),
                    "{content:?} at {at}"
                );
            }
            assert_eq!(
                scan_parenthesised(content, &pairs, at),
                scan_parenthesised_by_scan(content, at),
                "{content:?} from {at}"
            );
        }
    }

    #[test]
    fn pairs_find_what_the_scans_find() {
        for content in [
            "",
            "[a](b)",
            "[[]",
            "[[][[][[]",
            "\\[a]]",
            "\\\\[a]",
            "[a\\]b]",
            "((a)b)c)",
            "(（)",
            "一[二]（三）(四)",
            "]][[))((",
            "[a](<b>) ![c]（d） [e](f(g)h)",
        ] {
            agrees_with_the_scans(content);
        }
    }

    proptest::proptest! {
        #[test]
        fn pairs_find_what_the_scans_find_on_any_line(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["[", "]", "(", ")", "（", "）", "\\", "a", "一", " "]),
                0..60,
            )
        ) {
            agrees_with_the_scans(&pieces.concat());
        }
    }

    #[test]
    fn the_label_and_destination_bounds_hold() {
        let far = format!("[{}]", "a".repeat(MAX_LABEL_BYTES));
        assert_eq!(closing_bracket(&far, &Pairs::new(&far), 0), None);
        let near = format!("[{}]", "a".repeat(MAX_LABEL_BYTES - 2));
        assert_eq!(
            closing_bracket(&near, &Pairs::new(&near), 0),
            Some(near.len() - 1)
        );
        let far = format!("({})", "一".repeat(MAX_DESTINATION_BYTES / 3 + 1));
        assert_eq!(
            scan_parenthesised(&far, &Pairs::new(&far), 1),
            scan_parenthesised_by_scan(&far, 1)
        );
        assert_eq!(scan_parenthesised(&far, &Pairs::new(&far), 1).1, None);
    }

    #[test]
    fn next_opener_finds_what_a_character_scan_finds() {
        let line = "你好，世界。abcdefg 太棒了！[x](y) 再见（@右军\u{2005}） http://a.b `c` <：";
        for from in (0..=line.len()).filter(|&i| line.is_char_boundary(i)) {
            let by_chars = line[from..]
                .char_indices()
                .find(|(_, c)| "`!！[<@h".contains(*c))
                .map(|(i, _)| from + i);
            assert_eq!(next_opener(line.as_bytes(), from), by_chars, "from {from}");
        }
    }
}
