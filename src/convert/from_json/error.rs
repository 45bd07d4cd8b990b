//! Why a document is refused: the message, the field, and the problem, which
//! quotes the values it names.

use std::fmt;

/// Why a document read by `--from json` cannot be written as Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// The message's 0-based position in `messages` (its `index`); none for
    /// the parts of the document outside the messages.
    pub message: Option<usize>,
    /// The field: in a message `time`, `time_as_written`, `header_date`,
    /// `date`, `speaker`, `suppressions`, `text`, `day_headings`, `images`, `links`,
    /// `mentions`, `emoji`, or `messages` (their count); outside the messages
    /// `front_matter.raw`, `front_matter.closed`, `front_matter.fields`,
    /// `front_matter.parsed`, `preamble`, `preamble_suppressions`,
    /// `trailing_day_headings`.
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
    "suppressions",
    "text",
    "date",
    "day_headings",
    "images",
    "links",
    "mentions",
    "emoji",
    "messages",
];

pub(super) fn in_message(
    index: usize,
    field: &'static str,
    problem: impl Into<String>,
) -> JsonError {
    JsonError {
        message: Some(index),
        field,
        problem: problem.into(),
    }
}

pub(super) fn outside(field: &'static str, problem: impl Into<String>) -> JsonError {
    JsonError {
        message: None,
        field,
        problem: problem.into(),
    }
}

/// A value as the problems quote it: JSON-escaped, at most 80 characters.
pub(super) fn quoted(value: &str) -> String {
    const MAX: usize = 80;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", serde_json::Value::from(&value[..cut])),
        None => serde_json::Value::from(value).to_string(),
    }
}
