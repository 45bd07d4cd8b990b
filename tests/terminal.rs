//! What a person at a terminal sees: `--color` and the environment's colour
//! conventions, the summary's count of unsafe fixes, `--show-files` and
//! `--show-settings`.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

/// A bad timestamp (a safe fix) and a would-be heading longer than
/// `max-heading-length` (an unsafe fix).
fn transcript() -> String {
    format!(
        "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 7:50:02  甲  \n   \n##{}  \n",
        "长".repeat(100)
    )
}

/// chatlint in `dir` with no colour variables inherited.
fn chatlint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("chatlint").unwrap();
    command
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS");
    command
}

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), transcript()).unwrap();
    fs::write(dir.path().join("README.md"), "# The archive\n\nNotes.\n").unwrap();
    fs::create_dir(dir.path().join("posts")).unwrap();
    fs::write(dir.path().join("posts/b.md"), transcript()).unwrap();
    dir
}

fn stdout(command: &mut Command) -> String {
    let output = command.output().unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn color_follows_the_flag_and_the_environment() {
    let dir = folder();
    let escape = "\u{1b}[";
    let run = |args: &[&str], vars: &[(&str, &str)]| {
        let mut command = chatlint(dir.path());
        command.args(["check", "--no-cache", "a.md"]).args(args);
        for (name, value) in vars {
            command.env(name, value);
        }
        stdout(&mut command)
    };
    // Into a pipe: no colour unless asked for.
    assert!(!run(&[], &[]).contains(escape));
    assert!(run(&["--color", "always"], &[]).contains(escape));
    assert!(run(&[], &[("FORCE_COLOR", "1")]).contains(escape));
    assert!(run(&[], &[("CLICOLOR_FORCE", "1")]).contains(escape));
    assert!(!run(&[], &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]).contains(escape));
    assert!(!run(&["--color", "never"], &[("FORCE_COLOR", "1")]).contains(escape));
    // The flag wins over NO_COLOR.
    assert!(run(&["--color", "always"], &[("NO_COLOR", "1")]).contains(escape));
    // Coloured or not, the same text.
    let strip = |text: String| {
        let mut plain = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(escape) {
            plain.push_str(&rest[..at]);
            let after = &rest[at..];
            rest = &after[after.find('m').unwrap() + 1..];
        }
        plain + rest
    };
    assert_eq!(strip(run(&["--color", "always"], &[])), run(&[], &[]));
}

#[test]
fn the_summary_counts_what_unsafe_fixes_would_add_before_and_after_fix() {
    let dir = folder();
    let checked = stdout(chatlint(dir.path()).args(["check", "--no-cache", "a.md"]));
    assert!(
        checked.ends_with(
            "1 fixable with `chatlint check --fix`, 1 more with `--unsafe-fixes` (review them: unsafe fixes may change meaning).\n"
        ),
        "{checked}"
    );
    let fixed = stdout(chatlint(dir.path()).args(["check", "--no-cache", "--fix", "a.md"]));
    assert!(
        fixed.contains("Fixed 1 finding.")
            && fixed.ends_with(
                "1 fixable with `chatlint check --fix --unsafe-fixes` (review them: unsafe fixes may change meaning).\n"
            ),
        "{fixed}"
    );
    let all = stdout(chatlint(dir.path()).args([
        "check",
        "--no-cache",
        "--fix",
        "--unsafe-fixes",
        "a.md",
    ]));
    assert!(!all.contains("unsafe-fixes"), "{all}");
}

#[test]
fn show_files_lists_what_would_be_checked_and_checks_nothing() {
    let dir = folder();
    let before = fs::read_to_string(dir.path().join("a.md")).unwrap();
    let output = chatlint(dir.path())
        .args(["check", "--show-files", "."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let listed = String::from_utf8(output.stdout).unwrap();
    let mut lines: Vec<&str> = listed.lines().collect();
    lines.sort_unstable();
    assert_eq!(lines, ["a.md", "posts/b.md"]);
    let notes = String::from_utf8(output.stderr).unwrap();
    assert!(
        notes.contains("skipped, not a transcript: README.md"),
        "{notes}"
    );
    // Nothing checked: no findings printed, no cache, the files untouched.
    assert!(!dir.path().join(".chatlint-cache").exists());
    assert_eq!(fs::read_to_string(dir.path().join("a.md")).unwrap(), before);
    // Named explicitly, any Markdown file is checked, so listed.
    let named = stdout(chatlint(dir.path()).args(["check", "--show-files", "README.md"]));
    assert_eq!(named, "README.md\n");
}

#[test]
fn show_settings_gives_the_configuration_chain_and_every_option() {
    let dir = folder();
    fs::write(dir.path().join("base.yaml"), "select: [CL001, CL101]\n").unwrap();
    fs::write(
        dir.path().join("posts/.chatlint.yaml"),
        "extends: ../base.yaml\nrules:\n  heading-missing-space: {severity: error, max-heading-length: 120}\naliases:\n  我: 李雄峰\n",
    )
    .unwrap();
    let shown = stdout(chatlint(dir.path()).args([
        "check",
        "--show-settings",
        "--extend-select",
        "CL004",
        "posts",
    ]));
    let root = fs::canonicalize(dir.path()).unwrap();
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines[0], "Settings for posts/b.md", "{shown}");
    let base = format!("  {}", root.join("base.yaml").display());
    let own = format!("  {}", root.join("posts/.chatlint.yaml").display());
    let base_at = lines
        .iter()
        .position(|l| *l == base || l.ends_with("/base.yaml"));
    let own_at = lines
        .iter()
        .position(|l| *l == own || l.ends_with("posts/.chatlint.yaml"));
    assert!(base_at.is_some() && base_at < own_at, "{shown}");
    assert!(
        shown.contains("Rules that run (3):\n")
            && shown.contains("CL001  malformed-timestamp    error\n")
            && shown.contains("CL004  missing-day-heading    warning\n")
            && shown
                .contains("CL101  heading-missing-space  error    {\"max-heading-length\":120}\n"),
        "{shown}"
    );
}

#[test]
fn the_report_fits_the_width_columns_gives() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("{}&amp;#160;{}", "长文".repeat(75), "段落".repeat(75));
    let text = format!(
        "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 07:50:02  甲  \n   \n{long}  \n   \n"
    );
    fs::write(dir.path().join("a.md"), text).unwrap();
    let report = |columns: Option<&str>| {
        let mut command = chatlint(dir.path());
        command.args(["check", "--no-cache", "--color", "never", "a.md"]);
        if let Some(columns) = columns {
            command.env("COLUMNS", columns);
        }
        stdout(&mut command)
    };
    use unicode_width::UnicodeWidthStr;
    for width in [40, 60, 100] {
        let shown = report(Some(&width.to_string()));
        assert!(shown.contains("&amp;#160;"), "{shown}");
        // Every source line (after its gutter) fits, the finding's label
        // under it included.
        for line in shown.lines().filter(|line| line.contains(" │ ")) {
            assert!(
                line.width() <= width,
                "{width}: {line:?} is {}",
                line.width()
            );
        }
        assert!(shown.contains('…'), "{shown}");
    }
    // Without a width (a pipe, no COLUMNS), lines are cut at 160 characters
    // around the label, as before.
    let piped = report(None);
    let source_line = piped
        .lines()
        .find(|line| line.contains(" │ ") && line.contains("&amp;#160;"))
        .unwrap();
    assert!(source_line.width() > 100, "{source_line}");
}
