//! The one document every format is written from.
//!
//! A [`Document`] is built once from the model and fed to each writer; it is
//! also what `--to json` writes and what `--from json` reads back, so it
//! carries what the Markdown needs besides the data: the front matter's raw
//! text, the day headings, a header time as written when it is not valid, the
//! preamble.
//!
//! A large transcript is never held in the model all at once: the messages are
//! parsed a chunk at a time (a chunk starts at a header line, where the parser
//! starts afresh anyway) while a writer iterates over them, so that converting
//! a file costs its text, its line index and one chunk's model.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::line_index::LineIndex;
use crate::model::{BodyLine, Date, DayHeading, Inline, Message, Transcript};
use crate::output::json::JsonFinding;
use crate::parser::{self, FenceState};
use crate::source::SourceFile;

/// About how many bytes of messages are parsed at a time.
const CHUNK_BYTES: usize = 1 << 18;

/// A transcript as data.
#[derive(Debug, Serialize, Deserialize)]
pub struct Document<'a> {
    /// The file as given on the command line, or `<stdin>`.
    pub source: Cow<'a, str>,
    #[serde(default)]
    pub front_matter: Option<FrontMatterDoc<'a>>,
    /// The lines between the front matter and the first message, if any are
    /// not blank, as written.
    #[serde(default)]
    pub preamble: Option<Cow<'a, str>>,
    pub messages: Messages<'a>,
    /// Day headings after the last message (or in a file without messages).
    #[serde(default)]
    pub trailing_day_headings: Vec<DayHeadingDoc<'a>>,
    /// The findings, with `--with-diagnostics`.
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<Vec<JsonFinding<'a>>>,
}

/// The Jekyll front matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrontMatterDoc<'a> {
    /// The YAML between the `---` lines, exactly as written.
    pub raw: Cow<'a, str>,
    /// Whether a closing `---` was found.
    #[serde(default = "yes")]
    pub closed: bool,
    /// Each top-level key with its value's raw text (trimmed, quotes kept).
    #[serde(default)]
    pub fields: Vec<FieldDoc<'a>>,
    /// The YAML as parsed; null when it does not parse.
    #[serde(default)]
    pub parsed: Option<serde_json::Value>,
    /// Why the YAML does not parse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldDoc<'a> {
    pub key: Cow<'a, str>,
    pub raw: Cow<'a, str>,
    #[serde(default)]
    pub line: usize,
}

/// A `## YYYY-MM-DD` line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayHeadingDoc<'a> {
    #[serde(default)]
    pub line: usize,
    #[serde(default)]
    pub date: Cow<'a, str>,
    /// The heading as written, without trailing white space.
    pub text: Cow<'a, str>,
    /// When the heading stands between lines of the previous message's text
    /// (the parser gives the lines after a day heading, up to the next
    /// header, to the message before it): how many of those text lines come
    /// before it, so that the Markdown keeps the heading where it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_previous: Option<usize>,
}

/// One message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageDoc<'a> {
    /// 0-based position in the file.
    #[serde(default)]
    pub index: usize,
    /// The header's 1-based line in the file.
    #[serde(default)]
    pub line: usize,
    /// `HH:MM:SS`, when the header's time is valid.
    #[serde(default)]
    pub time: Option<Cow<'a, str>>,
    /// The header's time as written, when it is not a valid `HH:MM:SS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_as_written: Option<Cow<'a, str>>,
    /// The date written in a full-date header (`> YYYY-MM-DD HH:MM:SS  …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_date: Option<Cow<'a, str>>,
    /// `YYYY-MM-DD`: from a full-date header, else the day heading above,
    /// else the front matter's `date`, else the file name.
    #[serde(default)]
    pub date: Option<Cow<'a, str>>,
    /// `YYYY-MM-DDTHH:MM:SS`, with the `--timezone` offset if given.
    #[serde(default)]
    pub datetime: Option<String>,
    pub speaker: Cow<'a, str>,
    /// The body lines joined by `\n`, without hard-break spaces (lines in
    /// code fences as written).
    pub text: Cow<'a, str>,
    #[serde(default)]
    pub images: Vec<ImageDoc<'a>>,
    #[serde(default)]
    pub links: Vec<LinkDoc<'a>>,
    /// The names after `@`.
    #[serde(default)]
    pub mentions: Vec<Cow<'a, str>>,
    /// Emoji codes without their brackets: `强` for `[强]`.
    #[serde(default)]
    pub emoji: Vec<Cow<'a, str>>,
    /// Day headings written just before this message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub day_headings: Vec<DayHeadingDoc<'a>>,
}

impl MessageDoc<'_> {
    /// The header's time as the file writes it.
    pub fn written_time(&self) -> &str {
        self.time_as_written
            .as_deref()
            .or(self.time.as_deref())
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageDoc<'a> {
    pub alt: Cow<'a, str>,
    pub url: Cow<'a, str>,
    #[serde(default)]
    pub title: Option<Cow<'a, str>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkDoc<'a> {
    pub text: Cow<'a, str>,
    pub url: Cow<'a, str>,
}

/// A UTC offset for `datetime`: `Z`, `+08:00`, `-05:30` (at most 14 hours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offset(String);

impl std::str::FromStr for Offset {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text == "Z" {
            return Ok(Offset(text.to_string()));
        }
        let bytes = text.as_bytes();
        let digits = |r: Range<usize>| bytes[r].iter().all(u8::is_ascii_digit);
        let well_formed = bytes.len() == 6
            && matches!(bytes[0], b'+' | b'-')
            && bytes[3] == b':'
            && digits(1..3)
            && digits(4..6);
        let minutes = |r: Range<usize>| text[r].parse::<u32>().unwrap_or(u32::MAX);
        if !well_formed || minutes(4..6) >= 60 || minutes(1..3) * 60 + minutes(4..6) > 14 * 60 {
            return Err(format!(
                "`{text}` is not a UTC offset such as `+08:00`, `-05:30` or `Z` (at most 14 hours)"
            ));
        }
        Ok(Offset(text.to_string()))
    }
}

impl std::fmt::Display for Offset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A message body line as the document keeps it: without its hard-break
/// spaces, except in a code fence, where every character is content.
pub fn canonical_line(line: &str, in_code_fence: bool) -> &str {
    if in_code_fence {
        line
    } else {
        line.trim_end_matches([' ', '\t'])
    }
}

/// A message text's lines as the Markdown writes them: each with whether it
/// is in a code fence, without the blank lines before and after.
pub fn body_lines(text: &str) -> Vec<(&str, bool)> {
    let mut fence = FenceState::default();
    let mut lines: Vec<(&str, bool)> = text
        .split('\n')
        .map(|line| {
            let fenced = fence.update(line);
            (canonical_line(line, fenced), fenced)
        })
        .collect();
    // Trimmed in place: this runs for every message written.
    let is_blank = |(line, _): &(&str, bool)| line.trim().is_empty();
    let end = lines
        .iter()
        .rposition(|line| !is_blank(line))
        .map_or(0, |last| last + 1);
    lines.truncate(end);
    let start = lines.iter().position(|line| !is_blank(line)).unwrap_or(0);
    lines.drain(..start);
    lines
}

/// `items` less the blank ones at either end.
pub fn trim_blank<T>(items: &[T], is_blank: impl Fn(&T) -> bool) -> &[T] {
    let first = items.iter().position(|item| !is_blank(item));
    let last = items.iter().rposition(|item| !is_blank(item));
    match (first, last) {
        (Some(first), Some(last)) => &items[first..=last],
        _ => &[],
    }
}

/// The messages: read back from JSON, or built from the source as they are
/// iterated.
#[derive(Debug)]
pub enum Messages<'a> {
    List(Vec<MessageDoc<'a>>),
    Source(Box<SourceMessages<'a>>),
}

impl<'a> Messages<'a> {
    /// Whether some message may hold a suppression comment
    /// ([`crate::suppression`]); false means none does.
    pub fn may_hold_suppressions(&self) -> bool {
        use crate::suppression::may_hold_directives;
        match self {
            Messages::List(list) => list
                .iter()
                .any(|m| may_hold_directives(&m.text) || may_hold_directives(&m.speaker)),
            Messages::Source(source) => may_hold_directives(source.text),
        }
    }

    /// Every message in order; from a source, built a chunk at a time.
    pub fn iter(&self) -> MessageIter<'_, 'a> {
        MessageIter(match self {
            Messages::List(list) => Inner::List(list.iter()),
            Messages::Source(source) => Inner::Source {
                source,
                next_chunk: 0,
                built: Vec::new().into_iter(),
                state: DayState::default(),
            },
        })
    }
}

impl Serialize for Messages<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Messages<'_> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::deserialize(deserializer).map(Messages::List)
    }
}

/// The iterator of [`Messages::iter`].
pub struct MessageIter<'d, 'a>(Inner<'d, 'a>);

enum Inner<'d, 'a> {
    List(std::slice::Iter<'d, MessageDoc<'a>>),
    Source {
        source: &'d SourceMessages<'a>,
        next_chunk: usize,
        built: std::vec::IntoIter<MessageDoc<'a>>,
        state: DayState<'a>,
    },
}

impl<'d, 'a> Iterator for MessageIter<'d, 'a> {
    type Item = Cow<'d, MessageDoc<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Inner::List(list) => list.next().map(Cow::Borrowed),
            Inner::Source {
                source,
                next_chunk,
                built,
                state,
            } => loop {
                if let Some(message) = built.next() {
                    return Some(Cow::Owned(message));
                }
                let range = source.chunks.get(*next_chunk)?.clone();
                let parsed;
                let transcript = if *next_chunk == 0 {
                    &source.first
                } else {
                    parsed = parser::parse(&source.text[range.clone()]);
                    &parsed
                };
                *next_chunk += 1;
                *built = source
                    .build_chunk(transcript, range.start, state)
                    .into_iter();
            },
        }
    }
}

/// What carries over from one message to the next while building.
#[derive(Debug, Default)]
struct DayState<'a> {
    index: usize,
    /// The date of the last day heading.
    day: Option<Date>,
    /// Day headings read since the last message.
    pending: Vec<DayHeadingDoc<'a>>,
}

/// The messages of a source, parsed a chunk at a time.
#[derive(Debug)]
pub struct SourceMessages<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    /// Consecutive ranges covering the text; each but the first starts at a
    /// header line.
    chunks: Vec<Range<usize>>,
    /// The first chunk's model, which the document's head came from.
    first: Transcript,
    /// The date of messages with no other: front matter, else file name.
    fallback_date: Option<Date>,
    timezone: Option<Offset>,
}

impl<'a> Document<'a> {
    /// Builds the document of a source. The messages are built when iterated.
    pub fn build(source: &'a SourceFile, timezone: Option<&Offset>) -> Self {
        let text = source.text();
        let lines = source.line_index();
        let chunks = chunk_ranges(text);
        let first = parser::parse(&text[chunks[0].clone()]);
        let line_of = |offset: usize| lines.line(offset);

        let front_matter = first.front_matter.as_ref().map(|front_matter| {
            let (parsed, error) = match front_matter.parse_yaml(text) {
                Ok(value) => (Some(value), None),
                Err(err) => (None, Some(err.message)),
            };
            FrontMatterDoc {
                raw: Cow::Borrowed(&text[front_matter.yaml_span.clone()]),
                closed: front_matter.closed,
                fields: parser::front_matter_fields(text, front_matter)
                    .into_iter()
                    .map(|field| FieldDoc {
                        key: Cow::Owned(field.key),
                        raw: Cow::Borrowed(&text[field.value_span]),
                        line: line_of(field.key_span.start),
                    })
                    .collect(),
                parsed,
                error,
            }
        });
        let front_matter_date = front_matter
            .as_ref()
            .and_then(|f| f.fields.iter().find(|field| field.key == "date"))
            .and_then(|field| leading_date(field.raw.trim_matches(['"', '\''])));
        let file_date = Path::new(source.name())
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(leading_date);

        let preamble = {
            let lines = trim_blank(&first.preamble, |line| line.is_blank);
            (!lines.is_empty()).then(|| {
                let start = lines[0].span.start;
                let end = lines[lines.len() - 1].span.end;
                match lines {
                    [_] => Cow::Borrowed(&text[start..end]),
                    _ => Cow::Owned(
                        lines
                            .iter()
                            .map(|line| &text[line.span.clone()])
                            .collect::<Vec<_>>()
                            .join("\n"),
                    ),
                }
            })
        };

        let messages = SourceMessages {
            text,
            lines,
            chunks,
            first,
            fallback_date: front_matter_date.or(file_date),
            timezone: timezone.cloned(),
        };
        let trailing_day_headings = messages.trailing_day_headings();
        Document {
            source: Cow::Borrowed(source.name()),
            front_matter,
            preamble,
            messages: Messages::Source(Box::new(messages)),
            trailing_day_headings,
            diagnostics: None,
        }
    }
}

impl<'a> SourceMessages<'a> {
    /// The day headings after the last message: those of the last chunk.
    fn trailing_day_headings(&self) -> Vec<DayHeadingDoc<'a>> {
        let last = self.chunks[self.chunks.len() - 1].clone();
        let parsed;
        let transcript = if self.chunks.len() == 1 {
            &self.first
        } else {
            parsed = parser::parse(&self.text[last.clone()]);
            &parsed
        };
        let last_message = transcript.messages.last();
        let after = last_message.map_or(0, |message| message.header.span.start);
        transcript
            .day_headings
            .iter()
            .filter(|heading| heading.span.start >= after)
            .map(|heading| self.day_heading(heading, last_message, last.start))
            .collect()
    }

    /// A day heading's document; `previous` is the message before it, whose
    /// text may go on after it.
    fn day_heading(
        &self,
        heading: &DayHeading,
        previous: Option<&Message>,
        base: usize,
    ) -> DayHeadingDoc<'a> {
        let chunk = &self.text[base..];
        let within_previous = previous.and_then(|message| {
            let lines = message.content_lines();
            let before = lines
                .iter()
                .take_while(|line| line.span.start < heading.span.start)
                .count();
            (before < lines.len()).then_some(before)
        });
        DayHeadingDoc {
            line: self.line_of(base + heading.span.start),
            date: Cow::Owned(heading.date.to_string()),
            text: Cow::Borrowed(chunk[heading.span.clone()].trim_end()),
            within_previous,
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }

    /// The documents of one chunk's messages; `base` is where the chunk
    /// starts in the text (the model's spans are relative to it).
    fn build_chunk(
        &self,
        transcript: &Transcript,
        base: usize,
        state: &mut DayState<'a>,
    ) -> Vec<MessageDoc<'a>> {
        let mut headings = transcript.day_headings.iter().peekable();
        let mut out = Vec::with_capacity(transcript.messages.len());
        let mut previous: Option<&Message> = None;
        for message in &transcript.messages {
            while let Some(heading) = headings.next_if(|h| h.span.start < message.header.span.start)
            {
                state.day = Some(heading.date);
                state
                    .pending
                    .push(self.day_heading(heading, previous, base));
            }
            out.push(self.message(message, base, state));
            state.index += 1;
            previous = Some(message);
        }
        for heading in headings {
            state.day = Some(heading.date);
            state
                .pending
                .push(self.day_heading(heading, previous, base));
        }
        out
    }

    fn message(&self, message: &Message, base: usize, state: &mut DayState<'a>) -> MessageDoc<'a> {
        let chunk: &'a str = &self.text[base..];
        let at = |span: &Range<usize>| -> &'a str { &chunk[span.clone()] };
        let header = &message.header;
        let time_text = at(&header.time_span);
        let (time, date) = (header.time, header.valid_date());
        let date = date.or(state.day).or(self.fallback_date);
        let date_text = match (header.date.as_ref(), header.valid_date()) {
            // A valid header date is written exactly as ISO 8601.
            (Some((span, _)), Some(_)) => Some(Cow::Borrowed(at(span))),
            _ => date.map(|d| Cow::Owned(d.to_string())),
        };
        let datetime = match (&date_text, time) {
            (Some(date), Some(_)) => Some(match &self.timezone {
                Some(offset) => format!("{date}T{time_text}{offset}"),
                None => format!("{date}T{time_text}"),
            }),
            _ => None,
        };
        let mut doc = MessageDoc {
            index: state.index,
            line: self.line_of(base + header.span.start),
            time: time.map(|_| Cow::Borrowed(time_text)),
            time_as_written: time.is_none().then_some(Cow::Borrowed(time_text)),
            header_date: header
                .date
                .as_ref()
                .map(|(span, _)| Cow::Borrowed(at(span))),
            date: date_text,
            datetime,
            speaker: Cow::Borrowed(header.speaker(chunk)),
            text: message_text(chunk, message.content_lines()),
            images: Vec::new(),
            links: Vec::new(),
            mentions: Vec::new(),
            emoji: Vec::new(),
            day_headings: std::mem::take(&mut state.pending),
        };
        for inline in message.body.iter().flat_map(|line| &line.inlines) {
            match inline {
                Inline::Image(image) => doc.images.push(ImageDoc {
                    alt: Cow::Borrowed(at(&image.alt_span)),
                    url: Cow::Borrowed(at(&image.destination_span)),
                    title: image
                        .title_span
                        .as_ref()
                        .map(|span| Cow::Borrowed(at(span))),
                }),
                Inline::Link(link) => doc.links.push(LinkDoc {
                    text: Cow::Borrowed(at(&link.text_span)),
                    url: Cow::Borrowed(at(&link.destination_span)),
                }),
                Inline::Mention(mention) => {
                    doc.mentions.push(Cow::Borrowed(at(&mention.name_span)))
                }
                Inline::Emoji(emoji) => doc.emoji.push(Cow::Borrowed(at(&emoji.name_span))),
            }
        }
        doc
    }
}

/// A message's text: its content lines, [`canonical_line`]s joined by `\n`.
fn message_text<'a>(text: &'a str, lines: &[BodyLine]) -> Cow<'a, str> {
    let line = |l: &BodyLine| canonical_line(&text[l.span.clone()], l.in_code_fence);
    match lines {
        [] => Cow::Borrowed(""),
        [only] => Cow::Borrowed(line(only)),
        _ => Cow::Owned(lines.iter().map(line).collect::<Vec<_>>().join("\n")),
    }
}

/// A valid `YYYY-MM-DD` at the start of `text`.
fn leading_date(text: &str) -> Option<Date> {
    text.get(..10).and_then(parser::parse_date)
}

/// Splits a text into ranges of about [`CHUNK_BYTES`], each after the first
/// starting at a header line. The parser reads each chunk exactly as it reads
/// those lines in the whole text: it starts every message afresh (code fences
/// included), and a front matter never reaches past a header line.
fn chunk_ranges(text: &str) -> Vec<Range<usize>> {
    let mut starts = vec![0];
    let mut at = CHUNK_BYTES;
    while let Some(start) = (at < text.len())
        .then(|| parser::next_header_line(text, at))
        .flatten()
    {
        starts.push(start);
        at = start + CHUNK_BYTES;
    }
    let mut ranges: Vec<Range<usize>> = starts.windows(2).map(|w| w[0]..w[1]).collect();
    ranges.push(starts[starts.len() - 1]..text.len());
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(text: &str) -> Vec<MessageDoc<'static>> {
        let source = SourceFile::from_string("2017-08-25-chat.md", text);
        let doc = Document::build(&source, None);
        doc.messages
            .iter()
            .map(|m| serde_json::from_value(serde_json::to_value(&*m).unwrap()).unwrap())
            .collect()
    }

    #[test]
    fn chunks_start_at_header_lines_and_match_a_whole_parse() {
        let mut text = String::from("---\ndate: 2017-08-25 12:00:00\n---\n");
        for i in 0..40_000 {
            text.push_str(&format!(
                "> 07:50:{:02}  右军{i}  \n   \n```\n> 08:00:00  in a fence  \n   \n",
                i % 60
            ));
            if i % 1000 == 999 {
                text.push_str("## 2017-08-26   \n");
            }
        }
        let ranges = chunk_ranges(&text);
        assert!(ranges.len() > 1, "{}", ranges.len());
        for range in &ranges[1..] {
            let end = range.start + text[range.start..].find('\n').unwrap();
            assert!(parser::parse_header(&text, range.start..end).is_some());
        }
        let whole = parser::parse(&text);
        let chunked = docs(&text);
        assert_eq!(chunked.len(), whole.messages.len());
        for (doc, message) in chunked.iter().zip(&whole.messages) {
            assert_eq!(doc.speaker, message.header.speaker(&text));
            assert_eq!(doc.text, message.text(&text));
        }
        // Two headers a round (the second one looks fenced, but a header
        // line always starts a message); a day heading after 1000 rounds.
        assert_eq!(chunked[1999].date.as_deref(), Some("2017-08-25"));
        assert_eq!(chunked[2000].date.as_deref(), Some("2017-08-26"));
        assert_eq!(chunked[2000].day_headings.len(), 1);
        assert_eq!(chunked.last().unwrap().index, chunked.len() - 1);
    }

    #[test]
    fn dates_come_from_header_heading_front_matter_then_file_name() {
        let text = "---\ndate: \"2017-08-24 12:00:00\"\n---\n> 07:00:00  a  \n   \n## 2017-08-23\n> 2017-08-22 08:00:00  b  \n   \n> 09:00:00  c  \n";
        let messages = docs(text);
        let dates: Vec<_> = messages.iter().map(|m| m.date.as_deref()).collect();
        assert_eq!(
            dates,
            [Some("2017-08-24"), Some("2017-08-22"), Some("2017-08-23")]
        );
        let no_front_matter = docs("> 7:00  a  \n");
        assert_eq!(no_front_matter[0].date.as_deref(), Some("2017-08-25"));
        assert_eq!(no_front_matter[0].time, None);
        assert_eq!(no_front_matter[0].time_as_written.as_deref(), Some("7:00"));
        assert_eq!(no_front_matter[0].datetime, None);
    }

    #[test]
    fn offsets_are_checked() {
        for good in ["Z", "+08:00", "-05:30", "+14:00"] {
            assert!(good.parse::<Offset>().is_ok(), "{good}");
        }
        for bad in ["+8", "08:00", "+14:30", "+08:60", "+0800", ""] {
            assert!(bad.parse::<Offset>().is_err(), "{bad}");
        }
    }

    #[test]
    fn body_lines_keep_code_fences_as_written() {
        let lines = body_lines("\n  \na  \n```  \ncode  \n```\nb\t\n \n");
        assert_eq!(
            lines,
            [
                ("a", false),
                ("```  ", true),
                ("code  ", true),
                ("```", true),
                ("b", false)
            ]
        );
    }
}
