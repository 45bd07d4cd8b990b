//! `--to json`: the document as it is, one per transcript, described by
//! `schemas/transcript.schema.json`.

use std::io::Write;

use super::Document;

pub(super) fn write(document: &Document<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, document)?;
    out.write_all(b"\n")
}
