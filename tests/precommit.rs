//! The real pre-commit framework running this repository's hooks
//! (`.pre-commit-hooks.yaml`) in a temporary git repository: the
//! `language: rust` pair, which pre-commit builds, and the `language:
//! system` pair, which runs the `chatlint` on the PATH (here the one this
//! test suite built).
//!
//! Needs `git` and `pre-commit` (`pip install pre-commit`); without them the
//! test is listed as ignored, with the reason, unless
//! `CHATLINT_REQUIRE_PRECOMMIT=1` (set by `.ci/run`, which installs
//! pre-commit) runs it anyway, so that it fails (see `build.rs`). pre-commit
//! builds the hook with `cargo install` from the committed HEAD of this
//! repository.

use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::process::{Command, Output};

fn available(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run(dir: &Path, program: &str, args: &[&str]) -> Output {
    run_with_path(dir, program, args, None)
}

/// `program ARGS` in `dir`, with `path` as the PATH when given.
fn run_with_path(dir: &Path, program: &str, args: &[&str], path: Option<&OsStr>) -> Output {
    let mut command = Command::new(program);
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let output = command
        .args(args)
        .current_dir(dir)
        // Dependencies compiled once are reused by later runs of this test.
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pre-commit"),
        )
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    output
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
#[cfg_attr(
    not(run_precommit_tests),
    ignore = "needs git and pre-commit (pip install pre-commit; README: Tests)"
)]
fn hooks_fail_fix_and_pass() {
    hooks_fail_fix_and_pass_with("chatlint", "chatlint-fix", None);
}

#[test]
#[cfg_attr(
    not(run_precommit_tests),
    ignore = "needs git and pre-commit (pip install pre-commit; README: Tests)"
)]
fn system_hooks_run_the_chatlint_on_the_path_without_a_compile() {
    // Only this suite's chatlint is on the PATH before the system's: no
    // Cargo build happens (a `language: system` hook never builds).
    let built = Path::new(env!("CARGO_BIN_EXE_chatlint"));
    let mut path = OsString::from(built.parent().unwrap());
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    hooks_fail_fix_and_pass_with("chatlint-system", "chatlint-fix-system", Some(&path));
}

/// The check hook fails on a staged defect, the fix hook repairs it, and
/// the check then passes.
fn hooks_fail_fix_and_pass_with(check: &str, fix: &str, path: Option<&OsStr>) {
    for program in ["git", "pre-commit"] {
        assert!(
            available(program),
            "this test runs {program}, which does not run (pip install pre-commit)"
        );
    }
    let this_repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = run(this_repo, "git", &["rev-parse", "HEAD"]);
    assert!(head.status.success(), "{}", text(&head));
    let head = String::from_utf8(head.stdout).unwrap().trim().to_string();

    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    for args in [
        &["init", "-q"][..],
        &["config", "user.email", "test@example.com"],
        &["config", "user.name", "test"],
    ] {
        assert!(run(repo, "git", args).status.success());
    }
    std::fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {head}\n    hooks:\n      - id: {check}\n      - id: {fix}\n        stages: [manual]\n",
            this_repo.display()
        ),
    )
    .unwrap();
    let transcript = repo.join("2017-08-25-chat.md");
    std::fs::write(&transcript, "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 07:50:02  右军  \n   \n##异地多活  \n   \n").unwrap();
    assert!(run(repo, "git", &["add", "."]).status.success());
    let pre_commit = |args: &[&str]| run_with_path(repo, "pre-commit", args, path);

    // The staged heading without its space fails the check hook.
    let failed = pre_commit(&["run", check]);
    let output = text(&failed);
    assert_eq!(failed.status.code(), Some(1), "{output}");
    assert!(output.contains("heading-missing-space"), "{output}");

    // The fix hook repairs it (pre-commit fails a hook that modifies files).
    let fixed = pre_commit(&["run", fix, "--hook-stage", "manual"]);
    let output = text(&fixed);
    assert!(
        output.contains("files were modified by this hook"),
        "{output}"
    );
    assert_eq!(
        std::fs::read_to_string(&transcript).unwrap(),
        "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 07:50:02  右军  \n   \n## 异地多活  \n   \n"
    );

    // Staged again, the check passes.
    assert!(run(repo, "git", &["add", "."]).status.success());
    let passed = pre_commit(&["run", check]);
    assert_eq!(passed.status.code(), Some(0), "{}", text(&passed));
}
