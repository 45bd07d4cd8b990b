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
use super::{ConvertError, Document, MessageDoc};
use crate::config::Settings;
use crate::fix::Applicability;
use crate::linter::{fix_path, MAX_FIX_ROUNDS};
use crate::parser;
use crate::rules::{DuplicateMessage, Rule};
use crate::source::SourceFile;

/// A separator line.
const SEPARATOR: &str = "   ";

/// About how many bytes of Markdown are rendered and fixed at a time.
const CHUNK_BYTES: usize = 1 << 20;

pub(super) fn write(document: &Document<'_>, out: &mut dyn Write) -> Result<(), ConvertError> {
    write_in_chunks(document, out, CHUNK_BYTES)
}

/// The canonical Markdown with every safe fix applied, rendered and fixed as
/// one text. [`write_in_chunks`] writes the same a chunk at a time.
pub fn clean(document: &Document<'_>) -> Result<String, ConvertError> {
    let name: &str = &document.source;
    settle(name, check_reads_back(name, render(document), 0)?, 0)
}

/// [`clean`], written a chunk of about `chunk_bytes` at a time, so that a
/// large transcript never has its whole Markdown (nor its model, nor its
/// findings) in memory at once.
///
/// The rules look at one message at a time except `duplicate-message`,
/// which compares a message with the `max-distance` messages before it: so
/// each chunk is fixed together with that many messages of the output
/// already written (which the fixes leave alone: they are in their final
/// form, and of two twins the later one goes), and only the chunk is
/// written. A transcript with suppression comments, whose ranges may span
/// chunks, is cleaned whole.
pub fn write_in_chunks(
    document: &Document<'_>,
    out: &mut dyn Write,
    chunk_bytes: usize,
) -> Result<(), ConvertError> {
    let mut head = String::new();
    render_head(document, &mut head);
    if document.messages.may_hold_suppressions() || crate::suppression::may_hold_directives(&head) {
        out.write_all(clean(document)?.as_bytes())?;
        return Ok(());
    }
    let mut chunks = ChunkWriter {
        name: &document.source,
        context_messages: Settings::default().option(DuplicateMessage.meta(), "max-distance"),
        context: String::new(),
        lines_written: 0,
        out,
    };
    let mut pending = head;
    for message in document.messages.iter() {
        if pending.len() >= chunk_bytes {
            chunks.flush(&pending)?;
            pending.clear();
        }
        render_message(&mut pending, &message);
    }
    for heading in &document.trailing_day_headings {
        day_heading(&mut pending, heading);
    }
    chunks.flush(&pending)
}

/// Fixes chunks of Markdown after the output written so far.
struct ChunkWriter<'w> {
    name: &'w str,
    /// How many messages of the output each chunk is fixed together with.
    context_messages: usize,
    /// The last `context_messages` messages written, from a header line on.
    context: String,
    /// Lines written, for the line numbers of errors.
    lines_written: usize,
    out: &'w mut dyn Write,
}

impl ChunkWriter<'_> {
    fn flush(&mut self, chunk: &str) -> Result<(), ConvertError> {
        let context_lines = self.context.matches('\n').count();
        let first_line = self.lines_written - context_lines;
        let mut text = String::with_capacity(self.context.len() + chunk.len());
        text.push_str(&self.context);
        text.push_str(chunk);
        let fixed = settle(
            self.name,
            check_reads_back(self.name, text, first_line)?,
            first_line,
        )?;
        let Some(new) = fixed.strip_prefix(self.context.as_str()) else {
            return Err(ConvertError::Unrepresentable(format!(
                "a fix would change the Markdown before line {} after it was written",
                self.lines_written + 1
            )));
        };
        self.out.write_all(new.as_bytes())?;
        self.lines_written += new.matches('\n').count();
        let messages = parser::parse(&fixed).messages;
        self.context = match messages.get(messages.len().saturating_sub(self.context_messages)) {
            Some(message) => fixed[message.header.span.start..].to_string(),
            None => String::new(),
        };
        Ok(())
    }
}

/// Applies every safe fix to `markdown` until none applies, laying the text
/// out again after each round. `first_line` is the number of lines before
/// the text in the output, for error messages.
fn settle(name: &str, mut markdown: String, first_line: usize) -> Result<String, ConvertError> {
    let settings = Settings::default();
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
        markdown = check_reads_back(name, render(&Document::build(&fixed, None)), first_line)?;
    }
    Err(crate::Error::FixDidNotConverge {
        name: name.to_string(),
        iterations: MAX_FIX_ROUNDS,
    }
    .into())
}

/// `markdown`, refused unless it reads back as the same document: a JSON
/// document may hold what Markdown cannot (a speaker with a line break, a
/// text line that reads as a header, YAML with a `---` line).
fn check_reads_back(
    name: &str,
    markdown: String,
    first_line: usize,
) -> Result<String, ConvertError> {
    let reread = SourceFile::from_string(name, markdown);
    let again = render(&Document::build(&reread, None));
    let markdown = reread.text();
    if again == markdown {
        return Ok(again);
    }
    let (line, written) = markdown
        .lines()
        .zip(again.lines().chain(std::iter::repeat("")))
        .enumerate()
        .find(|(_, (a, b))| a != b)
        .map_or((markdown.lines().count() + 1, ""), |(i, (a, _))| (i + 1, a));
    Err(ConvertError::Unrepresentable(format!(
        "the Markdown would not read back the same at its line {} (`{written}`): \
         a speaker or time with a line break, a text line that reads as a header or \
         a day heading, or front matter with a `---` line",
        first_line + line
    )))
}

/// The document in the archive's layout, without fixes.
pub fn render(document: &Document<'_>) -> String {
    let mut out = String::new();
    render_head(document, &mut out);
    for message in document.messages.iter() {
        render_message(&mut out, &message);
    }
    for heading in &document.trailing_day_headings {
        day_heading(&mut out, heading);
    }
    out
}

/// The front matter and the preamble.
fn render_head(document: &Document<'_>, out: &mut String) {
    if let Some(front_matter) = &document.front_matter {
        line(out, "---");
        for yaml in front_matter.raw.lines() {
            line(out, yaml);
        }
        if front_matter.closed {
            line(out, "---");
        }
    }
    if let Some(preamble) = &document.preamble {
        let lines: Vec<&str> = preamble.lines().collect();
        let lines = trim_blank(&lines, |line| line.trim().is_empty());
        // Without front matter, a first line `---` would open one.
        if document.front_matter.is_none() && lines.first().is_some_and(|l| l.trim_end() == "---") {
            line(out, "");
        }
        for text in lines {
            line(out, text);
        }
        if !lines.is_empty() {
            line(out, SEPARATOR);
        }
    }
}

/// A message with the day headings before it.
fn render_message(out: &mut String, message: &MessageDoc<'_>) {
    for heading in &message.day_headings {
        day_heading(out, heading);
    }
    out.push_str("> ");
    if let Some(date) = &message.header_date {
        out.push_str(date.trim());
        out.push(' ');
    }
    out.push_str(message.written_time().trim());
    out.push_str("  ");
    out.push_str(message.speaker.trim());
    line(out, "  ");
    line(out, SEPARATOR);
    let body = body_lines(&message.text);
    for (text, in_code_fence) in &body {
        out.push_str(text);
        line(out, if *in_code_fence { "" } else { "  " });
    }
    if !body.is_empty() {
        line(out, SEPARATOR);
    }
}

fn day_heading(out: &mut String, heading: &DayHeadingDoc<'_>) {
    out.push_str(heading.text.trim_end());
    line(out, SEPARATOR);
}

fn line(out: &mut String, text: &str) {
    out.push_str(text);
    out.push('\n');
}
