//! `--to html`: one self-contained page per transcript, to read in any
//! browser without a server: inline CSS, no script, nothing requested but
//! the transcript's own images.
//!
//! The page is written a message at a time as the document's messages are
//! iterated (a first pass counts them and gathers the participants for the
//! header), so a large transcript is never held whole. The markup is a
//! contract with the archive's index and search ([`index`]) and with the
//! browser tests: `<article class="message" id="m-INDEX">` per message,
//! with a time anchor `t-HHMMSS` (`-2`, `-3`, … for later messages at the
//! same time), `<span class="speaker sN">` (N a stable colour of the name),
//! `<div class="text">`; mentions, emoji codes and images as
//! `.mention`, `.emoji` and `figure.image`. Every text is escaped
//! ([`escape`]) and a link or image whose URL is not web, mail or relative
//! is written as text (`.unsafe-url`).

mod escape;
pub mod index;
mod text;

use std::collections::HashMap;
use std::io::Write;

use super::document::DayHeadingDoc;
use super::{Document, MessageDoc};
use crate::output::json::JsonFinding;
pub use escape::{escaped, is_safe_url, push_escaped};

/// The page's stylesheet: light and dark schemes, and print.
pub(crate) const STYLE: &str = include_str!("style.css");

/// No script, no frame, no request but images; styles only inline.
pub const TRANSCRIPT_CSP: &str =
    "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// How many colours the speakers' names take turns in (`.s0` … `.s11`).
const SPEAKER_COLOURS: u32 = 12;

/// The colour class of a speaker: the same for a name in every file and
/// every run (FNV-1a, not a seeded hash).
pub fn speaker_class(name: &str) -> u32 {
    let hash = name.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    hash % SPEAKER_COLOURS
}

/// What the header says of a transcript, read in a first pass.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub title: String,
    pub date: Option<String>,
    pub messages: usize,
    /// In the order they first speak.
    pub participants: Vec<String>,
}

impl Summary {
    pub fn of(document: &Document<'_>) -> Self {
        let mut participants: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut messages = 0;
        let mut first_date = None;
        for message in document.messages.iter() {
            messages += 1;
            if first_date.is_none() {
                first_date = message.date.as_deref().map(str::to_string);
            }
            if seen.insert(message.speaker.to_string()) {
                participants.push(message.speaker.to_string());
            }
        }
        let front = document
            .front_matter
            .as_ref()
            .and_then(|f| f.parsed.as_ref());
        let field = |key: &str| {
            front
                .and_then(|parsed| parsed.get(key))
                .and_then(|value| value.as_str().map(str::to_string))
        };
        let title = field("title").unwrap_or_else(|| {
            std::path::Path::new(document.source.as_ref())
                .file_stem()
                .map_or_else(
                    || document.source.to_string(),
                    |s| s.to_string_lossy().into_owned(),
                )
        });
        // The first message's date (a part of `--split` has its own), else
        // the front matter's.
        let date = first_date.or_else(|| field("date").map(|d| d.chars().take(10).collect()));
        Summary {
            title,
            date,
            messages,
            participants,
        }
    }
}

/// One message as the archive's search knows it: index, time as written,
/// speaker, text.
pub type Row = (usize, String, String, String);

/// What the archive's index lists of one page, taken from the pass that
/// wrote it (so the page and the index cannot disagree, and a filter that
/// left messages out of the page leaves them out of the search too).
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub summary: Summary,
    /// Every message on the page, for the search.
    pub messages: Vec<Row>,
}

pub(super) fn write(document: &Document<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    write_page(document, out, false).map(drop)
}

/// Writes the page; with `list_messages`, the listing holds each message
/// written, else only the summary.
pub fn write_page(
    document: &Document<'_>,
    out: &mut dyn Write,
    list_messages: bool,
) -> std::io::Result<Listing> {
    let summary = Summary::of(document);
    let mut rows = Vec::new();
    let mut page = String::with_capacity(8192);
    head(&summary, &mut page);
    if let Some(preamble) = &document.preamble {
        page.push_str("<div class=\"preamble\">");
        text::push_lines(&mut page, preamble);
        page.push_str("</div>\n");
    }
    page.push_str("<main>\n");
    out.write_all(page.as_bytes())?;
    page.clear();

    let findings: &[JsonFinding<'_>] = document.diagnostics.as_deref().unwrap_or_default();
    let mut next_finding = 0;
    let mut time_anchors: HashMap<String, usize> = HashMap::new();
    let mut messages = document.messages.iter().peekable();
    while let Some(message) = messages.next() {
        let until_line = messages.peek().map_or(usize::MAX, |next| next.line);
        // Findings before the first message (front matter) go with it.
        let from = next_finding;
        while next_finding < findings.len() && findings[next_finding].line < until_line {
            next_finding += 1;
        }
        for heading in &message.day_headings {
            day_heading(&mut page, heading);
        }
        let anchor = time_anchor(&mut time_anchors, &message);
        article(&mut page, &message, &anchor, &findings[from..next_finding]);
        out.write_all(page.as_bytes())?;
        if list_messages {
            rows.push((
                message.index,
                message.written_time().to_string(),
                message.speaker.to_string(),
                message.text.to_string(),
            ));
        }
        page.clear();
    }
    for heading in &document.trailing_day_headings {
        day_heading(&mut page, heading);
    }
    page.push_str("</main>\n</body>\n</html>\n");
    out.write_all(page.as_bytes())?;
    Ok(Listing {
        summary,
        messages: rows,
    })
}

/// From `<!DOCTYPE html>` to the end of the page's header.
fn head(summary: &Summary, page: &mut String) {
    page.push_str("<!DOCTYPE html>\n<html lang=\"und\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"");
    page.push_str(TRANSCRIPT_CSP);
    page.push_str(
        "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    );
    page.push_str("<meta name=\"generator\" content=\"chatlint\">\n<title>");
    push_escaped(page, &summary.title);
    page.push_str("</title>\n<style>\n");
    page.push_str(STYLE);
    page.push_str("</style>\n</head>\n<body>\n");
    page.push_str(&format!(
        "<header class=\"transcript\" data-messages=\"{}\">\n<h1>",
        summary.messages
    ));
    push_escaped(page, &summary.title);
    page.push_str("</h1>\n");
    if let Some(date) = &summary.date {
        page.push_str("<p class=\"date\"><time>");
        push_escaped(page, date);
        page.push_str("</time></p>\n");
    }
    page.push_str(&format!(
        "<p class=\"count\">{}, {}</p>\n<ul class=\"participants\">",
        counted(summary.messages, "message"),
        counted(summary.participants.len(), "participant")
    ));
    for name in &summary.participants {
        page.push_str(&format!("<li class=\"speaker s{}\">", speaker_class(name)));
        push_escaped(page, name);
        page.push_str("</li>");
    }
    page.push_str("</ul>\n</header>\n");
}

/// `1 message`, `2 messages`.
pub(crate) fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn day_heading(page: &mut String, heading: &DayHeadingDoc<'_>) {
    page.push_str("<h2 class=\"day\"");
    if !heading.date.is_empty() {
        page.push_str(" id=\"d-");
        push_escaped(page, &heading.date);
        page.push('"');
    }
    page.push('>');
    push_escaped(page, heading.text.trim_start_matches('#').trim());
    page.push_str("</h2>\n");
}

/// The time anchor of a message: `t-HHMMSS`, then `t-HHMMSS-2`, … for the
/// later messages at the same time.
fn time_anchor(seen: &mut HashMap<String, usize>, message: &MessageDoc<'_>) -> String {
    let digits: String = message
        .written_time()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let count = seen.entry(digits.clone()).or_default();
    *count += 1;
    match *count {
        1 => format!("t-{digits}"),
        n => format!("t-{digits}-{n}"),
    }
}

fn article(
    page: &mut String,
    message: &MessageDoc<'_>,
    anchor: &str,
    findings: &[JsonFinding<'_>],
) {
    let time = message.written_time();
    let class = if findings.is_empty() {
        "message"
    } else {
        "message has-findings"
    };
    page.push_str(&format!(
        "<article class=\"{class}\" id=\"m-{0}\" data-index=\"{0}\" data-time=\"",
        message.index
    ));
    push_escaped(page, time);
    page.push_str("\" data-speaker=\"");
    push_escaped(page, &message.speaker);
    page.push_str("\">\n<div class=\"meta\"><a class=\"time\" id=\"");
    push_escaped(page, anchor);
    page.push_str(&format!("\" href=\"#m-{}\">", message.index));
    push_escaped(page, time);
    page.push_str(&format!(
        "</a><span class=\"speaker s{}\">",
        speaker_class(&message.speaker)
    ));
    push_escaped(page, &message.speaker);
    page.push_str("</span></div>\n<div class=\"text\">");
    text::push_message_text(page, &message.text);
    page.push_str("</div>\n");
    if !findings.is_empty() {
        page.push_str("<ul class=\"findings\">");
        for finding in findings {
            page.push_str("<li data-rule=\"");
            push_escaped(page, finding.code);
            page.push_str("\">");
            push_escaped(
                page,
                &format!("{} {}: {}", finding.code, finding.name, finding.message),
            );
            page.push_str("</li>");
        }
        page.push_str("</ul>\n");
    }
    page.push_str("</article>\n");
}
