//! `--output-format json-lines`: the objects of the JSON format, one per line.

use std::io::Write;

use super::{json, FileReport};

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> std::io::Result<()> {
    for finding in json::findings(reports) {
        serde_json::to_writer(&mut *out, &finding)?;
        writeln!(out)?;
    }
    Ok(())
}
