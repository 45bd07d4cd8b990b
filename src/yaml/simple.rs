//! Documents that are certainly valid YAML, told without the YAML parser.
//!
//! Nearly every front matter is a handful of one-line `key: value` entries
//! (`layout: source`, `title: "2018-01-26-WeChat"`, `tag: [chat]`). Parsing
//! each with serde_yaml only to learn that it parses was 5 % of a check of
//! the archive. [`certainly_valid`] says yes only for a narrow shape that
//! any YAML reader reads into [`super::Value`]; anything else, valid or
//! not, goes to the parser, which alone words the errors.

use std::collections::HashSet;

/// Whether `yaml` is a block mapping of distinct keys, one entry a line,
/// each `key:`, spaces or tabs, and a value that is a double-quoted string
/// without escapes, a flow sequence of words, or a plain scalar that is
/// text (not a number too large for a [`super::Value`]), with no comment,
/// no carriage return and nothing a YAML reader takes for a line break.
pub(super) fn certainly_valid(yaml: &str) -> bool {
    // The front matter's last line break ends the text: its "line" is empty.
    let Some(body) = yaml.strip_suffix('\n') else {
        return false;
    };
    if body.contains('\r') {
        return false;
    }
    // A set, not a list: a hostile front matter of 100,000 keys must not
    // take 100,000² comparisons before the parser would have read it.
    let mut keys: HashSet<&str> = HashSet::new();
    for line in body.split('\n') {
        let Some((key, value)) = entry(line) else {
            return false;
        };
        if !keys.insert(key) {
            return false;
        }
        if !(quoted(value) || flow_words(value) || plain_text(value)) {
            return false;
        }
    }
    !keys.is_empty()
}

/// The key and the value (trimmed) of `key: value`, for a key of ASCII
/// letters, digits, `-` and `_` that starts with a letter, and a value
/// that is not empty.
fn entry(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let (key, rest) = (&line[..colon], &line[colon + 1..]);
    let key_ok = key.as_bytes().first()?.is_ascii_alphabetic()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let separated = rest.starts_with([' ', '\t']);
    let value = rest.trim_matches([' ', '\t']);
    (key_ok && separated && !value.is_empty()).then_some((key, value))
}

/// `"…"` with no `"` or `\` inside.
fn quoted(value: &str) -> bool {
    value.len() >= 2
        && value.starts_with('"')
        && value.ends_with('"')
        && value[1..value.len() - 1]
            .chars()
            .all(|c| c != '"' && c != '\\' && printable(c))
}

/// `[word, word]`: words of ASCII letters, digits, `-` and `_` that start
/// with a letter, separated by commas and spaces.
fn flow_words(value: &str) -> bool {
    let Some(inside) = value
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
    else {
        return false;
    };
    inside.split(',').all(|item| {
        let word = item.trim_matches(' ');
        word.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && word
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// A plain scalar that starts with a letter, a digit or a non-ASCII
/// character, holds no tab, no `: ` or `#` after a space (a mapping, a
/// comment), does not end with `:`, and reads as text or as a number that
/// fits in 64 bits: digits only up to 18 of them, or a space or `:` (a date
/// and time) in what starts with a digit.
fn plain_text(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    let starts_ok = first.is_ascii_alphanumeric() || (!first.is_ascii() && printable(first));
    let fits = !first.is_ascii_digit()
        || (value.bytes().all(|b| b.is_ascii_digit()) && value.len() <= 18)
        || value.contains([' ', ':']);
    starts_ok
        && fits
        && !value.ends_with(':')
        && !value
            .as_bytes()
            .windows(2)
            .any(|pair| pair == b": " || pair == b" #")
        && value.chars().all(|c| c != '\t' && printable(c))
}

/// A character YAML allows in a scalar that is not a line break: printable
/// ASCII, or any character from U+00A0 on but the line and paragraph
/// separators, the byte order mark and the two non-characters U+FFFE and
/// U+FFFF. (C0 and C1 controls, U+0085 among them, are left out.)
fn printable(c: char) -> bool {
    matches!(c, ' '..='~')
        || (c >= '\u{a0}'
            && !matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            ))
}

#[cfg(test)]
mod tests {
    use proptest::strategy::Strategy;

    use super::*;

    fn parses(yaml: &str) -> bool {
        serde_yaml::from_str::<super::super::Value>(yaml).is_ok()
    }

    #[test]
    fn the_archives_shape_is_certainly_valid() {
        let yaml = "layout:     source \ntitle:      \"2018-01-26-WeChat\"\ndate:       2018-01-26 12:00:00\nauthor:     田浩沛\nlines:      93 \ntag:\t\t  [chat]\nheader-img: \"img/post-bg-wechat.jpg\"\n";
        assert!(certainly_valid(yaml));
        assert!(parses(yaml));
    }

    #[test]
    fn anything_else_is_left_to_the_parser() {
        for yaml in [
            "",
            "\n",
            "a: b",
            "a: b\r\n",
            "a: b\n\n",
            "# comment\na: b\n",
            "a: b # comment\n",
            "a:b\n",
            "a:\n",
            " a: b\n",
            "a: b\na: c\n",
            "a: b: c\n",
            "a: [b, 1]\n",
            "a: []\n",
            "a: \"b\\\"\"\n",
            "a: 99999999999999999999\n",
            "a: 0x1F\n",
            "a: -1\n",
            "a: &x b\n",
            "a: b\tc\n",
            "a: b\u{2028}c\n",
            "a: b\u{85}c\n",
            "a: \u{feff}\n",
            "a: 'b'\n",
        ] {
            assert!(!certainly_valid(yaml), "{yaml:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Whatever it says yes to, serde_yaml reads into a value too.
        #[test]
        fn what_is_certainly_valid_parses(
            lines in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["a", "title", "x-y", "k_1", "date", "a b", "1a", "-"]),
                    proptest::sample::select(vec![": ", ":\t", ":  \t ", ":", " : "]),
                    proptest::prop_oneof![
                        proptest::collection::vec(
                            proptest::sample::select(vec![
                                "a", "Z", "0", "9", " ", ":", "-", "#", "\"", "'", "[", "]", ",", "{",
                                "}", "&", "*", "!", "|", ">", "%", "@", "`", "?", "\\", "\t", "~", ".",
                                "e", "x", "田", "\u{a0}", "\u{3000}", "\u{85}", "\u{2028}", "\u{feff}",
                                "\u{7f}", "\u{1}", "1e999", "null", "true",
                            ]),
                            0..8,
                        )
                        .prop_map(|pieces| pieces.concat()),
                        // Numbers around the 64-bit limits.
                        "[0-9]{17,21}|-[0-9]{17,21}|0x[0-9A-F]{15,18}|[0-9]{1,3}[.:][0-9]{1,3}",
                    ],
                ),
                1..5,
            ),
        ) {
            let yaml: String = lines
                .iter()
                .map(|(key, colon, value)| format!("{key}{colon}{value}\n"))
                .collect();
            if certainly_valid(&yaml) {
                proptest::prop_assert!(parses(&yaml), "{:?}", yaml);
            }
        }
    }
}
