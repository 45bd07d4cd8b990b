//! The errors that stop chatlint from checking or fixing a file.
//!
//! A finding in a transcript is a [`crate::Diagnostic`], not an error: errors are
//! for input that cannot be read, output that cannot be written, and fixes that
//! failed their own checks. The binary maps every one of them to exit code 2.

mod config;

pub use config::ConfigError;

use std::path::PathBuf;

/// Why a Markdown file a walk found is not a transcript, and how to read
/// it anyway: said by the walk's note and by [`Error::OnlyNonTranscripts`].
pub const WHY_NOT_A_TRANSCRIPT: &str =
    "no message header, no front matter with the keys front-matter requires; \
     name a file to read it anyway";

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "{name}: not valid UTF-8 (byte 0x{byte:02X} at line {line}, column {column}); \
         chatlint reads UTF-8 only: convert the file first, e.g. `iconv -f GBK -t UTF-8`"
    )]
    NotUtf8 {
        name: String,
        line: usize,
        column: usize,
        byte: u8,
    },

    /// Not a regular file: a FIFO, a device, a socket or a folder named
    /// where a file is read. Refused before it is opened, since reading
    /// one can block forever or never end.
    #[error(
        "{}: {kind}, not a regular file; chatlint reads regular files, standard input (-) \
         and process substitution (<(command))",
        path.display()
    )]
    NotAFile { path: PathBuf, kind: &'static str },

    /// Larger than the most chatlint reads of one input; nothing of it was read.
    #[error(
        "{}: larger than {limit} bytes, the most chatlint reads of one file \
         (--max-file-size sets it for transcripts)",
        path.display()
    )]
    TooLarge { path: PathBuf, limit: u64 },

    #[error("{}: the file is read-only; chatlint will not replace it", path.display())]
    ReadOnly { path: PathBuf },

    /// The file changed between chatlint's read and its replacement (an
    /// editor saved it, `git pull` rewrote it); the other writer's text is
    /// kept.
    #[error(
        "{}: changed since chatlint read it; it was left as it is (run chatlint again)",
        path.display()
    )]
    ChangedDuringRun { path: PathBuf },

    /// Replacing the file would change what it is (a hard link, its owner)
    /// or is not allowed (this user may not write it, not a regular file).
    #[error("{}: {reason}; chatlint will not replace it", path.display())]
    NotReplaceable { path: PathBuf, reason: String },

    #[error("{name}: fixes did not settle after {iterations} rounds; nothing was written")]
    FixDidNotConverge { name: String, iterations: usize },

    #[error("{name}: the fixed text failed verification ({reason}); nothing was written")]
    FixVerification { name: String, reason: String },

    /// `merge` could not merge its inputs as asked, or its result failed
    /// verification: `name` is the input (or output) concerned.
    #[error("{name}: {reason}; nothing was written")]
    Merge { name: String, reason: String },

    #[error(
        "{}: holds no transcript (no *.md or *.markdown file that is not excluded or ignored)",
        path.display()
    )]
    NoTranscripts { path: PathBuf },

    /// A walk found Markdown files, none of them a transcript (see
    /// `pipeline::transcripts`).
    #[error(
        "{}: holds no transcript ({files} Markdown file{} found: {})",
        path.display(),
        if *files == 1 { "" } else { "s" },
        WHY_NOT_A_TRANSCRIPT
    )]
    OnlyNonTranscripts { path: PathBuf, files: usize },

    #[error("unknown rule `{0}`; `chatlint rule --all` lists them")]
    UnknownRule(String),

    /// A configuration file is invalid; it renders as a miette report.
    #[error(transparent)]
    Config(Box<ConfigError>),
    /// Options that cannot be carried out together, or that need another.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// Whether the message starts with the file it concerns (a path or the
    /// name of standard input), so that no caller needs to name it again.
    pub fn names_a_file(&self) -> bool {
        !matches!(
            self,
            Error::UnknownRule(_) | Error::Config(_) | Error::Usage(_)
        )
    }
}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Self {
        Error::Config(Box::new(error))
    }
}
