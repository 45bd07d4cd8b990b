//! `chatlint convert --to json|jsonl|csv|xml|md [PATHS…] [-o OUT]`: one input
//! to standard output, or to a file, or a whole archive mirrored under a
//! folder; `--from json --to md` writes Markdown back from JSON.
//!
//! [`ConvertPlan::resolve`] checks what was asked; [`run`] finds the inputs,
//! decides where each output goes, converts them in parallel and tells what
//! happened, each file in the inputs' order.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

mod archive;
mod conversion;
mod failure;
mod jobs;
mod pseudonyms;
mod report;

pub use failure::FileFailure;
pub use pseudonyms::PseudonymizeOptions;

use self::conversion::{options_for, run_job, Written};
use self::jobs::{find_inputs, input_paths, leave_out_outputs, new_job, plan_tree, Job, Output};
use self::report::report;
use super::driver;
use super::inputs::{self, Input};
use super::transcripts::{self, NotTranscript};
use super::ExitStatus;
use crate::config::ConfigResolver;
use crate::convert::batch::{Destination, Outcome};
use crate::convert::filter::MessageFilter;
use crate::convert::pseudonymize::{Pseudonymizer, Replaced};
use crate::convert::split::Period;
use crate::convert::{Format, Notice, Offset};
use crate::{Error, SourceFile};

/// What a `convert` run is asked to do, as the command line says it.
#[derive(Debug, Clone)]
pub struct ConvertOptions {
    pub paths: Vec<PathBuf>,
    pub to: Format,
    /// `--from json`: the inputs are documents written by `--to json`.
    pub from_json: bool,
    /// `-o OUT`: the output file, or the folder to mirror the inputs in.
    pub output: Option<PathBuf>,
    pub force: bool,
    pub timezone: Option<Offset>,
    pub with_diagnostics: bool,
    pub bom: bool,
    pub excel_safe: bool,
    pub stdin_filename: Option<PathBuf>,
    pub quiet: bool,
    pub max_file_size: u64,
    /// `--since`, `--until`, `--speaker`: the messages kept.
    pub filter: Option<MessageFilter>,
    /// `--split`: one output per day or month of each input.
    pub split: Option<Period>,
    /// `--pseudonymize` and its options.
    pub pseudonymize: Option<PseudonymizeOptions>,
}

/// A request that cannot be carried out as asked: nothing is read or written.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(String);

/// Every decision of a `convert` run that can be made before the inputs
/// are found.
#[derive(Debug)]
pub struct ConvertPlan {
    pub options: ConvertOptions,
    pub resolver: Arc<ConfigResolver>,
    /// What standard input is called in messages.
    pub stdin_name: String,
    /// `--pseudonymize`: decided once the inputs are found, before any
    /// output is written.
    pub pseudonymizer: OnceLock<Arc<Pseudonymizer>>,
    /// Standard input, once a first pass (`--pseudonymize`) has read it:
    /// it cannot be read twice.
    stdin_text: OnceLock<String>,
}

impl ConvertPlan {
    /// Options that do nothing with the formats asked for are mistakes.
    pub fn resolve(options: ConvertOptions) -> Result<Self, Error> {
        let only = |set: bool, option: &str, formats: &[Format]| {
            if set && !formats.contains(&options.to) {
                let names: Vec<&str> = formats.iter().map(|f| f.extension()).collect();
                Err(Error::Usage(format!(
                    "{option} applies to --to {} only",
                    names.join(", ")
                )))
            } else {
                Ok(())
            }
        };
        only(
            options.with_diagnostics,
            "--with-diagnostics",
            &[Format::Json, Format::Html],
        )?;
        only(options.bom, "--bom", &[Format::Csv])?;
        only(options.excel_safe, "--excel-safe", &[Format::Csv])?;
        let with_datetime = [Format::Json, Format::Jsonl, Format::Xml];
        only(options.timezone.is_some(), "--timezone", &with_datetime)?;
        if options.split.is_some() {
            if options.output.is_none() {
                return Err(Error::Usage(
                    "--split writes a file per day or month: it needs -o FOLDER".into(),
                ));
            }
            if options.from_json || options.with_diagnostics {
                return Err(Error::Usage(
                    "--split goes with neither --from json nor --with-diagnostics".into(),
                ));
            }
        }
        if let Some(pseudonymize) = &options.pseudonymize {
            if options.from_json || options.with_diagnostics {
                return Err(Error::Usage(
                    "--pseudonymize goes with neither --from json nor --with-diagnostics \
                     (findings quote names)"
                        .into(),
                ));
            }
            pseudonymize.check(options.output.as_deref())?;
        }
        if options.from_json && options.filter.is_some() {
            return Err(Error::Usage(
                "--since, --until and --speaker apply to Markdown inputs, not --from json".into(),
            ));
        }
        if options.from_json && options.to != Format::Md {
            return Err(Error::Usage(
                "--from json converts to --to md only".to_string(),
            ));
        }
        Ok(Self {
            resolver: Arc::new(ConfigResolver::new(None)?),
            stdin_name: inputs::stdin_name(options.stdin_filename.as_deref()),
            pseudonymizer: OnceLock::new(),
            stdin_text: OnceLock::new(),
            options,
        })
    }
}

impl ConvertPlan {
    /// Reads an input; standard input is kept when `keep_stdin`, for a
    /// later pass to read it again.
    fn read(&self, input: &Input, keep_stdin: bool) -> Result<SourceFile, Error> {
        if *input == Input::Stdin {
            if let Some(text) = self.stdin_text.get() {
                return Ok(SourceFile::from_string(
                    self.stdin_name.clone(),
                    text.clone(),
                ));
            }
        }
        let source = inputs::read(input, &self.stdin_name, self.options.max_file_size)?;
        if keep_stdin && *input == Input::Stdin {
            let _ = self.stdin_text.set(source.text().to_string());
        }
        Ok(source)
    }
}

/// One input that was not converted.
#[derive(Debug)]
pub struct Failed {
    /// The input's name in messages.
    pub name: String,
    /// Where its output was to go.
    pub output: Option<PathBuf>,
    pub failure: FileFailure,
}

/// What became of every input, in order.
#[derive(Debug, Default)]
pub struct ConvertRun {
    pub converted: usize,
    pub skipped: Vec<String>,
    /// The files walks found that are not transcripts: nothing was written
    /// for them.
    pub not_transcripts: Vec<NotTranscript>,
    /// Each input that failed, by name, with its output path if it had one.
    pub failures: Vec<Failed>,
    pub notices: Vec<(String, Notice)>,
    /// `--pseudonymize`: what the outputs written had replaced.
    pub replaced: Option<Replaced>,
}

impl ConvertRun {
    /// 2 when an input failed (after the others are converted), else 0:
    /// `convert` reports no findings.
    pub fn exit_status(&self) -> ExitStatus {
        if self.failures.is_empty() {
            ExitStatus::Success
        } else {
            ExitStatus::Error
        }
    }
}

/// How far a run is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The number of files to convert, once they are found.
    Files(usize),
    /// One more is done.
    Done,
    /// All are done; the messages come next.
    Finished,
}

/// Converts the inputs of the plan. Problems and (unless quiet, and when
/// writing files) the summary go to `messages`; `progress` is told how many
/// files there are and of each file done. `Err` is a usage error found once
/// the inputs are known, or an output folder that cannot be made.
pub fn run(
    plan: &ConvertPlan,
    messages: &mut dyn Write,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<ConvertRun, Error> {
    let options = &plan.options;
    let mut done = ConvertRun::default();
    let found = find_inputs(plan, &mut done.failures);
    // Nothing to convert is a failure, said before any folder is made.
    if found.is_empty() {
        if done.failures.is_empty() {
            done.failures.push(Failed {
                name: "chatlint convert".into(),
                output: None,
                failure: FileFailure::NoInput,
            });
        }
        report(options, false, &done, messages);
        return Ok(done);
    }

    if let Some(pseudonymize) = &options.pseudonymize {
        let pseudonymizer = pseudonyms::decide(pseudonymize, &found, plan, &mut done.failures)?;
        let _ = plan.pseudonymizer.set(Arc::new(pseudonymizer));
    }

    // One named input (not a folder) may go to stdout or to a named file.
    let named_one = options.paths.len() == 1 && !options.paths[0].is_dir();
    // `--split` writes in a folder even for one input.
    let one_output = named_one && options.split.is_none();
    let (destination, jobs) = match &options.output {
        None if one_output => {
            let jobs = found
                .first()
                .map(|input| new_job(input, &plan.stdin_name, Output::Stdout));
            (None, jobs.into_iter().collect())
        }
        None => {
            return Err(Error::Usage(
                "several inputs or a directory need -o OUT, a folder to write them in".into(),
            ))
        }
        Some(out) if one_output && !out.is_dir() => {
            let destination = Destination::files(options.force, input_paths(&found));
            let jobs = found
                .first()
                .map(|input| new_job(input, &plan.stdin_name, Output::File(out.clone())));
            (Some(destination), jobs.into_iter().collect())
        }
        Some(out) => {
            if out.exists() && !out.is_dir() {
                return Err(Error::Usage(format!(
                    "{} is a file; several inputs or a directory need a folder",
                    out.display()
                )));
            }
            let found = leave_out_outputs(found, out);
            let destination = Destination::folder(out, options.force, input_paths(&found))
                .map_err(|source| Error::Io {
                    path: out.clone(),
                    source,
                })?;
            let jobs = plan_tree(&destination, &found, plan);
            (Some(destination), jobs)
        }
    };

    progress(Progress::Files(jobs.len()));
    // `--to html` into a folder: the archive's index lists every page,
    // made now (with what its pass listed) or there already.
    // One file named into a folder is a page, not an archive.
    let into_folder = destination.as_ref().is_some_and(Destination::is_folder);
    let archive = options.to == Format::Html && into_folder && !one_output;
    let mut pages: Vec<archive::Page> = Vec::new();
    let pseudonymizing = options.pseudonymize.is_some();
    driver::in_order(
        &jobs,
        |job| {
            let written = run_job(job, plan, destination.as_ref(), archive);
            progress(Progress::Done);
            (job, written)
        },
        |(job, written)| {
            for written in written {
                record(job, written, pseudonymizing, &mut done, &mut pages);
            }
        },
    );
    progress(Progress::Finished);
    if let (Some(folder), Some(destination), true) = (&options.output, &destination, archive) {
        archive::write_index(folder, pages, plan, destination, &mut done);
    }
    if let Some(destination) = &destination {
        destination.remove_empty_made();
    }
    // The walks: how many files each skipped, or a failure for one that
    // found no transcript at all.
    let inputs = jobs.iter().map(|job| &job.input);
    let (notes, walk_errors) = transcripts::walk_results(inputs, &done.not_transcripts);
    done.failures
        .extend(walk_errors.into_iter().map(|err| Failed {
            name: match &err {
                Error::OnlyNonTranscripts { path, .. } => path.display().to_string(),
                _ => "chatlint convert".into(),
            },
            output: None,
            failure: FileFailure::Input(err),
        }));
    done.replaced = plan.pseudonymizer.get().map(|p| p.tally());
    // Written to stdout, one file needs no summary; problems are still said.
    let summary = !options.quiet && options.output.is_some();
    if summary {
        for note in notes {
            let _ = writeln!(messages, "{note}");
        }
    }
    report(options, summary, &done, messages);
    Ok(done)
}

/// Adds what became of one output of `job` to the run (and a page made or
/// found to the archive's `pages`).
fn record(
    job: &Job,
    written: Written,
    pseudonymizing: bool,
    done: &mut ConvertRun,
    pages: &mut Vec<archive::Page>,
) {
    let Written {
        output,
        outcome,
        listing,
    } = written;
    // A page made, or there already: the index lists it.
    let listed = match &outcome {
        Ok(Outcome::Converted(_)) => true,
        Ok(Outcome::Skipped(_)) => !pseudonymizing,
        _ => false,
    };
    if let (true, Some(path)) = (listed, &output) {
        pages.push(archive::Page {
            input: job.input.clone(),
            path: path.clone(),
            listing,
        });
    }
    let failure = match outcome {
        Ok(Outcome::Converted(found)) => {
            done.converted += 1;
            done.notices
                .extend(found.into_iter().map(|n| (job.name.clone(), n)));
            return;
        }
        // What is there already may hold the real names: with
        // --pseudonymize it is not left in place unnoticed.
        Ok(Outcome::Skipped(reason)) if pseudonymizing => FileFailure::Refused(format!(
            "{reason}; with --pseudonymize an output there already may hold real names"
        )),
        Ok(Outcome::Skipped(reason)) => return done.skipped.push(reason),
        Ok(Outcome::NotTranscript) => {
            done.not_transcripts.extend(NotTranscript::of(&job.input));
            return;
        }
        Ok(Outcome::Failed(error)) => FileFailure::Output(error),
        Err(failure) => failure,
    };
    done.failures.push(Failed {
        name: job.name.clone(),
        output,
        failure,
    });
}
