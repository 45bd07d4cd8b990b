//! `chatlint convert`: the arguments, the plan made of them, and the
//! progress bar; the run is [`chatlint::pipeline::convert`].

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use super::ExitStatus;
use chatlint::convert::filter::MessageFilter;
use chatlint::convert::pseudonymize::DEFAULT_TEMPLATE;
use chatlint::convert::split::Period;
use chatlint::convert::{Format, Offset};
use chatlint::pipeline::convert::{
    self, ConvertOptions, ConvertPlan, Progress, PseudonymizeOptions,
};
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
    /// Add the findings of `chatlint check` to each document (json), or mark
    /// the messages that have findings (html).
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
    /// Keep only the messages of this day (YYYY-MM-DD) and after.
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Keep only the messages of this day (YYYY-MM-DD) and before.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Keep only the messages of this speaker (repeat for several).
    #[arg(long, value_name = "NAME")]
    speaker: Vec<String>,
    /// One output per day or month of each transcript's messages, written
    /// in a folder named after the transcript under -o (needs -o FOLDER).
    #[arg(long, value_name = "PERIOD")]
    split: Option<Period>,
    /// Replace every speaker's name, in headers, mentions and text, by a
    /// pseudonym (P001, …; the same for a person in every file), and mask
    /// phone numbers, e-mail addresses and WeChat IDs. The output is checked:
    /// one that still holds an original name is not written.
    #[arg(long)]
    pseudonymize: bool,
    /// The pseudonyms of earlier runs, extended with this run's and written
    /// back with mode 0600; never inside -o (--pseudonymize).
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// How new pseudonyms are written: {n} or {n:0W} is the number
    /// (--pseudonymize).
    #[arg(long, value_name = "TEMPLATE", default_value = DEFAULT_TEMPLATE)]
    pseudonym: String,
    /// Also mask what this regular expression matches, as [masked] (repeat
    /// for several; --pseudonymize).
    #[arg(long, value_name = "REGEX")]
    mask: Vec<String>,
    /// The path standard input stands for: its name in the output and messages.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Print problems only, no summary.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    size_limit: super::SizeLimit,
}

/// `--pseudonymize` and its options; those options without it are a
/// mistake.
fn pseudonymize_options(
    pseudonymize: bool,
    mapping: Option<PathBuf>,
    template: String,
    masks: Vec<String>,
) -> Result<Option<PseudonymizeOptions>, Error> {
    if !pseudonymize {
        let given = [
            (mapping.is_some(), "--mapping"),
            (template != DEFAULT_TEMPLATE, "--pseudonym"),
            (!masks.is_empty(), "--mask"),
        ];
        if let Some((_, option)) = given.iter().find(|(set, _)| *set) {
            return Err(usage(Error::Usage(format!(
                "{option} applies with --pseudonymize only"
            ))));
        }
        return Ok(None);
    }
    Ok(Some(PseudonymizeOptions {
        mapping,
        template,
        masks,
    }))
}

pub fn run(args: ConvertArgs) -> Result<ExitStatus, Error> {
    let filter = MessageFilter::new(args.since, args.until, args.speaker)
        .map_err(|message| usage(Error::Usage(message)))?;
    let plan = ConvertPlan::resolve(ConvertOptions {
        filter,
        split: args.split,
        pseudonymize: pseudonymize_options(
            args.pseudonymize,
            args.mapping,
            args.pseudonym,
            args.mask,
        )?,
        paths: args.paths,
        to: args.to,
        from_json: args.from == InputFormat::Json,
        output: args.output,
        force: args.force,
        timezone: args.timezone,
        with_diagnostics: args.with_diagnostics,
        bom: args.bom,
        excel_safe: args.excel_safe,
        stdin_filename: args.stdin_filename,
        quiet: args.quiet,
        max_file_size: args.size_limit.max_file_size,
    })
    .map_err(usage)?;
    let progress = ProgressBar::hidden();
    let terminal = std::io::stderr().is_terminal();
    let done = convert::run(&plan, &mut std::io::stderr(), &|event| match event {
        // A bar only for more than one file, on a terminal.
        Progress::Files(files) if files > 1 && terminal => {
            progress.set_length(files as u64);
            if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} files, {elapsed}")
            {
                progress.set_style(style);
            }
            progress.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        Progress::Files(_) => {}
        Progress::Done => progress.inc(1),
        Progress::Finished => progress.finish_and_clear(),
    });
    Ok(done.map_err(usage)?.exit_status())
}

/// A usage error is said as `chatlint convert: …`, not as another error.
fn usage(error: Error) -> Error {
    match error {
        Error::Usage(message) => Error::Usage(format!("convert: {message}")),
        other => other,
    }
}
