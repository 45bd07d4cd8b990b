//! `--to md`: the canonical Markdown of a transcript, which is also how
//! `--from json` writes a document back.
//!
//! The archive's own layout: the front matter (its YAML as written), the
//! preamble if any and a separator, then per message `> HH:MM:SS  speaker  `
//! (with the header's date when it has one), one separator line of three
//! spaces, the body lines each ending in two spaces (a hard break) except in
//! code fences, and one separator after a body; a day heading as
//! `## YYYY-MM-DD   ` right before its message; LF line endings, no BOM, one
//! final newline. Every safe fix of the default rules is then applied, and
//! nothing else changes. The result converts to itself.

use std::io::Write;
use std::path::Path;

use super::document::{body_lines, trim_blank, DayHeadingDoc};
use super::{ConvertError, Document};
use crate::config::Settings;
use crate::fix::Applicability;
use crate::linter::{fix_path, MAX_FIX_ROUNDS};
use crate::source::SourceFile;

/// A separator line.
const SEPARATOR: &str = "   ";

pub(super) fn write(document: &Document<'_>, out: &mut dyn Write) -> Result<(), ConvertError> {
    out.write_all(clean(document)?.as_bytes())?;
    Ok(())
}

/// The canonical Markdown with every safe fix applied.
pub fn clean(document: &Document<'_>) -> Result<String, ConvertError> {
    let name: &str = &document.source;
    let settings = Settings::default();
    let mut markdown = render_checked(document)?;
    for _ in 0..MAX_FIX_ROUNDS {
        let outcome = fix_path(
            name,
            &markdown,
            Some(Path::new(name)),
            &settings,
            Applicability::Safe,
        )?;
        if !outcome.changed() {
            return Ok(markdown);
        }
        // A fix may leave the layout uneven (a removed message, say): lay it
        // out again, and fix again until nothing changes.
        let fixed = SourceFile::from_string(name, outcome.text);
        markdown = render_checked(&Document::build(&fixed, None))?;
    }
    Err(crate::Error::FixDidNotConverge {
        name: name.to_string(),
        iterations: MAX_FIX_ROUNDS,
    }
    .into())
}

/// [`render`], refused unless the Markdown reads back as the same document:
/// a JSON document may hold what Markdown cannot (a speaker with a line
/// break, a text line that reads as a header, YAML with a `---` line).
fn render_checked(document: &Document<'_>) -> Result<String, ConvertError> {
    let markdown = render(document);
    let reread = SourceFile::from_string(document.source.as_ref(), markdown.clone());
    let again = render(&Document::build(&reread, None));
    if again == markdown {
        return Ok(markdown);
    }
    let (line, written) = markdown
        .lines()
        .zip(again.lines().chain(std::iter::repeat("")))
        .enumerate()
        .find(|(_, (a, b))| a != b)
        .map_or((markdown.lines().count() + 1, ""), |(i, (a, _))| (i + 1, a));
    Err(ConvertError::Unrepresentable(format!(
        "the Markdown would not read back the same at its line {line} (`{written}`): \
         a speaker or time with a line break, a text line that reads as a header or \
         a day heading, or front matter with a `---` line"
    )))
}

/// The document in the archive's layout, without fixes.
pub fn render(document: &Document<'_>) -> String {
    let mut out = String::new();
    if let Some(front_matter) = &document.front_matter {
        line(&mut out, "---");
        for yaml in front_matter.raw.lines() {
            line(&mut out, yaml);
        }
        if front_matter.closed {
            line(&mut out, "---");
        }
    }
    if let Some(preamble) = &document.preamble {
        let lines: Vec<&str> = preamble.lines().collect();
        let lines = trim_blank(&lines, |line| line.trim().is_empty());
        // Without front matter, a first line `---` would open one.
        if document.front_matter.is_none() && lines.first().is_some_and(|l| l.trim_end() == "---") {
            line(&mut out, "");
        }
        for text in lines {
            line(&mut out, text);
        }
        if !lines.is_empty() {
            line(&mut out, SEPARATOR);
        }
    }
    for message in document.messages.iter() {
        for heading in &message.day_headings {
            day_heading(&mut out, heading);
        }
        out.push_str("> ");
        if let Some(date) = &message.header_date {
            out.push_str(date.trim());
            out.push(' ');
        }
        out.push_str(message.written_time().trim());
        out.push_str("  ");
        out.push_str(message.speaker.trim());
        line(&mut out, "  ");
        line(&mut out, SEPARATOR);
        let body = body_lines(&message.text);
        for (text, in_code_fence) in &body {
            out.push_str(text);
            line(&mut out, if *in_code_fence { "" } else { "  " });
        }
        if !body.is_empty() {
            line(&mut out, SEPARATOR);
        }
    }
    for heading in &document.trailing_day_headings {
        day_heading(&mut out, heading);
    }
    out
}

fn day_heading(out: &mut String, heading: &DayHeadingDoc<'_>) {
    out.push_str(heading.text.trim_end());
    line(out, SEPARATOR);
}

fn line(out: &mut String, text: &str) {
    out.push_str(text);
    out.push('\n');
}
