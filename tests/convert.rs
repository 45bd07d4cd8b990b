//! `chatlint convert`: hostile input in every format, the command line, and
//! converting a folder tree.

mod convert_support;

use std::fs;
use std::path::{Path, PathBuf};

use chatlint::convert::{Format, Options};
use convert_support::*;
use predicates::prelude::*;
use serde_json::{json, Value};

const CHAT: &str = "---\nlayout:     source \ntitle:      \"2017-08-25-WeChat\"\ndate:       2017-08-25 12:00:00\n---\n> 07:50:02  右军  \n   \n##异地多活  \n   \n> 07:54:35  我  \n   \n@右军?支付宝[强] ![2017-08-25 07:54:35](http://static.cocolian.cn/img/20170825_075435.png \"t\") [文章](http://a.b/c)  \n   \n";

/// Speakers and texts a naive writer would break: markup characters, a CDATA
/// end, quotes, a formula, control characters, a carriage return, a tab,
/// and U+FFFF.
const HOSTILE: &str = "---\ntitle: \"a\u{1}b <x> & \\\"q\\\"\"\ndate: 2017-08-25 12:00:00\n---\n\
> 07:50:02  <b>\"Tom\" & 'Jerry'</b> ]]>  \n   \n1 < 2 && 3 > 2 ]]> <![CDATA[x]]> \"quoted\" 'single'  \n   \n\
> 07:51:00  =HYPERLINK(\"http://evil\",\"click\")  \n   \n=1+1  \n+cmd|' /C calc'!A0  \n   \n\
> 07:52:00  bell\u{7}  man\u{1b}[31m  \n   \nnul\u{0}here \u{8}back\u{b}\u{c} and \u{ffff}\u{fffe} end  \nlone\rreturn\tand tab  \n   \n\
> 07:53:00  @tab\there  \n   \n-5 @everyone  \n   \n";

fn json_of(text: &str) -> Value {
    let (json, notices) = convert_text(
        "2017-08-25-chat.md",
        text,
        Format::Json,
        &Options::default(),
    );
    assert!(notices.is_empty());
    serde_json::from_str(&json).unwrap()
}

fn field(json: &Value, key: &str) -> Vec<String> {
    json["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m[key].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn json_carries_what_the_markdown_says() {
    let json = json_of(CHAT);
    assert_valid(&transcript_schema(), &json, "chat");
    let fields = &json["front_matter"]["fields"];
    assert_eq!(fields[0]["key"], "layout");
    assert_eq!(fields[0]["raw"], "source");
    assert_eq!(fields[1]["raw"], "\"2017-08-25-WeChat\"");
    assert_eq!(fields[1]["line"], 3);
    assert_eq!(json["front_matter"]["parsed"]["title"], "2017-08-25-WeChat");
    let second = &json["messages"][1];
    assert_eq!(second["index"], 1);
    assert_eq!(second["line"], 10);
    assert_eq!(second["time"], "07:54:35");
    assert_eq!(second["date"], "2017-08-25");
    assert_eq!(second["datetime"], "2017-08-25T07:54:35");
    assert_eq!(second["speaker"], "我");
    assert_eq!(second["mentions"][0], "右军");
    assert_eq!(second["emoji"][0], "强");
    assert_eq!(
        second["images"][0],
        serde_json::json!({"alt": "2017-08-25 07:54:35", "url": "http://static.cocolian.cn/img/20170825_075435.png", "title": "t"})
    );
    assert_eq!(second["links"][0]["url"], "http://a.b/c");
    assert_eq!(json["messages"][0]["text"], "##异地多活");
}

#[test]
fn hostile_text_survives_every_format() {
    let name = "2017-08-25-chat.md";
    let json = json_of(HOSTILE);
    assert_valid(&transcript_schema(), &json, "hostile");
    let speakers = field(&json, "speaker");
    let texts = field(&json, "text");
    assert_eq!(speakers[0], "<b>\"Tom\" & 'Jerry'</b> ]]>");
    assert_eq!(speakers[2], "bell\u{7}  man\u{1b}[31m");
    assert_eq!(speakers[3], "@tab\there");
    // A lone CR ends a line (as CommonMark reads it): the text has two lines.
    assert!(texts[2].contains("nul\u{0}here") && texts[2].contains("lone\nreturn\tand"));

    // CSV: as written by default, read back exactly.
    let (csv, _) = convert_text(name, HOSTILE, Format::Csv, &Options::default());
    let rows = csv_rows(&csv);
    assert_eq!(rows.len(), 5);
    for (row, (speaker, text)) in rows[1..].iter().zip(speakers.iter().zip(&texts)) {
        assert_eq!((&row[3], &row[4]), (speaker, text));
    }
    assert_eq!(rows[2][3], "=HYPERLINK(\"http://evil\",\"click\")");

    // XML: well-formed, every speaker and text read back, but for the
    // characters XML cannot hold, which are spelled out and reported.
    let (xml, notices) = convert_text(name, HOSTILE, Format::Xml, &Options::default());
    let spelled = |s: &str| chatlint::output::junit::xml_safe(s);
    let read_speakers: Vec<String> = xml_attributes(&xml, "message", "speaker")
        .into_iter()
        .map(Option::unwrap)
        .collect();
    assert_eq!(
        read_speakers,
        speakers.iter().map(|s| spelled(s)).collect::<Vec<_>>()
    );
    let read_texts = xml_texts(&xml, "text").unwrap();
    assert_eq!(
        read_texts,
        texts.iter().map(|s| spelled(s)).collect::<Vec<_>>()
    );
    assert!(read_texts[2].contains("nul\\u{0}here \\u{8}back\\u{b}\\u{c} and \\u{ffff}\\u{fffe}"));
    assert!(
        !xml.contains("]]>"),
        "a CDATA end must not stand in the text"
    );
    for c in ['\u{0}', '\u{1}', '\u{7}', '\u{8}', '\u{1b}', '\u{ffff}'] {
        assert!(!xml.contains(c), "{c:?} written raw");
    }
    let lines: Vec<usize> = notices.iter().map(|n| n.line).collect();
    // The YAML, the `title` field, a speaker and a text.
    assert_eq!(lines, [2, 2, 14, 14], "{notices:?}");
    assert!(
        notices[3].message.starts_with(
            "6 characters XML 1.0 cannot hold (U+0000, U+0008, U+000B, U+000C, U+FFFE, U+FFFF)"
        ),
        "{notices:?}"
    );
    assert_eq!(
        xml_texts(&xml, "field").unwrap()[0],
        "\"a\\u{1}b <x> & \\\"q\\\"\""
    );

    // Markdown: idempotent, and through JSON the same.
    let (clean, _) = convert_text(name, HOSTILE, Format::Md, &Options::default());
    let (again, _) = convert_text(name, &clean, Format::Md, &Options::default());
    assert_eq!(again, clean);
    let (json_text, _) = convert_text(name, HOSTILE, Format::Json, &Options::default());
    assert_eq!(markdown_from_json(&json_text), clean);
    assert!(clean.contains("nul\u{0}here"));
}

#[test]
fn excel_safe_guards_formulas_only_when_asked() {
    let options = Options {
        excel_safe: true,
        bom: true,
        ..Options::default()
    };
    let (csv, _) = convert_text("2017-08-25-chat.md", HOSTILE, Format::Csv, &options);
    assert!(csv.starts_with('\u{feff}'));
    let rows = csv_rows(csv.trim_start_matches('\u{feff}'));
    assert_eq!(rows[2][3], "'=HYPERLINK(\"http://evil\",\"click\")");
    assert_eq!(rows[2][4], "'=1+1\n+cmd|' /C calc'!A0");
    assert_eq!(rows[4][3], "'@tab\there");
    assert_eq!(rows[4][4], "'-5 @everyone");
    assert_eq!(rows[1][3], "<b>\"Tom\" & 'Jerry'</b> ]]>");
    // RFC 4180: CRLF between records; a field with a line break is quoted.
    assert!(csv.contains("\r\n") && csv.contains("\"'=1+1\n+cmd"));
}

#[test]
fn an_empty_file_and_a_file_without_messages_convert() {
    let validator = transcript_schema();
    let prose = "---\ntitle: notes\n---\n\nJust notes,  \nno messages.\n\n";
    for (text, preamble) in [
        ("", None),
        ("\n\n", None),
        (prose, Some("Just notes,  \nno messages.")),
    ] {
        let json = json_of(text);
        assert_valid(&validator, &json, text);
        assert_eq!(json["messages"], serde_json::json!([]));
        assert_eq!(json["preamble"].as_str(), preamble);
        let (csv, _) = convert_text("x.md", text, Format::Csv, &Options::default());
        assert_eq!(csv, "file,date,time,speaker,text,images,line\r\n");
        let (jsonl, _) = convert_text("x.md", text, Format::Jsonl, &Options::default());
        assert_eq!(jsonl, "");
        let (xml, _) = convert_text("x.md", text, Format::Xml, &Options::default());
        assert!(xml_texts(&xml, "text").unwrap().is_empty());
        let (clean, _) = convert_text("x.md", text, Format::Md, &Options::default());
        let (again, _) = convert_text("x.md", &clean, Format::Md, &Options::default());
        assert_eq!(again, clean);
        let (json_text, _) = convert_text("x.md", text, Format::Json, &Options::default());
        assert_eq!(markdown_from_json(&json_text), clean);
    }
    // Without messages, no separator after the text (a README once got a
    // stray line of three spaces); before a day heading, the layout's.
    let (clean, _) = convert_text("x.md", prose, Format::Md, &Options::default());
    assert_eq!(
        clean,
        "---\ntitle: notes\n---\nJust notes,  \nno messages.\n"
    );
    let readme = "# 说明\n\n这个文件夹放聊天记录。\n";
    let (clean, _) = convert_text("README.md", readme, Format::Md, &Options::default());
    assert_eq!(clean, readme);
    let (clean, _) = convert_text(
        "x.md",
        "intro\n## 2017-05-05\n",
        Format::Md,
        &Options::default(),
    );
    assert_eq!(clean, "intro\n   \n## 2017-05-05   \n");
    for text in [readme, "intro\n## 2017-05-05\n"] {
        let (json, _) = convert_text("x.md", text, Format::Json, &Options::default());
        let (clean, _) = convert_text("x.md", text, Format::Md, &Options::default());
        assert_eq!(markdown_from_json(&json), clean);
    }
    let (clean, _) = convert_text("x.md", "", Format::Md, &Options::default());
    assert_eq!(clean, "");
}

#[test]
fn clean_markdown_is_the_archive_layout_with_safe_fixes() {
    let messy = "\u{feff}---\r\ntitle: \"2017-08-25-WeChat\"\r\ndate: 2017-08-25 12:00:00\r\n---\r\n\r\n>   7:50:02   右军   \r\n##背景\r\n\r\n\r\n第二行\t\r\n> 07:54:35  我\r\n```\r\ncode  \r\n```\r\n> 07:55:00    \r\n";
    let (clean, _) = convert_text("2017-08-25-chat.md", messy, Format::Md, &Options::default());
    assert_eq!(
        clean,
        "---\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n\
         > 07:50:02  右军  \n   \n## 背景  \n  \n  \n第二行  \n   \n\
         > 07:54:35  我  \n   \n```\ncode  \n```\n   \n\
         > 07:55:00    \n   \n"
    );
}

/// A suppression comment holds for the whole file even when the Markdown is
/// written a message at a time, and a JSON document is written in chunks too.
#[test]
fn clean_markdown_in_chunks_keeps_suppressions_and_removes_twins() {
    use chatlint::convert::{markdown, Document};
    let text = "> 07:50:02  右军\n<!-- chatlint-disable-file heading-missing-space -->\n\n\
                > 07:51:00  我\n#背景\n\n\
                > 07:51:00  我\n#背景\n";
    let source = chatlint::SourceFile::from_string("2017-08-25-chat.md", text);
    let document = Document::build(&source, None);
    let mut chunked = Vec::new();
    markdown::write_in_chunks(&document, &mut chunked, 1).unwrap();
    let chunked = String::from_utf8(chunked).unwrap();
    assert_eq!(chunked, markdown::clean(&document).unwrap());
    // The heading is left alone and the twin goes.
    assert_eq!(chunked.matches("#背景").count(), 1, "{chunked}");
    assert!(!chunked.contains("# 背景"), "{chunked}");

    let (json, _) = convert_text(
        "2017-08-25-chat.md",
        &text.replace("<!-- chatlint-disable-file heading-missing-space -->", ""),
        Format::Json,
        &Options::default(),
    );
    let document: Document<'_> = serde_json::from_str(&json).unwrap();
    let mut from_json = Vec::new();
    markdown::write_in_chunks(&document, &mut from_json, 1).unwrap();
    let from_json = String::from_utf8(from_json).unwrap();
    assert_eq!(from_json, markdown::clean(&document).unwrap());
    assert_eq!(from_json.matches("# 背景").count(), 1, "{from_json}");
}

/// Found by the robustness test: written a message at a time, the preamble
/// was fixed and read back alone, without the separator that parts it from
/// the messages after it, and the conversion was refused.
#[test]
fn a_preamble_written_in_chunks_keeps_its_separator() {
    use chatlint::convert::{markdown, Document};
    let text = "![2017-08-25 11:51:30](http://static.cocolian.cn/img/20170825_115130.png)\n\
                >07:50:02    \n>07:50:02    ";
    let source = chatlint::SourceFile::from_string("2017-05-05-chat.md", text);
    let document = Document::build(&source, None);
    let whole = markdown::clean(&document).unwrap();
    assert!(whole.contains(".png)\n   \n> 07:50:02"), "{whole}");
    let mut chunked = Vec::new();
    markdown::write_in_chunks(&document, &mut chunked, 1).unwrap();
    assert_eq!(String::from_utf8(chunked).unwrap(), whole);
}

/// Day headings inside messages, one with the separator's spaces.
const DAY_HEADINGS_INSIDE: &str =
    "> 23:59:50  甲\n   \n晚安\n## 2017-05-06   \n这行在标题之后\n   \n\
                                   > 00:00:10  乙\n   \n早\n## 2017-05-07\n最后一行\n";

/// Lines after a day heading and before the next header belong to the
/// message before the heading; clean Markdown keeps them after the heading,
/// and JSON and XML say where the heading stands.
#[test]
fn a_day_heading_inside_a_message_stays_where_it_is() {
    let text = DAY_HEADINGS_INSIDE;
    let name = "2017-05-05-chat.md";
    let (clean, _) = convert_text(name, text, Format::Md, &Options::default());
    assert_eq!(
        clean,
        "> 23:59:50  甲  \n   \n晚安  \n## 2017-05-06   \n这行在标题之后  \n   \n\
         > 00:00:10  乙  \n   \n早  \n## 2017-05-07   \n最后一行  \n   \n"
    );
    let (again, _) = convert_text(name, &clean, Format::Md, &Options::default());
    assert_eq!(again, clean);

    let (json_text, _) = convert_text(name, text, Format::Json, &Options::default());
    let json: Value = serde_json::from_str(&json_text).unwrap();
    assert_valid(&transcript_schema(), &json, name);
    assert_eq!(json["messages"][0]["text"], "晚安\n这行在标题之后");
    assert_eq!(json["messages"][1]["day_headings"][0]["within_previous"], 1);
    assert_eq!(json["messages"][1]["date"], "2017-05-06");
    assert_eq!(json["trailing_day_headings"][0]["within_previous"], 1);
    assert_eq!(markdown_from_json(&json_text), clean);

    let (xml, _) = convert_text(name, text, Format::Xml, &Options::default());
    assert!(
        xml.contains(r#"<day-heading line="4" date="2017-05-06" within-previous="1">"#),
        "{xml}"
    );
    // In chunks of one message each, the same.
    let source = chatlint::SourceFile::from_string(name, text);
    let document = chatlint::convert::Document::build(&source, None);
    let mut chunked = Vec::new();
    chatlint::convert::markdown::write_in_chunks(&document, &mut chunked, 1).unwrap();
    assert_eq!(String::from_utf8(chunked).unwrap(), clean);
}

/// The XML of the hostile text and of day headings inside messages is valid
/// against `schemas/transcript.xsd`, as xmllint reads it.
#[test]
#[cfg_attr(
    not(run_xmllint_tests),
    ignore = "needs xmllint (apt-get install libxml2-utils; README: Tests)"
)]
fn hostile_text_and_day_headings_are_valid_xml_for_xmllint() {
    assert_xmllint_runs();
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = [
        ("2017-08-25-chat.md", "hostile.xml", HOSTILE),
        ("2017-05-05-chat.md", "inside.xml", DAY_HEADINGS_INSIDE),
    ]
    .into_iter()
    .map(|(name, file, text)| {
        let (xml, _) = convert_text(name, text, Format::Xml, &Options::default());
        let path = dir.path().join(file);
        fs::write(&path, xml).unwrap();
        path
    })
    .collect();
    xmllint_validate(&files).unwrap();
}

#[test]
fn day_headings_and_full_dates_round_trip() {
    let name = "2017-05-05-chat.md";
    let text = fs::read_to_string("fixtures/sample/2017-05-05-chat.md").unwrap();
    let (json_text, _) = convert_text(name, &text, Format::Json, &Options::default());
    let json: Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(
        json["messages"][0]["day_headings"][0]["text"],
        "## 2017-05-05"
    );
    assert_eq!(json["messages"][0]["header_date"], "2017-05-05");
    let dates = field(&json, "date");
    assert_eq!(dates.first().unwrap(), "2017-05-05");
    assert_eq!(dates.last().unwrap(), "2017-05-06");
    let (clean, _) = convert_text(name, &text, Format::Md, &Options::default());
    assert!(
        clean.contains("   \n## 2017-05-06   \n> 2017-05-06 00:02:17  Codefor-YMT-TechLead-BJ  \n")
    );
    assert_eq!(markdown_from_json(&json_text), clean);
}

#[test]
fn json_that_markdown_cannot_hold_is_refused() {
    let mut json = json_of(CHAT);
    json["messages"][0]["speaker"] = "two\nlines".into();
    let err = chatlint::convert::convert_json(
        &json.to_string(),
        Format::Md,
        &Options::default(),
        &mut Vec::new(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "message 0: speaker: \"two\\nlines\" holds a line break"
    );
    let mut json = json_of(CHAT);
    json["messages"][0]["text"] = "a\n> 08:00:00  impostor\nb".into();
    assert!(chatlint::convert::convert_json(
        &json.to_string(),
        Format::Md,
        &Options::default(),
        &mut Vec::new()
    )
    .is_err());
    // An edit the Markdown can hold: a new speaker, a new time, less data.
    let mut json = json_of(CHAT);
    json["messages"][1] =
        serde_json::json!({"speaker": "新人", "time": "08:00:00", "text": "大家好"});
    let markdown = markdown_from_json(&json.to_string());
    assert!(
        markdown.ends_with("> 08:00:00  新人  \n   \n大家好  \n   \n"),
        "{markdown}"
    );
}

// --- the command line ---------------------------------------------------

/// `chatlint convert ARGS INPUT -o OUT`.
fn convert_to(args: &[&str], input: &Path, out: &Path) -> assert_cmd::assert::Assert {
    chatlint()
        .arg("convert")
        .args(args)
        .arg(input)
        .arg("-o")
        .arg(out)
        .assert()
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, contents).unwrap();
    path
}

#[test]
fn one_input_goes_to_stdout_and_stdin_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let chat = write(dir.path(), "2017-08-25-chat.md", CHAT);
    let output = chatlint()
        .args(["convert", "--to", "json", "--timezone", "+08:00"])
        .arg(&chat)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["messages"][0]["datetime"], "2017-08-25T07:50:02+08:00");

    let output = chatlint()
        .args([
            "convert",
            "--to",
            "jsonl",
            "-",
            "--stdin-filename",
            "2017-09-01-chat.md",
        ])
        .write_stdin("> 07:50:02  右军  \n   \n好  \n")
        .output()
        .unwrap();
    let row: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(row["file"], "2017-09-01-chat.md");
    assert_eq!(row["date"], "2017-09-01");
    assert_eq!(row["text"], "好");
}

#[test]
fn with_diagnostics_adds_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    let chat = write(dir.path(), "2017-08-25-chat.md", CHAT);
    let output = chatlint()
        .args(["convert", "--to", "json", "--with-diagnostics"])
        .arg(&chat)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_valid(&transcript_schema(), &json, "with diagnostics");
    let names: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"heading-missing-space"), "{names:?}");
    assert_eq!(json["diagnostics"][0]["line"], 8);
}

/// The transcript schema carries the diagnostics schema it refers to, so
/// that validators resolve it offline (by its `$id`), and the copy is the
/// diagnostics schema exactly: the two cannot drift apart.
#[test]
fn the_transcript_schema_bundles_the_diagnostics_schema() {
    let transcript = read_schema("transcript.schema.json");
    let diagnostics = read_schema("diagnostics.schema.json");
    assert_eq!(transcript["$defs"]["diagnostics"], diagnostics);
    let reference = transcript["properties"]["diagnostics"]["items"]["$ref"]
        .as_str()
        .unwrap();
    let (file, pointer) = reference.split_once('#').unwrap();
    let base = transcript["$id"].as_str().unwrap();
    let resolved = format!("{}{file}", &base[..=base.rfind('/').unwrap()]);
    assert_eq!(resolved, diagnostics["$id"]);
    assert!(diagnostics.pointer(pointer).is_some(), "{pointer}");
    // A finding that breaks the diagnostics schema fails the transcript's:
    // the reference is followed, not skipped.
    let mut document = json!({"source": "x.md", "front_matter": null, "preamble": null,
        "messages": [], "trailing_day_headings": [], "diagnostics": [{"code": "bad"}]});
    assert!(!transcript_schema().is_valid(&document));
    document["diagnostics"] = json!([]);
    assert_valid(&transcript_schema(), &document, "no findings");
}

/// Standard input named by `--stdin-filename` is checked under that name,
/// as `check` does: the front matter's date is compared with it.
#[test]
fn with_diagnostics_on_stdin_uses_the_stdin_filename() {
    let diagnostics = |args: &[&str]| -> Vec<String> {
        let output = chatlint()
            .args(["convert", "--to", "json", "--with-diagnostics"])
            .args(args)
            .arg("-")
            .write_stdin(CHAT)
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap().to_string())
            .collect()
    };
    let unnamed = diagnostics(&[]);
    let misnamed = diagnostics(&["--stdin-filename", "2018-01-01-chat.md"]);
    assert!(
        !unnamed.contains(&"front-matter".to_string()),
        "{unnamed:?}"
    );
    assert!(
        misnamed.contains(&"front-matter".to_string()),
        "{misnamed:?}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let chat = write(dir.path(), "a.md", CHAT);
    for args in [
        vec!["--to", "json", "--bom"],
        vec!["--to", "csv", "--with-diagnostics"],
        vec!["--to", "md", "--timezone", "+08:00"],
        vec!["--to", "csv", "--timezone", "+08:00"],
        vec!["--to", "json", "--timezone", "8"],
        vec!["--to", "csv", "--from", "json"],
        vec!["--to", "yaml"],
    ] {
        chatlint()
            .arg("convert")
            .args(&args)
            .arg(&chat)
            .assert()
            .code(2);
    }
    chatlint()
        .args(["convert", "--to", "json"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("need -o OUT"));
}

#[test]
fn json_converts_back_to_markdown_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let chat = write(dir.path(), "2017-08-25-chat.md", CHAT);
    let json = dir.path().join("chat.json");
    convert_to(&["--to", "json"], &chat, &json).code(0);
    let back = chatlint()
        .args(["convert", "--from", "json", "--to", "md"])
        .arg(&json)
        .output()
        .unwrap();
    let clean = chatlint()
        .args(["convert", "--to", "md"])
        .arg(&chat)
        .output()
        .unwrap();
    assert_eq!(back.stdout, clean.stdout);
    assert!(String::from_utf8(clean.stdout)
        .unwrap()
        .contains("## 异地多活  \n"));
}

#[test]
fn xml_notices_go_to_stderr_and_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in/2017-08-25-chat.md", HOSTILE);
    chatlint()
        .args(["convert", "--to", "xml"])
        .arg(dir.path().join("in"))
        .arg("-o")
        .arg(dir.path().join("out"))
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "2017-08-25-chat.md:14: 2 characters XML 1.0 cannot hold (U+0007, U+001B) written as `\\u{7}\\u{1b}`",
        ))
        .stderr(predicate::str::contains(
            "Changed by the conversion (see above): 4 places in 1 files.",
        ))
        .stderr(predicate::str::contains("Converted 1, skipped 0, failed 0 (to xml)."));
}

#[test]
fn a_folder_tree_is_mirrored_and_a_failure_stops_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("posts");
    write(&input, "devarch/_posts/2017-08-25-chat.markdown", CHAT);
    write(&input, "prodarch/_posts/2017-08-26-chat.md", CHAT);
    write(&input, "prodarch/_posts/notes.txt", "not walked");
    write(
        &input,
        "prodarch/_posts/2017-08-27-chat.md",
        b"---\n\xc4\xe3\xba\xc3\n",
    );
    let out = dir.path().join("out");
    let output = convert_to(&["--to", "csv"], &input, &out)
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("Converted 2, skipped 0, failed 1 (to csv)."),
        "{stderr}"
    );
    assert!(
        stderr.contains("failed: ") && stderr.contains("2017-08-27-chat.md: not valid UTF-8"),
        "{stderr}"
    );
    let mut written: Vec<String> = ignore::WalkBuilder::new(&out)
        .hidden(false)
        .build()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.is_file())
        .map(|p| p.strip_prefix(&out).unwrap().display().to_string())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "devarch/_posts/2017-08-25-chat.csv",
            "prodarch/_posts/2017-08-26-chat.csv"
        ]
    );
    let rows =
        csv_rows(&fs::read_to_string(out.join("prodarch/_posts/2017-08-26-chat.csv")).unwrap());
    assert_eq!(rows.len(), 3);

    // Again: the outputs exist; without --force they are skipped, with it replaced.
    convert_to(&["--to", "csv"], &input, &out)
        .code(2)
        .stderr(predicate::str::contains("skipped 2"))
        .stderr(predicate::str::contains("exists (--force overwrites it)"));
    convert_to(&["--force", "--to", "csv"], &input, &out)
        .code(2)
        .stderr(predicate::str::contains("Converted 2, skipped 0, failed 1"));
}

#[test]
fn nothing_is_written_outside_out_or_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("posts");
    write(&input, "a/2017-08-25-chat.md", CHAT);
    write(&input, "b/2017-08-26-chat.md", CHAT);
    let out = dir.path().join("out");
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(&out).unwrap();
    fs::create_dir_all(&elsewhere).unwrap();
    // A link inside OUT that leads out of it.
    std::os::unix::fs::symlink(&elsewhere, out.join("a")).unwrap();
    let output = convert_to(&["--force", "--to", "json"], &input, &out)
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("leads outside the output folder"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Converted 1, skipped 0, failed 1"),
        "{stderr}"
    );
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    assert!(out.join("b/2017-08-26-chat.json").is_file());

    // Clean Markdown written over the folder it comes from: never over an input.
    let md = input.join("a/2017-08-25-chat.md");
    convert_to(&["--force", "--to", "md"], &input, &input)
        .code(2)
        .stderr(predicate::str::contains(
            "is an input file; it is never overwritten",
        ));
    assert_eq!(fs::read_to_string(&md).unwrap(), CHAT);
    convert_to(&["--force", "--to", "md"], &md, &md).code(2);
    assert_eq!(fs::read_to_string(&md).unwrap(), CHAT);

    // An output folder inside the input folder: its files are not inputs.
    let nested = input.join("clean");
    for _ in 0..2 {
        convert_to(&["--force", "--to", "md"], &input, &nested)
            .code(0)
            .stderr(predicate::str::contains("Converted 2, skipped 0, failed 0"));
    }
    assert!(!nested.join("clean").exists());
}
