//! Every `--output-format`, `--diff`, `--statistics` and the exit-code flags.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

const BROKEN: &str = "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 7:50:02  右军  \n   \n##异地多活  \n   \n![2017-08-25 07:54:35](http://x.cn:99999/a.png)  \n   \n";

fn chatlint() -> Command {
    let mut command = Command::cargo_bin("chatlint").unwrap();
    // The findings cache goes to the build's folder, not the repository.
    command.env("NO_COLOR", "1").env(
        "CHATLINT_CACHE_DIR",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/findings-cache"),
    );
    command
}

fn broken_file(dir: &Path) -> PathBuf {
    let path = dir.join("chat.md");
    fs::write(&path, BROKEN).unwrap();
    path
}

fn stdout_of(args: &[&str], path: &Path) -> (Option<i32>, String) {
    let output = chatlint().args(args).arg(path).output().unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

fn validator(schema_path: &str) -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout) = stdout_of(
        &["check", "--output-format", "sarif"],
        &broken_file(dir.path()),
    );
    assert_eq!(code, Some(1));
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // The OASIS schema, as shipped in the npm package @microsoft/jest-sarif.
    let validator = validator("tests/data/sarif-2.1.0.schema.json");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["ruleId"], "CL001");
    let fix = &results[0]["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(fix["insertedContent"]["text"], "07:50:02");
    assert_eq!(fix["deletedRegion"]["startColumn"], 3);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), chatlint::registry::all().len());
    // A broken log does not validate: the schema is really applied.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn github_output_is_workflow_commands() {
    let dir = tempfile::tempdir().unwrap();
    let path = broken_file(dir.path());
    let (code, stdout) = stdout_of(&["check", "--output-format", "github"], &path);
    assert_eq!(code, Some(1));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    // ::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message
    for line in &lines {
        let (command, message) = line
            .strip_prefix("::")
            .expect("a workflow command starts with `::`")
            .split_once("::")
            .expect("two colons after the properties");
        let (level, properties) = command.split_once(' ').unwrap();
        assert!(matches!(level, "error" | "warning" | "notice"), "{line}");
        let keys: Vec<&str> = properties
            .split(',')
            .map(|p| p.split_once('=').unwrap().0)
            .collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"],
            "{line}"
        );
        for property in properties.split(',') {
            let value = property.split_once('=').unwrap().1;
            assert!(
                !value.contains([':', ',', '\n']),
                "unescaped property in {line}"
            );
        }
        assert!(!message.is_empty() && !message.contains('\n'));
    }
    assert!(lines[0].starts_with(&format!(
        "::error file={},line=6,col=3,endLine=6,endColumn=10,title=CL001 malformed-timestamp::",
        path.display()
    )));
    assert!(lines[1].starts_with("::warning "));
}

#[test]
fn json_lines_are_findings_of_the_json_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = broken_file(dir.path());
    let (lines_code, lines) = stdout_of(&["check", "--output-format", "json-lines"], &path);
    let (array_code, array) = stdout_of(&["check", "--output-format", "json"], &path);
    assert_eq!((lines_code, array_code), (Some(1), Some(1)));
    let array: Vec<serde_json::Value> = serde_json::from_str(&array).unwrap();
    let validator = validator("schemas/diagnostics.schema.json");
    let mut from_lines = Vec::new();
    for line in lines.lines() {
        let finding: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            validator.is_valid(&serde_json::Value::Array(vec![finding.clone()])),
            "{line}"
        );
        from_lines.push(finding);
    }
    assert_eq!(from_lines.len(), 3, "the broken file's three findings");
    assert_eq!(from_lines, array);
}

#[test]
fn junit_is_well_formed_xml() {
    let dir = tempfile::tempdir().unwrap();
    let path = broken_file(dir.path());
    fs::write(dir.path().join("clean.md"), "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 07:50:02  甲  \n   \n好  \n").unwrap();
    let (code, stdout) = stdout_of(&["check", "--output-format", "junit"], dir.path());
    assert_eq!(code, Some(1));
    let mut reader = quick_xml::Reader::from_str(&stdout);
    let (mut cases, mut failures, mut depth) = (0, 0, 0i32);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) => {
                depth += 1;
                cases += usize::from(e.name().as_ref() == b"testcase");
                failures += usize::from(e.name().as_ref() == b"failure");
            }
            quick_xml::events::Event::Empty(e) => {
                cases += usize::from(e.name().as_ref() == b"testcase")
            }
            quick_xml::events::Event::End(_) => depth -= 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    assert_eq!((cases, failures), (4, 3), "{stdout}");
    assert!(stdout.contains(&format!("classname=\"{}\"", path.display())));
}

#[test]
fn concise_and_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let path = broken_file(dir.path());
    let (_, stdout) = stdout_of(&["check", "--output-format", "concise"], &path);
    let expected = format!(
        "{p}:6:3: CL001 malformed-timestamp Header time `7:50:02` has one-digit fields [*]\n\
         {p}:8:1: CL101 heading-missing-space Heading `##` has no space after it; it renders as plain text [*]\n\
         {p}:10:24: CL201 broken-image-url Image URL is not a valid URL: invalid port number\n",
        p = path.display()
    );
    assert_eq!(stdout, expected);
    let (code, stdout) = stdout_of(&["check", "--statistics"], &path);
    assert_eq!(code, Some(1));
    assert!(
        stdout.contains("     1\tCL001\t[*] malformed-timestamp"),
        "{stdout}"
    );
    assert!(
        stdout.contains("     1\tCL201\t[ ] broken-image-url"),
        "{stdout}"
    );
    assert!(!stdout.contains('╭'), "statistics replace the findings");
}

#[test]
fn quiet_prints_findings_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = broken_file(dir.path());
    let (_, stdout) = stdout_of(&["check", "--quiet"], &path);
    assert!(stdout.contains("malformed-timestamp"));
    assert!(!stdout.contains("Found"), "{stdout}");
    let clean = dir.path().join("clean.md");
    fs::write(&clean, "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 07:50:02  甲  \n").unwrap();
    let (code, stdout) = stdout_of(&["check", "--quiet"], &clean);
    assert_eq!((code, stdout.as_str()), (Some(0), ""));
}

#[test]
fn diff_shows_fixes_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = broken_file(dir.path());
    let output = chatlint()
        .args(["check", "--diff"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8(output.stdout).unwrap();
    assert!(
        diff.starts_with(&format!(
            "--- a/{}\n+++ b/{}\n",
            path.display(),
            path.display()
        )),
        "{diff}"
    );
    assert!(
        diff.contains("-> 7:50:02  右军  \n+> 07:50:02  右军  \n"),
        "{diff}"
    );
    assert!(diff.contains("-##异地多活  \n+## 异地多活  \n"), "{diff}");
    assert_eq!(fs::read_to_string(&path).unwrap(), BROKEN);
    assert!(String::from_utf8(output.stderr)
        .unwrap()
        .contains("Would fix 2 findings in 1 file"));
    // Once fixed, there is no diff and the exit code is 0.
    chatlint()
        .args(["check", "--fix"])
        .arg(&path)
        .assert()
        .code(1);
    chatlint()
        .args(["check", "--diff"])
        .arg(&path)
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn exit_code_flags() {
    let dir = tempfile::tempdir().unwrap();
    let path = broken_file(dir.path());
    chatlint()
        .args(["check", "--exit-zero"])
        .arg(&path)
        .assert()
        .code(0);
    let fixable = dir.path().join("fixable.md");
    fs::write(&fixable, "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 7:50:02  甲  \n").unwrap();
    chatlint()
        .args(["check", "--fix", "--exit-non-zero-on-fix", "--show-fixes"])
        .arg(&fixable)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("Fixed in")
                .and(predicate::str::contains("1 × malformed-timestamp")),
        );
    chatlint()
        .args(["check", "--fix", "--exit-non-zero-on-fix"])
        .arg(&fixable)
        .assert()
        .code(0);
}

#[test]
fn unsafe_fixes_need_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spaces.md");
    let text = "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 07:50:02  甲  \n   \n![a](http://x.cn/a b.png)  \n";
    fs::write(&path, text).unwrap();
    chatlint()
        .args(["check", "--fix"])
        .arg(&path)
        .assert()
        .code(1);
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    chatlint()
        .args(["check", "--fix", "--unsafe-fixes"])
        .arg(&path)
        .assert()
        .code(0);
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        text.replace("a b.png", "a%20b.png")
    );
}

#[test]
fn stdin_filename_names_the_input_and_picks_its_config() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join(".chatlint.yaml"),
        "ignore: [CL101]\nexclude: [skip.md]\n",
    )
    .unwrap();
    chatlint()
        .current_dir(dir.path())
        .args([
            "check",
            "--output-format",
            "concise",
            "--stdin-filename",
            "posts/chat.md",
            "-",
        ])
        .write_stdin(BROKEN)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("posts/chat.md:6:3: CL001")
                .and(predicate::str::contains("CL101").not()),
        );
    // Fixed text on stdout; an excluded stdin comes back unchanged.
    chatlint()
        .current_dir(dir.path())
        .args([
            "check",
            "--fix",
            "--select",
            "CL001",
            "--stdin-filename",
            "chat.md",
            "-",
        ])
        .write_stdin("> 7:50:02  甲  \n")
        .assert()
        .code(0)
        .stdout("> 07:50:02  甲  \n");
    chatlint()
        .current_dir(dir.path())
        .args([
            "check",
            "--fix",
            "--force-exclude",
            "--stdin-filename",
            "skip.md",
            "-",
        ])
        .write_stdin("> 7:50:02  甲  \n")
        .assert()
        .code(0)
        .stdout("> 7:50:02  甲  \n");
}

#[test]
fn completions_and_rule_json() {
    chatlint()
        .args(["completions", "bash"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("_chatlint"));
    let output = chatlint()
        .args(["rule", "--all", "--output-format", "json"])
        .output()
        .unwrap();
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(rules.len(), chatlint::registry::all().len());
    assert_eq!(rules[4]["name"], "heading-missing-space");
    assert_eq!(rules[4]["options"][0]["name"], "max-heading-length");
    assert!(rules[2]["documentation"]
        .as_str()
        .unwrap()
        .contains("## Why is this bad?"));
}
