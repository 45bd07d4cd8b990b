//! `chatlint completions SHELL`.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, ExitStatus};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, elvish, fish, powershell or zsh.
    shell: Shell,
}

pub fn run(args: CompletionsArgs) -> Result<ExitStatus, chatlint::Error> {
    // `generate` panics if its writer fails: it writes to memory, and the
    // script goes out through `write_to_stdout`, which reports a failure.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "chatlint", &mut script);
    super::write_to_stdout(&script)?;
    Ok(ExitStatus::Success)
}
