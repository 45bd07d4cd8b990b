//! `chatlint convert` on every file of the real archive in `../shared/corpus/`:
//! each format checked by an independent reader (the JSON Schema, the `csv`
//! crate, quick-xml and xmllint with the XSD, pulldown-cmark), against the
//! header lines read straight from the file.
//!
//! Without the corpus these tests are listed as ignored, with the reason;
//! `CHATLINT_REQUIRE_CORPUS=1` (set by `.ci/run`) runs them anyway, so that
//! they fail (see `tests/resources/mod.rs`). The XSD validation also needs
//! xmllint (`CHATLINT_REQUIRE_XMLLINT=1`).

mod convert_support;
mod corpus_scan;
mod resources;

use std::path::{Path, PathBuf};

use chatlint::convert::{Format, Options};
use chatlint::{fix_path, parse, Applicability, Settings};
use convert_support::*;
use rayon::prelude::*;
use serde_json::Value;

/// A file of the corpus with its JSON document.
struct Converted {
    name: String,
    text: String,
    json: Value,
}

fn read(path: &Path) -> (String, String) {
    let text = String::from_utf8(std::fs::read(path).unwrap()).unwrap();
    (path.display().to_string(), text)
}

fn each_file<T: Send>(f: impl Fn(String, String) -> T + Sync) -> Vec<T> {
    let files = transcripts(&resources::corpus_dir());
    assert!(files.len() >= 450, "{} files", files.len());
    files
        .par_iter()
        .map(|path| {
            let (name, text) = read(path);
            f(name, text)
        })
        .collect()
}

fn to_json(name: String, text: String) -> Converted {
    let (json, notices) = convert_text(&name, &text, Format::Json, &Options::default());
    assert!(notices.is_empty(), "{name}: {notices:?}");
    Converted {
        json: serde_json::from_str(&json).unwrap(),
        name,
        text,
    }
}

/// The header lines of a file, read without the parser: `> HH:MM:SS` and
/// the rest of the line. (Every header of the archive has this form.)
fn header_lines(text: &str) -> Vec<(usize, String, String)> {
    text.split('\n')
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let rest = line.strip_prefix("> ")?;
            let time = rest.get(..8)?;
            let shape = time.bytes().enumerate().all(|(i, b)| {
                if i == 2 || i == 5 {
                    b == b':'
                } else {
                    b.is_ascii_digit()
                }
            });
            (shape && (rest.len() == 8 || rest[8..].starts_with(' ')))
                .then(|| (i + 1, time.to_string(), rest[8..].trim().to_string()))
        })
        .collect()
}

#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn json_validates_and_has_a_message_per_header_line() {
    let validator = transcript_schema();
    let files = each_file(to_json);
    let mut messages = 0;
    for file in &files {
        assert_valid(&validator, &file.json, &file.name);
        let headers = header_lines(&file.text);
        let found: Vec<(usize, String, String)> = file.json["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["line"].as_u64().unwrap() as usize,
                    m["time"].as_str().unwrap().to_string(),
                    m["speaker"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(found, headers, "{}", file.name);
        messages += found.len();
        // Every message is dated: the archive's front matter has `date`.
        let dates = &file.json["messages"];
        assert!(
            dates
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["date"].is_string()),
            "{}",
            file.name
        );
    }
    // As many as `grep -c '^> '` counts over the corpus, README aside: every
    // such line has the header's shape.
    let quoted: usize = files
        .iter()
        .map(|file| {
            file.text
                .split('\n')
                .filter(|l| l.starts_with("> "))
                .count()
        })
        .sum();
    assert_eq!(messages, quoted);
    assert!(messages > 41_000, "{messages}");
}

#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn csv_has_a_row_per_message_that_reads_back() {
    let files = each_file(|name, text| {
        let (csv, _) = convert_text(&name, &text, Format::Csv, &Options::default());
        (to_json(name, text), csv)
    });
    for (file, csv) in &files {
        let rows = csv_rows(csv);
        assert_eq!(
            rows[0],
            ["file", "date", "time", "speaker", "text", "images", "line"]
        );
        let messages = file.json["messages"].as_array().unwrap();
        assert_eq!(rows.len() - 1, messages.len(), "{}", file.name);
        for (row, message) in rows[1..].iter().zip(messages) {
            let images: Vec<&str> = message["images"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["url"].as_str().unwrap())
                .collect();
            let expected = [
                file.name.clone(),
                message["date"].as_str().unwrap().to_string(),
                message["time"].as_str().unwrap().to_string(),
                message["speaker"].as_str().unwrap().to_string(),
                message["text"].as_str().unwrap().to_string(),
                images.join("\n"),
                message["line"].to_string(),
            ];
            assert_eq!(row, &expected, "{}", file.name);
        }
    }
}

#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn xml_is_well_formed_and_reads_back_as_the_json() {
    let files = each_file(|name, text| {
        let (xml, notices) = convert_text(&name, &text, Format::Xml, &Options::default());
        assert!(notices.is_empty(), "{name}: {notices:?}");
        (to_json(name, text), xml)
    });
    for (file, xml) in &files {
        // Read back, the XML gives the JSON's speakers and texts.
        let messages = file.json["messages"].as_array().unwrap();
        let speakers: Vec<Option<String>> = messages
            .iter()
            .map(|m| Some(m["speaker"].as_str().unwrap().to_string()))
            .collect();
        let texts: Vec<String> = messages
            .iter()
            .map(|m| m["text"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            xml_attributes(xml, "message", "speaker"),
            speakers,
            "{}",
            file.name
        );
        let read = xml_texts(xml, "text").unwrap_or_else(|e| panic!("{}: {e}", file.name));
        assert_eq!(read, texts, "{}", file.name);
    }
}

#[test]
#[cfg_attr(
    not(all(run_corpus_tests, run_xmllint_tests)),
    ignore = "needs ../shared/corpus beside the checkout, and xmllint (README: Tests)"
)]
fn xml_is_valid_against_the_xsd() {
    assert_xmllint_runs();
    let out = tempfile::tempdir().unwrap();
    let files = each_file(|name, text| {
        let (xml, _) = convert_text(&name, &text, Format::Xml, &Options::default());
        xml
    });
    let written: Vec<PathBuf> = files
        .iter()
        .enumerate()
        .map(|(i, xml)| {
            let path = out.path().join(format!("{i}.xml"));
            std::fs::write(&path, xml).unwrap();
            path
        })
        .collect();
    xmllint_validate(&written).unwrap();
}

/// The messages of a text: time as written, speaker, text.
fn messages(text: &str) -> Vec<(String, String, String)> {
    parse(text)
        .messages
        .iter()
        .map(|m| {
            (
                m.header.time_text(text).to_string(),
                m.header.speaker(text).to_string(),
                m.text(text).into_owned(),
            )
        })
        .collect()
}

#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn clean_markdown_is_idempotent_and_changes_only_what_fixes_change() {
    let files = each_file(|name, text| {
        let (clean, _) = convert_text(&name, &text, Format::Md, &Options::default());
        let (again, _) = convert_text(&name, &clean, Format::Md, &Options::default());
        assert_eq!(again, clean, "{name}: not idempotent");
        // LF, one final newline.
        assert!(!clean.contains('\r'), "{name}");
        assert!(clean.ends_with('\n') && !clean.ends_with("\n\n"), "{name}");
        // What the fix engine alone makes of the file: the same messages,
        // the same rendering.
        let fixed = fix_path(
            &name,
            &text,
            Some(Path::new(&name)),
            &Settings::default(),
            Applicability::Safe,
        )
        .unwrap();
        assert_eq!(messages(&clean), messages(&fixed.text), "{name}");
        assert_eq!(
            rendered_text(&clean),
            rendered_text(&fixed.text),
            "{name}: renders differently"
        );
        let original_messages = parse(&text).messages.len();
        // The safe fixes remove the identical twins (same time, speaker and
        // lines) that a scan of the raw lines finds, and no other message.
        let removed = original_messages - messages(&clean).len();
        let mut scan = corpus_scan::Scan::default();
        let file_name = Path::new(&name).file_name().unwrap().to_string_lossy();
        corpus_scan::scan_file(&file_name, &text, &mut scan);
        assert_eq!(removed, scan.identical_twins.len(), "{name}");
        (fixed.changed(), removed)
    });
    // In a few of the files.
    let removed: usize = files.iter().map(|(_, removed)| removed).sum();
    assert!(removed > 0);
    assert!(files.iter().filter(|(changed, _)| *changed).count() > 100);
}

/// Clean Markdown written a chunk at a time (as a large file is) is the
/// Markdown cleaned whole: with chunks of one byte every message is a chunk
/// of its own, so each of the twins `duplicate-message` removes is in
/// another chunk than the message it repeats; chunks of 2 KB split the
/// files elsewhere.
#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn clean_markdown_in_chunks_is_the_markdown_cleaned_whole() {
    let files = each_file(|name, text| {
        let source = chatlint::SourceFile::from_string(name.clone(), text);
        let document = chatlint::convert::Document::build(&source, None);
        let whole = chatlint::convert::markdown::clean(&document).unwrap();
        for chunk_bytes in [1, 2048] {
            let mut chunked = Vec::new();
            chatlint::convert::markdown::write_in_chunks(&document, &mut chunked, chunk_bytes)
                .unwrap();
            assert_eq!(
                String::from_utf8(chunked).unwrap(),
                whole,
                "{name} in chunks of {chunk_bytes}"
            );
        }
        parse(&whole).messages.len()
    });
    assert!(files.iter().filter(|messages| **messages > 1).count() > 400);
}

#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn markdown_through_json_is_the_clean_markdown() {
    // Asserted file by file (each_file checks that all 450 are there).
    each_file(|name, text| {
        let (json, _) = convert_text(&name, &text, Format::Json, &Options::default());
        let (clean, _) = convert_text(&name, &text, Format::Md, &Options::default());
        assert_eq!(markdown_from_json(&json), clean, "{name}");
    });
}

#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn the_whole_archive_converts_in_one_command() {
    let dir = resources::corpus_dir();
    let out = tempfile::tempdir().unwrap();
    let output = chatlint()
        .args(["convert", "--to", "jsonl"])
        .arg(&dir)
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    // Every transcript, and the corpus README (no message, no front matter)
    // skipped: the walk says so, and no output is made for it.
    let markdown: Vec<PathBuf> = transcripts(&dir)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "markdown"))
        .collect();
    assert_eq!(markdown.len(), 449);
    assert_eq!(
        stderr,
        format!(
            "chatlint: {}: skipped 1 Markdown file that is not a transcript (no message header, \
             no front matter with the keys front-matter requires; name a file to read it anyway)\n\
             Converted 449, skipped 0, failed 0 (to jsonl).\n",
            dir.display()
        )
    );
    for path in &markdown {
        let relative = path.strip_prefix(&dir).unwrap().with_extension("jsonl");
        assert!(
            out.path().join(&relative).is_file(),
            "{}",
            relative.display()
        );
    }
    assert!(!out.path().join("README.jsonl").exists());
    let one = out.path().join("prodarch/_posts/2018-03-18-chat.jsonl");
    let rows: Vec<Value> = std::fs::read_to_string(&one)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert!(rows.len() > 100);
    assert!(rows.iter().all(|row| row["file"]
        .as_str()
        .unwrap()
        .ends_with("2018-03-18-chat.markdown")
        && row["date"] == "2018-03-18"));
}
