//! Input and surroundings that used to make chatlint panic or give a wrong
//! answer (issue 10): a reader that closes the pipe early, stdout that
//! cannot be written, configurations too large to compile, out-of-range
//! options, paths that hold no transcript.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn chatlint() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chatlint"));
    command
        .env("NO_COLOR", "1")
        .env_remove("CHATLINT_CACHE_DIR");
    command
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample")
}

fn sample_file() -> PathBuf {
    samples().join("2017-05-05-chat.md")
}

/// Runs `chatlint ARGS` in `dir` with its stdout a pipe whose reader reads
/// `read` bytes, then closes it; returns the exit code (None: ended by a
/// signal) and stderr.
fn with_closed_pipe(dir: &Path, args: &[&str], read: usize) -> (Option<i32>, String) {
    let mut child = chatlint()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    if read > 0 {
        let mut first = vec![0; read];
        let _ = stdout.read(&mut first);
    }
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    (status.code(), stderr)
}

/// Issue 10: `chatlint rule --all | head -1` and `chatlint completions zsh |
/// true` panicked (exit 101), `convert --to csv F | head -1` reported a
/// failure. Every command and format ends quietly.
#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample_file();
    let file = file.to_str().unwrap();
    let folder = samples();
    let folder = folder.to_str().unwrap();
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["rule", "--all"],
        vec!["rule", "--all", "--output-format", "json"],
        vec!["rule", "CL101"],
        vec!["rule", "CL101", "--output-format", "json"],
    ];
    for shell in ["bash", "elvish", "fish", "powershell", "zsh"] {
        commands.push(vec!["completions", shell]);
    }
    for to in ["json", "jsonl", "csv", "xml", "md"] {
        commands.push(vec!["convert", "--to", to, file]);
    }
    for format in [
        "full",
        "concise",
        "json",
        "json-lines",
        "sarif",
        "github",
        "junit",
    ] {
        commands.push(vec![
            "check",
            "--no-cache",
            "--select",
            "ALL",
            "--output-format",
            format,
            folder,
        ]);
    }
    commands.push(vec![
        "check",
        "--no-cache",
        "--diff",
        "--select",
        "ALL",
        file,
    ]);
    for args in &commands {
        for read in [0, 1] {
            let (code, stderr) = with_closed_pipe(dir.path(), args, read);
            assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
            assert_ne!(code, Some(101), "{args:?}: {stderr}");
            assert_ne!(code, Some(2), "{args:?} reported a failure: {stderr}");
            assert!(
                !stderr.contains("Broken pipe") && !stderr.contains("os error 32"),
                "{args:?}: {stderr}"
            );
        }
    }
    // Nothing was written where the commands ran.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Stdout that cannot take the output (a full disk) is an error, exit 2,
/// not a panic.
#[cfg(target_os = "linux")]
#[test]
fn stdout_that_cannot_be_written_is_an_error() {
    for args in [
        &["rule", "--all"][..],
        &["rule", "CL101"],
        &["completions", "zsh"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = chatlint().args(args).stdout(full).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("<stdout>"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
