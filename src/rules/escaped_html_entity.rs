use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Finds HTML entities escaped more than once: `&amp;gt;`, `&amp;amp;amp;`,
    /// `&amp;#183;`, `&amp;quot;`. An export step escaped `&` again and again,
    /// so the reader sees `&gt;` or `&amp;amp;` instead of `>` or `&`, and a
    /// link's query string (`…&amp;amp;amp;mid=…`) no longer works.
    ///
    /// A single `&amp;` is correct Markdown for `&` and is left alone, and so
    /// is text in code spans and fenced code, which may discuss entities on
    /// purpose.
    ///
    /// ## Why is this bad?
    /// Readers see entity names instead of the characters the writer typed,
    /// and links with over-escaped query strings are broken.
    ///
    /// ## Example
    /// ```markdown
    /// 重0搭建新的网关体系==&amp;gt;基于业务需要扩充支付渠道
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// 重0搭建新的网关体系==>基于业务需要扩充支付渠道
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix writes what the writer typed (`>`, `&`, `·`). Where the
    /// bare character would change the Markdown (`<` could open an HTML tag,
    /// `&` before a name and `;` would read as an entity, `>` at the start of
    /// a line opens a quote), it writes the entity escaped once (`&lt;`),
    /// which renders as that character. So it does where the bare character
    /// could not be seen in the source, or not told from another: a no-break
    /// or other special space, a zero-width or a control character
    /// (`&amp;#160;` becomes `&#160;`, never a raw U+00A0 that every diff
    /// shows as a plain space).
    pub struct EscapedHtmlEntity {
        code: "CL401",
        name: "escaped-html-entity",
        severity: Warning,
        fix: Always,
    }
}

impl Rule for EscapedHtmlEntity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        let text = context.text;
        // Built once: `str::find` would set up its searcher on every line.
        let amp = memchr::memmem::Finder::new("&amp;");
        // Most files have no `&amp;` at all. (Looked for in the part of the
        // file this model covers: see `Context::transcript`.)
        let covered = &text.as_bytes()[context.transcript.start..context.transcript.end];
        // Where each `&amp;` starts, in order; the lines are in order too,
        // so a line is searched only when one starts in it (a search per
        // line cost more than the rule's findings).
        let mut found = amp
            .find_iter(covered)
            .map(|at| context.transcript.start + at)
            .peekable();
        for line in context.transcript.body_lines().filter(|l| !l.in_code_fence) {
            // Those before this line are in none that is searched (a
            // header, a code fence).
            while found.next_if(|&at| at < line.span.start).is_some() {}
            let Some(&next) = found.peek() else {
                break;
            };
            if next >= line.span.end {
                continue;
            }
            let content = &text[line.span.clone()];
            let code_spans = crate::parser::code_spans(content);
            let mut search = 0;
            while let Some(found) = amp.find(&content.as_bytes()[search..]) {
                let start = search + found;
                search = start + 1;
                if code_spans.iter().any(|span| span.contains(&start)) {
                    continue;
                }
                let Some((len, decoded)) = over_escaped(&content[start..]) else {
                    continue;
                };
                search = start + len;
                let span = line.span.start + start..line.span.start + start + len;
                let written = &content[start..start + len];
                let replacement = match hidden_character(decoded) {
                    Some(_) => escaped_once(written),
                    None => markdown_safe(decoded, &content[..start], &content[start + len..]),
                };
                diagnostics.push(
                    Diagnostic::new(
                        &Self::META,
                        span.clone(),
                        format!(
                            "`{written}` is escaped more than once; it shows as `{}`",
                            once_less(written)
                        ),
                    )
                    .with_label(meant(decoded))
                    .with_help(format!("Write `{replacement}`"))
                    .with_fix(Some(Fix::safe(
                        format!("Replace with `{replacement}`"),
                        vec![Edit::replace(span, replacement)],
                    ))),
                );
            }
        }
    }
}

/// At a `&amp;`: the length of an over-escaped entity and the character it
/// stands for. `&amp;` alone is not over-escaped.
fn over_escaped(at: &str) -> Option<(usize, char)> {
    let mut rest = at.strip_prefix("&amp;")?;
    let mut len = "&amp;".len();
    let mut extra_amps = 0;
    while let Some(after) = rest.strip_prefix("amp;") {
        // `&amp;amp;` is `&` escaped twice; keep going for `&amp;amp;gt;`.
        rest = after;
        len += "amp;".len();
        extra_amps += 1;
    }
    if let Some((entity_len, decoded)) = entity(rest) {
        return Some((len + entity_len, decoded));
    }
    (extra_amps > 0).then_some((len, '&'))
}

/// A named or numeric entity at the start of `text` (without its `&`).
fn entity(text: &str) -> Option<(usize, char)> {
    let semicolon = text.find(';')?;
    let name = &text[..semicolon];
    if name.is_empty() || name.len() > 10 {
        return None;
    }
    let decoded = if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(code).filter(|c| *c != '\0')?
    } else {
        match name {
            "gt" => '>',
            "lt" => '<',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "middot" => '·',
            "hellip" => '…',
            "mdash" => '—',
            "ndash" => '–',
            "ldquo" => '“',
            "rdquo" => '”',
            "lsquo" => '‘',
            "rsquo" => '’',
            "times" => '×',
            "copy" => '©',
            "reg" => '®',
            _ => return None,
        }
    };
    Some((semicolon + 1, decoded))
}

/// The character, or its entity escaped once where the bare character would
/// change how the line renders.
fn markdown_safe(decoded: char, before: &str, after: &str) -> String {
    let needs_entity = match decoded {
        '<' => true,
        '&' => {
            // `&name;` or `&#123;` right after would read as an entity.
            let name_len = after.find(';').unwrap_or(usize::MAX);
            name_len <= 10
                && after[..name_len]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '#')
                && name_len > 0
        }
        // At the start of the line as it will be once other fixes ran:
        // `invisible-character` removes zero-width characters before it.
        '>' => before
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}')),
        _ => false,
    };
    if !needs_entity {
        return decoded.to_string();
    }
    match decoded {
        '<' => "&lt;".into(),
        '>' => "&gt;".into(),
        _ => "&amp;".into(),
    }
}

/// What the entity stands for, in words a reader can see: the character
/// itself, or the name of one that the source would not show.
fn meant(decoded: char) -> String {
    match hidden_character(decoded) {
        Some(name) => format!("meant {name} (U+{:04X})", u32::from(decoded)),
        None => format!("meant `{decoded}`"),
    }
}

/// `&amp;amp;#160;` → `&#160;`: the entity as written, with every extra
/// escaping of its `&` undone.
fn escaped_once(written: &str) -> String {
    let entity = written
        .strip_prefix("&amp;")
        .unwrap_or(written)
        .trim_start_matches("amp;");
    format!("&{entity}")
}

/// The name of a character that would be invisible in the source, or look
/// like another (a special space like a space): no-break and other special
/// spaces, zero-width and other format characters, control characters.
fn hidden_character(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{a0}' => "a no-break space",
        '\u{202f}' => "a narrow no-break space",
        '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{205f}' | '\u{3000}' => "a special space",
        '\u{ad}' => "a soft hyphen",
        '\u{200b}' => "a zero-width space",
        '\u{200c}' => "a zero-width non-joiner",
        '\u{200d}' => "a zero-width joiner",
        '\u{2060}' => "a word joiner",
        '\u{feff}' => "a zero-width no-break space",
        '\u{2028}' => "a line separator",
        '\u{2029}' => "a paragraph separator",
        '\u{34f}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2061}'..='\u{2064}'
        | '\u{2066}'..='\u{206f}'
        | '\u{fff9}'..='\u{fffb}' => "an invisible format character",
        c if c.is_control() => "a control character",
        _ => return None,
    })
}

/// What a reader sees: the text with one level of escaping undone.
fn once_less(written: &str) -> String {
    written.replacen("&amp;", "&", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_level() {
        assert_eq!(over_escaped("&amp;gt;x"), Some((8, '>')));
        assert_eq!(over_escaped("&amp;amp;amp;mid"), Some((13, '&')));
        assert_eq!(over_escaped("&amp;amp;gt;"), Some((12, '>')));
        assert_eq!(over_escaped("&amp;#183;"), Some((10, '·')));
        assert_eq!(over_escaped("&amp;#x4e2d;"), Some((12, '中')));
        assert_eq!(over_escaped("&amp; b"), None);
        assert_eq!(over_escaped("&amp;b=2"), None);
    }

    #[test]
    fn keeps_markdown_meaning() {
        assert_eq!(markdown_safe('<', "a", "div"), "&lt;");
        assert_eq!(markdown_safe('>', "==", "b"), ">");
        assert_eq!(markdown_safe('>', "  ", "b"), "&gt;");
        assert_eq!(markdown_safe('&', "a", "mid=2"), "&");
        assert_eq!(markdown_safe('&', "a", "gt;"), "&amp;");
    }

    #[test]
    fn hidden_characters_stay_entities() {
        assert_eq!(escaped_once("&amp;#160;"), "&#160;");
        assert_eq!(escaped_once("&amp;amp;amp;#xA0;"), "&#xA0;");
        assert_eq!(escaped_once("&amp;nbsp;"), "&nbsp;");
        for c in [
            '\u{a0}', '\u{3000}', '\u{200b}', '\u{feff}', '\t', '\n', '\u{85}',
        ] {
            assert!(hidden_character(c).is_some(), "{c:?}");
        }
        for c in ['·', '×', 'Ø', '>', '&', ' ', '中', '\u{fe0f}'] {
            assert!(hidden_character(c).is_none(), "{c:?}");
        }
        assert_eq!(meant('\u{a0}'), "meant a no-break space (U+00A0)");
        assert_eq!(meant('·'), "meant `·`");
    }
}
