//! `extends: PATH` in `.chatlint.yaml`: a shared base, chained, relative to
//! the file that names it; cycles and missing bases are errors pointing at
//! the `extends` that names them.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

/// A timestamp, a heading and a backwards time: one finding of three rules.
const TRANSCRIPT: &str = "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 7:50:02  甲  \n   \n##背景  \n   \n> 14:00:00  乙  \n   \n好  \n   \n> 09:00:00  丙  \n   \n好  \n";

fn chatlint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("chatlint").unwrap();
    command.current_dir(dir).env("NO_COLOR", "1");
    command
}

fn write(path: &Path, contents: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// `file:rule:severity` per finding.
fn found(dir: &Path, args: &[&str]) -> Vec<String> {
    let output = chatlint(dir)
        .args(["check", "--output-format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}",
                f["path"].as_str().unwrap(),
                f["name"].as_str().unwrap(),
                f["severity"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn a_chain_of_bases_applies_furthest_first_and_the_file_itself_last() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // shared/base.yaml ← shared/team.yaml ← archive/.chatlint.yaml
    write(
        &root.join("shared/base.yaml"),
        "select: [CL001, CL002, CL101]\nrules:\n  CL002: {severity: error}\n",
    );
    write(
        &root.join("shared/team.yaml"),
        "extends: base.yaml\nignore: [CL001]\nrules:\n  CL101: {severity: error}\n",
    );
    write(
        &root.join("archive/.chatlint.yaml"),
        "extends: ../shared/team.yaml\nrules:\n  CL002: {severity: warning}\n",
    );
    write(&root.join("archive/a.md"), TRANSCRIPT);
    assert_eq!(
        found(&root.join("archive"), &["."]),
        [
            "a.md:heading-missing-space:error",
            "a.md:time-runs-backwards:warning",
        ]
    );
    // `--config` reads the chain too.
    assert_eq!(
        found(root, &["--config", "shared/team.yaml", "archive"]),
        [
            "archive/a.md:heading-missing-space:error",
            "archive/a.md:time-runs-backwards:error",
        ]
    );
}

#[test]
fn a_base_counts_as_a_folder_above_and_its_globs_serve_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // The base's globs are read from the folder of the file that extends
    // it: `drafts` matches a folder of that name anywhere in the archive,
    // `old.md` the file beside the archive's configuration, and
    // `archive/new.md` nothing (there is no archive/archive/).
    write(
        &root.join("base/.shared.yaml"),
        "exclude: [drafts, old.md, archive/new.md]\nselect: [CL001]\n",
    );
    write(
        &root.join("archive/.chatlint.yaml"),
        "extends: ../base/.shared.yaml\n",
    );
    write(&root.join("archive/a.md"), TRANSCRIPT);
    write(&root.join("archive/old.md"), TRANSCRIPT);
    write(&root.join("archive/new.md"), TRANSCRIPT);
    write(&root.join("archive/drafts/b.md"), TRANSCRIPT);
    assert_eq!(
        found(&root.join("archive"), &["."]),
        [
            "a.md:malformed-timestamp:error",
            "new.md:malformed-timestamp:error",
        ]
    );
    // A folder's own file still comes after the folders above it, and a
    // base with `root: true` stops the search above the file that extends it.
    write(&root.join(".chatlint.yaml"), "extend-select: [CL101]\n");
    assert_eq!(
        found(&root.join("archive"), &["a.md"]),
        ["a.md:malformed-timestamp:error"],
        "the base's select replaces the parent's choice"
    );
    write(
        &root.join("base/.shared.yaml"),
        "root: true\nignore: [CL002]\n",
    );
    write(&root.join(".chatlint.yaml"), "select: [CL101]\n");
    assert_eq!(
        found(&root.join("archive"), &["a.md"]),
        [
            "a.md:malformed-timestamp:error",
            "a.md:heading-missing-space:warning"
        ]
    );
}

#[test]
fn a_cycle_is_an_error_at_the_extends_that_closes_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("a.md"), TRANSCRIPT);
    write(&root.join(".chatlint.yaml"), "extends: one.yaml\n");
    write(
        &root.join("one.yaml"),
        "select: [CL001]\nextends: two.yaml\n",
    );
    write(&root.join("two.yaml"), "extends: ./one.yaml\n");
    chatlint(root)
        .args(["check", "a.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(
            predicate::str::contains("two.yaml:1:10")
                .and(predicate::str::contains("`extends` makes a cycle"))
                .and(predicate::str::contains("one.yaml → ")),
        );
    // A file that extends itself.
    write(&root.join(".chatlint.yaml"), "extends: .chatlint.yaml\n");
    chatlint(root)
        .args(["check", "a.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`extends` makes a cycle"));
}

#[test]
fn a_missing_or_invalid_base_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("a.md"), TRANSCRIPT);
    write(
        &root.join(".chatlint.yaml"),
        "select: [CL001]\nextends: nowhere.yaml\n",
    );
    chatlint(root)
        .args(["check", "a.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(
            predicate::str::contains(".chatlint.yaml:2:10")
                .and(predicate::str::contains("Cannot read `"))
                .and(predicate::str::contains("nowhere.yaml")),
        );
    // A problem inside the base points into the base.
    write(&root.join(".chatlint.yaml"), "extends: base.yaml\n");
    write(
        &root.join("base.yaml"),
        "select: [CL001]\nignroe: [CL002]\n",
    );
    chatlint(root)
        .args(["check", "a.md"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("base.yaml:2:1")
                .and(predicate::str::contains("unknown field `ignroe`")),
        );
    // `extends` must be a path.
    write(&root.join(".chatlint.yaml"), "extends: [base.yaml]\n");
    chatlint(root)
        .args(["check", "a.md"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(".chatlint.yaml:1:10")
                .and(predicate::str::contains("Invalid `extends`")),
        );
}
