//! `chatlint merge`: the arguments; the run is [`chatlint::pipeline::merge`].

use std::path::PathBuf;

use clap::Args;

use super::ExitStatus;
use chatlint::pipeline::merge::{self, MergeRequest, Written};
use chatlint::Error;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Transcripts of one chat (exports of one day, or overlapping ranges);
    /// the first gives the front matter and the clock.
    #[arg(required = true, num_args = 2..)]
    inputs: Vec<PathBuf>,
    /// The file to write; without it, or with -, standard output.
    #[arg(long, short, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Replace an existing output file (an input is never replaced).
    #[arg(long)]
    force: bool,
    /// Print nothing but errors (no counts).
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    size_limit: super::SizeLimit,
}

pub fn run(args: MergeArgs) -> Result<ExitStatus, Error> {
    let (merged, written) = merge::run(&MergeRequest {
        inputs: args.inputs,
        output: args.output,
        force: args.force,
        max_file_size: args.size_limit.max_file_size,
    })?;
    if let Written::Stdout(text) = &written {
        super::write_to_stdout(text.as_bytes())?;
    }
    if !args.quiet {
        for input in &merged.inputs {
            let clock = match input.clock_ahead {
                0 => String::new(),
                ahead => format!(", clock {ahead:+} s from the first input's (set to it)"),
            };
            eprintln!(
                "{}: {} messages, {} kept, {} twins dropped{clock}",
                input.name, input.messages, input.kept, input.twins_dropped
            );
        }
        let kept: usize = merged.inputs.iter().map(|i| i.kept).sum();
        match &written {
            Written::File(path) => eprintln!("{}: {kept} messages written", path.display()),
            Written::Stdout(_) => eprintln!("<stdout>: {kept} messages written"),
        }
    }
    Ok(ExitStatus::Success)
}
