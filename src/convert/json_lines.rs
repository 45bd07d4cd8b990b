//! `--to jsonl`: one message per line, each with its file, so that a whole
//! archive streams into DuckDB, pandas or Spark as one table.

use std::io::Write;

use serde::Serialize;

use super::{Document, MessageDoc};

/// A message with the file it is from.
#[derive(Serialize)]
struct Row<'r, 'a> {
    file: &'r str,
    #[serde(flatten)]
    message: &'r MessageDoc<'a>,
}

pub(super) fn write(document: &Document<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    for message in document.messages.iter() {
        let row = Row {
            file: &document.source,
            message: &message,
        };
        serde_json::to_writer(&mut *out, &row)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
