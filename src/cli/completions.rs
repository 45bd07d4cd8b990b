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
    clap_complete::generate(
        args.shell,
        &mut Cli::command(),
        "chatlint",
        &mut std::io::stdout(),
    );
    Ok(ExitStatus::Success)
}
