//! `convert --from json --to md` is checked against the JSON: every field is
//! validated, and the Markdown written is read back and must give the same
//! messages, else the file fails naming the message (0-based, as its
//! `index`) and the field, and nothing is written.

mod convert_support;
mod json_invariant;

use std::sync::OnceLock;

use chatlint::convert::{self, ConvertError, Format, JsonError, Options};
use convert_support::*;
use predicates::prelude::*;
use proptest::prelude::*;
use serde_json::{json, Value};

const CHAT: &str = "---\nlayout:     source \ntitle:      \"2017-08-25-WeChat\"\ndate:       2017-08-25 12:00:00\n---\n> 07:50:02  右军  \n   \n熊哥，请转发[握手]  \n   \n> 07:54:35  我  \n   \n我们正在做。@右军?支付宝  \n第二行  \n   \n> 08:00:00  happycoral  \n   \n好  \n   \n";

/// The document `--to json` writes for [`CHAT`].
fn document() -> Value {
    let (json, _) = convert_text(
        "2017-08-25-chat.md",
        CHAT,
        Format::Json,
        &Options::default(),
    );
    serde_json::from_str(&json).unwrap()
}

/// [`document`] with message `index`'s `field` set to `value`.
fn with(index: usize, field: &str, value: Value) -> Value {
    let mut json = document();
    json["messages"][index][field] = value;
    if field == "text" {
        // What is read from the text goes with it.
        for derived in ["images", "links", "mentions", "emoji"] {
            json["messages"][index][derived] = json!([]);
        }
    }
    json
}

fn convert_json(json: &Value) -> Result<(String, Vec<convert::Notice>), ConvertError> {
    let mut out = Vec::new();
    let notices =
        convert::convert_json(&json.to_string(), Format::Md, &Options::default(), &mut out)?;
    Ok((String::from_utf8(out).unwrap(), notices))
}

/// The refusal of a document, which must be a [`JsonError`].
fn refusal(json: &Value) -> JsonError {
    match convert_json(json) {
        Err(ConvertError::Invalid(err)) => err,
        Err(other) => panic!("refused, but not naming a message and field: {other}"),
        Ok((markdown, notices)) => panic!("converted:\n{markdown}\n{notices:?}"),
    }
}

fn assert_refused(json: &Value, message: Option<usize>, field: &str) -> JsonError {
    let err = refusal(json);
    assert_eq!((err.message, err.field), (message, field), "{err}");
    // The invariant holds too (nothing written, a known field).
    assert!(!json_invariant::exercise_json(&json.to_string()));
    err
}

#[test]
fn the_issues_examples_are_refused_naming_message_and_field() {
    // A header date with a line break and a header, or not a date.
    let err = assert_refused(
        &with(1, "header_date", "2017-01-01\n> x".into()),
        Some(1),
        "header_date",
    );
    assert_eq!(
        err.to_string(),
        "message 1: header_date: \"2017-01-01\\n> x\" is not a header date YYYY-MM-DD"
    );
    assert_refused(
        &with(1, "header_date", "yesterday".into()),
        Some(1),
        "header_date",
    );
    // An empty time, or a time with a speaker in it (as written: `time`
    // itself is checked too, though the schema already says HH:MM:SS).
    assert_refused(&with(2, "time", "".into()), Some(2), "time");
    assert_refused(
        &with(2, "time", "08:05:00  Mallory".into()),
        Some(2),
        "time",
    );
    let mut json = with(2, "time", Value::Null);
    json["messages"][2]["time_as_written"] = "".into();
    assert_refused(&json, Some(2), "time_as_written");
    json["messages"][2]["time_as_written"] = "08:05:00  Mallory".into();
    assert_refused(&json, Some(2), "time_as_written");
    // Text lines that read as headers (one-digit hour, full-width colons)
    // or as a day heading.
    for line in [
        "> 9:00:00  x",
        "> 09：00：00  x",
        "## 2017-05-05",
        "# 2017-05-05",
        "###### 2017-05-05   ",
    ] {
        let err = assert_refused(
            &with(0, "text", format!("before\n{line}\nafter").into()),
            Some(0),
            "text",
        );
        assert!(err.problem.starts_with("line 2 "), "{err}");
    }
}

#[test]
fn more_of_the_class_is_refused() {
    let cases: Vec<(Value, Option<usize>, &str)> = vec![
        // Speakers: a line break, a lone CR, spaces a header trims, U+2028 at the end.
        (
            with(1, "speaker", "我\n> 08:00:00  Mallory".into()),
            Some(1),
            "speaker",
        ),
        (with(1, "speaker", "我\r".into()), Some(1), "speaker"),
        (with(1, "speaker", " 我".into()), Some(1), "speaker"),
        (with(1, "speaker", "我  ".into()), Some(1), "speaker"),
        (with(1, "speaker", "我\u{2028}".into()), Some(1), "speaker"),
        (with(1, "speaker", "\u{3000}我".into()), Some(1), "speaker"),
        // Text: a lone CR, a header after U+3000, a full-date header,
        // trailing spaces (a hard break), a tab at the end, blank lines
        // around, white space only.
        (with(0, "text", "a\rb".into()), Some(0), "text"),
        (
            with(0, "text", "a\n>\u{3000}08:00:00 x".into()),
            Some(0),
            "text",
        ),
        (
            with(0, "text", "> 2017-05-05 08:00:00  y".into()),
            Some(0),
            "text",
        ),
        (with(0, "text", "> 8.0.0 x".into()), Some(0), "text"),
        (with(0, "text", "a  \nb".into()), Some(0), "text"),
        (with(0, "text", "a\t".into()), Some(0), "text"),
        (with(0, "text", "\na".into()), Some(0), "text"),
        (with(0, "text", "a\n   ".into()), Some(0), "text"),
        (with(0, "text", "   ".into()), Some(0), "text"),
        // A header line inside a code fence still starts a message.
        (
            with(0, "text", "```\n> 08:00:00  x\n```".into()),
            Some(0),
            "text",
        ),
        // Times and dates.
        (with(0, "time", "24:00:00".into()), Some(0), "time"),
        (with(0, "time", "08:00:00\n".into()), Some(0), "time"),
        (with(0, "time", Value::Null), Some(0), "time"),
        (
            with(0, "time_as_written", "7:50:02".into()),
            Some(0),
            "time_as_written",
        ),
        (
            with(0, "header_date", "2017-01-01 ".into()),
            Some(0),
            "header_date",
        ),
        (with(0, "header_date", "".into()), Some(0), "header_date"),
        (with(0, "date", "2017-08-26".into()), Some(0), "date"),
        (with(0, "date", "someday".into()), Some(0), "date"),
        // Derived fields that disagree with the text they are read from.
        (with(1, "mentions", json!(["张三"])), Some(1), "mentions"),
        (with(0, "emoji", json!(["强"])), Some(0), "emoji"),
        (
            with(
                0,
                "images",
                json!([{"alt": "a", "url": "http://x/a.png", "title": null}]),
            ),
            Some(0),
            "images",
        ),
        // Day headings: not one, a line break, a date that disagrees,
        // standing in a message that has no previous one.
        (
            with(
                1,
                "day_headings",
                json!([{"line": 1, "date": "2017-08-25", "text": "## yesterday"}]),
            ),
            Some(1),
            "day_headings",
        ),
        (
            with(
                1,
                "day_headings",
                json!([{"line": 1, "date": "2017-08-25", "text": "## 2017-08-25\n> 08:00:00  x"}]),
            ),
            Some(1),
            "day_headings",
        ),
        (
            with(
                1,
                "day_headings",
                json!([{"line": 1, "date": "2017-08-26", "text": "## 2017-08-25"}]),
            ),
            Some(1),
            "day_headings",
        ),
        (
            with(
                0,
                "day_headings",
                json!([{"line": 1, "date": "2017-08-25", "text": "## 2017-08-25", "within_previous": 0}]),
            ),
            Some(0),
            "day_headings",
        ),
        // A day heading with a date before a message whose `date` says otherwise.
        (
            {
                let mut json = with(
                    1,
                    "day_headings",
                    json!([{"line": 1, "date": "2017-08-26", "text": "## 2017-08-26"}]),
                );
                json["messages"][2]["date"] = "2017-08-25".into();
                json
            },
            Some(1),
            "date",
        ),
    ];
    for (json, message, field) in &cases {
        assert_refused(json, *message, field);
    }

    // Outside the messages: front matter lines that close it or read as a
    // header, an unclosed front matter before a preamble, fields and parsed
    // values that disagree with the YAML, a preamble line that reads as a
    // header or a day heading, a trailing heading that is not one.
    let mut json = document();
    json["front_matter"]["raw"] = "title: \"a\n---\nb\"\n".into();
    assert_refused(&json, None, "front_matter.raw");
    json["front_matter"]["raw"] = "title: a\n...\n".into();
    assert_refused(&json, None, "front_matter.raw");
    json["front_matter"]["raw"] = "title: a\n> 08:00:00  x\n".into();
    assert_refused(&json, None, "front_matter.raw");
    let mut json = document();
    json["front_matter"]["closed"] = false.into();
    json["preamble"] = "intro".into();
    assert_refused(&json, None, "front_matter.closed");
    let mut json = document();
    json["front_matter"]["fields"][1]["raw"] = "\"2018-01-01-WeChat\"".into();
    assert_refused(&json, None, "front_matter.fields");
    let mut json = document();
    json["front_matter"]["parsed"]["title"] = "edited".into();
    assert_refused(&json, None, "front_matter.parsed");
    for preamble in ["> 08:00:00  x", "intro\n## 2017-05-05"] {
        let mut json = document();
        json["preamble"] = preamble.into();
        assert_refused(&json, None, "preamble");
    }
    let mut json = document();
    json["trailing_day_headings"] =
        json!([{"line": 1, "date": "2017-08-25", "text": "##2017-08-25"}]);
    assert_refused(&json, None, "trailing_day_headings");
}

#[test]
fn what_markdown_holds_as_written_converts_and_reads_back() {
    // Each converts, and the invariant (read back equal) holds.
    let cases: Vec<Value> = vec![
        with(0, "text", "> a quote, not a header".into()),
        with(0, "text", ">".into()),
        with(0, "text", "a\n---\nb".into()),
        with(0, "text", "---".into()),
        with(0, "text", "#36氪快讯# 万达".into()),
        with(0, "text", "a\n\nb".into()),
        with(0, "text", "".into()),
        with(0, "text", "a\u{2028}b\u{2028}".into()),
        with(0, "text", "```\ncode  \n  indented\t\n```".into()),
        with(0, "text", "~~~\n## 2017-05-05\n~~~".into()),
        with(1, "speaker", "".into()),
        with(1, "speaker", "韩涛  快捷通支付 渠道".into()),
        with(1, "speaker", "a\u{2028}b".into()),
        with(1, "speaker", "> 08:00:00  x".into()),
        with(1, "header_date", "2017-08-25".into()),
        with(1, "header_date", "2017-5-5".into()),
        {
            let mut json = document();
            json["front_matter"]["raw"] = "title: \"unterminated\ntag:\t[chat]\n".into();
            json["front_matter"]["fields"] = json!([]);
            json["front_matter"]["parsed"] = Value::Null;
            json
        },
        // A day heading inside the previous message's text, before its
        // only line; the later messages' dates follow it (null: derived).
        {
            let mut json = with(
                1,
                "day_headings",
                json!([{"line": 1, "date": "2017-08-26", "text": "## 2017-08-26", "within_previous": 0}]),
            );
            json["messages"][1]["date"] = Value::Null;
            json["messages"][2]["date"] = "2017-08-26".into();
            json
        },
    ];
    for (k, json) in cases.iter().enumerate() {
        let converted = json_invariant::exercise_json(&json.to_string());
        if k == 9 {
            // A day heading in a fence is still a day heading: refused.
            assert!(!converted);
            continue;
        }
        assert!(
            converted,
            "case {k}: {:?}",
            convert_json(json).err().map(|e| e.to_string())
        );
    }
    let (markdown, notices) = convert_json(&with(0, "text", "```\ncode  \n```".into())).unwrap();
    assert!(markdown.contains("```\ncode  \n```\n"), "{markdown}");
    assert!(notices.is_empty(), "{notices:?}");
}

#[test]
fn what_the_safe_fixes_change_is_told_per_message_and_field() {
    let mut json = with(1, "time", Value::Null);
    json["messages"][1]["time_as_written"] = "7:54:35".into();
    json["messages"][2]["text"] = "##背景 先说下".into();
    let (markdown, notices) = convert_json(&json).unwrap();
    assert!(markdown.contains("> 07:54:35  我  \n"), "{markdown}");
    assert!(markdown.contains("## 背景 先说下  \n"), "{markdown}");
    let said: Vec<&str> = notices.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(
        said[0].starts_with("message 1: time_as_written: "),
        "{said:?}"
    );
    assert!(said[1].starts_with("message 2: text: "), "{said:?}");
    assert!(json_invariant::exercise_json(&json.to_string()));
}

// --- the command line ---------------------------------------------------

#[test]
fn a_refused_file_fails_naming_file_message_and_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        with(2, "time", "08:05:00  Mallory".into()).to_string(),
    )
    .unwrap();
    // To standard output: nothing on it.
    chatlint()
        .args(["convert", "--from", "json", "--to", "md"])
        .arg(&bad)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "failed: {}: message 2: time: \"08:05:00  Mallory\" is not a time",
            bad.display()
        )));
    // To a file: none made.
    let out = dir.path().join("out.md");
    chatlint()
        .args(["convert", "--from", "json", "--to", "md"])
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    assert!(!out.exists());
    // In a folder with a good one: the good one is written, the bad one is
    // not, and the summary counts it.
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("good.json"), document().to_string()).unwrap();
    std::fs::write(
        input.join("bad.json"),
        with(0, "text", "a\n> 9:00:00  x".into()).to_string(),
    )
    .unwrap();
    let folder = dir.path().join("md");
    chatlint()
        .args(["convert", "--from", "json", "--to", "md"])
        .arg(&input)
        .arg("-o")
        .arg(&folder)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.json: message 0: text: line 2 \"> 9:00:00  x\" would read as a message header",
        ))
        .stderr(predicate::str::contains(
            "Converted 1, skipped 0, failed 1 (to md).",
        ));
    assert!(folder.join("good.md").exists());
    assert!(!folder.join("bad.md").exists());
}

#[test]
fn fix_notices_name_the_file_and_message_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chat.json");
    std::fs::write(&file, with(2, "text", "##背景".into()).to_string()).unwrap();
    chatlint()
        .args(["convert", "--from", "json", "--to", "md"])
        .arg(&file)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("## 背景  \n"))
        .stderr(predicate::str::contains(format!(
            "{}: message 2: text: changed by a safe fix",
            file.display()
        )));
}

// --- properties ---------------------------------------------------------

fn schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(transcript_schema)
}

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(items).prop_map(str::to_string)
}

/// Text lines a writer could break, and harmless ones.
const HOSTILE_LINES: &[&str] = &[
    "> 9:00:00  x",
    "> 09：00：00  x",
    ">\u{3000}08:00:00 x",
    "> 2017-05-05 08:00:00  y",
    "> 8.0.0 x",
    "## 2017-05-05",
    "# 2017-05-05",
    "###### 2017-05-05   ",
    "#2017-05-05",
    "##异地多活",
    "---",
    "...",
    "```",
    "~~~",
    "    code",
    "> quote",
    ">",
    "a\rb",
    "a\u{2028}",
    "\u{2028}",
    "a  ",
    "a\t",
    "",
    "   ",
    "&amp;amp;",
    "x\u{200b}y",
    "\u{feff}a",
    "@右军?你好",
    "![2017-08-25 11:51:30](http://static.cocolian.cn/img/20170825_115130.png)",
    "[强]",
    "<!-- chatlint-disable -->",
    "\\> 9:00:00  x",
    "\\## 2017-05-05",
];
const PLAIN_LINES: &[&str] = &[
    "你好",
    "hello world",
    "a > b",
    "- item",
    "1. item",
    "熊哥，请转发[握手]",
    "[文章](http://a.b/c)",
];
const SPEAKERS: &[&str] = &[
    "右军",
    "",
    "a b",
    " x",
    "x ",
    "a\nb",
    "a\rb",
    "a\u{2028}",
    "\u{3000}x",
    "韩涛  快捷通支付 渠道",
    "wxid_abc]]>",
    "08:00:00",
    "> x",
    "2017-01-01",
    "车睿??",
];
const TIMES_AS_WRITTEN: &[&str] = &[
    "7:50:02",
    "07：50：02",
    "7.50.2",
    "x",
    "",
    "7:50 02",
    "08:05:00  Mallory",
    "24:00:00",
    "9:00\n> x",
];
const HEADER_DATES: &[&str] = &[
    "2017-05-05",
    "2017-5-5",
    "2017/05/05",
    "yesterday",
    "2017-01-01\n> x",
    "2017-02-30",
    "",
];
/// Suppression comments and what is not one, as `suppressions` may hold them.
const SUPPRESSIONS: &[&str] = &[
    "<!-- chatlint-disable-next-line header-layout -->",
    "<!-- chatlint-disable -->",
    " <!-- chatlint-disable-line heading-missing-space -->",
    "<!-- chatlint-enable CL101 --> ",
    "<!-- chatlint-disable-next-line no-such-rule -->",
    "<!-- chatlint-disable --> <!-- chatlint-enable -->",
    "  <!-- chatlint-disable-file lost-character -->",
    "<!-- a note -->",
    "not a comment",
    "<!-- chatlint-disable -->x",
    "<!-- chatlint-disable -->\n> 08:00:00  x",
    "",
];
const HEADINGS: &[&str] = &[
    "## 2017-05-06",
    "## yesterday",
    "# 2017-05-06   ",
    "## 2017-05-06\n> 08:00:00  x",
    "##2017-05-06",
];
const RAWS: &[&str] = &[
    "layout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n",
    "title: \"a\n---\n",
    "title: \"unterminated\n",
    "> 08:00:00  x\n",
    "tag:\t[chat]\n",
    "title: a: b: c\n",
    "...\n",
    "",
];
const PREAMBLES: &[&str] = &[
    "intro",
    "---",
    "> 08:00:00  x",
    "## 2017-05-05",
    "\n\nx\n",
    "a\r\nb",
];

fn time() -> impl Strategy<Value = String> {
    (0..24u8, 0..60u8, 0..60u8).prop_map(|(h, m, s)| format!("{h:02}:{m:02}:{s:02}"))
}

fn text(hostile: bool) -> BoxedStrategy<String> {
    let line = if hostile {
        prop_oneof![3 => pick(PLAIN_LINES), 2 => pick(HOSTILE_LINES)].boxed()
    } else {
        pick(PLAIN_LINES).boxed()
    };
    prop::collection::vec(line, 0..4)
        .prop_map(|lines| lines.join("\n"))
        .boxed()
}

fn message(hostile: bool) -> BoxedStrategy<Value> {
    let speaker = if hostile {
        pick(SPEAKERS).boxed()
    } else {
        Just("右军".to_string()).boxed()
    };
    let as_written = if hostile {
        prop::option::weighted(0.2, pick(TIMES_AS_WRITTEN)).boxed()
    } else {
        Just(None).boxed()
    };
    let header_date = if hostile {
        prop::option::weighted(0.3, pick(HEADER_DATES)).boxed()
    } else {
        prop::option::weighted(0.3, Just("2017-05-05".to_string())).boxed()
    };
    let date = if hostile {
        prop::option::weighted(0.2, pick(&["2017-08-25", "2017-05-05", "2017-05-06"])).boxed()
    } else {
        Just(None).boxed()
    };
    let headings = if hostile {
        prop::collection::vec(
            (pick(HEADINGS), prop::option::weighted(0.3, 0..3usize)),
            0..2,
        )
        .boxed()
    } else {
        Just(Vec::new()).boxed()
    };
    // Where each suppression stands: seeds for its line and offset.
    let suppressions = if hostile {
        prop::collection::vec(
            (
                0..6usize,
                prop::option::weighted(0.5, 0..12usize),
                pick(SUPPRESSIONS),
            ),
            0..3,
        )
        .boxed()
    } else {
        prop::collection::vec(
            (
                0..6usize,
                prop::option::weighted(0.5, 0..12usize),
                Just(String::new()),
            ),
            0..3,
        )
        .boxed()
    };
    (
        speaker,
        time(),
        as_written,
        header_date,
        date,
        text(hostile),
        headings,
        suppressions,
    )
        .prop_map(
            move |(speaker, time, as_written, header_date, date, text, headings, suppressions)| {
                let suppressions = placed(&text, suppressions, hostile);
                let mut message = json!({
                    "index": 0, "line": 1,
                    "time": if as_written.is_some() { Value::Null } else { time.into() },
                    "date": date, "datetime": null, "speaker": speaker, "text": text,
                    "images": [], "links": [], "mentions": [], "emoji": [],
                });
                if let Some(written) = as_written {
                    message["time_as_written"] = written.into();
                }
                if let Some(header_date) = header_date {
                    message["header_date"] = header_date.into();
                }
                if !suppressions.is_empty() {
                    message["suppressions"] = suppressions.into();
                }
                if !headings.is_empty() {
                    message["day_headings"] = headings
                        .into_iter()
                        .map(|(text, within)| {
                            let mut heading =
                                json!({"line": 1, "date": "2017-05-06", "text": text});
                            if let Some(within) = within {
                                heading["within_previous"] = within.into();
                            }
                            heading
                        })
                        .collect();
                }
                message
            },
        )
        .boxed()
}

/// A message's `suppressions` from seeds `(line, offset, comment)`. Hostile:
/// as the seeds say, in or out of range. Plain: comments the default rules
/// never report as unused (they name a rule that is off), each where the
/// text has a place for it, in file order, written as `--to json` writes
/// them (within a line, with a space on the side of the text).
fn placed(text: &str, seeds: Vec<(usize, Option<usize>, String)>, hostile: bool) -> Vec<Value> {
    if hostile {
        return seeds
            .into_iter()
            .map(|(text_line, offset, comment)| {
                let mut suppression =
                    json!({"line": 1, "text_line": text_line, "comment": comment});
                if let Some(offset) = offset {
                    suppression["offset"] = offset.into();
                }
                suppression
            })
            .collect();
    }
    let lines: Vec<&str> = text.split('\n').filter(|_| !text.is_empty()).collect();
    let mut placed: Vec<(usize, Option<usize>, String)> = seeds
        .into_iter()
        .map(|(seed, offset, _)| {
            let text_line = seed % (lines.len() + 1);
            let within = lines.get(text_line).zip(offset);
            match within {
                Some((line, offset)) => {
                    // Not right after white space, which would go with the
                    // comment when it is read back.
                    let chars: Vec<char> = line.chars().collect();
                    let mut offset = offset % (chars.len() + 1);
                    while offset > 0 && chars[offset - 1].is_whitespace() {
                        offset -= 1;
                    }
                    let comment = "<!-- chatlint-disable-line header-layout -->";
                    let comment = if offset == 0 {
                        format!("{comment} ")
                    } else {
                        format!(" {comment}")
                    };
                    (text_line, Some(offset), comment)
                }
                None => (
                    text_line,
                    None,
                    "<!-- chatlint-disable-next-line header-layout -->".to_string(),
                ),
            }
        })
        .collect();
    placed.sort_by_key(|(text_line, offset, _)| (*text_line, *offset));
    placed
        .into_iter()
        .map(|(text_line, offset, comment)| {
            let mut suppression = json!({"line": 1, "text_line": text_line, "comment": comment});
            if let Some(offset) = offset {
                suppression["offset"] = offset.into();
            }
            suppression
        })
        .collect()
}

fn document_strategy(hostile: bool) -> impl Strategy<Value = Value> {
    let front_matter = if hostile {
        prop::option::weighted(0.7, (pick(RAWS), prop::bool::weighted(0.9))).boxed()
    } else {
        prop::option::weighted(0.7, (Just(RAWS[0].to_string()), Just(true))).boxed()
    };
    let preamble = if hostile {
        prop::option::weighted(0.2, pick(PREAMBLES)).boxed()
    } else {
        prop::option::weighted(0.2, Just("intro".to_string())).boxed()
    };
    let trailing = if hostile {
        prop::collection::vec(pick(HEADINGS), 0..2).boxed()
    } else {
        Just(Vec::new()).boxed()
    };
    (
        front_matter,
        preamble,
        prop::collection::vec(message(hostile), 0..6),
        trailing,
    )
        .prop_map(|(front_matter, preamble, messages, trailing)| {
            json!({
                "source": "2017-08-25-chat.md",
                "front_matter": front_matter.map(|(raw, closed)| json!({
                    "raw": raw, "closed": closed, "fields": [], "parsed": null,
                })),
                "preamble": preamble,
                "messages": messages,
                "trailing_day_headings": trailing
                    .into_iter()
                    .map(|text| json!({"line": 1, "date": "2017-05-06", "text": text}))
                    .collect::<Vec<_>>(),
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any document (valid per the schema): converted and read back the
    /// same (but for what the fixes' notices name), or refused naming a
    /// message and field; never a silent change, never a panic.
    #[test]
    fn a_document_converts_faithfully_or_is_refused_naming_the_field(json in document_strategy(true)) {
        prop_assert!(schema().is_valid(&json), "{json}");
        json_invariant::exercise_json(&json.to_string());
    }

    /// A document of what Markdown holds as written always converts, and
    /// nothing is changed or refused.
    #[test]
    fn a_plain_document_always_converts_unchanged(json in document_strategy(false)) {
        prop_assert!(schema().is_valid(&json), "{json}");
        let (markdown, notices) = convert_json(&json)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{json}")))?;
        prop_assert!(notices.is_empty(), "{notices:?}");
        prop_assert!(json_invariant::exercise_json(&json.to_string()), "{markdown}");
    }
}

/// Found by the fuzz target from its first seed: the safe fixes removed an
/// unused suppression comment from the preamble, and nothing said so.
/// Found by cargo-fuzz: two messages' texts changed by safe fixes (unused
/// suppression comments removed) were paired by a diff as a removal and an
/// addition, so no notice named the `text` field of message 1. (The
/// document was written before suppression comments left `text`; its
/// comments are now in `suppressions`, where the text had them.)
#[test]
fn each_changed_text_is_told_when_no_message_is_removed() {
    let input =
        std::fs::read_to_string("tests/data/fuzz-convert-from-json-unsaid-text-change.json")
            .unwrap();
    let json: Value = serde_json::from_str(&input).unwrap();
    let (_, notices) = convert_json(&json).unwrap();
    for (index, field) in [(0, "text"), (1, "suppressions"), (1, "text")] {
        assert!(
            notices.iter().any(|n| n
                .message
                .starts_with(&format!("message {index}: {field}: changed by a safe fix"))),
            "message {index}: {notices:?}"
        );
    }
    assert!(
        !notices.iter().any(|n| n.message.contains("messages:")),
        "{notices:?}"
    );
    assert!(json_invariant::exercise_json(&input));
}

#[test]
fn a_fix_outside_the_messages_is_told_too() {
    let path = "fixtures/unused-suppression/disable-file.md";
    let text = std::fs::read_to_string(path).unwrap();
    let (json, _) = convert_text(path, &text, Format::Json, &Options::default());
    let json: Value = serde_json::from_str(&json).unwrap();
    let (_, notices) = convert_json(&json).unwrap();
    assert!(
        notices
            .iter()
            .any(|n| n.line == 0 && n.message.starts_with("preamble: changed by a safe fix")),
        "{notices:?}"
    );
    assert!(json_invariant::exercise_json(&json.to_string()));
}

/// What the README says `--from json` requires; everything else may be left out.
const REQUIRED_TOP_LEVEL: &[&str] = &["messages"];
const REQUIRED_IN_A_MESSAGE: &[&str] = &["speaker", "text"];

/// Removes each field of a document in turn: the conversion fails exactly
/// when the field is one the README lists as required.
#[test]
fn from_json_requires_exactly_what_the_readme_lists() {
    let mut json = document();
    json["trailing_day_headings"] =
        json!([{"line": 22, "date": "2017-08-26", "text": "## 2017-08-26"}]);
    assert!(convert_json(&json).is_ok());
    let fields =
        |value: &Value| -> Vec<String> { value.as_object().unwrap().keys().cloned().collect() };
    for field in fields(&json) {
        let mut without = json.clone();
        without.as_object_mut().unwrap().remove(&field);
        let required = REQUIRED_TOP_LEVEL.contains(&field.as_str());
        assert_eq!(convert_json(&without).is_err(), required, "without {field}");
    }
    for field in fields(&json["messages"][1]) {
        let mut without = json.clone();
        without["messages"][1]
            .as_object_mut()
            .unwrap()
            .remove(&field);
        // A time is required as `time` or as `time_as_written`.
        let required = REQUIRED_IN_A_MESSAGE.contains(&field.as_str()) || field == "time";
        assert_eq!(
            convert_json(&without).is_err(),
            required,
            "without message 1's {field}"
        );
    }
    for (path, field) in [("front_matter", "raw"), ("trailing_day_headings", "text")] {
        let mut without = json.clone();
        let object = match &mut without[path] {
            Value::Array(items) => &mut items[0],
            other => other,
        };
        for other in fields(object) {
            let mut without_other = json.clone();
            let object = match &mut without_other[path] {
                Value::Array(items) => &mut items[0],
                other => other,
            };
            object.as_object_mut().unwrap().remove(&other);
            assert_eq!(
                convert_json(&without_other).is_err(),
                other == field,
                "without {path}'s {other}"
            );
        }
        object.as_object_mut().unwrap().remove(field);
        assert!(convert_json(&without).is_err(), "without {path}'s {field}");
    }
    // The smallest document the README allows: a message of three fields.
    let smallest = json!({"messages": [{"speaker": "甲", "time": "08:00:00", "text": "你好"}]});
    let (markdown, _) = convert_json(&smallest).unwrap();
    assert!(markdown.contains("> 08:00:00  甲"), "{markdown}");
    assert!(markdown.contains("你好"), "{markdown}");
}
