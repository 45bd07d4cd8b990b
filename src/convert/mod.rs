//! Converting transcripts: to JSON, JSON Lines, CSV, XML, clean Markdown and HTML;
//! and from JSON back to Markdown.
//!
//! A [`Document`] is built once from the model and handed to the writer of
//! the format asked for, one file each: `json`, `json_lines`, `csv`, `xml`,
//! [`markdown`]. [`batch`] decides where each output of a whole archive goes
//! and writes it there safely.
//!
//! ```
//! use chatlint::convert::{convert, Format, Options};
//! use chatlint::SourceFile;
//!
//! let source = SourceFile::from_string(
//!     "2017-08-25-chat.md",
//!     "> 07:50:02   右军\n熊哥，请转发[握手]\n",
//! );
//! let mut out = Vec::new();
//! convert(source, Format::Md, &Options::default(), &mut out)?;
//! assert_eq!(
//!     String::from_utf8(out).unwrap(),
//!     "> 07:50:02  右军  \n   \n熊哥，请转发[握手]  \n   \n"
//! );
//! # Ok::<(), chatlint::convert::ConvertError>(())
//! ```

pub mod batch;
mod csv;
pub mod document;
pub mod filter;
pub mod from_json;
pub mod html;
mod json;
mod json_lines;
pub mod markdown;
pub mod pseudonymize;
pub mod split;
mod xml;

use std::io::Write;

pub use document::{Document, MessageDoc, Offset};
pub use from_json::JsonError;

use crate::config::Settings;
use crate::output::json::findings;
use crate::output::FileReport;
use crate::source::SourceFile;

/// `--to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// One document per transcript (`schemas/transcript.schema.json`).
    Json,
    /// One message per line, with its file and date.
    Jsonl,
    /// One row per message: file, date, time, speaker, text, images, line.
    Csv,
    /// A `<transcript>` element (`schemas/transcript.xsd`).
    Xml,
    /// The canonical Markdown of the archive, every safe fix applied.
    Md,
    /// A page to read in a browser: self-contained, no script.
    Html,
}

impl Format {
    /// The file extension of the format's output.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Xml => "xml",
            Format::Md => "md",
            Format::Html => "html",
        }
    }
}

/// How to convert; what each option does not apply to, it leaves alone.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Appended to every `datetime`.
    pub timezone: Option<Offset>,
    /// JSON: add the findings of these settings' rules.
    pub diagnostics: Option<Settings>,
    /// The path the rules see (`front-matter` compares it with the dates)
    /// when the source has none: standard input named by `--stdin-filename`.
    pub path: Option<std::path::PathBuf>,
    /// CSV: start with a UTF-8 byte order mark (for Excel).
    pub bom: bool,
    /// CSV: prefix with `'` the cells a spreadsheet would run as a formula.
    pub excel_safe: bool,
    /// Only the messages it keeps (`--since`, `--until`, `--speaker`).
    pub filter: Option<filter::MessageFilter>,
    /// `--pseudonymize`: names replaced, phones and the like masked; an
    /// output that still holds an original name is not written.
    pub pseudonymizer: Option<std::sync::Arc<pseudonymize::Pseudonymizer>>,
}

/// Something a conversion changed that the reader must hear about: the
/// output is complete, but not character for character the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The 1-based line in the source the change concerns (0: the file as a
    /// whole, or a document read by `--from json`, whose notices name the
    /// message).
    pub line: usize,
    pub message: String,
}

/// Why a file could not be converted.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Reading the input, or the fix engine (`--to md`).
    #[error(transparent)]
    Chatlint(#[from] crate::Error),
    /// `--from json`: the JSON is not a transcript document.
    #[error("not a transcript document: {0}")]
    Json(#[from] serde_json::Error),
    /// `--from json`: a field of the document that Markdown cannot hold, or
    /// that would not read back the same.
    #[error(transparent)]
    Invalid(#[from] JsonError),
    /// `--from json`: the document holds what Markdown cannot write.
    #[error("{0}")]
    Unrepresentable(String),
}

/// Converts one transcript, writing the result to `out`.
pub fn convert(
    source: SourceFile,
    format: Format,
    options: &Options,
    out: &mut dyn Write,
) -> Result<Vec<Notice>, ConvertError> {
    if let (Format::Md, Some(pseudonymizer)) = (format, &options.pseudonymizer) {
        return clean_markdown_pseudonymized(source, options, pseudonymizer, out);
    }
    with_document(source, options, true, |document| {
        write(document, format, options, out)
    })
}

/// `--to md --pseudonymize`: the safe fixes of clean Markdown run after the
/// names are replaced, and decoding an entity or removing an invisible
/// character can make a name whole again (`&amp;#x5F20;`, `Ali\u{200B}ce`).
/// So the fixed Markdown is checked; if it shows a name, it is read and
/// pseudonymized once more (its fixes done), and checked again.
fn clean_markdown_pseudonymized(
    source: SourceFile,
    options: &Options,
    pseudonymizer: &pseudonymize::Pseudonymizer,
    out: &mut dyn Write,
) -> Result<Vec<Notice>, ConvertError> {
    let name = source.name().to_string();
    // Checked on the fixed text instead: what is hidden is found there.
    let mut fixed = Vec::new();
    with_document(source, options, false, |document| {
        write(document, Format::Md, options, &mut fixed)
    })?;
    let mut text = String::from_utf8_lossy(&fixed).into_owned();
    // The whole text, and the document it reads as (what its front matter's
    // YAML says: `"\u5F20"` is a name too).
    let left_in = |text: &str| {
        let source = SourceFile::from_string(name.clone(), text.to_string());
        let mut left = pseudonymizer.left_in(text);
        left.extend(pseudonymizer.left_in_document(&Document::build(&source, None)));
        left
    };
    if !left_in(&text).is_empty() {
        // The messages are already the ones kept, and their speakers are
        // pseudonyms now: no filter again.
        let again = Options {
            filter: None,
            diagnostics: None,
            ..options.clone()
        };
        let mut second = Vec::new();
        let source = SourceFile::from_string(name.clone(), text);
        with_document(source, &again, true, |document| {
            write(document, Format::Md, &again, &mut second)
        })?;
        text = String::from_utf8_lossy(&second).into_owned();
        let left = left_in(&text);
        if !left.is_empty() {
            return Err(still_holds(&left));
        }
    }
    out.write_all(text.as_bytes())?;
    Ok(Vec::new())
}

/// Converts one transcript to its HTML page for an archive, and returns
/// what the archive's index lists of it, taken from the same pass.
pub fn convert_to_page(
    source: SourceFile,
    options: &Options,
    out: &mut dyn Write,
) -> Result<html::Listing, ConvertError> {
    with_document(source, options, true, |document| {
        Ok(html::write_page(document, out, true)?)
    })
}

/// The document of a transcript as the options ask for it (its findings,
/// the messages the filter keeps, pseudonymized and, with `check`,
/// checked), handed to `then`.
fn with_document<T>(
    source: SourceFile,
    options: &Options,
    check: bool,
    then: impl FnOnce(&Document<'_>) -> Result<T, ConvertError>,
) -> Result<T, ConvertError> {
    let diagnostics = match &options.diagnostics {
        Some(settings) => {
            let path = source.path().or(options.path.as_deref());
            crate::check_path(source.text(), path, settings)
        }
        None => Vec::new(),
    };
    let report = FileReport {
        source,
        diagnostics,
    };
    let mut document = Document::build(&report.source, options.timezone.as_ref());
    if let Some(filter) = &options.filter {
        document.keep_only(filter.clone());
    }
    if options.diagnostics.is_some() {
        document.diagnostics = Some(findings(std::slice::from_ref(&report)));
    }
    match &options.pseudonymizer {
        Some(pseudonymizer) if check => drop(pseudonymize_checked(&mut document, pseudonymizer)?),
        Some(pseudonymizer) => drop(pseudonymize::pseudonymize(&mut document, pseudonymizer)),
        None => {}
    }
    then(&document)
}

/// Rewrites the document with the pseudonyms, then checks it: an original
/// name still in it (in whatever field a format writes) is an error, and
/// nothing is written.
pub fn pseudonymize_checked(
    document: &mut Document<'_>,
    pseudonymizer: &pseudonymize::Pseudonymizer,
) -> Result<pseudonymize::Replaced, ConvertError> {
    let replaced = pseudonymize::pseudonymize(document, pseudonymizer);
    let left = pseudonymizer.left_in_document(document);
    if left.is_empty() {
        return Ok(replaced);
    }
    Err(still_holds(&left))
}

fn still_holds(left: &[String]) -> ConvertError {
    let mut left = left.to_vec();
    left.sort();
    left.dedup();
    let shown: Vec<String> = left.iter().take(5).map(|n| format!("{n:?}")).collect();
    ConvertError::Unrepresentable(format!(
        "pseudonymized, it still holds {} original names ({}{}): nothing is written",
        left.len(),
        shown.join(", "),
        if left.len() > 5 { ", …" } else { "" }
    ))
}

/// Reads a document written by `--to json` and writes it as `format`
/// (Markdown only: the other formats are read from Markdown).
///
/// Every field is checked, and the Markdown is read back: it must give the
/// document's messages (count; header date, time, speaker, text, date, day
/// headings), else a [`JsonError`] names the message and the field, and
/// nothing is written. What the safe fixes of `--to md` then change is
/// returned as notices, one per message and field.
pub fn convert_json(
    json: &str,
    format: Format,
    options: &Options,
    out: &mut dyn Write,
) -> Result<Vec<Notice>, ConvertError> {
    if format != Format::Md {
        return Err(ConvertError::Unrepresentable(format!(
            "JSON converts back to md only, not to {}",
            format.extension()
        )));
    }
    let document: Document<'_> = serde_json::from_str(json)?;
    from_json::validate(&document)?;
    let laid_out = markdown::render(&document);
    from_json::compare(&document, &laid_out)?;
    // Written whole before any of it goes out: a document that fails
    // leaves nothing behind, not even on standard output.
    let mut written = Vec::new();
    write(&document, format, options, &mut written)?;
    let notices = match std::str::from_utf8(&written) {
        Ok(text) if text != laid_out => from_json::changes(&document, text),
        _ => Vec::new(),
    };
    out.write_all(&written)?;
    Ok(notices)
}

/// Writes a document in a format.
pub fn write(
    document: &Document<'_>,
    format: Format,
    options: &Options,
    out: &mut dyn Write,
) -> Result<Vec<Notice>, ConvertError> {
    match format {
        Format::Json => json::write(document, out)?,
        Format::Jsonl => json_lines::write(document, out)?,
        Format::Csv => csv::write(document, options, out)?,
        Format::Xml => return Ok(xml::write(document, out)?),
        Format::Md => markdown::write(document, out)?,
        Format::Html => html::write(document, out)?,
    }
    Ok(Vec::new())
}
