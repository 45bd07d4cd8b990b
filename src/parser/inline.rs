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
    let base = line.start;
    let mut inlines = Vec::new();
    // Where the line's last closing paren is, found once and only for a line
    // with a `[` or `!`: a destination that starts after it has none,
    // whatever it looks like.
    let last_close = std::cell::OnceCell::new();
    let last_close = || *last_close.get_or_init(|| last_closing_paren(content));
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
                i = skip_code_span(content, i);
                continue;
            }
            '!' | '！' => parse_image(content, i, last_close())
                .map(|image| Inline::Image(image.shifted(base))),
            '[' => parse_link(content, i, last_close())
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

/// Where the last `)` or `）` (EF BC 89) of `content` starts. Two SIMD
/// searches from the end, for `)` and for the last byte of `）`: this runs
/// on every line, and `str::rfind` with two characters decodes each one.
fn last_closing_paren(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    let mut end = bytes.len();
    while let Some(at) = memchr::memrchr2(b')', 0x89, &bytes[..end]) {
        if bytes[at] == b')' {
            return Some(at);
        }
        if at >= 2 && bytes[at - 2] == 0xEF && bytes[at - 1] == 0xBC {
            return Some(at - 2);
        }
        end = at;
    }
    None
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
    let mut search = 0;
    while let Some(found) = content[search..].find('`') {
        let at = search + found;
        let run = content[at..].bytes().take_while(|&b| b == b'`').count();
        let end = skip_code_span(content, at);
        if end > at + run {
            spans.push(at..end);
        }
        search = end;
    }
    spans
}

/// Past a `` `code` `` span, or past the backtick run when it is not closed.
fn skip_code_span(content: &str, at: usize) -> usize {
    let run = content[at..].bytes().take_while(|&b| b == b'`').count();
    let after = at + run;
    let mut search = after;
    while let Some(found) = content[search..].find('`') {
        let start = search + found;
        let len = content[start..].bytes().take_while(|&b| b == b'`').count();
        if len == run {
            return start + len;
        }
        search = start + len;
    }
    after
}

/// How far past its `[` a bracket's `]` is looked for: about CommonMark's 999
/// characters of a link label. Without a bound, a long line of unclosed
/// brackets is quadratic; with it, linear (if with a large constant).
const MAX_LABEL_BYTES: usize = 1024;

/// How far a `(` looks for its `)`: far beyond any real URL (even most data
/// URLs), and a bound on the work a line of unclosed parentheses can cause.
const MAX_DESTINATION_BYTES: usize = 64 * 1024;

/// The end of a bracketed label starting at `open` (a `[`): the index of its
/// matching `]`, nesting allowed.
fn closing_bracket(content: &str, open: usize) -> Option<usize> {
    let end = (open + MAX_LABEL_BYTES).min(content.len());
    let window = &content.as_bytes()[open..end];
    // No `]` at all: the common case for a stray `[`, found without a loop.
    memchr::memchr(b']', window)?;
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, &b) in window.iter().enumerate() {
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
/// paren closed it, if any on this line. Parentheses nest, as in CommonMark.
fn scan_parenthesised(
    content: &str,
    start: usize,
    last_close: Option<usize>,
) -> (usize, Option<(Width, usize)>) {
    // No closing paren anywhere after `start`: say so without scanning, so
    // that a line of unclosed `(` stays linear.
    if last_close.is_none_or(|close| close < start) {
        return (content.len(), None);
    }
    let mut depth = 0usize;
    let mut end = (start + MAX_DESTINATION_BYTES).min(content.len());
    while !content.is_char_boundary(end) {
        end -= 1;
    }
    for (i, c) in content[start..end].char_indices() {
        let at = start + i;
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            ')' => return (at, Some((Width::Ascii, 1))),
            '）' => return (at, Some((Width::FullWidth, c.len_utf8()))),
            _ => {}
        }
    }
    (content.len(), None)
}

fn parse_image(content: &str, at: usize, last_close: Option<usize>) -> Option<Image> {
    let bang = if content[at..].starts_with('!') {
        Width::Ascii
    } else {
        Width::FullWidth
    };
    let open_bracket = at + content[at..].chars().next()?.len_utf8();
    if !content[open_bracket..].starts_with('[') {
        return None;
    }
    let close_bracket = closing_bracket(content, open_bracket)?;
    let (open_paren, paren_len) = paren_at(content, close_bracket + 1)?;
    let inner_start = close_bracket + 1 + paren_len;
    let (destination_span, angle_brackets, title_span, inner_end, close) =
        parse_destination_and_title(content, inner_start, last_close);
    // `太棒了！[链接](http://…)` is an exclamation and a link; a full-width `！`
    // starts an image only when what follows is plainly one.
    if bang == Width::FullWidth
        && !looks_like_image(
            &content[open_bracket + 1..close_bracket],
            &content[destination_span.clone()],
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
fn looks_like_image(alt: &str, destination: &str) -> bool {
    let path = destination
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let image_extension = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg"]
        .iter()
        .any(|ext| path.ends_with(ext));
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
    inner_start: usize,
    last_close: Option<usize>,
) -> DestinationParts {
    let leading =
        content[inner_start..].len() - content[inner_start..].trim_start_matches([' ', '\t']).len();
    let dest_start = inner_start + leading;
    if content[dest_start..].starts_with('<') {
        if let Some(close) = content[dest_start + 1..].find(['>', '<']) {
            let close = dest_start + 1 + close;
            if content[close..].starts_with('>') {
                let (inner_end, paren) = scan_parenthesised(content, close + 1, last_close);
                let title = title_in(content, close + 1, inner_end);
                return (dest_start + 1..close, true, title, inner_end, paren);
            }
        }
    }
    let (inner_end, paren) = scan_parenthesised(content, dest_start, last_close);
    if paren.is_none() {
        // No `)` on the line: the URL is the first word, what follows is text.
        let rest = &content[dest_start..];
        let token_end = dest_start + rest.find(char::is_whitespace).unwrap_or(rest.len());
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
    let open_at = body.rfind(open)?;
    // The title must be separated from the destination by white space,
    // unless there is no destination at all.
    let before = &body[..open_at];
    if !before.is_empty() && !before.ends_with([' ', '\t']) {
        return None;
    }
    Some(start + open_at + 1..start + region.len() - 1)
}

fn parse_link(content: &str, at: usize, last_close: Option<usize>) -> Option<Link> {
    let close_bracket = closing_bracket(content, at)?;
    if !content[close_bracket + 1..].starts_with('(') {
        return None;
    }
    let dest_start = close_bracket + 2;
    let (inner_end, paren) = scan_parenthesised(content, dest_start, last_close);
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

    #[test]
    fn last_closing_paren_finds_what_rfind_finds() {
        for content in [
            "",
            "abc",
            "a)b",
            "a）b",
            "a)b）c",
            "a）b)c",
            "三三）",
            "乙\u{0089}",
            "\u{FF09}\u{FF09}x",
            "![a](b)（c",
        ] {
            assert_eq!(
                last_closing_paren(content),
                content.rfind([')', '）']),
                "{content:?}"
            );
        }
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
