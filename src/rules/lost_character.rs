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
    ///   two or more, as an emoji outside the BMP became two `?`), or a lone
    ///   `?` where the file also knows the name with a character there
    ///   (`李?德灿` and `李·德灿`), unless a mention writes it with the `?`
    ///   too (`@肖勇-亿宏-c?to`: the name holds a `?`). Each name is
    ///   reported once per file;
    /// - in message text, a run of two or more `?` glued to the next word
    ///   (`??不好意思`, `吗？??我现在`): a lost emoji. A run before a space,
    ///   punctuation or the line end (`你有牌照吗??`) may be a question and
    ///   is left alone.
    ///
    /// Mentions are read the way the file names people. At an `@`, the
    /// name is the longest known name that follows and ends there (at a
    /// space, `?`, `@` or the line end), so that `@降峰 百度金融pm 北京?你们`
    /// ends after `北京` and `@牟宁波?天地融?产品?北京?零元购` after `北京`,
    /// not at its first `?`. Known names are the file's speakers, the names
    /// its mentions end for certain (with U+2005, or a glued `?`), and
    /// those its mentions show by repetition: `@肖勇-亿宏-c?to?` followed by
    /// `[强]` in one message and by `农商行` (or by a space) in another is a
    /// name that really holds a `?`; text that stays the same before a `?`
    /// while what follows changes is a name. (Twins of one message, the
    /// same text after, show nothing.)
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
    /// a question. A lost emoji, in a name or in the text, cannot be
    /// restored, nor can a name's lone `?` be told for sure: no fix.
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

/// The mentions and lost emoji of one body line.
fn check_line(
    context: &Context<'_>,
    line: &BodyLine,
    separator: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let content = &context.text[line.span.clone()];
    let bytes = content.as_bytes();
    // Every finding of a line is a `?` (after a mention, or `??`): a line
    // without one has none, and its mentions need not be read (nor the
    // file's names gathered, a pass over the whole text, for a file whose
    // lines have no `?`: most of the archive's).
    if memchr::memchr(b'?', bytes).is_none() {
        return;
    }
    let has_at = memchr::memchr(b'@', bytes).is_some();
    let skipped = names::skipped_spans(content, line.span.start, &line.inlines);
    let mentioned = if has_at {
        check_mentions(context, line, &skipped, separator, diagnostics)
    } else {
        Vec::new()
    };
    check_lost_emoji(content, line.span.start, &skipped, &mentioned, diagnostics);
}

/// The `?` after the line's mentions. Returns the spans (relative to the
/// line) of the names read and of each `?` reported after one, in order
/// and apart.
fn check_mentions(
    context: &Context<'_>,
    line: &BodyLine,
    skipped: &[Span],
    separator: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Span> {
    let content = &context.text[line.span.clone()];
    let mut mentioned: Vec<Span> = Vec::new();
    for at in names::mention_openers(content, skipped) {
        // An `@` inside a name read (`@李伟@易宝支付?`) opens no mention.
        if mentioned.last().is_some_and(|name| at < name.end) {
            continue;
        }
        let rest = &content[at + 1..];
        let (name_len, is_known) = match context
            .whole_file
            .names(context.transcript)
            .longest_at(rest)
        {
            Some(len) => (len, true),
            None if !names::follows_word(content, at) => (names::written_name(rest), false),
            None => continue,
        };
        if name_len == 0 {
            continue;
        }
        let name_end = at + 1 + name_len;
        if !names::lost_separator(&rest[name_len..])
            || (!is_known && names::may_go_on(rest, name_len))
        {
            mentioned.push(at + 1..name_end);
            continue;
        }
        // The reported `?` belongs to the mention, not to a lost emoji.
        mentioned.push(at + 1..name_end + 1);
        let lost = line.span.start + name_end;
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
    mentioned
}

/// Runs of two or more `?` glued to the next word (`??不好意思`,
/// `吗？??我现在`): an emoji outside the BMP became two `?`. A run at the
/// end of a line or before a space or punctuation may be a question
/// (`你有牌照吗??`) and is left alone, as are runs inside a mention's name
/// (the speaker's name is reported at its header) and in links, images
/// and code spans. No fix: nothing says which emoji it was.
fn check_lost_emoji(
    content: &str,
    line_start: usize,
    skipped: &[Span],
    mentioned: &[Span],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let bytes = content.as_bytes();
    let mut from = 0;
    while let Some(found) = memchr::memchr(b'?', &bytes[from..]) {
        let start = from + found;
        let end = start + bytes[start..].iter().take_while(|&&b| b == b'?').count();
        from = end;
        let run = start..end;
        if run.len() < 2
            || !content[end..].chars().next().is_some_and(names::is_glued)
            || names::overlaps(skipped, &run)
            || names::overlaps(mentioned, &run)
        {
            continue;
        }
        diagnostics.push(
            Diagnostic::new(
                &LostCharacter::META,
                line_start + start..line_start + end,
                format!(
                    "`{}` glued to the next word stands for characters lost in encoding",
                    &content[run]
                ),
            )
            .with_label("lost character, probably an emoji")
            .with_help("Restore it from another export of the chat, or leave it as it is"),
        );
    }
}

/// The speakers' names with lost characters, each at its first header:
/// a run of `??` (a lost emoji), or a lone `?` where the same name is
/// known in the file with a character there (`李?德灿`, `李·德灿`) and no
/// mention writes it with the `?` (`@肖勇-亿宏-c?to`: a name that holds a
/// `?`).
fn check_speakers(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let text = context.text;
    for message in &context.transcript.messages {
        let speaker = message.header.speaker(text);
        // Reported at the speaker's first header in the file, with the
        // number of headers in the whole file.
        let Some(headers) = context.whole_file.lost_speaker(speaker) else {
            continue;
        };
        if headers.first != message.header.span.start {
            continue;
        }
        let count = headers.count;
        let more = if count > 1 {
            format!(" ({count} headers)")
        } else {
            String::new()
        };
        let (lost, message_text, label) = if let Some(run) = question_run(speaker) {
            (
                run,
                format!("Speaker `{speaker}` has `?` where a character was lost{more}"),
                "lost character, probably an emoji",
            )
        } else if let Some((at, spelled)) = lone_lost(context, speaker) {
            (
                at..at + 1,
                format!(
                    "Speaker `{speaker}` has `?` where the file also writes the name \
                     `{spelled}`{more}"
                ),
                "lost character",
            )
        } else {
            continue;
        };
        let start = message.header.speaker_span.start + lost.start;
        diagnostics.push(
            Diagnostic::new(
                &LostCharacter::META,
                start..start + lost.len(),
                message_text,
            )
            .with_label(label)
            .with_help("Restore the name from another export of the chat, or leave it as it is"),
        );
    }
}

/// Where `speaker`, a name with lone `?`s, lost a character: the first
/// `?` (byte offset) at which a name known in the file, otherwise the
/// same, has another character, and that name. `None` when a mention
/// writes the name with its `?` too.
fn lone_lost<'n>(context: &'n Context<'_>, speaker: &str) -> Option<(usize, &'n str)> {
    let spelled = context
        .whole_file
        .names(context.transcript)
        .spelled_out(speaker)?;
    let written_with_question = memchr::memmem::find_iter(context.text.as_bytes(), speaker)
        .any(|at| at > 0 && context.text.as_bytes()[at - 1] == b'@');
    if written_with_question {
        return None;
    }
    let at = speaker
        .char_indices()
        .zip(spelled.chars())
        .find(|&((_, lost), other)| lost == '?' && other != '?')
        .map(|((at, _), _)| at)?;
    Some((at, spelled))
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
