//! Issue 15, item 3: `convert --split day|month`. Every message lands in
//! exactly one part, the part of its date; each part's Markdown reads back
//! as the same messages; the parts are written under a folder named after
//! the transcript, in every format; `--split` needs `-o FOLDER`.

mod convert_support;
#[path = "resources/mod.rs"]
mod resources;

use chatlint::convert::split::{split, Period};
use chatlint::convert::{write, Document, Format, Options};
use chatlint::SourceFile;
use convert_support::*;
use serde_json::Value;

/// Three days in two months, a preamble, and a heading after the last
/// message.
const THREE_DAYS: &str = "---\ntitle: t\ndate: 2017-08-25 12:00:00\n---\nfrom the keeper  \n\n\
    ## 2017-08-25   \n> 07:50:02  甲  \n   \none  \n   \n> 07:51:02  乙  \n   \ntwo  \n   \n\
    ## 2017-09-26   \n> 08:00:00  甲  \n   \nthree  \n   \n\
    ## 2017-09-27   \n> 08:01:00  丙  \n   \nfour  \n   \n## 2017-09-28   \n";

/// (date, time, speaker, text) of each message of a JSON document.
fn messages_of(json: &str) -> Vec<(String, String, String, String)> {
    let document: Value = serde_json::from_str(json).unwrap();
    let field = |m: &Value, key: &str| m[key].as_str().unwrap_or_default().to_string();
    document["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let time = field(m, "time") + &field(m, "time_as_written");
            (
                field(m, "date"),
                time,
                field(m, "speaker"),
                field(m, "text"),
            )
        })
        .collect()
}

fn written(document: &Document<'_>, format: Format) -> String {
    let mut out = Vec::new();
    write(document, format, &Options::default(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_transcript_splits_into_its_days_and_months_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("group.md");
    std::fs::write(&file, THREE_DAYS).unwrap();
    for (period, parts) in [
        ("day", &["2017-08-25", "2017-09-26", "2017-09-27"][..]),
        ("month", &["2017-08", "2017-09"]),
    ] {
        for format in ["json", "jsonl", "csv", "xml", "md", "html"] {
            let out = dir.path().join(format!("{period}-{format}"));
            chatlint()
                .args(["convert", "--to", format, "--split", period])
                .arg(&file)
                .arg("-o")
                .arg(&out)
                .assert()
                .success();
            let mut found: Vec<String> = std::fs::read_dir(out.join("group"))
                .unwrap()
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            found.sort();
            let want: Vec<String> = parts.iter().map(|p| format!("{p}.{format}")).collect();
            assert_eq!(found, want, "{period} {format}");
        }
        // The Markdown parts hold every message once, each under its day,
        // and read back as themselves.
        let folder = dir.path().join(format!("{period}-md/group"));
        let mut all = Vec::new();
        for part in parts {
            let md = std::fs::read_to_string(folder.join(format!("{part}.md"))).unwrap();
            assert!(md.starts_with("---\ntitle: t\n"), "{md}");
            assert_eq!(
                convert_text("p.md", &md, Format::Md, &Options::default()).0,
                md
            );
            let json = convert_text("p.md", &md, Format::Json, &Options::default()).0;
            for message in messages_of(&json) {
                assert!(message.0.starts_with(part), "{part}: {message:?}");
                all.push(message);
            }
        }
        let whole = convert_text("group.md", THREE_DAYS, Format::Json, &Options::default()).0;
        assert_eq!(all, messages_of(&whole), "{period}");
        let first = std::fs::read_to_string(folder.join(format!("{}.md", parts[0]))).unwrap();
        assert!(first.contains("from the keeper"), "{first}");
        let last = parts[parts.len() - 1];
        let last = std::fs::read_to_string(folder.join(format!("{last}.md"))).unwrap();
        assert!(last.ends_with("## 2017-09-28   \n"), "{last}");
    }
    // The archive's index lists the parts, each as its page, under its own
    // month and date (not the front matter's).
    let index = std::fs::read_to_string(dir.path().join("month-html/index.html")).unwrap();
    assert!(index.contains("<a href=\"group/2017-08.html\">"), "{index}");
    assert!(index.contains("<a href=\"group/2017-09.html\">"), "{index}");
    assert!(index.contains("id=\"2017-09\""), "{index}");
    assert!(index.contains("<time>2017-09-26</time>"), "{index}");
}

#[test]
fn a_filter_and_a_split_together_keep_the_filter_s_messages() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("group.md");
    std::fs::write(&file, THREE_DAYS).unwrap();
    let split_by_day_of = |speaker: &str, out: &str| {
        chatlint()
            .args([
                "convert",
                "--to",
                "json",
                "--split",
                "day",
                "--speaker",
                speaker,
            ])
            .arg(&file)
            .arg("-o")
            .arg(dir.path().join(out))
            .output()
            .unwrap()
    };
    assert_eq!(split_by_day_of("甲", "out").status.code(), Some(0));
    let out = dir.path().join("out");
    let parts: Vec<_> = std::fs::read_dir(out.join("group")).unwrap().collect();
    assert_eq!(parts.len(), 2, "甲 speaks on two days");
    let json = std::fs::read_to_string(out.join("group/2017-09-26.json")).unwrap();
    assert_eq!(messages_of(&json).len(), 1);
    // A transcript the filter keeps nothing of has no part, and says so.
    let output = split_by_day_of("丁", "none");
    assert_eq!(output.status.code(), Some(0));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("keep none of its messages"), "{said}");
    assert!(!dir.path().join("none/group").exists());
}

#[test]
fn split_needs_an_output_folder_and_a_markdown_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("group.md");
    std::fs::write(&file, THREE_DAYS).unwrap();
    for args in [
        &["--to", "json", "--split", "day"][..],
        &["--to", "md", "--from", "json", "--split", "day", "-o", "x"],
        &[
            "--to",
            "json",
            "--with-diagnostics",
            "--split",
            "day",
            "-o",
            "x",
        ],
        &["--to", "json", "--split", "week", "-o", "x"],
    ] {
        let output = chatlint()
            .current_dir(dir.path())
            .arg("convert")
            .args(args)
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty());
        assert!(!dir.path().join("x").exists(), "{args:?}");
    }
}

/// The first place two lists differ, to say it short.
fn first_difference<T: PartialEq + std::fmt::Debug>(got: &[T], want: &[T]) -> String {
    let at = got.iter().zip(want).position(|(g, w)| g != w);
    match at {
        Some(k) => format!("at {k}: {:?} != {:?}", got[k], want[k]),
        None => format!("{} messages != {}", got.len(), want.len()),
    }
}

/// On every transcript of the corpus, by day and by month: each message is
/// in exactly one part, the part of its date, and the parts' Markdown reads
/// back as the whole file's Markdown does, message for message.
#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn on_the_corpus_every_message_is_in_the_part_of_its_date() {
    let read_back = |name: &str, md: String| {
        let source = SourceFile::from_string(name, md);
        messages_of(&written(&Document::build(&source, None), Format::Json))
    };
    let mut parts_checked = 0;
    let mut files = 0;
    for path in transcripts(&resources::corpus_dir()) {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let source = SourceFile::from_string(name.clone(), text);
        let document = Document::build(&source, None);
        let mut whole = messages_of(&written(&document, Format::Json));
        whole.sort();
        let mut whole_md = read_back(&name, written(&document, Format::Md));
        whole_md.sort();
        files += 1;
        for period in [Period::Day, Period::Month] {
            let (mut all, mut all_md) = (Vec::new(), Vec::new());
            for (key, part) in split(&document, period) {
                let in_part = messages_of(&written(&part, Format::Json));
                for message in &in_part {
                    let date = if message.0.is_empty() {
                        "undated"
                    } else {
                        &message.0
                    };
                    assert!(date.starts_with(&key), "{name} {key}: {message:?}");
                }
                all.extend(in_part);
                all_md.extend(read_back(&name, written(&part, Format::Md)));
                parts_checked += 1;
            }
            all.sort();
            all_md.sort();
            assert!(
                all == whole,
                "{name} {period:?}: {}",
                first_difference(&all, &whole)
            );
            assert!(
                all_md == whole_md,
                "{name} {period:?}, read back: {}",
                first_difference(&all_md, &whole_md)
            );
        }
    }
    // Each file has a part for its day and one for its month at least.
    assert!(
        files > 400 && parts_checked >= 2 * files,
        "{files} {parts_checked}"
    );
}

/// (time, speaker, text) of a transcript's messages, and whether it holds
/// anything but messages after its front matter (a preamble, day headings).
fn plain_messages(name: &str, text: &str) -> (Vec<(String, String, String)>, bool) {
    let json = convert_text(name, text, Format::Json, &Options::default()).0;
    let document: Value = serde_json::from_str(&json).unwrap();
    let messages = document["messages"].as_array().unwrap();
    let plain = document["preamble"].is_null()
        && document["trailing_day_headings"]
            .as_array()
            .is_none_or(Vec::is_empty)
        && messages.iter().all(|m| m["day_headings"].is_null());
    let messages = messages_of(&json)
        .into_iter()
        .map(|(_, time, speaker, text)| (time, speaker, text))
        .collect();
    (messages, plain)
}

/// The corpus's days, one file each, joined a month at a time into one
/// export under day headings (as an exporter that spans a month writes
/// them), split again by day: each part is the day's file, message for
/// message; by month, one part holds them all.
#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn a_month_of_corpus_days_joined_splits_back_into_its_days() {
    use std::collections::BTreeMap;
    // Folder and month → each day's file (date, its messages, its body).
    type Day = (String, Vec<(String, String, String)>, String);
    let mut months: BTreeMap<(String, String), Vec<Day>> = BTreeMap::new();
    for path in transcripts(&resources::corpus_dir()) {
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        let date = file_name.get(..10).unwrap_or_default().to_string();
        let digits = date.bytes().filter(u8::is_ascii_digit).count();
        if digits != 8 || date.as_bytes().get(4) != Some(&b'-') {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let (messages, plain) = plain_messages(&file_name, &text);
        // A file that is more than messages would not join as one day.
        if !plain || messages.is_empty() {
            continue;
        }
        let body = match text
            .strip_prefix("---\n")
            .and_then(|t| t.split_once("\n---\n"))
        {
            Some((_, body)) => body.to_string(),
            None => continue,
        };
        let folder = path.parent().unwrap().display().to_string();
        let month = (folder, date[..7].to_string());
        months
            .entry(month)
            .or_default()
            .push((date, messages, body));
    }
    let mut days_checked = 0;
    for ((folder, month), days) in &months {
        if days.len() < 2 {
            continue;
        }
        let mut export = format!("---\ntitle: {month}\n---\n");
        for (date, _, body) in days {
            export.push_str(&format!("## {date}   \n{body}"));
            if !export.ends_with('\n') {
                export.push('\n');
            }
        }
        let source = SourceFile::from_string(format!("{month}-export.md"), export);
        let document = Document::build(&source, None);
        let parts = split(&document, Period::Day);
        let names: Vec<&str> = parts.iter().map(|(key, _)| key.as_str()).collect();
        let dates: Vec<&str> = days.iter().map(|(date, _, _)| date.as_str()).collect();
        assert_eq!(names, dates, "{folder} {month}");
        for ((key, part), (_, messages, _)) in parts.iter().zip(days) {
            let got: Vec<_> = messages_of(&written(part, Format::Json))
                .into_iter()
                .map(|(_, time, speaker, text)| (time, speaker, text))
                .collect();
            assert!(
                &got == messages,
                "{folder} {key}: {}",
                first_difference(&got, messages)
            );
            days_checked += 1;
        }
        assert_eq!(split(&document, Period::Month).len(), 1, "{folder} {month}");
    }
    assert!(days_checked > 300, "{days_checked}");
}
