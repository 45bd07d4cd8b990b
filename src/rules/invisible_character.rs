use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};
use crate::parser::{structural_line, StructuralLine};

declare_rule! {
    /// ## What it does
    /// Finds characters a reader cannot see but that change what the file
    /// means to tools:
    /// - a byte order mark (U+FEFF) at the start of the file, or anywhere else;
    /// - zero-width spaces (U+200B) and word joiners (U+2060);
    /// - no-break spaces (U+00A0) in message headers, where the time and the
    ///   speaker must be separated by ordinary spaces;
    /// - mixed line endings: lines ending in CRLF in a file of LF lines (or
    ///   the reverse), such as a stray carriage return inside a link, and
    ///   lone carriage returns (an old Mac line break) among other breaks.
    ///
    /// Zero-width joiners are left alone: emoji sequences need them.
    ///
    /// ## Why is this bad?
    /// The archive is UTF-8 without BOM, with LF line endings. A BOM or a
    /// zero-width space hides inside words and breaks search and comparison;
    /// a no-break space makes a header unreadable to tools; a lone CRLF
    /// splits a link in two for some renderers.
    ///
    /// ## Example
    /// ```markdown
    /// > 07:50:02 右军
    /// ```
    /// (with U+00A0 between the time and the speaker)
    ///
    /// ## Fix safety
    /// Safe: the BOM and zero-width characters are removed, a no-break space
    /// becomes a space, and a minority line ending becomes the file's usual
    /// one. A lone CR is a line break (as CommonMark reads it), so it is
    /// replaced by the usual break, never removed: the lines stay the lines.
    pub struct InvisibleCharacter {
        code: "CL403",
        name: "invisible-character",
        severity: Warning,
        fix: Always,
    }
}

impl Rule for InvisibleCharacter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        let text = context.text;
        // Only the part of the file this model covers (all of it, unless the
        // file is large and checked in parts).
        let range = context.transcript.start..context.transcript.end;
        let found = |span: std::ops::Range<usize>,
                     message: &str,
                     label: &str,
                     title: &str,
                     replacement: &str| {
            Diagnostic::new(&Self::META, span.clone(), message)
                .with_label(label)
                .with_fix(Some(Fix::safe(
                    title,
                    vec![Edit::replace(span, replacement)],
                )))
        };
        // Each character looked for is searched for as its UTF-8 bytes with a
        // SIMD substring search: CJK text is full of other 0xE2 and 0xEF bytes.
        let mut hits: Vec<(usize, char)> = ['\u{feff}', '\u{200b}', '\u{2060}']
            .into_iter()
            .flat_map(|c| {
                let mut utf8 = [0; 4];
                let needle = c.encode_utf8(&mut utf8).as_bytes().to_vec();
                let start = range.start;
                memchr::memmem::find_iter(&text.as_bytes()[range.clone()], &needle)
                    .map(move |at| (start + at, c))
                    .collect::<Vec<_>>()
            })
            .collect();
        hits.sort_unstable();
        let bytes = text.as_bytes();
        // The line of the last hit and what removing the invisible characters
        // would make of it (a message header or a day heading it was not):
        // worked out once a line (hits come in order), so a long line full
        // of them stays linear.
        let mut line: Option<(std::ops::Range<usize>, Option<StructuralLine>)> = None;
        for (offset, c) in hits {
            let becomes = match &line {
                Some((span, verdict)) if span.contains(&offset) => *verdict,
                _ => {
                    let searched_from = line.as_ref().map_or(0, |(span, _)| span.end);
                    let line_start = memchr::memrchr2(b'\n', b'\r', &bytes[searched_from..offset])
                        .map_or(searched_from, |i| searched_from + i + 1);
                    let line_end = crate::line_index::next_line_break(bytes, offset).0;
                    let original = &text[line_start..line_end];
                    let without: String = original
                        .chars()
                        .filter(|c| !matches!(c, '\u{feff}' | '\u{200b}' | '\u{2060}'))
                        .collect();
                    let verdict = structural_line(&without)
                        .filter(|&kind| structural_line(original) != Some(kind));
                    line = Some((line_start..line_end, verdict));
                    verdict
                }
            }
            .filter(|_| !(offset == 0 && c == '\u{feff}'));
            // Removing them would make a new message, or a day heading that
            // changes the date of the messages after it: the writer must say.
            if let Some(kind) = becomes {
                let (message, help, title) = match kind {
                    StructuralLine::MessageHeader => (
                        "before a line that reads as a message header",
                        "Removing it makes the line a new message: remove it by hand if the line is one",
                        "Remove it (a new message)",
                    ),
                    StructuralLine::DayHeading => (
                        "in a line that reads as a day heading without it",
                        "Removing it makes the line a day heading, which sets the date of the messages after it: remove it by hand if the line is one",
                        "Remove it (a new day)",
                    ),
                };
                diagnostics.push(
                    Diagnostic::new(
                        &Self::META,
                        offset..offset + c.len_utf8(),
                        format!("An invisible U+{:04X} {message}", c as u32),
                    )
                    .with_label("invisible character")
                    .with_help(help)
                    .with_fix(Some(Fix::new(
                        crate::diagnostic::Applicability::DisplayOnly,
                        title,
                        vec![Edit::replace(offset..offset + c.len_utf8(), "")],
                    ))),
                );
                continue;
            }
            let span = offset..offset + c.len_utf8();
            match c {
                '\u{feff}' if offset == 0 => diagnostics.push(
                    found(
                        span,
                        "The file starts with a byte order mark",
                        "BOM",
                        "Remove the BOM",
                        "",
                    )
                    .with_help("The archive is UTF-8 without BOM"),
                ),
                '\u{feff}' => diagnostics.push(found(
                    span,
                    "A byte order mark (U+FEFF) inside the text",
                    "invisible U+FEFF",
                    "Remove it",
                    "",
                )),
                '\u{200b}' => diagnostics.push(found(
                    span,
                    "A zero-width space (U+200B)",
                    "invisible U+200B",
                    "Remove it",
                    "",
                )),
                _ => diagnostics.push(found(
                    span,
                    "A word joiner (U+2060)",
                    "invisible U+2060",
                    "Remove it",
                    "",
                )),
            }
        }
        for message in &context.transcript.messages {
            let header = &text[message.header.span.clone()];
            // U+00A0 is C2 A0 in UTF-8, and C2 leads no CJK character: most
            // headers are passed over without being decoded.
            if memchr::memchr(0xC2, header.as_bytes()).is_none() {
                continue;
            }
            for (offset, c) in header.char_indices().filter(|(_, c)| *c == '\u{a0}') {
                let at = message.header.span.start + offset;
                diagnostics.push(
                    found(
                        at..at + c.len_utf8(),
                        "A no-break space (U+00A0) in a message header",
                        "no-break space",
                        "Replace it with a space",
                        " ",
                    )
                    .with_help("Headers separate the time and the speaker with ordinary spaces"),
                );
            }
        }
        if let Some(counts) = context.whole_file.line_breaks() {
            check_line_endings(text, range, counts, diagnostics);
        }
    }
}

/// The three line breaks CommonMark knows (the order of the counts in
/// [`count_line_breaks`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineBreak {
    Lf = 0,
    CrLf = 1,
    Cr = 2,
}

impl LineBreak {
    fn of(terminator: &[u8]) -> Self {
        match terminator {
            b"\r\n" => LineBreak::CrLf,
            b"\r" => LineBreak::Cr,
            _ => LineBreak::Lf,
        }
    }

    fn text(self) -> &'static str {
        match self {
            LineBreak::Lf => "\n",
            LineBreak::CrLf => "\r\n",
            LineBreak::Cr => "\r",
        }
    }

    fn name(self) -> &'static str {
        match self {
            LineBreak::Lf => "LF",
            LineBreak::CrLf => "CRLF",
            LineBreak::Cr => "CR",
        }
    }
}

/// How many LF, CRLF and lone CR line breaks `text` has (as CommonMark
/// ends lines); `None` when it has no carriage return at all, and so no
/// line endings to mix (most files).
pub(crate) fn count_line_breaks(text: &str) -> Option<[usize; 3]> {
    let bytes = text.as_bytes();
    memchr::memchr(b'\r', bytes)?;
    let mut counts = [0; 3];
    for_each_line_break(bytes, 0..bytes.len(), |_, kind| counts[kind as usize] += 1);
    Some(counts)
}

/// Calls `each` with the span and kind of every line break that starts in
/// `range` of `bytes`; `range` starts at a line start.
fn for_each_line_break(
    bytes: &[u8],
    range: std::ops::Range<usize>,
    mut each: impl FnMut(std::ops::Range<usize>, LineBreak),
) {
    let mut at = range.start;
    while at < range.end {
        let (end, next) = crate::line_index::next_line_break(bytes, at);
        // A part ends where a line starts, and the text's end is no break.
        if end >= range.end {
            break;
        }
        each(end..next, LineBreak::of(&bytes[end..next]));
        at = next;
    }
}

/// The usual break: the most frequent, LF before CRLF before CR on a tie.
fn usual_break(counts: [usize; 3]) -> LineBreak {
    [LineBreak::Lf, LineBreak::CrLf, LineBreak::Cr]
        .into_iter()
        .rev()
        .max_by_key(|&kind| counts[kind as usize])
        .unwrap_or(LineBreak::Lf)
}

/// The line break a line added to `text` takes so that this rule finds
/// nothing in it: the file's usual one (LF in a text without any).
pub(crate) fn usual_line_break(text: &str) -> &'static str {
    // Without a carriage return every break is an LF.
    count_line_breaks(text).map_or("\n", |counts| usual_break(counts).text())
}

/// Line breaks of a kind other than the file's usual one, in `range` of
/// the text; `counts` are the file's (see [`count_line_breaks`]). A lone
/// CR ends a line (CommonMark says so), so it is never removed: like a
/// minority CRLF or LF it becomes the file's usual break, and the lines
/// stay the lines.
fn check_line_endings(
    text: &str,
    range: std::ops::Range<usize>,
    counts: [usize; 3],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let bytes = text.as_bytes();
    let usual = usual_break(counts);
    let mut breaks = Vec::new();
    for_each_line_break(bytes, range, |span, kind| {
        if kind != usual {
            breaks.push((span, kind));
        }
    });
    for (span, kind) in breaks {
        let (label, title) = match (kind, usual) {
            (LineBreak::CrLf, LineBreak::Lf) => {
                ("stray carriage return", "Remove the carriage return")
            }
            (LineBreak::Lf, LineBreak::CrLf) => ("no carriage return", "Add a carriage return"),
            (LineBreak::Cr, _) => ("lone carriage return", "Use the file's line break"),
            _ => ("other line break", "Use the file's line break"),
        };
        diagnostics.push(
            Diagnostic::new(
                &InvisibleCharacter::META,
                span.clone(),
                format!(
                    "A {} line ending in a file of {} lines",
                    kind.name(),
                    usual.name()
                ),
            )
            .with_label(label)
            .with_help(format!(
                "Use the file's line ending, {}; a lone CR is a line break that some tools do not show",
                usual.name()
            ))
            .with_fix(Some(Fix::safe(
                title,
                vec![Edit::replace(span, usual.text())],
            ))),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::{check_text, fix_text, registry, Applicability};

    #[test]
    fn crlf_inside_an_lf_file_is_fixed_to_lf() {
        // As in the archive's later files: a link's text broken by a CRLF.
        let text = "> 07:50:02  右军  \n   \n[收单系统的设计\r\n](https://mp.weixin.qq.com/s/abc)  \n   \n";
        let rules = [registry::find("invisible-character").unwrap()];
        let findings = check_text(text, &rules);
        assert_eq!(findings.len(), 1);
        assert_eq!(&text[findings[0].span.clone()], "\r\n");
        let fixed = fix_text("t", text, &rules, Applicability::Safe).unwrap();
        assert_eq!(fixed.text, text.replace("\r\n", "\n"));
    }

    #[test]
    fn lone_carriage_returns_are_line_breaks_and_stay_lines() {
        let rules = [registry::find("invisible-character").unwrap()];
        // A file of lone CRs only: nothing is mixed, nothing changes.
        let text = "> 08:00:00  alice\r   \rhello\r";
        assert!(check_text(text, &rules).is_empty());
        let fixed = fix_text("t", text, &rules, Applicability::Safe).unwrap();
        assert_eq!(fixed.text, text);
        // A lone CR in an LF file becomes an LF: the same lines.
        let text = "> 08:00:00  alice\n   \nhello\rworld\n";
        let fixed = fix_text("t", text, &rules, Applicability::Safe).unwrap();
        assert_eq!(fixed.text, "> 08:00:00  alice\n   \nhello\nworld\n");
        // And in a CRLF file, a CRLF.
        let text = "a\r\nb\rc\r\n";
        let fixed = fix_text("t", text, &rules, Applicability::Safe).unwrap();
        assert_eq!(fixed.text, "a\r\nb\r\nc\r\n");
    }

    #[test]
    fn an_invisible_character_before_a_header_is_not_removed_safely() {
        let rules = [registry::find("invisible-character").unwrap()];
        for text in [
            "> 07:50:02  右军\n   \n\u{200b}> 07:51:00  钟\n",
            "> 07:50:02  右军\n   \n\u{feff}\u{200b}>0http://\n",
            "> 07:50:02  右军\n   \n>\u{feff}07:50:02\n",
            // A day heading changes the date of every message after it.
            "> 07:50:02  右军\n   \n\u{200b}## 2017-05-06\n> 08:00:00  钟\n",
            "> 07:50:02  右军\n   \n## 2017-05\u{2060}-06\n> 08:00:00  钟\n",
        ] {
            let findings = check_text(text, &rules);
            assert!(!findings.is_empty(), "{text:?}");
            let fixed = fix_text("t", text, &rules, Applicability::Unsafe).unwrap();
            assert_eq!(fixed.text, text, "{text:?}");
            assert!(fixed.rejected.is_empty());
        }
        // Inside a line it is removed as ever.
        let text = "> 07:50:02  右军\n   \na\u{200b}> 07:51:00  钟\n";
        let fixed = fix_text("t", text, &rules, Applicability::Safe).unwrap();
        assert_eq!(fixed.text, "> 07:50:02  右军\n   \na> 07:51:00  钟\n");
    }

    #[test]
    fn lf_inside_a_crlf_file_gets_its_cr() {
        let text = "a\r\nb\r\nc\nd\r\n";
        let rules = [registry::find("invisible-character").unwrap()];
        let fixed = fix_text("t", text, &rules, Applicability::Safe).unwrap();
        assert_eq!(fixed.text, "a\r\nb\r\nc\r\nd\r\n");
    }
}
