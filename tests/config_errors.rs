//! Every problem of a `.chatlint.yaml` in one run, each pointing into the
//! file, with "did you mean" for a misspelt name; rule options read into
//! their types, so that a value of the wrong type or out of range is an
//! error (exit 2) and never silently replaced by the default.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

/// Two messages, the second with a line of 6 characters after `##`: a
/// heading missing its space, and a paragraph that starts with hashes when
/// `max-heading-length` is under 6.
const TRANSCRIPT: &str = "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 09:00:00  乙  \n   \n好  \n   \n> 14:00:00  丙  \n   \n##背景 先说下  \n   \n";

/// `chatlint check --output-format concise a.md` under `config`.
fn run(config: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), TRANSCRIPT).unwrap();
    fs::write(dir.path().join(".chatlint.yaml"), config).unwrap();
    chatlint(dir.path())
        .args(["check", "--output-format", "concise", "a.md"])
        .output()
        .unwrap()
}

/// The exit code and stderr of `chatlint check a.md` under `config`.
fn check(config: &str) -> (i32, String) {
    let output = run(config);
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn chatlint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("chatlint").unwrap();
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CHATLINT_CACHE_DIR", dir.join(".cache"));
    command
}

#[test]
fn an_option_out_of_range_or_of_the_wrong_type_points_at_its_value() {
    for value in ["4294967296", "-1", "\"12\"", "1.5", "[12]"] {
        let config = format!("rules:\n  heading-missing-space:\n    max-heading-length: {value}\n");
        let (code, stderr) = check(&config);
        assert_eq!(code, 2, "{value}: {stderr}");
        assert!(
            stderr.contains(".chatlint.yaml:3:25]")
                && stderr.contains("must be a whole number from 0 to 4294967295"),
            "{value}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // A value on the line after its key: the error is on the value's line.
    let (code, stderr) =
        check("rules:\n  heading-missing-space:\n    max-heading-length:\n      4294967296\n");
    assert_eq!(code, 2);
    assert!(stderr.contains(".chatlint.yaml:4:7]"), "{stderr}");
    assert!(
        stderr.contains("invalid value: integer `4294967296`"),
        "{stderr}"
    );
}

#[test]
fn the_largest_value_is_obeyed_not_replaced_by_the_default() {
    // `[*]` marks a safe fix in the concise report.
    let safe_fix = |config: &str| {
        let stdout = String::from_utf8(run(config).stdout).unwrap();
        assert!(
            stdout.contains("heading-missing-space"),
            "{config}: {stdout}"
        );
        stdout.contains("[*]")
    };
    // With the default (80 characters), the 6 after `##` make a heading.
    assert!(safe_fix("select: [heading-missing-space]\n"));
    // Under 6 they make a paragraph, whose fix is unsafe. The largest u32
    // is a length too, obeyed as it is.
    for (length, expected) in [
        ("5", false),
        ("6", true),
        ("4294967295", true),
        ("0", false),
    ] {
        let config = format!(
            "select: [heading-missing-space]\nrules:\n  heading-missing-space: {{max-heading-length: {length}}}\n"
        );
        assert_eq!(safe_fix(&config), expected, "max-heading-length: {length}");
    }
}

#[test]
fn every_problem_of_a_file_is_reported_at_once() {
    let config = "selct: [CL001]\nrules:\n  heading-missing-space:\n    max-heading-length: -1\n  duplicate-mesage: {severity: error}\n";
    let (code, stderr) = check(config);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("3 problems (lines 1, 4, 5)"), "{stderr}");
    for expected in [
        ".chatlint.yaml:1:1]",
        "unknown field `selct`",
        "Did you mean `select`?",
        ".chatlint.yaml:4:25]",
        "Option `max-heading-length` of `heading-missing-space` must be",
        ".chatlint.yaml:5:3]",
        "Unknown rule `duplicate-mesage`",
        "Did you mean `duplicate-message`?",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    // In the order they stand in the file.
    let at = |text: &str| stderr.find(text).unwrap();
    assert!(at("selct") < at("max-heading-length") && at("max-heading-length") < at("mesage`"));
}

#[test]
fn misspelt_names_get_the_name_meant() {
    let cases = [
        (
            "rules:\n  duplicate-message:\n    max-distnce: 3\n",
            ".chatlint.yaml:3:5]",
            "Did you mean `max-distance`?",
        ),
        (
            "rules:\n  heading-missing-space:\n    max-heading: 3\n",
            ".chatlint.yaml:3:5]",
            "Did you mean `max-heading-length`?",
        ),
        (
            "rules:\n  lost-character: {max-distance: 3}\n",
            ".chatlint.yaml:2:20]",
            "`max-distance` is an option of `duplicate-message`",
        ),
        (
            "ignore: [heading-mising-space]\n",
            ".chatlint.yaml:1:10]",
            "Did you mean `heading-missing-space`?",
        ),
        (
            "extend_select: [CL101]\n",
            ".chatlint.yaml:1:1]",
            "Did you mean `extend-select`?",
        ),
        (
            "online:\n  timeot: 3\n",
            ".chatlint.yaml:2:3]",
            "Did you mean `timeout`?",
        ),
        (
            "redact:\n  terms: {a: b}\n",
            ".chatlint.yaml:1:1]",
            "A rule's settings go under `rules:`",
        ),
        (
            "rules:\n  duplicate-message: {keep: middle}\n",
            ".chatlint.yaml:2:29]",
            "must be one of `canonical`, `first`, `last`, `longer`",
        ),
    ];
    each_fails_pointing_at(&cases);
    // A name far from every key gets the list without a guess.
    let (_, stderr) = check("colour: red\n");
    assert!(!stderr.contains("Did you mean"), "{stderr}");
    assert!(stderr.contains("Keys: root, select"), "{stderr}");
}

/// `aliases:` maps names to names; a value that is no name, a name mapped
/// to a name that is itself mapped on, and a percentage over 100 each point
/// at their value.
#[test]
fn aliases_and_percentages_are_checked_where_they_are_written() {
    let cases = [
        (
            "aliases:\n  我: 李雄峰\n  钟: [钟文帅]\n",
            ".chatlint.yaml:3:8]",
            "The canonical name of `钟` must be a string",
        ),
        (
            "aliases:\n  我: 李雄峰\n  李雄峰: 凤凰牌老熊\n",
            ".chatlint.yaml:2:8]",
            "`我` maps to `李雄峰`, which maps on to `凤凰牌老熊`",
        ),
        (
            "aliases: [我, 李雄峰]\n",
            ".chatlint.yaml:1:10]",
            "Invalid `aliases`",
        ),
        (
            "rules:\n  duplicate-message: {merge-twinned-percent: 101}\n",
            ".chatlint.yaml:2:46]",
            "must be a whole number from 0 to 100",
        ),
    ];
    each_fails_pointing_at(&cases);
    assert!(check("aliases: {我: 李雄峰, 凤凰牌老熊-群主: 李雄峰}\n").0 < 2);
}

#[test]
fn a_yaml_syntax_error_still_stops_at_once() {
    let (code, stderr) = check("select: [CL001\nselct: 1\n");
    assert_eq!(code, 2);
    assert!(!stderr.contains("problems"), "{stderr}");
}

#[test]
fn rule_documents_each_option_from_its_type() {
    let output = Command::cargo_bin("chatlint")
        .unwrap()
        .args(["rule", "duplicate-message"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("- `keep` (one of `canonical`, `first`, `last`, `longer`; default `\"canonical\"`): Which of the two to keep"),
        "{text}"
    );
    assert!(
        text.contains("- `max-distance` (a whole number from 0 to "),
        "{text}"
    );
    assert!(
        text.contains("- `merge-twinned-percent` (a whole number from 0 to 100; default `30`)"),
        "{text}"
    );
    let output = Command::cargo_bin("chatlint")
        .unwrap()
        .args(["rule", "heading-missing-space", "--output-format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let option = &json["options"][0];
    assert_eq!(option["name"], "max-heading-length");
    assert_eq!(option["default"], 80);
    assert_eq!(option["type"], "a whole number from 0 to 4294967295");
    assert_eq!(option["schema"]["maximum"], u32::MAX);
}

/// Each configuration of `cases` fails (exit 2) with an error at the
/// position given (`file:line:column]`) that says what is given.
fn each_fails_pointing_at(cases: &[(&str, &str, &str)]) {
    for (config, position, says) in cases {
        let (code, stderr) = check(config);
        assert_eq!(code, 2, "{config}");
        assert!(
            stderr.contains(position) && stderr.contains(says),
            "{config}\n{stderr}"
        );
    }
}
