//! The parser: transcript text to the typed [`crate::model`].
//!
//! It works line by line over byte offsets and never fails: a header it cannot
//! read is still a header (with no valid time), an unclosed front matter still
//! ends somewhere, a file with no messages is an empty transcript. What is
//! wrong is for the rules to say.

mod front_matter;
mod header;
mod inline;

use crate::model::{BodyLine, DayHeading, Message, Span, Transcript};

pub use front_matter::{fields as front_matter_fields, Field};
pub(crate) use header::{is_date_shape, parse_date, parse_day_heading, parse_strict_time};
pub use header::{parse_header, time_candidate};
pub(crate) use inline::code_spans;

/// Parses a whole transcript. Offsets in the result index `text` itself
/// (a leading BOM is skipped, not removed).
pub fn parse(text: &str) -> Transcript {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = Lines::new(text, start).peekable();
    let mut transcript = Transcript {
        front_matter: front_matter::parse(text, &mut lines),
        ..Transcript::default()
    };

    let mut fence = FenceState::default();
    for line in lines {
        let content = &text[line.clone()];
        // Only a line that opens with `>` can be a header: most lines skip the call.
        let header = if content.starts_with('>') {
            parse_header(text, line.clone())
        } else {
            None
        };
        if let Some(header) = header {
            // A message never continues a code fence left open by the one before.
            fence = FenceState::default();
            transcript.messages.push(Message {
                header,
                body: Vec::new(),
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
        match transcript.messages.last_mut() {
            Some(message) => message.body.push(body_line),
            None => transcript.preamble.push(body_line),
        }
    }
    transcript
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
            Vec::new()
        } else {
            inline::parse_inlines(text, span.clone())
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
