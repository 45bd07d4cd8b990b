//! What `check --fix` and `convert -o` replace, and what they never do:
//! overwrite another writer's update, replace a link or a device, lose a
//! hard link, an owner or a mode, or leave temporary files behind.

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chatlint::files::{replace_file, Fingerprint};
use chatlint::Error;
use predicates::prelude::*;

fn chatlint() -> Command {
    let mut command = Command::cargo_bin("chatlint").unwrap();
    // The findings cache goes to the build's folder, not the repository.
    command.env("NO_COLOR", "1").env(
        "CHATLINT_CACHE_DIR",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/findings-cache"),
    );
    command
}

const BROKEN: &str = concat!(
    "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n",
    "> 7:50:02  右军  \n   \n##异地多活的case方案  \n   \n"
);
const FIXED: &str = concat!(
    "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n",
    "> 07:50:02  右军  \n   \n## 异地多活的case方案  \n   \n"
);

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, contents).unwrap();
    path
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// This process's effective user id, as the owner of a file it creates.
fn my_uid(dir: &Path) -> u32 {
    let probe = write(dir, ".uid-probe", "");
    let uid = fs::metadata(&probe).unwrap().uid();
    fs::remove_file(probe).unwrap();
    uid
}

fn assert_root(dir: &Path) {
    assert_eq!(
        my_uid(dir),
        0,
        "this test needs root; it runs only in a build made as root"
    );
}

// --- No lost updates -------------------------------------------------------

#[test]
fn a_file_changed_after_it_was_read_keeps_the_other_writers_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "chat.md", BROKEN);
    // Each is what another writer did between chatlint's read (of BROKEN)
    // and its replacement.
    let appended = format!("{BROKEN}> 08:00:00  甲  \n");
    let same_size = BROKEN.replace("右军", "左军");
    assert_eq!(same_size.len(), BROKEN.len());
    for theirs in [appended.as_str(), same_size.as_str(), "", FIXED] {
        fs::write(&path, theirs).unwrap();
        let result = replace_file(&path, Fingerprint::of(BROKEN.as_bytes()), FIXED);
        assert!(
            matches!(&result, Err(Error::ChangedDuringRun { path: p }) if p == &path),
            "{theirs:?}: {result:?}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), theirs);
        assert_eq!(names_in(dir.path()), ["chat.md"], "no temporary file left");
    }
    let message = replace_file(&path, Fingerprint::of(BROKEN.as_bytes()), FIXED)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("chat.md") && message.contains("changed since chatlint read it"),
        "{message}"
    );
}

#[test]
fn a_file_replaced_by_another_after_it_was_read_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "chat.md", BROKEN);
    // An editor's save: a new file renamed over the old name.
    let saved = write(dir.path(), "saved.tmp", "> 09:00:00  编辑器  \n");
    fs::rename(&saved, &path).unwrap();
    assert!(matches!(
        replace_file(&path, Fingerprint::of(BROKEN.as_bytes()), FIXED),
        Err(Error::ChangedDuringRun { .. })
    ));
    assert_eq!(fs::read_to_string(&path).unwrap(), "> 09:00:00  编辑器  \n");
}

#[test]
fn an_unchanged_file_is_replaced_even_if_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "chat.md", BROKEN);
    // Only the time changed: nobody's text is lost by replacing it.
    filetime::set_file_mtime(&path, filetime::FileTime::from_unix_time(1_000_000_000, 0)).unwrap();
    replace_file(&path, Fingerprint::of(BROKEN.as_bytes()), FIXED).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
}

// --- Replace only what the user meant ---------------------------------------

#[test]
fn fix_through_a_symbolic_link_fixes_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    let links = dir.path().join("links");
    fs::create_dir_all(&archive).unwrap();
    fs::create_dir_all(&links).unwrap();
    let target = write(&archive, "chat.md", BROKEN);
    fs::set_permissions(&target, fs::Permissions::from_mode(0o600)).unwrap();
    // A relative link, and a link to that link.
    let link = links.join("chat.md");
    std::os::unix::fs::symlink("../archive/chat.md", &link).unwrap();
    let link_to_link = dir.path().join("again.md");
    std::os::unix::fs::symlink(&link, &link_to_link).unwrap();
    for (given, contents) in [(&link, BROKEN), (&link_to_link, BROKEN)] {
        fs::write(&target, contents).unwrap();
        chatlint()
            .args(["check", "--fix"])
            .arg(given)
            .assert()
            .code(0);
        assert_eq!(fs::read_to_string(&target).unwrap(), FIXED);
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(fs::symlink_metadata(&link_to_link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(
            fs::read_link(&link).unwrap(),
            Path::new("../archive/chat.md")
        );
        assert_eq!(
            fs::metadata(&target).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(names_in(&archive), ["chat.md"]);
        assert_eq!(names_in(&links), ["chat.md"]);
    }
}

#[test]
fn a_hard_linked_file_is_refused_and_both_names_keep_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "chat.md", BROKEN);
    let other = dir.path().join("backup.md");
    fs::hard_link(&path, &other).unwrap();
    let clean = write(dir.path(), "other.md", BROKEN);
    chatlint()
        .args(["check", "--fix"])
        .arg(&path)
        .arg(&clean)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("chat.md").and(predicate::str::contains("hard links")));
    assert_eq!(fs::read_to_string(&path).unwrap(), BROKEN);
    assert_eq!(fs::read_to_string(&other).unwrap(), BROKEN);
    assert_eq!(fs::metadata(&path).unwrap().nlink(), 2, "still one file");
    // The refusal costs no other file its fixes.
    assert_eq!(fs::read_to_string(&clean).unwrap(), FIXED);
}

#[test]
fn a_file_this_user_may_not_write_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "chat.md", BROKEN);
    let mut command = chatlint();
    if my_uid(dir.path()) == 0 {
        // Root may write anything: run as `nobody` on root's 0644 file, in
        // a folder that everyone may write.
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let binary = assert_cmd::cargo::cargo_bin("chatlint");
        command = Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(binary)
            .env("NO_COLOR", "1");
    } else {
        // Writable by the group only, not by its owner (this user).
        fs::set_permissions(&path, fs::Permissions::from_mode(0o464)).unwrap();
    }
    command
        .args(["check", "--fix", "--no-cache"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("chat.md")
                .and(predicate::str::contains("this user may not write it")),
        );
    assert_eq!(fs::read_to_string(&path).unwrap(), BROKEN);
    assert_eq!(names_in(dir.path()), ["chat.md"]);
}

#[test]
#[cfg_attr(
    not(tests_as_root),
    ignore = "needs root (to own a file as another user): build and run the tests as root"
)]
fn root_fixing_another_users_file_keeps_its_owner_group_and_mode() {
    let dir = tempfile::tempdir().unwrap();
    assert_root(dir.path());
    let path = write(dir.path(), "chat.md", BROKEN);
    std::os::unix::fs::chown(&path, Some(1234), Some(5678)).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o2640)).unwrap();
    chatlint()
        .args(["check", "--fix"])
        .arg(&path)
        .assert()
        .code(0);
    let metadata = fs::metadata(&path).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    assert_eq!((metadata.uid(), metadata.gid()), (1234, 5678));
    assert_eq!(metadata.permissions().mode() & 0o7777, 0o2640);
}

#[test]
#[cfg_attr(
    not(tests_as_root),
    ignore = "needs root (to own a file as another user): build and run the tests as root"
)]
fn root_keeps_the_owner_of_a_converted_output_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    assert_root(dir.path());
    let input = write(dir.path(), "2017-08-25-chat.md", FIXED);
    let out = write(dir.path(), "out.json", "old");
    std::os::unix::fs::chown(&out, Some(1234), Some(5678)).unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o600)).unwrap();
    chatlint()
        .args(["convert", "--to", "json", "--force"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(0);
    assert!(fs::read_to_string(&out).unwrap().contains("右军"));
    let metadata = fs::metadata(&out).unwrap();
    assert_eq!((metadata.uid(), metadata.gid()), (1234, 5678));
    assert_eq!(metadata.permissions().mode() & 0o777, 0o600);
}

#[test]
fn extended_attributes_are_kept_by_a_fix() {
    use xattr::FileExt;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "chat.md", BROKEN);
    // `user.*` attributes need no privilege, only a file system that has
    // them (ext4, xfs, btrfs; tmpfs since Linux 6.6): without, this fails
    // and says so rather than passing untested.
    fs::File::open(&path)
        .unwrap()
        .set_xattr("user.chatlint.origin", b"wechat export")
        .unwrap_or_else(|err| {
            panic!(
                "this test needs user extended attributes in {}: {err}",
                dir.path().display()
            )
        });
    chatlint()
        .args(["check", "--fix", "--no-cache"])
        .arg(&path)
        .assert()
        .code(0);
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    let file = fs::File::open(&path).unwrap();
    assert_eq!(
        file.get_xattr("user.chatlint.origin").unwrap().as_deref(),
        Some(&b"wechat export"[..])
    );
    assert_eq!(file.list_xattr().unwrap().count(), 1);
}

#[test]
#[cfg_attr(
    not(tests_as_root),
    ignore = "needs root (to set a trusted.* attribute): build and run the tests as root"
)]
fn root_keeps_trusted_extended_attributes_of_another_users_file() {
    use xattr::FileExt;
    let dir = tempfile::tempdir().unwrap();
    assert_root(dir.path());
    let path = write(dir.path(), "chat.md", BROKEN);
    std::os::unix::fs::chown(&path, Some(1234), Some(5678)).unwrap();
    let file = fs::File::open(&path).unwrap();
    file.set_xattr("trusted.chatlint", b"root only").unwrap();
    file.set_xattr("user.note", b"anyone").unwrap();
    chatlint()
        .args(["check", "--fix", "--no-cache"])
        .arg(&path)
        .assert()
        .code(0);
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    let file = fs::File::open(&path).unwrap();
    assert_eq!(
        file.get_xattr("trusted.chatlint").unwrap().as_deref(),
        Some(&b"root only"[..])
    );
    assert_eq!(
        file.get_xattr("user.note").unwrap().as_deref(),
        Some(&b"anyone"[..])
    );
    let metadata = fs::metadata(&path).unwrap();
    assert_eq!((metadata.uid(), metadata.gid()), (1234, 5678));
}

// --- convert -o: never rename over anything but a regular file --------------

#[test]
fn convert_writes_into_dev_stdout_and_dev_null_without_replacing_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "2017-08-25-chat.md", FIXED);
    // Without --force: nothing is replaced, so none is needed.
    let output = chatlint()
        .args(["convert", "--to", "csv", "-q"])
        .arg(&input)
        .args(["-o", "/dev/stdout"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("右军"), "{stdout:?}");
    for force in [&[][..], &["--force"][..]] {
        chatlint()
            .args(["convert", "--to", "json"])
            .args(force)
            .arg(&input)
            .args(["-o", "/dev/null"])
            .assert()
            .code(0);
        assert!(fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
    }
}

#[test]
fn convert_writes_into_a_named_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "2017-08-25-chat.md", FIXED);
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    chatlint()
        .args(["convert", "--to", "json", "--force"])
        .arg(&input)
        .arg("-o")
        .arg(&fifo)
        .assert()
        .code(0);
    assert!(reader.join().unwrap().contains("右军"));
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn convert_refuses_a_socket_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "2017-08-25-chat.md", FIXED);
    let socket = dir.path().join("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    chatlint()
        .args(["convert", "--to", "json", "--force"])
        .arg(&input)
        .arg("-o")
        .arg(&socket)
        .assert()
        .failure()
        .stderr(predicate::str::contains("neither a regular file"));
    assert!(fs::symlink_metadata(&socket)
        .unwrap()
        .file_type()
        .is_socket());
}

#[test]
fn convert_over_a_link_replaces_its_target_and_keeps_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "2017-08-25-chat.md", FIXED);
    let target = write(dir.path(), "real.json", "old");
    fs::set_permissions(&target, fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    chatlint()
        .args(["convert", "--to", "json"])
        .arg(&input)
        .arg("-o")
        .arg(&link)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("exists (--force overwrites it)"));
    assert_eq!(fs::read_to_string(&target).unwrap(), "old");
    chatlint()
        .args(["convert", "--to", "json", "--force"])
        .arg(&input)
        .arg("-o")
        .arg(&link)
        .assert()
        .code(0);
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(fs::read_to_string(&target).unwrap().contains("右军"));
    assert_eq!(
        fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        names_in(dir.path()),
        ["2017-08-25-chat.md", "link.json", "real.json"]
    );
}

// --- Temporary files ---------------------------------------------------------

#[test]
fn fix_removes_stale_temporary_files_of_killed_runs_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "chat.md", BROKEN);
    let stale = write(dir.path(), ".chatlint-Ab12Cd.tmp", "half");
    let recent = write(dir.path(), ".chatlint-Ef34Gh.tmp", "live run");
    let lookalike = write(dir.path(), ".chatlint-Ab12Cd.tmp.md", "mine");
    let long_ago = filetime::FileTime::from_unix_time(1_000_000_000, 0);
    filetime::set_file_mtime(&stale, long_ago).unwrap();
    filetime::set_file_mtime(&lookalike, long_ago).unwrap();
    chatlint()
        .args(["check", "--fix", "--no-cache"])
        .arg(&path)
        .assert()
        .code(0);
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    assert_eq!(
        names_in(dir.path()),
        [".chatlint-Ab12Cd.tmp.md", ".chatlint-Ef34Gh.tmp", "chat.md"]
    );
    assert!(recent.exists() && lookalike.exists());
}

#[test]
fn a_private_file_stays_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "chat.md", BROKEN);
    for mode in [0o600, 0o640, 0o400 | 0o200] {
        fs::write(&path, BROKEN).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        replace_file(&path, Fingerprint::of(BROKEN.as_bytes()), FIXED).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            mode
        );
    }
}

// --- Descriptors: /dev/stdin, /dev/stdout, <(cmd) -----------------------------

/// Runs `script` in bash in `dir`, with `$0` the chatlint binary.
fn in_bash(dir: &Path, script: &str) -> std::process::Output {
    std::process::Command::new("bash")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env(
            "CHATLINT_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/findings-cache"),
        )
        .arg("-c")
        .arg(script)
        .arg(assert_cmd::cargo::cargo_bin("chatlint"))
        .output()
        .unwrap()
}

#[test]
fn convert_to_dev_stdout_redirected_to_a_file_appends_and_replaces_nothing() {
    // `-o /dev/stdout` with stdout a file the shell opened: used to be
    // skipped ("exists", exit 0, an empty file) without --force, and with
    // --force renamed over, so that `>> log` lost what the log held.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", FIXED);
    let log = write(dir.path(), "log.jsonl", "an earlier line\n");
    let inode = fs::metadata(&log).unwrap().ino();
    for force in ["", "--force"] {
        let output = in_bash(
            dir.path(),
            &format!(r#""$0" convert --to jsonl -q {force} a.md -o /dev/stdout >> log.jsonl"#),
        );
        assert_eq!(output.status.code(), Some(0), "{output:?}");
    }
    let text = fs::read_to_string(&log).unwrap();
    assert!(text.starts_with("an earlier line\n"), "{text}");
    assert_eq!(text.matches("右军").count(), 2, "{text}");
    assert_eq!(fs::metadata(&log).unwrap().ino(), inode, "not renamed over");

    let output = in_bash(
        dir.path(),
        r#""$0" convert --to json a.md -o /dev/stdout > out.json"#,
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let json = fs::read_to_string(dir.path().join("out.json")).unwrap();
    assert!(json.contains("右军"), "{json:?}");
    assert_eq!(names_in(dir.path()), ["a.md", "log.jsonl", "out.json"]);
}

#[test]
fn fix_through_dev_stdin_or_a_pipe_is_refused_with_a_clear_message() {
    // `--fix /dev/stdin < a.md` used to replace a.md, which was never named;
    // `--fix <(cat a.md)` failed with "No such file or directory".
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.md", BROKEN);
    for script in [
        r#""$0" check --no-cache --fix /dev/stdin < a.md"#,
        r#"cat a.md | "$0" check --no-cache --fix /dev/stdin"#,
        r#""$0" check --no-cache --fix <(cat a.md)"#,
    ] {
        let output = in_bash(dir.path(), script);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{script}: {stderr}");
        assert!(
            stderr.contains("names a descriptor") && stderr.contains("will not replace it"),
            "{script}: {stderr}"
        );
        assert!(!stderr.contains("No such file"), "{script}: {stderr}");
        assert_eq!(fs::read_to_string(&file).unwrap(), BROKEN, "{script}");
        assert_eq!(names_in(dir.path()), ["a.md"], "{script}");
    }
}
