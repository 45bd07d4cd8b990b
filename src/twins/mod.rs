//! Twins: one message written twice in a transcript, as a merge of two
//! exports of one chat leaves it. The one definition, which
//! `duplicate-message` reports and a merge of exports can reuse.
//!
//! Two messages are twins when they have the same text (the non-blank
//! lines, each trimmed; an empty body included), fall on the same day, and
//! stand at most `max_distance` messages apart, and either
//! - **a copy**: the same speaker at the same second with a non-empty text
//!   (found in any file: a message sent or exported twice); or
//! - **one person's two names**, at most `max_skew_seconds` apart (the two
//!   exporters' clocks differ): names [`Aliases`] configures as one
//!   person's, or, in a file that reads as a merge of two exports (see
//!   [`Evidence`]), the same name or two names the file pairs up.
//!
//! Each message has at most one twin under two names: the two exports hold
//! one copy each. A message is matched, in the order of the file, with the
//! closest earlier message not yet matched (fewest seconds apart, then
//! fewest messages), so that a chain of `[强]` from two people pairs each
//! copy with its own.

mod evidence;

pub use evidence::Evidence;

use std::borrow::Cow;

use crate::aliases::Aliases;
use crate::model::{Date, Transcript};
use crate::parser::comments::{suppression_comments, SUPPRESSION_MARKER};

/// The name an exporter gives its own messages.
pub const SELF_NAME: &str = "我";

/// What decides twins (the options of `duplicate-message`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TwinOptions {
    /// How many messages apart two twins may stand.
    pub max_distance: usize,
    /// How many seconds apart the two copies of one person's message may
    /// be written.
    pub max_skew_seconds: u32,
    /// The least share of a file's messages, in percent, that are twins
    /// under names pairing up one to one, for the file to read as a merge.
    pub merge_twinned_percent: u8,
    /// The least share, in percent, of the twins under two names that fall
    /// on names pairing up one to one, for the file to read as a merge.
    pub merge_consistent_percent: u8,
}

impl Default for TwinOptions {
    fn default() -> Self {
        Self {
            max_distance: 10,
            max_skew_seconds: 4,
            merge_twinned_percent: 30,
            merge_consistent_percent: 70,
        }
    }
}

/// Two messages of a transcript that are one, by index into its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TwinPair {
    pub earlier: usize,
    pub later: usize,
    /// How many seconds apart the two are written (either way: the later
    /// one in the file may carry the earlier time).
    pub seconds_apart: u32,
    pub why: Why,
}

/// Why two messages are twins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The same speaker, second and (non-empty) text.
    Copy,
    /// The configuration's `aliases` make the two names one person's.
    Configured,
    /// The file reads as a merge of two exports, and the two names pair up
    /// in it (or are the same name, near in time or with an empty body).
    Evident,
}

/// The twins among `transcript`'s messages, in the order of the later one.
/// `evidence` is of the whole file the transcript is (or is a part of).
pub fn find_twins(
    text: &str,
    transcript: &Transcript,
    options: &TwinOptions,
    aliases: &Aliases,
    evidence: &Evidence,
) -> Vec<TwinPair> {
    let keys = keys(text, transcript);
    let one_person = |a: &str, b: &str| {
        if aliases.same_person(a, b) {
            Some(Why::Configured)
        } else {
            (evidence.merged() && (a == b || evidence.pair_up(a, b))).then_some(Why::Evident)
        }
    };
    // Without configured aliases, twins under two names (or seconds apart)
    // are only looked for in a merge.
    let across_names = evidence.merged() || !aliases.is_empty();
    let mut matched = vec![false; keys.len()];
    let mut pairs = Vec::new();
    for later in 0..keys.len() {
        let Some(b) = &keys[later] else { continue };
        let window = later.saturating_sub(options.max_distance)..later;
        let copy = window.clone().rev().find(|&earlier| {
            keys[earlier]
                .as_ref()
                .is_some_and(|a| a.is_copy_of(b) && !b.is_empty())
        });
        let pair = match copy {
            Some(earlier) => Some((earlier, 0, Why::Copy)),
            None if !across_names => None,
            None => window
                .filter(|&earlier| !matched[earlier])
                .filter_map(|earlier| {
                    let a = keys[earlier].as_ref()?;
                    let apart = a.seconds_to(b, options.max_skew_seconds)?;
                    let why = one_person(a.speaker, b.speaker).filter(|_| a.same_text(b))?;
                    Some((earlier, apart, why))
                })
                .min_by_key(|&(earlier, apart, _)| (apart, later - earlier)),
        };
        if let Some((earlier, seconds_apart, why)) = pair {
            matched[earlier] = true;
            matched[later] = true;
            pairs.push(TwinPair {
                earlier,
                later,
                seconds_apart,
                why,
            });
        }
    }
    pairs
}

/// Whether the twins of the messages of `transcript` from index `first_judged`
/// on are what they are in the whole file: `transcript` starts at the file's
/// start, or holds a cut before `first_judged`, at least `max_distance`
/// messages in, that no two messages near enough in time to be twins stand
/// across (so that what comes before it cannot change a match after it).
/// Read from the header times alone.
pub fn settled_from(transcript: &Transcript, first_judged: usize, options: &TwinOptions) -> bool {
    if transcript.start == 0 {
        return true;
    }
    let times = times(transcript);
    let distance = options.max_distance;
    let near = |i: usize, j: usize| match (&times[i], &times[j]) {
        (Some(a), Some(b)) => a.0 == b.0 && a.1.abs_diff(b.1) <= options.max_skew_seconds,
        _ => false,
    };
    (distance.max(1)..=first_judged.min(times.len()))
        .rev()
        .any(|cut| {
            (cut - distance.min(cut)..cut).all(|i| {
                (cut..times.len().min(i.saturating_add(distance) + 1)).all(|j| !near(i, j))
            })
        })
}

/// Which day a message falls on: the date its header writes, if any, and
/// how many day headings come before it.
type Day = (Option<Date>, usize);

/// Each message's day and second, when it has a valid time.
fn times(transcript: &Transcript) -> Vec<Option<(Day, u32)>> {
    let mut headings = transcript.day_headings.iter().peekable();
    let mut day_index = 0;
    transcript
        .messages
        .iter()
        .map(|message| {
            let start = message.header.span.start;
            while headings.next_if(|h| h.span.start < start).is_some() {
                day_index += 1;
            }
            let time = message.header.time?;
            let day = (message.header.valid_date(), day_index);
            Some((day, time.seconds_since_midnight()))
        })
        .collect()
}

/// What twins are compared on, for a message with a valid time.
#[derive(Debug, Clone)]
struct Key<'a> {
    day: Day,
    second: u32,
    speaker: &'a str,
    text: &'a str,
    body: Body<'a>,
}

/// A message's body lines, read when two messages are near enough in time
/// to compare their text (most never are).
#[derive(Debug, Clone)]
enum Body<'a> {
    Model(&'a [crate::model::BodyLine]),
    Outline(crate::parser::Outline),
}

impl<'a> Key<'a> {
    /// The non-blank body lines, trimmed, without suppression comments
    /// (lint machinery, not what was said: a comment above the next
    /// message's header stands in this body, and must not make twins
    /// differ): the text compared.
    fn lines(&self) -> impl Iterator<Item = Cow<'a, str>> + '_ {
        let text = self.text;
        let (model, outline) = match &self.body {
            Body::Model(lines) => (Some(lines.iter()), None),
            Body::Outline(outline) => (None, Some(outline.body_lines(text))),
        };
        let model = model
            .into_iter()
            .flatten()
            .filter(|line| !line.is_blank)
            .map(move |line| &text[line.span.clone()]);
        let outline = outline
            .into_iter()
            .flatten()
            .filter(|line| !crate::parser::is_blank_line(line));
        model
            .chain(outline)
            .map(without_suppressions)
            .filter(|line| !line.is_empty())
    }

    fn same_text(&self, other: &Key<'_>) -> bool {
        self.lines().eq(other.lines())
    }

    fn is_empty(&self) -> bool {
        self.lines().next().is_none()
    }

    /// How many seconds apart this one and `other` are written, if on the
    /// same day and at most `max_skew` apart (either way).
    fn seconds_to(&self, other: &Key<'_>, max_skew: u32) -> Option<u32> {
        let apart = self.second.abs_diff(other.second);
        (self.day == other.day && apart <= max_skew).then_some(apart)
    }

    fn is_copy_of(&self, other: &Key<'_>) -> bool {
        self.day == other.day
            && self.second == other.second
            && self.speaker == other.speaker
            && self.same_text(other)
    }
}

/// `line` trimmed, its suppression comments left out.
fn without_suppressions(line: &str) -> Cow<'_, str> {
    if !line.contains(SUPPRESSION_MARKER) {
        return Cow::Borrowed(line.trim());
    }
    let mut kept = String::with_capacity(line.len());
    let mut from = 0;
    for comment in suppression_comments(line) {
        kept.push_str(&line[from..comment.start]);
        from = comment.end;
    }
    kept.push_str(&line[from..]);
    Cow::Owned(kept.trim().to_string())
}

/// The messages' keys, `None` for one without a valid time.
fn keys<'a>(text: &'a str, transcript: &'a Transcript) -> Vec<Option<Key<'a>>> {
    times(transcript)
        .into_iter()
        .zip(&transcript.messages)
        .map(|(time, message)| {
            let (day, second) = time?;
            Some(Key {
                day,
                second,
                speaker: message.header.speaker(text),
                text,
                body: Body::Model(&message.body),
            })
        })
        .collect()
}

/// A message's key from its outline (see [`crate::parser::outlines`]): the
/// same as [`keys`] gives from the model.
fn outline_key(text: &str, outline: crate::parser::Outline) -> Option<Key<'_>> {
    let header = &outline.header;
    Some(Key {
        day: (header.valid_date(), outline.day_headings_before),
        second: header.time?.seconds_since_midnight(),
        speaker: header.speaker(text),
        text,
        body: Body::Outline(outline),
    })
}

#[cfg(test)]
mod tests;
