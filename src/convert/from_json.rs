//! `--from json --to md`: a document is checked field by field before it is
//! written, and the Markdown it gives is read back and compared with it.
//!
//! The message text in a document is the Markdown source of its lines (not
//! rendered text), so no escaping could write a line that reads as a header
//! and read it back as the same text: such a document is refused, with the
//! message (its 0-based position in `messages`, as its `index`) and the
//! field. Three checks, each stricter than the one before:
//!
//! 1. [`validate`]: every field alone, with the parser's own tests (a time
//!    `HH:MM:SS`, a header date, no line break in a one-line field, no text
//!    line that reads as a header or a day heading, no spaces a hard break
//!    would take, …);
//! 2. [`compare`]: the Markdown as laid out, before any fix, read back gives
//!    the same front matter, preamble, messages (count; header date, time,
//!    speaker, text, date, day headings; images, links, mentions and emoji
//!    when given) and trailing day headings, or the document is refused;
//! 3. [`changes`]: what the safe fixes of `--to md` then changed (a header
//!    time `7:50:02` made `07:50:02`, `##背景` made `## 背景`, a duplicate
//!    removed) is told as a [`Notice`] per message and field: never silent.

use std::fmt;

use super::document::{trim_blank, DayHeadingDoc, Document, MessageDoc};
use super::markdown::header_line;
use super::Notice;
use crate::line_index::lines_of;
use crate::parser::{self, StructuralLine};
use crate::source::SourceFile;

/// Why a document read by `--from json` cannot be written as Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// The message's 0-based position in `messages` (its `index`); none for
    /// the parts of the document outside the messages.
    pub message: Option<usize>,
    /// The field: in a message `time`, `time_as_written`, `header_date`,
    /// `date`, `speaker`, `text`, `day_headings`, `images`, `links`,
    /// `mentions`, `emoji`, or `messages` (their count); outside the messages
    /// `front_matter.raw`, `front_matter.closed`, `front_matter.fields`,
    /// `front_matter.parsed`, `preamble`, `trailing_day_headings`.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message {
            Some(index) => write!(f, "message {index}: {}: {}", self.field, self.problem),
            None => write!(f, "{}: {}", self.field, self.problem),
        }
    }
}

impl std::error::Error for JsonError {}

/// Every field a message of a document may have, in the order they are
/// compared.
pub const MESSAGE_FIELDS: &[&str] = &[
    "header_date",
    "time",
    "time_as_written",
    "speaker",
    "text",
    "date",
    "day_headings",
    "images",
    "links",
    "mentions",
    "emoji",
    "messages",
];

fn in_message(index: usize, field: &'static str, problem: impl Into<String>) -> JsonError {
    JsonError {
        message: Some(index),
        field,
        problem: problem.into(),
    }
}

fn outside(field: &'static str, problem: impl Into<String>) -> JsonError {
    JsonError {
        message: None,
        field,
        problem: problem.into(),
    }
}

/// A value as the problems quote it: JSON-escaped, at most 80 characters.
fn quoted(value: &str) -> String {
    const MAX: usize = 80;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", serde_json::Value::from(&value[..cut])),
        None => serde_json::Value::from(value).to_string(),
    }
}

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
    }
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

/// A day heading as it is compared: its text without trailing white space,
/// and where it stands.
fn heading_key<'h>(heading: &'h DayHeadingDoc<'_>) -> (&'h str, Option<usize>) {
    (heading.text.trim_end(), heading.within_previous)
}

/// The first field of message `ours` (from the document) that `theirs` (read
/// back from the Markdown) does not give back, with what it gives instead.
fn difference(ours: &MessageDoc<'_>, theirs: &MessageDoc<'_>) -> Option<(&'static str, String)> {
    let one = |value: Option<&str>| value.map_or("none".to_string(), quoted);
    if ours.header_date != theirs.header_date {
        return Some((
            "header_date",
            format!("reads back as {}", one(theirs.header_date.as_deref())),
        ));
    }
    if ours.written_time() != theirs.written_time() {
        let field = if ours.time_as_written.is_some() {
            "time_as_written"
        } else {
            "time"
        };
        return Some((
            field,
            format!("reads back as {}", quoted(theirs.written_time())),
        ));
    }
    if ours.time.is_some() && theirs.time.is_none() {
        return Some(("time", "reads back as a time that is not valid".into()));
    }
    if ours.speaker != theirs.speaker {
        return Some((
            "speaker",
            format!("reads back as {}", quoted(&theirs.speaker)),
        ));
    }
    if ours.text != theirs.text {
        let (a, b): (Vec<&str>, Vec<&str>) = (
            ours.text.split('\n').collect(),
            theirs.text.split('\n').collect(),
        );
        let problem = match a.iter().zip(&b).position(|(x, y)| x != y) {
            Some(k) => format!("line {} reads back as {}", k + 1, quoted(b[k])),
            None => format!("reads back with {} lines, not {}", b.len(), a.len()),
        };
        return Some(("text", problem));
    }
    if ours.date.is_some() && ours.date != theirs.date {
        return Some((
            "date",
            format!(
                "the Markdown gives it {} (from its header date, the day heading above, \
                 the front matter's date or the file name)",
                one(theirs.date.as_deref())
            ),
        ));
    }
    let headings = |m: &MessageDoc<'_>| -> Vec<(String, Option<usize>)> {
        m.day_headings
            .iter()
            .map(|h| {
                let (text, within) = heading_key(h);
                (text.to_string(), within)
            })
            .collect()
    };
    if headings(ours) != headings(theirs) {
        return Some((
            "day_headings",
            format!(
                "read back as {} (text, lines of the previous message's text before it)",
                quoted(&format!("{:?}", headings(theirs)))
            ),
        ));
    }
    let given = |field: &'static str, ours: bool, same: bool| {
        (ours && !same).then(|| {
            (
                field,
                "disagree with the text, which they are read from: edit the text, and update or empty the list".to_string(),
            )
        })
    };
    given(
        "images",
        !ours.images.is_empty(),
        ours.images == theirs.images,
    )
    .or_else(|| given("links", !ours.links.is_empty(), ours.links == theirs.links))
    .or_else(|| {
        given(
            "mentions",
            !ours.mentions.is_empty(),
            ours.mentions == theirs.mentions,
        )
    })
    .or_else(|| given("emoji", !ours.emoji.is_empty(), ours.emoji == theirs.emoji))
}

/// The preamble's lines as Markdown keeps them: without blank lines around.
fn preamble_lines(preamble: Option<&str>) -> Vec<&str> {
    let lines: Vec<&str> = preamble.map(|p| lines_of(p).collect()).unwrap_or_default();
    trim_blank(&lines, |line| line.trim().is_empty()).to_vec()
}

/// Reads `markdown` (the document laid out, before any fix) back and
/// refuses the document unless it gives the same front matter, preamble,
/// messages and trailing day headings.
/// The first difference before the messages (front matter, preamble)
/// between the document and the one read back.
fn head_difference(document: &Document<'_>, again: &Document<'_>) -> Result<(), JsonError> {
    match (&document.front_matter, &again.front_matter) {
        (None, None) => {}
        (None, Some(_)) => {
            return Err(outside(
                "preamble",
                "the Markdown would open with a front matter the document does not have",
            ))
        }
        (Some(_), None) => {
            return Err(outside(
                "front_matter.raw",
                "the Markdown would read back without a front matter",
            ))
        }
        (Some(ours), Some(theirs)) => {
            let a: Vec<&str> = lines_of(&ours.raw).collect();
            let b: Vec<&str> = lines_of(&theirs.raw).collect();
            if a != b {
                let problem = match a.iter().zip(&b).position(|(x, y)| x != y) {
                    Some(k) => format!("line {} reads back as {}", k + 1, quoted(b[k])),
                    None => format!("reads back with {} lines, not {}", b.len(), a.len()),
                };
                return Err(outside("front_matter.raw", problem));
            }
            if ours.closed != theirs.closed {
                return Err(outside(
                    "front_matter.closed",
                    format!("reads back as {}", theirs.closed),
                ));
            }
            let fields = |f: &super::document::FrontMatterDoc<'_>| -> Vec<(String, String)> {
                f.fields
                    .iter()
                    .map(|field| (field.key.to_string(), field.raw.to_string()))
                    .collect()
            };
            if !ours.fields.is_empty() && fields(ours) != fields(theirs) {
                return Err(outside(
                    "front_matter.fields",
                    "disagree with `raw`, which they are read from: edit `raw`",
                ));
            }
            if ours.parsed.is_some() && ours.parsed != theirs.parsed {
                return Err(outside(
                    "front_matter.parsed",
                    "disagrees with `raw`, which it is read from: edit `raw`",
                ));
            }
        }
    }
    if preamble_lines(document.preamble.as_deref()) != preamble_lines(again.preamble.as_deref()) {
        return Err(outside("preamble", "would not read back the same"));
    }
    Ok(())
}

/// Whether the day headings after the last message read back the same.
fn trailing_difference(document: &Document<'_>, again: &Document<'_>) -> Result<(), JsonError> {
    let trailing = |d: &Document<'_>| -> Vec<(String, Option<usize>)> {
        d.trailing_day_headings
            .iter()
            .map(|h| {
                let (text, within) = heading_key(h);
                (text.to_string(), within)
            })
            .collect()
    };
    if trailing(document) != trailing(again) {
        return Err(outside(
            "trailing_day_headings",
            format!("read back as {}", quoted(&format!("{:?}", trailing(again)))),
        ));
    }
    Ok(())
}

pub fn compare(document: &Document<'_>, markdown: &str) -> Result<(), JsonError> {
    let source = SourceFile::from_string(document.source.as_ref(), markdown);
    let again = Document::build(&source, None);
    head_difference(document, &again)?;
    let mut theirs = again.messages.iter();
    let mut count = 0;
    for (index, ours) in document.messages.iter().enumerate() {
        let Some(back) = theirs.next() else {
            return Err(in_message(
                index,
                "messages",
                format!("the Markdown would read back with {index} messages only"),
            ));
        };
        if let Some((field, problem)) = difference(&ours, &back) {
            return Err(in_message(index, field, problem));
        }
        count = index + 1;
    }
    if theirs.next().is_some() {
        let extra = 1 + theirs.count();
        let problem = format!("the Markdown would read back with {extra} more messages");
        return Err(match count.checked_sub(1) {
            Some(last) => in_message(last, "text", problem),
            None => outside("preamble", problem),
        });
    }
    trailing_difference(document, &again)
}

/// What the safe fixes changed: the messages of `markdown` (the Markdown
/// written) against the document's, a notice per message and field.
pub fn changes(document: &Document<'_>, markdown: &str) -> Vec<Notice> {
    let source = SourceFile::from_string(document.source.as_ref(), markdown);
    let again = Document::build(&source, None);
    let ours: Vec<_> = document.messages.iter().collect();
    let theirs: Vec<_> = again.messages.iter().collect();
    let key = |m: &MessageDoc<'_>| {
        (
            m.written_time().to_string(),
            m.speaker.to_string(),
            m.text.to_string(),
        )
    };
    let old: Vec<_> = ours.iter().map(|m| key(m)).collect();
    let new: Vec<_> = theirs.iter().map(|m| key(m)).collect();
    let mut notices = Vec::new();
    let notice = |notices: &mut Vec<Notice>, index: usize, message: String| {
        notices.push(Notice {
            line: 0,
            message: format!("message {index}: {message}"),
        })
    };
    let pair = |notices: &mut Vec<Notice>, i: usize, j: usize| {
        for (field, what) in changed_fields(&ours[i], &theirs[j]) {
            notice(
                notices,
                i,
                format!("{field}: changed by a safe fix: {what}"),
            );
        }
    };
    // As many messages as before: the fixes removed none (only a duplicate's
    // removal does), so each is compared with its own. A diff could pair
    // them otherwise, and tell a changed text as a removal and an addition.
    let same_count = old.len() == new.len();
    if same_count {
        for i in 0..old.len() {
            pair(&mut notices, i, i);
        }
    }
    let ops = if same_count {
        Vec::new()
    } else {
        similar::capture_diff_slices(similar::Algorithm::Myers, &old, &new)
    };
    for op in ops {
        let (_, olds, news) = op.as_tag_tuple();
        for (i, j) in olds.clone().zip(news.clone()) {
            pair(&mut notices, i, j);
        }
        let paired = olds.len().min(news.len());
        for i in olds.clone().skip(paired) {
            notice(&mut notices, i, "messages: removed by a safe fix".into());
        }
        if news.len() > paired {
            notice(
                &mut notices,
                olds.start + paired,
                format!(
                    "messages: {} messages made before it by a safe fix",
                    news.len() - paired
                ),
            );
        }
    }
    // Outside the messages, a notice without a message: the fixes may
    // remove an unused suppression comment from the preamble, say.
    for difference in [
        head_difference(document, &again),
        trailing_difference(document, &again),
    ] {
        if let Err(err) = difference {
            notices.push(Notice {
                line: 0,
                message: format!("{}: changed by a safe fix: {}", err.field, err.problem),
            });
        }
    }
    notices
}

/// Every field of `theirs` that differs from `ours`, with the change.
fn changed_fields<'x>(
    ours: &MessageDoc<'x>,
    theirs: &MessageDoc<'x>,
) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    let mut ours = ours.clone();
    // One field at a time: once a field is told, it is taken as the
    // Markdown's, and the next difference is looked for.
    while let Some((field, what)) = difference(&ours, theirs) {
        found.push((field, what));
        match field {
            "header_date" => ours.header_date = theirs.header_date.clone(),
            "time" | "time_as_written" => {
                ours.time = theirs.time.clone();
                ours.time_as_written = theirs.time_as_written.clone();
            }
            "speaker" => ours.speaker = theirs.speaker.clone(),
            "text" => ours.text = theirs.text.clone(),
            "date" => ours.date = theirs.date.clone(),
            "day_headings" => ours.day_headings = theirs.day_headings.clone(),
            "images" => ours.images = theirs.images.clone(),
            "links" => ours.links = theirs.links.clone(),
            "mentions" => ours.mentions = theirs.mentions.clone(),
            _ => ours.emoji = theirs.emoji.clone(),
        }
    }
    found
}
