//! Command-line interface: the arguments, and one module per subcommand.

mod check;
mod completions;
mod convert;
mod merge;
mod rule;

use clap::{Parser, Subcommand};

use crate::cli::check::CheckArgs;
use crate::cli::completions::CompletionsArgs;
use crate::cli::convert::ConvertArgs;
use crate::cli::merge::MergeArgs;
use crate::cli::rule::RuleArgs;

pub use chatlint::pipeline::ExitStatus;

#[derive(Debug, Parser)]
#[command(
    name = "chatlint",
    version,
    about = "Lint, fix and convert chat transcripts kept as Markdown"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check transcripts for defects; with --fix, repair what is certain.
    Check(CheckArgs),
    /// Convert transcripts to JSON, JSON Lines, CSV, XML or clean Markdown.
    Convert(ConvertArgs),
    /// Merge transcripts of one chat into one, dropping twin messages.
    Merge(MergeArgs),
    /// Print a rule's documentation, or list every rule.
    Rule(RuleArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

pub fn run(cli: Cli) -> Result<ExitStatus, chatlint::Error> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Rule(args) => rule::run(args),
        Command::Completions(args) => completions::run(args),
    }
}

/// Writes `bytes` to stdout. A closed pipe ends the process quietly (SIGPIPE,
/// see `main`); where it does not (another platform), it is no error either:
/// the reader wanted no more. Any other failure is an error, not a panic.
fn write_to_stdout(bytes: &[u8]) -> Result<(), chatlint::Error> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(source) if source.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(chatlint::Error::Io {
                path: "<stdout>".into(),
                source,
            })
        }
        _ => Ok(()),
    }
}

/// Prints an error to stderr: a configuration error as a miette report
/// pointing into the file, anything else on one line.
pub fn report_error(err: &chatlint::Error) {
    if let chatlint::Error::Config(config_error) = err {
        let mut rendered = String::new();
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        if handler
            .render_report(&mut rendered, config_error.as_ref())
            .is_ok()
        {
            eprint!("{rendered}");
            return;
        }
    }
    // A usage error reads `chatlint convert: …`, like clap's.
    let separator = if matches!(err, chatlint::Error::Usage(_)) {
        " "
    } else {
        ": "
    };
    eprintln!("chatlint{separator}{err}");
}

/// `--max-file-size`, shared by the commands that read transcripts.
#[derive(Debug, clap::Args)]
pub struct SizeLimit {
    /// The largest input read, e.g. 500MB or 2GiB; a larger file is an error (exit 2).
    #[arg(
        long,
        value_name = "SIZE",
        default_value = "1GiB",
        value_parser = chatlint::input::parse_size
    )]
    pub max_file_size: u64,
}
