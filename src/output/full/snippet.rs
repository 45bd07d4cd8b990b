//! How miette 7 reads the lines of a snippet: ports of `context_info` (in
//! `source_impls.rs`, how `str` implements `SourceCode::read_span`) and of
//! `GraphicalReportHandler::get_lines`, `line_visual_char_width` and
//! `visual_offset` (in `handlers/graphical.rs`), with their quirks kept: the
//! report is only the same as miette's if these give the same numbers. They
//! work on the excerpt's text, as miette does.

use unicode_width::UnicodeWidthChar;

/// miette's default tab width.
const TAB_WIDTH: usize = 4;

/// What `read_span` tells of a span: the bytes it returns, its first line
/// (0-based, in the text read) and how many line breaks it passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Context {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub line_count: usize,
}

/// `context_info(input, span, before, after)` for `before` of 0 or 1 (the
/// deque of line starts before the span holds at most one then), `None`
/// where miette returns `OutOfBounds` (or would panic: a span past the end).
/// The column aside: the excerpt sets it.
///
/// miette's loop goes byte by byte; this one jumps from line break to line
/// break, which is all that matters but for the first byte at or past the
/// span's last (`last`), where it has passed the span.
pub(super) fn read_span(
    input: &[u8],
    span_offset: usize,
    span_len: usize,
    before: usize,
    after: usize,
) -> Option<Context> {
    debug_assert!(before <= 1);
    let last = (span_offset + span_len).saturating_sub(1);
    let mut line_count = 0usize;
    let mut start_line = 0usize;
    // The deque `before_lines_starts`: its front, which with at most one
    // element is its only one.
    let mut before_line_start: Option<usize> = None;
    let mut current_line_start = 0usize;
    let mut end_lines = 0usize;
    let mut post_span = false;
    let mut post_span_got_newline = false;
    let mut offset = 0usize;
    let end = loop {
        let next =
            memchr::memchr2(b'\r', b'\n', &input[offset..]).map_or(input.len(), |i| offset + i);
        // A run of other bytes, where only the first at or past `last`
        // counts: there the span is passed.
        let first_past = offset.max(last);
        if !post_span && first_past < next {
            post_span = true;
            if end_lines >= after {
                break first_past + 1;
            }
        }
        if next == input.len() {
            break next;
        }
        // A line break; for CRLF, `offset` is its LF, as in miette.
        offset = next;
        line_count += 1;
        if input[offset] == b'\r' && input.get(offset + 1) == Some(&b'\n') {
            offset += 1;
        }
        if offset < span_offset {
            // push_back, then pop_front when longer than `before`.
            if before == 0 || before_line_start.is_some() {
                start_line += 1;
            }
            if before > 0 {
                before_line_start = Some(current_line_start);
            }
        } else if offset >= span_offset + span_len.saturating_sub(1) && post_span {
            if post_span_got_newline {
                end_lines += 1;
            } else {
                post_span_got_newline = true;
            }
            if end_lines >= after {
                break offset + 1;
            }
        }
        current_line_start = offset + 1;
        if offset >= last {
            post_span = true;
            if end_lines >= after {
                break offset + 1;
            }
        }
        offset += 1;
    };
    if end < last {
        return None;
    }
    let start = before_line_start.unwrap_or(if before == 0 { span_offset } else { 0 });
    if start > end {
        return None;
    }
    Some(Context {
        start,
        end,
        line: start_line,
        line_count,
    })
}

/// A line of a snippet, as `get_lines` makes it: `length` counts its line
/// break, `text` does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Line<'t> {
    pub number: usize,
    pub offset: usize,
    pub length: usize,
    pub text: &'t str,
}

/// `get_lines` over what `read_span(span, 1, 1)` returned (`context`),
/// `first_line` being the line the excerpt starts at (which the excerpt adds
/// to miette's). `None` if the bytes are not whole characters (miette would
/// read them lossily).
///
/// Lines end at LF; a CR before it is the line break's, any other CR is
/// text. Each line's number is one more than the last, but for a last line
/// that ends in a CR (a quirk of miette's loop).
pub(super) fn lines<'t>(
    text: &'t str,
    context: &Context,
    first_line: usize,
) -> Option<Vec<Line<'t>>> {
    let data = text.get(context.start..context.end)?;
    let bytes = text.as_bytes();
    let mut number = context.line + first_line;
    let mut lines = Vec::with_capacity(3);
    let mut line_offset = context.start;
    for lf in memchr::memchr_iter(b'\n', data.as_bytes()).map(|i| context.start + i) {
        let text_end = if lf > line_offset && bytes[lf - 1] == b'\r' {
            lf - 1
        } else {
            lf
        };
        number += 1;
        lines.push(Line {
            number,
            offset: line_offset,
            length: lf + 1 - line_offset,
            text: &text[line_offset..text_end],
        });
        line_offset = lf + 1;
    }
    if line_offset < context.end {
        if !data.ends_with('\r') {
            number += 1;
        }
        lines.push(Line {
            number,
            offset: line_offset,
            length: context.end - line_offset,
            text: &text[line_offset..context.end],
        });
    }
    Some(lines)
}

/// `line_visual_char_width`: each character with its width in columns (tabs
/// to the next multiple of 4; nothing inside an ANSI escape `ESC … m`).
pub(super) fn char_widths(text: &str) -> impl Iterator<Item = (char, usize)> + '_ {
    let mut column = 0;
    let mut escaped = false;
    text.chars().map(move |c| {
        let width = match (escaped, c) {
            (false, '\t') => TAB_WIDTH - column % TAB_WIDTH,
            (false, '\x1b') => {
                escaped = true;
                0
            }
            (false, c) => width(c),
            (true, 'm') => {
                escaped = false;
                0
            }
            (true, _) => 0,
        };
        column += width;
        (c, width)
    })
}

/// How many columns `c` takes, as unicode-width 0.1 says, without its
/// tables for the characters a transcript is mostly made of: printable
/// ASCII, and CJK ideographs (East Asian Width "W" throughout the block).
fn width(c: char) -> usize {
    match c {
        ' '..='~' => 1,
        '\u{4e00}'..='\u{9fff}' => 2,
        _ => c.width().unwrap_or(0),
    }
}

/// `visual_offset`: the column of a byte offset of `line` (which it must be
/// in, line break included); past the text, one past its end.
pub(super) fn visual_offset(line: &Line, offset: usize, start: bool) -> usize {
    debug_assert!(offset >= line.offset && offset <= line.offset + line.length);
    let mut text_index = offset - line.offset;
    while text_index <= line.text.len() && !line.text.is_char_boundary(text_index) {
        if start {
            text_index -= 1;
        } else {
            text_index += 1;
        }
    }
    let text = &line.text[..text_index.min(line.text.len())];
    let text_width: usize = char_widths(text).map(|(_, width)| width).sum();
    if text_index > line.text.len() {
        text_width + 1
    } else {
        text_width
    }
}

/// Whether a span is within the line (`span_line_only`).
pub(super) fn line_only(line: &Line, offset: usize, len: usize) -> bool {
    offset >= line.offset && offset + len <= line.offset + line.length
}

/// Whether a span shows on the line (`span_applies`).
pub(super) fn applies(line: &Line, offset: usize, len: usize) -> bool {
    let spanlen = len.max(1);
    let end = line.offset + line.length;
    (offset >= line.offset && offset < end)
        || (offset < line.offset && offset + spanlen > end)
        || (offset + spanlen > line.offset && offset + spanlen <= end)
}

/// Whether a span shows in the line's gutter (`span_applies_gutter`): it
/// shows on the line but does not both start and end on it.
pub(super) fn applies_gutter(line: &Line, offset: usize, len: usize) -> bool {
    let spanlen = len.max(1);
    let end = line.offset + line.length;
    applies(line, offset, len)
        && !((offset >= line.offset && offset < end)
            && (offset + spanlen > line.offset && offset + spanlen <= end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::{SourceCode, SourceSpan};
    use proptest::prelude::*;

    const TEXTS: &[&str] = &[
        "",
        "a",
        "\n",
        "\r",
        "ab\ncd\nef\n",
        "ab\r\ncd\r\n\r\nef",
        "a\rb\r\rc\n\nd\r",
        "\r\r\n\n\r",
        "字\n\t×\n\n\nlast",
        "\n\nx\n\n",
    ];

    fn miettes(text: &str, offset: usize, len: usize, before: usize) -> Option<Context> {
        let span = SourceSpan::from((offset, len));
        let contents = text.read_span(&span, before, before).ok()?;
        Some(Context {
            start: contents.span().offset(),
            end: contents.span().offset() + contents.span().len(),
            line: contents.line(),
            line_count: contents.line_count(),
        })
    }

    /// Every span in the text (an excerpt's labels are in it), of every
    /// length up to one past its end, with 0 and 1 lines of context.
    fn assert_read_span_is_miettes(text: &str) {
        for offset in 0..=text.len() {
            for len in 0..=text.len() + 1 - offset {
                for before in [0, 1] {
                    let ours = read_span(text.as_bytes(), offset, len, before, before);
                    let theirs = miettes(text, offset, len, before);
                    assert_eq!(ours, theirs, "{text:?} at {offset}+{len}, context {before}");
                }
            }
        }
    }

    /// miette's `get_lines`, as it is written, from the data it reads.
    fn miettes_lines(text: &str, context: &Context) -> Vec<Line<'static>> {
        let data = &text[context.start..context.end];
        let (mut line, mut column) = (context.line, 0);
        let (mut offset, mut line_offset) = (context.start, context.start);
        let mut line_str = String::new();
        let mut lines = Vec::new();
        let mut iter = data.chars().peekable();
        while let Some(char) = iter.next() {
            offset += char.len_utf8();
            let mut at_end_of_file = false;
            match char {
                '\r' => {
                    if iter.next_if_eq(&'\n').is_some() {
                        offset += 1;
                        line += 1;
                        column = 0;
                    } else {
                        line_str.push(char);
                        column += 1;
                    }
                    at_end_of_file = iter.peek().is_none();
                }
                '\n' => {
                    at_end_of_file = iter.peek().is_none();
                    line += 1;
                    column = 0;
                }
                _ => {
                    line_str.push(char);
                    column += 1;
                }
            }
            if iter.peek().is_none() && !at_end_of_file {
                line += 1;
            }
            if column == 0 || iter.peek().is_none() {
                lines.push(Line {
                    number: line,
                    offset: line_offset,
                    length: offset - line_offset,
                    text: String::leak(std::mem::take(&mut line_str)),
                });
                line_offset = offset;
            }
        }
        lines
    }

    fn assert_lines_are_miettes(text: &str) {
        for offset in 0..=text.len() {
            for len in 0..=text.len() - offset {
                let Some(context) = read_span(text.as_bytes(), offset, len, 1, 1) else {
                    continue;
                };
                if let Some(ours) = lines(text, &context, 0) {
                    assert_eq!(
                        ours,
                        miettes_lines(text, &context),
                        "{text:?} at {offset}+{len}"
                    );
                }
            }
        }
    }

    #[test]
    fn read_span_and_lines_are_miettes() {
        for text in TEXTS {
            assert_read_span_is_miettes(text);
            assert_lines_are_miettes(text);
        }
    }

    proptest! {
        #[test]
        fn read_span_and_lines_are_miettes_on_random_text(
            text in "[a字\t\r\n]{0,24}"
        ) {
            assert_read_span_is_miettes(&text);
            assert_lines_are_miettes(&text);
        }
    }

    #[test]
    fn widths_without_the_tables_are_the_tables_widths() {
        for c in (' '..='~').chain('\u{4e00}'..='\u{9fff}') {
            assert_eq!(width(c), c.width().unwrap_or(0), "{c:?}");
        }
    }

    #[test]
    fn tabs_reach_the_next_stop_and_wide_characters_count_two() {
        let widths: Vec<usize> = char_widths("a\tb字\t\u{200b}x").map(|(_, w)| w).collect();
        assert_eq!(widths, [1, 3, 1, 2, 1, 0, 1]);
    }
}
