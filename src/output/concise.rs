//! `--output-format concise`: `path:line:column: CODE name message`, one per line,
//! for editors' problem matchers and for grep.

use std::io::Write;

use super::{write_in_parallel, FileReport};

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> std::io::Result<()> {
    write_in_parallel(reports, b"", out, |report, out| {
        for d in &report.diagnostics {
            let start = report.source.line_column(d.span.start);
            let fixable = if d.fixable_at(crate::Applicability::Safe) {
                " [*]"
            } else {
                ""
            };
            writeln!(
                out,
                "{}:{}:{}: {} {} {}{fixable}",
                report.source.name(),
                start.line,
                start.column,
                d.rule.code,
                d.rule.name,
                d.message
            )?;
        }
        Ok(())
    })
}
