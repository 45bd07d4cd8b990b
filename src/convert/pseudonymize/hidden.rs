//! Names hidden from a plain search: written with HTML entities
//! (`&amp;#x5F20;`, `Tim&amp;amp;middot;Cook`, as the archive's over-escaped
//! texts write them) or with invisible characters inside (`Ali\u{200B}ce`).
//! The clean Markdown's fixes decode and remove those, and a reader's
//! browser shows them whole: the check reads a text as they would.

/// The invisible characters a name may hide behind (zero-width spaces and
/// joiners, marks, the word joiner, the BOM, the soft hyphen).
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}')
}

/// `text` with its entities decoded (every level of `&amp;amp;…`) and its
/// invisible characters removed; `None` when there is nothing of either.
pub fn revealed(text: &str) -> Option<String> {
    if !text.contains('&') && !text.chars().any(invisible) {
        return None;
    }
    let mut current: String = text.chars().filter(|&c| !invisible(c)).collect();
    // Each round decodes one level; the archive has up to four.
    for _ in 0..8 {
        let decoded = decode_once(&current);
        if decoded == current {
            break;
        }
        current = decoded.chars().filter(|&c| !invisible(c)).collect();
    }
    (current != text).then_some(current)
}

/// One level of entities: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`,
/// `&nbsp;`, `&middot;`, `&#NNN;` and `&#xHH;`.
fn decode_once(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&end| end <= 12);
        let decoded = end.and_then(|end| entity(&rest[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    let number = |digits: &str, radix| {
        u32::from_str_radix(digits, radix)
            .ok()
            .and_then(char::from_u32)
    };
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        "middot" => Some('·'),
        _ => match name.strip_prefix('#') {
            Some(hex) if hex.starts_with(['x', 'X']) => number(&hex[1..], 16),
            Some(decimal) => number(decimal, 10),
            None => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_of_every_level_and_invisible_characters_are_read_through() {
        assert_eq!(
            revealed("&amp;#x5F20;&amp;amp;#x4E09; Tim&amp;amp;middot;Cook Ali\u{200B}ce")
                .as_deref(),
            Some("张三 Tim·Cook Alice")
        );
        assert_eq!(revealed("a & b &unknown; c"), None);
        assert_eq!(revealed("plain"), None);
    }
}
