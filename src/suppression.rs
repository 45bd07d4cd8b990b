//! Suppression comments in transcripts, invisible when rendered:
//! `<!-- chatlint-disable-next-line RULE -->` and its siblings (see
//! [`crate::rules::UnusedSuppression`] for the forms).
//!
//! After the rules run, [`apply`] drops the findings a comment covers and,
//! when `unused-suppression` is on, reports the comments that covered nothing.

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};
use crate::line_index::LineIndex;
use crate::model::{BodyLine, Span, Transcript};
use crate::rules::{registry, Rule, RuleMeta, UnusedSuppression};

use crate::parser::comments::{self, SUPPRESSION_MARKER as MARKER};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    DisableNextLine,
    DisableLine,
    Disable,
    Enable,
    DisableFile,
}

#[derive(Debug)]
struct Selector {
    text: String,
    span: Span,
    /// The rules it names; `None` when it names no rule.
    rules: Option<Vec<&'static dyn Rule>>,
    used: bool,
}

#[derive(Debug)]
struct Directive {
    kind: Kind,
    /// The whole `<!-- … -->`.
    span: Span,
    /// The line's span, without its line break, and whether the comment is
    /// all it holds.
    line_span: Span,
    alone_on_line: bool,
    /// 1-based.
    line: usize,
    /// Empty: every rule.
    selectors: Vec<Selector>,
    used: bool,
}

impl Directive {
    /// The selector that covers `rule`, as an index, or `Some(None)` when the
    /// directive covers every rule.
    fn covers(&self, rule: &RuleMeta) -> Option<Option<usize>> {
        if self.selectors.is_empty() {
            return Some(None);
        }
        self.selectors
            .iter()
            .position(|s| {
                s.rules
                    .as_ref()
                    .is_some_and(|rules| rules.iter().any(|r| r.meta().code == rule.code))
            })
            .map(Some)
    }
}

/// Whether `text` may hold a suppression comment: false means it holds none.
pub fn may_hold_directives(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_some()
}

/// The rules that ran on a text: on in its settings, and able to report
/// there. A rule that reports only from the online pass
/// ([`Rule::needs_online`]) does not run without `--online`: a comment
/// naming it is then neither used nor unused, and never removed.
#[derive(Debug, Clone, Copy)]
pub struct RulesRun<'a> {
    pub settings: &'a Settings,
    /// Whether the online pass ran (`check --online`).
    pub online: bool,
}

impl RulesRun<'_> {
    fn ran(&self, rule: &dyn Rule) -> bool {
        self.settings.is_enabled(rule.meta()) && (self.online || !rule.needs_online())
    }
}

/// Drops suppressed findings and adds `unused-suppression` findings.
pub fn apply(
    text: &str,
    transcript: &Transcript,
    diagnostics: Vec<Diagnostic>,
    rules: RulesRun<'_>,
) -> Vec<Diagnostic> {
    let mut gathered = Gathered::new(text);
    gathered.add(text, transcript.body_lines());
    gathered.apply(text, diagnostics, rules)
}

/// [`apply`] for a text whose model is built a part at a time: the
/// directives of every part are gathered first ([`Gathered::add`]), then
/// applied to the findings of all parts at once, so that a `disable` in
/// one part reaches into the next.
pub(crate) struct Gathered {
    /// Built only when the text may hold a directive at all.
    index: Option<LineIndex>,
    directives: Vec<Directive>,
}

impl Gathered {
    pub(crate) fn new(text: &str) -> Self {
        // Most files have no suppression at all: no line index for them.
        Self {
            index: may_hold_directives(text).then(|| LineIndex::new(text)),
            directives: Vec::new(),
        }
    }

    /// Gathers the directives of `lines` (each line once over all parts).
    pub(crate) fn add<'a>(&mut self, text: &str, lines: impl Iterator<Item = &'a BodyLine>) {
        if let Some(index) = &self.index {
            self.directives.extend(parse_directives(text, lines, index));
        }
    }

    pub(crate) fn apply(
        self,
        text: &str,
        diagnostics: Vec<Diagnostic>,
        rules: RulesRun<'_>,
    ) -> Vec<Diagnostic> {
        match self.index {
            Some(index) => apply_directives(text, &index, self.directives, diagnostics, rules),
            None => diagnostics,
        }
    }
}

fn apply_directives(
    text: &str,
    index: &LineIndex,
    mut directives: Vec<Directive>,
    diagnostics: Vec<Diagnostic>,
    rules: RulesRun<'_>,
) -> Vec<Diagnostic> {
    if directives.is_empty() {
        return diagnostics;
    }
    let mut kept = Vec::with_capacity(diagnostics.len());
    for diagnostic in diagnostics {
        let line = index.line(diagnostic.span.start);
        match suppressor(&directives, diagnostic.rule, line) {
            Some((directive, selector)) => {
                directives[directive].used = true;
                if let Some(selector) = selector {
                    directives[directive].selectors[selector].used = true;
                }
            }
            None => kept.push(diagnostic),
        }
    }
    mark_enables(&mut directives);
    if rules.settings.is_enabled(&UnusedSuppression::META) {
        report_unused(text, &directives, rules, &mut kept);
    }
    kept
}

/// The directive (and selector) that suppresses a finding of `rule` on `line`.
fn suppressor(
    directives: &[Directive],
    rule: &RuleMeta,
    line: usize,
) -> Option<(usize, Option<usize>)> {
    let mut range: Option<(usize, Option<usize>)> = None;
    for (i, directive) in directives.iter().enumerate() {
        let Some(selector) = directive.covers(rule) else {
            continue;
        };
        match directive.kind {
            Kind::DisableFile => return Some((i, selector)),
            Kind::DisableNextLine if directive.line + 1 == line => return Some((i, selector)),
            Kind::DisableLine if directive.line == line => return Some((i, selector)),
            Kind::Disable if directive.line < line => range = Some((i, selector)),
            Kind::Enable if directive.line < line => range = None,
            _ => {}
        }
    }
    range
}

/// An `enable` is used when it ends a `disable` of some rule it names.
fn mark_enables(directives: &mut [Directive]) {
    for i in 0..directives.len() {
        if directives[i].kind != Kind::Enable {
            continue;
        }
        let ends_a_disable = directives[..i].iter().any(|earlier| {
            earlier.kind == Kind::Disable
                && (earlier.selectors.is_empty()
                    || directives[i].selectors.is_empty()
                    || earlier
                        .selectors
                        .iter()
                        .any(|a| directives[i].selectors.iter().any(|b| same_rules(a, b))))
        });
        directives[i].used = ends_a_disable;
        for selector in &mut directives[i].selectors {
            selector.used = ends_a_disable;
        }
    }
}

fn same_rules(a: &Selector, b: &Selector) -> bool {
    match (&a.rules, &b.rules) {
        (Some(a), Some(b)) => a
            .iter()
            .any(|x| b.iter().any(|y| x.meta().code == y.meta().code)),
        _ => false,
    }
}

fn report_unused(
    text: &str,
    directives: &[Directive],
    rules: RulesRun<'_>,
    out: &mut Vec<Diagnostic>,
) {
    // A selector naming only rules that did not run here may be for another
    // configuration, or for `--online`: whether it is needed is unknown.
    let dormant = |selector: &Selector| {
        selector
            .rules
            .as_ref()
            .is_some_and(|named| !named.iter().any(|rule| rules.ran(*rule)))
    };
    for directive in directives {
        if !directive.selectors.is_empty() && directive.selectors.iter().all(dormant) {
            continue;
        }
        for selector in directive.selectors.iter().filter(|s| s.rules.is_none()) {
            out.push(
                Diagnostic::new(
                    &UnusedSuppression::META,
                    selector.span.clone(),
                    format!("Suppression names unknown rule `{}`", selector.text),
                )
                .with_label("no rule has this code, name or prefix")
                .with_help("`chatlint rule --all` lists the rules"),
            );
        }
        // Until a misspelt rule is corrected, whether the comment is needed is unknown.
        if directive.selectors.iter().any(|s| s.rules.is_none()) {
            continue;
        }
        let unused: Vec<(usize, &Selector)> = directive
            .selectors
            .iter()
            .enumerate()
            .filter(|(_, selector)| !selector.used && !dormant(selector))
            .collect();
        let all_unused =
            !directive.selectors.is_empty() && unused.len() == directive.selectors.len();
        // A comment with a dormant selector is never removed whole: only
        // its unused selectors of rules that ran are.
        let any_dormant = directive.selectors.iter().any(dormant);
        if !any_dormant && (!directive.used || all_unused) {
            let remove = removal(text, directive);
            // Removing a comment must not make its line a message header or
            // a day heading (which would change the date of the messages after).
            let line = &directive.line_span;
            let rest = first_three_words(
                text[line.start..remove.span.start.max(line.start)]
                    .chars()
                    .chain(text[remove.span.end.min(line.end).max(line.start)..line.end].chars()),
            );
            let makes_a_message = !directive.alone_on_line
                && crate::parser::structural_line(&rest).is_some_and(|kind| {
                    crate::parser::structural_line(&text[line.clone()]) != Some(kind)
                });
            let applicability = if makes_a_message {
                crate::diagnostic::Applicability::DisplayOnly
            } else {
                crate::diagnostic::Applicability::Safe
            };
            out.push(
                Diagnostic::new(
                    &UnusedSuppression::META,
                    directive.span.clone(),
                    "Suppression comment suppresses nothing",
                )
                .with_label("nothing here to suppress")
                .with_help("Remove the comment")
                .with_fix(Some(Fix::new(
                    applicability,
                    "Remove the unused suppression",
                    vec![remove],
                ))),
            );
        } else {
            for (position, selector) in unused {
                let first = position == 0;
                out.push(
                    Diagnostic::new(
                        &UnusedSuppression::META,
                        selector.span.clone(),
                        format!("`{}` in this suppression suppresses nothing", selector.text),
                    )
                    .with_label("not needed")
                    .with_help("Remove this rule from the comment")
                    .with_fix(Some(Fix::safe(
                        format!("Remove `{}`", selector.text),
                        vec![selector_removal(text, &selector.span, first)],
                    ))),
                );
            }
        }
    }
    // The caller (`linter::check_in`) sorts every finding afterwards.
}

/// The start of a line up to the end of its third word (words split at
/// white space, as the parser splits them): all that decides whether it
/// reads as a message header (`>`, a date, a time) or a day heading (`##`,
/// a date, nothing after). Taken from the characters lazily, so that a long
/// line with many comments is not copied once for each of them.
fn first_three_words(chars: impl Iterator<Item = char>) -> String {
    let mut words = String::new();
    let mut ended = 0;
    let mut in_word = false;
    for c in chars {
        if c.is_whitespace() {
            if in_word {
                ended += 1;
                if ended == 3 {
                    break;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
        words.push(c);
    }
    words
}

/// Removes the comment: its whole line (with the line break) when it stands
/// alone, else the comment and the space before it.
fn removal(text: &str, directive: &Directive) -> Edit {
    if directive.alone_on_line {
        // Through the line's own break: LF, CRLF or a lone CR.
        let end = crate::line_index::next_line_break(text.as_bytes(), directive.line_span.end).1;
        return Edit::replace(directive.line_span.start..end, "");
    }
    // With text after it, the spaces before it stay: the words on either
    // side must not be joined.
    let followed_by_text = !text
        [directive.span.end..directive.line_span.end.max(directive.span.end)]
        .trim()
        .is_empty();
    let start = if followed_by_text {
        directive.span.start
    } else {
        text[..directive.span.start]
            .trim_end_matches([' ', '\t'])
            .len()
    };
    Edit::replace(start..directive.span.end, "")
}

/// Removes one rule name with the separator before it, or after it when it
/// is the first name (so that `disable-line` keeps its space).
fn selector_removal(text: &str, span: &Span, first: bool) -> Edit {
    let separators: &[char] = &[' ', '\t', ','];
    if first {
        let after = &text[span.end..];
        let next = span.end + (after.len() - after.trim_start_matches(separators).len());
        return Edit::replace(span.start..next, "");
    }
    let start = text[..span.start].trim_end_matches(separators).len();
    Edit::replace(start..span.end, "")
}

fn parse_directives<'a>(
    text: &str,
    lines: impl Iterator<Item = &'a BodyLine>,
    index: &LineIndex,
) -> Vec<Directive> {
    let mut directives = Vec::new();
    for line in lines.filter(|l| !l.in_code_fence) {
        let content = &text[line.span.clone()];
        for (comment, directive) in line_directives(content, line.span.start) {
            let span = line.span.start + comment.start..line.span.start + comment.end;
            directives.push(Directive {
                line: index.line(span.start),
                span,
                line_span: line.span.clone(),
                alone_on_line: content.trim() == &content[comment],
                ..directive
            });
        }
    }
    directives
}

/// The suppression comments of a line outside a code fence, in order: where
/// each `<!-- … -->` is in the line, and what it says (spans from `offset`).
fn line_directives(content: &str, offset: usize) -> impl Iterator<Item = (Span, Directive)> + '_ {
    comments::html_comments(content).filter_map(move |(comment, inside)| {
        let directive = parse_one(&content[inside.clone()], offset + inside.start)?;
        Some((comment, directive))
    })
}

/// Where each suppression comment of a line stands: what `convert` keeps out of text.
pub fn comments_in_line(content: &str) -> Vec<Span> {
    comments::suppression_comments(content).collect()
}

/// `chatlint-KIND RULE, RULE` (at `offset` in the file).
fn parse_one(body: &str, offset: usize) -> Option<Directive> {
    let (kind, list_start) = comments::suppression_kind(body)?;
    let kind = match kind {
        "disable-next-line" => Kind::DisableNextLine,
        "disable-line" => Kind::DisableLine,
        "disable" => Kind::Disable,
        "enable" => Kind::Enable,
        _ => Kind::DisableFile,
    };
    let mut selectors = Vec::new();
    let mut position = list_start;
    for word in body[list_start..].split([' ', '\t', ',']) {
        let start = position;
        position += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        selectors.push(Selector {
            text: word.to_string(),
            span: offset + start..offset + start + word.len(),
            rules: registry::select(word).ok(),
            used: false,
        });
    }
    Some(Directive {
        kind,
        span: 0..0,
        line_span: 0..0,
        alone_on_line: false,
        line: 0,
        selectors,
        used: false,
    })
}
