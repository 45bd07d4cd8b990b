//! The fields of a document, as `--to json` writes them and `--from json`
//! reads them (`schemas/transcript.schema.json`).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Messages;
use crate::output::json::JsonFinding;

/// A transcript as data.
#[derive(Debug, Serialize, Deserialize)]
pub struct Document<'a> {
    /// The file as given on the command line, or `<stdin>`. Written for the
    /// reader; `--from json` does not need it.
    #[serde(default)]
    pub source: Cow<'a, str>,
    #[serde(default)]
    pub front_matter: Option<FrontMatterDoc<'a>>,
    /// The lines between the front matter and the first message, if any are
    /// not blank, as written.
    #[serde(default)]
    pub preamble: Option<Cow<'a, str>>,
    /// The suppression comments among the preamble's lines, kept out of
    /// `preamble` as a message's are kept out of its `text`: `text_line`
    /// counts the preamble's lines, and as many as it has means right above
    /// the first message's header.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preamble_suppressions: Vec<SuppressionDoc<'a>>,
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
    /// before it (lines of `text`, suppression comments aside), so that the
    /// Markdown keeps the heading where it was.
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
    /// The suppression comments (`<!-- chatlint-disable… -->`) written among
    /// the message's lines, kept out of `text`: lint machinery, not what was
    /// said. In file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<SuppressionDoc<'a>>,
}

/// A suppression comment of a message, and where it stands among the lines
/// of its `text` (so that `--from json` writes it back there).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuppressionDoc<'a> {
    /// The 1-based line in the file.
    #[serde(default)]
    pub line: usize,
    /// The 0-based line of `text` it belongs to. On a line of its own, the
    /// comment stands before that line; as many as `text` has lines: after
    /// the text, right above what follows (the next header, with its day
    /// headings). With `offset`, it stands within that line.
    pub text_line: usize,
    /// Within a line of text: how many characters of the line (as `text`
    /// holds it) come before it. Absent for a comment on a line of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// The comment as written: on a line of its own, the line without the
    /// white space at its end; within a line, with the white space that
    /// parted it from the text (before it, or after it at the line's start).
    pub comment: Cow<'a, str>,
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
