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
        // The findings cache goes to the build's folder, not the repository.
        .env(
            "CHATLINT_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/findings-cache"),
        );
    command
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample")
}

fn sample_file() -> PathBuf {
    samples().join("2017-08-25-chat.md")
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

/// `chatlint check` in `dir`, without the cache: exit code, stdout, stderr.
fn check_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = chatlint()
        .current_dir(dir)
        .args(["check", "--no-cache"])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn copy_sample(to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(sample_file(), to).unwrap();
}

/// Issue 10: `chatlint check empty-folder` printed "All checks passed (0
/// files)" and exited 0. A folder that holds no transcript, however it comes
/// to hold none, is an error naming it.
#[test]
fn a_folder_without_transcripts_is_an_error_not_a_pass() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("empty")).unwrap();
    std::fs::create_dir(root.join("notes")).unwrap();
    std::fs::write(root.join("notes/todo.txt"), "not a transcript\n").unwrap();
    copy_sample(&root.join("excluded/a.md"));
    std::fs::write(root.join("excluded/.chatlint.yaml"), "exclude: ['*.md']\n").unwrap();
    copy_sample(&root.join("posts/a.md"));
    for folder in ["empty", "notes", "excluded"] {
        for format in ["full", "json"] {
            let (code, stdout, stderr) = check_in(root, &["--output-format", format, folder]);
            assert_eq!(code, 2, "{folder} {format}: {stdout}{stderr}");
            assert!(
                stderr.contains(&format!("{folder}: holds no transcript")),
                "{folder}: {stderr}"
            );
            assert!(!stdout.contains("All checks passed"), "{folder}: {stdout}");
        }
    }
    // Next to a folder that has one, the empty one still fails the run, and
    // the other is still checked.
    let (code, stdout, stderr) = check_in(root, &["--output-format", "json", "posts", "empty"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.contains("posts"), "{stdout}");
    // Files named one by one that `--force-exclude` leaves out (what
    // pre-commit passes) are no error: nothing was asked of a folder.
    let (code, _, stderr) = check_in(root, &["--force-exclude", "excluded/a.md"]);
    assert_eq!(code, 0, "{stderr}");
}

/// `convert` of a folder holding no transcript made an empty output folder.
/// It fails, and makes nothing.
#[test]
fn converting_a_folder_without_transcripts_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    for to in ["json", "csv", "md"] {
        let output = chatlint()
            .current_dir(dir.path())
            .args(["convert", "--to", to, "empty", "-o", "out"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("holds no transcript"), "{stderr}");
        assert!(!dir.path().join("out").exists());
    }
}

/// The paths a JSON check reported.
fn checked_paths(stdout: &str) -> Vec<String> {
    let findings: Vec<serde_json::Value> = serde_json::from_str(stdout).unwrap();
    let mut paths: Vec<String> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap().replace('\\', "/"))
        .collect();
    paths.dedup();
    paths
}

/// A walk reads `.MD` and `.Markdown` as it reads `.md`.
#[test]
fn a_walk_reads_transcript_extensions_in_any_case() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for name in ["a.md", "b.MD", "c.Markdown", "d.MarkDown", "e.txt", "f.mdx"] {
        copy_sample(&root.join("posts").join(name));
    }
    let (code, stdout, stderr) = check_in(
        root,
        &["--select", "ALL", "--output-format", "json", "posts"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        checked_paths(&stdout),
        [
            "posts/a.md",
            "posts/b.MD",
            "posts/c.Markdown",
            "posts/d.MarkDown"
        ]
    );
}

/// A walk follows no symbolic link: it says how many it passed over, and
/// `--fix` leaves the links and what they point to alone. A linked file
/// named on the command line is read.
#[cfg(unix)]
#[test]
fn a_walk_skips_symbolic_links_and_says_so() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_sample(&root.join("outside/linked.md"));
    copy_sample(&root.join("posts/real.md"));
    symlink(root.join("outside/linked.md"), root.join("posts/link.md")).unwrap();
    symlink(root.join("outside"), root.join("posts/folder")).unwrap();
    let (code, stdout, stderr) = check_in(
        root,
        &["--select", "ALL", "--output-format", "json", "posts"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(checked_paths(&stdout), ["posts/real.md"]);
    assert!(
        stderr.contains("posts: skipped 2 symbolic links"),
        "{stderr}"
    );

    let before = std::fs::read(root.join("outside/linked.md")).unwrap();
    let (_, _, stderr) = check_in(root, &["--fix", "posts"]);
    assert!(std::fs::symlink_metadata(root.join("posts/link.md"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read(root.join("outside/linked.md")).unwrap(),
        before,
        "{stderr}"
    );
    assert_ne!(std::fs::read(root.join("posts/real.md")).unwrap(), before);

    let (code, stdout, _) = check_in(
        root,
        &[
            "--select",
            "ALL",
            "--output-format",
            "json",
            "posts/link.md",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(checked_paths(&stdout), ["posts/link.md"]);
}

#[test]
fn a_loop_of_links_or_a_link_to_nothing_is_named_for_what_it_is() {
    // Both used to be "no such file or directory", the loop's wrongly.
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("loop2.md", dir.path().join("loop1.md")).unwrap();
    std::os::unix::fs::symlink("loop1.md", dir.path().join("loop2.md")).unwrap();
    std::os::unix::fs::symlink("gone.md", dir.path().join("dangling.md")).unwrap();
    for (name, expected) in [
        ("loop1.md", "symbolic links"),
        ("dangling.md", "a symbolic link to nothing"),
    ] {
        for command in ["check", "convert"] {
            let mut run = chatlint();
            run.current_dir(dir.path()).arg(command);
            if command == "convert" {
                run.args(["--to", "json"]);
            }
            let output = run.arg(name).output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{command} {name}: {stderr}");
            assert!(stderr.contains(name), "{command} {name}: {stderr}");
            assert!(stderr.contains(expected), "{command} {name}: {stderr}");
        }
    }
}

#[test]
fn a_configuration_that_is_not_a_file_is_an_error_not_ignored() {
    // A `.chatlint.yaml` that is a link to nothing, a FIFO or a folder used
    // to be passed over in silence: the rules ran without it, exit 0 or 1.
    for kind in ["dangling", "fifo", "folder"] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(sample_file(), dir.path().join("chat.md")).unwrap();
        let config = dir.path().join(".chatlint.yaml");
        match kind {
            "dangling" => std::os::unix::fs::symlink("../shared/gone.yaml", &config).unwrap(),
            "fifo" => assert!(Command::new("mkfifo")
                .arg(&config)
                .status()
                .unwrap()
                .success()),
            _ => std::fs::create_dir(&config).unwrap(),
        }
        let output = chatlint()
            .current_dir(dir.path())
            .args(["check", "--no-cache", "chat.md"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{kind}: {stderr}");
        assert!(stderr.contains(".chatlint.yaml"), "{kind}: {stderr}");
    }
}

#[test]
#[ignore = "reason: with --fix on stdin, a failure before the text is checked (not UTF-8, a bad configuration) prints nothing, though Outcome::Failed promises the text back; echo is a String read after the settings, so the fix needs echo as bytes and the read first"]
fn a_failed_fix_of_stdin_gives_its_bytes_back_even_when_not_utf8() {
    let mut input = std::fs::read(sample_file()).unwrap();
    input.extend_from_slice(b"\xff\xfe not UTF-8\n");
    let mut child = chatlint()
        .args(["check", "--no-cache", "--fix", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        output.stdout, input,
        "a filter that fails must not turn its input into nothing"
    );
}
