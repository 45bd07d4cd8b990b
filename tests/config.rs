//! `.chatlint.yaml`: discovery, precedence, `extends`, per-file ignores,
//! excludes, errors.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

/// A timestamp, a heading and a backwards time: one finding of three rules
/// (and a sound front matter, so that `front-matter` says nothing).
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

/// The rule names found per file, as `file:name` lines.
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
fn nearest_file_wins_over_parent_and_command_line_over_both() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        &root.join(".chatlint.yaml"),
        "ignore: [heading-missing-space]\nrules:\n  time-runs-backwards: {severity: error}\n",
    );
    write(
        &root.join("sub/.chatlint.yaml"),
        "extend-select: [CL101]\nrules:\n  CL002: {severity: warning}\n",
    );
    write(&root.join("top.md"), TRANSCRIPT);
    write(&root.join("sub/inner.md"), TRANSCRIPT);

    let results = found(root, &["."]);
    assert_eq!(
        results,
        [
            "sub/inner.md:malformed-timestamp:error",
            "sub/inner.md:heading-missing-space:warning",
            "sub/inner.md:time-runs-backwards:warning",
            "top.md:malformed-timestamp:error",
            "top.md:time-runs-backwards:error",
        ]
    );

    // The command line beats both files.
    let results = found(root, &["--select", "CL1", "."]);
    assert_eq!(
        results,
        [
            "sub/inner.md:heading-missing-space:warning",
            "top.md:heading-missing-space:warning"
        ]
    );
    let results = found(root, &["--ignore", "CL001,CL002", "sub"]);
    assert_eq!(results, ["sub/inner.md:heading-missing-space:warning"]);
}

#[test]
fn root_true_stops_the_search_and_config_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join(".chatlint.yaml"), "select: [CL001]\n");
    write(
        &root.join("sub/.chatlint.yaml"),
        "root: true\nignore: [CL002]\n",
    );
    write(&root.join("sub/inner.md"), TRANSCRIPT);
    let results = found(root, &["sub"]);
    assert_eq!(
        results,
        [
            "sub/inner.md:malformed-timestamp:error",
            "sub/inner.md:heading-missing-space:warning"
        ]
    );

    write(&root.join("only.yaml"), "select: [time-runs-backwards]\n");
    let results = found(root, &["--config", "only.yaml", "sub"]);
    assert_eq!(results, ["sub/inner.md:time-runs-backwards:warning"]);
}

#[test]
fn per_file_ignores_and_rule_options() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        &root.join(".chatlint.yaml"),
        "per-file-ignores:\n  'drafts/**': [CL1]\n  'late-*.md': [malformed-timestamp]\nrules:\n  time-runs-backwards:\n    severity: off\n  heading-missing-space:\n    max-heading-length: 1\n",
    );
    write(&root.join("drafts/a.md"), TRANSCRIPT);
    write(&root.join("late-b.md"), TRANSCRIPT);
    let results = found(root, &["."]);
    assert_eq!(
        results,
        [
            "drafts/a.md:malformed-timestamp:error",
            "late-b.md:heading-missing-space:warning"
        ]
    );
    // `##背景` is longer than the one character configured: a paragraph
    // that starts with hashes, whose fix is unsafe.
    let output = chatlint(root)
        .args(["check", "--output-format", "json", "late-b.md"])
        .output()
        .unwrap();
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(findings[0]["fix"]["applicability"], "unsafe", "{findings}");
}

#[test]
fn excluded_files_are_skipped_in_walks_and_with_force_exclude() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        &root.join(".chatlint.yaml"),
        "exclude: [archive, '*.draft.md']\n",
    );
    write(&root.join("archive/old.md"), TRANSCRIPT);
    write(&root.join("x.draft.md"), TRANSCRIPT);
    write(&root.join("kept.md"), TRANSCRIPT);
    let results = found(root, &["--select", "CL001", "."]);
    assert_eq!(results, ["kept.md:malformed-timestamp:error"]);
    // Named explicitly, an excluded file is checked, unless --force-exclude.
    let results = found(root, &["--select", "CL001", "archive/old.md"]);
    assert_eq!(results, ["archive/old.md:malformed-timestamp:error"]);
    let results = found(
        root,
        &[
            "--select",
            "CL001",
            "--force-exclude",
            "archive/old.md",
            "x.draft.md",
        ],
    );
    assert!(results.is_empty(), "{results:?}");
}

#[test]
fn gitignored_files_are_not_walked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert!(std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(root)
        .status()
        .unwrap()
        .success());
    write(&root.join(".gitignore"), "build/\n");
    write(&root.join("build/out.md"), TRANSCRIPT);
    write(&root.join("kept.md"), TRANSCRIPT);
    let results = found(root, &["--select", "CL001", "."]);
    assert_eq!(results, ["kept.md:malformed-timestamp:error"]);
}

#[test]
fn errors_point_into_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("a.md"), TRANSCRIPT);
    let cases = [
        (
            "select: [CL001]\nselct: [CL002]\n",
            ".chatlint.yaml:2:1",
            "unknown field `selct`",
        ),
        (
            "ignore: [CL001, no-such-rule]\n",
            ".chatlint.yaml:1:17",
            "Unknown rule `no-such-rule`",
        ),
        (
            "rules:\n  heading-missing-space:\n    severity: fatal\n",
            ".chatlint.yaml:3:15",
            "Invalid severity",
        ),
        (
            "rules:\n  heading-missing-space:\n    max-heading: 3\n",
            ".chatlint.yaml:3:5",
            "Unknown option `max-heading`",
        ),
        (
            "rules:\n  heading-missing-space:\n    max-heading-length: soon\n",
            ".chatlint.yaml:3:25",
            "must be a whole number",
        ),
        (
            "rules:\n  time-runs-backwards:\n    midnight-gap-hours: 6\n",
            ".chatlint.yaml:3:5",
            "Option `midnight-gap-hours` of `time-runs-backwards` was removed",
        ),
        ("exclude: ['a[']\n", ".chatlint.yaml:1:", "Invalid glob"),
    ];
    for (config, position, message) in cases {
        write(&root.join(".chatlint.yaml"), config);
        chatlint(root)
            .args(["check", "a.md"])
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(position).and(predicate::str::contains(message)));
    }
}

#[test]
fn config_schema_lists_every_rule_and_option() {
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string("schemas/config.schema.json").unwrap()).unwrap();
    let rules = schema["properties"]["rules"]["properties"]
        .as_object()
        .unwrap();
    let selectors = schema["$defs"]["selector"]["anyOf"][0]["enum"]
        .as_array()
        .unwrap();
    for rule in chatlint::registry::all() {
        let meta = rule.meta();
        for key in [meta.code, meta.name] {
            let block = rules
                .get(key)
                .unwrap_or_else(|| panic!("schema lacks rule {key}"));
            let properties = block["properties"].as_object().unwrap();
            let options = meta.option_docs();
            // Each option as its type says: its type, range and default.
            let defaults = meta.options.map(|o| o.defaults().to_json());
            for option in &options {
                assert_eq!(
                    properties.get(option.name),
                    Some(&option.schema),
                    "schema of {key}.{}",
                    option.name
                );
                assert_eq!(
                    properties[option.name]["default"],
                    defaults.as_ref().unwrap()[option.name],
                    "default of {key}.{}",
                    option.name
                );
            }
            assert_eq!(properties.len(), options.len() + 1, "{key}: options differ");
            assert!(
                selectors.iter().any(|s| s == key),
                "selector enum lacks {key}"
            );
        }
    }
    assert_eq!(rules.len(), 2 * chatlint::registry::all().len());
    // Writing the rules into the schema again changes nothing: the file is
    // what `cargo run --example config_schema` writes.
    assert_eq!(
        chatlint::config::schema::with_rules(schema.clone()),
        schema,
        "schemas/config.schema.json is out of date: run `cargo run --example config_schema`"
    );

    // And a real configuration validates against it.
    let validator = jsonschema::validator_for(&schema).unwrap();
    let config = serde_json::json!({"select": ["ALL"], "ignore": ["CL1"], "aliases": {"我": "李雄峰"}, "rules": {"time-runs-backwards": {"severity": "error"}, "heading-missing-space": {"max-heading-length": 6}, "duplicate-message": {"keep": "canonical", "merge-twinned-percent": 30}}});
    assert!(validator.is_valid(&config));
    assert!(!validator.is_valid(&serde_json::json!({"selct": []})));
    assert!(!validator.is_valid(&serde_json::json!({"aliases": {"我": ["李雄峰"]}})));
    assert!(!validator
        .is_valid(&serde_json::json!({"rules": {"CL301": {"merge-twinned-percent": 101}}})));
    assert!(validator.is_valid(&serde_json::json!({"baseline": "lint/known.json"})));
    assert!(!validator.is_valid(&serde_json::json!({"baseline": ["a"]})));

    // Its top-level keys are the configuration type's fields.
    let mut keys: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut fields = chatlint::config::field_names::<chatlint::config::ConfigFile>().to_vec();
    keys.sort_unstable();
    fields.sort_unstable();
    assert_eq!(keys, fields);
}

/// Issue 10: `exclude` globs each valid but too large together panicked
/// ("checked above"). They are a configuration error pointing at the list.
#[test]
fn exclude_patterns_too_large_together_are_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("a.md"), TRANSCRIPT);
    let huge = "x*".repeat(11_526);
    write(
        &root.join(".chatlint.yaml"),
        &format!("select: [ALL]\nexclude:\n  - \"{huge}\"\n  - \"{huge}y\"\n"),
    );
    for args in [&["check", "a.md"][..], &["check", "--fix", "a.md"]] {
        chatlint(root)
            .args(args)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(
                predicate::str::contains(".chatlint.yaml:2:1")
                    .and(predicate::str::contains("too large together"))
                    .and(predicate::str::contains("panicked").not()),
            );
    }
    assert_eq!(fs::read_to_string(root.join("a.md")).unwrap(), TRANSCRIPT);
}

/// Issue 10: `midnight-gap-hours: 4294967296` passed validation and was
/// silently replaced by the default 12. Every whole-number option takes up
/// to the largest value its rule reads, and one more is a configuration
/// error pointing at the option, exit 2.
#[test]
fn every_numeric_option_is_checked_against_its_range() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("a.md"), TRANSCRIPT);
    let mut checked = 0;
    for rule in chatlint::registry::all() {
        let meta = rule.meta();
        for option in meta.option_docs() {
            if option.schema["type"] != "integer" {
                continue;
            }
            let max = option.schema["maximum"].as_u64().unwrap();
            checked += 1;
            let config = |value: &str| {
                format!(
                    "select: [ALL]\nrules:\n  {}:\n    {}: {value}\n",
                    meta.name, option.name
                )
            };
            // The largest value is read as it is, and changes nothing else.
            write(&root.join(".chatlint.yaml"), &config(&max.to_string()));
            let output = chatlint(root).args(["check", "a.md"]).output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                output.status.code().is_some_and(|c| c < 2),
                "{}.{} = {max}: {stderr}",
                meta.name,
                option.name
            );
            let too_large = u128::from(max) + 1;
            for value in [
                too_large.to_string(),
                "-1".into(),
                "1.5".into(),
                "\"12\"".into(),
            ] {
                write(&root.join(".chatlint.yaml"), &config(&value));
                chatlint(root)
                    .args(["check", "a.md"])
                    .assert()
                    .code(2)
                    .stdout(predicate::str::is_empty())
                    .stderr(
                        // A number beyond u64 the YAML reader itself refuses,
                        // pointing at the value; others fail validation.
                        predicate::str::contains(".chatlint.yaml:4:")
                            .and(
                                predicate::str::contains(format!(
                                    "must be a whole number from 0 to {max}"
                                ))
                                .or(predicate::str::contains(
                                    format!("{}: JSON number out of range", option.name),
                                )),
                            )
                            .and(predicate::str::contains("panicked").not()),
                    );
            }
        }
    }
    assert!(checked >= 3, "the whole-number options: {checked}");
}

// `extends: PATH`: a shared base, chained, relative to the file that names
// it; cycles and missing bases are errors pointing at the `extends`.

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
    // A folder, a FIFO, an empty name: each pointed at in the file that
    // names it, in words about configuration files.
    fs::create_dir(root.join("folder")).unwrap();
    for (extends, says) in [
        ("folder", "a folder, not a configuration file"),
        ("/dev/zero", "a character device, not a configuration file"),
        ("''", "`extends` is empty"),
    ] {
        write(
            &root.join(".chatlint.yaml"),
            &format!("extends: {extends}\n"),
        );
        chatlint(root)
            .args(["check", "a.md"])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains(".chatlint.yaml:1:10")
                    .and(predicate::str::contains(says))
                    .and(predicate::str::contains("process substitution").not()),
            );
    }
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
