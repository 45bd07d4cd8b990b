//! `--output-format concise`: `path:line:column: CODE name message`, one per line,
//! for editors' problem matchers and for grep.

use std::io::Write;

use super::FileReport;

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> std::io::Result<()> {
    for report in reports {
        for d in &report.diagnostics {
            let start = report.source.line_column(d.span.start);
            let fixable = if d
                .fix
                .as_ref()
                .is_some_and(|f| f.applicability == crate::Applicability::Safe)
            {
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
    }
    Ok(())
}
