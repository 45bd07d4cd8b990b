//! The typed model of a transcript: what is written, where it is written.
//!
//! Every element carries the byte [`Span`] of its text in the source. The model
//! records what the file says, including what is malformed (a header whose time
//! does not parse, an image missing its `)`), so that rules can judge it; the
//! parser never rejects input.

use std::ops::Range;

/// A half-open byte range into the source text.
pub type Span = Range<usize>;

/// A whole transcript file, or a part of a large one (see
/// [`crate::parser::parse_range`]).
#[derive(Debug, Clone, Default)]
pub struct Transcript {
    /// Where the parsed text starts: 0, or a part's first header line.
    pub start: usize,
    /// Where the parsed text ends: the text's length, or the end of the
    /// part. The last message's block runs to here, not to the text's end.
    pub end: usize,
    pub front_matter: Option<FrontMatter>,
    /// Lines after the front matter and before the first message.
    pub preamble: Vec<BodyLine>,
    pub day_headings: Vec<DayHeading>,
    pub messages: Vec<Message>,
}

impl Transcript {
    /// Every body line, the preamble's first, then each message's in order.
    pub fn body_lines(&self) -> impl Iterator<Item = &BodyLine> {
        self.preamble
            .iter()
            .chain(self.messages.iter().flat_map(|m| m.body.iter()))
    }

    /// Every image, in order.
    pub fn images(&self) -> impl Iterator<Item = &Image> {
        self.body_lines().flat_map(BodyLine::images)
    }
}

/// The Jekyll front matter between `---` lines.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// From the opening `---` to the end of the closing one (or of the last line
    /// that belonged to it when it is unclosed).
    pub span: Span,
    /// The YAML between the fences.
    pub yaml_span: Span,
    /// Whether a closing `---` was found.
    pub closed: bool,
}

impl FrontMatter {
    /// The YAML, parsed; an error carries its offset in the file.
    pub fn parse_yaml(&self, source: &str) -> Result<crate::yaml::Value, crate::yaml::YamlError> {
        crate::yaml::parse_front_matter(source, &self.yaml_span)
    }

    /// Why the YAML does not parse (with its offset in the file), or
    /// `None`: [`Self::parse_yaml`]'s error, found faster.
    pub fn yaml_error(&self, source: &str) -> Option<crate::yaml::YamlError> {
        crate::yaml::front_matter_error(source, &self.yaml_span)
    }
}

/// A `## YYYY-MM-DD` line separating days in multi-day files.
#[derive(Debug, Clone)]
pub struct DayHeading {
    pub span: Span,
    pub date: Date,
}

/// A calendar date as written in a header or heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Whether the day exists in that month (leap years included).
    pub fn is_valid(&self) -> bool {
        let days_in_month = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if is_leap_year(self.year) => 29,
            2 => 28,
            _ => return false,
        };
        (1..=days_in_month).contains(&self.day)
    }

    /// The day after, for a valid date.
    pub fn next_day(self) -> Date {
        let mut next = Date {
            day: self.day + 1,
            ..self
        };
        if !next.is_valid() {
            next = Date {
                month: self.month + 1,
                day: 1,
                ..self
            };
        }
        if !next.is_valid() {
            next = Date {
                year: self.year.saturating_add(1),
                month: 1,
                day: 1,
            };
        }
        next
    }
}

fn is_leap_year(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A time of day that passed validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Time {
    /// Whether it is a time of day: hours below 24, minutes and seconds
    /// below 60.
    pub fn is_valid(&self) -> bool {
        self.hour < 24 && self.minute < 60 && self.second < 60
    }

    pub fn seconds_since_midnight(&self) -> u32 {
        u32::from(self.hour) * 3600 + u32::from(self.minute) * 60 + u32::from(self.second)
    }
}

impl std::fmt::Display for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.hour, self.minute, self.second)
    }
}

/// One message: its header line and the body lines up to the next header.
#[derive(Debug, Clone)]
pub struct Message {
    pub header: Header,
    /// Every line after the header, separator lines included. A boxed
    /// slice, allocated once at its exact length: a large transcript holds
    /// millions of these, and a `Vec`'s spare capacity would cost more than
    /// the text.
    pub body: Box<[BodyLine]>,
}

impl Message {
    /// The images of the message's body, in order.
    pub fn images(&self) -> impl Iterator<Item = &Image> {
        self.body.iter().flat_map(BodyLine::images)
    }

    /// The span from the header's first byte to the end of its last body line.
    pub fn span(&self) -> Span {
        let end = self
            .body
            .last()
            .map_or(self.header.span.end, |line| line.span.end);
        self.header.span.start..end
    }

    /// The lines that hold text: body lines less the blank separator lines
    /// before and after it.
    pub fn content_lines(&self) -> &[BodyLine] {
        crate::layout::trim_blank(&self.body, |line| line.is_blank)
    }

    /// The message text: its content lines, each a
    /// [`crate::layout::canonical_line`] (without its hard-break spaces,
    /// unless in a code fence), joined with `\n`.
    pub fn text<'a>(&self, source: &'a str) -> std::borrow::Cow<'a, str> {
        let line =
            |l: &BodyLine| crate::layout::canonical_line(&source[l.span.clone()], l.in_code_fence);
        match self.content_lines() {
            [] => std::borrow::Cow::Borrowed(""),
            [only] => std::borrow::Cow::Borrowed(line(only)),
            lines => std::borrow::Cow::Owned(lines.iter().map(line).collect::<Vec<_>>().join("\n")),
        }
    }
}

/// A message header: `> HH:MM:SS  speaker  ` or `> YYYY-MM-DD HH:MM:SS  speaker  `.
#[derive(Debug, Clone)]
pub struct Header {
    /// The line without its line break.
    pub span: Span,
    /// The date written in the header, if any, and its span.
    pub date: Option<(Span, Option<Date>)>,
    /// The time as written, valid or not.
    pub time_span: Span,
    /// The time when it is exactly `HH:MM:SS` and in range.
    pub time: Option<Time>,
    /// The speaker, trimmed; may be empty.
    pub speaker_span: Span,
}

impl Header {
    pub fn speaker<'a>(&self, source: &'a str) -> &'a str {
        &source[self.speaker_span.clone()]
    }

    pub fn time_text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.time_span.clone()]
    }

    /// The header's full date, when it has one and it is valid.
    pub fn valid_date(&self) -> Option<Date> {
        self.date.as_ref().and_then(|(_, date)| *date)
    }
}

/// One line of a message body (or of the preamble).
#[derive(Debug, Clone)]
pub struct BodyLine {
    /// The line without its line break.
    pub span: Span,
    /// Whitespace only.
    pub is_blank: bool,
    /// Inside a fenced code block (the fence lines themselves included).
    pub in_code_fence: bool,
    /// Images, links, mentions and emoji codes, in order; empty in code
    /// fences. Exactly as long as it needs to be (see [`Message::body`]).
    pub inlines: Box<[Inline]>,
}

impl BodyLine {
    /// The images of the line, in order.
    pub fn images(&self) -> impl Iterator<Item = &Image> {
        self.inlines.iter().filter_map(|inline| match inline {
            Inline::Image(image) => Some(image),
            _ => None,
        })
    }
}

/// An inline element of a body line.
#[derive(Debug, Clone)]
pub enum Inline {
    Image(Image),
    Link(Link),
    Mention(Mention),
    Emoji(Emoji),
}

/// Which character opened or closed a construct: the ASCII one Markdown
/// expects or a full-width look-alike that a CJK input method typed instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    Ascii,
    FullWidth,
}

/// Something written as an image, `![alt](destination "title")`, recognised
/// leniently: full-width `！` and `（）`, a missing `)`, spaces in the URL.
#[derive(Debug, Clone)]
pub struct Image {
    pub span: Span,
    /// The `!` or `！`.
    pub bang: Width,
    pub alt_span: Span,
    /// The `(` or `（` after `]`.
    pub open_paren: Width,
    /// The closing paren, if the line has one.
    pub close_paren: Option<Width>,
    /// The destination as written, without `<>` and without the title.
    pub destination_span: Span,
    /// The destination was written in angle brackets `<…>`.
    pub angle_brackets: bool,
    /// The title, without its quotes.
    pub title_span: Option<Span>,
}

/// `[text](url)` or `<http://…>`.
#[derive(Debug, Clone)]
pub struct Link {
    pub span: Span,
    pub text_span: Span,
    pub destination_span: Span,
}

/// `@name`, ended by U+2005 (or the `?` it was lost as), a space or the line end.
#[derive(Debug, Clone)]
pub struct Mention {
    pub span: Span,
    pub name_span: Span,
}

/// A WeChat emoji code such as `[强]` or `[OK]`.
#[derive(Debug, Clone)]
pub struct Emoji {
    pub span: Span,
    pub name_span: Span,
}
