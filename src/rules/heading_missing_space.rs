use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Finds body lines written as a Markdown heading without the space
    /// CommonMark requires after the hashes: `##背景 先说下`, or with a CJK
    /// input method's ideographic space (U+3000) instead, which CommonMark
    /// does not count as one: `#　标题`. A heading and its subheading whose
    /// line break was lost (`#实名认证  ##实质 实名认证是…`) is a heading too:
    /// the `##` inside does not close a hashtag.
    ///
    /// A line longer than `max-heading-length` characters after its hashes
    /// (`##背景 先说下当时的团队成员，…` running on for hundreds of
    /// characters) is reported as what it reads as: a paragraph that starts
    /// with hashes, most often a pasted article whose line breaks were lost.
    ///
    /// It leaves alone what is not meant as a heading: hashtags closed by a
    /// hash (`#36氪快讯# …`, `#36氪 快讯# …`, `#话题#`), pasted code
    /// (`#include <…>`, `#if((($time>=2350 …`), issue numbers (`#1234`,
    /// `#1234修好了`), colours (`#fff`), a lone run of hashes, more than six
    /// hashes, an escaped `\#`, a hash inside a line (`C#`), and lines in
    /// fenced code.
    ///
    /// ## Why is this bad?
    /// Without the space a CommonMark renderer shows the line as a paragraph
    /// starting with literal hashes, not as the heading the writer meant.
    ///
    /// ## Example
    /// ```markdown
    /// ##背景 先说下当时的团队成员
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// ## 背景 先说下当时的团队成员
    /// ```
    ///
    /// ## Fix safety
    /// The fix inserts one space after the hashes. It is safe on a line of at
    /// most `max-heading-length` characters: the line's text is unchanged and
    /// it renders as the heading it was written as. On a longer line it is
    /// unsafe: it would turn the whole paragraph into a heading, which is
    /// what the hashes say but seldom what the writer meant (a heading and
    /// its text whose line break was lost, or hashes meant literally).
    pub struct HeadingMissingSpace {
        code: "CL101",
        name: "heading-missing-space",
        severity: Warning,
        fix: Always,
        options: HeadingMissingSpaceOptions,
    }
}

/// The options of `heading-missing-space`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct HeadingMissingSpaceOptions {
    /// The most characters (after the hashes, without trailing spaces) a
    /// line may have to read as a heading; a longer one reads as a paragraph
    /// that starts with hashes, and its fix is unsafe.
    pub max_heading_length: u32,
}

impl Default for HeadingMissingSpaceOptions {
    fn default() -> Self {
        Self {
            max_heading_length: 80,
        }
    }
}

impl Rule for HeadingMissingSpace {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        let max_length = Self::options(context.settings).max_heading_length as usize;
        let transcript = context.transcript;
        // Where each `#` is, in order; the lines are in order too, so a line
        // without one is passed over at once (most files have none).
        let covered = &context.text.as_bytes()[transcript.start..transcript.end];
        let mut hashes = memchr::memchr_iter(b'#', covered)
            .map(|at| transcript.start + at)
            .peekable();
        for line in transcript.body_lines() {
            while hashes.next_if(|&at| at < line.span.start).is_some() {}
            let Some(&next) = hashes.peek() else {
                break;
            };
            if line.in_code_fence || next >= line.span.end {
                continue;
            }
            let content = &context.text[line.span.clone()];
            let Some((indent, hashes)) = missing_space_heading(content) else {
                continue;
            };
            let start = line.span.start + indent;
            let end = start + hashes;
            let marker = "#".repeat(hashes);
            let title = format!("Insert a space after `{marker}`");
            let edits = vec![Edit::insert(end, " ")];
            let length = content[indent + hashes..]
                .trim_end_matches([' ', '\t'])
                .chars()
                .count();
            let diagnostic = if length <= max_length {
                let mut help = format!("Write `{marker} ` followed by the heading text");
                if let Some(subheading) = lost_subheading(&content[indent + hashes..]) {
                    help.push_str(&format!(
                        "; `{subheading}` further on looks like a subheading whose line break \
                         was lost"
                    ));
                }
                Diagnostic::new(
                    &Self::META,
                    start..end,
                    format!("Heading `{marker}` has no space after it; it renders as plain text"),
                )
                .with_label("add a space after these hashes")
                .with_help(help)
                .with_fix(Some(Fix::safe(title, edits)))
            } else {
                Diagnostic::new(
                    &Self::META,
                    start..end,
                    format!(
                        "`{marker}` without a space starts a line of {length} characters: \
                         it reads as a paragraph that starts with hashes, not as a heading"
                    ),
                )
                .with_label("shown as literal hashes")
                .with_help(format!(
                    "A heading is at most {max_length} characters (`max-heading-length`): \
                     if the line is a heading and its text, write `{marker} ` and break \
                     the line where the heading ends; if the hashes are text, write them \
                     as `{}`",
                    "\\#".repeat(hashes)
                ))
                .with_fix(Some(Fix::unsafe_edit(title, edits)))
            };
            diagnostics.push(diagnostic);
        }
    }
}

/// Preprocessor directives and other code that starts with one `#`.
const CODE_DIRECTIVES: &[&str] = &[
    "include",
    "define",
    "undef",
    "if",
    "ifdef",
    "ifndef",
    "elif",
    "else",
    "endif",
    "pragma",
    "import",
    "error",
    "warning",
    "line",
    "region",
    "endregion",
    "using",
];

/// If the line is meant as a heading but lacks the space, the indent and the
/// number of hashes.
fn missing_space_heading(line: &str) -> Option<(usize, usize)> {
    // Up to three spaces of indent; four make an indented code block.
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let text = &rest[hashes..];
    let first = text.chars().next()?;
    // `#　标题`: a CJK input method's ideographic space is not the space or
    // tab CommonMark asks for, so the line is a paragraph too. (The fix
    // inserts a space before it and keeps it.)
    if first.is_whitespace() && first != '\u{3000}' {
        return None;
    }
    if hashes == 1 && !reads_as_heading_after_one_hash(text) {
        return None;
    }
    Some((indent, hashes))
}

/// After a single `#`, the many things that are not headings.
fn reads_as_heading_after_one_hash(text: &str) -> bool {
    let first_word = text.split(char::is_whitespace).next().unwrap_or_default();
    // `#36氪快讯# …`, `#话题#`: a hashtag closed by a hash before any space.
    if first_word.contains(['#', '＃']) {
        return false;
    }
    // `#36氪 快讯# 万达`: a hashtag with a space inside, closed a few words on.
    if closes_soon_as_hashtag(text) {
        return false;
    }
    // `#1234，已经修好了`, `#1234修好了`: an issue number followed by CJK
    // text or punctuation (not `、` or `.`, which number a list item:
    // `#1、背景`).
    let digits = first_word.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && first_word[digits..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_ascii() && c != '、')
    {
        return false;
    }
    let ascii_word = first_word.is_ascii();
    if ascii_word {
        // `#1234`, `#12,` : issue numbers.
        let digits = first_word.trim_end_matches(|c: char| c.is_ascii_punctuation());
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        // `#fff`, `#FF0000`: colours.
        if matches!(first_word.len(), 3 | 6 | 8)
            && first_word.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return false;
        }
        // `#include <stdio.h>`, `#if((($time>=2350`, `#!/bin/sh`: code.
        let identifier: String = first_word
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if CODE_DIRECTIVES.contains(&identifier.as_str()) {
            return false;
        }
        if first_word.contains([
            '(', ')', '{', '}', '$', '=', '<', '>', ';', '!', '/', '\\', '"', '\'', '[', ']',
        ]) {
            return false;
        }
        // `#java` alone on a line: a tag, not a heading.
        if first_word.len() == text.trim_end().len() {
            return false;
        }
    }
    true
}

/// Whether a second `#` or `＃` closes `text` as a Weibo-style hashtag within
/// its first 30 characters, before any sentence punctuation. A run of two
/// or more hashes after a space that starts a word (`#实名认证  ##实质 …`)
/// closes nothing: it is a subheading whose line break was lost.
fn closes_soon_as_hashtag(text: &str) -> bool {
    let mut previous = None;
    for (at, c) in text.char_indices().take(30) {
        let after_space = previous.is_some_and(char::is_whitespace);
        previous = Some(c);
        match c {
            '#' if after_space && starts_subheading(&text[at..]) => return false,
            '#' | '＃' => return true,
            '。' | '，' | '！' | '？' | '；' | '.' | ',' | '!' | '?' | ';' => return false,
            _ => {}
        }
    }
    false
}

/// In a heading's text, the first subheading whose line break was lost
/// (`##实质` in `实名认证  ##实质 实名认证是…`), up to the space after it.
fn lost_subheading(text: &str) -> Option<&str> {
    text.char_indices()
        .zip(text.chars().skip(1))
        .find(|((_, c), next)| c.is_whitespace() && *next == '#')
        .map(|((at, c), _)| &text[at + c.len_utf8()..])
        .filter(|rest| starts_subheading(rest))
        .map(|rest| rest.split(char::is_whitespace).next().unwrap_or(rest))
}

/// `##实质 …`: two to six hashes, then a word.
fn starts_subheading(text: &str) -> bool {
    let hashes = text.bytes().take_while(|&b| b == b'#').count();
    (2..=6).contains(&hashes)
        && text[hashes..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '#')
}

#[cfg(test)]
mod tests {
    use super::missing_space_heading;

    #[test]
    fn headings_without_space() {
        for line in [
            "##背景 先说下",
            "#注册登录  1、…",
            "##Rework 关于老网关",
            "###### 六",
            "######六",
            "   ##缩进",
            "#1、背景",
            "#1.背景",
            "#\u{3000}标题",
            "##\u{3000}二级标题",
            "#实名认证  ##实质 实名认证是…",
            "#标题  ##小节",
        ] {
            let expected = line.trim_start().starts_with("###### ");
            assert_eq!(missing_space_heading(line).is_none(), expected, "{line}");
        }
    }

    #[test]
    fn not_headings() {
        for line in [
            "#36氪快讯# 万达",
            "#话题#",
            "#618复盘系列# | 复盘",
            "#if((($time>=2350 && $time<=2400)))",
            "#include <stdio.h>",
            "#define MAX 10",
            "#!/bin/bash",
            "###",
            "#######七",
            "\\#不是标题",
            "C# java 双写",
            "#1234 修好了",
            "#1234，已经修好了",
            "#1234修好了",
            "#36氪 快讯# 万达",
            "#双十一 复盘＃ 今年",
            "#深圳 #北京",
            "#话题 ## 不是小节",
            "#12。",
            "#fff",
            "#java",
            "    ##代码",
            "## 已有空格",
            "#",
        ] {
            assert_eq!(missing_space_heading(line), None, "{line}");
        }
    }
}
