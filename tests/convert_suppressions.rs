//! Issue 13, item 7: suppression comments (`<!-- chatlint-disable… -->`)
//! are lint machinery, not message text. JSON, JSON Lines, CSV and XML keep
//! them out of `text`; JSON, JSON Lines and XML give each a place of its
//! own (`suppressions`), which `--from json` writes back where it stood;
//! clean Markdown keeps them, still suppressing what they did.

mod convert_support;

use std::path::PathBuf;

use chatlint::convert::{self, ConvertError, Format, Options};
use convert_support::*;
use serde_json::{json, Value};

const DISABLE_HEADING: &str = "<!-- chatlint-disable-next-line heading-missing-space -->";
const DISABLE_LINE: &str = "<!-- chatlint-disable-line lost-character -->";
const DISABLE_TIME: &str = "<!-- chatlint-disable-next-line malformed-timestamp -->";

/// A comment above a body line, one within a line, one in a code fence
/// (text, not a suppression), and one above the next header.
fn suppressed() -> String {
    format!(
        "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n\
         > 07:50:02  alice  \n   \nhello  \n{DISABLE_HEADING}\n##背景 x  \n\
         more {DISABLE_LINE} text @bob?hi  \n```\n<!-- chatlint-disable -->\n```\n   \n\
         {DISABLE_TIME}\n> 7:51:02  bob  \n   \nhi  \n   \n"
    )
}

const NAME: &str = "2017-08-25-chat.md";

/// Message 0's text, without its suppression comments.
const TEXT: &str = "hello\n##背景 x\nmore text @bob?hi\n```\n<!-- chatlint-disable -->\n```";

fn convert_to(format: Format) -> String {
    convert_text(NAME, &suppressed(), format, &Options::default()).0
}

#[test]
fn suppression_comments_are_not_text_in_json_jsonl_csv_or_xml() {
    // JSON: out of `text`, each with where it stood.
    let json: Value = serde_json::from_str(&convert_to(Format::Json)).unwrap();
    assert_valid(&transcript_schema(), &json, NAME);
    let messages = json["messages"].as_array().unwrap();
    assert_eq!(messages[0]["text"], TEXT);
    assert_eq!(messages[1]["text"], "hi");
    let expected = json!([
        {"line": 9, "text_line": 1, "comment": DISABLE_HEADING},
        {"line": 11, "text_line": 2, "offset": 4, "comment": format!(" {DISABLE_LINE}")},
        {"line": 16, "text_line": 6, "comment": DISABLE_TIME},
    ]);
    assert_eq!(messages[0]["suppressions"], expected);
    assert!(messages[1].get("suppressions").is_none());
    // The mention is still read from the line the comment stood in.
    assert_eq!(messages[0]["mentions"], json!(["bob"]));

    // JSON Lines: the same messages.
    let jsonl = convert_to(Format::Jsonl);
    let rows: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows[0]["text"], TEXT);
    assert_eq!(rows[0]["suppressions"], expected);

    // CSV: the text column holds the text only.
    let rows = csv_rows(&convert_to(Format::Csv));
    let texts: Vec<&str> = rows[1..].iter().map(|row| row[4].as_str()).collect();
    assert_eq!(texts, [TEXT, "hi"]);

    // XML: `<text>` without them, a `<suppression>` for each.
    let xml = convert_to(Format::Xml);
    assert_eq!(xml_texts(&xml, "text").unwrap(), [TEXT, "hi"]);
    assert_eq!(
        xml_texts(&xml, "suppression").unwrap(),
        [
            DISABLE_HEADING.to_string(),
            format!(" {DISABLE_LINE}"),
            DISABLE_TIME.to_string()
        ]
    );
    let attribute = |name| xml_attributes(&xml, "suppression", name);
    let some = |values: &[&str]| -> Vec<Option<String>> {
        values
            .iter()
            .map(|v| (!v.is_empty()).then(|| v.to_string()))
            .collect()
    };
    assert_eq!(attribute("line"), some(&["9", "11", "16"]));
    assert_eq!(attribute("text-line"), some(&["1", "2", "6"]));
    assert_eq!(attribute("offset"), some(&["", "4", ""]));
}

/// The suppressed findings (a heading, a lost character, a time) stay
/// suppressed in clean Markdown: `check` finds nothing in either.
fn check_finds_nothing(markdown: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(NAME);
    std::fs::write(&path, markdown).unwrap();
    chatlint()
        .env("CHATLINT_CACHE_DIR", dir.path().join("cache"))
        .arg("check")
        .arg(&path)
        .assert()
        .code(0);
}

#[test]
fn clean_markdown_keeps_them_where_they_suppress() {
    let clean = convert_to(Format::Md);
    check_finds_nothing(&suppressed());
    check_finds_nothing(&clean);
    assert_eq!(
        clean,
        format!(
            "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n\
             > 07:50:02  alice  \n   \nhello  \n{DISABLE_HEADING}  \n##背景 x  \n\
             more {DISABLE_LINE} text @bob?hi  \n```\n<!-- chatlint-disable -->\n```\n   \n\
             {DISABLE_TIME}  \n> 7:51:02  bob  \n   \nhi  \n   \n"
        )
    );
    // Converting it again changes nothing; in chunks, the same.
    assert_eq!(
        convert_text(NAME, &clean, Format::Md, &Options::default()).0,
        clean
    );
    let source = chatlint::SourceFile::from_string(NAME, suppressed());
    let document = convert::Document::build(&source, None);
    let mut chunked = Vec::new();
    convert::markdown::write_in_chunks(&document, &mut chunked, 1).unwrap();
    assert_eq!(String::from_utf8(chunked).unwrap(), clean);
}

#[test]
fn markdown_through_json_is_the_clean_markdown_with_them() {
    let json = convert_to(Format::Json);
    assert_eq!(markdown_from_json(&json), convert_to(Format::Md));
    // The fixtures of unused-suppression hold every form of comment.
    for fixture in ["comments.md", "disable-file.md"] {
        let path = PathBuf::from("fixtures/unused-suppression").join(fixture);
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let (json, _) = convert_text(&name, &text, Format::Json, &Options::default());
        let (clean, _) = convert_text(&name, &text, Format::Md, &Options::default());
        assert_eq!(markdown_from_json(&json), clean, "{name}");
        let document: Value = serde_json::from_str(&json).unwrap();
        for message in document["messages"].as_array().unwrap() {
            let text = message["text"].as_str().unwrap();
            let outside_fences: Vec<&str> = text
                .split('\n')
                .scan(false, |fenced, line| {
                    let fence = line.trim_start().starts_with("```");
                    let inside = *fenced || fence;
                    *fenced ^= fence;
                    Some((line, inside))
                })
                .filter(|(_, inside)| !inside)
                .map(|(line, _)| line)
                .collect();
            assert!(
                !outside_fences
                    .iter()
                    .any(|l| l.contains("<!-- chatlint-disable")
                        || l.contains("<!-- chatlint-enable")),
                "{name}: {text}"
            );
        }
    }
}

fn document() -> Value {
    serde_json::from_str(&convert_to(Format::Json)).unwrap()
}

/// The field a document is refused for.
fn refused_for(json: &Value) -> (Option<usize>, &'static str) {
    let mut out = Vec::new();
    match convert::convert_json(&json.to_string(), Format::Md, &Options::default(), &mut out) {
        Err(ConvertError::Invalid(err)) => {
            assert!(out.is_empty());
            (err.message, err.field)
        }
        other => panic!("not refused naming a field: {other:?}"),
    }
}

#[test]
fn a_document_with_a_comment_in_its_text_or_a_misplaced_one_is_refused() {
    // In the text (as documents written before kept them): refused, the
    // comment named.
    let mut json = document();
    json["messages"][1]["text"] = format!("{DISABLE_HEADING}\nhi").into();
    assert_eq!(refused_for(&json), (Some(1), "text"));
    // In a code fence it is text.
    json["messages"][1]["text"] = format!("```\n{DISABLE_HEADING}\n```").into();
    assert!(convert::convert_json(
        &json.to_string(),
        Format::Md,
        &Options::default(),
        &mut Vec::new()
    )
    .is_ok());
    let misplaced = [
        json!({"text_line": 0, "comment": "not a comment"}),
        json!({"text_line": 0, "comment": "<!-- a note -->"}),
        json!({"text_line": 0, "comment": format!("{DISABLE_HEADING} and text")}),
        json!({"text_line": 0, "comment": format!("{DISABLE_HEADING}\n> 08:00:00  x")}),
        json!({"text_line": 2, "comment": DISABLE_HEADING}),
        json!({"text_line": 1, "offset": 0, "comment": DISABLE_LINE}),
        json!({"text_line": 0, "offset": 3, "comment": DISABLE_LINE}),
        // Within a line, white space on the text's side goes with it: an
        // offset after a space would not read back the same.
        json!({"text_line": 0, "offset": 1, "comment": format!("{DISABLE_LINE} ")}),
        // In a code fence, a comment is text.
        json!({"text_line": 4, "comment": DISABLE_HEADING}),
    ];
    for suppression in misplaced {
        let mut json = document();
        json["messages"][1]["suppressions"] = json!([suppression]);
        assert_eq!(
            refused_for(&json),
            (Some(1), "suppressions"),
            "{suppression}"
        );
    }
}

#[test]
fn a_suppression_requires_its_text_line_and_comment_only() {
    let json = document();
    let (markdown, _) = {
        let mut out = Vec::new();
        let notices =
            convert::convert_json(&json.to_string(), Format::Md, &Options::default(), &mut out)
                .unwrap();
        (String::from_utf8(out).unwrap(), notices)
    };
    for (k, field) in [
        (0, "line"),
        (1, "line"),
        (1, "offset"),
        (0, "text_line"),
        (0, "comment"),
    ] {
        let mut without = json.clone();
        without["messages"][0]["suppressions"][k]
            .as_object_mut()
            .unwrap()
            .remove(field);
        let mut out = Vec::new();
        let result = convert::convert_json(
            &without.to_string(),
            Format::Md,
            &Options::default(),
            &mut out,
        );
        match field {
            // Derived: left out, the same Markdown.
            "line" => assert_eq!(String::from_utf8(out).unwrap(), markdown),
            // Without its offset, a comment within a line is one on a line
            // of its own, where it suppresses nothing: the safe fixes
            // remove it, and say so.
            "offset" => {
                let notices = result.unwrap();
                assert!(
                    notices.iter().any(|n| n
                        .message
                        .starts_with("message 0: suppressions: changed by a safe fix")),
                    "{notices:?}"
                );
                assert!(!String::from_utf8(out).unwrap().contains(DISABLE_LINE));
            }
            _ => assert!(
                matches!(result, Err(ConvertError::Json(_))),
                "without {field}"
            ),
        }
    }
    // Without any, the message is written without them.
    let mut without = json.clone();
    without["messages"][0]
        .as_object_mut()
        .unwrap()
        .remove("suppressions");
    let written = markdown_from_json(&without.to_string());
    assert!(!written.contains("chatlint-disable-next"), "{written}");
}

/// A suppression the safe fixes remove (it suppresses nothing) is told by
/// message and field.
#[test]
fn a_suppression_the_fixes_remove_is_told() {
    let mut json = document();
    json["messages"][1]["suppressions"] = json!([{"text_line": 0, "comment": DISABLE_HEADING}]);
    let mut out = Vec::new();
    let notices =
        convert::convert_json(&json.to_string(), Format::Md, &Options::default(), &mut out)
            .unwrap();
    let said: Vec<&str> = notices.iter().map(|n| n.message.as_str()).collect();
    assert!(
        said.iter()
            .any(|n| n.starts_with("message 1: suppressions: changed by a safe fix")),
        "{said:?}"
    );
    let written = String::from_utf8(out).unwrap();
    assert_eq!(written.matches(DISABLE_HEADING).count(), 1, "{written}");
}

/// The XML with suppressions is valid against `schemas/transcript.xsd`.
#[test]
#[cfg_attr(
    not(run_xmllint_tests),
    ignore = "needs xmllint (apt-get install libxml2-utils; README: Tests)"
)]
fn the_xml_with_suppressions_is_valid_for_xmllint() {
    assert_xmllint_runs();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("suppressed.xml");
    std::fs::write(&path, convert_to(Format::Xml)).unwrap();
    let preamble = dir.path().join("preamble.xml");
    let (xml, _) = convert_text(NAME, &with_preamble(), Format::Xml, &Options::default());
    std::fs::write(&preamble, xml).unwrap();
    xmllint_validate(&[path, preamble]).unwrap();
}

/// A preamble with a comment on a line of its own, one within a line, and
/// one right above the first header (where `--add-suppressions` puts the
/// comment for a finding on the header).
const DISABLE_IMAGE: &str = "<!-- chatlint-disable-line broken-image-url -->";

fn with_preamble() -> String {
    format!(
        "---\nlayout: source\ntitle: x\ndate: 2017-08-25 12:00:00\n---\n\
         Archived by 甲  \n{DISABLE_HEADING}\n##intro ![x](htp:/bad) {DISABLE_IMAGE}\n{DISABLE_TIME}\n\
         > 7:50:02  alice  \n   \nhello  \n   \n"
    )
}

#[test]
fn the_preamble_gives_up_its_comments_too() {
    let text = with_preamble();
    let to = |format| convert_text(NAME, &text, format, &Options::default()).0;
    let json: Value = serde_json::from_str(&to(Format::Json)).unwrap();
    assert_valid(&transcript_schema(), &json, NAME);
    // Kept as written (the trailing spaces too), less the comments.
    assert_eq!(json["preamble"], "Archived by 甲  \n##intro ![x](htp:/bad)");
    let expected = json!([
        {"line": 7, "text_line": 1, "comment": DISABLE_HEADING},
        {"line": 8, "text_line": 1, "offset": 22, "comment": format!(" {DISABLE_IMAGE}")},
        {"line": 9, "text_line": 2, "comment": DISABLE_TIME},
    ]);
    assert_eq!(json["preamble_suppressions"], expected);
    assert!(json["messages"][0].get("suppressions").is_none());

    // XML: `<preamble>` without them, a `<preamble-suppression>` for each.
    let xml = to(Format::Xml);
    assert_eq!(
        xml_texts(&xml, "preamble").unwrap(),
        ["Archived by 甲  \n##intro ![x](htp:/bad)"]
    );
    assert_eq!(
        xml_attributes(&xml, "preamble-suppression", "text-line"),
        [Some("1".into()), Some("1".into()), Some("2".into())]
    );

    // Clean Markdown puts each back where it stood, whole or in chunks,
    // and so does the JSON read back.
    let clean = to(Format::Md);
    assert_eq!(
        clean,
        format!(
            "---\nlayout: source\ntitle: x\ndate: 2017-08-25 12:00:00\n---\n\
             Archived by 甲  \n{DISABLE_HEADING}  \n##intro ![x](htp:/bad) {DISABLE_IMAGE}\n   \n\
             {DISABLE_TIME}  \n> 7:50:02  alice  \n   \nhello  \n   \n"
        )
    );
    check_finds_nothing(&text);
    check_finds_nothing(&clean);
    assert_eq!(markdown_from_json(&json.to_string()), clean);
    let source = chatlint::SourceFile::from_string(NAME, text.clone());
    let document = convert::Document::build(&source, None);
    let mut chunked = Vec::new();
    convert::markdown::write_in_chunks(&document, &mut chunked, 1).unwrap();
    assert_eq!(String::from_utf8(chunked).unwrap(), clean);
    assert_eq!(
        convert_text(NAME, &clean, Format::Md, &Options::default()).0,
        clean
    );

    // A comment left in `preamble` is refused, naming the field.
    let mut edited = json.clone();
    edited["preamble"] = format!("intro\n{DISABLE_TIME}").into();
    assert_eq!(refused_for(&edited), (None, "preamble"));
    let mut misplaced = json;
    misplaced["preamble_suppressions"][0]["text_line"] = 3.into();
    assert_eq!(refused_for(&misplaced), (None, "preamble_suppressions"));
}
