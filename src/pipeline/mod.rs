//! The application: what `chatlint check` and `chatlint convert` do with
//! the files they are given, in the manner of ripgrep's resolved arguments.
//!
//! - A plan ([`check::CheckPlan`], [`convert::ConvertPlan`]) is resolved once
//!   from what was asked and the configuration: a configuration or selector
//!   error fails there, before any file is read.
//! - [`inputs`] says which files a command reads, and reads one;
//!   [`transcripts`] which of the files a walk found are transcripts.
//! - Each file is worked on by one step, in parallel, and the results are
//!   delivered in the files' order by [`driver::in_order`].
//! - [`baseline`] holds back the findings a baseline file records, and
//!   records them (`check --baseline`, `--write-baseline`).
//! - [`summary`] owns the counts and the exit status, the same in every
//!   command ([`ExitStatus`]).
//!
//! The command line (`src/cli/`) only builds the plan from its arguments and
//! prints what the run returns.

pub mod baseline;
pub mod check;
pub mod convert;
pub mod driver;
pub mod inputs;
pub mod merge;
pub mod summary;
pub mod transcripts;

pub use summary::ExitStatus;
