//! What a run counts, and the exit status it comes to.

use crate::output::full::plural;
use crate::output::statistics::count_each;
use crate::output::FileReport;
use crate::pipeline::baseline::FileFindings;
use crate::pipeline::transcripts::NotTranscript;
use crate::Applicability;

/// The process's exit status, the same in every command:
///
/// | code | meaning |
/// |---|---|
/// | 0 | nothing found, or everything fixed; every file converted |
/// | 1 | findings remain (`check`; with `--diff`, a fix to show; with `--exit-non-zero-on-fix`, a fix made) |
/// | 2 | a usage or configuration error, or a file that could not be read, checked, fixed, converted or written (said after every other file is done) |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing found (or everything fixed).
    Success = 0,
    /// Findings remain.
    Findings = 1,
    /// A usage, configuration, input or output error.
    Error = 2,
}

/// The findings counted over the files of a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub findings: usize,
    /// Findings with a fix at the threshold `--fix` would apply.
    pub fixable: usize,
    /// Findings whose fix only `--unsafe-fixes` would apply (none when the
    /// threshold already takes unsafe fixes).
    pub unsafe_fixable: usize,
    pub files_with_findings: usize,
    pub files: usize,
}

impl Tally {
    /// Counts one file's report.
    pub fn add(&mut self, report: &FileReport, threshold: Applicability) {
        let diagnostics = &report.diagnostics;
        self.findings += diagnostics.len();
        for diagnostic in diagnostics {
            if diagnostic.fixable_at(threshold) {
                self.fixable += 1;
            } else if diagnostic.fixable_at(Applicability::Unsafe) {
                self.unsafe_fixable += 1;
            }
        }
        self.files_with_findings += usize::from(!diagnostics.is_empty());
        self.files += 1;
    }

    /// The counts of one report.
    pub fn of(report: &FileReport, threshold: Applicability) -> Self {
        let mut tally = Self::default();
        tally.add(report, threshold);
        tally
    }

    /// Both counts together.
    #[must_use]
    pub fn merge(self, other: Tally) -> Tally {
        Tally {
            findings: self.findings + other.findings,
            fixable: self.fixable + other.fixable,
            unsafe_fixable: self.unsafe_fixable + other.unsafe_fixable,
            files_with_findings: self.files_with_findings + other.files_with_findings,
            files: self.files + other.files,
        }
    }

    /// "All checks passed (N files)." or "Found … in … of … files.", with
    /// how many `--fix` would fix and how many more `--unsafe-fixes` would.
    pub fn line(&self) -> String {
        let files = self.files;
        if self.findings == 0 {
            return format!("All checks passed ({files} {}).", plural(files, "file"));
        }
        let mut line = format!(
            "Found {} {} in {} of {files} {}.",
            self.findings,
            plural(self.findings, "finding"),
            self.files_with_findings,
            plural(files, "file")
        );
        match (self.fixable, self.unsafe_fixable) {
            (0, 0) => {}
            (safe, 0) => line.push_str(&format!(" {safe} fixable with `chatlint check --fix`.")),
            (0, unsafe_) => line.push_str(&format!(
                " {unsafe_} fixable with `chatlint check --fix --unsafe-fixes` (review them: unsafe fixes may change meaning)."
            )),
            (safe, unsafe_) => line.push_str(&format!(
                " {safe} fixable with `chatlint check --fix`, {unsafe_} more with `--unsafe-fixes` (review them: unsafe fixes may change meaning)."
            )),
        }
        line
    }
}

/// What a `check` run did, for its summary line and exit status.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CheckSummary {
    /// The findings (after fixing, those that remain).
    pub tally: Tally,
    /// How many fixes were applied (`--fix`) or shown (`--diff`).
    pub fixed: usize,
    /// How many files have a diff (`--diff`).
    pub diffs: usize,
    /// Whether a file failed or an output could not be written.
    pub failed: bool,
    /// The files walks found that are not transcripts, in order: not
    /// checked, and not counted in `tally`.
    pub not_transcripts: Vec<NotTranscript>,
    /// With a baseline: each file's findings, counted by key (those held
    /// back are not in `tally`).
    pub baselined: Vec<FileFindings>,
    /// With a baseline: what it held back, what is stale, what was written.
    pub baseline_note: Option<String>,
    /// `--add-suppressions`: what `fixed` counts are comments written.
    pub suppressing: bool,
}

/// What decides the exit status besides the counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ExitPolicy {
    /// `--exit-zero`: findings do not fail the run (errors still do).
    pub exit_zero: bool,
    /// `--exit-non-zero-on-fix`: a fix made fails the run.
    pub exit_non_zero_on_fix: bool,
    /// `--diff`: the run fails when there is a diff, whatever remains.
    pub diff: bool,
}

impl CheckSummary {
    /// 2 on any error; else 1 on findings (or a diff, or with
    /// `--exit-non-zero-on-fix` a fix), unless `--exit-zero`; else 0.
    pub fn exit_status(&self, policy: ExitPolicy) -> ExitStatus {
        let fails = if policy.diff {
            self.diffs > 0
        } else {
            self.tally.findings > 0 || (policy.exit_non_zero_on_fix && self.fixed > 0)
        };
        if self.failed {
            ExitStatus::Error
        } else if fails && !policy.exit_zero {
            ExitStatus::Findings
        } else {
            ExitStatus::Success
        }
    }

    /// "Found … in … of … files.", after "Fixed N findings." when some were.
    pub fn line(&self) -> String {
        let summary = self.tally.line();
        let summary = match &self.baseline_note {
            Some(note) => format!("{summary} {note}"),
            None => summary,
        };
        if self.fixed == 0 {
            return summary;
        }
        if self.suppressing {
            return format!(
                "Added {} suppression {}. {summary}",
                self.fixed,
                plural(self.fixed, "comment")
            );
        }
        format!(
            "Fixed {} {}. {summary}",
            self.fixed,
            plural(self.fixed, "finding")
        )
    }

    /// "Would fix N findings in M files." (`--diff`).
    pub fn diff_line(&self) -> String {
        format!(
            "Would fix {} {} in {} {}.\n",
            self.fixed,
            plural(self.fixed, "finding"),
            self.diffs,
            plural(self.diffs, "file")
        )
    }
}

/// "Fixed 2 findings in a.md (heading-missing-space ×1, malformed-timestamp ×1)",
/// or with `--show-fixes` one line per rule; with `--add-suppressions`,
/// "Added 2 suppression comments in a.md".
pub fn describe_fixes(
    name: &str,
    fixed: &[&'static str],
    per_rule_lines: bool,
    suppressing: bool,
) -> String {
    if suppressing {
        let n = fixed.len();
        return format!("Added {n} suppression {} in {name}\n", plural(n, "comment"));
    }
    let counts = count_each(fixed.iter().copied());
    if per_rule_lines {
        let mut out = format!("Fixed in {name}:\n");
        for (rule, count) in counts {
            out.push_str(&format!("  {count} × {rule}\n"));
        }
        return out;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(rule, count)| format!("{rule} ×{count}"))
        .collect();
    format!(
        "Fixed {} {} in {name} ({})\n",
        fixed.len(),
        plural(fixed.len(), "finding"),
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(findings: usize, fixed: usize, diffs: usize, failed: bool) -> CheckSummary {
        CheckSummary {
            tally: Tally {
                findings,
                fixable: 0,
                unsafe_fixable: 0,
                files_with_findings: usize::from(findings > 0),
                files: 1,
            },
            fixed,
            diffs,
            failed,
            ..CheckSummary::default()
        }
    }

    #[test]
    fn the_exit_status_follows_the_table() {
        let plain = ExitPolicy::default();
        assert_eq!(
            summary(0, 0, 0, false).exit_status(plain),
            ExitStatus::Success
        );
        assert_eq!(
            summary(3, 0, 0, false).exit_status(plain),
            ExitStatus::Findings
        );
        // One finding is enough (found by .ci/mutants: `> 1` survived).
        assert_eq!(
            summary(1, 0, 0, false).exit_status(plain),
            ExitStatus::Findings
        );
        // An error outweighs everything, --exit-zero included.
        assert_eq!(summary(3, 0, 0, true).exit_status(plain), ExitStatus::Error);
        assert_eq!(summary(0, 0, 0, true).exit_status(plain), ExitStatus::Error);
        let exit_zero = ExitPolicy {
            exit_zero: true,
            ..plain
        };
        assert_eq!(
            summary(3, 0, 0, false).exit_status(exit_zero),
            ExitStatus::Success
        );
        assert_eq!(
            summary(3, 0, 0, true).exit_status(exit_zero),
            ExitStatus::Error
        );
        // A fix made counts only when asked to.
        assert_eq!(
            summary(0, 2, 0, false).exit_status(plain),
            ExitStatus::Success
        );
        let on_fix = ExitPolicy {
            exit_non_zero_on_fix: true,
            ..plain
        };
        assert_eq!(
            summary(0, 2, 0, false).exit_status(on_fix),
            ExitStatus::Findings
        );
        // --diff: a diff fails, findings without one do not.
        let diff = ExitPolicy {
            diff: true,
            ..plain
        };
        assert_eq!(
            summary(3, 0, 0, false).exit_status(diff),
            ExitStatus::Success
        );
        assert_eq!(
            summary(3, 2, 1, false).exit_status(diff),
            ExitStatus::Findings
        );
        assert_eq!(
            summary(0, 0, 0, false).exit_status(diff),
            ExitStatus::Success
        );
    }

    #[test]
    fn the_summary_says_what_unsafe_fixes_would_add() {
        // A timestamp (a safe fix) and a would-be heading longer than
        // `max-heading-length` (an unsafe one).
        let long = "长".repeat(100);
        let text = format!("> 7:50:02  alice  \n   \n##{long}  \n");
        let source = crate::SourceFile::from_string("a.md", &text);
        let diagnostics = crate::check_with(&text, &crate::Settings::default());
        let report = FileReport {
            source,
            diagnostics,
        };
        let safe = Tally::of(&report, Applicability::Safe);
        assert_eq!(
            (safe.fixable, safe.unsafe_fixable),
            (1, 1),
            "{:?}",
            report.diagnostics
        );
        assert_eq!(
            safe.line(),
            "Found 3 findings in 1 of 1 file. 1 fixable with `chatlint check --fix`, 1 more with `--unsafe-fixes` (review them: unsafe fixes may change meaning)."
        );
        let only_unsafe = Tally {
            fixable: 0,
            findings: 1,
            ..safe
        };
        assert_eq!(
            only_unsafe.line(),
            "Found 1 finding in 1 of 1 file. 1 fixable with `chatlint check --fix --unsafe-fixes` (review them: unsafe fixes may change meaning)."
        );
        // Under --unsafe-fixes every fix is at the threshold.
        let all = Tally::of(&report, Applicability::Unsafe);
        assert_eq!((all.fixable, all.unsafe_fixable), (2, 0));
        assert!(
            all.line()
                .ends_with(" 2 fixable with `chatlint check --fix`."),
            "{}",
            all.line()
        );
        assert_eq!(safe.merge(safe).unsafe_fixable, 2);
    }

    #[test]
    fn the_tally_counts_fixable_findings_at_the_threshold() {
        let text = "> 7:50:02  alice  \n   \n##heading  \n";
        let source = crate::SourceFile::from_string("a.md", text);
        let diagnostics = crate::check_with(text, &crate::Settings::default());
        let report = FileReport {
            source,
            diagnostics,
        };
        let safe = Tally::of(&report, Applicability::Safe);
        assert_eq!(safe.findings, report.diagnostics.len());
        assert!(safe.findings >= 2, "{:?}", report.diagnostics);
        let by_hand = report
            .diagnostics
            .iter()
            .filter(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == Applicability::Safe)
            })
            .count();
        assert_eq!(safe.fixable, by_hand);
        assert!(safe.fixable > 0);
        assert_eq!((safe.files, safe.files_with_findings), (1, 1));
        assert_eq!(safe.merge(safe).fixable, 2 * safe.fixable);
    }
}
