//! `--to md`: the canonical Markdown of a transcript, which is also how
//! `--from json` writes a document back.
//!
//! The archive's own layout: the front matter (its YAML as written), the
//! preamble if any and a separator (none when nothing follows it), then per message `> HH:MM:SS  speaker  `
//! (with the header's date when it has one), one separator line of three
//! spaces, the body lines each ending in two spaces (a hard break) except in
//! code fences, and one separator after a body; a day heading as
//! `## YYYY-MM-DD   ` right before its message (or between the lines of the
//! previous message's text, where it stood: see
//! [`DayHeadingDoc::within_previous`]); LF line endings, no BOM, one final
//! newline. Every safe fix of the default rules is then applied, and
//! nothing else changes. The result converts to itself.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use super::document::{body_lines, lines_with_suppressions, trim_blank, DayHeadingDoc};
use super::{ConvertError, Document, MessageDoc};
use crate::config::Settings;
use crate::diagnostic::Applicability;
use crate::linter::{fix_path, MAX_FIX_ROUNDS};
use crate::parser;
use crate::source::SourceFile;

use crate::layout::{self, SEPARATOR};

/// About how many bytes of Markdown are rendered and fixed at a time.
const CHUNK_BYTES: usize = 1 << 18;

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
/// The rules look at one message at a time except those that look back
/// ([`crate::Rule::messages_back`]: `duplicate-message` compares a message
/// with the `max-distance` messages before it): so each chunk is fixed
/// together with that many messages of the output already written (which
/// the fixes leave alone: they are in their final form, and of two twins
/// the later one goes), and only the chunk is written. A transcript with suppression comments, whose ranges may span
/// chunks, is cleaned whole.
pub fn write_in_chunks(
    document: &Document<'_>,
    out: &mut dyn Write,
    chunk_bytes: usize,
) -> Result<(), ConvertError> {
    let mut head = String::new();
    let carried = render_head(document, &mut head);
    if !carried.is_empty()
        || document.messages.may_hold_suppressions()
        || crate::suppression::may_hold_directives(&head)
    {
        out.write_all(clean(document)?.as_bytes())?;
        return Ok(());
    }
    let mut chunks = ChunkWriter {
        name: &document.source,
        context_messages: Settings::default().messages_back(),
        context: String::new(),
        lines_written: 0,
        out,
    };
    let mut pending = head;
    let mut messages = OneBehind::default();
    for message in document.messages.iter() {
        // Never the head alone: read back without the messages after it, a
        // preamble would not end in its separator.
        if pending.len() >= chunk_bytes && messages.any_before {
            chunks.flush(&pending)?;
            pending.clear();
        }
        messages.push(&mut pending, message);
    }
    messages.finish(&mut pending, &document.trailing_day_headings);
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
        // Where the messages start: their header lines, found without
        // parsing the chunk again.
        let starts: Vec<usize> =
            std::iter::successors(parser::next_header_line(&fixed, 0), |&start| {
                parser::next_header_line(&fixed, start + 1)
            })
            .collect();
        self.context = match starts.get(starts.len().saturating_sub(self.context_messages)) {
            Some(&start) => fixed[start..].to_string(),
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
        let laid_out = render(&Document::build(&fixed, None));
        // Laid out as the fix engine left it, the text is what it just
        // checked with nothing left to fix: done.
        if laid_out == fixed.text() {
            return Ok(laid_out);
        }
        markdown = check_reads_back(name, laid_out, first_line)?;
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
    let mut messages = OneBehind {
        carried: render_head(document, &mut out),
        ..OneBehind::default()
    };
    for message in document.messages.iter() {
        messages.push(&mut out, message);
    }
    messages.finish(&mut out, &document.trailing_day_headings);
    out
}

/// Writes each message once the next one is known: a day heading of the
/// next message (or a trailing one) may stand inside this one's text
/// ([`DayHeadingDoc::within_previous`]).
#[derive(Default)]
struct OneBehind<'d, 'a> {
    previous: Option<Cow<'d, MessageDoc<'a>>>,
    /// Whether a message was written before `previous`: the first message's
    /// headings have no text to stand in, and go before it.
    any_before: bool,
    /// The suppression comments after the text of the message written last:
    /// they go right above the next header, after its day headings.
    carried: Vec<String>,
}

impl<'d, 'a> OneBehind<'d, 'a> {
    fn push(&mut self, out: &mut String, next: Cow<'d, MessageDoc<'a>>) {
        if let Some(previous) = self.previous.take() {
            self.carried = render_message(
                out,
                &previous,
                self.any_before,
                &next.day_headings,
                &self.carried,
            );
            self.any_before = true;
        }
        self.previous = Some(next);
    }

    fn finish(&mut self, out: &mut String, trailing: &[DayHeadingDoc<'_>]) {
        let any_message = self.previous.is_some() || self.any_before;
        if let Some(previous) = self.previous.take() {
            self.carried = render_message(out, &previous, self.any_before, trailing, &self.carried);
        }
        for heading in trailing {
            if heading.within_previous.is_none() || !any_message {
                day_heading(out, heading);
            }
        }
        for comment in self.carried.drain(..) {
            suppression_line(out, &comment);
        }
    }
}

/// The front matter and the preamble. Returns the preamble's suppression
/// comments that stand after its text: they go right above the first
/// header, as a message's after its text go above the next.
fn render_head(document: &Document<'_>, out: &mut String) -> Vec<String> {
    if let Some(front_matter) = &document.front_matter {
        line(out, "---");
        for yaml in crate::line_index::lines_of(&front_matter.raw) {
            line(out, yaml);
        }
        if front_matter.closed {
            line(out, "---");
        }
    }
    let suppressions = &document.preamble_suppressions;
    let lines: Vec<&str> = document
        .preamble
        .as_deref()
        .map(|preamble| crate::line_index::lines_of(preamble).collect())
        .unwrap_or_default();
    let lines = trim_blank(&lines, |line| line.trim().is_empty());
    // Without front matter, a first line `---` would open one.
    if document.front_matter.is_none() && lines.first().is_some_and(|l| l.trim_end() == "---") {
        line(out, "");
    }
    for (at, text) in lines.iter().enumerate() {
        let (before, text) = lines_with_suppressions(suppressions, at, lines.len(), text);
        for comment in before {
            suppression_line(out, comment);
        }
        line(out, &text);
    }
    // A separator parts the preamble from what follows; a file with
    // neither messages nor day headings (a README) ends with its text.
    let followed = !document.messages.is_empty() || !document.trailing_day_headings.is_empty();
    if !lines.is_empty() && followed {
        line(out, SEPARATOR);
    }
    let (after, _) = lines_with_suppressions(suppressions, lines.len(), lines.len(), "");
    after.into_iter().map(str::to_string).collect()
}

/// A message with the day headings before it, and `next_headings` (those of
/// the next message, or the trailing ones) that stand inside its text. With
/// `after_another`, the message's own headings that stand inside the previous
/// message were written there. `carried` are the suppression comments after
/// the previous message's text, written right above the header; the
/// comments after this message's text are returned, for the next.
fn render_message(
    out: &mut String,
    message: &MessageDoc<'_>,
    after_another: bool,
    next_headings: &[DayHeadingDoc<'_>],
    carried: &[String],
) -> Vec<String> {
    for heading in &message.day_headings {
        if heading.within_previous.is_none() || !after_another {
            day_heading(out, heading);
        }
    }
    for comment in carried {
        suppression_line(out, comment);
    }
    header_line(out, message);
    line(out, SEPARATOR);
    let body = body_lines(&message.text);
    let inside = |at: usize| {
        next_headings
            .iter()
            .filter(move |heading| heading.within_previous == Some(at))
    };
    let suppressions = &message.suppressions;
    for (at, (text, in_code_fence)) in body.iter().enumerate() {
        for heading in inside(at) {
            day_heading(out, heading);
        }
        let (before, text) = lines_with_suppressions(suppressions, at, body.len(), text);
        for comment in before {
            suppression_line(out, comment);
        }
        out.push_str(&text);
        line(out, layout::body_line_end(*in_code_fence));
    }
    // A count past the text (from edited JSON): after it, but not lost.
    for heading in next_headings {
        if heading.within_previous.is_some_and(|at| at >= body.len()) {
            day_heading(out, heading);
        }
    }
    if !body.is_empty() {
        line(out, SEPARATOR);
    }
    let (after, _) = lines_with_suppressions(suppressions, body.len(), body.len(), "");
    after.into_iter().map(str::to_string).collect()
}

/// A suppression comment on a line of its own, ended as a body line is.
fn suppression_line(out: &mut String, comment: &str) {
    out.push_str(comment);
    line(out, layout::body_line_end(false));
}

/// A message's header line, with its line break.
pub(super) fn header_line(out: &mut String, message: &MessageDoc<'_>) {
    layout::push_header(
        out,
        message.header_date.as_deref().map(str::trim),
        message.written_time().trim(),
        message.speaker.trim(),
    );
    out.push('\n');
}

fn day_heading(out: &mut String, heading: &DayHeadingDoc<'_>) {
    out.push_str(heading.text.trim_end());
    line(out, SEPARATOR);
}

fn line(out: &mut String, text: &str) {
    out.push_str(text);
    out.push('\n');
}
