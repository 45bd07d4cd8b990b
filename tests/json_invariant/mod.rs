//! The invariant of `convert --from json --to md`, shared by the property
//! tests of `tests/convert_from_json.rs` and the fuzz target
//! `fuzz/fuzz_targets/convert_from_json.rs`: a document either converts, and
//! the Markdown read back gives exactly its messages (count; header date,
//! time, speaker, text, suppressions, date when given, day headings), its front matter,
//! preamble and trailing day headings, but for what a notice names (`message
//! N: field: …`, the safe fixes' changes); or it is refused with a
//! `JsonError` naming a message that exists and one of its fields (or a part
//! of the document), and nothing is written. Never a panic, never another
//! error, never a silent change.
//!
//! The comparison here is written apart from the library's own
//! (`src/convert/from_json/`), so that each checks the other.

#![allow(dead_code)]

use chatlint::convert::{self, ConvertError, Document, Format, MessageDoc, Notice, Options};
use chatlint::SourceFile;

/// The fields a refusal may name outside the messages.
const OUTSIDE: &[&str] = &[
    "front_matter.raw",
    "front_matter.closed",
    "front_matter.fields",
    "front_matter.parsed",
    "preamble",
    "trailing_day_headings",
];

/// Converts `json` and checks the invariant; returns whether it converted.
pub fn exercise_json(json: &str) -> bool {
    let mut out = Vec::new();
    match convert::convert_json(json, Format::Md, &Options::default(), &mut out) {
        Ok(notices) => {
            let document: Document<'_> =
                serde_json::from_str(json).expect("a document that converted parses");
            // Laid out, before any fix: exactly the document.
            let laid_out = convert::markdown::render(&document);
            assert_reads_back(&document, &laid_out, &[]);
            // As written, after the safe fixes: the same but for what the
            // notices name.
            let written = String::from_utf8(out).expect("Markdown is UTF-8");
            assert_reads_back(&document, &written, &notices);
            true
        }
        Err(ConvertError::Invalid(err)) => {
            assert!(out.is_empty(), "{err}: something was written");
            let document: Document<'_> = serde_json::from_str(json).unwrap();
            let count = document.messages.iter().count();
            match err.message {
                Some(index) => {
                    assert!(index < count, "{err}: only {count} messages");
                    assert!(
                        convert::from_json::MESSAGE_FIELDS.contains(&err.field),
                        "{err}: not a message's field"
                    );
                }
                None => assert!(OUTSIDE.contains(&err.field), "{err}: not a field"),
            }
            let shown = err.to_string();
            assert!(shown.contains(err.field), "{shown}");
            false
        }
        Err(ConvertError::Json(err)) => {
            assert!(out.is_empty(), "{err}: something was written");
            assert!(serde_json::from_str::<Document<'_>>(json).is_err());
            false
        }
        Err(err) => panic!("refused without naming a message and field: {err}\n{json}"),
    }
}

/// What the test compares of a message, read apart from the library.
#[derive(Debug, PartialEq)]
struct Seen {
    header_date: Option<String>,
    time: String,
    time_valid: bool,
    speaker: String,
    text: String,
    /// Each suppression comment: its text line, offset and comment.
    suppressions: Vec<(usize, Option<usize>, String)>,
    date: Option<String>,
    headings: Vec<(String, Option<usize>)>,
}

fn seen(message: &MessageDoc<'_>, date: bool) -> Seen {
    Seen {
        header_date: message.header_date.as_deref().map(str::to_string),
        time: message
            .time_as_written
            .as_deref()
            .or(message.time.as_deref())
            .unwrap_or_default()
            .to_string(),
        time_valid: message.time.is_some(),
        speaker: message.speaker.to_string(),
        text: message.text.to_string(),
        suppressions: message
            .suppressions
            .iter()
            .map(|s| (s.text_line, s.offset, s.comment.to_string()))
            .collect(),
        date: if date {
            message.date.as_deref().map(str::to_string)
        } else {
            None
        },
        headings: message
            .day_headings
            .iter()
            .map(|h| (h.text.trim_end().to_string(), h.within_previous))
            .collect(),
    }
}

/// Which of `seen`'s fields differ, by their JSON names.
fn differing(ours: &Seen, theirs: &Seen) -> Vec<&'static str> {
    let mut fields = Vec::new();
    if ours.header_date != theirs.header_date {
        fields.push("header_date");
    }
    if ours.time != theirs.time || (ours.time_valid && !theirs.time_valid) {
        fields.push("time");
    }
    if ours.speaker != theirs.speaker {
        fields.push("speaker");
    }
    if ours.text != theirs.text {
        fields.push("text");
    }
    if ours.suppressions != theirs.suppressions {
        fields.push("suppressions");
    }
    if ours.date.is_some() && ours.date != theirs.date {
        fields.push("date");
    }
    if ours.headings != theirs.headings {
        fields.push("day_headings");
    }
    fields
}

fn lines(text: Option<&str>) -> Vec<String> {
    let text = text
        .unwrap_or_default()
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let last = lines.iter().rposition(|l| !l.trim().is_empty());
    match (first, last) {
        (Some(a), Some(b)) => lines[a..=b].iter().map(|l| l.to_string()).collect(),
        _ => Vec::new(),
    }
}

fn raw_lines(raw: &str) -> Vec<String> {
    let mut lines = lines_keeping_blank(raw);
    if lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

fn lines_keeping_blank(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .map(str::to_string)
        .collect()
}

/// `markdown` read back gives `document`, but for what `notices` name.
fn assert_reads_back(document: &Document<'_>, markdown: &str, notices: &[Notice]) {
    let source = SourceFile::from_string(document.source.as_ref(), markdown);
    let again = Document::build(&source, None);
    let named = |index: usize, field: &str| {
        let prefix = format!("message {index}: ");
        notices.iter().any(|n| {
            n.message.strip_prefix(&prefix).is_some_and(|rest| {
                rest.starts_with(&format!("{field}:"))
                    || (field == "time" && rest.starts_with("time_as_written:"))
            })
        })
    };
    let context = || format!("Markdown:\n{markdown}\nnotices: {notices:?}");
    // Outside the messages: the same, unless a notice names the part (the
    // fixes remove an unused suppression comment from a preamble, say).
    let told = |part: &str| notices.iter().any(|n| n.message.starts_with(part));
    let front = |d: &Document<'_>| {
        d.front_matter
            .as_ref()
            .map(|f| (raw_lines(&f.raw), f.closed))
    };
    if !told("front_matter.") && !told("preamble:") {
        assert_eq!(
            front(document),
            front(&again),
            "front matter; {}",
            context()
        );
        assert_eq!(
            lines(document.preamble.as_deref()),
            lines(again.preamble.as_deref()),
            "preamble; {}",
            context()
        );
    }
    let ours: Vec<Seen> = document.messages.iter().map(|m| seen(&m, true)).collect();
    let theirs: Vec<Seen> = again.messages.iter().map(|m| seen(&m, true)).collect();
    if ours.len() != theirs.len() {
        assert!(
            notices.iter().any(|n| n.message.contains(": messages: ")),
            "{} messages read back, not {}, unsaid; {}",
            theirs.len(),
            ours.len(),
            context()
        );
        return;
    }
    for (index, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        for field in differing(a, b) {
            assert!(
                named(index, field),
                "message {index}: {field} changed unsaid: {a:?} became {b:?}; {}",
                context()
            );
        }
    }
    let trailing = |d: &Document<'_>| -> Vec<(String, Option<usize>)> {
        d.trailing_day_headings
            .iter()
            .map(|h| (h.text.trim_end().to_string(), h.within_previous))
            .collect()
    };
    if !told("trailing_day_headings:") {
        assert_eq!(trailing(document), trailing(&again), "{}", context());
    }
}
