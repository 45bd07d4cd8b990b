//! Suppression comments in transcripts, and the unused-suppression finding.

use chatlint::{check_text, fix_text, registry, Applicability, Rule};

/// The rules on by default, less `front-matter`: these snippets have none.
fn rules() -> Vec<&'static dyn Rule> {
    registry::all()
        .iter()
        .copied()
        .filter(|r| r.meta().default_enabled && r.meta().name != "front-matter")
        .collect()
}

fn findings(text: &str) -> Vec<(usize, &'static str)> {
    check_text(text, &rules())
        .iter()
        .map(|d| (text[..d.span.start].matches('\n').count() + 1, d.rule.name))
        .collect()
}

const HEADER: &str = "> 07:50:02  甲  \n   \n";

#[test]
fn disable_next_line() {
    let text = format!(
        "{HEADER}<!-- chatlint-disable-next-line heading-missing-space -->\n##一  \n##二  \n"
    );
    assert_eq!(findings(&text), [(5, "heading-missing-space")]);
}

#[test]
fn disable_line_by_code_prefix() {
    let text = format!("{HEADER}##一 <!-- chatlint-disable-line CL1 -->\n##二  \n");
    assert_eq!(findings(&text), [(4, "heading-missing-space")]);
}

#[test]
fn disable_and_enable_a_range() {
    let text = format!(
        "{HEADER}<!-- chatlint-disable heading-missing-space -->\n##一  \n##二  \n<!-- chatlint-enable heading-missing-space -->\n##三  \n"
    );
    assert_eq!(findings(&text), [(7, "heading-missing-space")]);
}

#[test]
fn disable_file_and_all_rules() {
    let text = format!("{HEADER}##一  \n<!-- chatlint-disable-file -->\n> 7:00:00  乙  \n");
    assert!(findings(&text).is_empty(), "{:?}", findings(&text));
    let text = format!(
        "{HEADER}##一  \n<!-- chatlint-disable-file malformed-timestamp -->\n> 7:00:00  乙  \n"
    );
    assert_eq!(findings(&text), [(3, "heading-missing-space")]);
}

/// Without a rule, `disable-next-line` and `disable` … `enable` suppress
/// every rule, as `disable-file` does.
#[test]
fn next_line_and_ranges_without_a_rule_suppress_all_rules() {
    let text = format!("{HEADER}<!-- chatlint-disable-next-line -->\n##一 &amp;lt;  \n##二  \n");
    assert_eq!(findings(&text), [(5, "heading-missing-space")]);
    let text = format!(
        "{HEADER}<!-- chatlint-disable -->\n##一 &amp;lt;  \n> 7:00:00  乙  \n<!-- chatlint-enable -->\n##三  \n"
    );
    assert_eq!(findings(&text), [(7, "heading-missing-space")]);
}

#[test]
fn several_rules_in_one_comment() {
    let text = format!(
        "{HEADER}<!-- chatlint-disable-next-line CL001, heading-missing-space -->\n##一  \n"
    );
    assert_eq!(findings(&text), [(3, "unused-suppression")]);
    let fixed = fix_text("t", &text, &rules(), Applicability::Safe).unwrap();
    assert_eq!(
        fixed.text,
        format!("{HEADER}<!-- chatlint-disable-next-line heading-missing-space -->\n##一  \n")
    );
}

#[test]
fn unused_suppressions_are_reported_and_removed() {
    let text = format!(
        "{HEADER}<!-- chatlint-disable-next-line heading-missing-space -->\n## 已有空格  \n正文 <!-- chatlint-disable-line CL201 -->\n<!-- chatlint-enable CL001 -->\n"
    );
    assert_eq!(
        findings(&text),
        [
            (3, "unused-suppression"),
            (5, "unused-suppression"),
            (6, "unused-suppression")
        ]
    );
    let fixed = fix_text("t", &text, &rules(), Applicability::Safe).unwrap();
    assert_eq!(fixed.text, format!("{HEADER}## 已有空格  \n正文\n"));
    assert!(fixed.remaining.is_empty());
}

#[test]
fn removing_a_comment_never_makes_a_header_or_a_day_heading() {
    // Each line reads as a header or a day heading only once the unused
    // comment in front of it is gone: removing it would start a message or
    // change the date of the messages after it, so it is left for a person.
    for line in [
        "<!-- chatlint-disable-line CL101 -->> 08:00:00  乙",
        "<!-- chatlint-disable-line CL101 -->## 2017-05-06",
        "<!-- chatlint-disable-line CL101 -->### 2017-05-06  ",
    ] {
        let text = format!("{HEADER}正文  \n{line}\n> 09:00:00  丙  \n   \n后来\n");
        assert!(
            findings(&text).contains(&(4, "unused-suppression")),
            "{line:?}: {:?}",
            findings(&text)
        );
        let fixed = fix_text("t", &text, &rules(), Applicability::Unsafe).unwrap();
        assert!(fixed.text.contains(line), "{line:?}: {:?}", fixed.text);
        assert!(fixed.rejected.is_empty(), "{:?}", fixed.rejected);
    }
    // Where the line stays what it was, the comment goes.
    let text = format!("{HEADER}正文 <!-- chatlint-disable-line CL101 -->## 2017-05-06\n");
    let fixed = fix_text("t", &text, &rules(), Applicability::Safe).unwrap();
    assert_eq!(fixed.text, format!("{HEADER}正文 ## 2017-05-06\n"));
}

#[test]
fn unknown_rules_are_reported_without_a_fix() {
    let text =
        format!("{HEADER}<!-- chatlint-disable-next-line heading-mising-space -->\n##一  \n");
    let diagnostics = check_text(&text, &rules());
    let names: Vec<_> = diagnostics
        .iter()
        .map(|d| (d.rule.name, d.message.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (
                "unused-suppression",
                "Suppression names unknown rule `heading-mising-space`"
            ),
            (
                "heading-missing-space",
                "Heading `##` has no space after it; it renders as plain text"
            )
        ]
    );
    assert!(diagnostics[0].fix.is_none());
}

#[test]
fn comments_in_code_fences_are_text() {
    let text = format!("{HEADER}```\n<!-- chatlint-disable-file -->\n```\n##一  \n");
    assert_eq!(findings(&text), [(6, "heading-missing-space")]);
}

#[test]
fn unused_suppression_can_be_turned_off() {
    let text = format!(
        "{HEADER}<!-- chatlint-disable-next-line heading-missing-space -->\n## 已有空格  \n"
    );
    let rules: Vec<_> = rules()
        .into_iter()
        .filter(|r| r.meta().name != "unused-suppression")
        .collect();
    assert!(check_text(&text, &rules).is_empty());
}

/// A comment naming a rule that did not run here (`unreachable-image`
/// without `--online`, a rule the configuration leaves off) is neither
/// used nor unused: `--fix` never removes it, whole or in part.
#[test]
fn comments_naming_rules_that_did_not_run_are_kept() {
    let rules = rules();
    assert!(rules.iter().any(|r| r.meta().name == "unreachable-image"));
    assert!(!rules.iter().any(|r| r.meta().name == "header-layout"));
    for dormant in ["unreachable-image", "header-layout"] {
        // Alone: nothing to say, nothing to fix.
        let text = format!(
            "{HEADER}<!-- chatlint-disable-next-line {dormant} -->\n![07:50:02](http://example.com/a.png)  \n"
        );
        assert!(
            findings(&text).is_empty(),
            "{dormant}: {:?}",
            findings(&text)
        );
        let fixed = fix_text("t", &text, &rules, Applicability::Safe).unwrap();
        assert_eq!(fixed.text, text, "{dormant}");
        // Beside a rule that ran and suppressed nothing: only that rule's
        // selector goes, the comment stays with the dormant one.
        let text = format!(
            "{HEADER}<!-- chatlint-disable-next-line {dormant} heading-missing-space -->\n## 已有空格  \n"
        );
        assert_eq!(findings(&text), [(3, "unused-suppression")], "{dormant}");
        let fixed = fix_text("t", &text, &rules, Applicability::Safe).unwrap();
        assert_eq!(
            fixed.text,
            format!("{HEADER}<!-- chatlint-disable-next-line {dormant} -->\n## 已有空格  \n"),
            "{dormant}"
        );
    }
}
