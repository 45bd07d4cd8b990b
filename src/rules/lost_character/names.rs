//! The names a transcript knows, for `lost-character`: its speakers and the
//! names its mentions show. They are gathered once per file, from the raw
//! lines, because a large file is checked a part at a time and a mention is
//! read with names from anywhere in it.
//!
//! How a mention is read (the rule's doc comment says why):
//! - at an `@`, the longest known name that follows and ends there (at a
//!   space, U+2005, `?`, `@` or the line end);
//! - failing that, and only at an `@` that does not follow a letter or a
//!   digit (`name@example.com`), the name as the parser reads it: up to the
//!   first space, U+2005, `?` or `@`.
//!
//! The names known are the speakers, the names a mention shows for certain
//! (ended by U+2005, or by a `?` glued to the next word where nothing says
//! the name goes on), and the names that mentions show by repetition: the
//! same `@name?` followed by different characters in two places, so that
//! what stays the same (`@shawn 风自由?`, `@肖勇-亿宏-c?to?`) is the name
//! and what changes is the message.

use foldhash::{HashMap, HashMapExt};

use crate::model::{Inline, Span};
use crate::parser;

/// The longest name a mention is read as from the mentions alone, in
/// characters (the archive's longest speaker name has 28).
pub(super) const MAX_NAME_CHARS: usize = 32;

/// What WeChat writes after an @mention.
const MENTION_END: char = '\u{2005}';

/// The names of one file.
#[derive(Debug, Default)]
pub struct KnownNames {
    /// Every known name, one after the other.
    names: String,
    /// Where each name is in `names`, by its first character, then
    /// longest first.
    index: Vec<(char, Span)>,
}

impl KnownNames {
    /// The names of `text`, whose speakers are `speakers`.
    pub fn new<'a>(text: &'a str, speakers: impl IntoIterator<Item = &'a str>) -> Self {
        Self::gather(speakers, |read| for_each_mention(text, read))
    }

    /// The names of the whole file `text` parsed as `transcript`: the same
    /// as [`KnownNames::new`] gives, its mentions read from the model's
    /// lines and inline elements instead of parsing them again.
    pub fn of_transcript(text: &str, transcript: &crate::model::Transcript) -> Self {
        let speakers = transcript.messages.iter().map(|m| m.header.speaker(text));
        Self::gather(speakers, |read| {
            let lines = transcript.messages.iter().flat_map(|m| m.body.iter());
            for line in lines.filter(|line| !line.in_code_fence) {
                let content = &text[line.span.clone()];
                if memchr::memchr(b'@', content.as_bytes()).is_none() {
                    continue;
                }
                let skipped = skipped_spans(content, line.span.start, &line.inlines);
                for at in mention_openers(content, &skipped) {
                    if !follows_word(content, at) {
                        read(&content[at + 1..]);
                    }
                }
            }
        })
    }

    /// The names of `speakers` and of the mentions `for_each` hands over
    /// (each as the text after its `@`).
    fn gather<'a>(
        speakers: impl IntoIterator<Item = &'a str>,
        for_each: impl FnOnce(&mut dyn FnMut(&'a str)),
    ) -> Self {
        let speakers: Vec<&'a str> = speakers.into_iter().filter(|s| !s.is_empty()).collect();
        let mut shown = Shown::new();
        for_each(&mut |rest| shown.read(rest));
        let repeated = shown.continuations.into_iter().filter(|(_, c)| c.varied);
        let mut all: Vec<&str> = speakers
            .iter()
            .copied()
            .chain(shown.delimited)
            .chain(repeated.map(|(name, _)| name))
            .collect();
        let first = |name: &str| name.chars().next().unwrap_or_default();
        all.sort_unstable_by(|a, b| (first(a), b.len(), a).cmp(&(first(b), a.len(), b)));
        all.dedup();
        // One string for all, not one allocation each.
        let mut names = String::with_capacity(all.iter().map(|name| name.len()).sum());
        let mut index = Vec::with_capacity(all.len());
        for name in all {
            index.push((first(name), names.len()..names.len() + name.len()));
            names.push_str(name);
        }
        Self { names, index }
    }

    /// The length in bytes of the longest known name at the start of
    /// `rest` (the text after an `@`) that ends there.
    pub(super) fn longest_at(&self, rest: &str) -> Option<usize> {
        let first = rest.chars().next()?;
        let from = self.index.partition_point(|(c, _)| *c < first);
        self.index[from..]
            .iter()
            .take_while(|(c, _)| *c == first)
            .map(|(_, span)| &self.names[span.clone()])
            .find(|name| rest.starts_with(name) && ends_name(&rest[name.len()..]))
            .map(str::len)
    }

    /// A known name that is `name` with a character (not `?`, not a
    /// space) where `name` has a `?`, and the same everywhere else.
    pub(super) fn spelled_out(&self, name: &str) -> Option<&str> {
        let matches = |known: &&str| {
            let mut pairs = name.chars().zip(known.chars());
            known.chars().count() == name.chars().count()
                && known != &name
                && pairs.all(|(c, k)| c == k || (c == '?' && k != '?' && !k.is_whitespace()))
        };
        let first = name.chars().next()?;
        let candidates: &[(char, Span)] = if first == '?' {
            &self.index
        } else {
            let from = self.index.partition_point(|(c, _)| *c < first);
            let to = self.index.partition_point(|(c, _)| *c <= first);
            &self.index[from..to]
        };
        candidates
            .iter()
            .map(|(_, span)| &self.names[span.clone()])
            .find(matches)
    }
}

/// Whether a character glued to a `?` makes it a lost character rather
/// than a question mark: a question mark is followed by a space,
/// punctuation or the line end.
pub(super) fn is_glued(c: char) -> bool {
    !c.is_whitespace() && !c.is_ascii_punctuation() && !is_cjk_punctuation(c) && !is_modifier(c)
}

/// A character that only ever follows another one (a variation selector,
/// a zero-width joiner, the keycap mark): a `?` before it is a character
/// lost from an emoji (`❤️` as `?\u{FE0F}`), not a lost U+2005.
fn is_modifier(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{200D}' | '\u{20E3}')
}

pub(super) fn is_cjk_punctuation(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '！' | '？' | '：' | '；' | '、' | '）' | '」' | '』' | '”' | '’'
    )
}

/// `?` glued to the next word: the U+2005 that ended a mention, lost.
pub(super) fn lost_separator(after: &str) -> bool {
    let mut chars = after.chars();
    chars.next() == Some('?') && chars.next().is_some_and(is_glued)
}

/// The name as the parser reads it from `rest`, the text after an `@`:
/// up to the first space, U+2005, `?` or `@`. Its length in bytes.
pub(super) fn written_name(rest: &str) -> usize {
    rest.find(|c: char| c == MENTION_END || c == '?' || c == '@' || c.is_whitespace())
        .unwrap_or(rest.len())
}

/// Whether a name may end where `after` starts.
fn ends_name(after: &str) -> bool {
    after
        .chars()
        .next()
        .is_none_or(|c| c == MENTION_END || c == '?' || c == '@' || c.is_whitespace())
}

/// Whether the `@` at byte `at` of `content` follows a letter or a digit,
/// as in `name@example.com`.
pub(super) fn follows_word(content: &str, at: usize) -> bool {
    content[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Whether the name the parser reads from `rest` (`name_len` bytes,
/// followed by a glued `?`) may go on past that `?`: within a name's
/// length of the `@`, before a space, another lone `?` is followed by
/// more text (`@肖勇-亿宏-c?to?农商行`, `@肖勇-亿宏-c?to?[强]`: the name may
/// be `肖勇-亿宏-c?to`). A run (`@李雄峰?感谢群主给予的机会??[抱拳]`) is a
/// lost emoji, not the end of a name.
pub(super) fn may_go_on(rest: &str, name_len: usize) -> bool {
    let budget = MAX_NAME_CHARS.saturating_sub(rest[..name_len].chars().count() + 1);
    let window = rest[name_len + 1..]
        .chars()
        .take(budget)
        .take_while(|&c| !c.is_whitespace() && c != '@');
    // The characters two and one before each: a lone `?` has neither a
    // `?` before nor after it.
    let (mut before, mut last) = ('?', '?');
    for c in window {
        if before != '?' && last == '?' && c != '?' {
            return true;
        }
        (before, last) = (last, c);
    }
    false
}

/// The spans of a line (relative to it) where no mention or lost emoji is
/// looked for: links, images and code spans; sorted, and merged where
/// they overlap, for [`overlaps`].
pub(super) fn skipped_spans(content: &str, line_start: usize, inlines: &[Inline]) -> Vec<Span> {
    let mut skipped = parser::code_spans(content);
    skipped.extend(inlines.iter().filter_map(|inline| {
        let span = match inline {
            Inline::Image(image) => &image.span,
            Inline::Link(link) => &link.span,
            Inline::Mention(_) | Inline::Emoji(_) => return None,
        };
        Some(span.start - line_start..span.end - line_start)
    }));
    skipped.sort_unstable_by_key(|span| span.start);
    let mut merged: Vec<Span> = Vec::with_capacity(skipped.len());
    for span in skipped {
        match merged.last_mut() {
            Some(last) if span.start < last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// Whether `range` overlaps one of `spans`, sorted and apart (a binary
/// search: a line may hold thousands of links and mentions).
pub(super) fn overlaps(spans: &[Span], range: &Span) -> bool {
    let first_after = spans.partition_point(|span| span.end <= range.start);
    spans
        .get(first_after)
        .is_some_and(|span| span.start < range.end)
}

/// The `@`s of a line that may open a mention (not in `skipped`).
pub(super) fn mention_openers<'l>(
    content: &'l str,
    skipped: &'l [Span],
) -> impl Iterator<Item = usize> + 'l {
    memchr::memchr_iter(b'@', content.as_bytes())
        .filter(move |&at| !overlaps(skipped, &(at..at + 1)))
}

/// Calls `read` with the text after every `@` of the messages' lines that
/// may open a mention and does not follow a letter or a digit; lines as
/// the parser reads them (from the first header on, not in code fences).
fn for_each_mention<'a>(text: &'a str, mut read: impl FnMut(&'a str)) {
    let Some(first) = parser::next_header_line(text, 0) else {
        return;
    };
    let mut read_line = |span: Span| {
        let content = &text[span.clone()];
        if parser::structural_line(content).is_some() {
            return;
        }
        // Links, images and code spans open with `[`, `<`, `!`, `！`,
        // `http` or a backtick: most lines with an `@` have none to parse.
        let may_skip = content
            .bytes()
            .any(|b| matches!(b, b'[' | b'<' | b'!' | b'`'))
            || content.contains("http")
            || content.contains('！');
        let inlines = if may_skip {
            parser::parse_inlines(text, span.clone())
        } else {
            Vec::new()
        };
        let skipped = skipped_spans(content, span.start, &inlines);
        for at in mention_openers(content, &skipped) {
            if !follows_word(content, at) {
                read(&content[at + 1..]);
            }
        }
    };
    let bytes = text.as_bytes();
    let may_fence = memchr::memchr2_iter(b'`', b'~', &bytes[first..])
        .any(|at| matches!(bytes.get(first + at..first + at + 3), Some(b"```" | b"~~~")));
    if may_fence {
        // A code fence may open: every line is read to know where.
        let mut fence = parser::FenceState::default();
        for span in parser::Lines::new(text, first) {
            let content = &text[span.clone()];
            if parser::structural_line(content).is_some() {
                fence = parser::FenceState::default();
            } else if !fence.update(content) && content.contains('@') {
                read_line(span);
            }
        }
        return;
    }
    // Without fences, only the lines with an `@` matter.
    let mut from = first;
    while let Some(found) = memchr::memchr(b'@', &bytes[from..]) {
        let at = from + found;
        let start =
            memchr::memrchr2(b'\n', b'\r', &bytes[first..at]).map_or(first, |i| first + i + 1);
        let end = memchr::memchr2(b'\n', b'\r', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        read_line(start..end);
        from = end;
    }
}

/// What follows a `?` after a name read from mentions.
#[derive(Debug, Clone, Copy)]
struct Continuation {
    first: char,
    /// Another character was seen after it too.
    varied: bool,
}

/// What the mentions of a file show.
struct Shown<'a> {
    /// Names ended for certain: by U+2005, or by a glued `?` that nothing
    /// says the name goes on past.
    delimited: Vec<&'a str>,
    /// Every text from an `@` to a `?` (the last of its run, followed by
    /// something other than a space), and what followed.
    continuations: HashMap<&'a str, Continuation>,
}

impl<'a> Shown<'a> {
    fn new() -> Self {
        Self {
            delimited: Vec::new(),
            continuations: HashMap::new(),
        }
    }

    /// Reads the mention whose text after the `@` is `rest`.
    fn read(&mut self, rest: &'a str) {
        let name_len = written_name(rest);
        let after = &rest[name_len..];
        if name_len > 0
            && (after.starts_with(MENTION_END)
                || (lost_separator(after) && !may_go_on(rest, name_len)))
        {
            self.delimited.push(&rest[..name_len]);
        }
        self.read_continuations(rest, name_len);
    }

    /// Records what follows each place that may end a name longer than
    /// the parser's (`name_len` bytes): a `?` glued to more text, and,
    /// once a `?` is inside, a space or the line end (`@肖勇-亿宏-c?to 你好`
    /// and `@肖勇-亿宏-c?to?农商行` show the name `肖勇-亿宏-c?to`). (The
    /// parser's own name needs no repetition to be known.)
    fn read_continuations(&mut self, rest: &'a str, name_len: usize) {
        let after_name = rest.as_bytes().get(name_len + 1..).unwrap_or_default();
        let reach = after_name.len().min(MAX_NAME_CHARS * 4);
        let ends_at_question = rest.as_bytes().get(name_len) == Some(&b'?');
        if !ends_at_question && memchr::memchr(b'?', &after_name[..reach]).is_none() {
            return;
        }
        let mut chars = rest
            .char_indices()
            .take(MAX_NAME_CHARS + 1)
            .skip_while(|&(i, _)| i <= name_len)
            .peekable();
        while let Some((i, c)) = chars.next() {
            if c == '@' {
                return;
            }
            // WeChat ends a mention with U+2005: what stands before it is
            // a name for certain (`@肖勇-亿宏-c?to` once fixed).
            if c == MENTION_END {
                if rest[..i].trim() == &rest[..i] {
                    self.delimited.push(&rest[..i]);
                }
                return;
            }
            let next = chars.peek().map(|&(_, next)| next);
            // What follows a name that ends here: the character after a
            // glued `?`, or a space for a space or the line end.
            let follows = match (c, next) {
                ('?', Some(n)) if n != '?' && !n.is_whitespace() => n,
                (c, _) if c.is_whitespace() && rest[..i].contains('?') => ' ',
                _ => continue,
            };
            self.record(&rest[..i], follows);
        }
        let whole_line = rest.chars().nth(MAX_NAME_CHARS + 1).is_none();
        if whole_line && !rest.ends_with(['?', ' ']) && rest[name_len..].contains('?') {
            self.record(rest, ' ');
        }
    }

    /// Records that `name` was followed by `follows` once.
    fn record(&mut self, name: &'a str, follows: char) {
        if name.trim() != name {
            return;
        }
        self.continuations
            .entry(name)
            .and_modify(|seen| seen.varied |= seen.first != follows)
            .or_insert(Continuation {
                first: follows,
                varied: false,
            });
    }
}

#[cfg(test)]
mod tests;
