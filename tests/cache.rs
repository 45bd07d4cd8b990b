//! The results cache seen from the command line: a run that reads it reports
//! exactly what a run without it reports, whatever changed in between (the
//! text, the configuration, a fix), and `--no-cache` leaves no trace.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const CACHE_FILE: &str = ".chatlint-cache/check-v1.bin";

fn chatlint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("chatlint").unwrap();
    command
        .env("NO_COLOR", "1")
        .env_remove("CHATLINT_CACHE_DIR")
        .current_dir(dir);
    command
}

/// The output and exit code of `chatlint check ARGS` in `dir`.
fn check(dir: &Path, args: &[&str]) -> (String, i32) {
    let output = chatlint(dir).arg("check").args(args).output().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        output.status.code().unwrap(),
    )
}

/// The same check with and without the cache, which must agree.
fn check_both_ways(dir: &Path, args: &[&str]) -> (String, i32) {
    let cached = check(dir, args);
    let uncached = check(dir, &[&["--no-cache"], args].concat());
    assert_eq!(cached, uncached, "{args:?}");
    cached
}

/// The sample transcripts copied into a fresh folder.
fn sample_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts");
    fs::create_dir(&posts).unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample");
    for entry in fs::read_dir(samples).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, posts.join(path.file_name().unwrap())).unwrap();
    }
    (dir, posts)
}

#[test]
fn a_second_run_reports_the_same_from_the_cache_in_every_format() {
    let (dir, _) = sample_folder();
    for format in ["full", "concise", "json", "sarif", "github", "junit"] {
        let args = ["--select", "ALL", "--output-format", format, "posts"];
        let first = check(dir.path(), &args);
        assert!(dir.path().join(CACHE_FILE).is_file());
        assert_eq!(first.1, 1, "the samples have findings");
        let cache_before = fs::read(dir.path().join(CACHE_FILE)).unwrap();
        assert_eq!(check_both_ways(dir.path(), &args), first, "{format}");
        // Nothing was checked afresh, so nothing was rewritten.
        assert_eq!(fs::read(dir.path().join(CACHE_FILE)).unwrap(), cache_before);
    }
    let statistics = ["--statistics", "posts"];
    check(dir.path(), &statistics);
    let (counts, code) = check_both_ways(dir.path(), &statistics);
    assert_eq!(code, 1);
    assert!(
        counts.contains("CL101") && counts.contains("CL001"),
        "{counts}"
    );
}

#[test]
fn an_edited_file_is_checked_again() {
    let (dir, posts) = sample_folder();
    let args = ["--output-format", "concise", "posts"];
    let (before, _) = check(dir.path(), &args);
    let file = posts.join("2018-03-01-chat.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, format!("{text}> 23:59:59  新人\n   \n##新标题\n")).unwrap();
    let (after, _) = check_both_ways(dir.path(), &args);
    assert_ne!(after, before);
    assert!(after.contains("CL101 heading-missing-space"), "{after}");
    // And back: the old text's findings again.
    fs::write(&file, text).unwrap();
    assert_eq!(check_both_ways(dir.path(), &args).0, before);
}

#[test]
fn a_changed_configuration_is_obeyed() {
    let (dir, posts) = sample_folder();
    // A message sent twice, and the same text under two names a second
    // apart: twins only when `aliases:` makes the names one person's.
    let file = posts.join("2018-03-01-chat.md");
    let text = fs::read_to_string(&file).unwrap();
    let twins = "> 23:59:57  甲\n   \n好\n   \n> 23:59:57  甲\n   \n好\n   \n\
                 > 23:59:58  丙\n   \n晚安\n   \n> 23:59:59  乙\n   \n晚安\n   \n";
    fs::write(&file, format!("{text}{twins}")).unwrap();
    let args = ["--output-format", "concise", "posts"];
    let (before, _) = check(dir.path(), &args);
    assert_eq!(before.matches("CL301").count(), 1, "{before}");
    fs::write(posts.join(".chatlint.yaml"), "aliases: {乙: 丙}\n").unwrap();
    let (aliased, _) = check_both_ways(dir.path(), &args);
    assert_eq!(aliased.matches("CL301").count(), 2, "{aliased}");
    fs::write(posts.join(".chatlint.yaml"), "ignore: [CL301]\n").unwrap();
    let (after, _) = check_both_ways(dir.path(), &args);
    assert!(!after.contains("CL301") && !after.is_empty(), "{after}");
    // An option's value is part of the settings too.
    fs::write(
        posts.join(".chatlint.yaml"),
        "rules:\n  duplicate-message:\n    max-distance: 0\n",
    )
    .unwrap();
    let (no_distance, _) = check_both_ways(dir.path(), &args);
    assert!(!no_distance.contains("CL301"), "{no_distance}");
    fs::remove_file(posts.join(".chatlint.yaml")).unwrap();
    assert_eq!(check_both_ways(dir.path(), &args).0, before);
}

/// The cache's key holds the options, not how they are written: a
/// configuration that says the same (a comment, the default written out,
/// an option of a rule that does not run) finds every file in the cache,
/// and changing one option checks every file again.
#[test]
fn the_cache_is_kept_while_the_options_mean_the_same() {
    let (dir, posts) = sample_folder();
    let cache = dir.path().join(CACHE_FILE);
    let config = posts.join(".chatlint.yaml");
    let args = ["--output-format", "concise", "posts"];
    fs::write(&config, "rules:\n  duplicate-message: {max-distance: 4}\n").unwrap();
    let first = check(dir.path(), &args);
    let written = fs::read(&cache).unwrap();
    for same in [
        "rules:\n  duplicate-message:\n    max-distance: 4  # messages\n",
        "rules:\n  CL301: {keep: canonical, max-distance: 4}\n",
        "rules:\n  duplicate-message: {max-distance: 4}\n  header-layout: {severity: off}\n",
    ] {
        fs::write(&config, same).unwrap();
        assert_eq!(check(dir.path(), &args), first, "{same}");
        assert_eq!(fs::read(&cache).unwrap(), written, "checked again: {same}");
    }
    fs::write(&config, "rules:\n  duplicate-message: {max-distance: 5}\n").unwrap();
    assert_eq!(check_both_ways(dir.path(), &args), first);
    assert_ne!(fs::read(&cache).unwrap(), written, "not checked again");
}

#[test]
fn after_a_fix_the_fixed_text_is_reported() {
    let (dir, _) = sample_folder();
    let args = ["--output-format", "concise", "posts"];
    let (before, _) = check(dir.path(), &args);
    assert!(before.contains("[*]"), "{before}");
    let fixing = chatlint(dir.path())
        .args(["check", "--fix", "posts"])
        .output()
        .unwrap();
    assert!(
        fixing.status.code().is_some_and(|code| code <= 1),
        "{fixing:?}"
    );
    let (after, _) = check_both_ways(dir.path(), &args);
    assert!(!after.contains("[*]"), "{after}");
}

#[test]
fn no_cache_writes_nothing_and_the_folder_can_be_moved() {
    let (dir, _) = sample_folder();
    check(dir.path(), &["--no-cache", "posts"]);
    assert!(!dir.path().join(".chatlint-cache").exists());

    let elsewhere = dir.path().join("elsewhere");
    let output = chatlint(dir.path())
        .env("CHATLINT_CACHE_DIR", &elsewhere)
        .args(["check", "posts"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(elsewhere.join("check-v1.bin").is_file());
    assert_eq!(
        fs::read_to_string(elsewhere.join(".gitignore")).unwrap(),
        "# Written by chatlint: cached results.\n*\n"
    );
    assert!(!dir.path().join(".chatlint-cache").exists());
}

#[test]
fn an_unwritable_cache_folder_warns_and_changes_nothing_else() {
    let (dir, _) = sample_folder();
    // A file where the folder should be: it cannot be created.
    let blocked = dir.path().join("blocked");
    fs::write(&blocked, "").unwrap();
    let output = chatlint(dir.path())
        .env("CHATLINT_CACHE_DIR", &blocked)
        .args(["check", "--output-format", "concise", "posts"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("warning: the cache was not written"),
        "{stderr}"
    );
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        check(
            dir.path(),
            &["--no-cache", "--output-format", "concise", "posts"]
        )
        .0
    );
}

/// Issue 10: zeroing one byte of the cache file turned a failing file into
/// "All checks passed". Whatever byte is damaged, the next run reports what
/// a run without the cache reports.
#[test]
fn a_damaged_cache_file_never_changes_what_a_run_reports() {
    let (dir, _) = sample_folder();
    let args = ["--select", "ALL", "posts"];
    let uncached = check(dir.path(), &[&["--no-cache"], &args[..]].concat());
    assert_eq!(uncached.1, 1, "the samples have findings");
    check(dir.path(), &args);
    let cache_file = dir.path().join(CACHE_FILE);
    let intact = fs::read(&cache_file).unwrap();
    // Every byte would be thousands of runs: positions spread over the file,
    // with the first bytes (the checksum and header) all included.
    let step = (intact.len() / 48).max(1);
    let positions = (0..16.min(intact.len())).chain((16..intact.len()).step_by(step));
    for position in positions {
        for damage in [0x00, intact[position] ^ 0x10] {
            let mut damaged = intact.clone();
            damaged[position] = damage;
            fs::write(&cache_file, &damaged).unwrap();
            assert_eq!(
                check(dir.path(), &args),
                uncached,
                "byte {position} of {} set to {damage:#04x}",
                intact.len()
            );
        }
    }
}
