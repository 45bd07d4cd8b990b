//! Suppression comments (`<!-- chatlint-disable-next-line … -->`, see
//! [`crate::suppression`]) are lint machinery, not message text: a document
//! keeps them out of `text`, each with where it stood
//! ([`SuppressionDoc`]), and the Markdown writer puts them back there.
//!
//! What counts is what the suppressions read: a comment whose body starts
//! `chatlint-` and a known kind, on a line outside a code fence. A line that
//! holds nothing else is taken out of the text whole; a comment within a
//! line of text is taken out with the white space that parted it from the
//! text (before it, or after it at the line's start), so that the text
//! reads as it would without it. The blank lines left at either end of the
//! text are dropped, as the text's own are.

use std::borrow::Cow;

use super::text::canonical_line;
use super::SuppressionDoc;
use crate::model::BodyLine;
use crate::suppression::{comments_in_line, may_hold_directives};

/// A message's text and its suppression comments.
pub(super) struct Separated<'a> {
    pub text: Cow<'a, str>,
    pub suppressions: Vec<SuppressionDoc<'a>>,
    /// Where each line of `text` starts in the source.
    pub starts: Vec<usize>,
}

/// Whether a message's content lines may hold a suppression comment: false
/// means its text is its lines, as [`crate::model::Message::text`] joins them.
pub(super) fn may_hold(source: &str, lines: &[BodyLine]) -> bool {
    match (lines.first(), lines.last()) {
        (Some(first), Some(last)) => may_hold_directives(&source[first.span.start..last.span.end]),
        _ => false,
    }
}

/// How the lines of text left by [`separate`] are kept.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kept {
    /// As a message's text keeps them ([`canonical_line`]).
    Canonical,
    /// As written, as the preamble keeps them.
    AsWritten,
}

impl Kept {
    fn line(self, raw: &str, in_code_fence: bool) -> &str {
        match self {
            Kept::Canonical => canonical_line(raw, in_code_fence),
            Kept::AsWritten => raw,
        }
    }
}

/// Separates the suppression comments of a message's content `lines` (or
/// the preamble's; spans in `source`) from its text; `line_of` gives the
/// 1-based line of an offset in `source`.
pub(super) fn separate<'a>(
    source: &'a str,
    lines: &[BodyLine],
    kept_as: Kept,
    line_of: impl Fn(usize) -> usize,
) -> Separated<'a> {
    let mut kept: Vec<(Cow<'a, str>, usize)> = Vec::with_capacity(lines.len());
    let mut found: Vec<SuppressionDoc<'a>> = Vec::new();
    for body_line in lines {
        let raw = &source[body_line.span.clone()];
        let comments = if body_line.in_code_fence {
            Vec::new()
        } else {
            comments_in_line(raw)
        };
        let start = body_line.span.start;
        if comments.is_empty() {
            kept.push((
                Cow::Borrowed(kept_as.line(raw, body_line.in_code_fence)),
                start,
            ));
            continue;
        }
        let mut between = 0;
        let alone = comments.iter().all(|comment| {
            let blank = raw[between..comment.start].trim().is_empty();
            between = comment.end;
            blank
        }) && raw[between..].trim().is_empty();
        if alone {
            // A line of its own.
            found.push(SuppressionDoc {
                line: line_of(start),
                text_line: kept.len(),
                offset: None,
                comment: Cow::Borrowed(canonical_line(raw, false)),
            });
            continue;
        }
        let mut line = String::with_capacity(raw.len());
        let mut at = 0;
        for comment in &comments {
            let before = &raw[at..comment.start];
            let at_line_start = line.trim().is_empty() && before.trim().is_empty();
            let (cut_start, cut_end) = if at_line_start {
                let after = &raw[comment.end..];
                (
                    comment.start,
                    comment.end + after.len() - after.trim_start().len(),
                )
            } else {
                (at + before.trim_end().len(), comment.end)
            };
            line.push_str(&raw[at..cut_start]);
            found.push(SuppressionDoc {
                line: line_of(start),
                text_line: kept.len(),
                offset: Some(line.chars().count()),
                comment: Cow::Borrowed(&raw[cut_start..cut_end]),
            });
            at = cut_end;
        }
        line.push_str(&raw[at..]);
        let line = kept_as.line(&line, false).to_string();
        kept.push((Cow::Owned(line), start));
    }
    // The blank lines a comment left at either end go, as the text's own did.
    let blank = |(text, _): &(Cow<'a, str>, usize)| text.trim().is_empty();
    let leading = kept.iter().take_while(|line| blank(line)).count();
    kept.drain(..leading);
    let trailing = kept.iter().rev().take_while(|line| blank(line)).count();
    kept.truncate(kept.len() - trailing);
    for suppression in &mut found {
        suppression.text_line = suppression
            .text_line
            .saturating_sub(leading)
            .min(kept.len());
    }
    let starts = kept.iter().map(|(_, start)| *start).collect();
    let text = match kept.len() {
        0 => Cow::Borrowed(""),
        1 => kept.pop().map(|(text, _)| text).unwrap_or_default(),
        _ => Cow::Owned(
            kept.iter()
                .map(|(text, _)| text.as_ref())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    };
    Separated {
        text,
        suppressions: found,
        starts,
    }
}

/// The first line of a message text (0-based, with the comment) that holds
/// a suppression comment, outside code fences: a document keeps those in
/// `suppressions`.
pub fn comments_in_text(text: &str) -> Option<(usize, &str)> {
    if !may_hold_directives(text) {
        return None;
    }
    let mut fence = crate::parser::FenceState::default();
    text.split('\n').enumerate().find_map(|(k, line)| {
        let in_code_fence = fence.update(line);
        let comments = if in_code_fence {
            Vec::new()
        } else {
            comments_in_line(line)
        };
        comments.first().map(|comment| (k, &line[comment.clone()]))
    })
}

/// Line `k` of a message text (`line`) with the suppressions written within
/// it put back, and the comments on lines of their own that stand before
/// it. Those past the text's last line (`k` as large as `lines`) are the
/// ones after it.
pub fn lines_with_suppressions<'t>(
    suppressions: &'t [SuppressionDoc<'_>],
    k: usize,
    lines: usize,
    line: &'t str,
) -> (Vec<&'t str>, Cow<'t, str>) {
    let at = |s: &&SuppressionDoc<'_>| s.text_line == k || (k == lines && s.text_line > lines);
    let before: Vec<&str> = suppressions
        .iter()
        .filter(|s| s.offset.is_none() && at(s))
        .map(|s| s.comment.as_ref())
        .collect();
    let mut within = suppressions
        .iter()
        .filter(|s| s.offset.is_some() && s.text_line == k)
        .peekable();
    if within.peek().is_none() {
        return (before, Cow::Borrowed(line));
    }
    let mut written = line.to_string();
    // From the last: each offset counts the characters of the line as the
    // text holds it, and the comments before it come back later.
    let within: Vec<&SuppressionDoc<'_>> = within.collect();
    for suppression in within.iter().rev() {
        let chars = suppression.offset.unwrap_or_default();
        let byte = written
            .char_indices()
            .nth(chars)
            .map_or(written.len(), |(byte, _)| byte);
        written.insert_str(byte, &suppression.comment);
    }
    (before, Cow::Owned(written))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::document::body_lines;

    /// The text and the suppressions of a message with these body lines.
    fn separated(body: &str) -> (String, Vec<(usize, Option<usize>, String)>) {
        let text = format!("> 07:50:02  甲\n{body}");
        let transcript = crate::parser::parse(&text);
        let message = &transcript.messages[0];
        let separated = separate(&text, message.content_lines(), Kept::Canonical, |_| 1);
        let suppressions = separated
            .suppressions
            .iter()
            .map(|s| (s.text_line, s.offset, s.comment.to_string()))
            .collect();
        (separated.text.into_owned(), suppressions)
    }

    /// The lines Markdown writes for a text and its suppressions, without
    /// hard breaks.
    fn written(text: &str, suppressions: &[(usize, Option<usize>, String)]) -> Vec<String> {
        let docs: Vec<SuppressionDoc<'_>> = suppressions
            .iter()
            .map(|(text_line, offset, comment)| SuppressionDoc {
                line: 0,
                text_line: *text_line,
                offset: *offset,
                comment: Cow::Borrowed(comment),
            })
            .collect();
        let body = body_lines(text);
        let mut out = Vec::new();
        for k in 0..=body.len() {
            let line = body.get(k).map_or("", |(line, _)| line);
            let (before, line) = lines_with_suppressions(&docs, k, body.len(), line);
            out.extend(before.iter().map(|c| c.to_string()));
            if k < body.len() {
                out.push(line.into_owned());
            }
        }
        out
    }

    const DISABLE: &str = "<!-- chatlint-disable-next-line heading-missing-space -->";
    const LINE: &str = "<!-- chatlint-disable-line lost-character -->";

    #[test]
    fn comments_leave_the_text_and_come_back_where_they_stood() {
        /// A message's body lines, its text, and its suppressions.
        type Case<'c> = (&'c str, &'c str, &'c [(usize, Option<usize>, &'c str)]);
        let cases: &[Case<'_>] = &[
            // On a line of its own, before a line and after the text.
            (
                &format!("a  \n{DISABLE}\n##b  \n   \n{DISABLE}  \n"),
                "a\n##b",
                &[(1, None, DISABLE), (2, None, DISABLE)],
            ),
            // Within a line: with the space before it; at the start, after it.
            (
                &format!("more {LINE} text  \n{LINE}  x\n正文 {LINE}  \n"),
                "more text\nx\n正文",
                &[
                    (0, Some(4), &format!(" {LINE}")),
                    (1, Some(0), &format!("{LINE}  ")),
                    (2, Some(2), &format!(" {LINE}")),
                ],
            ),
            // Two in a line, side by side; and around other text.
            (
                &format!("a {LINE} {LINE} b {LINE} c\n"),
                "a b c",
                &[
                    (0, Some(1), &format!(" {LINE}")),
                    (0, Some(1), &format!(" {LINE}")),
                    (0, Some(3), &format!(" {LINE}")),
                ],
            ),
            // Blank lines it leaves at the ends go; inside, they stay.
            (
                &format!("{DISABLE}\n\na\n\n{DISABLE}\n\nb\n\n{DISABLE}\n"),
                "a\n\n\nb",
                &[(0, None, DISABLE), (2, None, DISABLE), (4, None, DISABLE)],
            ),
            // Only comments: an empty text.
            (&format!("   \n{DISABLE}\n"), "", &[(0, None, DISABLE)]),
        ];
        for (body, text, suppressions) in cases {
            let expected: Vec<(usize, Option<usize>, String)> = suppressions
                .iter()
                .map(|(k, offset, comment)| (*k, *offset, comment.to_string()))
                .collect();
            let (got_text, got) = separated(body);
            assert_eq!((got_text.as_str(), &got), (*text, &expected), "{body:?}");
            // Put back, every line that was not blank at an end is there, in order.
            let original: Vec<String> = body_lines(&body.replace("   \n", "\n"))
                .into_iter()
                .map(|(line, _)| line.to_string())
                .collect();
            let trimmed = crate::layout::trim_blank(&original, |l| l.trim().is_empty());
            let back = written(&got_text, &got);
            let back_trimmed = crate::layout::trim_blank(&back, |l| l.trim().is_empty());
            let non_blank = |lines: &[String]| -> Vec<String> {
                lines
                    .iter()
                    .filter(|l| !l.trim().is_empty())
                    .cloned()
                    .collect()
            };
            assert_eq!(non_blank(back_trimmed), non_blank(trimmed), "{body:?}");
        }
    }

    #[test]
    fn what_the_suppressions_do_not_read_stays_text() {
        for body in [
            "```\n<!-- chatlint-disable -->\n```\n",
            "<!-- chatlint-nonsense -->\n",
            "<!-- a note -->\n",
            "`<!-- chatlint-disable` unclosed\n",
        ] {
            let (text, suppressions) = separated(body);
            assert!(suppressions.is_empty(), "{body:?}: {suppressions:?}");
            assert_eq!(text, body.trim_end().replace("  \n", "\n"), "{body:?}");
        }
        assert_eq!(
            comments_in_text("a\n```\n<!-- chatlint-disable -->\n```"),
            None
        );
        assert_eq!(
            comments_in_text("a\nb <!-- chatlint-enable -->"),
            Some((1, "<!-- chatlint-enable -->"))
        );
    }
}
