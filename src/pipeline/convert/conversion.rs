//! Converting one input: to its output (standard output, or a file through
//! the [`Destination`]), or with `--split` to one file per day or month.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::jobs::{Job, Output};
use super::{ConvertPlan, FileFailure};
use crate::config::Overrides;
use crate::convert::batch::{permissions_of, Destination, Outcome};
use crate::convert::html::Listing;
use crate::convert::split::{split, Period};
use crate::convert::{self, ConvertError, Document, Format, Notice, Options};
use crate::pipeline::inputs::{self, Input};
use crate::pipeline::transcripts::{is_transcript, NotTranscript};
use crate::{Error, Settings, SourceFile};

/// One output of an input, and what became of it.
pub(super) struct Written {
    /// Where it was to go (none: standard output, or not decided).
    pub output: Option<PathBuf>,
    pub outcome: Result<Outcome, FileFailure>,
    /// For an archive's index (`listed`): what the pass that wrote the page
    /// listed.
    pub listing: Option<Listing>,
}

/// Converts one input; `listed` (`--to html` of a folder) also returns what
/// each page's pass listed.
pub(super) fn run_job(
    job: &Job,
    plan: &ConvertPlan,
    destination: Option<&Destination>,
    listed: bool,
) -> Vec<Written> {
    if let (Some(period), Output::File(path), Some(destination)) =
        (plan.options.split, &job.output, destination)
    {
        return split_job(job, plan, destination, path, period, listed);
    }
    let mut listing = None;
    let outcome = convert_job(job, plan, destination, listed.then_some(&mut listing));
    let output = match &job.output {
        Output::File(path) => Some(path.clone()),
        Output::Stdout | Output::Refused(_) => None,
    };
    vec![Written {
        output,
        outcome,
        listing,
    }]
}

/// The input, read; none when a walk found it and it is not a transcript (a
/// JSON document is one whatever it holds).
fn read(job: &Job, plan: &ConvertPlan) -> Result<Option<SourceFile>, ConvertError> {
    let options = &plan.options;
    let source = plan.read(&job.input, false)?;
    let walked = NotTranscript::of(&job.input).is_some() && !options.from_json;
    let settings = || settings_for(&job.input, plan);
    if walked && !is_transcript(source.text(), settings)? {
        return Ok(None);
    }
    Ok(Some(source))
}

fn convert_job(
    job: &Job,
    plan: &ConvertPlan,
    destination: Option<&Destination>,
    listing: Option<&mut Option<Listing>>,
) -> Result<Outcome, FileFailure> {
    let options = &plan.options;
    let convert = |source: SourceFile, out: &mut dyn Write| -> Result<Vec<Notice>, ConvertError> {
        if options.from_json {
            return convert::convert_json(source.text(), options.to, &Options::default(), out);
        }
        let convert_options = options_for(&job.input, plan)?;
        match listing {
            Some(listing) => {
                *listing = Some(convert::convert_to_page(source, &convert_options, out)?);
                Ok(Vec::new())
            }
            None => convert::convert(source, options.to, &convert_options, out),
        }
    };
    match (&job.output, destination) {
        (Output::Refused(reason), _) => Err(FileFailure::Refused(reason.clone())),
        (Output::File(path), Some(destination)) => {
            let limit = permissions_of(job.input.path());
            Ok(destination.write_no_wider(path, limit, || read(job, plan), convert))
        }
        _ => {
            let Some(source) = read(job, plan)? else {
                return Ok(Outcome::NotTranscript);
            };
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            match convert(source, &mut stdout)
                .and_then(|notices| Ok(stdout.flush().map(|()| notices)?))
            {
                Ok(notices) => Ok(Outcome::Converted(notices)),
                Err(ConvertError::Io(err)) if err.kind() == std::io::ErrorKind::BrokenPipe => {
                    Ok(Outcome::Converted(Vec::new()))
                }
                Err(err) => Err(err.into()),
            }
        }
    }
}

/// `--split`: the input read once, its document split by `period`, each
/// part written to `PERIOD.EXT` in a folder named after the input (its
/// output path without the extension).
fn split_job(
    job: &Job,
    plan: &ConvertPlan,
    destination: &Destination,
    path: &Path,
    period: Period,
    listed: bool,
) -> Vec<Written> {
    let failed = |failure: FileFailure| {
        vec![Written {
            output: Some(path.to_path_buf()),
            outcome: Err(failure),
            listing: None,
        }]
    };
    let source = match read(job, plan) {
        Ok(Some(source)) => source,
        Ok(None) => {
            return vec![Written {
                output: None,
                outcome: Ok(Outcome::NotTranscript),
                listing: None,
            }]
        }
        Err(err) => return failed(err.into()),
    };
    let options = match options_for(&job.input, plan) {
        Ok(options) => options,
        Err(err) => return failed(FileFailure::Convert(err.into())),
    };
    let mut document = Document::build(&source, options.timezone.as_ref());
    if let Some(filter) = &options.filter {
        document.keep_only(filter.clone());
    }
    if let Some(pseudonymizer) = &options.pseudonymizer {
        if let Err(err) = convert::pseudonymize_checked(&mut document, pseudonymizer) {
            return failed(FileFailure::Convert(err));
        }
    }
    // Split once (the parts' messages are lists, cheap to look at).
    let parts = split(&document, period);
    // Nothing kept, nothing to split: no `undated` part of front matter.
    if options.filter.is_some() && parts.iter().all(|(_, part)| part.messages.is_empty()) {
        return vec![Written {
            output: None,
            outcome: Ok(Outcome::Skipped(format!(
                "{}: --since, --until and --speaker keep none of its messages",
                job.name
            ))),
            listing: None,
        }];
    }
    let folder = path.with_extension("");
    let format = plan.options.to;
    parts
        .into_iter()
        .map(|(name, part)| {
            let output = folder.join(format!("{name}.{}", format.extension()));
            let mut listing = None;
            let outcome = destination.write_no_wider(
                &output,
                permissions_of(job.input.path()),
                || Ok(Some(())),
                |(), out| {
                    if listed && format == Format::Html {
                        listing = Some(convert::html::write_page(&part, out, true)?);
                        return Ok(Vec::new());
                    }
                    convert::write(&part, format, &options, out)
                },
            );
            // A part there already is listed as this run would write it.
            if listed && format == Format::Html && matches!(outcome, Outcome::Skipped(_)) {
                listing = convert::html::write_page(&part, &mut std::io::sink(), true).ok();
            }
            Written {
                output: Some(output),
                outcome: Ok(outcome),
                listing,
            }
        })
        .collect()
}

/// The settings of the configuration that applies to an input.
pub(super) fn settings_for(input: &Input, plan: &ConvertPlan) -> Result<Settings, Error> {
    let path = input.config_path(plan.options.stdin_filename.as_deref());
    inputs::settings_for(&plan.resolver, &path, &Overrides::default())
}

/// The options for one file; the findings (`--with-diagnostics`) follow the
/// configuration that applies to it, as `chatlint check` does.
pub(super) fn options_for(input: &Input, plan: &ConvertPlan) -> Result<Options, Error> {
    let options = &plan.options;
    let path = input.config_path(options.stdin_filename.as_deref());
    let diagnostics = if options.with_diagnostics {
        Some(settings_for(input, plan)?)
    } else {
        None
    };
    Ok(Options {
        timezone: options.timezone.clone(),
        filter: options.filter.clone(),
        diagnostics,
        // Standard input has no path of its own; a named one is what the
        // rules see, as in `check`.
        path: (*input == Input::Stdin && options.stdin_filename.is_some()).then_some(path),
        bom: options.bom,
        excel_safe: options.excel_safe,
        pseudonymizer: plan.pseudonymizer.get().cloned(),
    })
}
