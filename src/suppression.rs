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

mod unused;
use unused::report_unused;

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
