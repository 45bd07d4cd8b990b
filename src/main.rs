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

/// Has the allocator give freed memory back to the system at once, not a
/// second later (mimalloc 3's purge delay). `check --fix` frees a file's
/// text once the first round of fixes has replaced it, and that round's
/// text is built while the check's freed working memory is still held:
/// on a 10 MB file, purging at once lowers the peak from 3.2 to 2.9 times
/// the file. Only `--fix` asks for it: `convert`, which frees and allocates
/// a chunk's buffers over and over, took three times the system time (a
/// third more CPU time) on 100 MB when every free went back at once.
fn purge_freed_memory_at_once() {
    // `mi_option_purge_delay` in mimalloc.h's `mi_option_e` (the Rust
    // bindings do not name it).
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets one of the allocator's options, which it reads when it
    // next decides whether to purge; called before any other thread runs.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) }
}

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
