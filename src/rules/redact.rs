use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};
use crate::model::Span;

declare_rule! {
    /// ## What it does
    /// Finds the terms configured in the option `terms` (a map from each term
    /// to its replacement, `百信银行: XX银行`) in message text and speaker
    /// names. Without terms the rule does nothing. The findings are the
    /// report of what was (or, before `--fix`, would be) redacted where:
    /// `chatlint check --select redact --output-format concise`.
    ///
    /// ## Why is this bad?
    /// Words that must not be published (a bank's name, a person's phone)
    /// were published; the archive's keepers had to find every one by hand.
    ///
    /// ## Example
    /// With `terms: {百信银行: XX银行}`:
    /// ```markdown
    /// 百信银行的账户体系是怎么做的
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// XX银行的账户体系是怎么做的
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the replacement is the one configured. The longest term wins
    /// where two overlap.
    pub struct Redact {
        code: "CL501",
        name: "redact",
        severity: Error,
        fix: Always,
        options: RedactOptions,
    }
}

/// The options of `redact`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct RedactOptions {
    /// Each term to redact and what to write instead.
    pub terms: std::collections::BTreeMap<String, String>,
}

impl Rule for Redact {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        let text = context.text;
        // Most files hold none of the terms: look at no line for those. (In
        // the part of the file this model covers: see `Context::transcript`.)
        let covered = &text.as_bytes()[context.transcript.start..context.transcript.end];
        let mut terms: Vec<(String, String)> = Self::options(context.settings)
            .terms
            .iter()
            .filter(|(term, _)| {
                !term.is_empty() && memchr::memmem::find(covered, term.as_bytes()).is_some()
            })
            .map(|(term, replacement)| (term.clone(), replacement.clone()))
            .collect();
        if terms.is_empty() {
            return;
        }
        // Longest first, so that `百信银行股份` wins over `百信银行`.
        terms.sort_by_key(|(term, _)| std::cmp::Reverse(term.len()));
        let regions = context
            .transcript
            .messages
            .iter()
            .map(|m| (m.header.speaker_span.clone(), "speaker"))
            .chain(
                context
                    .transcript
                    .body_lines()
                    .map(|l| (l.span.clone(), "text")),
            );
        for (region, place) in regions {
            let mut taken: Vec<Span> = Vec::new();
            for (term, replacement) in &terms {
                // A replacement may contain its term (`银行` → `XX银行`): text
                // already redacted must not be found again.
                let done: Vec<Span> = if replacement.contains(term.as_str()) {
                    text[region.clone()]
                        .match_indices(replacement.as_str())
                        .map(|(o, _)| region.start + o..region.start + o + replacement.len())
                        .collect()
                } else {
                    Vec::new()
                };
                for (offset, _) in text[region.clone()].match_indices(term.as_str()) {
                    let span = region.start + offset..region.start + offset + term.len();
                    let overlaps = |t: &Span| t.start < span.end && span.start < t.end;
                    let inside = |t: &Span| t.start <= span.start && span.end <= t.end;
                    if taken.iter().any(overlaps) || done.iter().any(inside) {
                        continue;
                    }
                    taken.push(span.clone());
                    diagnostics.push(
                        Diagnostic::new(
                            &Self::META,
                            span.clone(),
                            format!("`{term}` is to be redacted (in the {place})"),
                        )
                        .with_label(format!("becomes `{replacement}`"))
                        .with_fix(Some(Fix::safe(
                            format!("Replace `{term}` with `{replacement}`"),
                            vec![Edit::replace(span, replacement.clone())],
                        ))),
                    );
                }
            }
        }
    }
}
