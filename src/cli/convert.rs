//! `chatlint convert --to json|jsonl|csv|xml|md [PATHS…] [-o OUT]`: one input
//! to standard output, or to a file, or a whole archive mirrored under a
//! folder; `--from json --to md` writes Markdown back from JSON.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::inputs::{self, Input};
use super::ExitStatus;
use chatlint::config::{ConfigResolver, Overrides};
use chatlint::convert::batch::{Destination, Outcome};
use chatlint::convert::{self, ConvertError, Format, Notice, Offset, Options};
use chatlint::Error;

/// `--from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InputFormat {
    /// Markdown transcripts.
    Md,
    /// Documents written by `--to json`.
    Json,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Files (any extension), directories (walked for *.md and *.markdown, or
    /// *.json with --from json), or - for stdin.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The format to write.
    #[arg(long, value_enum)]
    to: Format,
    /// The format to read.
    #[arg(long, value_enum, default_value_t = InputFormat::Md)]
    from: InputFormat,
    /// Where to write: with one input file, the output file (unless it is a
    /// folder); otherwise a folder, in which the inputs' tree is mirrored.
    /// Without it, one input is written to stdout.
    #[arg(long, short, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Replace existing output files (an input file is never replaced).
    #[arg(long)]
    force: bool,
    /// The UTC offset to give each `datetime`, e.g. +08:00 (json, jsonl, xml).
    #[arg(long, value_name = "OFFSET")]
    timezone: Option<Offset>,
    /// Add the findings of `chatlint check` to each document (json).
    #[arg(long)]
    with_diagnostics: bool,
    /// Start the file with a byte order mark, for Excel (csv).
    #[arg(long)]
    bom: bool,
    /// Prefix with ' the cells a spreadsheet would run as a formula: those
    /// starting with = + - @, a tab or a carriage return (csv). It alters the
    /// data, so it is off by default.
    #[arg(long)]
    excel_safe: bool,
    /// The path standard input stands for: its name in the output and messages.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Print problems only, no summary.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    size_limit: inputs::SizeLimit,
}

/// One input and where its output goes.
struct Job {
    input: Input,
    /// The name shown in messages.
    name: String,
    output: Output,
}

enum Output {
    Stdout,
    File(PathBuf),
    /// Decided before reading it: the input will not be converted.
    Refused(String),
}

pub fn run(args: ConvertArgs) -> Result<ExitStatus, Error> {
    if let Err(message) = check_usage(&args) {
        eprintln!("chatlint convert: {message}");
        return Ok(ExitStatus::Error);
    }
    let resolver = Arc::new(ConfigResolver::new(None)?);
    let stdin_name = inputs::stdin_name(args.stdin_filename.as_deref());
    let (found, mut failures) = find_inputs(&args, &resolver);
    // Nothing to convert is a failure, said before any folder is made.
    if found.is_empty() {
        if failures.is_empty() {
            failures.push((
                "chatlint convert".into(),
                "the paths given hold no input".into(),
            ));
        }
        report(&args, false, 0, &[], &failures, &[]);
        return Ok(ExitStatus::Error);
    }

    // One named input (not a folder) may go to stdout or to a named file.
    let named_one = args.paths.len() == 1 && !args.paths[0].is_dir();
    let (destination, jobs) = match &args.output {
        None if named_one => {
            let jobs = found
                .first()
                .map(|(input, _)| new_job(input, &stdin_name, Output::Stdout));
            (None, jobs.into_iter().collect())
        }
        None => {
            eprintln!(
                "chatlint convert: several inputs or a directory need -o OUT, a folder to write them in"
            );
            return Ok(ExitStatus::Error);
        }
        Some(out) if named_one && !out.is_dir() => {
            let destination = Destination::files(args.force, input_paths(&found));
            let jobs = found
                .first()
                .map(|(input, _)| new_job(input, &stdin_name, Output::File(out.clone())));
            (Some(destination), jobs.into_iter().collect())
        }
        Some(out) => {
            if out.exists() && !out.is_dir() {
                eprintln!(
                    "chatlint convert: {} is a file; several inputs or a directory need a folder",
                    out.display()
                );
                return Ok(ExitStatus::Error);
            }
            let found = leave_out_outputs(found, out);
            let destination =
                Destination::folder(out, args.force, input_paths(&found)).map_err(|source| {
                    Error::Io {
                        path: out.clone(),
                        source,
                    }
                })?;
            let jobs = plan_tree(&destination, &found, &args, &stdin_name);
            (Some(destination), jobs)
        }
    };

    let progress = if jobs.len() > 1 && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(jobs.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} files, {elapsed}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let outcomes: Vec<(String, Outcome)> = jobs
        .par_iter()
        .map(|job| {
            let outcome = run_job(job, &args, &resolver, &stdin_name, destination.as_ref());
            progress.inc(1);
            (job.name.clone(), outcome)
        })
        .collect();
    progress.finish_and_clear();

    let mut converted = 0;
    let mut skipped = Vec::new();
    let mut notices: Vec<(String, Notice)> = Vec::new();
    for (name, outcome) in outcomes {
        match outcome {
            Outcome::Converted(found) => {
                converted += 1;
                notices.extend(found.into_iter().map(|n| (name.clone(), n)));
            }
            Outcome::Skipped(reason) => skipped.push(reason),
            Outcome::Failed(reason) => failures.push((name, reason)),
        }
    }
    // Written to stdout, one file needs no summary; problems are still said.
    let summary = !args.quiet && args.output.is_some();
    report(&args, summary, converted, &skipped, &failures, &notices);
    // A file that could not be converted is an input or output error: 2,
    // as in `check`. Exit 1 means findings, which `convert` does not report.
    Ok(if failures.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Error
    })
}

/// Options that do nothing with the formats asked for are mistakes.
fn check_usage(args: &ConvertArgs) -> Result<(), String> {
    let only = |set: bool, option: &str, formats: &[Format]| {
        if set && !formats.contains(&args.to) {
            let names: Vec<&str> = formats.iter().map(|f| f.extension()).collect();
            Err(format!(
                "{option} applies to --to {} only",
                names.join(", ")
            ))
        } else {
            Ok(())
        }
    };
    only(args.with_diagnostics, "--with-diagnostics", &[Format::Json])?;
    only(args.bom, "--bom", &[Format::Csv])?;
    only(args.excel_safe, "--excel-safe", &[Format::Csv])?;
    let with_datetime = [Format::Json, Format::Jsonl, Format::Xml];
    only(args.timezone.is_some(), "--timezone", &with_datetime)?;
    if args.from == InputFormat::Json && args.to != Format::Md {
        return Err("--from json converts to --to md only".to_string());
    }
    Ok(())
}

/// The inputs, each with the folder it was found in (none when named), and
/// the paths that could not be read.
#[allow(clippy::type_complexity)]
fn find_inputs(
    args: &ConvertArgs,
    resolver: &Arc<ConfigResolver>,
) -> (Vec<(Input, Option<PathBuf>)>, Vec<(String, String)>) {
    let mut found = Vec::new();
    let mut failures = Vec::new();
    for path in &args.paths {
        let is_folder = path.is_dir();
        let (inputs, errors) = if is_folder && args.from == InputFormat::Json {
            (json_files(path), Vec::new())
        } else {
            inputs::collect(std::slice::from_ref(path), resolver, false)
        };
        let root = is_folder.then(|| path.clone());
        found.extend(inputs.into_iter().map(|input| (input, root.clone())));
        failures.extend(errors.into_iter().map(|err| {
            (
                path.display().to_string(),
                err.to_string()
                    .trim_start_matches(&format!("{}: ", path.display()))
                    .to_string(),
            )
        }));
    }
    (found, failures)
}

/// The `*.json` files under a folder, in a stable order.
fn json_files(folder: &Path) -> Vec<Input> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(folder)
        .build()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files.into_iter().map(Input::File).collect()
}

fn input_paths(found: &[(Input, Option<PathBuf>)]) -> impl Iterator<Item = &Path> {
    found.iter().filter_map(|(input, _)| match input {
        Input::File(path) => Some(path.as_path()),
        Input::Stdin => None,
    })
}

fn new_job(input: &Input, stdin_name: &str, output: Output) -> Job {
    let name = match input {
        Input::File(path) => path.display().to_string(),
        Input::Stdin => stdin_name.to_string(),
    };
    Job {
        input: input.clone(),
        name,
        output,
    }
}

/// When OUT is a folder inside an input folder, the files under it (an
/// earlier run's outputs) are not inputs.
fn leave_out_outputs(
    found: Vec<(Input, Option<PathBuf>)>,
    out: &Path,
) -> Vec<(Input, Option<PathBuf>)> {
    let Ok(real_out) = out.canonicalize() else {
        return found;
    };
    found
        .into_iter()
        .filter(|(input, root)| {
            let (Input::File(path), Some(root)) = (input, root) else {
                return true;
            };
            let out_inside_root = root
                .canonicalize()
                .is_ok_and(|root| real_out != root && real_out.starts_with(root));
            !(out_inside_root && path.canonicalize().is_ok_and(|p| p.starts_with(&real_out)))
        })
        .collect()
}

/// Each input's place under OUT: its path below the folder it was found in,
/// or its file name when it was named.
fn plan_tree(
    destination: &Destination,
    found: &[(Input, Option<PathBuf>)],
    args: &ConvertArgs,
    stdin_name: &str,
) -> Vec<Job> {
    let mut taken: HashMap<PathBuf, String> = HashMap::new();
    let mut jobs = Vec::new();
    for (input, root) in found {
        let relative = match (input, root) {
            // `inputs::collect` names files under `.` without the `./`.
            (Input::File(path), Some(root)) => {
                path.strip_prefix(root).unwrap_or(path).to_path_buf()
            }
            (Input::File(path), None) => PathBuf::from(path.file_name().unwrap_or_default()),
            (Input::Stdin, _) => args
                .stdin_filename
                .as_ref()
                .and_then(|p| p.file_name())
                .map_or_else(|| PathBuf::from("stdin"), PathBuf::from),
        };
        let mut job = new_job(input, stdin_name, Output::Stdout);
        job.output = match destination.output_path(&relative, args.to) {
            Ok(path) => match taken.get(&path) {
                Some(first) => Output::Refused(format!(
                    "{} is already the output of {first}",
                    path.display()
                )),
                None => {
                    taken.insert(path.clone(), job.name.clone());
                    Output::File(path)
                }
            },
            Err(reason) => Output::Refused(reason),
        };
        jobs.push(job);
    }
    jobs
}

fn run_job(
    job: &Job,
    args: &ConvertArgs,
    resolver: &ConfigResolver,
    stdin_name: &str,
    destination: Option<&Destination>,
) -> Outcome {
    let convert = |out: &mut dyn Write| -> Result<Vec<Notice>, ConvertError> {
        let source = inputs::read(&job.input, stdin_name, args.size_limit.max_file_size)?;
        match args.from {
            InputFormat::Json => {
                convert::convert_json(source.text(), args.to, &Options::default(), out)
            }
            InputFormat::Md => {
                let options = options_for(&job.input, args, resolver)?;
                convert::convert(source, args.to, &options, out)
            }
        }
    };
    match (&job.output, destination) {
        (Output::Refused(reason), _) => Outcome::Failed(reason.clone()),
        (Output::File(path), Some(destination)) => destination.write(path, convert),
        _ => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            match convert(&mut stdout).and_then(|notices| Ok(stdout.flush().map(|()| notices)?)) {
                Ok(notices) => Outcome::Converted(notices),
                Err(ConvertError::Io(err)) if err.kind() == std::io::ErrorKind::BrokenPipe => {
                    Outcome::Converted(Vec::new())
                }
                Err(err) => Outcome::Failed(err.to_string()),
            }
        }
    }
}

/// The options for one file; the findings (`--with-diagnostics`) follow the
/// configuration that applies to it, as `chatlint check` does.
fn options_for(
    input: &Input,
    args: &ConvertArgs,
    resolver: &ConfigResolver,
) -> Result<Options, Error> {
    let path = input.config_path(args.stdin_filename.as_deref());
    let diagnostics = if args.with_diagnostics {
        Some(inputs::settings_for(
            resolver,
            &path,
            &Overrides::default(),
        )?)
    } else {
        None
    };
    Ok(Options {
        timezone: args.timezone.clone(),
        diagnostics,
        // Standard input has no path of its own; a named one is what the
        // rules see, as in `check`.
        path: (*input == Input::Stdin && args.stdin_filename.is_some()).then_some(path),
        bom: args.bom,
        excel_safe: args.excel_safe,
    })
}

/// Problems on stderr, then the summary if asked for.
fn report(
    args: &ConvertArgs,
    summary: bool,
    converted: usize,
    skipped: &[String],
    failures: &[(String, String)],
    notices: &[(String, Notice)],
) {
    let mut err = std::io::stderr().lock();
    for (name, notice) in notices {
        if notice.line == 0 {
            let _ = writeln!(err, "{name}: {}", notice.message);
        } else {
            let _ = writeln!(err, "{name}:{}: {}", notice.line, notice.message);
        }
    }
    for (name, reason) in failures {
        // Most reasons name the file already.
        if reason.starts_with(name.as_str()) {
            let _ = writeln!(err, "failed: {reason}");
        } else {
            let _ = writeln!(err, "failed: {name}: {reason}");
        }
    }
    if !summary {
        return;
    }
    for reason in skipped {
        let _ = writeln!(err, "skipped: {reason}");
    }
    if !notices.is_empty() {
        let files: std::collections::HashSet<&str> =
            notices.iter().map(|(name, _)| name.as_str()).collect();
        let _ = writeln!(
            err,
            "Changed by the conversion (see above): {} places in {} files.",
            notices.len(),
            files.len(),
        );
    }
    let _ = writeln!(
        err,
        "Converted {converted}, skipped {}, failed {} (to {}).",
        skipped.len(),
        failures.len(),
        args.to.extension(),
    );
}
