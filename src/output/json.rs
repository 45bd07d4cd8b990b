//! `--output-format json`: one array of findings, described by
//! `schemas/diagnostics.schema.json`.

use serde::Serialize;

use super::FileReport;
use crate::diagnostic::Applicability;
use crate::diagnostic::Severity;

#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    pub path: &'a str,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub help: Option<&'a str>,
    pub fix: Option<JsonFix<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonFix<'a> {
    pub applicability: Applicability,
    pub title: &'a str,
    pub edits: Vec<JsonEdit<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonEdit<'a> {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub content: &'a str,
}

/// The findings of all reports, in order.
pub fn findings(reports: &[FileReport]) -> Vec<JsonFinding<'_>> {
    let mut out = Vec::new();
    for report in reports {
        for d in &report.diagnostics {
            let (start, end) = report.range(&d.span);
            out.push(JsonFinding {
                path: report.source.name(),
                code: d.rule.code,
                name: d.rule.name,
                severity: d.severity,
                message: &d.message,
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                help: d.help.as_deref(),
                fix: d.fix.as_ref().map(|fix| JsonFix {
                    applicability: fix.applicability,
                    title: &fix.title,
                    edits: fix
                        .edits
                        .iter()
                        .map(|edit| {
                            let (start, end) = report.range(&edit.span);
                            JsonEdit {
                                line: start.line,
                                column: start.column,
                                end_line: end.line,
                                end_column: end.column,
                                content: &edit.content,
                            }
                        })
                        .collect(),
                }),
            });
        }
    }
    out
}

/// Writes the array, pretty-printed, with a final newline.
pub fn write(reports: &[FileReport], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &findings(reports))?;
    writeln!(out)
}
