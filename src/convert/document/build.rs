//! Building a document from a source: its head at once, its messages a
//! chunk at a time as they are iterated.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use super::suppressions::{self, Kept};
use super::{
    trim_blank, DayHeadingDoc, Document, FieldDoc, FrontMatterDoc, ImageDoc, LinkDoc, MessageDoc,
    Messages, Offset,
};
use crate::convert::filter::MessageFilter;
use crate::line_index::LineIndex;
use crate::model::{Date, DayHeading, Inline, Message, Transcript};
use crate::parser;
use crate::source::SourceFile;

/// About how many bytes of messages are parsed at a time.
const CHUNK_BYTES: usize = 1 << 18;

/// What carries over from one message to the next while building.
#[derive(Debug, Default)]
pub(super) struct DayState<'a> {
    index: usize,
    /// The date of the last day heading.
    day: Option<Date>,
    /// Day headings read since the last message.
    pending: Vec<DayHeadingDoc<'a>>,
}

/// The messages of a source, parsed a chunk at a time.
#[derive(Debug)]
pub struct SourceMessages<'a> {
    pub(super) text: &'a str,
    lines: &'a LineIndex,
    /// Consecutive ranges covering the text; each but the first starts at a
    /// header line.
    pub(super) chunks: Vec<Range<usize>>,
    /// The first chunk's model, which the document's head came from.
    pub(super) first: Transcript,
    /// The date of messages with no other: front matter, else file name.
    fallback_date: Option<Date>,
    timezone: Option<Offset>,
    /// `--since`, `--until`, `--speaker`: the messages kept.
    pub(super) filter: Option<MessageFilter>,
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
        let fallback_date = parser::file_date(
            front_matter
                .as_ref()
                .and_then(|f| f.fields.iter().find(|field| field.key == "date"))
                .map(|field| field.raw.as_ref()),
            Some(Path::new(source.name())),
        );

        let (preamble, preamble_suppressions) = {
            let lines = trim_blank(&first.preamble, |line| line.is_blank);
            if suppressions::may_hold(text, lines) {
                let separated = suppressions::separate(text, lines, Kept::AsWritten, line_of);
                let preamble = (!separated.text.is_empty()).then_some(separated.text);
                (preamble, separated.suppressions)
            } else {
                let preamble = (!lines.is_empty()).then(|| {
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
                });
                (preamble, Vec::new())
            }
        };

        let messages = SourceMessages {
            text,
            lines,
            chunks,
            first,
            fallback_date,
            timezone: timezone.cloned(),
            filter: None,
        };
        let trailing_day_headings = messages.trailing_day_headings();
        Document {
            source: Cow::Borrowed(source.name()),
            front_matter,
            preamble,
            preamble_suppressions,
            messages: Messages::Source(Box::new(messages)),
            trailing_day_headings,
            diagnostics: None,
        }
    }
}

impl Document<'_> {
    /// Keeps only the messages `filter` keeps: as they are built, of a
    /// document built from a source; at once, of a list (read from JSON,
    /// split or pseudonymized). The day headings of a message left out go
    /// with the next one kept.
    pub fn keep_only(&mut self, filter: MessageFilter) {
        // The last message kept may not be the last one: a heading after
        // it stands after it, not inside its text.
        for heading in &mut self.trailing_day_headings {
            heading.within_previous = None;
        }
        match &mut self.messages {
            Messages::Source(source) => source.filter = Some(filter),
            Messages::List(list) => {
                let mut headings = Vec::new();
                let mut left_out_before = false;
                list.retain_mut(|message| {
                    if !filter.keeps(message) {
                        headings.append(&mut message.day_headings);
                        left_out_before = true;
                        return false;
                    }
                    if left_out_before {
                        let own = std::mem::take(&mut message.day_headings);
                        message.day_headings = std::mem::take(&mut headings);
                        message.day_headings.extend(own);
                        for heading in &mut message.day_headings {
                            heading.within_previous = None;
                        }
                        left_out_before = false;
                    }
                    true
                });
                // Those of messages left out after the last one kept go
                // with them, as when the messages are built.
            }
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
            // Counted in the lines of the message's text, which holds no
            // suppression comment.
            let lines = message.content_lines();
            let (before, count) = if suppressions::may_hold(chunk, lines) {
                let starts = suppressions::separate(chunk, lines, Kept::Canonical, |_| 0).starts;
                let before = starts
                    .iter()
                    .take_while(|&&start| start < heading.span.start);
                (before.count(), starts.len())
            } else {
                let before = lines
                    .iter()
                    .take_while(|line| line.span.start < heading.span.start);
                (before.count(), lines.len())
            };
            (before < count).then_some(before)
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
    pub(super) fn build_chunk(
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
        let (text, suppressions) = if suppressions::may_hold(chunk, message.content_lines()) {
            let separated =
                suppressions::separate(chunk, message.content_lines(), Kept::Canonical, |offset| {
                    self.line_of(base + offset)
                });
            (separated.text, separated.suppressions)
        } else {
            (message.text(chunk), Vec::new())
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
            text,
            images: Vec::new(),
            links: Vec::new(),
            mentions: Vec::new(),
            emoji: Vec::new(),
            day_headings: std::mem::take(&mut state.pending),
            suppressions,
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
}
