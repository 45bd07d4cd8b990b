//! Issue 15, item 1: `chatlint merge`. Two exports of one day built from
//! each corpus transcript merge back into it; overlapping ranges of days
//! under day headings and full-date headers merge into every day once; the
//! command writes atomically, never over an input, and fails naming the
//! file.

mod convert_support;
#[path = "resources/mod.rs"]
mod resources;

use convert_support::transcripts;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chatlint::convert::document::Document;
use chatlint::merge::{merge, MergeOptions};
use chatlint::model::Transcript;
use chatlint::twins::{find_twins, Evidence, SELF_NAME};
use chatlint::SourceFile;

/// A message as a transcript means it: (date, time, speaker, text).
type Said = (Option<String>, Option<String>, String, String);

fn said(name: &str, text: &str) -> Vec<Said> {
    let source = SourceFile::from_string(name, text);
    let document = Document::build(&source, None);
    let messages = document
        .messages
        .iter()
        .map(|m| {
            (
                m.date.as_deref().map(str::to_string),
                m.time.as_deref().map(str::to_string),
                m.speaker.to_string(),
                m.text.to_string(),
            )
        })
        .collect();
    messages
}

/// One export of the chat `text` is: its head, and the messages whose
/// index `keep` keeps, `renamed` written as `我` (the exporter's own
/// messages), each valid time `ahead` seconds later (the exporter's
/// clock).
fn export(
    text: &str,
    model: &Transcript,
    keep: impl Fn(usize) -> bool,
    renamed: Option<&str>,
    ahead: u32,
) -> String {
    let starts: Vec<usize> = model.messages.iter().map(|m| m.header.span.start).collect();
    let mut out = text[..starts[0]].to_string();
    for (index, message) in model.messages.iter().enumerate() {
        if !keep(index) {
            continue;
        }
        let start = starts[index];
        let end = starts.get(index + 1).copied().unwrap_or(text.len());
        let header = &message.header;
        let mut block = text[start..end].to_string();
        // The speaker stands after the time: replaced first, the time's
        // offsets hold.
        if renamed == Some(header.speaker(text)) {
            let at = header.speaker_span.clone();
            block.replace_range(at.start - start..at.end - start, SELF_NAME);
        }
        if let Some(time) = header.time.filter(|_| ahead > 0) {
            let later = time.seconds_since_midnight() + ahead;
            assert!(later < 86_400, "a message within {ahead} s of midnight");
            let at = header.time_span.clone();
            let written = format!(
                "{:02}:{:02}:{:02}",
                later / 3600,
                later / 60 % 60,
                later % 60
            );
            block.replace_range(at.start - start..at.end - start, &written);
        }
        out.push_str(&block);
    }
    out
}

/// Whether the transcript itself holds twins, which a merge rightly writes
/// once, so that it cannot come back whole: by `duplicate-message`'s own
/// reading of it (the archive's merges: 23 files, some of two messages
/// under two names of one person), or one name's messages of one text and
/// day at most `max-skew-seconds` apart (a copy, or twins of a merge: an
/// image sent twice in one second).
fn holds_twins(text: &str, model: &Transcript, options: &MergeOptions) -> bool {
    let as_checked = Evidence::of_transcript(text, model, &options.twins);
    // As one export of a merge: every two names in it are two people.
    let as_merged = as_checked.clone().known_merge(|_, _| true);
    [as_checked, as_merged].iter().any(|evidence| {
        !find_twins(text, model, &options.twins, &options.aliases, evidence).is_empty()
    })
}

/// The test the issue asks for, on every corpus transcript with messages:
/// export A lacks every 7th message from the 4th and writes the exporter's
/// own messages (the transcript's most frequent speaker) as `我`; export B
/// lacks every 7th from the 6th (none is missing from both) and its clock
/// is 1 or 2 s ahead. Merged, A first, they give the transcript back:
/// every message's date, time, speaker and text, in order.
///
/// Left out, and counted: transcripts that hold twins themselves (see
/// [`holds_twins`]; the archive's own merges, and images sent
/// twice in one second). A transcript that already has a `我` (its
/// exporter's) keeps it in A: it cannot be written as `我` a second time.
#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn two_exports_of_a_corpus_day_merge_back_into_it() {
    let options = MergeOptions::default();
    let (mut merged, mut renamed, mut with_twins, mut failures) = (0, 0, Vec::new(), Vec::new());
    for (n, path) in transcripts(&resources::corpus_dir()).iter().enumerate() {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let model = chatlint::parse(&text);
        if model.messages.is_empty() {
            continue;
        }
        if holds_twins(&text, &model, &options) {
            with_twins.push(name);
            continue;
        }
        let original = said(&name, &text);
        let mut speakers = std::collections::BTreeMap::<&str, usize>::new();
        for message in &model.messages {
            *speakers.entry(message.header.speaker(&text)).or_default() += 1;
        }
        let exporter = (!speakers.contains_key(SELF_NAME))
            .then(|| speakers.iter().max_by_key(|(_, count)| **count))
            .flatten()
            .map(|(name, _)| *name);
        renamed += usize::from(exporter.is_some());
        let a = export(&text, &model, |i| i % 7 != 3, exporter, 0);
        let b = export(&text, &model, |i| i % 7 != 5, None, 1 + n as u32 % 2);
        let sources = [
            SourceFile::from_string(format!("a/{name}"), a),
            SourceFile::from_string(format!("b/{name}"), b),
        ];
        let result = match merge(&sources, &options, "merged") {
            Ok(result) => result,
            Err(error) => {
                failures.push(format!("{name}: {error}"));
                continue;
            }
        };
        let back = said(&name, &result.text);
        if back != original {
            let at = back.iter().zip(&original).position(|(x, y)| x != y);
            failures.push(format!(
                "{name}: {} messages back of {}, first difference at {at:?}: {:?} for {:?}",
                back.len(),
                original.len(),
                at.map(|i| &back[i]),
                at.map(|i| &original[i]),
            ));
            continue;
        }
        let [ref a_count, ref b_count] = result.inputs[..] else {
            panic!("two inputs")
        };
        assert_eq!(a_count.kept + b_count.kept, original.len(), "{name}");
        assert_eq!(
            a_count.twins_dropped + b_count.twins_dropped,
            a_count.messages + b_count.messages - original.len(),
            "{name}"
        );
        assert_eq!(b_count.clock_ahead, 1 + n as i64 % 2, "{name}");
        merged += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // What the corpus holds: 423 transcripts with messages, 45 of them
    // with twins (35 that `duplicate-message` reports, 10 more with one
    // name's copies seconds apart); of the 378 others, 311 have no `我`
    // of their own.
    assert_eq!(
        (merged, renamed, with_twins.len()),
        (378, 311, 45),
        "{with_twins:?}"
    );
}

/// Three exports of each corpus day, each lacking other messages (every
/// 7th from the 2nd, 4th, 6th), the second writing the exporter as `我`
/// (the first speaker) and 1 s ahead, the third 2 s ahead: merged, the day
/// comes back, as with two.
#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn three_exports_of_a_corpus_day_merge_back_into_it() {
    let options = MergeOptions::default();
    let (mut merged, mut failures) = (0, Vec::new());
    for path in transcripts(&resources::corpus_dir()) {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let model = chatlint::parse(&text);
        if model.messages.is_empty() || holds_twins(&text, &model, &options) {
            continue;
        }
        let exporter = model
            .messages
            .iter()
            .map(|m| m.header.speaker(&text))
            .find(|&speaker| speaker != SELF_NAME)
            .filter(|_| {
                !model
                    .messages
                    .iter()
                    .any(|m| m.header.speaker(&text) == SELF_NAME)
            });
        let sources = [
            export(&text, &model, |i| i % 7 != 1, None, 0),
            export(&text, &model, |i| i % 7 != 3, exporter, 1),
            export(&text, &model, |i| i % 7 != 5, None, 2),
        ]
        .map(|export| SourceFile::from_string(name.clone(), export));
        match merge(&sources, &options, "merged") {
            Ok(result) if said(&name, &result.text) == said(&name, &text) => merged += 1,
            Ok(result) => failures.push(format!("{name}: not the original ({:?})", result.inputs)),
            Err(error) => failures.push(format!("{name}: {error}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(merged, 378);
}

/// Days under day headings and full-date headers: two exports of
/// overlapping ranges (days 1–2 and 2–3) merge into the three days, each
/// message once, a heading before each day.
#[test]
fn overlapping_ranges_of_days_merge_into_every_day_once() {
    let head = "---\nlayout:     source \ntitle:      \"2017-05-05-WeChat\"\ndate:       2017-05-05 12:00:00\n---\n";
    let day = |date: &str, messages: &[(&str, &str, &str)]| {
        let mut out = format!("## {date}   \n");
        for (time, speaker, text) in messages {
            out.push_str(&format!(
                "> {date} {time}  {speaker}  \n   \n{text}  \n   \n"
            ));
        }
        out
    };
    let day1 = [("09:00:00", "甲", "早"), ("09:00:05", "乙", "早上好")];
    let day2 = [("10:00:00", "甲", "今天讲什么"), ("10:00:00", "丙", "[强]")];
    let day2_later = [("10:00:01", "甲", "今天讲什么"), ("10:00:01", "丙", "[强]")];
    let day3 = [("08:00:00", "乙", "周末愉快")];
    let a = format!(
        "{head}{}{}",
        day("2017-05-05", &day1),
        day("2017-05-06", &day2)
    );
    let b = format!(
        "{head}{}{}",
        day("2017-05-06", &day2_later),
        day("2017-05-07", &day3)
    );
    let sources = [
        SourceFile::from_string("a.md", a.clone()),
        SourceFile::from_string("b.md", b),
    ];
    let result = merge(&sources, &MergeOptions::default(), "merged").unwrap();
    let expected = format!(
        "{a}{}",
        day("2017-05-07", &[("07:59:59", "乙", "周末愉快")])
    );
    // B's clock is a second ahead: its day 3 is set to A's clock too.
    assert_eq!(result.text, expected);
    assert_eq!(
        result
            .inputs
            .iter()
            .map(|i| (i.messages, i.kept, i.twins_dropped, i.clock_ahead))
            .collect::<Vec<_>>(),
        [(4, 4, 0, 0), (3, 1, 2, 1)]
    );
}

/// Two day files without headings (each dated by its front matter): the
/// later day first on the command line, so the output's front matter is its
/// own; the earlier day's messages then need a heading to keep their date.
#[test]
fn day_files_of_two_days_merge_under_their_days() {
    let file = |date: &str, text: &str| {
        format!("---\ntitle: t\ndate: {date} 12:00:00\n---\n> 07:50:02  甲  \n   \n{text}  \n   \n")
    };
    let later = file("2017-08-26", "second day");
    let earlier = file("2017-08-25", "first day");
    let sources = [
        SourceFile::from_string("2017-08-26-chat.md", later),
        SourceFile::from_string("2017-08-25-chat.md", earlier),
    ];
    let result = merge(&sources, &MergeOptions::default(), "merged.md").unwrap();
    assert_eq!(
        result.text,
        "---\ntitle: t\ndate: 2017-08-26 12:00:00\n---\n\
         ## 2017-08-25   \n> 07:50:02  甲  \n   \nfirst day  \n   \n\
         ## 2017-08-26   \n> 07:50:02  甲  \n   \nsecond day  \n   \n"
    );
    let merged: Vec<Said> = said("merged.md", &result.text);
    assert_eq!(merged.len(), 2);
    assert_eq!(merged[0].0.as_deref(), Some("2017-08-25"));
    assert_eq!(merged[1].0.as_deref(), Some("2017-08-26"));
}

/// Messages of one second that each export holds only some of come out in
/// the order both give them.
#[test]
fn messages_of_one_second_keep_the_order_of_both_exports() {
    let head = "---\ndate: 2017-08-25 12:00:00\n---\n";
    let message =
        |speaker: &str, text: &str| format!("> 07:50:02  {speaker}  \n   \n{text}  \n   \n");
    let (x, y, z) = (message("甲", "x"), message("乙", "y"), message("丙", "z"));
    let sources = [
        SourceFile::from_string("a.md", format!("{head}{y}{z}")),
        SourceFile::from_string("b.md", format!("{head}{x}{y}")),
    ];
    let result = merge(&sources, &MergeOptions::default(), "merged").unwrap();
    assert_eq!(result.text, format!("{head}{x}{y}{z}"));
}

/// `我` and the name the other export gives the exporter are one person:
/// the name is kept, and the exporter's messages only `我` has take it.
#[test]
fn the_exporters_me_takes_the_name_the_other_export_gives() {
    let head = "---\ndate: 2017-08-25 12:00:00\n---\n";
    let message = |time: &str, speaker: &str, text: &str| {
        format!("> {time}  {speaker}  \n   \n{text}  \n   \n")
    };
    let a = [
        message("07:50:02", "右军", "异地多活"),
        message("07:54:35", "我", "我们正在做"),
        message("07:55:00", "我", "期待分享"),
        message("08:00:00", "我", "只在 A 里"),
    ]
    .concat();
    let b = [
        message("07:50:04", "右军", "异地多活"),
        message("07:54:37", "李雄峰", "我们正在做"),
        message("07:55:02", "李雄峰", "期待分享"),
        message("08:10:02", "右军", "只在 B 里"),
    ]
    .concat();
    let sources = [
        SourceFile::from_string("a.md", format!("{head}{a}")),
        SourceFile::from_string("b.md", format!("{head}{b}")),
    ];
    let result = merge(&sources, &MergeOptions::default(), "merged").unwrap();
    let expected = [
        message("07:50:02", "右军", "异地多活"),
        message("07:54:35", "李雄峰", "我们正在做"),
        message("07:55:00", "李雄峰", "期待分享"),
        message("08:00:00", "李雄峰", "只在 A 里"),
        message("08:10:00", "右军", "只在 B 里"),
    ]
    .concat();
    assert_eq!(result.text, format!("{head}{expected}"));
}

/// Different people saying `签到` seconds apart are not twins when an
/// export shows them as two people, even where one export lacks one.
#[test]
fn a_check_in_burst_loses_no_one() {
    let head = "---\ndate: 2018-03-09 12:00:00\n---\n";
    let message = |time: &str, speaker: &str| format!("> {time}  {speaker}  \n   \n签到  \n   \n");
    let a = [message("18:59:14", "倪冰冰"), message("18:59:15", "王文")].concat();
    let b = [
        message("18:59:12", "史亭凯"),
        message("18:59:14", "倪冰冰"),
        message("18:59:15", "王文"),
    ]
    .concat();
    let sources = [
        SourceFile::from_string("a.md", format!("{head}{a}")),
        SourceFile::from_string("b.md", format!("{head}{b}")),
    ];
    let result = merge(&sources, &MergeOptions::default(), "merged").unwrap();
    assert_eq!(result.text, format!("{head}{b}"));
}

const ONE_DAY: &str =
    "---\ndate: 2017-08-25 12:00:00\n---\n> 07:50:02  右军  \n   \n异地多活  \n   \n";
const SAME_DAY_LATER: &str =
    "---\ndate: 2017-08-25 12:00:00\n---\n> 07:50:03  右军  \n   \n异地多活  \n   \n> 08:00:00  乙  \n   \n好  \n   \n";
const MERGED: &str = "---\ndate: 2017-08-25 12:00:00\n---\n> 07:50:02  右军  \n   \n异地多活  \n   \n> 07:59:59  乙  \n   \n好  \n   \n";

fn two_inputs() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.md"), dir.path().join("b.md"));
    std::fs::write(&a, ONE_DAY).unwrap();
    std::fs::write(&b, SAME_DAY_LATER).unwrap();
    (dir, a, b)
}

fn chatlint() -> Command {
    Command::cargo_bin("chatlint").unwrap()
}

#[test]
fn merge_writes_the_output_and_prints_the_counts() {
    let (dir, a, b) = two_inputs();
    let out = dir.path().join("out.md");
    let run = chatlint()
        .arg("merge")
        .args([&a, &b])
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), MERGED);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(&format!(
            "{}: 1 messages, 1 kept, 0 twins dropped",
            a.display()
        )) && stderr.contains(&format!(
            "{}: 2 messages, 1 kept, 1 twins dropped, clock +1 s",
            b.display()
        )) && stderr.contains(&format!("{}: 2 messages written", out.display())),
        "{stderr}"
    );
    // Written through a temporary file: nothing else is left in the folder.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
}

#[test]
fn merge_without_an_output_writes_to_stdout() {
    let (_dir, a, b) = two_inputs();
    chatlint()
        .arg("merge")
        .args([&a, &b])
        .assert()
        .success()
        .stdout(MERGED);
    chatlint()
        .arg("merge")
        .args([&a, &b])
        .args(["-o", "-", "--quiet"])
        .assert()
        .success()
        .stdout(MERGED)
        .stderr("");
}

#[test]
fn merge_never_writes_over_an_input() {
    let (_dir, a, b) = two_inputs();
    chatlint()
        .arg("merge")
        .args([&a, &b])
        .arg("-o")
        .arg(&b)
        .arg("--force")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is an input file"));
    assert_eq!(std::fs::read_to_string(&b).unwrap(), SAME_DAY_LATER);
}

#[test]
fn merge_keeps_an_existing_output_without_force() {
    let (dir, a, b) = two_inputs();
    let out = dir.path().join("out.md");
    std::fs::write(&out, "kept").unwrap();
    chatlint()
        .arg("merge")
        .args([&a, &b])
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force overwrites it"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "kept");
    chatlint()
        .arg("merge")
        .args([&a, &b])
        .arg("-o")
        .arg(&out)
        .arg("--force")
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), MERGED);
}

#[test]
fn merge_of_a_missing_input_fails_naming_it_and_writes_nothing() {
    let (dir, a, _) = two_inputs();
    let missing = dir.path().join("missing.md");
    let out = dir.path().join("out.md");
    chatlint()
        .arg("merge")
        .args([&a, &missing])
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(missing.display().to_string()));
    assert!(!out.exists());
    // One input is a usage error.
    chatlint().arg("merge").arg(&a).assert().code(2);
}

/// The first input's configuration is read: its `aliases:` choose the name
/// kept (here, against the default, `我`).
#[test]
fn merge_reads_the_first_inputs_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.md"), dir.path().join("b.md"));
    let head = "---\ndate: 2017-08-25 12:00:00\n---\n";
    std::fs::write(
        &a,
        format!("{head}> 07:54:35  我  \n   \n我们正在做  \n   \n"),
    )
    .unwrap();
    std::fs::write(
        &b,
        format!("{head}> 07:54:36  李雄峰  \n   \n我们正在做  \n   \n"),
    )
    .unwrap();
    let merged = |a: &Path, b: &Path| {
        let run = chatlint().arg("merge").args([a, b]).assert().success();
        String::from_utf8(run.get_output().stdout.clone()).unwrap()
    };
    assert!(merged(&a, &b).contains("> 07:54:35  李雄峰  \n"));
    std::fs::write(
        dir.path().join(".chatlint.yaml"),
        "aliases:\n  李雄峰: 我\n",
    )
    .unwrap();
    assert!(merged(&a, &b).contains("> 07:54:35  我  \n"));
}
