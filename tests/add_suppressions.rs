//! `check --add-suppressions`: a `chatlint-disable-next-line` comment above
//! each line with findings, written through the fix engine; on a copy of
//! the real archive and on small files.

mod resources;

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn chatlint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("chatlint").unwrap();
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CHATLINT_CACHE_DIR", dir.join("cache"));
    command
}

/// Every `*.json` under `dir`, by its path relative to `dir`.
fn json_tree(dir: &Path) -> std::collections::BTreeMap<String, serde_json::Value> {
    let mut files = std::collections::BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                let value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
                files.insert(name, value);
            }
        }
    }
    files
}

/// A converted document without what added comment lines must change:
/// every `line` (the lines below a comment move down), and where the
/// comments are listed: each message's `suppressions`, and the
/// `preamble_suppressions` (a comment above the first header stands there).
fn without_comment_places(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("line");
            map.remove("suppressions");
            map.remove("preamble_suppressions");
            map.values_mut().for_each(without_comment_places);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_comment_places),
        _ => {}
    }
}

/// The Must-show of issue 13: `--add-suppressions` over a copy of the
/// archive, then `check` exits 0, and the JSON of every file is what it
/// was, but for where the comments are.
#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn suppressing_the_archive_leaves_it_clean_and_its_data_unchanged() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    resources::copy_tree(&resources::corpus_dir(), &dir.join("corpus"));
    let convert = |to: &str| {
        chatlint(dir)
            .args(["convert", "--to", "json", "corpus", "-o", to])
            .assert()
            .success();
        json_tree(&dir.join(to))
    };
    let before = convert("before");

    let output = chatlint(dir)
        .args(["check", "--add-suppressions", "corpus"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let added: usize = stdout
        .lines()
        .last()
        .and_then(|l| l.strip_prefix("Added "))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(added > 5000, "{stdout}");
    assert!(
        stdout.ends_with("All checks passed (449 files).\n"),
        "{stdout}"
    );

    chatlint(dir)
        .args(["check", "--no-cache", "corpus"])
        .assert()
        .code(0);

    let after = convert("after");
    assert_eq!(before.len(), after.len());
    let mut with_comments = 0;
    for (name, mut old) in before {
        let mut new = after[&name].clone();
        with_comments += usize::from(old != new);
        without_comment_places(&mut old);
        without_comment_places(&mut new);
        assert!(old == new, "{name}: the data changed");
    }
    assert!(with_comments > 100, "{with_comments}");
}

const FRONT: &str =
    "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n";

/// One comment per line, naming every rule found there; a duplicate's
/// comment above its header; nothing in front matter or code fences; a
/// line below another `disable-next-line` comment left as it is.
#[test]
fn comments_go_where_they_suppress_and_nowhere_else() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let text = format!(
        "{FRONT}> 07:50:02  甲  \n   \n##背景 &amp;gt;  \n   \n> 07:50:02  甲  \n   \n##背景 &amp;gt;  \n   \n\
         > 08:00:00  乙  \n   \n```  \n##代码  \n```  \n   \n\
         <!-- chatlint-disable-next-line escaped-html-entity -->  \n##标题 &amp;gt;  \n"
    );
    fs::write(dir.join("a.md"), &text).unwrap();
    let output = chatlint(dir)
        .args(["check", "--add-suppressions", "a.md"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    // The heading below the existing comment still has its finding.
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("Added 3 suppression comments in a.md"),
        "{stdout}"
    );
    let fixed = fs::read_to_string(dir.join("a.md")).unwrap();
    let expected = format!(
        "{FRONT}> 07:50:02  甲  \n   \n\
         <!-- chatlint-disable-next-line heading-missing-space, escaped-html-entity -->\n##背景 &amp;gt;  \n   \n\
         <!-- chatlint-disable-next-line duplicate-message -->\n> 07:50:02  甲  \n   \n\
         <!-- chatlint-disable-next-line heading-missing-space, escaped-html-entity -->\n##背景 &amp;gt;  \n   \n\
         > 08:00:00  乙  \n   \n```  \n##代码  \n```  \n   \n\
         <!-- chatlint-disable-next-line escaped-html-entity -->  \n##标题 &amp;gt;  \n"
    );
    assert_eq!(fixed, expected);
    let output = chatlint(dir)
        .args(["check", "--output-format", "concise", "a.md"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "a.md:24:1: CL101 heading-missing-space Heading `##` has no space after it; it renders as plain text [*]\n"
    );
    // Again: nothing more to add, the file untouched.
    let output = chatlint(dir)
        .args(["check", "--add-suppressions", "a.md"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(fs::read_to_string(dir.join("a.md")).unwrap(), expected);

    // A finding in the front matter cannot be suppressed from a line of its
    // own: the file is left as it is and the finding reported.
    let no_title =
        "---\nlayout: source\ndate: 2017-08-25 12:00:00\n---\n> 07:50:02  甲  \n   \n好  \n";
    fs::write(dir.join("b.md"), no_title).unwrap();
    let output = chatlint(dir)
        .args([
            "check",
            "--add-suppressions",
            "--output-format",
            "concise",
            "b.md",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout.contains("CL601 front-matter"), "{stdout}");
    assert_eq!(fs::read_to_string(dir.join("b.md")).unwrap(), no_title);
}

/// The comment takes the file's usual line break, and standard input gets
/// its text back on standard output, as with `--fix`.
#[test]
fn comments_keep_the_line_breaks_and_stdin_is_printed() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let text = format!("{FRONT}> 07:50:02  甲  \n   \n##背景  \n").replace('\n', "\r\n");
    fs::write(dir.join("a.md"), &text).unwrap();
    chatlint(dir)
        .args(["check", "--add-suppressions", "a.md"])
        .assert()
        .code(0);
    let fixed = fs::read_to_string(dir.join("a.md")).unwrap();
    assert_eq!(
        fixed,
        text.replace(
            "##背景",
            "<!-- chatlint-disable-next-line heading-missing-space -->\r\n##背景"
        )
    );
    chatlint(dir)
        .args(["check", "--add-suppressions", "-"])
        .write_stdin(text.clone())
        .assert()
        .code(0)
        .stdout(fixed);
    // Not with --fix, --diff or a baseline.
    for other in [
        "--fix",
        "--diff",
        "--baseline=b.json",
        "--write-baseline=b.json",
    ] {
        chatlint(dir)
            .args(["check", "--add-suppressions", other, "a.md"])
            .assert()
            .code(2);
    }
}
