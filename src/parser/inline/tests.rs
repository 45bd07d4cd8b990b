use super::brackets::{
    closing_bracket, scan_parenthesised, Pairs, MAX_DESTINATION_BYTES, MAX_LABEL_BYTES,
};
use super::openers::{next_opener, MAY_OPEN_INLINE};
use crate::model::Width;

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
