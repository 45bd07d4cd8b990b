//! The first check of `--from json`: every field of a document alone, with
//! the parser's own tests.

use super::error::{in_message, outside, quoted, JsonError};
use crate::convert::document::{
    comments_in_text, DayHeadingDoc, Document, MessageDoc, SuppressionDoc,
};
use crate::convert::markdown::header_line;
use crate::line_index::lines_of;
use crate::parser::{self, StructuralLine};
use crate::suppression::comments_in_line;

fn has_line_break(value: &str) -> bool {
    value.contains(['\n', '\r'])
}

/// What a line would read as in a transcript's body, if it shapes one.
fn structural(line: &str) -> Option<&'static str> {
    match parser::structural_line(line)? {
        StructuralLine::MessageHeader => Some("a message header"),
        StructuralLine::DayHeading => Some("a day heading"),
    }
}

/// Checks each field of a document on its own.
pub fn validate(document: &Document<'_>) -> Result<(), JsonError> {
    if let Some(front_matter) = &document.front_matter {
        for (k, line) in lines_of(&front_matter.raw).enumerate() {
            let line_break = line.trim_end();
            if line_break == "---" || line_break == "..." {
                return Err(outside(
                    "front_matter.raw",
                    format!(
                        "line {} {} would close the front matter",
                        k + 1,
                        quoted(line)
                    ),
                ));
            }
            if parser::structural_line(line) == Some(StructuralLine::MessageHeader) {
                return Err(outside(
                    "front_matter.raw",
                    format!(
                        "line {} {} would read as a message header and end the front matter",
                        k + 1,
                        quoted(line)
                    ),
                ));
            }
        }
        let first_headings = document
            .messages
            .iter()
            .next()
            .map_or(!document.trailing_day_headings.is_empty(), |first| {
                !first.day_headings.is_empty()
            });
        let preamble = document
            .preamble
            .as_deref()
            .is_some_and(|p| !p.trim().is_empty());
        if !front_matter.closed && (preamble || first_headings) {
            return Err(outside(
                "front_matter.closed",
                "an unclosed front matter runs on to the first message header: \
                 the preamble or day heading after it would read as YAML",
            ));
        }
    }
    if let Some(preamble) = &document.preamble {
        for (k, line) in lines_of(preamble).enumerate() {
            if let Some(what) = structural(line) {
                return Err(outside(
                    "preamble",
                    format!("line {} {} would read as {what}", k + 1, quoted(line)),
                ));
            }
        }
        if let Some((k, comment)) = comments_in_text(preamble) {
            return Err(outside(
                "preamble",
                format!(
                    "line {} holds the suppression comment {}: a document keeps those in \
                     `preamble_suppressions`",
                    k + 1,
                    quoted(comment)
                ),
            ));
        }
    }
    let preamble = document.preamble.as_deref().unwrap_or_default();
    validate_suppressions(&document.preamble_suppressions, preamble)
        .map_err(|p| outside("preamble_suppressions", p))?;
    for (index, message) in document.messages.iter().enumerate() {
        validate_message(index, &message)?;
    }
    for (k, heading) in document.trailing_day_headings.iter().enumerate() {
        validate_day_heading(heading, k).map_err(|p| outside("trailing_day_headings", p))?;
    }
    Ok(())
}

fn validate_message(index: usize, message: &MessageDoc<'_>) -> Result<(), JsonError> {
    let fail = |field, problem: String| Err(in_message(index, field, problem));
    match (&message.time, &message.time_as_written) {
        (Some(_), Some(_)) => {
            return fail(
                "time_as_written",
                "is given beside `time`: keep one (`time` for a valid HH:MM:SS, \
                 `time_as_written` for a header time that is not one)"
                    .into(),
            )
        }
        (None, None) => return fail("time", "is missing: a message needs a time HH:MM:SS".into()),
        (Some(time), None) => {
            if parser::parse_strict_time(time).is_none() {
                return fail(
                    "time",
                    format!(
                        "{} is not a time HH:MM:SS (00:00:00 to 23:59:59)",
                        quoted(time)
                    ),
                );
            }
        }
        (None, Some(written)) => {
            if written.contains(char::is_whitespace) || !parser::time_candidate(written) {
                return fail(
                    "time_as_written",
                    format!(
                        "{} would not read as a header's time (one word that starts \
                         with a digit and has a colon or three groups of digits)",
                        quoted(written)
                    ),
                );
            }
        }
    }
    if let Some(date) = &message.header_date {
        if date.contains(char::is_whitespace) || !parser::is_date_shape(date) {
            return fail(
                "header_date",
                format!("{} is not a header date YYYY-MM-DD", quoted(date)),
            );
        }
    }
    if let Some(date) = &message.date {
        if parser::parse_date(date).is_none() {
            return fail("date", format!("{} is not a date YYYY-MM-DD", quoted(date)));
        }
    }
    let speaker = &message.speaker;
    if has_line_break(speaker) {
        return fail("speaker", format!("{} holds a line break", quoted(speaker)));
    }
    if speaker.trim() != speaker.as_ref() {
        return fail(
            "speaker",
            format!(
                "{} starts or ends with white space, which a header does not keep",
                quoted(speaker)
            ),
        );
    }
    // The header line alone, read as the parser reads it.
    let mut line = String::new();
    header_line(&mut line, message);
    let line = line.trim_end_matches('\n');
    let Some(header) = parser::parse_header(line, 0..line.len()) else {
        return fail(
            "time",
            format!(
                "the header line {} would not read as a header",
                quoted(line)
            ),
        );
    };
    let read_date = header.date.as_ref().map(|(span, _)| &line[span.clone()]);
    if read_date != message.header_date.as_deref() {
        return fail(
            "header_date",
            format!(
                "the header line {} would read back with the date {}",
                quoted(line),
                read_date.map_or("none".to_string(), quoted)
            ),
        );
    }
    if line[header.time_span.clone()] != *message.written_time() {
        return fail(
            if message.time_as_written.is_some() {
                "time_as_written"
            } else {
                "time"
            },
            format!(
                "the header line {} would read back with the time {}",
                quoted(line),
                quoted(&line[header.time_span.clone()])
            ),
        );
    }
    if line[header.speaker_span.clone()] != **speaker {
        return fail(
            "speaker",
            format!(
                "the header line {} would read back with the speaker {}",
                quoted(line),
                quoted(&line[header.speaker_span.clone()])
            ),
        );
    }
    validate_text(&message.text).map_err(|p| in_message(index, "text", p))?;
    validate_suppressions(&message.suppressions, &message.text)
        .map_err(|p| in_message(index, "suppressions", p))?;
    for (k, heading) in message.day_headings.iter().enumerate() {
        validate_day_heading(heading, k).map_err(|p| in_message(index, "day_headings", p))?;
    }
    Ok(())
}

/// A message text's lines against what Markdown keeps of them.
fn validate_text(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Ok(());
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let blank = |line: &&str| line.trim().is_empty();
    if lines.first().is_some_and(blank) {
        return Err("starts with a blank line, which Markdown does not keep".into());
    }
    if lines.last().is_some_and(blank) {
        return Err("ends with a blank line, which Markdown does not keep".into());
    }
    if let Some((k, comment)) = comments_in_text(text) {
        return Err(format!(
            "line {} holds the suppression comment {}: a document keeps those in `suppressions`",
            k + 1,
            quoted(comment)
        ));
    }
    let mut fence = parser::FenceState::default();
    for (k, line) in lines.iter().enumerate() {
        let at = || format!("line {} {}", k + 1, quoted(line));
        if line.contains('\r') {
            return Err(format!(
                "{} holds a carriage return, which Markdown reads as a line break",
                at()
            ));
        }
        if let Some(what) = structural(line) {
            return Err(format!("{} would read as {what}", at()));
        }
        let in_code_fence = fence.update(line);
        if !in_code_fence && line.ends_with([' ', '\t']) {
            return Err(format!(
                "{} ends in spaces or tabs, which Markdown reads as a hard break and does not keep",
                at()
            ));
        }
    }
    Ok(())
}

/// Each suppression: one or more suppression comments and white space,
/// standing before, within or after a line of `text` (a message's, or the
/// preamble).
fn validate_suppressions(suppressions: &[SuppressionDoc<'_>], text: &str) -> Result<(), String> {
    let lines: Vec<&str> = match text {
        "" => Vec::new(),
        text => text.split('\n').collect(),
    };
    for (k, suppression) in suppressions.iter().enumerate() {
        let comment = suppression.comment.as_ref();
        let at = || format!("suppression {k} {}", quoted(comment));
        if has_line_break(comment) {
            return Err(format!("{} holds a line break", at()));
        }
        let comments = comments_in_line(comment);
        let mut between = 0;
        let only_comments = !comments.is_empty()
            && comments.iter().all(|found| {
                let blank = comment[between..found.start].trim().is_empty();
                between = found.end;
                blank
            })
            && comment[between..].trim().is_empty();
        if !only_comments {
            return Err(format!(
                "{} is not a suppression comment `<!-- chatlint-… -->` with nothing else",
                at()
            ));
        }
        let text_line = suppression.text_line;
        if text_line > lines.len() {
            return Err(format!(
                "{}: text_line {text_line} is past the text's {} lines",
                at(),
                lines.len()
            ));
        }
        if let Some(offset) = suppression.offset {
            let Some(line) = lines.get(text_line) else {
                return Err(format!(
                    "{}: an offset, but no line {text_line} of the text to stand in",
                    at()
                ));
            };
            if offset > line.chars().count() {
                return Err(format!(
                    "{}: offset {offset} is past the end of text line {text_line} {}",
                    at(),
                    quoted(line)
                ));
            }
        }
    }
    Ok(())
}

fn validate_day_heading(heading: &DayHeadingDoc<'_>, k: usize) -> Result<(), String> {
    let text = heading.text.trim_end();
    let at = || format!("heading {k} {}", quoted(&heading.text));
    if has_line_break(text) {
        return Err(format!("{} holds a line break", at()));
    }
    let Some(date) = parser::parse_day_heading(text) else {
        return Err(format!("{} is not a day heading `## YYYY-MM-DD`", at()));
    };
    if !heading.date.is_empty() && heading.date != date.to_string() {
        return Err(format!(
            "{}: its date {} is not its text's",
            at(),
            quoted(&heading.date)
        ));
    }
    Ok(())
}
