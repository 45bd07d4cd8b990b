//! Whether a file reads as a merge of two exports, and which names it
//! pairs up: what makes two different names one person's without
//! configuration.
//!
//! A merge shows itself. Most of its messages stand twice, under two names
//! that pair up one to one and again and again (each of a person's names
//! twins with their other name, every time they speak). One export alone
//! has only coincidences: different people posting `1`, `+1`, `收到` or
//! `签到` in the same few seconds, names that twin with several others, and
//! never twice with the same one.
//!
//! So every two messages that could be twins under two different names
//! (same day and text, at most `max_skew_seconds` and `max_distance`
//! messages apart) are counted per pair of names. The pairs are matched one
//! to one, the most frequent first; the twins that fall on matched pairs
//! are the consistent ones. The file is a merge when
//! - they are at least `merge_twinned_percent` of its messages (counting
//!   both copies),
//! - they are at least `merge_consistent_percent` of all its twins under
//!   two names, and
//! - one matched pair at least looks like one person's names on their
//!   own (`我` and another, or the same personal name before the group's
//!   `-`: `杜雷` and `杜雷-乐天-技术`), as every merge of the archive has;
//! - the names repeat: a matched pair twins at least twice, or every
//!   message has its twin (a file too short for anyone to speak twice)
//!   under names that look like one person's on their own (`我` and
//!   another, or the same personal name before the group's `-`).
//!
//! On the archive (449 files), the 23 merges have 49 to 100 % of their
//! messages twinned, 89.8 to 100 % of them consistently, and in all but the
//! two of two messages each a pair repeats (36 to 85 % of the messages are
//! twins under repeated pairs). The other files have at most 17.4 % twinned
//! (a check-in burst, `签到` from many people), those above 10 % at most
//! 53 % consistently, and in none does a pair of names twin twice. Hence
//! the defaults, 30 % and 70 %, each well between the two. (Two people
//! saying `[强]` in one second inside a merge count four twins under two
//! names, two of them consistent: a merge is rarely 100 % consistent.)
//!
//! In a merge, two names are one person's when they are the other's most
//! frequent partner, or one of the two is (ties included): a pair seen once
//! is a person who spoke once, and `我` pairs with each name the other
//! export gives the owner. A file of two messages, `甲` and `乙` saying
//! `签到`, is no merge; `胡桥-资邦金服-财务核心` and
//! `胡桥-资邦金服-账务核心业务架构` saying the same, or `我` and `李雄峰`,
//! are.

use std::collections::VecDeque;

// foldhash: seeded per process like std's SipHash, several times faster
// on the short keys hashed here (names, word pairs).
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::{keys, outline_key, Key, TwinOptions, SELF_NAME};
use crate::model::Transcript;

/// How the twins under two names fall in one file: whether it reads as a
/// merge, and which names it pairs up.
#[derive(Debug, Default, Clone)]
pub struct Evidence {
    messages: usize,
    across_names: usize,
    consistent: usize,
    repeated: usize,
    merged: bool,
    /// Each name's other names, as a merge pairs them (asked only of a
    /// merge).
    partners: HashMap<String, Vec<String>>,
    /// How many messages each name that could twin under another name
    /// has in the file (`keep: canonical` prefers the one with more).
    /// Counted in a second pass, only for a file with such twins: hashing
    /// every header's speaker costs a check of the archive several percent.
    message_counts: HashMap<String, usize>,
}

impl Evidence {
    /// The evidence of the file `text` whose whole model is `transcript`.
    pub fn of_transcript(text: &str, transcript: &Transcript, options: &TwinOptions) -> Self {
        let mut tally = Tally::new(options);
        for key in keys(text, transcript) {
            tally.push(key);
        }
        let speakers = transcript.messages.iter().map(|m| m.header.speaker(text));
        tally.finish().with_message_counts(speakers)
    }

    /// The evidence of the file `text`, read a message at a time without
    /// a model (a large file's model is never whole in memory).
    pub fn of_text(text: &str, options: &TwinOptions) -> Self {
        let mut tally = Tally::new(options);
        for outline in crate::parser::outlines(text) {
            tally.push(outline_key(text, outline));
        }
        let speakers = crate::parser::headers(text).map(|header| header.speaker(text));
        tally.finish().with_message_counts(speakers)
    }

    /// Counts the messages of each name that could twin under another name
    /// among `speakers`, every message's speaker in the file.
    fn with_message_counts<'a>(mut self, speakers: impl Iterator<Item = &'a str>) -> Self {
        if self.message_counts.is_empty() {
            return self;
        }
        for speaker in speakers {
            if let Some(count) = self.message_counts.get_mut(speaker) {
                *count += 1;
            }
        }
        self
    }

    /// How many messages `name` has in the file, for a name that could twin
    /// under another name (0 for any other).
    pub fn message_count(&self, name: &str) -> usize {
        self.message_counts.get(name).copied().unwrap_or(0)
    }

    /// Whether the file reads as a merge of two exports.
    pub fn merged(&self) -> bool {
        self.merged
    }

    /// Whether, in a merge, two different names pair up as one person's.
    pub fn pair_up(&self, a: &str, b: &str) -> bool {
        self.merged
            && self
                .partners
                .get(a)
                .is_some_and(|partners| partners.iter().any(|p| p == b))
    }

    /// The evidence of a file its maker knows to be a merge of exports of
    /// one chat (`chatlint merge`'s candidate): the shares and the
    /// look-alike names that tell a merge from one export are not asked;
    /// which names pair up is decided as in any merge, less the pairs
    /// `two_people` knows are two people (the maker knows which export
    /// holds which name, and one export never shows one person under two).
    pub fn known_merge(mut self, two_people: impl Fn(&str, &str) -> bool) -> Self {
        self.merged = true;
        for (name, partners) in &mut self.partners {
            partners.retain(|partner| !two_people(name, partner));
        }
        self
    }

    /// The file's messages.
    pub fn messages(&self) -> usize {
        self.messages
    }

    /// The twins under two different names (every pair that could be).
    pub fn across_names(&self) -> usize {
        self.across_names
    }

    /// Those of them on names matched one to one.
    pub fn consistent(&self) -> usize {
        self.consistent
    }

    /// Those of them on names matched one to one that twin more than once.
    pub fn repeated(&self) -> usize {
        self.repeated
    }
}

/// Whether two names look like one person's on their own: one is `我`
/// (the exporter's name for themselves), or the personal name before the
/// group's `-` (`胡桥-资邦金服-财务核心`, `钟文帅-移付宝科技-产品经理`) of
/// one starts the other's (`胡桥-资邦金服-账务核心业务架构`, `钟`). Every
/// merge of the archive has such a pair; without asking for one, a short
/// export in which two people echo each other twice (`收到`, `好的`), or
/// four messages, two people's `签到` and two others' `1`, read as a merge
/// and lost real messages to the fix.
fn look_alike(a: &str, b: &str) -> bool {
    let person = |name: &'_ str| -> String {
        name.split(['-', '_', ' ', '—'])
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let (a_person, b_person) = (person(a), person(b));
    a == SELF_NAME
        || b == SELF_NAME
        || (!a_person.is_empty()
            && !b_person.is_empty()
            && (a_person.starts_with(&b_person) || b_person.starts_with(&a_person)))
}

fn ordered<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// The count of twins under two names, the messages of a file given in
/// order.
struct Tally<'a> {
    options: TwinOptions,
    /// The last `max_distance` messages.
    window: VecDeque<Option<Key<'a>>>,
    messages: usize,
    /// Per pair of names (ordered), how many twins.
    weights: HashMap<(&'a str, &'a str), usize>,
}

impl<'a> Tally<'a> {
    fn new(options: &TwinOptions) -> Self {
        Self {
            options: *options,
            window: VecDeque::new(),
            messages: 0,
            weights: HashMap::new(),
        }
    }

    fn push(&mut self, key: Option<Key<'a>>) {
        self.messages += 1;
        if let Some(b) = &key {
            for a in self.window.iter().flatten() {
                if a.seconds_to(b, self.options.max_skew_seconds).is_some()
                    && a.speaker != b.speaker
                    && a.same_text(b)
                {
                    *self
                        .weights
                        .entry(ordered(a.speaker, b.speaker))
                        .or_default() += 1;
                }
            }
        }
        if self.options.max_distance == 0 {
            return;
        }
        if self.window.len() >= self.options.max_distance {
            self.window.pop_front();
        }
        self.window.push_back(key);
    }

    fn finish(self) -> Evidence {
        let across_names = self.weights.values().sum();
        let mut pairs: Vec<((&str, &str), usize)> = self.weights.into_iter().collect();
        // The most frequent first; the names' order makes it deterministic.
        pairs.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut matched = HashSet::new();
        let mut best: HashMap<&str, usize> = HashMap::new();
        let (mut consistent, mut repeated) = (0, 0);
        let (mut all_look_alike, mut any_look_alike) = (true, false);
        for &((a, b), weight) in &pairs {
            best.entry(a).or_insert(weight);
            best.entry(b).or_insert(weight);
            if !matched.contains(a) && !matched.contains(b) {
                matched.extend([a, b]);
                consistent += weight;
                if weight > 1 {
                    repeated += weight;
                }
                let alike = look_alike(a, b);
                all_look_alike &= alike;
                any_look_alike |= alike;
            }
        }
        let percent = |part: usize, whole: usize, least: u8| {
            part as u128 * 100 >= whole as u128 * u128::from(least)
        };
        let merged = consistent > 0
            && percent(
                2 * consistent,
                self.messages,
                self.options.merge_twinned_percent,
            )
            && percent(
                consistent,
                across_names,
                self.options.merge_consistent_percent,
            )
            && any_look_alike
            && (repeated > 0 || (2 * consistent >= self.messages && all_look_alike));
        // Kept for a file that is not a merge too: its maker may know it
        // is one ([`Evidence::known_merge`]).
        let mut partners: HashMap<String, Vec<String>> = HashMap::new();
        for ((a, b), weight) in pairs {
            if weight == best[a] || weight == best[b] {
                partners.entry(a.into()).or_default().push(b.into());
                partners.entry(b.into()).or_default().push(a.into());
            }
        }
        let message_counts = best.keys().map(|&name| (name.to_string(), 0)).collect();
        Evidence {
            messages: self.messages,
            across_names,
            consistent,
            repeated,
            merged,
            partners,
            message_counts,
        }
    }
}
