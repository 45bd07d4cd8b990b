use super::fix_text;
use super::verification::{verify_kept_bytes, verify_line_structure, verify_messages};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rules::{registry, Rule};

#[test]
fn fixing_settles_and_keeps_crlf() {
    let text = "---\r\ntitle: x\r\n---\r\n> 7:50:02  右军  \r\n   \r\n##背景  \r\n";
    let rules = [
        registry::find("CL001").unwrap(),
        registry::find("CL101").unwrap(),
    ];
    let outcome = fix_text("t", text, &rules, Applicability::Safe).unwrap();
    assert_eq!(
        outcome.text,
        "---\r\ntitle: x\r\n---\r\n> 07:50:02  右军  \r\n   \r\n## 背景  \r\n"
    );
    assert_eq!(outcome.fixed.len(), 2);
    assert!(outcome.remaining.is_empty());
    let again = fix_text("t", &outcome.text, &rules, Applicability::Safe).unwrap();
    assert!(!again.changed());
}

/// A rule with one good fix (`teh` to `the`) and one that verification
/// must refuse: removing the `x` of `x> 07:00:00  a` makes a message.
struct GoodAndBad;

static GOOD_AND_BAD: crate::rules::RuleMeta = crate::rules::RuleMeta {
    code: "CL999",
    name: "good-and-bad",
    severity: crate::diagnostic::Severity::Warning,
    fix: crate::rules::FixAvailability::Always,
    default_enabled: true,
    options: None,
    retired_options: &[],
    doc: "",
};

impl Rule for GoodAndBad {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &GOOD_AND_BAD
    }

    fn check(&self, context: &crate::rules::Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        for (at, found) in context.text.match_indices("teh") {
            let fix = Fix::safe("the", vec![Edit::replace(at..at + 3, "the")]);
            diagnostics.push(Diagnostic::new(&GOOD_AND_BAD, at..at + 3, found).with_fix(Some(fix)));
        }
        for (at, found) in context.text.match_indices("x> ") {
            let fix = Fix::safe("drop x", vec![Edit::replace(at..at + 1, "")]);
            diagnostics.push(Diagnostic::new(&GOOD_AND_BAD, at..at + 1, found).with_fix(Some(fix)));
        }
    }
}

#[test]
fn a_fix_that_fails_verification_is_left_out_and_the_others_applied() {
    let text = "> 07:00:00  a\n   \nteh one\nx> 07:00:01  b\nteh two\nx> 07:00:02  c\nteh\n";
    let rules: [&'static dyn Rule; 1] = [&GoodAndBad];
    let outcome = fix_text("t", text, &rules, Applicability::Safe).unwrap();
    assert_eq!(
        outcome.text,
        "> 07:00:00  a\n   \nthe one\nx> 07:00:01  b\nthe two\nx> 07:00:02  c\nthe\n"
    );
    assert_eq!(outcome.rejected.len(), 2, "{:?}", outcome.rejected);
    assert_eq!(
        outcome.rejected.iter().map(|r| r.line).collect::<Vec<_>>(),
        [4, 6]
    );
    assert!(outcome.rejected[0].reason.contains("message header"));
    // The refused findings remain.
    assert_eq!(outcome.remaining.len(), 2);
}

#[test]
fn a_fix_that_joins_lines_is_refused_whatever_it_touches() {
    for (text, edit) in [
        // A lone CR removed: two lines become one.
        ("a\rb\n", Edit::replace(1..2, "")),
        // A CR inserted before an LF: the same number of lines (CRLF).
        ("a\nb\n", Edit::insert(1, "x")),
        // An LF that ends a line replaced inside it.
        ("ab\ncd\n", Edit::replace(1..4, "Bc")),
        // A line break inserted in the middle of a line.
        ("abcd\n", Edit::insert(2, "\n")),
        // A CR before a lone CR's line's LF-started neighbour: "a\r" +
        // "\n" joins two breaks into one CRLF.
        ("a\r\nb", Edit::insert(0, "")),
    ] {
        let mut after = text.to_string();
        after.replace_range(edit.span.clone(), &edit.content);
        let result = verify_line_structure("t", text, &after, std::slice::from_ref(&edit));
        let joins = crate::line_index::count_line_breaks(text.as_bytes())
            != crate::line_index::count_line_breaks(after.as_bytes());
        assert_eq!(result.is_err(), joins, "{text:?} -> {after:?}");
    }
    // Whole lines may go, with their breaks, in either form.
    for (text, edit) in [
        ("a\n   \nb\n", Edit::replace(2..6, "")),
        ("a\r   \rb\r", Edit::replace(2..6, "")),
        ("a\r\n   \r\nb", Edit::replace(1..6, "")),
        ("a\nb\n", Edit::insert(2, "new\n")),
    ] {
        let mut after = text.to_string();
        after.replace_range(edit.span.clone(), &edit.content);
        verify_line_structure("t", text, &after, std::slice::from_ref(&edit))
            .unwrap_or_else(|err| panic!("{text:?} -> {after:?}: {err}"));
    }
}

#[test]
fn a_fix_that_clashes_only_with_another_waits_for_the_next_round() {
    // Removing the unused comment makes the entity start the line; the
    // entity fix made for the line as it was (a literal `>`) would then
    // make it a header. It waits a round, and is made for the line as
    // it has become.
    let text =
        "<!-- chatlint-disable-line malformed-timestamp -->&amp;amp;gt;20170825_115130http://";
    let outcome = fix_text(
        "t",
        text,
        crate::rules::registry::all(),
        Applicability::Safe,
    )
    .unwrap();
    assert!(outcome.rejected.is_empty(), "{:?}", outcome.rejected);
    assert_eq!(outcome.text, "&gt;20170825_115130http://");
    assert!(outcome.remaining.is_empty(), "{:?}", outcome.remaining);
}

#[test]
fn an_entity_after_a_zero_width_space_keeps_the_line_a_line() {
    // The issue's example: the entity fix and the invisible-character
    // fix in one round must not make a message header.
    let text = "---\ntitle: x\n---\n> 09:00:00  a\n   \n\u{200b}&amp;gt;10:00:00 开会\n##背景\n";
    let outcome = fix_text("t", text, registry::all(), Applicability::Safe).unwrap();
    assert!(outcome.rejected.is_empty(), "{:?}", outcome.rejected);
    assert_eq!(crate::parser::parse(&outcome.text).messages.len(), 1);
    assert!(
        outcome.text.contains("\n&gt;10:00:00 开会  \n## 背景"),
        "{:?}",
        outcome.text
    );
}

#[test]
fn a_suppression_removed_before_a_mid_line_bom_leaves_the_bom_alone() {
    // The attacker's example: removing the comment would move the BOM in
    // the middle of the line to the start of the file, where the parser
    // skips it. Only that removal is left out; the entity is still fixed.
    let text = "<!-- chatlint-disable-line CL101 -->\u{feff}hi <!-- chatlint-disable-line CL403 -->\nx &amp;amp;amp; y\n";
    let outcome = fix_text("t", text, registry::all(), Applicability::Safe).unwrap();
    assert!(
        outcome.text.contains("\u{feff}hi"),
        "the BOM is kept where it was: {:?}",
        outcome.text
    );
    assert!(!outcome.text.starts_with('\u{feff}'), "{:?}", outcome.text);
    assert!(outcome.text.contains("x & y"), "{:?}", outcome.text);
    assert!(
        outcome
            .rejected
            .iter()
            .any(|r| r.line == 1 && r.reason.contains("byte order mark")),
        "{:?}",
        outcome.rejected
    );
    // A BOM at the start removed on purpose is a fix, not a refusal.
    let text = "\u{feff}> 07:00:00  a\n   \nhi\n";
    let outcome = fix_text("t", text, registry::all(), Applicability::Safe).unwrap();
    assert!(!outcome.text.starts_with('\u{feff}'), "{:?}", outcome.text);
    assert!(outcome.rejected.is_empty(), "{:?}", outcome.rejected);
}

#[test]
fn a_refused_fix_is_reported_on_its_line_whatever_ends_the_lines() {
    let rules: [&'static dyn Rule; 1] = [&GoodAndBad];
    for text in [
        "> 07:00:00  a\r   \rteh\rx> 07:00:01  b\r",
        "> 07:00:00  a\r\n   \r\nteh\r\nx> 07:00:01  b\r\n",
        "> 07:00:00  a\n   \rteh\r\nx> 07:00:01  b\n",
    ] {
        let outcome = fix_text("t", text, &rules, Applicability::Safe).unwrap();
        assert_eq!(
            outcome.rejected.iter().map(|r| r.line).collect::<Vec<_>>(),
            [4],
            "{text:?}"
        );
    }
}

#[test]
fn a_change_outside_the_edits_is_caught() {
    let before = "a\nb\nc\n";
    let after = "a\nB\nc\n";
    let edits = [Edit::replace(0..1, "a")];
    assert!(verify_kept_bytes("t", before, after, &edits).is_err());
    let edits = [Edit::replace(2..3, "B")];
    assert!(verify_kept_bytes("t", before, after, &edits).is_ok());
}

#[test]
fn every_header_after_a_round_is_a_header_from_before() {
    let text = "> 07:00:00  a\n   \nx\n> 07:00:01  b\n   \ny\n> 07:00:02  c\n   \nz\n";
    let (b, c) = (
        text.find("> 07:00:01").unwrap(),
        text.find("> 07:00:02").unwrap(),
    );
    let at = |s: &str| text.find(s).unwrap();
    let verify = |edits: &[Edit], removed: usize| {
        let mut after = text.to_string();
        for edit in edits.iter().rev() {
            after.replace_range(edit.span.clone(), &edit.content);
        }
        verify_messages("t", text, &after, edits, removed).map_err(|err| err.to_string())
    };
    // Edits in every body, one that grows and one that shrinks.
    let bodies = [
        Edit::replace(at("x")..at("x") + 1, "xx"),
        Edit::replace(at("y")..at("y") + 1, "Y"),
        Edit::replace(at("z")..at("z") + 1, ""),
    ];
    verify(&bodies, 0).unwrap();
    // A header rewritten from its start is the header it was.
    verify(&[Edit::replace(0..13, "> 07:00:00  A")], 0).unwrap();
    // A whole message removed, as declared, between edits that move the rest.
    let removal = [
        bodies[0].clone(),
        Edit::replace(b..c, ""),
        bodies[2].clone(),
    ];
    verify(&removal, 1).unwrap();
    let err = verify(&removal, 0).unwrap_err();
    assert!(err.contains("3 messages would become 2"), "{err}");
    // A header line inserted right before another: both sit where a header
    // was, but there is one message more than before.
    let err = verify(&[Edit::insert(b, "> 08:00:00  d\n")], 0).unwrap_err();
    assert!(err.contains("3 messages would become 4"), "{err}");
    // A header inside inserted text, after edits that moved the text.
    let inserted = [
        bodies[0].clone(),
        Edit::insert(at("y"), "y\n> 08:00:00  d\n"),
    ];
    let err = verify(&inserted, 0).unwrap_err();
    assert!(
        err.contains("near line 7 would make a line into a message header"),
        "{err}"
    );
}
