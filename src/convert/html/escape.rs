//! Escaping for HTML text and attribute values, and the URLs a page may
//! follow.
//!
//! Every character that could end a text or an attribute (`&`, `<`, `>`,
//! `"`, `'`) is written as a character reference, so that no text of a
//! transcript can open an element or an attribute; attribute values are
//! always double-quoted.

/// Appends `text`, escaped for element content and quoted attribute values.
/// A character that HTML does not allow in a document (control characters
/// other than tab, line feed, form feed and carriage return; U+007F to
/// U+009F; the noncharacters) is written as `\u{…}`, as the XML output
/// writes what XML 1.0 cannot hold, so that every page parses without an
/// error and the character is still seen.
pub fn push_escaped(out: &mut String, text: &str) {
    let mut from = 0;
    for (at, c) in text.char_indices() {
        let reference = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            c if not_in_html(c) => {
                out.push_str(&text[from..at]);
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
                from = at + c.len_utf8();
                continue;
            }
            _ => continue,
        };
        out.push_str(&text[from..at]);
        out.push_str(reference);
        from = at + 1;
    }
    out.push_str(&text[from..]);
}

/// The characters whose presence is a parse error in HTML.
fn not_in_html(c: char) -> bool {
    let code = u32::from(c);
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
        || (0x7F..=0x9F).contains(&code)
        || (0xFDD0..=0xFDEF).contains(&code)
        || code & 0xFFFE == 0xFFFE
}

/// `text`, escaped ([`push_escaped`]).
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Whether a page may link to (or load) `url`: `http:`, `https:` and
/// `mailto:` URLs, and relative ones (no scheme). The scheme is read by the
/// `url` crate, which parses as browsers do (the WHATWG URL standard):
/// leading spaces and control characters are skipped and tabs and line
/// breaks inside are ignored, so `java\tscript:` and ` JAVASCRIPT:` are the
/// `javascript:` they run as. A URL that does not parse, or that holds any
/// other control character, is not followed: the simpler promise.
pub fn is_safe_url(url: &str) -> bool {
    if url
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return false;
    }
    match url::Url::parse(url) {
        Ok(parsed) => matches!(parsed.scheme(), "http" | "https" | "mailto"),
        Err(url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_references() {
        assert_eq!(
            escaped(r#"<script>alert('x')</script> & "q""#),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escaped("熊哥，请转发[握手]"), "熊哥，请转发[握手]");
        assert_eq!(
            escaped("a\0b\u{1b}c\u{85}\u{FFFE}\td"),
            "a\\u{0}b\\u{1b}c\\u{85}\\u{fffe}\td"
        );
    }

    #[test]
    fn only_web_and_mail_schemes_are_followed() {
        for safe in [
            "https://example.com/a.png",
            "HTTP://example.com",
            "mailto:a@example.com",
            "images/a.png",
            "/a.png",
            "?q=1",
            "#m-3",
            "图片.png",
            "a.png?x=y:z",
        ] {
            assert!(is_safe_url(safe), "{safe}");
        }
        for unsafe_url in [
            "javascript:alert(1)",
            " JAVASCRIPT:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "java\u{1}script:alert(1)",
        ] {
            assert!(!is_safe_url(unsafe_url), "{unsafe_url:?}");
        }
    }
}
