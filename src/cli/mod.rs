//! Command-line interface: the arguments, and one module per subcommand.

mod check;
mod inputs;
mod rule;

use clap::{Parser, Subcommand};

use crate::cli::check::CheckArgs;
use crate::cli::rule::RuleArgs;

/// The process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing found (or everything fixed).
    Success = 0,
    /// Findings remain.
    Findings = 1,
    /// A usage, input or output error.
    Error = 2,
}

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
    /// Print a rule's documentation, or list every rule.
    Rule(RuleArgs),
}

pub fn run(cli: Cli) -> Result<ExitStatus, chatlint::Error> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rule(args) => rule::run(args),
    }
}
