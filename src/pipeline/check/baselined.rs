//! A check with a baseline: each file's findings held back (or recorded)
//! as they come, and after every file the stale entries and the writing.

use std::io::Write;

use super::{BaselineUse, CheckPlan};
use crate::output::full::plural;
use crate::output::FileReport;
use crate::pipeline::baseline::FileFindings;
use crate::pipeline::summary::CheckSummary;
use crate::Error;

/// Holds back (or records, with `--write-baseline`) a file's findings as
/// the baseline says; standard input is not in a baseline.
pub(super) fn sift(plan: &CheckPlan, report: &mut FileReport) -> Option<FileFindings> {
    let baseline = plan.baseline.as_ref()?;
    let path = report.source.path()?.to_path_buf();
    Some(baseline.baseline.sift(&path, report, baseline.write))
}

/// After every file: the stale entries told (unless `--quiet`), the
/// baseline written with `--write-baseline` (only when no file failed), and
/// the summary's sentence about it.
pub(super) fn conclude_baseline(
    plan: &CheckPlan,
    baseline: &BaselineUse,
    summary: &mut CheckSummary,
    warnings: &mut (dyn Write + Send),
    errors: &mut Vec<Error>,
) {
    let name = baseline.baseline.path.display();
    let stale = baseline.baseline.stale(&summary.baselined);
    let gone: usize = stale.iter().map(|s| s.gone).sum();
    if baseline.write {
        if !errors.is_empty() {
            let _ = writeln!(warnings, "chatlint: {name} was not written: a file failed");
            return;
        }
        match baseline.baseline.write(&summary.baselined) {
            Ok(recorded) => {
                summary.baseline_note = Some(format!(
                    "Recorded {recorded} {} in {name}{}.",
                    plural(recorded, "finding"),
                    if gone > 0 {
                        format!(", dropped {gone} stale")
                    } else {
                        String::new()
                    }
                ));
            }
            Err(err) => errors.push(err),
        }
        return;
    }
    if plan.notes {
        for stale in &stale {
            let entry = &stale.entry;
            let _ = writeln!(
                warnings,
                "chatlint: {name}: stale: {} {} ×{} no longer found ({})",
                entry.file, entry.rule, stale.gone, entry.message
            );
        }
    }
    let held_back: usize = summary.baselined.iter().map(|f| f.held_back).sum();
    let mut note = format!(
        "{held_back} {} held back by the baseline.",
        plural(held_back, "finding")
    );
    if gone > 0 {
        note.push_str(&format!(
            " {gone} baseline {} stale (fixed or changed): `--write-baseline {name}` drops them.",
            if gone == 1 {
                "finding is"
            } else {
                "findings are"
            }
        ));
    }
    summary.baseline_note = Some(note);
}
