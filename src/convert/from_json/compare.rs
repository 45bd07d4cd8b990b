//! The second check of `--from json`: the Markdown as laid out, read back,
//! gives the document again.

use super::error::{in_message, outside, quoted, JsonError};
use crate::convert::document::{
    trim_blank, DayHeadingDoc, Document, FrontMatterDoc, MessageDoc, SuppressionDoc,
};
use crate::line_index::lines_of;
use crate::source::SourceFile;

/// A day heading as it is compared: its text without trailing white space,
/// and where it stands.
fn heading_key<'h>(heading: &'h DayHeadingDoc<'_>) -> (&'h str, Option<usize>) {
    (heading.text.trim_end(), heading.within_previous)
}

/// The first field of message `ours` (from the document) that `theirs` (read
/// back from the Markdown) does not give back, with what it gives instead.
pub(super) fn difference(
    ours: &MessageDoc<'_>,
    theirs: &MessageDoc<'_>,
) -> Option<(&'static str, String)> {
    let one = |value: Option<&str>| value.map_or("none".to_string(), quoted);
    if ours.header_date != theirs.header_date {
        return Some((
            "header_date",
            format!("reads back as {}", one(theirs.header_date.as_deref())),
        ));
    }
    if ours.written_time() != theirs.written_time() {
        let field = if ours.time_as_written.is_some() {
            "time_as_written"
        } else {
            "time"
        };
        return Some((
            field,
            format!("reads back as {}", quoted(theirs.written_time())),
        ));
    }
    if ours.time.is_some() && theirs.time.is_none() {
        return Some(("time", "reads back as a time that is not valid".into()));
    }
    if ours.speaker != theirs.speaker {
        return Some((
            "speaker",
            format!("reads back as {}", quoted(&theirs.speaker)),
        ));
    }
    let what = "text_line, offset, comment";
    let (a, b) = (placed(&ours.suppressions), placed(&theirs.suppressions));
    if let Some(difference) = listed("suppressions", a, b, what) {
        return Some(difference);
    }
    if ours.text != theirs.text {
        let (a, b): (Vec<&str>, Vec<&str>) = (
            ours.text.split('\n').collect(),
            theirs.text.split('\n').collect(),
        );
        let problem = match a.iter().zip(&b).position(|(x, y)| x != y) {
            Some(k) => format!("line {} reads back as {}", k + 1, quoted(b[k])),
            None => format!("reads back with {} lines, not {}", b.len(), a.len()),
        };
        return Some(("text", problem));
    }
    if ours.date.is_some() && ours.date != theirs.date {
        return Some((
            "date",
            format!(
                "the Markdown gives it {} (from its header date, the day heading above, \
                 the front matter's date or the file name)",
                one(theirs.date.as_deref())
            ),
        ));
    }
    let headings = |m: &MessageDoc<'_>| -> Vec<(String, Option<usize>)> {
        m.day_headings
            .iter()
            .map(|h| {
                let (text, within) = heading_key(h);
                (text.to_string(), within)
            })
            .collect()
    };
    let what = "text, lines of the previous message's text before it";
    if let Some(difference) = listed("day_headings", headings(ours), headings(theirs), what) {
        return Some(difference);
    }
    let given = |field: &'static str, ours: bool, same: bool| {
        (ours && !same).then(|| {
            (
                field,
                "disagree with the text, which they are read from: edit the text, and update or empty the list".to_string(),
            )
        })
    };
    given(
        "images",
        !ours.images.is_empty(),
        ours.images == theirs.images,
    )
    .or_else(|| given("links", !ours.links.is_empty(), ours.links == theirs.links))
    .or_else(|| {
        given(
            "mentions",
            !ours.mentions.is_empty(),
            ours.mentions == theirs.mentions,
        )
    })
    .or_else(|| given("emoji", !ours.emoji.is_empty(), ours.emoji == theirs.emoji))
}

/// A field listing several things, when it reads back otherwise: what it
/// reads back as, each thing as `(what)`.
fn listed<T: PartialEq + std::fmt::Debug>(
    field: &'static str,
    ours: Vec<T>,
    theirs: Vec<T>,
    what: &str,
) -> Option<(&'static str, String)> {
    (ours != theirs).then(|| {
        let read = quoted(&format!("{theirs:?}"));
        (field, format!("read back as {read} ({what})"))
    })
}

/// Where each suppression comment stands, and the comment.
fn placed(suppressions: &[SuppressionDoc<'_>]) -> Vec<(usize, Option<usize>, String)> {
    suppressions
        .iter()
        .map(|s| (s.text_line, s.offset, s.comment.to_string()))
        .collect()
}

/// The preamble's lines as Markdown keeps them: without blank lines around.
fn preamble_lines(preamble: Option<&str>) -> Vec<&str> {
    let lines: Vec<&str> = preamble.map(|p| lines_of(p).collect()).unwrap_or_default();
    trim_blank(&lines, |line| line.trim().is_empty()).to_vec()
}

/// The first difference before the messages (front matter, preamble)
/// between the document and the one read back.
pub(super) fn head_difference(
    document: &Document<'_>,
    again: &Document<'_>,
) -> Result<(), JsonError> {
    match (&document.front_matter, &again.front_matter) {
        (None, None) => {}
        (None, Some(_)) => {
            return Err(outside(
                "preamble",
                "the Markdown would open with a front matter the document does not have",
            ))
        }
        (Some(_), None) => {
            return Err(outside(
                "front_matter.raw",
                "the Markdown would read back without a front matter",
            ))
        }
        (Some(ours), Some(theirs)) => {
            let a: Vec<&str> = lines_of(&ours.raw).collect();
            let b: Vec<&str> = lines_of(&theirs.raw).collect();
            if a != b {
                let problem = match a.iter().zip(&b).position(|(x, y)| x != y) {
                    Some(k) => format!("line {} reads back as {}", k + 1, quoted(b[k])),
                    None => format!("reads back with {} lines, not {}", b.len(), a.len()),
                };
                return Err(outside("front_matter.raw", problem));
            }
            if ours.closed != theirs.closed {
                return Err(outside(
                    "front_matter.closed",
                    format!("reads back as {}", theirs.closed),
                ));
            }
            let fields = |f: &FrontMatterDoc<'_>| -> Vec<(String, String)> {
                f.fields
                    .iter()
                    .map(|field| (field.key.to_string(), field.raw.to_string()))
                    .collect()
            };
            if !ours.fields.is_empty() && fields(ours) != fields(theirs) {
                return Err(outside(
                    "front_matter.fields",
                    "disagree with `raw`, which they are read from: edit `raw`",
                ));
            }
            if ours.parsed.is_some() && ours.parsed != theirs.parsed {
                return Err(outside(
                    "front_matter.parsed",
                    "disagrees with `raw`, which it is read from: edit `raw`",
                ));
            }
        }
    }
    if preamble_lines(document.preamble.as_deref()) != preamble_lines(again.preamble.as_deref()) {
        return Err(outside("preamble", "would not read back the same"));
    }
    let (a, b) = (
        placed(&document.preamble_suppressions),
        placed(&again.preamble_suppressions),
    );
    if let Some((field, problem)) =
        listed("preamble_suppressions", a, b, "text_line, offset, comment")
    {
        return Err(outside(field, problem));
    }
    Ok(())
}

/// Whether the day headings after the last message read back the same.
pub(super) fn trailing_difference(
    document: &Document<'_>,
    again: &Document<'_>,
) -> Result<(), JsonError> {
    let trailing = |d: &Document<'_>| -> Vec<(String, Option<usize>)> {
        d.trailing_day_headings
            .iter()
            .map(|h| {
                let (text, within) = heading_key(h);
                (text.to_string(), within)
            })
            .collect()
    };
    if trailing(document) != trailing(again) {
        return Err(outside(
            "trailing_day_headings",
            format!("read back as {}", quoted(&format!("{:?}", trailing(again)))),
        ));
    }
    Ok(())
}

/// Reads `markdown` (the document laid out, before any fix) back and
/// refuses the document unless it gives the same front matter, preamble,
/// messages and trailing day headings.
pub fn compare(document: &Document<'_>, markdown: &str) -> Result<(), JsonError> {
    let source = SourceFile::from_string(document.source.as_ref(), markdown);
    let again = Document::build(&source, None);
    head_difference(document, &again)?;
    let mut theirs = again.messages.iter();
    let mut count = 0;
    for (index, ours) in document.messages.iter().enumerate() {
        let Some(back) = theirs.next() else {
            return Err(in_message(
                index,
                "messages",
                format!("the Markdown would read back with {index} messages only"),
            ));
        };
        if let Some((field, problem)) = difference(&ours, &back) {
            return Err(in_message(index, field, problem));
        }
        count = index + 1;
    }
    if theirs.next().is_some() {
        let extra = 1 + theirs.count();
        let problem = format!("the Markdown would read back with {extra} more messages");
        return Err(match count.checked_sub(1) {
            Some(last) => in_message(last, "text", problem),
            None => outside("preamble", problem),
        });
    }
    trailing_difference(document, &again)
}
