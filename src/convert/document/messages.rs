//! The messages of a document as a writer iterates over them: a list read
//! back from JSON, or built from the source a chunk at a time.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::build::DayState;
use super::{DayHeadingDoc, MessageDoc, SourceMessages};
use crate::parser;

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
            Messages::List(list) => list.iter().any(|m| {
                !m.suppressions.is_empty()
                    || may_hold_directives(&m.text)
                    || may_hold_directives(&m.speaker)
            }),
            Messages::Source(source) => may_hold_directives(source.text),
        }
    }

    /// Whether there is no message at all, without building any.
    pub fn is_empty(&self) -> bool {
        match self {
            Messages::List(list) => list.is_empty(),
            // Every chunk after the first starts at a header line.
            // With a filter, only building them tells.
            Messages::Source(source) if source.filter.is_some() => self.iter().next().is_none(),
            Messages::Source(source) => {
                source.first.messages.is_empty() && source.chunks.len() == 1
            }
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
                left_out: LeftOut::default(),
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
        left_out: LeftOut<'a>,
    },
}

/// What the messages a filter left out pass on to the next one kept.
#[derive(Default)]
struct LeftOut<'a> {
    /// Their day headings.
    headings: Vec<DayHeadingDoc<'a>>,
    /// Whether the message before the next kept one was left out: a day
    /// heading that stood inside its text then stands before the next.
    just_before: bool,
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
                left_out,
            } => loop {
                if let Some(mut message) = built.next() {
                    let Some(filter) = &source.filter else {
                        return Some(Cow::Owned(message));
                    };
                    if !filter.keeps(&message) {
                        left_out.headings.append(&mut message.day_headings);
                        left_out.just_before = true;
                        continue;
                    }
                    if left_out.just_before {
                        let own = std::mem::take(&mut message.day_headings);
                        message.day_headings = std::mem::take(&mut left_out.headings);
                        message.day_headings.extend(own);
                        for heading in &mut message.day_headings {
                            heading.within_previous = None;
                        }
                        left_out.just_before = false;
                    }
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
