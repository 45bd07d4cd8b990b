//! `missing-day-heading`'s unsafe fix on the fixtures of merged days: the
//! headings it inserts are the right dates, after fixing neither it nor
//! `time-runs-backwards` finds a new day again, and `convert` then dates
//! every message on its own day.

use std::path::Path;

use assert_cmd::Command;

/// A fixture's text with its `{rule}` marks taken off (they stand after
/// the header's two trailing spaces).
fn unmarked(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/missing-day-heading")
        .join(name);
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .map(|line| match line.find("  {") {
            Some(at) if line.starts_with("> ") => &line[..at + 2],
            _ => line,
        })
        .map(|line| format!("{line}\n"))
        .collect()
}

/// `chatlint` in `dir` (its cache, if any, stays there).
fn chatlint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("chatlint").unwrap();
    command.current_dir(dir);
    command
}

/// Fixes `name` with `--unsafe-fixes` in a folder of its own; the fixed
/// text, the rules still finding something after, and each message's date
/// as `convert` gives it.
fn fix_and_date(name: &str) -> (String, Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), unmarked(name)).unwrap();
    chatlint(dir.path())
        .args(["check", "--fix", "--unsafe-fixes", "--exit-zero", name])
        .assert()
        .success();
    let fixed = std::fs::read_to_string(dir.path().join(name)).unwrap();
    let left = chatlint(dir.path())
        .args(["check", "--output-format", "json", "--exit-zero", name])
        .output()
        .unwrap();
    let left: serde_json::Value = serde_json::from_slice(&left.stdout).unwrap();
    let rules = left
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_string())
        .collect();
    let converted = chatlint(dir.path())
        .args(["convert", "--to", "jsonl", name])
        .output()
        .unwrap();
    let dates = String::from_utf8(converted.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let message: serde_json::Value = serde_json::from_str(line).unwrap();
            message["date"].as_str().unwrap_or("no date").to_string()
        })
        .collect();
    (fixed, rules, dates)
}

/// `counts` messages on each day from `first` on (`YYYY-MM-DD`, same month).
fn days(first: &str, counts: &[usize]) -> Vec<String> {
    let day: usize = first[8..].parse().unwrap();
    counts
        .iter()
        .enumerate()
        .flat_map(|(i, &n)| std::iter::repeat_n(format!("{}{:02}", &first[..8], day + i), n))
        .collect()
}

#[test]
fn merged_days_get_their_headings_and_their_dates() {
    let (fixed, left, dates) = fix_and_date("2017-12-09-merged-days.md");
    assert!(
        fixed.contains("   \n## 2017-12-10\n   \n> 08:47:33  甲  \n"),
        "{fixed}"
    );
    assert!(
        fixed.contains("   \n## 2017-12-11\n   \n> 07:58:00  甲  \n"),
        "{fixed}"
    );
    assert_eq!(fixed.matches("## 2017-").count(), 2);
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(dates, days("2017-12-09", &[6, 7, 6]));
}

#[test]
fn a_message_out_of_order_stays_reported_and_gets_no_heading() {
    let (fixed, left, dates) = fix_and_date("2017-12-13-both.md");
    assert!(
        fixed.contains("\n## 2017-12-14\n   \n> 08:10:00"),
        "{fixed}"
    );
    assert!(
        fixed.contains("\n## 2017-12-15\n   \n> 09:30:00"),
        "{fixed}"
    );
    assert_eq!(fixed.matches("## 2017-").count(), 2);
    assert_eq!(left, ["time-runs-backwards"]);
    assert_eq!(dates, days("2017-12-13", &[6, 3 + 1 + 9, 6]));

    let (fixed, left, _) = fix_and_date("2017-12-12-out-of-order.md");
    assert!(!fixed.contains("## "), "{fixed}");
    assert_eq!(left, ["time-runs-backwards"]);
}

#[test]
fn a_heading_above_and_a_night_past_midnight_count_the_day() {
    let (fixed, left, dates) = fix_and_date("2017-05-05-headings.md");
    assert!(
        fixed.contains("\n## 2017-05-07\n   \n> 07:30:00"),
        "{fixed}"
    );
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(dates, days("2017-05-05", &[6, 6, 6]));

    let (fixed, left, dates) = fix_and_date("2017-12-20-past-midnight.md");
    assert!(
        fixed.contains("\n## 2017-12-21\n   \n> 00:01:00"),
        "{fixed}"
    );
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(dates, days("2017-12-20", &[6, 6]));
}

#[test]
fn without_a_date_nothing_is_inserted() {
    let (fixed, left, dates) = fix_and_date("no-date.md");
    assert_eq!(fixed, unmarked("no-date.md"));
    assert_eq!(left, ["front-matter", "missing-day-heading"]);
    assert_eq!(dates, vec!["no date"; 12]);
}
