//! `--output-format sarif`: SARIF 2.1.0, for code-scanning dashboards, with
//! every rule described and fixes as SARIF fixes.

use std::io::Write;

use serde_json::{json, Value};

use super::FileReport;
use crate::diagnostic::Severity;
use crate::rules::registry;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The SARIF log of all reports.
pub fn log(reports: &[FileReport]) -> Value {
    let rules: Vec<Value> = registry::all()
        .iter()
        .map(|rule| {
            let meta = rule.meta();
            json!({
                "id": meta.code,
                "name": meta.name,
                "shortDescription": { "text": meta.summary() },
                "fullDescription": { "text": meta.documentation() },
                "help": { "text": meta.documentation(), "markdown": meta.documentation() },
                "defaultConfiguration": { "level": level(meta.severity), "enabled": meta.default_enabled },
            })
        })
        .collect();
    let mut results = Vec::new();
    for report in reports {
        let uri = report.source.name().replace('\\', "/");
        let region = |span: &std::ops::Range<usize>| {
            let (start, end) = report.range(span);
            json!({
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column,
            })
        };
        for d in &report.diagnostics {
            let rule_index = registry::all()
                .iter()
                .position(|r| r.meta().code == d.rule.code);
            let mut result = json!({
                "ruleId": d.rule.code,
                "ruleIndex": rule_index,
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": region(&d.span),
                    }
                }],
            });
            if let Some(fix) = &d.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|edit| {
                        json!({
                            "deletedRegion": region(&edit.span),
                            "insertedContent": { "text": edit.content },
                        })
                    })
                    .collect();
                result["fixes"] = json!([{
                    "description": { "text": format!("{} ({})", fix.title, fix.applicability) },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": uri },
                        "replacements": replacements,
                    }],
                }]);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "chatlint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/chatlint/chatlint",
                    "rules": rules,
                }
            },
            // Columns count characters, as everywhere in chatlint.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(reports))?;
    writeln!(out)
}
