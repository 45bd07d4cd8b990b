//! The characters XML 1.0 cannot hold, spelled out so that what chatlint
//! writes stays well-formed: the JUnit report (`--output-format junit`) and
//! `--to xml` both use it. It depends on nothing else of the crate.

/// Whether XML 1.0 allows a character: no control characters but tab, LF
/// and CR, and neither U+FFFE nor U+FFFF.
pub fn xml_allows(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

/// XML 1.0 allows no control characters but tab, LF and CR: others are
/// written as `\u{..}` so that the output stays well-formed.
pub fn xml_safe(text: &str) -> String {
    if text.chars().all(xml_allows) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if xml_allows(c) {
                c.to_string()
            } else {
                format!("\\u{{{:x}}}", c as u32)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_spelled_out() {
        assert_eq!(super::xml_safe("a\u{1}b\tc"), "a\\u{1}b\tc");
    }
}
