//! `--to csv`: one row per message, RFC 4180 (CRLF, quotes where needed).
//!
//! `time` is the header's time, as written when it is not a valid
//! `HH:MM:SS`; `images` holds the image URLs, one per line of the cell.

use std::borrow::Cow;
use std::io::Write;

use super::{Document, Options};

/// The header row.
pub const COLUMNS: [&str; 7] = ["file", "date", "time", "speaker", "text", "images", "line"];

pub(super) fn write(
    document: &Document<'_>,
    options: &Options,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if options.bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(COLUMNS)?;
    for message in document.messages.iter() {
        let images: Vec<&str> = message.images.iter().map(|image| &*image.url).collect();
        let images = images.join("\n");
        let line = message.line.to_string();
        let cells = [
            &*document.source,
            message.date.as_deref().unwrap_or_default(),
            message.written_time(),
            &message.speaker,
            &message.text,
            &images,
            &line,
        ];
        if options.excel_safe {
            writer.write_record(cells.map(excel_safe).iter().map(|c| c.as_bytes()))?;
        } else {
            writer.write_record(cells)?;
        }
    }
    writer.flush()
}

/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or
/// a tab or carriage return first), prefixed with `'` so that it stays text.
pub fn excel_safe(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_guarded() {
        assert_eq!(super::excel_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::excel_safe("@右军"), "'@右军");
        assert_eq!(super::excel_safe("a=b"), "a=b");
    }
}
