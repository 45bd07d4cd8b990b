//! `--output-format github`: workflow commands, so that findings show as
//! annotations on a pull request.
//!
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::MESSAGE`,
//! with `%`, CR and LF escaped in the message, and also `:` and `,` in the
//! properties, as GitHub's toolkit does.

use std::io::Write;

use super::{write_in_parallel, FileReport};
use crate::diagnostic::Severity;

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> std::io::Result<()> {
    write_in_parallel(reports, b"", out, |report, out| {
        for d in &report.diagnostics {
            let (start, end) = report.range(&d.span);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(report.source.name()),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&format!("{} {}", d.rule.code, d.rule.name)),
                escape_data(&d.message)
            )?;
        }
        Ok(())
    })
}

pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
