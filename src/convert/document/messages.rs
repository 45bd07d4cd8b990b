//! The messages of a document as a writer iterates over them: a list read
//! back from JSON, or built from the source a chunk at a time.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::build::DayState;
use super::{MessageDoc, SourceMessages};
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
    },
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
            } => loop {
                if let Some(message) = built.next() {
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
