//! The `chatlint` binary end to end: exit codes, outputs, and fixing files in place.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
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

const BROKEN: &str = "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 7:50:02  右军  \n   \n##异地多活的case方案  \n   \n> 07:54:35  我  \n   \n![2017-08-25 07:54:35](htp://static.cocolian.cn/img/20170825_075435.png) \n   \n";
const FIXED: &str = "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 07:50:02  右军  \n   \n## 异地多活的case方案  \n   \n> 07:54:35  我  \n   \n![2017-08-25 07:54:35](http://static.cocolian.cn/img/20170825_075435.png) \n   \n";
const CLEAN: &str = "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 07:50:02  右军  \n   \n谢啦  \n   \n";

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, contents).unwrap();
    path
}

#[test]
fn exit_codes_follow_findings() {
    let dir = tempfile::tempdir().unwrap();
    let clean = write(dir.path(), "clean.md", CLEAN);
    let broken = write(dir.path(), "broken.md", BROKEN);
    chatlint()
        .arg("check")
        .arg(&clean)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("All checks passed"));
    chatlint()
        .arg("check")
        .arg(&broken)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("CL001 malformed-timestamp"))
        .stdout(predicate::str::contains("broken.md:6:3"))
        .stdout(predicate::str::contains("Found 3 findings"));
    chatlint()
        .args(["check", "does/not/exist.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does/not/exist.md"));
    chatlint()
        .args(["check", "--select", "no-such-rule"])
        .arg(&clean)
        .assert()
        .code(2);
}

#[test]
fn explicit_files_of_any_extension_but_walks_only_markdown() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.markdown", BROKEN);
    write(dir.path(), "b.md", CLEAN);
    let txt = write(dir.path(), "c.txt", BROKEN);
    let output = chatlint().arg("check").arg(dir.path()).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("a.markdown"), "{stdout}");
    assert!(!stdout.contains("c.txt"), "{stdout}");
    assert!(stdout.contains("in 1 of 2 files"), "{stdout}");
    chatlint()
        .arg("check")
        .arg(&txt)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("c.txt"));
}

#[test]
fn json_output_matches_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let broken = write(dir.path(), "broken.md", BROKEN);
    let output = chatlint()
        .args(["check", "--output-format", "json"])
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string("schemas/diagnostics.schema.json").unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&findings)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    let first = &findings[0];
    assert_eq!(first["name"], "malformed-timestamp");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(6), Some(3))
    );
    assert_eq!(first["fix"]["applicability"], "safe");
    assert_eq!(first["fix"]["edits"][0]["content"], "07:50:02");
    // Columns count characters: the image URL's scheme starts after a CJK-free alt.
    let image = &findings[2];
    assert_eq!(image["name"], "broken-image-url");
    assert_eq!(
        (image["line"].as_u64(), image["column"].as_u64()),
        (Some(12), Some(24))
    );
    // A schema that accepted anything would not catch this.
    let mut bad = findings.clone();
    bad[0]["severity"] = "fatal".into();
    assert!(!validator.is_valid(&bad));
}

#[test]
fn fix_repairs_in_place_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "chat.md", BROKEN);
    chatlint()
        .args(["check", "--fix"])
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Fixed 3 findings"));
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    let mtime = fs::metadata(&path).unwrap().modified().unwrap();
    chatlint()
        .args(["check", "--fix"])
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Fixed").not());
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), mtime);
}

#[test]
fn fix_keeps_crlf_bom_and_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let crlf = format!("\u{feff}{}", BROKEN.replace('\n', "\r\n"));
    let path = write(dir.path(), "chat.md", &crlf);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o604)).unwrap();
    // The BOM is kept unless a rule removes it on purpose: invisible-character
    // does (the archive is UTF-8 without BOM), so it is off here first.
    chatlint()
        .args(["check", "--fix", "--ignore", "invisible-character"])
        .arg(&path)
        .assert()
        .code(0);
    let expected = format!("\u{feff}{}", FIXED.replace('\n', "\r\n"));
    assert_eq!(fs::read_to_string(&path).unwrap(), expected);
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o604
    );
    chatlint()
        .args(["check", "--fix"])
        .arg(&path)
        .assert()
        .code(0);
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        FIXED.replace('\n', "\r\n"),
        "only the BOM went; the CRLF line endings stay"
    );
}

#[test]
fn fix_leaves_files_without_safe_fixes_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let clean = write(dir.path(), "clean.md", CLEAN);
    // A finding with no safe fix: the file must not be rewritten either.
    let unfixable = write(
        dir.path(),
        "unfixable.md",
        "> 25:61:00  甲  \n   \n你好  \n",
    );
    let past = filetime::FileTime::from_unix_time(1_000_000_000, 0);
    for path in [&clean, &unfixable] {
        filetime::set_file_mtime(path, past).unwrap();
    }
    chatlint()
        .args(["check", "--fix"])
        .arg(&clean)
        .arg(&unfixable)
        .assert()
        .code(1);
    for path in [&clean, &unfixable] {
        let mtime = filetime::FileTime::from_last_modification_time(&fs::metadata(path).unwrap());
        assert_eq!(mtime, past, "{} was rewritten", path.display());
    }
}

#[test]
fn fix_refuses_a_read_only_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "chat.md", BROKEN);
    let mut permissions = fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&path, permissions).unwrap();
    chatlint()
        .args(["check", "--fix"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("chat.md").and(predicate::str::contains("read-only")));
    assert_eq!(fs::read_to_string(&path).unwrap(), BROKEN);
    // Nothing else was left in the folder either.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn non_utf8_input_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    // "你好" in GBK on the second line.
    let gbk = b"---\n> 07:50:02  \xc4\xe3\xba\xc3  \n".to_vec();
    let path = write(dir.path(), "gbk.md", &gbk);
    let good = write(dir.path(), "good.md", BROKEN);
    chatlint()
        .args(["check", "--fix"])
        .arg(&path)
        .arg(&good)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("gbk.md").and(predicate::str::contains("line 2, column 13")),
        );
    assert_eq!(fs::read(&path).unwrap(), gbk);
    // The other file was still fixed.
    assert_eq!(fs::read_to_string(&good).unwrap(), FIXED);
    chatlint()
        .arg("check")
        .arg(&path)
        .assert()
        .code(2)
        .stdout(predicate::str::contains("gbk.md").not());
}

#[test]
fn stdin_is_checked_and_fixed_to_stdout() {
    chatlint()
        .args(["check", "-"])
        .write_stdin(BROKEN)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("<stdin>:6:3"));
    chatlint()
        .args(["check", "--fix", "-"])
        .write_stdin(BROKEN)
        .assert()
        .code(0)
        .stdout(FIXED);
}

#[test]
fn rule_prints_documentation() {
    chatlint()
        .args(["rule", "heading-missing-space"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("## What it does"))
        .stdout(predicate::str::contains("## Why is this bad?"))
        .stdout(predicate::str::contains("##背景 先说下"));
    chatlint()
        .args(["rule", "CL201"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("broken-image-url"));
    let listing = chatlint().args(["rule", "--all"]).output().unwrap();
    let listing = String::from_utf8(listing.stdout).unwrap();
    for rule in chatlint::registry::all() {
        assert!(listing.contains(rule.meta().name), "{listing}");
    }
    chatlint().args(["rule", "no-such-rule"]).assert().code(2);
}
