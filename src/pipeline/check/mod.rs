//! `chatlint check`: report findings, or fix them (`--fix`), or show the
//! fixes as a diff (`--diff`).
//!
//! [`CheckPlan::resolve`] turns what was asked ([`CheckOptions`]) into every
//! decision of the run, failing once on a configuration or selector error;
//! [`run`] then reads, checks and reports each file, in parallel, in order.

mod baselined;
mod file;
mod online;
mod plan;
mod show;

pub use plan::{BaselineUse, CheckOptions, CheckPlan, Mode, OutputSpec};
pub use show::Show;

use std::io::Write;
use std::path::PathBuf;

use rayon::prelude::*;

use self::baselined::{conclude_baseline, sift};
use self::file::{load, process, Loaded, Outcome};
use self::online::online_pass;
use super::baseline::FileFindings;
use super::driver;
use super::inputs::{self, Input};
use super::summary::{describe_fixes, CheckSummary, ExitStatus, Tally};
use super::transcripts::{self, NotTranscript};
use crate::cache::ResultCache;
use crate::files::FileIdentity;
use crate::online::Verdicts;
use crate::output::full::Color;
use crate::output::statistics;
use crate::Error;

/// Where a run writes.
pub struct Sinks<'a> {
    /// The findings and the summary (stdout, or stderr per
    /// [`CheckPlan::report_to_stderr`]).
    pub report: &'a mut (dyn Write + Send),
    /// Text: each diff, or the fixed standard input (stdout).
    pub text: &'a mut (dyn Write + Send),
    /// Warnings: a fix not applied, a cache not written (stderr).
    pub warnings: &'a mut (dyn Write + Send),
}

/// What a run did, and the errors to tell, in order (each file's after all
/// files are done: none stops the others).
#[derive(Debug)]
pub struct CheckRun {
    pub summary: CheckSummary,
    pub errors: Vec<Error>,
}

impl CheckRun {
    pub fn exit_status(&self, plan: &CheckPlan) -> ExitStatus {
        self.summary.exit_status(plan.exit)
    }
}

/// Reads, checks (or fixes) and reports every file of the plan.
pub fn run(plan: &CheckPlan, sinks: Sinks<'_>) -> CheckRun {
    match plan.show {
        Some(Show::Files) => return show::show_files(plan, sinks.report, sinks.warnings),
        Some(Show::Settings) => return show::show_settings(plan, sinks.report),
        None => {}
    }
    // The cache is read while the folders are walked.
    let ((inputs, mut errors), cache) = rayon::join(
        || inputs::collect(&plan.paths, &plan.resolver, plan.force_exclude),
        || {
            plan.cache
                .then(|| ResultCache::open(&ResultCache::default_dir()))
        },
    );
    if let Some(error) = output_over_input(plan, &inputs) {
        return CheckRun {
            summary: CheckSummary {
                failed: true,
                ..CheckSummary::default()
            },
            errors: vec![error],
        };
    }
    let one = |input: &Input, online: Option<&Verdicts>| match load(input, plan) {
        Ok(loaded) => process(loaded, plan.mode, cache.as_ref(), online),
        Err(known) => *known,
    };
    let mut report = Report {
        out: sinks.report,
        name: if plan.report_to_stderr {
            "<stderr>"
        } else {
            "<stdout>"
        },
        any: false,
        tail: [0; 2],
    };
    let mut summary = if plan.streams {
        stream(
            plan,
            &inputs,
            |input| one(input, None),
            &mut report,
            &mut errors,
        )
    } else {
        let outcomes: Vec<Outcome> = match &plan.online {
            Some(settings) => {
                // Every file is read before any is checked: the online pass
                // requests the images of all of them at once.
                let loaded: Vec<Result<Loaded, Box<Outcome>>> =
                    inputs.par_iter().map(|input| load(input, plan)).collect();
                let verdicts = online_pass(settings, &loaded, &mut errors);
                loaded
                    .into_par_iter()
                    .map(|loaded| match loaded {
                        Ok(loaded) => process(loaded, plan.mode, None, Some(&verdicts)),
                        Err(known) => *known,
                    })
                    .collect()
            }
            None => inputs.par_iter().map(|input| one(input, None)).collect(),
        };
        gather(
            plan,
            outcomes,
            &mut report,
            sinks.text,
            sinks.warnings,
            &mut errors,
        )
    };

    // The walks: how many files each skipped, or an error for one that
    // found no transcript at all.
    let (notes, walk_errors) = transcripts::walk_results(inputs.iter(), &summary.not_transcripts);
    if plan.notes {
        for note in notes {
            let _ = writeln!(sinks.warnings, "{note}");
        }
    }
    errors.extend(walk_errors);
    if let Some(baseline) = &plan.baseline {
        conclude_baseline(plan, baseline, &mut summary, sinks.warnings, &mut errors);
    }
    if let Some(cache) = cache {
        // A cache that cannot be written costs the next run time, not this
        // run its result.
        if let Err(err) = cache.save() {
            let _ = writeln!(
                sinks.warnings,
                "chatlint: warning: the cache was not written: {err}"
            );
        }
    }
    if let Mode::Diff(_) = plan.mode {
        if plan.human {
            report.write(summary.diff_line().as_bytes(), &mut errors);
        }
    } else if plan.human && (errors.is_empty() || summary.tally.files > 0) {
        let line = summary.line();
        if report.any
            && !report.ends_with_blank_line()
            && summary.tally.findings > 0
            && !plan.statistics
        {
            report.write(b"\n", &mut errors);
        }
        report.write(line.as_bytes(), &mut errors);
        report.write(b"\n", &mut errors);
    }
    if let Err(source) = report.out.flush() {
        note_write_error(report.name, source, &mut errors);
    }
    summary.failed = !errors.is_empty();
    CheckRun { summary, errors }
}

/// The report's stream, and what has gone to it: whether anything, and its
/// last two bytes (the summary follows a blank line).
struct Report<'a> {
    out: &'a mut (dyn Write + Send),
    /// The stream, for an error writing to it.
    name: &'static str,
    any: bool,
    tail: [u8; 2],
}

impl Report<'_> {
    fn write(&mut self, bytes: &[u8], errors: &mut Vec<Error>) {
        if bytes.is_empty() {
            return;
        }
        if let Err(source) = self.out.write_all(bytes) {
            note_write_error(self.name, source, errors);
        }
        self.tail = match bytes {
            [.., a, b] => [*a, *b],
            [b] => [self.tail[1], *b],
            [] => self.tail,
        };
        self.any = true;
    }

    fn ends_with_blank_line(&self) -> bool {
        self.tail == *b"\n\n"
    }
}

/// A plain check: each file is checked and rendered by a worker, and its
/// report written as soon as those before it are out; nothing of a file is
/// kept once it is written.
fn stream(
    plan: &CheckPlan,
    inputs: &[Input],
    check: impl Fn(&Input) -> Outcome + Sync,
    report: &mut Report<'_>,
    errors: &mut Vec<Error>,
) -> CheckSummary {
    enum Piece {
        Report {
            rendered: Vec<u8>,
            tally: Tally,
            baselined: Option<FileFindings>,
        },
        Failed(Error),
        Skipped,
        NotTranscript(NotTranscript),
    }
    // Rendered reports are written by whichever thread delivers them, so
    // their buffers are handed back to be rendered into again: freed there
    // instead, each would cost fresh pages that the kernel clears (13 % of
    // a run over the archive with the full report, measured with perf; CPU
    // time 100 ms, now 65).
    let spare: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());
    let take_spare = || {
        spare
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()
            .unwrap_or_default()
    };
    let render = |outcome: Outcome| match outcome {
        Outcome::Done { mut report, .. } => {
            let baselined = sift(plan, &mut report);
            // A report without findings renders as nothing.
            let mut rendered = take_spare();
            plan.format.append_one(&report, plan.look, &mut rendered);
            let tally = Tally::of(&report, plan.threshold);
            Piece::Report {
                rendered,
                tally,
                baselined,
            }
        }
        Outcome::Failed { error, .. } => Piece::Failed(error),
        Outcome::Skipped { .. } => Piece::Skipped,
        Outcome::NotTranscript(file) => Piece::NotTranscript(file),
    };
    let separator = plan.format.file_separator();
    let mut tally = Tally::default();
    let mut not_transcripts = Vec::new();
    let mut all_baselined = Vec::new();
    driver::in_order(
        inputs,
        |input| render(check(input)),
        |piece| match piece {
            Piece::Report {
                mut rendered,
                tally: one,
                baselined,
            } => {
                tally = tally.merge(one);
                all_baselined.extend(baselined);
                if !rendered.is_empty() {
                    if report.any {
                        report.write(separator, errors);
                    }
                    report.write(&rendered, errors);
                }
                rendered.clear();
                let mut spare = spare
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                // As many as can wait at once is plenty; more would only hold memory.
                if spare.len() < 64 {
                    spare.push(rendered);
                }
            }
            Piece::Failed(err) => errors.push(err),
            Piece::Skipped => {}
            Piece::NotTranscript(file) => not_transcripts.push(file),
        },
    );
    CheckSummary {
        tally,
        not_transcripts,
        baselined: all_baselined,
        ..CheckSummary::default()
    }
}

/// Takes the outcomes in order: writes the text (a diff, the fixed text of
/// standard input) and the warnings, then the report of every file at once
/// (fix lines, findings or statistics); failures go to `errors`.
fn gather(
    plan: &CheckPlan,
    outcomes: Vec<Outcome>,
    report: &mut Report<'_>,
    text: &mut (dyn Write + Send),
    warnings: &mut (dyn Write + Send),
    errors: &mut Vec<Error>,
) -> CheckSummary {
    let mut summary = CheckSummary {
        suppressing: plan.mode == Mode::Suppress,
        ..CheckSummary::default()
    };
    let mut reports = Vec::new();
    let mut fix_lines = String::new();
    for outcome in outcomes {
        let (echo, error) = match outcome {
            Outcome::Done {
                mut report,
                fixed,
                rejected,
                output,
            } => {
                summary.baselined.extend(sift(plan, &mut report));
                // The file's other fixes were applied; these findings remain reported.
                for rejected in &rejected {
                    let _ = writeln!(
                        warnings,
                        "warning: {}:{}: a {} fix was not applied ({}): {}",
                        report.source.name(),
                        rejected.line,
                        rejected.rule,
                        rejected.title,
                        rejected.reason
                    );
                }
                if output.is_some() && matches!(plan.mode, Mode::Diff(_)) {
                    summary.diffs += 1;
                }
                if !fixed.is_empty() {
                    let name = report.source.name();
                    let suppressing = plan.mode == Mode::Suppress;
                    fix_lines.push_str(&describe_fixes(name, &fixed, plan.show_fixes, suppressing));
                }
                summary.fixed += fixed.len();
                summary.tally.add(&report, plan.threshold);
                reports.push(report);
                (output, None)
            }
            Outcome::Skipped { echo } => (echo, None),
            Outcome::NotTranscript(file) => {
                summary.not_transcripts.push(file);
                (None, None)
            }
            Outcome::Failed { error, echo } => (echo, Some(error)),
        };
        if let Some(echo) = echo {
            if let Err(source) = text.write_all(echo.as_bytes()).and_then(|()| text.flush()) {
                note_write_error("<stdout>", source, errors);
            }
        }
        errors.extend(error);
    }
    if !matches!(plan.mode, Mode::Diff(_)) {
        let mut buffer = Vec::new();
        if plan.human && (plan.show_fixes || plan.mode != Mode::Check) {
            buffer.extend_from_slice(fix_lines.as_bytes());
        }
        if plan.statistics {
            statistics::write(&reports, plan.format, plan.threshold, &mut buffer);
        } else {
            plan.format
                .write(&reports, plan.look, &mut buffer)
                .expect("writing to memory cannot fail");
        }
        report.write(&buffer, errors);
    }
    for output in &plan.file_outputs {
        let mut buffer = Vec::new();
        output
            .format
            .write(&reports, Color::Never.into(), &mut buffer)
            .expect("writing to memory cannot fail");
        let path = output.path.as_deref().expect("a file output has a path");
        if let Err(err) = crate::files::write_report_file(path, &buffer) {
            errors.push(err);
        }
    }
    // The process ends right after: freeing thousands of texts and
    // findings one by one would only delay the exit.
    std::mem::forget(reports);
    summary
}

/// A report file that is one of the run's inputs (`--output json:a.md
/// a.md`) would replace a transcript with a report: refused before any
/// file is checked, whatever the spelling or link that names it.
fn output_over_input(plan: &CheckPlan, inputs: &[Input]) -> Option<Error> {
    if plan.file_outputs.is_empty() {
        return None;
    }
    let outputs: Vec<(FileIdentity, &std::path::Path)> = plan
        .file_outputs
        .iter()
        .filter_map(|spec| spec.path.as_deref())
        .map(|path| (FileIdentity::of(path), path))
        .collect();
    inputs.iter().filter_map(Input::path).find_map(|input| {
        let identity = FileIdentity::of(input);
        outputs.iter().find(|(output, _)| *output == identity).map(|(_, path)| {
            Error::Usage(format!(
                "--output {} is {}, a file this run checks: a report would replace it; nothing was checked or written",
                path.display(),
                input.display()
            ))
        })
    })
}

fn note_write_error(stream: &str, source: std::io::Error, errors: &mut Vec<Error>) {
    // A closed pipe (`chatlint check | head`) is not worth a report.
    if source.kind() != std::io::ErrorKind::BrokenPipe {
        errors.push(Error::Io {
            path: PathBuf::from(stream),
            source,
        });
    }
}

#[cfg(test)]
mod tests;
