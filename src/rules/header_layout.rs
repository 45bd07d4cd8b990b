use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks the archive's own layout of a message, which is only style:
    /// - the header is `> HH:MM:SS  speaker  `: one space after `>`, two
    ///   spaces between the time and the speaker, two spaces after the
    ///   speaker (a Markdown hard break);
    /// - separator lines are three spaces;
    /// - body lines end with two spaces (hard breaks), except in code fences.
    ///
    /// A message with an empty body (nothing but blank lines after its
    /// header, such as `> 09:25:19  甲  ` followed by lines of three, two and
    /// three spaces) is reported once, as an empty message: its blank lines
    /// are not separators out of place, and no spaces make it right.
    ///
    /// Off by default: real archives vary here (three spaces before a
    /// speaker, separators of two, four or five spaces) and readers see no
    /// difference. Turn it on with `extend-select: [header-layout]`.
    ///
    /// ## Why is this bad?
    /// A uniform layout keeps diffs small and lets simple tools (grep, sed)
    /// work on the archive. A body line without its hard-break spaces joins
    /// the next line when rendered.
    ///
    /// ## Example
    /// ```markdown
    /// > 07:50:02 右军
    /// 熊哥，请转发
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fixes change only spaces. An empty message has no fix: what
    /// it said, if anything, the export did not keep.
    pub struct HeaderLayout {
        code: "CL003",
        name: "header-layout",
        severity: Warning,
        fix: Sometimes,
        default_enabled: false,
    }
}

use crate::layout::{AFTER_QUOTE, HARD_BREAK, SEPARATOR, SPEAKER_GAP};

impl Rule for HeaderLayout {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        let text = context.text;
        let push = |diagnostics: &mut Vec<Diagnostic>,
                    span: std::ops::Range<usize>,
                    message: &str,
                    label: &str,
                    replacement: &str| {
            diagnostics.push(
                Diagnostic::new(&Self::META, span.clone(), message)
                    .with_label(label)
                    .with_fix(Some(Fix::safe(
                        format!("Write `{}`", replacement.replace(' ', "␠")),
                        vec![Edit::replace(span, replacement)],
                    ))),
            );
        };
        for message in &context.transcript.messages {
            let header = &message.header;
            let after_quote = header.span.start + 1;
            let first_token = header
                .date
                .as_ref()
                .map_or(header.time_span.start, |(span, _)| span.start);
            if &text[after_quote..first_token] != AFTER_QUOTE {
                push(
                    diagnostics,
                    after_quote..first_token,
                    "The header needs one space after `>`",
                    "not one space",
                    AFTER_QUOTE,
                );
            }
            // A header without a speaker has no gap or trailing spaces to
            // check; its body still has lines.
            if !header.speaker_span.is_empty() {
                let gap = header.time_span.end..header.speaker_span.start;
                if &text[gap.clone()] != SPEAKER_GAP {
                    push(
                        diagnostics,
                        gap,
                        "The header needs two spaces between the time and the speaker",
                        "not two spaces",
                        SPEAKER_GAP,
                    );
                }
                let trailing = header.speaker_span.end..header.span.end;
                if &text[trailing.clone()] != HARD_BREAK {
                    push(
                        diagnostics,
                        trailing,
                        "The header needs two spaces after the speaker (a hard break)",
                        "not two spaces",
                        HARD_BREAK,
                    );
                }
            }
            if message.content_lines().is_empty() {
                diagnostics.push(
                    Diagnostic::new(
                        &Self::META,
                        header.span.clone(),
                        "The message is empty: nothing but blank lines follows its header",
                    )
                    .with_label("a header with no text after it")
                    .with_help(
                        "The export wrote no text for this message (a sticker, a voice \
                         message, a file?): remove it, or write what it was",
                    ),
                );
                continue;
            }
            for line in &message.body {
                // Every character of a code block is content, blank lines too.
                if line.in_code_fence {
                    continue;
                }
                let content = &text[line.span.clone()];
                if line.is_blank {
                    if content != SEPARATOR {
                        push(
                            diagnostics,
                            line.span.clone(),
                            "A separator line is three spaces",
                            "not three spaces",
                            SEPARATOR,
                        );
                    }
                } else {
                    let trimmed_end = line.span.start + content.trim_end_matches([' ', '\t']).len();
                    let ending = trimmed_end..line.span.end;
                    if &text[ending.clone()] != HARD_BREAK {
                        push(
                            diagnostics,
                            ending,
                            "A body line ends with two spaces (a hard break)",
                            "not two spaces",
                            HARD_BREAK,
                        );
                    }
                }
            }
        }
    }
}
