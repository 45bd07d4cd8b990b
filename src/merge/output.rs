//! Writing a merge: `convert --to md`'s writer, without its fixes (a
//! merge only merges; `check --fix` cleans), on a document made of the
//! first input's head and the merged messages.

use std::borrow::Cow;

use super::Item;
use crate::convert::document::{DayHeadingDoc, Document, Messages};
use crate::Error;

/// The Markdown of `order` (indices into `items`) under the head (front
/// matter, preamble) of `first`: a day heading before each message whose
/// date is not the one before's, and before the first with
/// `starts_with_heading` or when its date is not the front matter's (which
/// it would read as without one). The inputs' own headings are not kept: they
/// stood among other messages.
pub fn render(
    first: &Document<'_>,
    items: &[Item<'_>],
    order: &[usize],
    starts_with_heading: bool,
) -> String {
    // The date a message without a heading above reads as in the output:
    // the front matter's (the output's own name may hold none).
    let front_matter_date: Option<String> = first
        .front_matter
        .as_ref()
        .and_then(|f| f.parsed.as_ref())
        .and_then(|parsed| parsed.get("date"))
        .and_then(|date| date.as_str())
        .and_then(|date| date.get(..10))
        .map(str::to_string);
    let mut previous_date: Option<&str> = None;
    let messages = order
        .iter()
        .enumerate()
        .map(|(at, &i)| {
            let mut doc = items[i].doc.clone();
            let date = items[i].key.0.as_deref();
            let new_day = if at == 0 {
                starts_with_heading
                    || date.is_some_and(|date| front_matter_date.as_deref() != Some(date))
            } else {
                date.is_some() && date != previous_date
            };
            previous_date = date;
            doc.day_headings = match date {
                Some(date) if new_day => vec![DayHeadingDoc {
                    line: 0,
                    date: Cow::Owned(date.to_string()),
                    text: Cow::Owned(format!("## {date}")),
                    within_previous: None,
                }],
                _ => Vec::new(),
            };
            doc
        })
        .collect();
    let document = Document {
        source: first.source.clone(),
        front_matter: first.front_matter.clone(),
        preamble: first.preamble.clone(),
        preamble_suppressions: first.preamble_suppressions.clone(),
        messages: Messages::List(messages),
        trailing_day_headings: Vec::new(),
        diagnostics: None,
    };
    crate::convert::markdown::render(&document)
}

/// The error for a merge whose Markdown reads back as another number of
/// messages (a text line that reads as a header): names the first message
/// that does not read back, with its input.
pub fn does_not_read_back(
    name: &str,
    items: &[Item<'_>],
    order: &[usize],
    text: &str,
    inputs: &[crate::source::SourceFile],
) -> Error {
    let read = crate::parser::parse(text);
    let differs = order.iter().zip(&read.messages).position(|(&i, message)| {
        message.header.speaker(text) != items[i].doc.speaker.trim()
            || message.text(text) != items[i].doc.text
    });
    let at = differs.unwrap_or(order.len().min(read.messages.len()));
    let reason = match order.get(at) {
        Some(&i) => format!(
            "its message at line {} of {} does not read back as one message",
            items[i].doc.line,
            inputs[items[i].input].name()
        ),
        None => "the merged Markdown reads back as more messages than were merged".to_string(),
    };
    Error::Merge {
        name: name.to_string(),
        reason,
    }
}
