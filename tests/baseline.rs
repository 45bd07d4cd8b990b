//! `check --baseline FILE`, `--write-baseline FILE` and `baseline:` in the
//! configuration: on a copy of the real archive, and on small files for
//! the errors.

mod resources;

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn chatlint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("chatlint").unwrap();
    command.current_dir(dir).env("NO_COLOR", "1");
    command
}

/// Runs `check` with `args` over the folder `corpus`: exit code, stdout
/// (concise findings) and stderr.
fn check(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = chatlint(dir)
        .args(["check", "--output-format", "concise", "--no-cache"])
        .args(args)
        .arg("corpus")
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn baseline_validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string("schemas/baseline.schema.json").unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// The entries of a baseline, after validating it against its schema.
fn entries(path: &Path) -> Vec<serde_json::Value> {
    let baseline: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let validator = baseline_validator();
    let problems: Vec<String> = validator
        .iter_errors(&baseline)
        .map(|e| e.to_string())
        .collect();
    assert!(problems.is_empty(), "{}: {problems:?}", path.display());
    baseline["entries"].as_array().unwrap().clone()
}

fn replace_once(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

const ROUTING: &str = "corpus/prodarch/_posts/2018-03-18-chat.markdown";

/// The Must-show of issue 13, on a copy of `../shared/corpus/`: write the
/// baseline, check → 0; a new defect → 1 with only that finding; lines
/// added above old findings → still 0; an old finding fixed → stale; the
/// baseline rewritten → the stale entry dropped.
#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn a_baseline_of_the_archive_holds_back_old_findings_and_reports_new_ones() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    resources::copy_tree(&resources::corpus_dir(), &dir.join("corpus"));
    let baseline = dir.join("corpus/chatlint-baseline.json");
    let baseline_arg = "corpus/chatlint-baseline.json";

    // Without a baseline the archive has thousands of findings.
    let (code, before, _) = check(dir, &[]);
    assert_eq!(code, 1);
    let findings = before.lines().count();
    assert!(findings > 7000, "{findings}");

    // Written: every finding recorded, none reported.
    let (code, out, err) = check(dir, &["--write-baseline", baseline_arg]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let written = entries(&baseline);
    let recorded: u64 = written.iter().map(|e| e["count"].as_u64().unwrap()).sum();
    assert_eq!(recorded as usize, findings);
    assert!(written
        .iter()
        .all(|e| !e["file"].as_str().unwrap().contains('\\')));
    let mut sorted = written.clone();
    sorted.sort_by_key(|e| {
        let key = |k: &str| e[k].as_str().unwrap().to_string();
        (key("file"), key("rule"), key("fingerprint"))
    });
    assert_eq!(sorted, written, "entries are sorted");
    // Writing again gives the same bytes.
    let bytes = fs::read(&baseline).unwrap();
    check(dir, &["--write-baseline", baseline_arg]);
    assert_eq!(fs::read(&baseline).unwrap(), bytes);

    let (code, out, err) = check(dir, &["--baseline", baseline_arg]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(!err.contains("stale"), "{err}");

    // A new defect: exactly that finding.
    let routing = dir.join(ROUTING);
    let original = fs::read_to_string(&routing).unwrap();
    replace_once(&routing, "##关于路由  \n", "##关于路由  \n##新的标题  \n");
    let (code, out, _) = check(dir, &["--baseline", baseline_arg]);
    assert_eq!(code, 1);
    let new_line = fs::read_to_string(&routing)
        .unwrap()
        .lines()
        .position(|l| l.starts_with("##新的标题"))
        .unwrap()
        + 1;
    assert_eq!(
        out.trim_end(),
        format!("{ROUTING}:{new_line}:1: CL101 heading-missing-space Heading `##` has no space after it; it renders as plain text [*]"),
    );
    fs::write(&routing, &original).unwrap();

    // Lines added above the old findings (and a line edited there): still 0.
    let front_matter_end = original.match_indices("---\n").nth(1).unwrap().0 + 4;
    let mut edited = original.clone();
    edited.insert_str(front_matter_end, "前言：新加的一段  \n   \n");
    fs::write(&routing, &edited).unwrap();
    let (code, out, err) = check(dir, &["--baseline", baseline_arg]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(!err.contains("stale"), "{err}");

    // An old finding fixed: its entry is stale, told on stderr and in the
    // summary, and the run still passes.
    replace_once(&routing, "##关于路由", "## 关于路由");
    let output = chatlint(dir)
        .args(["check", "--no-cache", "--baseline", baseline_arg, "corpus"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    );
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    let stale: Vec<&str> = stderr.lines().filter(|l| l.contains("stale")).collect();
    assert_eq!(
        stale,
        [format!(
            "chatlint: {baseline_arg}: stale: {} heading-missing-space ×1 no longer found \
             (Heading `##` has no space after it; it renders as plain text)",
            ROUTING.trim_start_matches("corpus/")
        )],
        "{stderr}"
    );
    assert!(
        stdout.contains(&format!(
            "{} findings held back by the baseline. 1 baseline finding is stale",
            findings - 1
        )),
        "{stdout}"
    );

    // Rewritten: the stale entry is dropped, the others kept as they were.
    let (code, _, err) = check(dir, &["--write-baseline", baseline_arg]);
    assert_eq!(code, 0, "{err}");
    let rewritten = entries(&baseline);
    assert_eq!(rewritten.len() + 1, written.len());
    assert!(rewritten.iter().all(|e| written.contains(e)));
    let (code, out, err) = check(dir, &["--baseline", baseline_arg]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(!err.contains("stale"), "{err}");
}

const TRANSCRIPT: &str = "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 07:50:02  甲  \n   \n##背景  \n   \n##背景  \n   \n";

/// Two findings with one key are counted: a third copy is new. A file not
/// checked keeps its entries; a deleted file's are stale.
#[test]
fn entries_count_their_findings_and_files_not_checked_keep_theirs() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    fs::create_dir_all(dir.join("corpus/sub")).unwrap();
    fs::write(dir.join("corpus/a.md"), TRANSCRIPT).unwrap();
    fs::write(dir.join("corpus/sub/b.md"), TRANSCRIPT).unwrap();
    let (code, _, err) = check(dir, &["--write-baseline", "base.json"]);
    assert_eq!(code, 0, "{err}");
    let written = entries(&dir.join("base.json"));
    let files: Vec<&str> = written
        .iter()
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["corpus/a.md", "corpus/sub/b.md"]);
    assert!(written.iter().all(|e| e["count"] == 2));

    fs::write(
        dir.join("corpus/a.md"),
        format!("{TRANSCRIPT}##背景  \n   \n"),
    )
    .unwrap();
    let (code, out, _) = check(dir, &["--baseline", "base.json"]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("corpus/a.md:12:1: CL101"), "{out}");

    // Only a.md checked: b.md's entry stays; then b.md deleted: stale.
    let output = chatlint(dir)
        .args([
            "check",
            "--no-cache",
            "--write-baseline",
            "base.json",
            "corpus/a.md",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let counts: Vec<u64> = entries(&dir.join("base.json"))
        .iter()
        .map(|e| e["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [3, 2]);
    fs::remove_file(dir.join("corpus/sub/b.md")).unwrap();
    let (code, _, err) = check(dir, &["--baseline", "base.json"]);
    assert_eq!(code, 0);
    assert!(
        err.contains("stale: corpus/sub/b.md heading-missing-space ×2"),
        "{err}"
    );
}

/// `baseline:` in the configuration, relative to its file; `--baseline`
/// wins over it.
#[test]
fn the_configuration_names_a_baseline_relative_to_itself() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    fs::create_dir_all(dir.join("corpus")).unwrap();
    fs::create_dir_all(dir.join("lint")).unwrap();
    fs::write(dir.join("corpus/a.md"), TRANSCRIPT).unwrap();
    let (code, _, err) = check(dir, &["--write-baseline", "lint/known.json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(check(dir, &[]).0, 1);
    fs::write(dir.join(".chatlint.yaml"), "baseline: lint/known.json\n").unwrap();
    assert_eq!(check(dir, &[]).0, 0);
    let (code, _, err) = check(dir, &["--config", "lint/cfg.yaml"]);
    assert_eq!(code, 2, "{err}");
    fs::write(dir.join("lint/cfg.yaml"), "baseline: known.json\n").unwrap();
    assert_eq!(check(dir, &["--config", "lint/cfg.yaml"]).0, 0);
    fs::write(
        dir.join("other.json"),
        "{\"version\": 1, \"entries\": []}\n",
    )
    .unwrap();
    assert_eq!(check(dir, &["--baseline", "other.json"]).0, 1);
    // A value of the wrong type points into the file.
    fs::write(dir.join(".chatlint.yaml"), "baseline: [a, b]\n").unwrap();
    let (code, _, err) = check(dir, &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains(".chatlint.yaml:1") && err.contains("baseline"),
        "{err}"
    );
}

/// A baseline that cannot be read or is not one: exit 2 naming it, nothing
/// checked, nothing written.
#[test]
fn a_corrupt_or_unreadable_baseline_is_an_error_naming_it() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    fs::create_dir_all(dir.join("corpus")).unwrap();
    fs::write(dir.join("corpus/a.md"), TRANSCRIPT).unwrap();
    fs::create_dir_all(dir.join("folder.json")).unwrap();
    let cases: [(&str, Option<&str>); 6] = [
        ("missing.json", None),
        ("folder.json", None),
        ("corrupt.json", Some("{\"version\": 1, \"entries\": [")),
        ("old.json", Some("{\"version\": 7, \"entries\": []}")),
        (
            "zero.json",
            Some(
                r#"{"version": 1, "entries": [{"file": "a.md", "rule": "redact", "fingerprint": "0123456789abcdef", "count": 0, "message": ""}]}"#,
            ),
        ),
        (
            "extra.json",
            Some(r#"{"version": 1, "entries": [], "more": 1}"#),
        ),
    ];
    for (name, contents) in cases {
        if let Some(contents) = contents {
            fs::write(dir.join(name), contents).unwrap();
        }
        for flag in ["--baseline", "--write-baseline"] {
            if flag == "--write-baseline" && name == "missing.json" {
                continue;
            }
            let (code, out, err) = check(dir, &[flag, name]);
            assert_eq!(code, 2, "{flag} {name}: {out}{err}");
            assert!(out.is_empty(), "{flag} {name}: {out}");
            assert!(err.contains(name), "{flag} {name}: {err}");
            if let Some(contents) = contents {
                assert_eq!(fs::read_to_string(dir.join(name)).unwrap(), contents);
            }
        }
    }
    // And the schema refuses what chatlint refuses.
    let validator = baseline_validator();
    for (name, contents) in cases.iter().skip(3) {
        let value: serde_json::Value = serde_json::from_str(contents.unwrap()).unwrap();
        assert!(!validator.is_valid(&value), "{name}");
    }
}
