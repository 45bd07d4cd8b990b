use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};
use crate::model::{BodyLine, Span};

mod names;

pub use names::KnownNames;

declare_rule! {
    /// ## What it does
    /// Finds characters an encoding step replaced with `?`:
    /// - the U+2005 (FOUR-PER-EM SPACE) WeChat writes after an @mention:
    ///   `@右军?支付宝一方面…`, a `?` glued to the next word (a real
    ///   question mark is followed by a space, punctuation or the line end);
    /// - in speaker names, where an emoji was lost: `车睿??`, `??刘莎` (runs of
    ///   two or more, as an emoji outside the BMP became two `?`). Each name
    ///   is reported once per file.
    ///
    /// Mentions are read the way the file names people. At an `@`, the
    /// name is the longest known name that follows and ends there (at a
    /// space, `?`, `@` or the line end), so that `@降峰 百度金融pm 北京?你们`
    /// ends after `北京` and `@牟宁波?天地融?产品?北京?零元购` after `北京`,
    /// not at its first `?`. Known names are the file's speakers, the names
    /// its mentions end for certain, and those its mentions show by
    /// repetition: `@肖勇-亿宏-c?to?` followed by `[强]` in one message and
    /// by `农商行` in another is a name that really holds a `?`; text that
    /// stays the same before a `?` while what follows changes is a name.
    /// Without a known name, the mention ends at its first space or `?`,
    /// unless another lone `?` with text after it follows within a name's
    /// length (32 characters) and before a space: the name may go on
    /// (`@牟宁波?天地融?产品?北京` in a file where he does not speak), and
    /// nothing is reported. An `@` right after a letter or a digit
    /// (`q@文博-邦付宝-北京?好的`) is a mention only when a known name
    /// follows it: `name@example.com` is an address.
    ///
    /// ## Why is this bad?
    /// The `?` reads as a question mark that nobody typed, glued to the next
    /// word, and the mention no longer ends where WeChat ended it.
    ///
    /// ## Example
    /// ```markdown
    /// 我们正在做。@右军?支付宝一方面应该做的很不错了
    /// ```
    ///
    /// Use instead (U+2005 after the name):
    /// ```markdown
    /// 我们正在做。@右军 支付宝一方面应该做的很不错了
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the mention fix restores U+2005 (or a plain space, option
    /// `mention-separator: space`), but a `?` glued to a word may, rarely, be
    /// a question. The lost emoji in a name cannot be restored: no fix.
    pub struct LostCharacter {
        code: "CL402",
        name: "lost-character",
        severity: Warning,
        fix: Sometimes,
        options: LostCharacterOptions,
    }
}

/// The options of `lost-character`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct LostCharacterOptions {
    /// What the mention fix writes for the lost character: `u2005` (what
    /// WeChat wrote) or `space`.
    pub mention_separator: MentionSeparator,
}

impl Default for LostCharacterOptions {
    fn default() -> Self {
        Self {
            mention_separator: MentionSeparator::U2005,
        }
    }
}

/// What ends an @mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MentionSeparator {
    /// U+2005 FOUR-PER-EM SPACE, as WeChat writes it.
    U2005,
    /// A plain space.
    Space,
}

impl Rule for LostCharacter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        let separator = match Self::options(context.settings).mention_separator {
            MentionSeparator::U2005 => "\u{2005}",
            MentionSeparator::Space => " ",
        };
        for line in context.transcript.body_lines() {
            if !line.in_code_fence {
                check_line(context, line, separator, diagnostics);
            }
        }
        check_speakers(context, diagnostics);
    }
}

/// The mentions of one body line.
fn check_line(
    context: &Context<'_>,
    line: &BodyLine,
    separator: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let content = &context.text[line.span.clone()];
    let bytes = content.as_bytes();
    // Most lines have no `@`.
    if memchr::memchr(b'@', bytes).is_none() {
        return;
    }
    let skipped = names::skipped_spans(content, line.span.start, &line.inlines);
    check_mentions(context, line, &skipped, separator, diagnostics);
}

/// The `?` after the line's mentions.
fn check_mentions(
    context: &Context<'_>,
    line: &BodyLine,
    skipped: &[Span],
    separator: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let content = &context.text[line.span.clone()];
    let mut mentioned: Vec<Span> = Vec::new();
    for at in names::mention_openers(content, skipped) {
        // An `@` inside a name read (`@李伟@易宝支付?`) opens no mention.
        if mentioned.last().is_some_and(|name| at < name.end) {
            continue;
        }
        let rest = &content[at + 1..];
        let (name_len, is_known) = match context.whole_file.names().longest_at(rest) {
            Some(len) => (len, true),
            None if !names::follows_word(content, at) => (names::written_name(rest), false),
            None => continue,
        };
        if name_len == 0 {
            continue;
        }
        mentioned.push(at + 1..at + 1 + name_len);
        if !names::lost_separator(&rest[name_len..])
            || (!is_known && names::may_go_on(rest, name_len))
        {
            continue;
        }
        let lost = line.span.start + at + 1 + name_len;
        let at = lost..lost + 1;
        let name = &rest[..name_len];
        let title = if separator == " " {
            "Replace `?` with a space"
        } else {
            "Replace `?` with U+2005"
        };
        diagnostics.push(
            Diagnostic::new(
                &LostCharacter::META,
                at.clone(),
                format!("`?` after `@{name}` stands for the U+2005 that ended the mention"),
            )
            .with_label("lost U+2005")
            .with_help("Restore the character WeChat wrote after the mention")
            .with_fix(Some(Fix::unsafe_edit(
                title,
                vec![Edit::replace(at, separator)],
            ))),
        );
    }
}

/// The speakers' names with lost characters, each at its first header.
fn check_speakers(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let text = context.text;
    for message in &context.transcript.messages {
        let speaker = message.header.speaker(text);
        let Some(run) = question_run(speaker) else {
            continue;
        };
        // Reported at the speaker's first header in the file, with the
        // number of headers in the whole file.
        let Some(headers) = context.whole_file.lost_speaker(speaker) else {
            continue;
        };
        if headers.first != message.header.span.start {
            continue;
        }
        let start = message.header.speaker_span.start + run.start;
        let count = headers.count;
        let more = if count > 1 {
            format!(" ({count} headers)")
        } else {
            String::new()
        };
        diagnostics.push(
            Diagnostic::new(
                &LostCharacter::META,
                start..start + run.len(),
                format!("Speaker `{speaker}` has `?` where a character was lost{more}"),
            )
            .with_label("lost character, probably an emoji")
            .with_help("Restore the name from another export of the chat, or leave it as it is"),
        );
    }
}

/// The first run of two or more `?`. (Each header's speaker is looked at:
/// a search for the rare `?` byte, not a substring search set up each time.)
pub(crate) fn question_run(speaker: &str) -> Option<std::ops::Range<usize>> {
    let bytes = speaker.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'?', &bytes[from..]) {
        let start = from + i;
        let len = bytes[start..].iter().take_while(|&&b| b == b'?').count();
        if len >= 2 {
            return Some(start..start + len);
        }
        from = start + len;
    }
    None
}
