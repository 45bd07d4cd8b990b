//! `check --output FORMAT[:PATH]`, repeatable: one run writes reports in
//! several formats, each file with exactly what that format alone prints.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn chatlint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("chatlint").unwrap();
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE");
    command
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample")
}

/// Exit code and stdout of `check ARGS`.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, Vec<u8>, String) {
    let output = chatlint(dir)
        .args(["check", "--no-cache"])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        output.stdout,
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Each `--output FORMAT:PATH` file holds what `--output-format FORMAT`
/// prints, and the terminal shows the format named without a path (else
/// the full report), for the files in `input`.
fn assert_outputs_match_single_runs(input: &Path) {
    let out = tempfile::tempdir().unwrap();
    let at = |name: &str| out.path().join(name);
    let input = input.to_str().unwrap();
    let sarif = format!("sarif:{}", at("reports/ci/results.sarif").display());
    let json = format!("json:{}", at("findings.json").display());
    let junit = format!("junit:{}", at("junit.xml").display());
    let (code, terminal, stderr) = run(
        out.path(),
        &[
            "--output", &sarif, "--output", &json, "--output", &junit, input,
        ],
    );
    let (alone_code, full, _) = run(out.path(), &[input]);
    assert_eq!(code, alone_code, "{stderr}");
    assert_eq!(terminal, full, "the terminal keeps the full report");
    for (format, file) in [
        ("sarif", "reports/ci/results.sarif"),
        ("json", "findings.json"),
        ("junit", "junit.xml"),
    ] {
        let (_, alone, _) = run(out.path(), &["--output-format", format, input]);
        assert!(!alone.is_empty(), "{format}");
        assert_eq!(fs::read(at(file)).unwrap(), alone, "{format}");
    }
    // A format without a path is the terminal's.
    let concise = format!("json-lines:{}", at("lines.jsonl").display());
    let (_, terminal, _) = run(
        out.path(),
        &["--output", "concise", "--output", &concise, input],
    );
    let (_, alone, _) = run(out.path(), &["--output-format", "concise", input]);
    assert_eq!(terminal, alone);
    let (_, lines, _) = run(out.path(), &["--output-format", "json-lines", input]);
    assert_eq!(fs::read(at("lines.jsonl")).unwrap(), lines);
}

#[test]
fn each_output_file_is_what_its_format_prints_alone() {
    assert_outputs_match_single_runs(&fixtures());
}

#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn each_output_file_is_what_its_format_prints_alone_on_the_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(corpus.is_dir(), "{}", corpus.display());
    assert_outputs_match_single_runs(&corpus);
}

#[test]
fn after_fix_the_files_hold_what_remains() {
    let dir = tempfile::tempdir().unwrap();
    let text = "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 7:50:02  甲  \n   \n好  \n   \n> 14:00:00  乙  \n   \n好  \n   \n> 09:00:00  丙  \n   \n好  \n";
    fs::write(dir.path().join("a.md"), text).unwrap();
    let (code, _, stderr) = run(
        dir.path(),
        &["--fix", "--output", "json:out/remaining.json", "a.md"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    let written: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("out/remaining.json")).unwrap()).unwrap();
    let (_, now, _) = run(dir.path(), &["--output-format", "json", "a.md"]);
    let now: serde_json::Value = serde_json::from_slice(&now).unwrap();
    assert_eq!(written, now);
    assert!(!now.as_array().unwrap().is_empty());
    assert!(
        now.as_array()
            .unwrap()
            .iter()
            .all(|finding| finding["name"] != "malformed-timestamp"),
        "{now}"
    );
}

#[test]
fn outputs_that_cannot_be_are_usage_errors_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let sample = fixtures();
    let sample = sample.to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["--output", "full", "--output", "concise"],
            "more than one --output without a path",
        ),
        (
            &["--output", "json:a.json", "--output", "sarif:./a.json"],
            "a.json twice: each report needs a file of its own",
        ),
        (&["--output", "yaml:a.yaml"], "unknown format `yaml`"),
        (&["--output", "json:"], "the path after `:` is empty"),
        (
            &["--output-format", "json", "--output", "sarif:a.sarif"],
            "cannot be used with",
        ),
    ];
    for (args, message) in cases {
        let (code, stdout, stderr) = run(dir.path(), &[args, &[sample]].concat());
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    // A file that cannot be written fails the run (exit 2, naming it) after
    // the others are written and the report is shown.
    fs::create_dir(dir.path().join("taken")).unwrap();
    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            "--output",
            "sarif:taken",
            "--output",
            "json:ok.json",
            sample,
        ],
    );
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("taken") && stderr.contains("a folder"),
        "{stderr}"
    );
    assert!(!stdout.is_empty());
    assert!(dir.path().join("ok.json").is_file());
}

#[test]
fn a_report_never_replaces_an_input_nor_one_file_twice() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read(fixtures().join("2017-08-25-chat.md")).unwrap();
    fs::write(dir.path().join("a.md"), &text).unwrap();
    std::os::unix::fs::symlink("a.md", dir.path().join("link-to-a")).unwrap();
    fs::write(dir.path().join("t.json"), "").unwrap();
    std::os::unix::fs::symlink("t.json", dir.path().join("s")).unwrap();
    fs::hard_link(dir.path().join("t.json"), dir.path().join("h")).unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["--output", "json:a.md", "a.md"], "a file this run checks"),
        (&["--output", "json:./a.md", "."], "a file this run checks"),
        (
            &["--output", "sarif:link-to-a", "a.md"],
            "a file this run checks",
        ),
        (
            &["--output", "json:t.json", "--output", "sarif:s", "a.md"],
            "twice",
        ),
        (
            &["--output", "json:t.json", "--output", "sarif:h", "a.md"],
            "twice",
        ),
    ];
    for (args, message) in cases {
        let (code, stdout, stderr) = run(dir.path(), args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(fs::read(dir.path().join("a.md")).unwrap(), text, "{args:?}");
        assert_eq!(
            fs::read(dir.path().join("t.json")).unwrap(),
            b"",
            "{args:?}"
        );
    }
}
