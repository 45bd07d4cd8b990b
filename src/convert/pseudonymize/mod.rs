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

mod hidden;
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

/// The longest name a mention is taken for, in characters (the archive's
/// longest speaker name has 28): what the parser reads after an `@` up to a
/// space can be a whole sentence (`@所有人，再次强调…`).
const MAX_MENTION_CHARS: usize = 32;

/// A name one transcript holds, and whether a header names it (else only
/// a mention shows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gathered {
    pub name: String,
    pub speaks: bool,
}

/// The names one transcript holds: its speakers and the names its mentions
/// show (as the parser reads them, up to a space, U+2005, `?` or `@`, and
/// up to the first punctuation of a sentence: `@右军，谢谢` mentions 右军),
/// in the order they first appear.
pub fn gather(document: &Document<'_>) -> Vec<Gathered> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut names: Vec<Gathered> = Vec::new();
    let mut add = |name: &str, speaks: bool| {
        if name.is_empty() || (!speaks && EVERYONE.contains(&name)) {
            return;
        }
        match seen.get(name) {
            Some(&k) => names[k].speaks |= speaks,
            None => {
                seen.insert(name.to_string(), names.len());
                names.push(Gathered {
                    name: name.to_string(),
                    speaks,
                });
            }
        }
    };
    for message in document.messages.iter() {
        add(&message.speaker, true);
        for mention in &message.mentions {
            let name = mention_name(mention);
            if name.chars().count() <= MAX_MENTION_CHARS {
                add(name, false);
            }
        }
    }
    names
}

/// A mention's name, up to the first punctuation that ends a clause.
fn mention_name(mention: &str) -> &str {
    let end = mention
        .find(|c: char| {
            matches!(
                c,
                '，' | '。' | '！' | '？' | '：' | '；' | '、' | ',' | ';' | '!' | ':' | '['
            )
        })
        .unwrap_or(mention.len());
    &mention[..end]
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

    /// `text` with its names replaced, then masked; `None` when nothing
    /// changed. Names first: a name may hold a phone number or a WeChat ID.
    pub fn rewrite(&self, text: &str, replaced: &mut Replaced) -> Option<String> {
        // A name hidden by entities or invisible characters: the text is
        // read as a browser shows it, decoded, and rewritten so.
        let revealed = hidden::revealed(text)
            .filter(|revealed| !self.names.left_in_as_written(revealed).is_empty());
        let changed = revealed.is_some();
        let text = revealed.as_deref().unwrap_or(text);
        let found = self.names.find(text);
        for (_, _, kind) in &found {
            match kind {
                Found::Mention => replaced.mentions += 1,
                Found::InText => replaced.in_text += 1,
            }
        }
        let named = replace(text, found.into_iter().map(|(range, p, _)| (range, p)));
        let masked = self.masks.apply(named.as_deref().unwrap_or(text), replaced);
        masked
            .or(named)
            .or_else(|| changed.then(|| text.to_string()))
    }

    /// A field that holds no words (a header's time as written, where a
    /// name may be glued to the digits): every name in it replaced.
    fn rewrite_glued(&self, text: &str) -> Option<String> {
        replace(text, self.names.find_glued(text))
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
        let front = document.front_matter.as_ref();
        let raw = front.map(|f| f.raw.as_ref());
        // What YAML reads (`"\u5F20"`, folded lines) is what a page shows.
        let mut parsed = Vec::new();
        if let Some(value) = front.and_then(|f| f.parsed.as_ref()) {
            strings_in(value, &mut parsed);
        }
        let preamble_comments = document
            .preamble_suppressions
            .iter()
            .map(|s| s.comment.as_ref());
        let fields = front.into_iter().flat_map(|f| &f.fields);
        let fields = fields.flat_map(|field| [field.key.as_ref(), field.raw.as_ref()]);
        let head = raw
            .into_iter()
            .chain(fields)
            .chain(parsed)
            .chain(document.preamble.as_deref())
            .chain(preamble_comments);
        for text in head {
            left.extend(self.left_in(text));
        }
        for message in document.messages.iter() {
            // An original name, or one the run did not read (the file was
            // edited since its names were gathered): either is a name left.
            let speaker = message.speaker.as_ref();
            if !speaker.is_empty() && !self.names.is_pseudonym(speaker) {
                left.push(speaker.to_string());
            }
            for mention in &message.mentions {
                left.extend(self.left_in(&format!("@{mention}")));
            }
            left.extend(
                message
                    .time_as_written
                    .as_deref()
                    .and_then(|t| self.names.any_glued(t)),
            );
            let images = message
                .images
                .iter()
                .flat_map(|i| [Some(&i.alt), Some(&i.url), i.title.as_ref()])
                .flatten();
            let links = message.links.iter().flat_map(|l| [&l.text, &l.url]);
            let comments = message.suppressions.iter().map(|s| &s.comment);
            let texts = std::iter::once(&message.text)
                .chain(images)
                .chain(links)
                .chain(comments);
            for text in texts {
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
        if let Some(time) = message.time_as_written.as_deref() {
            if let Some(new) = self.rewrite_glued(time) {
                message.time_as_written = Some(Cow::Owned(new));
            }
        }
        if self.rewrite_cow(&mut message.text, replaced) {
            // A comment within a line stood after so many characters of
            // it, which a pseudonym changes: it stands before the line.
            for suppression in &mut message.suppressions {
                suppression.offset = None;
            }
        }
        // Read as the text reads it (`@Bob，今天很好` mentions Bob).
        for mention in &mut message.mentions {
            let written = format!("@{mention}");
            if let Some(new) = self.rewrite(&written, &mut Replaced::default()) {
                *mention = Cow::Owned(new.strip_prefix('@').unwrap_or(&new).to_string());
            }
        }
        // Counted once, in the text they are part of.
        let mut uncounted = Replaced::default();
        for suppression in &mut message.suppressions {
            self.rewrite_cow(&mut suppression.comment, &mut uncounted);
        }
        for image in &mut message.images {
            self.rewrite_cow(&mut image.alt, &mut uncounted);
            self.rewrite_cow(&mut image.url, &mut uncounted);
            if let Some(title) = &mut image.title {
                self.rewrite_cow(title, &mut uncounted);
            }
        }
        for link in &mut message.links {
            self.rewrite_cow(&mut link.text, &mut uncounted);
            self.rewrite_cow(&mut link.url, &mut uncounted);
        }
    }
}

/// `text` with each range (in order, not overlapping) replaced by its
/// pseudonym; `None` when there is none.
fn replace<'p>(
    text: &str,
    found: impl IntoIterator<Item = (std::ops::Range<usize>, &'p str)>,
) -> Option<String> {
    let mut found = found.into_iter().peekable();
    found.peek()?;
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, pseudonym) in found {
        out.push_str(&text[at..range.start]);
        out.push_str(pseudonym);
        at = range.end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// Every string in a YAML value as JSON holds it (keys too).
fn strings_in<'v>(value: &'v serde_json::Value, out: &mut Vec<&'v str>) {
    match value {
        serde_json::Value::String(text) => out.push(text),
        serde_json::Value::Array(items) => items.iter().for_each(|item| strings_in(item, out)),
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                out.push(key);
                strings_in(item, out);
            }
        }
        _ => {}
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
                pseudonymizer.rewrite_cow(&mut field.key, &mut Replaced::default());
                pseudonymizer.rewrite_cow(&mut field.raw, &mut Replaced::default());
            }
        }
    }
    if let Some(preamble) = &mut document.preamble {
        pseudonymizer.rewrite_cow(preamble, &mut replaced);
    }
    for suppression in &mut document.preamble_suppressions {
        pseudonymizer.rewrite_cow(&mut suppression.comment, &mut replaced);
    }
    *pseudonymizer
        .tally
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) += replaced;
    replaced
}
