//! The archive's canonical layout, in one place: how a header, a message's
//! lines and the separators between them are written. `header-layout`
//! checks a transcript against it; `convert --to md` writes it; the model
//! and the converters read a message's text by it.
//!
//! ```text
//! > 07:50:02  右军␠␠        header: `> `, [date ␠] time, two spaces, speaker, a hard break
//! ␠␠␠                      separator: three spaces
//! 熊哥，请转发[握手]␠␠      body line: a hard break at its end (none in a code fence)
//! ␠␠␠                      separator
//! ```

/// What follows the `>` of a header.
pub const AFTER_QUOTE: &str = " ";
/// Between a header's time and its speaker.
pub const SPEAKER_GAP: &str = "  ";
/// The end of a header or body line: a Markdown hard break.
pub const HARD_BREAK: &str = "  ";
/// A separator line: after a header, after a message, around a day heading.
pub const SEPARATOR: &str = "   ";

/// A header line, without its line break: `> [DATE ]TIME  SPEAKER  `.
pub fn push_header(out: &mut String, date: Option<&str>, time: &str, speaker: &str) {
    out.push('>');
    out.push_str(AFTER_QUOTE);
    if let Some(date) = date {
        out.push_str(date);
        out.push(' ');
    }
    out.push_str(time);
    out.push_str(SPEAKER_GAP);
    out.push_str(speaker);
    out.push_str(HARD_BREAK);
}

/// What ends a body line: the hard break, except in a code fence, where
/// every character is content and none is added.
pub fn body_line_end(in_code_fence: bool) -> &'static str {
    if in_code_fence {
        ""
    } else {
        HARD_BREAK
    }
}

/// A body line as a message's text holds it: without its hard-break spaces,
/// except in a code fence, where every character is content.
pub fn canonical_line(line: &str, in_code_fence: bool) -> &str {
    if in_code_fence {
        line
    } else {
        line.trim_end_matches([' ', '\t'])
    }
}

/// `items` less the blank ones at either end: a message's text, a preamble,
/// begin and end with their first and last lines that hold something.
pub fn trim_blank<T>(items: &[T], is_blank: impl Fn(&T) -> bool) -> &[T] {
    &items[unblank_range(items, is_blank)]
}

/// Where [`trim_blank`]'s result lies in `items` (empty when all are blank).
pub fn unblank_range<T>(items: &[T], is_blank: impl Fn(&T) -> bool) -> std::ops::Range<usize> {
    let first = items.iter().position(|item| !is_blank(item));
    let last = items.iter().rposition(|item| !is_blank(item));
    match (first, last) {
        (Some(first), Some(last)) => first..last + 1,
        _ => 0..0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_is_written_in_the_archive_s_form() {
        let mut out = String::new();
        push_header(&mut out, None, "07:50:02", "右军");
        assert_eq!(out, "> 07:50:02  右军  ");
        out.clear();
        push_header(&mut out, Some("2017-08-25"), "07:50:02", "右军");
        assert_eq!(out, "> 2017-08-25 07:50:02  右军  ");
    }

    #[test]
    fn blank_ends_are_trimmed_and_only_they() {
        let blank = |s: &&str| s.trim().is_empty();
        assert_eq!(
            trim_blank(&["", " ", "a", "", "b", "\t"], blank),
            ["a", "", "b"]
        );
        assert!(trim_blank(&["", "  "], blank).is_empty());
        assert!(trim_blank::<&str>(&[], blank).is_empty());
    }

    #[test]
    fn code_fence_lines_keep_their_spaces() {
        assert_eq!(canonical_line("a  \t", false), "a");
        assert_eq!(canonical_line("a  \t", true), "a  \t");
        assert_eq!(body_line_end(true), "");
        assert_eq!(body_line_end(false), HARD_BREAK);
    }
}
