//! The parser: transcript text to the typed [`crate::model`].
//!
//! It works line by line over byte offsets and never fails: a header it cannot
//! read is still a header (with no valid time), an unclosed front matter still
//! ends somewhere, a file with no messages is an empty transcript. What is
//! wrong is for the rules to say.

pub mod comments;
mod front_matter;
mod header;
mod inline;

use crate::model::{BodyLine, DayHeading, Message, Span, Transcript};

pub use front_matter::{fields as front_matter_fields, Field};
pub use header::{file_date, parse_header, time_candidate};
pub(crate) use header::{is_date_shape, parse_date, parse_day_heading, parse_strict_time};
pub(crate) use inline::{code_spans, parse_inlines};

/// Parses a whole transcript. Offsets in the result index `text` itself
/// (a leading BOM is skipped, not removed).
pub fn parse(text: &str) -> Transcript {
    parse_range(text, 0..text.len())
}

/// Parses the lines of `text` that start in `range`, with offsets into the
/// whole `text`. `range` starts at 0 (the front matter and preamble are
/// read as [`parse`] reads them) or at a message header line (see
/// [`next_header_line`]): every header starts a message afresh, so the
/// messages of a range are those of a whole parse that start in it.
pub fn parse_range(text: &str, range: Span) -> Transcript {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let start = range.start.max(bom);
    let mut all_lines = Lines::new(text, start).peekable();
    let front_matter = if range.start == 0 {
        front_matter::parse(text, &mut all_lines)
    } else {
        None
    };
    let lines = all_lines.take_while(|line| line.start < range.end || range.end == text.len());
    let mut transcript = Transcript {
        start: range.start,
        end: range.end,
        front_matter,
        ..Transcript::default()
    };
    let text_in_range = text.get(start..range.end).unwrap_or_default();

    // Reserved once: a `Vec` that doubles as it grows would hold up to
    // twice the messages' size, and three times while it moves. Every
    // header line but the first follows a `\n>` (a quote line that is no
    // header only makes this a little generous).
    transcript
        .messages
        .reserve(memchr::memmem::find_iter(text_in_range.as_bytes(), b"\n>").count() + 1);
    // The current message's body lines, moved into an exact-size slice
    // when the message ends; the buffer is reused.
    let mut body: Vec<BodyLine> = Vec::new();
    let mut fence = FenceState::default();
    for line in lines {
        let content = &text[line.clone()];
        let header = header_line(text, content, &line);
        if let Some(header) = header {
            // A message never continues a code fence left open by the one before.
            fence = FenceState::default();
            close_body(&mut transcript, &mut body);
            transcript.messages.push(Message {
                header,
                body: Box::default(),
            });
            continue;
        }
        if let Some(date) = header::parse_day_heading(content) {
            fence = FenceState::default();
            transcript
                .day_headings
                .push(DayHeading { span: line, date });
            continue;
        }
        let body_line = body_line(text, line, &mut fence);
        if transcript.messages.is_empty() {
            transcript.preamble.push(body_line);
        } else {
            body.push(body_line);
        }
    }
    close_body(&mut transcript, &mut body);
    transcript
}

/// Where each message header starts, as [`parse`] finds them, without
/// building the model: the fix engine's verification compares these
/// before and after a round, and a model of a large file costs several
/// times its text.
pub fn header_starts(text: &str) -> Vec<usize> {
    headers(text).map(|header| header.span.start).collect()
}

/// The message headers of `text`, as [`parse`] finds them, one at a time:
/// nothing else of the model is built or kept.
pub fn headers(text: &str) -> impl Iterator<Item = crate::model::Header> + '_ {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = Lines::new(text, start).peekable();
    // The front matter's lines are never headers, as in `parse`.
    front_matter::parse(text, &mut lines);
    lines.filter_map(move |line| header_line(text, &text[line.clone()], &line))
}

/// The header `line` (whose text is `content`) is, if any. Only a line
/// that opens with `>` can be one: most lines skip the call.
fn header_line(text: &str, content: &str, line: &Span) -> Option<crate::model::Header> {
    if content.starts_with('>') {
        parse_header(text, line.clone())
    } else {
        None
    }
}

/// One message as [`parse`] finds it, without its body parsed: the header,
/// where its body lines are, and how many day headings come before it.
#[derive(Debug, Clone)]
pub struct Outline {
    pub header: crate::model::Header,
    /// From the line after the header to the next header line (or the end
    /// of the text): the body's lines, and any day headings among them.
    pub region: Span,
    pub day_headings_before: usize,
}

impl Outline {
    /// The body lines' text, as the model's body lines (day headings are
    /// not body lines).
    pub fn body_lines<'a>(&self, text: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let end = self.region.end;
        Lines::new(text, self.region.start)
            .take_while(move |line| line.start < end)
            .map(move |line| &text[line])
            .filter(|line| header::parse_day_heading(line).is_none())
    }
}

/// The messages of `text` one at a time, as [`parse`] reads them but
/// without reading their bodies or keeping a model: for a pass over a
/// large file.
pub fn outlines(text: &str) -> impl Iterator<Item = Outline> + '_ {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = Lines::new(text, start).peekable();
    front_matter::parse(text, &mut lines);
    let mut day_headings = 0;
    let mut current: Option<Outline> = None;
    let mut lines = lines.fuse();
    std::iter::from_fn(move || loop {
        let Some(line) = lines.next() else {
            return current.take().map(|mut last| {
                last.region.end = text.len();
                last
            });
        };
        let content = &text[line.clone()];
        if let Some(header) = header_line(text, content, &line) {
            let body_start = crate::line_index::next_line_break(text.as_bytes(), line.start).1;
            let next = Outline {
                header,
                region: body_start..body_start,
                day_headings_before: day_headings,
            };
            if let Some(mut done) = current.replace(next) {
                done.region.end = line.start;
                return Some(done);
            }
        } else if header::parse_day_heading(content).is_some() {
            day_headings += 1;
        }
    })
}

/// Whether a line is blank, as a body line's `is_blank` says.
pub fn is_blank_line(content: &str) -> bool {
    is_blank(content)
}

/// What sets the time of the messages after it: a message header or a day
/// heading (see [`outline`]).
#[derive(Debug, Clone)]
pub enum OutlineItem {
    Header(crate::model::Header),
    DayHeading(DayHeading),
}

/// The front matter, then the message headers and day headings of `text`
/// in order, as [`parse`] finds them, without the rest of the model: what a
/// file's times need, read once for a file checked in parts.
pub fn outline(
    text: &str,
) -> (
    Option<crate::model::FrontMatter>,
    impl Iterator<Item = OutlineItem> + '_,
) {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = Lines::new(text, start).peekable();
    let front_matter = front_matter::parse(text, &mut lines);
    let items = lines.filter_map(move |line| {
        let content = &text[line.clone()];
        if let Some(header) = header_line(text, content, &line) {
            return Some(OutlineItem::Header(header));
        }
        header::parse_day_heading(content)
            .map(|date| OutlineItem::DayHeading(DayHeading { span: line, date }))
    });
    (front_matter, items)
}

/// The front matter `text` opens with, as [`parse`] reads it, without
/// reading what follows it.
pub fn front_matter(text: &str) -> Option<crate::model::FrontMatter> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    front_matter::parse(text, &mut Lines::new(text, start).peekable())
}

/// Gives the last message the body lines gathered since its header.
fn close_body(transcript: &mut Transcript, body: &mut Vec<BodyLine>) {
    if let Some(message) = transcript.messages.last_mut() {
        message.body = body.drain(..).collect();
    }
}

/// A line that shapes the messages after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructuralLine {
    /// `> HH:MM:SS  speaker`: starts a message.
    MessageHeader,
    /// `## YYYY-MM-DD`: sets the date of the messages that follow.
    DayHeading,
}

/// How [`parse`] reads `line` (one line's text, without its line break) in
/// a transcript's body: as a message header, a day heading, or neither.
/// Fixes that only remove characters use it to tell when removing them
/// would change what a line is.
pub fn structural_line(line: &str) -> Option<StructuralLine> {
    if line.starts_with('>') && parse_header(line, 0..line.len()).is_some() {
        Some(StructuralLine::MessageHeader)
    } else if header::parse_day_heading(line).is_some() {
        Some(StructuralLine::DayHeading)
    } else {
        None
    }
}

/// Where the first header line at or after `from` starts (a line that opens
/// with `>` and reads as a header), without parsing anything else. Every
/// such line starts a message: not even an open code fence or front matter
/// runs past it. So a text can be cut there and each part parsed on its own.
pub fn next_header_line(text: &str, from: usize) -> Option<usize> {
    let is_header = |start: usize| {
        Lines::new(text, start)
            .next()
            .is_some_and(|line| parse_header(text, line).is_some())
    };
    if from == 0 && is_header(0) {
        return Some(0);
    }
    let bytes = text.as_bytes();
    // From the byte before `from`, so that a line starting at `from` counts.
    let mut at = from.saturating_sub(1);
    loop {
        let start = at + memchr::memmem::find(bytes.get(at..)?, b"\n>")? + 1;
        if is_header(start) {
            return Some(start);
        }
        at = start;
    }
}

fn body_line(text: &str, span: Span, fence: &mut FenceState) -> BodyLine {
    let content = &text[span.clone()];
    let in_code_fence = fence.update(content);
    BodyLine {
        is_blank: is_blank(content),
        inlines: if in_code_fence {
            Box::default()
        } else {
            inline::parse_inlines(text, span.clone()).into_boxed_slice()
        },
        in_code_fence,
        span,
    }
}

/// `content.trim().is_empty()`, without decoding ASCII.
fn is_blank(content: &str) -> bool {
    match content
        .bytes()
        .position(|b| !header::is_ascii_whitespace_char(b))
    {
        None => true,
        Some(i) if content.as_bytes()[i] < 0x80 => false,
        // Unicode white space (U+3000, U+00A0, …) may still make it blank.
        Some(i) => content[i..].chars().all(char::is_whitespace),
    }
}

/// Tracks CommonMark fenced code blocks (```` ``` ```` or `~~~`).
#[derive(Debug, Default)]
pub struct FenceState {
    /// The fence character and run length of the open fence.
    open: Option<(u8, usize)>,
}

impl FenceState {
    /// Feeds one line; returns whether the line belongs to a code fence.
    pub fn update(&mut self, line: &str) -> bool {
        let first = line.bytes().find(|&b| b != b' ');
        if self.open.is_none() && !matches!(first, Some(b'`' | b'~')) {
            // Nearly every line: no fence open, and none opening here.
            return false;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        let fence_run = |c: u8| rest.bytes().take_while(|&b| b == c).count();
        match self.open {
            Some((c, len)) => {
                if indent <= 3 && fence_run(c) >= len && rest[fence_run(c)..].trim().is_empty() {
                    self.open = None;
                }
                true
            }
            None if indent <= 3 => {
                for c in [b'`', b'~'] {
                    let run = fence_run(c);
                    // A backtick fence's info string may not contain a backtick.
                    if run >= 3 && !(c == b'`' && rest[run..].contains('`')) {
                        self.open = Some((c, run));
                        return true;
                    }
                }
                false
            }
            None => false,
        }
    }
}

/// Iterates over line spans without their line break (LF, CRLF or a lone
/// CR, as CommonMark ends lines).
#[derive(Debug)]
pub(crate) struct Lines<'a> {
    text: &'a str,
    position: usize,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str, start: usize) -> Self {
        Self {
            text,
            position: start,
        }
    }
}

impl Iterator for Lines<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        let bytes = self.text.as_bytes();
        if self.position >= bytes.len() {
            return None;
        }
        let start = self.position;
        let (end, next) = crate::line_index::next_line_break(bytes, start);
        self.position = next;
        Some(start..end)
    }
}

#[cfg(test)]
mod tests;
