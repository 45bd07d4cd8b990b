//! Message headers (`> HH:MM:SS  speaker`) and day headings (`## YYYY-MM-DD`).

use crate::model::{Date, Header, Span, Time};

/// Reads a line as a message header, if it is one.
///
/// A line is a header when it starts with `>` and its first word looks like a
/// time: it starts with a digit and has a colon (ASCII or full-width), or it is
/// three groups of digits separated by dots. That is lenient on purpose:
/// `> 7:50:02  右军` and `> 07：50：02  右军` are headers with a malformed
/// time, which a rule reports, not body text.
pub fn parse_header(text: &str, line: Span) -> Option<Header> {
    let content = &text[line.clone()];
    let after_quote = content.strip_prefix('>')?;
    let mut cursor = line.start + 1 + leading_whitespace(after_quote);

    let mut date = None;
    let (first_word, first_end) = word_at(text, cursor, line.end);
    let (mut time_word, mut time_end) = (first_word, first_end);
    if is_date_shape(first_word) {
        let second_start = skip_whitespace(text, first_end, line.end);
        let (second_word, second_end) = word_at(text, second_start, line.end);
        if time_candidate(second_word) {
            date = Some((cursor..first_end, parse_date(first_word)));
            cursor = second_start;
            (time_word, time_end) = (second_word, second_end);
        }
    }

    if !time_candidate(time_word) {
        return None;
    }
    let speaker_start = skip_whitespace(text, time_end, line.end);
    let speaker_end = speaker_start + trim_end_len(&text[speaker_start..line.end]);
    Some(Header {
        span: line,
        date,
        time_span: cursor..time_end,
        time: parse_strict_time(time_word),
        speaker_span: speaker_start..speaker_end,
    })
}

/// Whether a word could be meant as a header time.
pub fn time_candidate(word: &str) -> bool {
    let starts_with_digit = word.chars().next().is_some_and(is_any_digit);
    if !starts_with_digit {
        return false;
    }
    if word.bytes().any(|b| b == b':') || word.contains('：') {
        return true;
    }
    let groups: Vec<&str> = word.split(['.', '．']).collect();
    groups.len() == 3
        && groups
            .iter()
            .all(|g| !g.is_empty() && g.chars().all(is_any_digit))
}

/// ASCII or full-width digit.
pub(crate) fn is_any_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// `HH:MM:SS`, two ASCII digits each, in range.
pub(crate) fn parse_strict_time(word: &str) -> Option<Time> {
    let bytes = word.as_bytes();
    if bytes.len() != 8 || bytes[2] != b':' || bytes[5] != b':' {
        return None;
    }
    let field = |i: usize| -> Option<u8> {
        let (a, b) = (bytes[i], bytes[i + 1]);
        (a.is_ascii_digit() && b.is_ascii_digit()).then(|| (a - b'0') * 10 + (b - b'0'))
    };
    let time = Time {
        hour: field(0)?,
        minute: field(3)?,
        second: field(6)?,
    };
    time.is_valid().then_some(time)
}

/// `YYYY-M-D` with one or two digits for month and day;
/// `YYYY/M/D` is read as a date too, so that `malformed-timestamp` can say so.
pub(crate) fn is_date_shape(word: &str) -> bool {
    // Cheap necessary conditions first: every header's time word comes here.
    let bytes = word.as_bytes();
    if !(8..=10).contains(&bytes.len()) || !matches!(bytes[4], b'-' | b'/') {
        return false;
    }
    let separator = char::from(bytes[4]);
    let mut parts = word.split(separator);
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let digits = |s: &str, range: std::ops::RangeInclusive<usize>| {
        range.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2)
}

/// The date of a file's messages before any day heading: its front
/// matter's `date` as written (`front_matter_date`, quotes aside), else the
/// date its file name starts with (`2017-08-25-chat.md`). `check` and
/// `convert` date messages by it alike.
pub fn file_date(front_matter_date: Option<&str>, path: Option<&std::path::Path>) -> Option<Date> {
    let leading_date = |text: &str| text.get(..10).and_then(parse_date);
    front_matter_date
        .and_then(|raw| leading_date(raw.trim_matches(['"', '\''])))
        .or_else(|| {
            path.and_then(|path| path.file_name())
                .and_then(|name| name.to_str())
                .and_then(leading_date)
        })
}

/// A date in `YYYY-MM-DD` form (two-digit fields) that exists in the calendar.
pub(crate) fn parse_date(word: &str) -> Option<Date> {
    let bytes = word.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let date = Date {
        year: word[0..4].parse().ok()?,
        month: word[5..7].parse().ok()?,
        day: word[8..10].parse().ok()?,
    };
    date.is_valid().then_some(date)
}

/// `## 2017-05-05` (any heading level, trailing spaces allowed).
pub(crate) fn parse_day_heading(content: &str) -> Option<Date> {
    let hashes = content.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &content[hashes..];
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    parse_date(rest.trim())
}

/// `char::is_whitespace` for an ASCII byte.
pub(crate) fn is_ascii_whitespace_char(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// The byte length of `s.trim_start()`'s cut, with a fast path for ASCII.
fn leading_whitespace(s: &str) -> usize {
    let ascii = s
        .bytes()
        .position(|b| !is_ascii_whitespace_char(b))
        .unwrap_or(s.len());
    if s.as_bytes().get(ascii).is_some_and(|&b| b >= 0x80) {
        // Unicode white space (U+3000, U+00A0, …) may go on.
        let rest = &s[ascii..];
        ascii + (rest.len() - rest.trim_start().len())
    } else {
        ascii
    }
}

/// The byte length of `s.trim_end()`, with a fast path for ASCII.
pub(crate) fn trim_end_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut end = bytes.len();
    while end > 0 && is_ascii_whitespace_char(bytes[end - 1]) {
        end -= 1;
    }
    if end > 0 && bytes[end - 1] >= 0x80 {
        s[..end].trim_end().len()
    } else {
        end
    }
}

fn skip_whitespace(text: &str, at: usize, end: usize) -> usize {
    at + leading_whitespace(&text[at..end])
}

/// The run of non-whitespace starting at `at`, and where it ends.
fn word_at(text: &str, at: usize, end: usize) -> (&str, usize) {
    let rest = &text[at..end];
    let len = whitespace_position(rest).unwrap_or(rest.len());
    (&rest[..len], at + len)
}

/// `s.find(char::is_whitespace)`, decoding only the non-ASCII characters.
fn whitespace_position(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if is_ascii_whitespace_char(b) {
                return Some(i);
            }
            i += 1;
        } else {
            let c = s[i..].chars().next()?;
            if c.is_whitespace() {
                return Some(i);
            }
            i += c.len_utf8();
        }
    }
    None
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    /// Strings that take each branch of the ASCII fast paths and their
    /// Unicode fallbacks (U+3000, U+00A0, U+0085, U+2028, U+000B, U+001F).
    const SAMPLES: &[&str] = &[
        "",
        " ",
        "  x  ",
        "\t\r\n\u{b}\u{c}x",
        "\u{1f}x",
        "x\u{1f}",
        "\u{3000}x\u{3000}",
        " \u{3000} x",
        "x \u{a0}",
        "x\u{85}",
        "\u{2028}",
        "07:50:02  右军  ",
        "右军\u{3000} ",
        "é x",
        "x é",
        "\u{feff}x",
    ];

    #[test]
    fn whitespace_helpers_agree_with_std() {
        for s in SAMPLES {
            assert_eq!(
                leading_whitespace(s),
                s.len() - s.trim_start().len(),
                "{s:?}"
            );
            assert_eq!(trim_end_len(s), s.trim_end().len(), "{s:?}");
            assert_eq!(whitespace_position(s), s.find(char::is_whitespace), "{s:?}");
        }
        for b in 0..0x80u8 {
            assert_eq!(
                is_ascii_whitespace_char(b),
                char::from(b).is_whitespace(),
                "{b:#x}"
            );
        }
    }

    #[test]
    fn unicode_white_space_still_separates_a_header() {
        let text = ">\u{3000}2017-08-25\u{3000}07:50:02\u{3000}右军\u{3000}";
        let header = parse_header(text, 0..text.len()).unwrap();
        assert_eq!(&text[header.time_span.clone()], "07:50:02");
        assert_eq!(&text[header.speaker_span.clone()], "右军");
        assert!(header.date.is_some());
    }
}
