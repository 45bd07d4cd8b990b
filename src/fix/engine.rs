//! Applies the fixes of one round to a text.

use super::{Applicability, Edit, Fix};
use crate::diagnostic::Diagnostic;

/// The result of one round of fixing.
#[derive(Debug, Clone, Default)]
pub struct AppliedFixes {
    pub text: String,
    /// The rule names of the fixes applied, in source order.
    pub applied: Vec<&'static str>,
    /// Every edit applied, as spans of the text it was applied to.
    pub edits: Vec<Edit>,
    /// The messages the applied fixes declare they delete.
    pub removed_messages: usize,
    /// Where the fixes applied are in the list given to the engine, in
    /// source order (parallel to `applied`): positions, not copies, since
    /// the caller holds the fixes.
    pub(crate) taken: Vec<usize>,
}

/// Applies every fix at least as trusted as `threshold`, in source order,
/// skipping a fix that overlaps (or touches the same insertion point as) one
/// already taken; the next round picks it up if it still applies.
pub fn apply_fixes(
    text: &str,
    diagnostics: &[Diagnostic],
    threshold: Applicability,
) -> AppliedFixes {
    let fixes: Vec<(&Fix, &'static str)> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref().map(|fix| (fix, d.rule.name)))
        .filter(|(fix, _)| fix.applies_at(threshold))
        .collect();
    apply_selected(text, &fixes)
}

/// Applies the given fixes (each with its rule's name) in source order,
/// skipping the ones that are malformed or overlap an edit already taken.
pub(crate) fn apply_selected(text: &str, fixes: &[(&Fix, &'static str)]) -> AppliedFixes {
    let mut fixes: Vec<(usize, &Fix, &'static str)> = fixes
        .iter()
        .enumerate()
        .map(|(at, &(fix, rule))| (at, fix, rule))
        .filter(|(_, fix, _)| is_well_formed(text, fix))
        .collect();
    fixes.sort_by_key(|(_, fix, _)| {
        let span = fix.span();
        (span.start, span.end)
    });

    let mut output = String::with_capacity(text.len() + 64);
    let mut result = AppliedFixes::default();
    let mut copied_up_to = 0;
    // The end of the last edit taken; `None` before the first.
    let mut last_end: Option<usize> = None;
    for (at, fix, rule) in fixes {
        let span = fix.span();
        if last_end.is_some_and(|end| span.start < end || (span.start == end && span.is_empty())) {
            continue;
        }
        for edit in &fix.edits {
            output.push_str(&text[copied_up_to..edit.span.start]);
            output.push_str(&edit.content);
            copied_up_to = edit.span.end;
            result.edits.push(edit.clone());
        }
        last_end = Some(span.end);
        result.applied.push(rule);
        result.taken.push(at);
        result.removed_messages += fix.removed_messages;
    }
    output.push_str(&text[copied_up_to..]);
    result.text = output;
    result
}

/// Edits inside the text, on character boundaries, sorted and apart: a rule's
/// bug must not become a panic or a garbled file.
fn is_well_formed(text: &str, fix: &Fix) -> bool {
    fix.edits.iter().all(|e| is_valid_edit(text, e))
        && fix
            .edits
            .windows(2)
            .all(|w| w[0].span.end <= w[1].span.start)
}

fn is_valid_edit(text: &str, edit: &Edit) -> bool {
    edit.span.start <= edit.span.end
        && edit.span.end <= text.len()
        && text.is_char_boundary(edit.span.start)
        && text.is_char_boundary(edit.span.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::registry;

    fn diagnostic(span: std::ops::Range<usize>, fix: Fix) -> Diagnostic {
        Diagnostic::new(registry::all()[0].meta(), span, "test").with_fix(Some(fix))
    }

    #[test]
    fn applies_in_order_and_skips_overlaps() {
        let text = "abcdef";
        let diagnostics = vec![
            diagnostic(3..4, Fix::safe("d", vec![Edit::replace(3..4, "D")])),
            diagnostic(0..2, Fix::safe("ab", vec![Edit::replace(0..2, "AB")])),
            diagnostic(1..3, Fix::safe("overlap", vec![Edit::replace(1..3, "!!")])),
        ];
        let result = apply_fixes(text, &diagnostics, Applicability::Safe);
        assert_eq!(result.text, "ABcDef");
        assert_eq!(result.applied.len(), 2);
    }

    #[test]
    fn unsafe_fixes_need_the_unsafe_threshold() {
        let text = "abc";
        let diagnostics = vec![diagnostic(
            0..1,
            Fix::unsafe_edit("a", vec![Edit::replace(0..1, "A")]),
        )];
        assert_eq!(
            apply_fixes(text, &diagnostics, Applicability::Safe).text,
            "abc"
        );
        assert_eq!(
            apply_fixes(text, &diagnostics, Applicability::Unsafe).text,
            "Abc"
        );
    }

    #[test]
    fn two_inserts_at_one_point_take_only_the_first() {
        let text = "ab";
        let diagnostics = vec![
            diagnostic(1..1, Fix::safe("x", vec![Edit::insert(1, "x")])),
            diagnostic(1..1, Fix::safe("y", vec![Edit::insert(1, "y")])),
        ];
        assert_eq!(
            apply_fixes(text, &diagnostics, Applicability::Safe).text,
            "axb"
        );
    }

    #[test]
    fn edits_off_char_boundaries_are_refused() {
        let text = "你好";
        let diagnostics = vec![diagnostic(
            0..1,
            Fix::safe("bad", vec![Edit::replace(1..2, "x")]),
        )];
        assert_eq!(
            apply_fixes(text, &diagnostics, Applicability::Safe).text,
            "你好"
        );
    }
}
