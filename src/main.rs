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
    end_quietly_on_a_closed_pipe();
    let arguments = cli::Cli::parse();
    match cli::run(arguments) {
        Ok(status) => ExitCode::from(status as u8),
        Err(err) => {
            cli::report_error(&err);
            ExitCode::from(cli::ExitStatus::Error as u8)
        }
    }
}

/// A reader that stops early (`chatlint rule --all | head -1`) closes the
/// pipe: like other Unix tools, chatlint then ends at once, quietly. Rust
/// ignores SIGPIPE, which turns every later write into an error (and a panic
/// in `println!`); the default disposition ends the process instead. Sockets
/// are unaffected: the standard library sends with MSG_NOSIGNAL. Fixed files
/// are written through a temporary file and renamed, so ending mid-run
/// leaves each one either as it was or fully fixed.
fn end_quietly_on_a_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_DFL at the start of
    // main, before any thread exists, installs no handler and touches no
    // memory.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
