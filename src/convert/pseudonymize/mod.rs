//! `--pseudonymize`: every speaker gets a pseudonym (`P001`, …), the same
//! for all the names of one person (configured `aliases:`) and in every
//! file of a run, and in every run that uses the same mapping file; the
//! mentions of each person (`@name`, whatever name follows the `@`, longest
//! first) and the names in running text get the same; phone numbers,
//! e-mail addresses, WeChat IDs and `--mask` patterns are masked.
//!
//! A run first reads every input for its names ([`gather`]), so that the
//! pseudonyms are decided before any output is written; each document is
//! then rewritten ([`pseudonymize`]) and checked ([`Pseudonymizer::left_in`]):
//! an output that still holds an original name is not written.
//!
//! Names looked for in running text are those of two characters or more
//! with a letter ([`names::in_running_text`]): `我` and one-character names
//! are replaced as speakers and after `@` only.

mod mapping;
mod masks;
mod names;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub use mapping::{Mapping, MappingError, Template, DEFAULT_TEMPLATE};
pub use masks::Masks;
pub use names::in_running_text;

use self::names::{Found, Names};
use super::document::Messages;
use super::{Document, MessageDoc};

/// The mentions that name no one: WeChat's "everyone".
const EVERYONE: [&str; 2] = ["all", "所有人"];

/// How many of each thing a rewrite replaced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Replaced {
    pub speakers: usize,
    pub mentions: usize,
    pub in_text: usize,
    pub phones: usize,
    pub emails: usize,
    pub wechat_ids: usize,
    pub patterns: usize,
}

impl std::ops::AddAssign for Replaced {
    fn add_assign(&mut self, other: Self) {
        self.speakers += other.speakers;
        self.mentions += other.mentions;
        self.in_text += other.in_text;
        self.phones += other.phones;
        self.emails += other.emails;
        self.wechat_ids += other.wechat_ids;
        self.patterns += other.patterns;
    }
}

/// The names one transcript holds: its speakers and the names its mentions
/// show (as the parser reads them: up to a space, U+2005, `?` or `@`), in
/// the order they first appear.
pub fn gather(document: &Document<'_>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut names = Vec::new();
    for message in document.messages.iter() {
        let mentioned = message.mentions.iter().map(|m| m.as_ref());
        for name in std::iter::once(message.speaker.as_ref()).chain(mentioned) {
            if !name.is_empty() && !EVERYONE.contains(&name) && seen.insert(name.to_string()) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// What a run replaces, decided once: each original name's pseudonym, and
/// the masks.
#[derive(Debug, Clone)]
pub struct Pseudonymizer {
    names: Names,
    masks: Masks,
    /// What the documents rewritten so far replaced, together.
    tally: Arc<Mutex<Replaced>>,
}

impl Pseudonymizer {
    /// `pseudonyms`: every spelling of every name (the names of one person
    /// sharing one pseudonym) → its pseudonym.
    pub fn new(pseudonyms: HashMap<String, String>, masks: Masks) -> Self {
        Pseudonymizer {
            names: Names::new(pseudonyms),
            masks,
            tally: Arc::default(),
        }
    }

    /// What the documents rewritten so far replaced, together.
    pub fn tally(&self) -> Replaced {
        *self
            .tally
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The same, with a tally of its own: for a document rewritten again
    /// only to be read (an archive's index of pages already written).
    pub fn untallied(&self) -> Self {
        Pseudonymizer {
            tally: Arc::default(),
            ..self.clone()
        }
    }

    /// `text` masked and its names replaced; `None` when nothing changed.
    pub fn rewrite(&self, text: &str, replaced: &mut Replaced) -> Option<String> {
        let masked = self.masks.apply(text, replaced);
        let text = masked.as_deref().unwrap_or(text);
        let found = self.names.find(text);
        if found.is_empty() {
            return masked;
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (range, pseudonym, kind) in found {
            out.push_str(&text[at..range.start]);
            out.push_str(pseudonym);
            at = range.end;
            match kind {
                Found::Mention => replaced.mentions += 1,
                Found::InText => replaced.in_text += 1,
            }
        }
        out.push_str(&text[at..]);
        Some(out)
    }

    /// The original names still in `text`.
    pub fn left_in(&self, text: &str) -> Vec<String> {
        self.names.left_in(text)
    }

    /// Every original name still in the document, whatever its format
    /// writes of it: speakers, texts, mentions, images, links, front
    /// matter, preamble.
    pub fn left_in_document(&self, document: &Document<'_>) -> Vec<String> {
        let mut left = Vec::new();
        let front = document.front_matter.as_ref().map(|f| f.raw.as_ref());
        for text in front.into_iter().chain(document.preamble.as_deref()) {
            left.extend(self.left_in(text));
        }
        for message in document.messages.iter() {
            let names = std::iter::once(&message.speaker).chain(&message.mentions);
            left.extend(
                names
                    .filter(|name| self.names.pseudonym(name).is_some())
                    .map(|name| name.to_string()),
            );
            let images = message.images.iter().flat_map(|i| [&i.alt, &i.url]);
            let links = message.links.iter().flat_map(|l| [&l.text, &l.url]);
            for text in std::iter::once(&message.text).chain(images).chain(links) {
                left.extend(self.left_in(text));
            }
        }
        left.sort();
        left.dedup();
        left
    }

    fn rewrite_cow<'a>(&self, text: &mut Cow<'a, str>, replaced: &mut Replaced) -> bool {
        match self.rewrite(text, replaced) {
            Some(new) => {
                *text = Cow::Owned(new);
                true
            }
            None => false,
        }
    }

    fn rewrite_message(&self, message: &mut MessageDoc<'_>, replaced: &mut Replaced) {
        if let Some(pseudonym) = self.names.pseudonym(&message.speaker) {
            message.speaker = Cow::Owned(pseudonym.to_string());
            replaced.speakers += 1;
        }
        if self.rewrite_cow(&mut message.text, replaced) {
            // A comment within a line stood after so many characters of
            // it, which a pseudonym changes: it stands before the line.
            for suppression in &mut message.suppressions {
                suppression.offset = None;
            }
        }
        for mention in &mut message.mentions {
            if let Some(pseudonym) = self.names.pseudonym(mention) {
                *mention = Cow::Owned(pseudonym.to_string());
            }
        }
        // Counted once, in the text they are part of.
        let mut uncounted = Replaced::default();
        for image in &mut message.images {
            self.rewrite_cow(&mut image.alt, &mut uncounted);
            self.rewrite_cow(&mut image.url, &mut uncounted);
        }
        for link in &mut message.links {
            self.rewrite_cow(&mut link.text, &mut uncounted);
            self.rewrite_cow(&mut link.url, &mut uncounted);
        }
    }
}

/// Rewrites the document: its messages (held in memory from now on, each
/// rewritten once), the front matter and the preamble.
pub fn pseudonymize(document: &mut Document<'_>, pseudonymizer: &Pseudonymizer) -> Replaced {
    let mut replaced = Replaced::default();
    let messages: Vec<MessageDoc<'_>> = document
        .messages
        .iter()
        .map(|message| {
            let mut message = message.into_owned();
            pseudonymizer.rewrite_message(&mut message, &mut replaced);
            message
        })
        .collect();
    document.messages = Messages::List(messages);
    if let Some(front) = &mut document.front_matter {
        if pseudonymizer.rewrite_cow(&mut front.raw, &mut replaced) {
            let raw = front.raw.as_ref();
            front.parsed = crate::yaml::parse_front_matter(raw, &(0..raw.len())).ok();
            for field in &mut front.fields {
                pseudonymizer.rewrite_cow(&mut field.raw, &mut Replaced::default());
            }
        }
    }
    if let Some(preamble) = &mut document.preamble {
        pseudonymizer.rewrite_cow(preamble, &mut replaced);
    }
    *pseudonymizer
        .tally
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) += replaced;
    replaced
}
