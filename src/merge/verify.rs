//! The check a merge passes before anything is written: its Markdown read
//! back is the messages merged, and every message of every input is in it,
//! or has its twin there.

use std::collections::{HashMap, HashSet};

use super::{compared_text, seconds_of, Item, MergeOptions};
use crate::convert::document::Document;
use crate::source::SourceFile;
use crate::Error;

/// A merge as made, to be verified.
pub struct Merge<'m, 'a> {
    /// The output's name, for errors.
    pub name: &'m str,
    pub sources: &'m [SourceFile],
    pub items: &'m [Item<'a>],
    /// The items written, in order.
    pub written: &'m [usize],
    /// Each item's kept twin (itself when kept).
    pub kept_of: &'m [usize],
    /// The names the merge gave an input's names.
    pub renamed: &'m HashMap<(usize, String), String>,
    /// Per input, how many seconds its clock was set back.
    pub ahead: &'m [i64],
    pub options: &'m MergeOptions,
    /// The names the merge found twins under, each pair both ways.
    pub paired: &'m super::sets::PairedNames,
}

/// Fails, naming the message, unless
/// - `text` reads back as the messages written: each one's date, time,
///   speaker and text; and
/// - every message of every input, read again from its source, has a
///   message in `text` of the same day and text (lines trimmed, blank ones
///   left out), under its own name or one the twin definition makes the
///   same person's (configured `aliases`, names the merge found twins under,
///   or the name the merge gave the input's name), at most
///   `max-skew-seconds` plus the input's clock offset from it.
pub fn verify(merge: &Merge<'_, '_>, text: &str) -> Result<(), Error> {
    let fail = |reason: String| Error::Merge {
        name: merge.name.to_string(),
        reason: format!("the merge failed verification: {reason}"),
    };
    let output = SourceFile::from_string(merge.name, text);
    let document = Document::build(&output, None);
    let read: Vec<_> = document.messages.iter().map(|m| m.into_owned()).collect();
    if read.len() != merge.written.len() {
        return Err(fail(format!(
            "{} messages were merged, {} read back",
            merge.written.len(),
            read.len()
        )));
    }
    for (message, &i) in read.iter().zip(merge.written) {
        let expected = &merge.items[i].doc;
        let same = message.date.as_deref() == merge.items[i].key.0.as_deref()
            && message.written_time() == expected.written_time().trim()
            && message.speaker == expected.speaker.trim()
            && message.text == expected.text;
        if !same {
            return Err(fail(format!(
                "the message at line {} reads back otherwise",
                message.line
            )));
        }
    }
    let mut by_text: HashMap<(Option<&str>, String), Vec<usize>> = HashMap::new();
    for (at, message) in read.iter().enumerate() {
        by_text
            .entry((message.date.as_deref(), compared_text(&message.text)))
            .or_default()
            .push(at);
    }
    let one_person = |input: usize, a: &str, b: &str| {
        a == b
            || merge.options.aliases.same_person(a, b)
            || merge.paired.contains(&(a.to_string(), b.to_string()))
            || merge
                .renamed
                .get(&(input, a.to_string()))
                .is_some_and(|renamed| renamed == b)
    };
    for (input, source) in merge.sources.iter().enumerate() {
        let reach =
            u64::from(merge.options.twins.max_skew_seconds) + merge.ahead[input].unsigned_abs();
        let document = Document::build(source, None);
        for message in document.messages.iter() {
            let candidates = by_text
                .get(&(message.date.as_deref(), compared_text(&message.text)))
                .map(Vec::as_slice)
                .unwrap_or_default();
            let found = candidates.iter().any(|&at| {
                let there = &read[at];
                let near = match (seconds_of(&message), seconds_of(there)) {
                    (Some(a), Some(b)) => u64::from(a.abs_diff(b)) <= reach,
                    (None, None) => message.written_time().trim() == there.written_time(),
                    _ => false,
                };
                near && one_person(input, message.speaker.trim(), &there.speaker)
            });
            if !found {
                return Err(fail(format!(
                    "the message at line {} of {} ({} {}) is not in it, nor its twin",
                    message.line,
                    source.name(),
                    message.written_time(),
                    message.speaker
                )));
            }
        }
    }
    // Every item is written, or its kept twin is.
    let written: HashSet<usize> = merge.written.iter().copied().collect();
    if let Some(lost) = (0..merge.items.len()).find(|&i| !written.contains(&merge.kept_of[i])) {
        return Err(fail(format!(
            "the message at line {} of {} was left out",
            merge.items[lost].doc.line,
            merge.sources[merge.items[lost].input].name()
        )));
    }
    Ok(())
}
