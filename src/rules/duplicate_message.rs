use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};
use crate::model::{Message, Transcript};
use crate::parser::comments::{suppression_comments, SUPPRESSION_MARKER};

declare_rule! {
    /// ## What it does
    /// Finds a message written twice: the same header time (and date) and the
    /// same text, compared line by line with white space trimmed (and
    /// suppression comments left out: a twin with a comment above the next
    /// message is still a twin), at most
    /// `max-distance` messages apart, under any two speaker names. Merging two
    /// exports of one chat leaves such twins, and the two exporters name
    /// people differently (`钟文帅-移付宝科技-产品经理` and `钟`, `我` and the
    /// owner's real name).
    ///
    /// A message that repeats an earlier one at another time is not a
    /// duplicate: people do say `[强]` twice.
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
    /// > 20:13:05  钟文帅-移付宝科技-产品经理
    ///
    /// 7位数，是年薪还是月薪。。
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes one of the two messages, keeping the one whose speaker
    /// name the option `keep` chooses: `first`, `last` or `longer`. It is safe
    /// when speaker and text are identical byte for byte, and unsafe otherwise
    /// (two names may, rarely, be two people).
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
    /// Which of the two to keep: `first`, `last`, or `longer` (the longer
    /// speaker name; the first on a tie).
    pub keep: Keep,
    /// How many messages apart two twins may be.
    pub max_distance: usize,
}

impl Default for DuplicateMessageOptions {
    fn default() -> Self {
        Self {
            keep: Keep::First,
            max_distance: 10,
        }
    }
}

/// Which of two twins the fix keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    First,
    Last,
    Longer,
}

impl Rule for DuplicateMessage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        let text = context.text;
        let transcript = context.transcript;
        let DuplicateMessageOptions { keep, max_distance } = *Self::options(context.settings);
        let messages = &transcript.messages;
        for later in 0..messages.len() {
            if messages[later].header.time.is_none() {
                continue;
            }
            let first = later.saturating_sub(max_distance);
            // The time first: it is cheap to compare, and rarely equal.
            let twin = (first..later).rev().find(|&earlier| {
                same_time(&messages[earlier], &messages[later])
                    && has_text(text, &messages[later])
                    && same_text(text, &messages[earlier], &messages[later])
            });
            let Some(earlier) = twin else { continue };
            diagnostics.push(finding(text, transcript, earlier, later, keep));
        }
    }

    /// `max-distance` messages before the first one judged.
    fn sees_enough_before(
        &self,
        transcript: &Transcript,
        start: usize,
        settings: &crate::rules::Settings,
    ) -> bool {
        let before = transcript
            .messages
            .partition_point(|m| m.header.span.start < start);
        before >= self.messages_back(settings)
    }

    fn messages_back(&self, settings: &crate::rules::Settings) -> usize {
        Self::options(settings).max_distance
    }
}

/// The text lines, trimmed, without suppression comments (outside code
/// fences: lint machinery, not what was said) and without blank ones.
fn trimmed_lines<'a>(
    text: &'a str,
    message: &'a Message,
) -> impl Iterator<Item = Cow<'a, str>> + 'a {
    message
        .content_lines()
        .iter()
        .map(move |line| {
            let content = &text[line.span.clone()];
            if line.in_code_fence || !content.contains(SUPPRESSION_MARKER) {
                return Cow::Borrowed(content.trim());
            }
            let mut kept = String::with_capacity(content.len());
            let mut from = 0;
            for comment in suppression_comments(content) {
                kept.push_str(&content[from..comment.start]);
                from = comment.end;
            }
            kept.push_str(&content[from..]);
            Cow::Owned(kept.trim().to_string())
        })
        .filter(|line| !line.is_empty())
}

/// A message with no text is never a twin: two empty messages say nothing.
fn has_text(text: &str, message: &Message) -> bool {
    trimmed_lines(text, message).next().is_some()
}

fn same_text(text: &str, a: &Message, b: &Message) -> bool {
    trimmed_lines(text, a).eq(trimmed_lines(text, b))
}

fn same_time(a: &Message, b: &Message) -> bool {
    a.header.time == b.header.time && a.header.valid_date() == b.header.valid_date()
}

fn finding(
    text: &str,
    transcript: &Transcript,
    earlier: usize,
    later: usize,
    keep: Keep,
) -> Diagnostic {
    let messages = &transcript.messages;
    let (a, b) = (&messages[earlier], &messages[later]);
    let (speaker_a, speaker_b) = (a.header.speaker(text), b.header.speaker(text));
    let remove_earlier = match keep {
        Keep::First => false,
        Keep::Last => true,
        Keep::Longer => speaker_b.chars().count() > speaker_a.chars().count(),
    };
    let (removed, kept) = if remove_earlier {
        (earlier, later)
    } else {
        (later, earlier)
    };
    let identical = speaker_a == speaker_b && exact_body(text, a) == exact_body(text, b);
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
    let message = if speaker_a == speaker_b {
        format!(
            "Message repeats the one before it at {}",
            a.header.time_text(text)
        )
    } else {
        format!(
            "Message repeats the one at {} under another name (`{speaker_a}` and `{speaker_b}`)",
            a.header.time_text(text)
        )
    };
    Diagnostic::new(&DuplicateMessage::META, b.header.span.clone(), message)
        .with_label("same time, same text")
        .with_related(a.header.span.clone(), "first copy")
        .with_help(format!(
            "Keep one copy: this fix keeps `{}` (option `keep`)",
            messages[kept].header.speaker(text)
        ))
        .with_fix(Some(fix))
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

#[cfg(test)]
mod tests {
    use crate::diagnostic::Applicability;
    use crate::rules::registry;

    #[test]
    fn the_last_message_goes_whole_without_a_final_line_break() {
        let rules = [registry::find("duplicate-message").unwrap()];
        for (text, fixed) in [
            (
                "> 07:00:00  a\n   \nhi\n> 07:00:00  a\n   \nhi",
                "> 07:00:00  a\n   \nhi",
            ),
            (
                "> 07:00:00  a\r\n   \r\nhi\r\n> 07:00:00  a\r\n   \r\nhi",
                "> 07:00:00  a\r\n   \r\nhi",
            ),
            (
                "> 07:00:00  a\r   \rhi\r> 07:00:00  a\r   \rhi",
                "> 07:00:00  a\r   \rhi",
            ),
            // With the final line break, the block is its lines as ever.
            (
                "> 07:00:00  a\n   \nhi\n> 07:00:00  a\n   \nhi\n",
                "> 07:00:00  a\n   \nhi\n",
            ),
        ] {
            let outcome = crate::fix_text("t", text, &rules, Applicability::Safe).unwrap();
            assert!(
                outcome.rejected.is_empty(),
                "{text:?}: {:?}",
                outcome.rejected
            );
            assert_eq!(outcome.text, fixed, "{text:?}");
        }
    }
}
