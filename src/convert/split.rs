//! `--split day|month`: one document per day or month of a transcript's
//! messages, by each message's date (full-date header, day heading, front
//! matter, file name: see [`MessageDoc::date`]).
//!
//! Each part keeps the whole front matter; the preamble goes with the
//! first part, the day headings after the last message with the last. A
//! message keeps its `index` and `line` from the whole file. The parts come
//! in the order their first message stands in the file; messages without a
//! date make a part of their own, `undated`.

use std::collections::HashMap;

use super::document::Messages;
use super::{Document, MessageDoc};

/// What one output holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Period {
    /// `YYYY-MM-DD`.
    Day,
    /// `YYYY-MM`.
    Month,
}

/// The name of the part of messages without a date.
pub const UNDATED: &str = "undated";

impl Period {
    /// The part a message goes to: `2017-08-25`, `2017-08` or `undated`.
    pub fn of(self, message: &MessageDoc<'_>) -> String {
        let Some(date) = message.date.as_deref() else {
            return UNDATED.to_string();
        };
        let length = match self {
            Period::Day => 10,
            Period::Month => 7,
        };
        date.get(..length).unwrap_or(UNDATED).to_string()
    }
}

/// One document per period of `document`'s messages (those its filter
/// keeps), each named by its period. A document without messages is one
/// part, `undated`, so that its front matter and headings are not lost.
pub fn split<'a>(document: &Document<'a>, period: Period) -> Vec<(String, Document<'a>)> {
    let mut order: Vec<String> = Vec::new();
    let mut parts: HashMap<String, Vec<MessageDoc<'a>>> = HashMap::new();
    // The part of the file's last message: the headings after it go there.
    let mut last = UNDATED.to_string();
    for message in document.messages.iter() {
        let mut message = message.into_owned();
        let key = period.of(&message);
        let part = parts.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            Vec::new()
        });
        // A heading that stood inside the text of the message before, now
        // in another part, stands before this one.
        if part
            .last()
            .is_none_or(|before| before.index + 1 != message.index)
        {
            for heading in &mut message.day_headings {
                heading.within_previous = None;
            }
        }
        part.push(message);
        last = key;
    }
    if order.is_empty() {
        order.push(UNDATED.to_string());
    }
    order
        .into_iter()
        .enumerate()
        .map(|(k, key)| {
            let first = k == 0;
            let part = Document {
                source: document.source.clone(),
                front_matter: document.front_matter.clone(),
                preamble: document.preamble.clone().filter(|_| first),
                preamble_suppressions: if first {
                    document.preamble_suppressions.clone()
                } else {
                    Vec::new()
                },
                messages: Messages::List(parts.remove(&key).unwrap_or_default()),
                trailing_day_headings: if key == last {
                    document.trailing_day_headings.clone()
                } else {
                    Vec::new()
                },
                diagnostics: None,
            };
            (key, part)
        })
        .collect()
}
