//! Finding names in a text: after an `@` (a mention: any name, longest
//! first) and in running text (names distinct enough to tell from words).

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

use crate::twins::SELF_NAME;

/// Every spelling of every person and its pseudonym, searchable.
#[derive(Debug, Clone)]
pub struct Names {
    /// Original name → pseudonym.
    pseudonyms: HashMap<String, String>,
    /// Every original name, longest first at a position.
    all: Vec<String>,
    all_search: AhoCorasick,
    /// The names looked for in running text ([`in_running_text`]).
    text: Vec<String>,
    /// Every occurrence of those, overlapping: for replacing, and for the
    /// check.
    text_check: AhoCorasick,
    /// The pseudonyms given.
    fakes: std::collections::HashSet<String>,
    /// The pseudonyms, to tell `@P001` from an original name `P`.
    pseudonym_search: AhoCorasick,
}

/// Whether a name is looked for in running text, not only as a speaker and
/// after `@`: two characters at least and a letter among them. `我` (the
/// exporter's own name, and the word "I"), one-character names and names
/// of punctuation alone would turn every such word of every message into a
/// pseudonym.
pub fn in_running_text(name: &str) -> bool {
    name != SELF_NAME && name.chars().count() >= 2 && name.chars().any(char::is_alphabetic)
}

fn searcher(names: &[String], kind: MatchKind) -> AhoCorasick {
    AhoCorasick::builder()
        .match_kind(kind)
        .start_kind(StartKind::Both)
        .build(names)
        .expect("names make a searcher")
}

impl Names {
    pub fn new(mut pseudonyms: HashMap<String, String>) -> Self {
        let spelled: Vec<(String, String)> = pseudonyms
            .iter()
            .flat_map(|(name, pseudonym)| {
                other_spellings(name)
                    .into_iter()
                    .map(move |other| (other, pseudonym.clone()))
            })
            .collect();
        for (other, pseudonym) in spelled {
            pseudonyms.entry(other).or_insert(pseudonym);
        }
        let mut all: Vec<String> = pseudonyms
            .keys()
            .filter(|n| !n.is_empty())
            .cloned()
            .collect();
        all.sort();
        let text: Vec<String> = all.iter().filter(|n| in_running_text(n)).cloned().collect();
        let mut fakes: Vec<String> = pseudonyms.values().cloned().collect();
        fakes.sort();
        Names {
            all_search: searcher(&all, MatchKind::LeftmostLongest),
            text_check: searcher(&text, MatchKind::Standard),
            pseudonym_search: searcher(&fakes, MatchKind::LeftmostLongest),
            fakes: fakes.into_iter().collect(),
            pseudonyms,
            all,
            text,
        }
    }

    /// Whether `name` is one of the pseudonyms given.
    pub fn is_pseudonym(&self, name: &str) -> bool {
        self.fakes.contains(name)
    }

    pub fn pseudonym(&self, name: &str) -> Option<&str> {
        self.pseudonyms.get(name).map(String::as_str)
    }

    /// The names to replace in `text`: each range and its pseudonym, in
    /// order, not overlapping. Where a mention and a name in running text
    /// overlap (`李伟@易宝支付` is one speaker's name, and `@易宝支付` reads
    /// as a mention), the one that starts first wins, then the longer.
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, &str, Found)> {
        let mut candidates: Vec<(Range<usize>, &str, Found)> = Vec::new();
        for after in mention_starts(text) {
            let rest = Input::new(text).range(after..).anchored(Anchored::Yes);
            if let Some(m) = self.all_search.find(rest) {
                let name = &self.all[m.pattern()];
                candidates.push((m.range(), self.pseudonyms[name].as_str(), Found::Mention));
            }
        }
        // Every occurrence, overlapping: where the longest name is glued to
        // a word (`Alice W` in `Alice Wu`), a shorter one (`Alice`) may not be.
        for m in self.text_check.find_overlapping_iter(text) {
            if whole_word(text, m.range()) {
                let name = &self.text[m.pattern()];
                candidates.push((m.range(), self.pseudonyms[name].as_str(), Found::InText));
            }
        }
        candidates.sort_by_key(|(range, _, _)| (range.start, std::cmp::Reverse(range.end)));
        let mut found: Vec<(Range<usize>, &str, Found)> = Vec::with_capacity(candidates.len());
        for candidate in candidates {
            if found
                .last()
                .is_none_or(|(last, _, _)| last.end <= candidate.0.start)
            {
                found.push(candidate);
            }
        }
        found
    }

    /// Every name in `text` wherever it stands, glued to other characters
    /// or not: for a field that holds no words, such as a header's time as
    /// written (`25:61:00Alice`).
    pub fn find_glued(&self, text: &str) -> Vec<(Range<usize>, &str)> {
        self.all_search
            .find_iter(text)
            .map(|m| (m.range(), self.pseudonyms[&self.all[m.pattern()]].as_str()))
            .collect()
    }

    /// Whether an original name is anywhere in `text`, glued or not.
    pub fn any_glued(&self, text: &str) -> Option<String> {
        self.all_search
            .find(text)
            .map(|m| self.all[m.pattern()].clone())
    }

    /// The original names still in `text` (the check of an output): after
    /// an `@`, any name that is not where a pseudonym is; anywhere, the
    /// names of running text, every occurrence, overlapping or not.
    pub fn left_in(&self, text: &str) -> Vec<String> {
        let mut left = self.left_in_as_written(text);
        if let Some(revealed) = super::hidden::revealed(text) {
            left.extend(self.left_in_as_written(&revealed));
        }
        left
    }

    pub fn left_in_as_written(&self, text: &str) -> Vec<String> {
        let mut left = Vec::new();
        for after in mention_starts(text) {
            let rest = || Input::new(text).range(after..).anchored(Anchored::Yes);
            if self.pseudonym_search.find(rest()).is_some() {
                continue;
            }
            if let Some(m) = self.all_search.find(rest()) {
                left.push(self.all[m.pattern()].clone());
            }
        }
        for m in self.text_check.find_overlapping_iter(text) {
            if whole_word(text, m.range()) {
                left.push(self.text[m.pattern()].clone());
            }
        }
        left
    }
}

/// The fewest characters a name with Latin letters has to be looked for in
/// lower and upper case too: `ferry` is `Ferry`, but `max` and `json` are
/// words before they are `MAX` and `Json`.
const ANY_CASE_CHARS: usize = 5;

/// How else a name is written where it is not a speaker: in lower or upper
/// case (names of [`ANY_CASE_CHARS`] or more), its spaces as a URL or a
/// user name writes them (`Tim%20Cook`, `Tim+Cook`, `Tim-Cook`,
/// `Tim_Cook`, `TimCook`), and its markup characters as HTML entities
/// (`Tim&middot;Cook`, `Tim&#183;Cook`, `A&amp;B`).
fn other_spellings(name: &str) -> Vec<String> {
    let mut others = Vec::new();
    if name.chars().count() >= ANY_CASE_CHARS && name.chars().any(|c| c.is_ascii_alphabetic()) {
        others.push(name.to_ascii_lowercase());
        others.push(name.to_ascii_uppercase());
        let mut chars = name.chars();
        if let Some(first) = chars.next() {
            others.push(first.to_ascii_uppercase().to_string() + chars.as_str());
        }
    }
    // Percent-encoded in a URL, in either case of hex (`%E5%BC%A0`).
    if !name.is_ascii() {
        let encoded: String = name
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        others.push(encoded.to_ascii_lowercase());
        others.push(encoded);
    }
    if name.contains(' ') && in_running_text(&name.replace(' ', "")) {
        for space in [" ", "%20", "+", "-", "_", ".", ""] {
            others.push(name.split_whitespace().collect::<Vec<_>>().join(space));
        }
    }
    for (character, entities) in [
        ('·', &["&middot;", "&#183;", "&#xB7;"][..]),
        ('&', &["&amp;"]),
        ('<', &["&lt;"]),
        ('>', &["&gt;"]),
    ] {
        if name.contains(character) {
            others.extend(
                entities
                    .iter()
                    .map(|entity| name.replace(character, entity)),
            );
        }
    }
    // `alice-wong`: the spaces of the lower-case spelling too.
    if name.contains(' ') && others.len() > 1 {
        let lower = name.to_ascii_lowercase();
        for space in [" ", "%20", "+", "-", "_", ".", ""] {
            others.push(lower.split_whitespace().collect::<Vec<_>>().join(space));
        }
    }
    others.retain(|other| other != name);
    others.sort();
    others.dedup();
    others
}

/// What kind of place a name was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Mention,
    InText,
}

/// Where the names after the `@`s (or full-width `＠`s) that may start a
/// mention begin: not after one inside a word (`name@example.com`). In
/// order.
fn mention_starts(text: &str) -> Vec<usize> {
    let mut starts: Vec<usize> = text
        .match_indices(['@', '＠'])
        .filter(|(at, _)| {
            !text[..*at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric())
        })
        .map(|(at, at_sign)| at + at_sign.len())
        .collect();
    starts.sort_unstable();
    starts
}

/// Whether the name found at `range` is not part of a longer Latin word or
/// number (`Tim` in `Timothy`, `ray` in `array`); CJK has no spaces between
/// words, so there a name is a name wherever it stands.
fn whole_word(text: &str, range: Range<usize>) -> bool {
    let name = &text[range.clone()];
    let glued = |outside: Option<char>, inside: Option<char>| {
        outside.is_some_and(|c| c.is_ascii_alphanumeric())
            && inside.is_some_and(|c| c.is_ascii_alphanumeric())
    };
    !glued(text[..range.start].chars().next_back(), name.chars().next())
        && !glued(text[range.end..].chars().next(), name.chars().next_back())
}
