//! Issue 13, item 6: a walk reads transcripts only. A Markdown file with no
//! message header and no front matter with the keys `front-matter` requires
//! (a README beside the posts) is skipped by the walks of `check` and
//! `convert`, which say how many they skipped; a file named on the command
//! line is read whatever it holds. A skipped file gets no findings, not even
//! from the cache, is never written by `--fix`, and has no output in a
//! converted tree.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Checked when named: a heading without its space (a safe fix).
const README: &str = "# 说明\n\n##背景 这个文件夹放聊天记录。\n";
/// A Jekyll page: front matter without `date`.
const PAGE: &str = "---\nlayout: page\ntitle: About\n---\n##关于 这里\n";
/// A post whose messages are gone: a transcript by its front matter, with a
/// title that disagrees with the file name.
const EMPTY_POST: &str =
    "---\nlayout: source\ntitle: \"2017-08-26-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n";

/// `dir/posts`: the three samples, the empty post, a README and, in
/// `docs/`, a page; `dir/docs`: a README and a page only.
fn archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts");
    fs::create_dir_all(posts.join("docs")).unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample");
    for entry in fs::read_dir(samples).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, posts.join(path.file_name().unwrap())).unwrap();
    }
    fs::write(posts.join("2017-08-25-empty.md"), EMPTY_POST).unwrap();
    fs::write(posts.join("README.md"), README).unwrap();
    fs::write(posts.join("docs/about.md"), PAGE).unwrap();
    fs::create_dir(dir.path().join("docs")).unwrap();
    fs::write(dir.path().join("docs/README.md"), README).unwrap();
    fs::write(dir.path().join("docs/about.md"), PAGE).unwrap();
    dir
}

/// `chatlint ARGS` in `dir`, its cache in `dir/cache`: exit code, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_chatlint"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CHATLINT_CACHE_DIR", dir.join("cache"))
        .args(args)
        .output()
        .unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (
        output.status.code().unwrap(),
        text(output.stdout),
        text(output.stderr),
    )
}

const SKIPPED_TWO: &str = "chatlint: posts: skipped 2 Markdown files that are not transcripts \
                           (no message header, no front matter with the keys front-matter requires; \
                           name a file to read it anyway)\n";

#[test]
fn a_walk_skips_what_is_not_a_transcript_and_says_how_many() {
    let dir = archive();
    let (code, stdout, stderr) = run(
        dir.path(),
        &["check", "--output-format", "concise", "posts"],
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(stderr, SKIPPED_TWO);
    let files: Vec<&str> = stdout
        .lines()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert!(files.contains(&"posts/2017-08-25-chat.md"), "{stdout}");
    // The post without messages is a transcript, checked.
    assert!(stdout.contains("posts/2017-08-25-empty.md:3:"), "{stdout}");
    assert!(
        !stdout.contains("README") && !stdout.contains("about"),
        "{stdout}"
    );
    // The summary counts the files checked: the samples and the empty post.
    let (code, stdout, stderr) = run(dir.path(), &["check", "posts"]);
    assert_eq!(code, 1);
    assert!(
        stdout.ends_with(
            "Found 3 findings in 2 of 4 files. 2 fixable with `chatlint check --fix`, 1 more with `--unsafe-fixes` (review them: unsafe fixes may change meaning).\n"
        ),
        "{stdout}"
    );
    assert_eq!(stderr, SKIPPED_TWO);
    // The note is on stderr whatever the format; --quiet silences it.
    let (_, stdout, stderr) = run(dir.path(), &["check", "--output-format", "json", "posts"]);
    assert_eq!(stderr, SKIPPED_TWO);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    assert!(findings
        .iter()
        .all(|f| !f["path"].as_str().unwrap().contains("README")));
    let (code, _, stderr) = run(dir.path(), &["check", "-q", "posts"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
}

#[test]
fn a_file_named_is_read_whatever_it_holds() {
    let dir = archive();
    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "posts/README.md",
            "docs/about.md",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stderr, "");
    assert!(stdout.contains("posts/README.md:3:1: CL101"), "{stdout}");
    assert!(stdout.contains("docs/about.md:5:1: CL101"), "{stdout}");
    // The fixture shows it: named, a README is checked and has no finding.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/front-matter/readme-not-a-transcript.md");
    let (code, stdout, _) = run(dir.path(), &["check", fixture.to_str().unwrap()]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "All checks passed (1 file).\n")
    );
    // And converted, it is converted.
    let (code, stdout, _) = run(dir.path(), &["convert", "--to", "md", "posts/README.md"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "# 说明\n\n## 背景 这个文件夹放聊天记录。\n");
}

#[test]
fn a_walk_that_finds_no_transcript_fails_as_an_empty_folder_does() {
    let dir = archive();
    let holds_none = "docs: holds no transcript (2 Markdown files found: no message header, \
                      no front matter with the keys front-matter requires; name a file to read it anyway)";
    for format in ["full", "json"] {
        let (code, stdout, stderr) = run(dir.path(), &["check", "--output-format", format, "docs"]);
        assert_eq!(code, 2, "{stdout}{stderr}");
        assert!(stderr.contains(holds_none), "{stderr}");
        assert!(!stdout.contains("All checks passed"), "{stdout}");
    }
    // Beside a folder with transcripts, it still fails the run; the other is checked.
    let (code, stdout, stderr) = run(
        dir.path(),
        &["check", "--output-format", "concise", "posts", "docs"],
    );
    assert_eq!(code, 2);
    assert!(stdout.contains("posts/2017-08-25-chat.md"), "{stdout}");
    assert!(
        stderr.contains(holds_none) && stderr.contains(SKIPPED_TWO),
        "{stderr}"
    );
    // convert fails alike, and makes nothing: not even the output folder.
    for to in ["json", "md"] {
        let (code, _, stderr) = run(
            dir.path(),
            &["convert", "--to", to, "docs", "-o", "made/out"],
        );
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains(&format!("failed: {holds_none}")),
            "{stderr}"
        );
        assert!(!dir.path().join("made").exists());
    }
    // An output folder that was there stays.
    fs::create_dir(dir.path().join("kept")).unwrap();
    let (code, _, _) = run(
        dir.path(),
        &["convert", "--to", "json", "docs", "-o", "kept"],
    );
    assert_eq!(code, 2);
    assert!(dir.path().join("kept").is_dir());
}

/// Every file under `dir`, relative to it, sorted.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .build()
        .map(|entry| entry.unwrap().into_path())
        .filter(|path| path.is_file())
        .map(|path| path.strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

#[test]
fn a_converted_tree_has_no_output_for_what_is_not_a_transcript() {
    let dir = archive();
    for to in ["json", "jsonl", "csv", "xml", "md"] {
        let out = format!("out-{to}");
        let (code, _, stderr) = run(dir.path(), &["convert", "--to", to, "posts", "-o", &out]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(
            stderr,
            format!("{SKIPPED_TWO}Converted 4, skipped 0, failed 0 (to {to}).\n")
        );
        let expected: Vec<PathBuf> = [
            "2017-05-05-chat",
            "2017-08-25-chat",
            "2017-08-25-empty",
            "2018-03-01-chat",
        ]
        .iter()
        .map(|name| PathBuf::from(format!("{name}.{to}")))
        .collect();
        // No README, and no `docs/` folder for the page alone.
        assert_eq!(tree(&dir.path().join(&out)), expected, "{to}");
    }
    // Converted again without --force: the outputs are skipped as existing,
    // the README still as not a transcript.
    let (code, _, stderr) = run(
        dir.path(),
        &["convert", "--to", "md", "posts", "-o", "out-md"],
    );
    assert_eq!(code, 0);
    assert!(
        stderr.ends_with("Converted 0, skipped 4, failed 0 (to md).\n"),
        "{stderr}"
    );
    assert!(stderr.starts_with(SKIPPED_TWO), "{stderr}");
    // --quiet says nothing.
    let (code, _, stderr) = run(
        dir.path(),
        &["convert", "-q", "--to", "csv", "posts", "-o", "quiet"],
    );
    assert_eq!((code, stderr.as_str()), (0, ""));
}

#[test]
fn the_cache_never_gives_a_skipped_file_findings() {
    let dir = archive();
    let readme_line = "posts/README.md:3:1: CL101";
    // Named, the README's finding is cached.
    let (code, stdout, _) = run(
        dir.path(),
        &["check", "--output-format", "concise", "posts/README.md"],
    );
    assert_eq!(code, 1);
    assert!(stdout.contains(readme_line), "{stdout}");
    let cache = dir.path().join("cache/check-v1.bin");
    let readme = fs::canonicalize(dir.path().join("posts/README.md")).unwrap();
    let holds = |path: &Path| {
        let bytes = fs::read(&cache).unwrap();
        let path = path.to_str().unwrap().as_bytes();
        bytes.windows(path.len()).any(|w| w == path)
    };
    assert!(
        holds(&readme),
        "the cache keeps the README's findings when it is named"
    );
    // Walked, the README is skipped: its cached findings are not reported.
    let (_, stdout, _) = run(
        dir.path(),
        &["check", "--output-format", "concise", "posts"],
    );
    assert!(!stdout.contains("README"), "{stdout}");
    assert!(stdout.contains("posts/2017-08-25-chat.md"), "{stdout}");
    // A walk with a fresh cache keeps the transcripts' findings, not the README's.
    fs::remove_dir_all(dir.path().join("cache")).unwrap();
    let (_, stdout, _) = run(
        dir.path(),
        &["check", "--output-format", "concise", "posts"],
    );
    assert!(!stdout.contains("README"), "{stdout}");
    let sample = fs::canonicalize(dir.path().join("posts/2017-08-25-chat.md")).unwrap();
    assert!(holds(&sample));
    assert!(!holds(&readme), "a skipped file got a cache entry");
}

#[test]
fn fix_and_diff_never_touch_a_skipped_file() {
    let dir = archive();
    let readme = dir.path().join("posts/README.md");
    let page = dir.path().join("posts/docs/about.md");
    let modified = |path: &Path| fs::metadata(path).unwrap().modified().unwrap();
    let (before, page_before) = (modified(&readme), modified(&page));
    let (code, stdout, stderr) = run(dir.path(), &["check", "--diff", "posts"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("2017-08-25-chat.md"), "{stdout}");
    assert!(
        !stdout.contains("README") && !stdout.contains("about"),
        "{stdout}"
    );
    let (code, stdout, stderr) = run(dir.path(), &["check", "--fix", "posts"]);
    // The empty post's title has an unsafe fix only: a finding remains.
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("Fixed 2 findings in posts/2017-08-25-chat.md"),
        "{stdout}"
    );
    assert!(!stdout.contains("README"), "{stdout}");
    assert_eq!(fs::read_to_string(&readme).unwrap(), README);
    assert_eq!(fs::read_to_string(&page).unwrap(), PAGE);
    assert_eq!((modified(&readme), modified(&page)), (before, page_before));
    // Named, it is fixed.
    let (code, _, stderr) = run(dir.path(), &["check", "--fix", "posts/README.md"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        fs::read_to_string(&readme).unwrap(),
        README.replace("##背景", "## 背景")
    );
}
