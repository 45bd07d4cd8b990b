use std::cmp::Ordering;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::aliases::Aliases;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};
use crate::model::{Message, Transcript};
use crate::twins::{find_twins, Evidence, TwinOptions, TwinPair, Why, SELF_NAME};

declare_rule! {
    /// ## What it does
    /// Finds a message written twice, as merging two exports of one chat
    /// leaves it: the same text on the same day, at most `max-distance`
    /// messages apart, from the same speaker at the same second, or from
    /// two names of one person at most `max-skew-seconds` apart.
    ///
    /// The text is compared line by line with white space trimmed and
    /// suppression comments left out (a comment above the next message
    /// stands in this one's body); two empty bodies are the same text. A copy (same speaker, same second)
    /// is found in any file, for a non-empty text. The exporters' clocks
    /// differ by a few seconds, and they name people differently
    /// (`钟文帅-移付宝科技-产品经理` and `钟`, `我` and the owner's real
    /// name): two names are one person's when `aliases:` in the
    /// configuration maps them to one canonical name, or when the file
    /// shows it.
    ///
    /// A merge of two exports has most of its messages twice, under names
    /// that pair up one to one, again and again. A file reads as a merge
    /// when at least `merge-twinned-percent` of its messages are twins
    /// under names matched one to one (the most frequent pairs first),
    /// those are at least `merge-consistent-percent` of all its twins under
    /// two names, one matched pair at least looks like one person's names
    /// on their own (`我` and another, or the same personal name before the
    /// group's `-`: `杜雷` and `杜雷-乐天-技术`; every merge of the archive
    /// has one, and two people echoing each other do not), and a matched
    /// pair twins more than once (or, in a file too short for that, every
    /// message has its twin under names that all look alike). In a merge,
    /// two names are one person's when each is the other's most frequent
    /// partner, or one of them is (a pair seen
    /// once is a person who spoke once that day); the same name seconds
    /// apart, or with an empty body, is a twin there too. In a file without
    /// that evidence, different people posting `1`, `+1`, `收到` or an
    /// emoji in the same second are not twins. On the archive the merges
    /// have 49 to 100 % of their messages twinned, 89.8 % or more of them
    /// consistently, and repeated pairs; every other file at most 17.4 %,
    /// those above 10 % at most 53 % consistently, and no pair of names
    /// twins twice in any: hence the defaults, 30 and 70. Four messages of
    /// one export, `甲` and `乙` saying `签到`, `丙` and `丁` saying `1`, are
    /// no merge; two messages, `胡桥-资邦金服-财务核心` and
    /// `胡桥-资邦金服-账务核心业务架构` saying the same, are.
    ///
    /// A message that repeats an earlier one minutes later is not a
    /// duplicate: people do say `[强]` twice. Each message has at most one
    /// twin under another name: the closest earlier one not yet matched.
    ///
    /// ## Why is this bad?
    /// Every message after the merge appears twice: the transcript reads
    /// badly and every count (messages, speakers) is wrong. The archive's
    /// keepers once removed about 20,000 such twins from 222 files by hand.
    ///
    /// ## Example
    /// ```markdown
    /// > 20:13:05  钟
    ///
    /// 7位数，是年薪还是月薪。。
    ///
    /// > 20:13:06  钟文帅-移付宝科技-产品经理
    ///
    /// 7位数，是年薪还是月薪。。
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes one of the two messages, keeping the one the option
    /// `keep` chooses: `first`, `last`, `longer` (the longer name), or
    /// `canonical` (the default), the real name, as the keepers chose: the
    /// name `aliases` gives as canonical; else not `我` (the exporter's
    /// name for themselves); else the name with more messages in the file;
    /// else the longer one (the group's `姓名-公司-岗位-地区` nickname
    /// rather than a short remark); else the first. It is safe only for a
    /// copy whose two messages are identical byte for byte (header line and
    /// text), and unsafe otherwise: two names, a few seconds or an empty
    /// body are evidence, not certainty.
    pub struct DuplicateMessage {
        code: "CL301",
        name: "duplicate-message",
        severity: Warning,
        fix: Always,
        options: DuplicateMessageOptions,
    }
}

/// The options of `duplicate-message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct DuplicateMessageOptions {
    /// Which of the two to keep: `canonical` (the real name, see the rule),
    /// `first`, `last`, or `longer` (the longer speaker name; the first on
    /// a tie).
    pub keep: Keep,
    /// How many messages apart two twins may be.
    pub max_distance: usize,
    /// How many seconds apart the two copies of one person's message may be
    /// written (the two exporters' clocks differ).
    pub max_skew_seconds: u32,
    /// The least share of a file's messages, in percent, that are twins
    /// under names pairing up one to one, for the file to read as a merge
    /// of two exports.
    pub merge_twinned_percent: Percent,
    /// The least share of the twins under two different names, in percent,
    /// that fall on names pairing up one to one, for the file to read as a
    /// merge of two exports.
    pub merge_consistent_percent: Percent,
}

impl Default for DuplicateMessageOptions {
    fn default() -> Self {
        let twins = TwinOptions::default();
        Self {
            keep: Keep::Canonical,
            max_distance: twins.max_distance,
            max_skew_seconds: twins.max_skew_seconds,
            merge_twinned_percent: Percent(twins.merge_twinned_percent),
            merge_consistent_percent: Percent(twins.merge_consistent_percent),
        }
    }
}

impl DuplicateMessageOptions {
    /// What decides twins.
    pub fn twins(&self) -> TwinOptions {
        TwinOptions {
            max_distance: self.max_distance,
            max_skew_seconds: self.max_skew_seconds,
            merge_twinned_percent: self.merge_twinned_percent.0,
            merge_consistent_percent: self.merge_consistent_percent.0,
        }
    }
}

/// Which of two twins the fix keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    Canonical,
    First,
    Last,
    Longer,
}

/// A share in percent: a whole number from 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Percent(u8);

impl TryFrom<u8> for Percent {
    type Error = String;

    fn try_from(value: u8) -> Result<Self, String> {
        if value <= 100 {
            Ok(Percent(value))
        } else {
            Err(format!("invalid value: {value}, more than 100 percent"))
        }
    }
}

impl From<Percent> for u8 {
    fn from(percent: Percent) -> u8 {
        percent.0
    }
}

impl JsonSchema for Percent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Percent".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "format": "uint8",
            "minimum": 0,
            "maximum": 100
        })
    }
}

impl Rule for DuplicateMessage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        let options = Self::options(context.settings);
        let twins = options.twins();
        let evidence = context.whole_file.twin_evidence(context.transcript, &twins);
        let aliases = context.settings.aliases();
        for pair in find_twins(context.text, context.transcript, &twins, aliases, evidence) {
            diagnostics.push(finding(context, &pair, options.keep, evidence));
        }
    }

    /// A cut before the first message judged that no twins cross, at
    /// least `max-distance` messages in.
    fn sees_enough_before(
        &self,
        transcript: &Transcript,
        start: usize,
        settings: &crate::rules::Settings,
    ) -> bool {
        let first_judged = transcript
            .messages
            .partition_point(|m| m.header.span.start < start);
        crate::twins::settled_from(transcript, first_judged, &Self::options(settings).twins())
    }

    fn messages_back(&self, settings: &crate::rules::Settings) -> usize {
        Self::options(settings).max_distance
    }
}

/// Whether the earlier of two twins, under the name `earlier`, is the one
/// to keep rather than the later one, under `later`: the option `keep`.
/// `merge` keeps the same one, so that a merge of exports and the fix of
/// a merged file agree on the name left.
pub fn keeps_earlier(
    keep: Keep,
    earlier: &str,
    later: &str,
    aliases: &Aliases,
    evidence: &Evidence,
) -> bool {
    match keep {
        Keep::First => true,
        Keep::Last => false,
        Keep::Longer => later.chars().count() <= earlier.chars().count(),
        Keep::Canonical => {
            let rank = |name: &str| {
                (
                    aliases.is_canonical(name),
                    name != SELF_NAME,
                    evidence.message_count(name),
                    name.chars().count(),
                )
            };
            rank(earlier).cmp(&rank(later)) != Ordering::Less
        }
    }
}

fn finding(context: &Context<'_>, pair: &TwinPair, keep: Keep, evidence: &Evidence) -> Diagnostic {
    let (text, transcript) = (context.text, context.transcript);
    let messages = &transcript.messages;
    let (a, b) = (&messages[pair.earlier], &messages[pair.later]);
    let (speaker_a, speaker_b) = (a.header.speaker(text), b.header.speaker(text));
    let (removed, kept) = if keeps_earlier(
        keep,
        speaker_a,
        speaker_b,
        context.settings.aliases(),
        evidence,
    ) {
        (pair.later, pair.earlier)
    } else {
        (pair.earlier, pair.later)
    };
    let identical = pair.why == Why::Copy && byte_identical(text, a, b);
    let edit = Edit::replace(block_span(text, transcript, removed), "");
    let title = format!(
        "Remove the copy under `{}`",
        messages[removed].header.speaker(text)
    );
    let fix = if identical {
        Fix::safe(title, vec![edit])
    } else {
        Fix::unsafe_edit(title, vec![edit])
    }
    .removing_messages(1);
    let time = a.header.time_text(text);
    let empty = exact_body(text, a).is_empty();
    let apart = pair.seconds_apart;
    let (message, label) = if pair.why == Why::Copy {
        (
            format!("Message repeats the one before it at {time}"),
            "same time, same text".to_string(),
        )
    } else {
        let what = if empty { "Empty message" } else { "Message" };
        let when = if apart == 0 {
            String::new()
        } else {
            format!(" ({apart} s apart)")
        };
        let whose = if speaker_a == speaker_b {
            "under the same name".to_string()
        } else {
            format!("under another name (`{speaker_a}` and `{speaker_b}`)")
        };
        let label = match (empty, apart) {
            (false, 0) => "same time, same text".to_string(),
            (false, n) => format!("same text, {n} s apart"),
            (true, 0) => "same time, both empty".to_string(),
            (true, n) => format!("both empty, {n} s apart"),
        };
        (
            format!("{what} repeats the one at {time}{when} {whose}"),
            label,
        )
    };
    let why = match pair.why {
        Why::Copy => String::new(),
        Why::Configured => {
            format!("`aliases` in the configuration makes `{speaker_a}` and `{speaker_b}` one person. ")
        }
        Why::Evident => format!(
            "The file reads as a merge of two exports: {} of its {} messages are twins under names that pair up. ",
            2 * evidence.consistent(),
            evidence.messages()
        ),
    };
    Diagnostic::new(&DuplicateMessage::META, b.header.span.clone(), message)
        .with_label(label)
        .with_related(a.header.span.clone(), "first copy")
        .with_help(format!(
            "{why}Keep one copy: this fix keeps `{}` (option `keep`)",
            messages[kept].header.speaker(text)
        ))
        .with_fix(Some(fix))
}

/// The same header line and the same content lines, byte for byte.
fn byte_identical(text: &str, a: &Message, b: &Message) -> bool {
    text[a.header.span.clone()] == text[b.header.span.clone()]
        && exact_body(text, a) == exact_body(text, b)
}

/// The body's content lines exactly as written.
fn exact_body<'a>(text: &'a str, message: &Message) -> Vec<&'a str> {
    message
        .content_lines()
        .iter()
        .map(|l| &text[l.span.clone()])
        .collect()
}

/// A message's whole block: its header to the next header or day heading,
/// so that removing it leaves the layout around it as it was.
fn block_span(text: &str, transcript: &Transcript, index: usize) -> std::ops::Range<usize> {
    let start = transcript.messages[index].header.span.start;
    let next_header = transcript
        .messages
        .get(index + 1)
        .map(|m| m.header.span.start);
    let next_heading = transcript
        .day_headings
        .iter()
        .map(|h| h.span.start)
        .find(|&s| s > start);
    let end = [next_header, next_heading]
        .into_iter()
        .flatten()
        .min()
        // The end of the transcript, which for a part of a large file is
        // where the next part's first header starts.
        .unwrap_or(transcript.end);
    // The last block of a file that does not end with a line break: the
    // break before the header goes with it, so that whole lines are removed
    // (from the end of the line before to the end of the file) and the file
    // still ends without one.
    let bytes = text.as_bytes();
    if end == text.len() && !crate::line_index::is_line_start(bytes, end) && start > 0 {
        let break_before = if bytes[..start].ends_with(b"\r\n") {
            2
        } else {
            1
        };
        return start - break_before..end;
    }
    start..end
}
