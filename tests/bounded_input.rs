//! What chatlint agrees to read, and how much: a regular file, standard
//! input or a process-substitution pipe, each up to `--max-file-size`.
//! A named FIFO, a device or a socket is refused at once (exit 2) instead
//! of blocking or being read until memory runs out, and so is a file over
//! the limit, with nothing written.
#![cfg(unix)]

use std::fs;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;

/// Long enough for a debug build on a busy machine; a run that blocks on a
/// FIFO or reads `/dev/zero` would never end, and is killed at this point.
const HANG: Duration = Duration::from_secs(60);

const BROKEN: &str = concat!(
    "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n",
    "> 7:50:02  右军  \n   \n##异地多活的case方案  \n   \n"
);

fn chatlint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("chatlint").unwrap();
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CHATLINT_CACHE_DIR", dir.join(".cache"))
        .timeout(HANG);
    command
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, contents).unwrap();
    path
}

#[test]
fn a_named_fifo_is_refused_without_blocking_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("pipe.md"));
    let refused = predicate::str::contains("pipe.md: a FIFO, not a regular file");
    for args in [
        &["check", "pipe.md"][..],
        &["check", "--fix", "pipe.md"],
        &["check", "--diff", "pipe.md"],
        &["convert", "--to", "json", "pipe.md"],
        &["convert", "--to", "md", "--from", "json", "pipe.md"],
    ] {
        chatlint(dir.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(refused.clone());
    }
    // Still a FIFO: nothing replaced it.
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::metadata(dir.path().join("pipe.md"))
        .unwrap()
        .file_type()
        .is_fifo());
}

#[test]
fn devices_are_refused_as_input_and_as_configuration() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", BROKEN);
    for device in ["/dev/zero", "/dev/urandom", "/dev/null"] {
        chatlint(dir.path())
            .args(["check", device])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{device}: a character device, not a regular file"
            )));
        chatlint(dir.path())
            .args(["check", "--config", device, "a.md"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(device));
        chatlint(dir.path())
            .args(["convert", "--to", "csv", device])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(device));
    }
    // A FIFO as the configuration is refused too, without blocking.
    mkfifo(&dir.path().join("config.yaml"));
    chatlint(dir.path())
        .args(["check", "--config", "config.yaml", "a.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("config.yaml: a FIFO"));
}

#[test]
fn a_socket_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let _listener = UnixListener::bind(dir.path().join("socket.md")).unwrap();
    chatlint(dir.path())
        .args(["check", "socket.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("socket.md: a socket"));
}

#[test]
fn a_walk_passes_over_fifos_named_like_transcripts() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("pipe.md"));
    write(dir.path(), "a.md", BROKEN);
    chatlint(dir.path())
        .args(["check", "."])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("a.md"))
        .stdout(predicate::str::contains("in 1 of 1 file"));
}

#[test]
fn process_substitution_and_dev_stdin_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.md", BROKEN);
    let binary = assert_cmd::cargo::cargo_bin("chatlint");
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(r#""$0" check --no-cache <(cat "$1")"#)
        .arg(&binary)
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("/dev/fd/"), "{stdout}");
    assert!(stdout.contains("timestamp"), "{stdout}");

    chatlint(dir.path())
        .args(["check", "--no-cache", "/dev/stdin"])
        .write_stdin(BROKEN)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("/dev/stdin"));

    // Converting from a pipe works the same way.
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(r#""$0" convert --to json <(cat "$1")"#)
        .arg(&binary)
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("右军"));
}

#[test]
fn a_file_over_the_limit_is_an_error_naming_it_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "big.md", BROKEN);
    let size = BROKEN.len();
    let over = format!("{}", size - 1);
    let exactly = format!("{size}");
    for args in [
        &["check", "--max-file-size", &over, "big.md"][..],
        &["check", "--fix", "--max-file-size", &over, "big.md"],
        &["convert", "--to", "md", "--max-file-size", &over, "big.md"],
    ] {
        chatlint(dir.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "big.md: larger than {over} bytes"
            )));
    }
    assert_eq!(fs::read_to_string(&path).unwrap(), BROKEN);
    // At the limit exactly, the file is read (and fixed).
    chatlint(dir.path())
        .args(["check", "--fix", "--max-file-size", &exactly, "big.md"])
        .assert()
        .code(0);
    assert_ne!(fs::read_to_string(&path).unwrap(), BROKEN);
}

#[test]
fn standard_input_over_the_limit_is_refused_and_not_read_to_the_end() {
    let dir = tempfile::tempdir().unwrap();
    // /dev/zero on standard input: read up to the limit and no further.
    let zero = fs::File::open("/dev/zero").unwrap();
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("chatlint"))
        .args(["check", "--max-file-size", "1MB", "-"])
        .current_dir(dir.path())
        .stdin(zero)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(
        stderr.contains("<stdin>: larger than 1000000 bytes"),
        "{stderr}"
    );
    // --fix on stdin writes nothing it did not read in full.
    chatlint(dir.path())
        .args(["check", "--fix", "--max-file-size", "10", "-"])
        .write_stdin(BROKEN)
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn the_size_limit_takes_units_and_refuses_nonsense() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", BROKEN);
    for good in ["1GiB", "500MB", "2kb", "4096"] {
        chatlint(dir.path())
            .args(["check", "--max-file-size", good, "a.md"])
            .assert()
            .code(1);
    }
    for bad in ["", "-5", "ten", "5 parsecs", "99999999999999TB"] {
        chatlint(dir.path())
            .args(["check", &format!("--max-file-size={bad}"), "a.md"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--max-file-size"));
    }
}

#[test]
fn a_configuration_over_a_mebibyte_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", BROKEN);
    let mut big = String::from("select: [ALL]\n");
    while big.len() <= 1 << 20 {
        big.push_str("# a comment line to make the file large\n");
    }
    write(dir.path(), ".chatlint.yaml", &big);
    chatlint(dir.path())
        .args(["check", "a.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".chatlint.yaml: larger than"));
}

#[test]
fn a_cache_file_replaced_by_a_fifo_is_a_miss_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", BROKEN);
    let cache = dir.path().join(".cache");
    fs::create_dir(&cache).unwrap();
    mkfifo(&cache.join("check-v1.bin"));
    chatlint(dir.path())
        .args(["check", "a.md"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("timestamp"));
}
