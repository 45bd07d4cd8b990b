//! `check --statistics`: how many findings each rule has, instead of the findings.

use super::{FileReport, OutputFormat};
use crate::Applicability;

/// One row a rule: count, code, whether its findings are fixable at
/// `threshold` (`[*]` all, `[-]` some, `[ ]` none) and name; most found
/// first. As a JSON array with `--output-format json` or `json-lines`.
pub fn write(
    reports: &[FileReport],
    format: OutputFormat,
    threshold: Applicability,
    out: &mut Vec<u8>,
) {
    let diagnostics = || reports.iter().flat_map(|r| &r.diagnostics);
    let fixable = count_each(
        diagnostics()
            .filter(|d| d.fixable_at(threshold))
            .map(|d| d.rule.code),
    );
    let mut counts: Vec<(&'static str, &'static str, usize, usize)> =
        count_each(diagnostics().map(|d| (d.rule.code, d.rule.name)))
            .into_iter()
            .map(|((code, name), count)| {
                (code, name, count, fixable.get(code).copied().unwrap_or(0))
            })
            .collect();
    counts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    if matches!(format, OutputFormat::Json | OutputFormat::JsonLines) {
        let rows: Vec<serde_json::Value> = counts
            .iter()
            .map(|(code, name, count, fixable)| {
                serde_json::json!({ "code": code, "name": name, "count": count, "fixable": fixable })
            })
            .collect();
        // Writing to memory cannot fail.
        let _ = serde_json::to_writer_pretty(&mut *out, &rows);
        out.push(b'\n');
        return;
    }
    for (code, name, count, fixable) in counts {
        let marker = if fixable == count {
            "[*]"
        } else if fixable > 0 {
            "[-]"
        } else {
            "[ ]"
        };
        out.extend_from_slice(format!("{count:>6}\t{code}\t{marker} {name}\n").as_bytes());
    }
}

/// How many times each key occurs, in the keys' order.
pub fn count_each<K: Ord>(
    keys: impl IntoIterator<Item = K>,
) -> std::collections::BTreeMap<K, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for key in keys {
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}
