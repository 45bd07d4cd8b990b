//! The `chatlint` binary: argument parsing and exit codes; the work is in the library.

use std::process::ExitCode;

use clap::Parser;

mod cli;

// Checking an archive allocates many small, short-lived values (a model per
// file, findings, strings) on every thread: mimalloc's per-thread heaps cut
// that cost. Without transparent huge pages (feature `no_thp`): a run this
// short spent a sixth of its time having the kernel clear 2 MB pages it
// barely used, and their compaction made run times erratic. Both measured in
// BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let arguments = cli::Cli::parse();
    match cli::run(arguments) {
        Ok(status) => ExitCode::from(status as u8),
        Err(err) => {
            cli::report_error(&err);
            ExitCode::from(cli::ExitStatus::Error as u8)
        }
    }
}
