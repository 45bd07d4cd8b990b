//! `unused-suppression`: the comments, and the rules named in them, that
//! suppressed nothing, each with the fix that removes it.

use super::*;

pub(super) fn report_unused(
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
