//! Issue 15, item 3 (in part): `convert --since`, `--until`, `--speaker`.
//! The messages kept are those the test's own reading of the unfiltered
//! JSON selects; day headings stay with the messages kept; every format
//! takes the filter; bad values are usage errors.

mod convert_support;
#[path = "resources/mod.rs"]
mod resources;

use chatlint::convert::filter::MessageFilter;
use chatlint::convert::{Format, Options};
use convert_support::*;
use serde_json::Value;

const NAME: &str = "2017-08-25-chat.md";

/// Two days under day headings, three speakers.
const TWO_DAYS: &str = "---\ntitle: t\ndate: 2017-08-25 12:00:00\n---\n\
    ## 2017-08-25   \n> 07:50:02  甲  \n   \none  \n   \n> 07:51:02  乙  \n   \ntwo  \n   \n\
    ## 2017-08-26   \n> 08:00:00  甲  \n   \nthree  \n   \n> 08:01:00  丙  \n   \nfour  \n   \n";

fn filtered(text: &str, format: Format, filter: Option<MessageFilter>) -> String {
    let options = Options {
        filter,
        ..Options::default()
    };
    convert_text(NAME, text, format, &options).0
}

fn filter(since: Option<&str>, until: Option<&str>, speakers: &[&str]) -> Option<MessageFilter> {
    MessageFilter::new(
        since.map(str::to_string),
        until.map(str::to_string),
        speakers.iter().map(|s| s.to_string()).collect(),
    )
    .unwrap()
}

fn texts(json: &str) -> Vec<String> {
    let document: Value = serde_json::from_str(json).unwrap();
    document["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn dates_and_speakers_select_messages_and_headings_follow() {
    let json = |f| filtered(TWO_DAYS, Format::Json, f);
    assert_eq!(texts(&json(None)), ["one", "two", "three", "four"]);
    assert_eq!(
        texts(&json(filter(Some("2017-08-26"), None, &[]))),
        ["three", "four"]
    );
    assert_eq!(
        texts(&json(filter(None, Some("2017-08-25"), &[]))),
        ["one", "two"]
    );
    assert_eq!(texts(&json(filter(None, None, &["甲"]))), ["one", "three"]);
    assert_eq!(
        texts(&json(filter(None, None, &["乙", "丙"]))),
        ["two", "four"]
    );
    assert_eq!(
        texts(&json(filter(Some("2017-08-26"), None, &["乙"]))),
        Vec::<String>::new()
    );

    // The first message of the second day is left out: its heading goes
    // with the next one kept, and the Markdown still has both days.
    let md = filtered(TWO_DAYS, Format::Md, filter(None, None, &["乙", "丙"]));
    assert_eq!(
        md,
        "---\ntitle: t\ndate: 2017-08-25 12:00:00\n---\n\
         ## 2017-08-25   \n> 07:51:02  乙  \n   \ntwo  \n   \n\
         ## 2017-08-26   \n> 08:01:00  丙  \n   \nfour  \n   \n"
    );
    // It converts to itself.
    assert_eq!(filtered(&md, Format::Md, None), md);

    // Every format takes it.
    let csv = filtered(TWO_DAYS, Format::Csv, filter(None, None, &["甲"]));
    assert_eq!(csv_rows(&csv).len(), 3, "{csv}");
    let xml = filtered(TWO_DAYS, Format::Xml, filter(Some("2017-08-26"), None, &[]));
    assert_eq!(xml_texts(&xml, "text").unwrap(), ["three", "four"]);
    let jsonl = filtered(TWO_DAYS, Format::Jsonl, filter(None, None, &["丙"]));
    assert_eq!(jsonl.lines().count(), 1);
    let html = filtered(TWO_DAYS, Format::Html, filter(None, None, &["丙"]));
    assert!(html.contains("data-messages=\"1\""), "{html}");
}

/// On every transcript of the corpus: a speaker's messages and a day's
/// messages are exactly those the unfiltered JSON lists for them.
#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn on_the_corpus_the_filters_keep_what_the_json_says() {
    let mut checked = 0;
    for path in transcripts(&resources::corpus_dir()) {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let all: Value =
            serde_json::from_str(&convert_text(&name, &text, Format::Json, &Options::default()).0)
                .unwrap();
        let messages = all["messages"].as_array().unwrap();
        let Some(first) = messages.first() else {
            continue;
        };
        let speaker = first["speaker"].as_str().unwrap();
        let day = messages
            .iter()
            .rev()
            .find_map(|m| m["date"].as_str())
            .unwrap_or("2000-01-01");
        let cases = [
            (
                filter(None, None, &[speaker]),
                Box::new(|m: &Value| m["speaker"] == speaker) as Box<dyn Fn(&Value) -> bool>,
            ),
            (
                filter(Some(day), Some(day), &[]),
                Box::new(|m: &Value| m["date"] == day),
            ),
        ];
        for (f, keeps) in cases {
            let options = Options {
                filter: f,
                ..Options::default()
            };
            let kept: Value =
                serde_json::from_str(&convert_text(&name, &text, Format::Json, &options).0)
                    .unwrap();
            let got: Vec<&Value> = kept["messages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| &m["index"])
                .collect();
            let want: Vec<&Value> = messages
                .iter()
                .filter(|m| keeps(m))
                .map(|m| &m["index"])
                .collect();
            assert_eq!(got, want, "{name}");
            assert!(!got.is_empty(), "{name}");
        }
        checked += 1;
    }
    // The files with messages (some hold only front matter and headings).
    assert!(checked > 400, "{checked}");
}

#[test]
fn bad_values_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(NAME);
    std::fs::write(&file, TWO_DAYS).unwrap();
    for args in [
        &["--since", "2017-8-25"][..],
        &["--until", "2017-02-30"],
        &["--since", "2017-08-26", "--until", "2017-08-25"],
    ] {
        let output = chatlint()
            .args(["convert", "--to", "json"])
            .args(args)
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("chatlint convert: --"), "{stderr}");
    }
    let json = dir.path().join("chat.json");
    std::fs::write(&json, filtered(TWO_DAYS, Format::Json, None)).unwrap();
    chatlint()
        .args(["convert", "--from", "json", "--to", "md", "--speaker", "甲"])
        .arg(&json)
        .assert()
        .code(2);
}

/// A document read from JSON (its messages a list) is filtered as one built
/// from the source: the same Markdown, headings moved the same way.
#[test]
fn a_document_read_from_json_is_filtered_the_same() {
    for f in [
        filter(None, None, &["乙", "丙"]),
        filter(Some("2017-08-26"), None, &[]),
        filter(None, Some("2017-08-25"), &["甲"]),
    ] {
        let built = filtered(TWO_DAYS, Format::Md, f.clone());
        let json = filtered(TWO_DAYS, Format::Json, None);
        let mut document: chatlint::convert::Document<'_> = serde_json::from_str(&json).unwrap();
        document.keep_only(f.clone().unwrap());
        let mut out = Vec::new();
        chatlint::convert::write(&document, Format::Md, &Options::default(), &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), built, "{f:?}");
    }
}
