use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};
use crate::model::Inline;

declare_rule! {
    /// ## What it does
    /// Finds characters an encoding step replaced with `?`:
    /// - after an @mention, where WeChat writes U+2005 (FOUR-PER-EM SPACE):
    ///   `@右军?支付宝一方面…` (a `?` followed directly by more text; a real
    ///   question mark is followed by a space, punctuation or the line end);
    /// - in speaker names, where an emoji was lost: `车睿??`, `??刘莎` (runs of
    ///   two or more, as an emoji outside the BMP became two `?`). Each name
    ///   is reported once per file.
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
        let text = context.text;
        let separator = match Self::options(context.settings).mention_separator {
            MentionSeparator::U2005 => "\u{2005}",
            MentionSeparator::Space => " ",
        };
        for line in context.transcript.body_lines() {
            for inline in &line.inlines {
                let Inline::Mention(mention) = inline else {
                    continue;
                };
                let after = &text[mention.name_span.end..line.span.end];
                let mut chars = after.chars();
                if chars.next() != Some('?') {
                    continue;
                }
                let glued = chars.next().is_some_and(|c| {
                    !c.is_whitespace() && !c.is_ascii_punctuation() && !is_cjk_punctuation(c)
                });
                if !glued {
                    continue;
                }
                let at = mention.name_span.end..mention.name_span.end + 1;
                let name = &text[mention.name_span.clone()];
                diagnostics.push(
                    Diagnostic::new(
                        &Self::META,
                        at.clone(),
                        format!("`?` after `@{name}` stands for the U+2005 that ended the mention"),
                    )
                    .with_label("lost U+2005")
                    .with_help("Restore the character WeChat wrote after the mention")
                    .with_fix(Some(Fix::unsafe_edit(
                        if separator == " " {
                            "Replace `?` with a space"
                        } else {
                            "Replace `?` with U+2005"
                        },
                        vec![Edit::replace(at, separator)],
                    ))),
                );
            }
        }
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
            let count = headers.count;
            let start = message.header.speaker_span.start + run.start;
            let more = if count > 1 {
                format!(" ({count} headers)")
            } else {
                String::new()
            };
            diagnostics.push(
                Diagnostic::new(
                    &Self::META,
                    start..start + run.len(),
                    format!("Speaker `{speaker}` has `?` where a character was lost{more}"),
                )
                .with_label("lost character, probably an emoji")
                .with_help(
                    "Restore the name from another export of the chat, or leave it as it is",
                ),
            );
        }
    }
}

fn is_cjk_punctuation(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '！' | '？' | '：' | '；' | '、' | '）' | '」' | '』' | '”' | '’'
    )
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
