//! `chatlint merge`: transcripts of one chat (two exports of a day, or
//! overlapping ranges of days) made one.
//!
//! 1. Each input is read as `convert` reads it (a message's date from its
//!    full-date header, else the day heading above it, else the front
//!    matter's `date`, else the file name).
//! 2. Every input is set to the first input's clock ([`clock`]): by the
//!    messages it shares with the first under the same name, else (after
//!    step 3) by its twins, and step 3 is done again.
//! 3. The messages are interleaved by (date, time), each input's order kept
//!    ([`order`]), and written as one candidate transcript, in which the
//!    twins are found by [`crate::twins::find_twins`]: the definition
//!    `duplicate-message` reports, with its configured options and
//!    `aliases`. The candidate is read as a merge
//!    ([`Evidence::known_merge`]: these inputs are known to be exports of
//!    one chat), and two names that an input shows as two people never
//!    pair up ([`names::two_people`]).
//! 4. Of each set of twins one message is kept, the one
//!    [`crate::rules::keeps_earlier`] keeps (the option `keep`, by default
//!    the canonical name rather than `我`), and an input's name that its
//!    twins replaced is replaced in its other messages too (the exporter's
//!    `我` becomes the name the other export gives them).
//! 5. The kept messages are interleaved again, twins as one, and written in
//!    the archive's layout by `convert --to md`'s writer, with the first
//!    input's front matter and preamble (unchanged: its `lines` is not
//!    recounted) and a day heading before each new day
//!    (and before the first when the first input starts with one).
//! 6. The result is read back and verified ([`verify`]).

mod clock;
mod names;
mod order;
mod output;
mod sets;
mod verify;

use std::borrow::Cow;
use std::collections::HashMap;

use crate::aliases::Aliases;
use crate::convert::document::{Document, MessageDoc};
use crate::model::Time;
use crate::rules::{DuplicateMessage, Keep, Settings};
use crate::source::SourceFile;
use crate::twins::TwinOptions;
use crate::Error;

/// What decides twins and which one stays: `duplicate-message`'s options
/// and the configuration's `aliases`.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    pub keep: Keep,
    pub twins: TwinOptions,
    pub aliases: Aliases,
}

impl Default for MergeOptions {
    /// As without configuration.
    fn default() -> Self {
        Self::from_settings(&Settings::default())
    }
}

impl MergeOptions {
    /// The options of `settings` (those of the first input's configuration).
    pub fn from_settings(settings: &Settings) -> Self {
        let options = DuplicateMessage::options(settings);
        Self {
            keep: options.keep,
            twins: options.twins(),
            aliases: settings.aliases().clone(),
        }
    }
}

/// What became of one input's messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputCount {
    pub name: String,
    pub messages: usize,
    /// Its messages written in the merge.
    pub kept: usize,
    /// Its messages left out for a twin (in another input, or its own).
    pub twins_dropped: usize,
    /// How many seconds its clock was ahead of the first input's.
    pub clock_ahead: i64,
}

/// The merged transcript and the counts.
#[derive(Debug, Clone)]
pub struct Merged {
    pub text: String,
    pub inputs: Vec<InputCount>,
}

/// One message of one input.
#[derive(Debug, Clone)]
struct Item<'a> {
    input: usize,
    doc: MessageDoc<'a>,
    /// The (date, second) it is ordered by: a message without a valid time
    /// takes the one of the message before it in its input.
    key: (Option<String>, u32),
}

/// Merges `sources`, which are read in that order (the first gives the
/// front matter and the clock). `name` is the output's name in errors.
pub fn merge(sources: &[SourceFile], options: &MergeOptions, name: &str) -> Result<Merged, Error> {
    merge_altered(sources, options, name, |_| {})
}

/// [`merge`], with `alter` given the order of the messages to write before
/// they are written and verified: how the tests make a merge that loses a
/// message, which verification must refuse.
fn merge_altered(
    sources: &[SourceFile],
    options: &MergeOptions,
    name: &str,
    alter: impl FnOnce(&mut Vec<usize>),
) -> Result<Merged, Error> {
    if sources.is_empty() {
        return Err(Error::Usage("merge: nothing to merge".into()));
    }
    let documents: Vec<Document<'_>> = sources.iter().map(|s| Document::build(s, None)).collect();
    let mut items = read_items(&documents);
    let stamps_texts: Vec<String> = items
        .iter()
        .map(|item| compared_text(&item.doc.text))
        .collect();
    let stamps: Vec<clock::Stamp<'_>> = items
        .iter()
        .zip(&stamps_texts)
        .map(|(item, text)| clock::Stamp {
            input: item.input,
            date: item.doc.date.as_deref(),
            seconds: seconds_of(&item.doc),
            speaker: &item.doc.speaker,
            text,
        })
        .collect();
    let mut ahead = clock::offsets(&stamps, sources.len(), options.twins.max_skew_seconds);
    drop(stamps);
    for item in &mut items {
        set_clock(item, ahead[item.input]);
    }

    let starts_with_heading = documents
        .first()
        .and_then(|d| d.messages.iter().next())
        .is_some_and(|m| !m.day_headings.is_empty());
    let head = (&documents[0], starts_with_heading);
    let (mut kept_of, mut paired) = sets::twin_sets(head, &items, options, sources, name)?;
    // A clock the same-name messages could not tell (the exporter's own,
    // under two names, may be all the inputs share): read from the twins,
    // and the twins found again.
    let residual = clock::residuals(&twin_differences(&items, &kept_of), sources.len());
    if residual.iter().any(|&seconds| seconds != 0) {
        for item in &mut items {
            set_clock(item, residual[item.input]);
        }
        for (ahead, residual) in ahead.iter_mut().zip(&residual) {
            *ahead += residual;
        }
        (kept_of, paired) = sets::twin_sets(head, &items, options, sources, name)?;
    }
    let kept_of: Vec<usize> = (0..items.len()).map(|i| root(&kept_of, i)).collect();
    let renamed = names::renamed(&items, &kept_of);
    for item in &mut items {
        if let Some(name) = renamed.get(&(item.input, item.doc.speaker.to_string())) {
            item.doc.speaker = Cow::Owned(name.clone());
        }
    }

    let chains = chains_of(&items, &kept_of, sources.len());
    let mut merged = order::interleave(&chains, items.len(), |i| &items[i].key);
    alter(&mut merged);
    let text = output::render(&documents[0], &items, &merged, starts_with_heading);
    verify::verify(
        &verify::Merge {
            name,
            sources,
            items: &items,
            written: &merged,
            kept_of: &kept_of,
            renamed: &renamed,
            ahead: &ahead,
            options,
            paired: &paired,
        },
        &text,
    )?;
    let inputs = sources
        .iter()
        .enumerate()
        .map(|(input, source)| {
            let of_input = || {
                items
                    .iter()
                    .enumerate()
                    .filter(move |(_, item)| item.input == input)
            };
            let messages = of_input().count();
            let kept = of_input().filter(|&(i, _)| kept_of[i] == i).count();
            InputCount {
                name: source.name().to_string(),
                messages,
                kept,
                twins_dropped: messages - kept,
                clock_ahead: ahead[input],
            }
        })
        .collect();
    Ok(Merged { text, inputs })
}

/// Per twin of an input after the first whose set holds a message of the
/// first input: (its input, how many seconds after that message it is
/// written).
fn twin_differences(items: &[Item<'_>], kept_of: &[usize]) -> Vec<(usize, i64)> {
    let mut first_input: HashMap<usize, u32> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        if item.input == 0 {
            first_input.entry(root(kept_of, i)).or_insert(item.key.1);
        }
    }
    items
        .iter()
        .enumerate()
        .filter(|(_, item)| item.input != 0 && seconds_of(&item.doc).is_some())
        .filter_map(|(i, item)| {
            let then = first_input.get(&root(kept_of, i))?;
            Some((item.input, i64::from(item.key.1) - i64::from(*then)))
        })
        .collect()
}

/// The item a set of twins keeps, from any of its members.
fn root(kept_of: &[usize], mut item: usize) -> usize {
    while kept_of[item] != item {
        item = kept_of[item];
    }
    item
}

/// Every message of every document, in order.
fn read_items<'a>(documents: &[Document<'a>]) -> Vec<Item<'a>> {
    let mut items = Vec::new();
    for (input, document) in documents.iter().enumerate() {
        let mut key = (None, 0);
        for doc in document.messages.iter() {
            let doc = doc.into_owned();
            key = (
                doc.date.as_deref().map(str::to_string).or(key.0),
                seconds_of(&doc).unwrap_or(key.1),
            );
            items.push(Item {
                input,
                doc,
                key: key.clone(),
            });
        }
    }
    items
}

/// Per input, its messages' nodes in order: `node_of` each item.
fn chains_of(items: &[Item<'_>], node_of: &[usize], inputs: usize) -> Vec<Vec<usize>> {
    let mut chains = vec![Vec::new(); inputs];
    for (i, item) in items.iter().enumerate() {
        chains[item.input].push(node_of[i]);
    }
    chains
}

/// The header's valid time in seconds since midnight.
fn seconds_of(doc: &MessageDoc<'_>) -> Option<u32> {
    let time = doc.time.as_deref()?;
    let mut fields = time.split(':').map(|f| f.parse::<u8>().ok());
    let (hour, minute, second) = (fields.next()??, fields.next()??, fields.next()??);
    let time = Time {
        hour,
        minute,
        second,
    };
    time.is_valid().then(|| time.seconds_since_midnight())
}

/// Sets `item` to the first input's clock, `ahead` seconds behind its own
/// (kept within its day: a message cannot move to another day's file).
fn set_clock(item: &mut Item<'_>, ahead: i64) {
    let Some(seconds) = seconds_of(&item.doc).filter(|_| ahead != 0) else {
        return;
    };
    let set = (i64::from(seconds) - ahead).clamp(0, 86_399) as u32;
    let time = Time {
        hour: (set / 3600) as u8,
        minute: (set / 60 % 60) as u8,
        second: (set % 60) as u8,
    };
    item.doc.time = Some(Cow::Owned(time.to_string()));
    item.key.1 = set;
}

/// A text as twins compare it: the non-blank lines, each trimmed.
fn compared_text(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests;
