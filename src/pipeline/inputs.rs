//! Which files a command reads: explicit files of any extension, directories
//! walked for `*.md` and `*.markdown` (in any case: `.MD` too), and `-` for
//! standard input. A folder that holds no transcript is an error: a
//! misspelt or empty folder in CI must not read as a pass.
//!
//! A walk does not follow symbolic links, to files or folders: a fix
//! replaces a file through a rename, which would turn a link into a copy,
//! and a linked folder can loop or lead out of the tree. The links it
//! passes over that a walk would otherwise read are counted and said on
//! stderr; a linked file named on the command line is read.
//!
//! Walks respect `.gitignore` and the `exclude` globs of the configuration;
//! a file named explicitly is read even when excluded, unless
//! `--force-exclude` says otherwise (pre-commit passes every staged file).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{absolute, is_excluded, ConfigResolver, Overrides};
use crate::{Error, Settings, SourceFile};

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    /// A file named on the command line: read whatever it holds.
    File(PathBuf),
    /// A file a walk found under the folder `root` (as given on the command
    /// line): read only if it is a transcript ([`super::transcripts`]).
    Found {
        path: PathBuf,
        root: Arc<Path>,
    },
}

/// The name shown for standard input when `--stdin-filename` does not give one.
pub const STDIN_NAME: &str = "<stdin>";

impl Input {
    /// The path whose configuration applies, and that messages name: the
    /// file, or for standard input `--stdin-filename`, else [`STDIN_NAME`].
    pub fn config_path(&self, stdin_filename: Option<&Path>) -> PathBuf {
        match self.path() {
            Some(path) => path.to_path_buf(),
            None => stdin_filename.map_or_else(|| PathBuf::from(STDIN_NAME), Path::to_path_buf),
        }
    }

    /// The file's path: none for standard input.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::File(path) | Input::Found { path, .. } => Some(path),
            Input::Stdin => None,
        }
    }

    /// The folder whose walk found the file: none when it was named.
    pub fn found_in(&self) -> Option<&Path> {
        match self {
            Input::Found { root, .. } => Some(root),
            Input::File(_) | Input::Stdin => None,
        }
    }
}

/// What standard input is called in messages.
pub fn stdin_name(stdin_filename: Option<&Path>) -> String {
    Input::Stdin
        .config_path(stdin_filename)
        .display()
        .to_string()
}

/// The settings of the configuration that applies to `path`, with the
/// command line's `overrides`.
pub fn settings_for(
    resolver: &ConfigResolver,
    path: &Path,
    overrides: &Overrides,
) -> Result<Settings, Error> {
    let chain = resolver.chain_for_file(path)?;
    Settings::resolve(&chain, Some(&absolute(path)), overrides)
}

const TRANSCRIPT_EXTENSIONS: &[&str] = &["md", "markdown"];

/// Whether a walk reads the file at `path`: its extension is a transcript's,
/// in any case.
fn has_transcript_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        TRANSCRIPT_EXTENSIONS
            .iter()
            .any(|t| e.eq_ignore_ascii_case(t))
    })
}

/// Expands the command line's paths. A path that does not exist is an error,
/// reported without stopping the others.
pub fn collect(
    paths: &[PathBuf],
    resolver: &Arc<ConfigResolver>,
    force_exclude: bool,
) -> (Vec<Input>, Vec<Error>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            walk(path, resolver, &mut inputs, &mut errors);
        } else if path.exists() {
            match excluded(resolver, path) {
                Ok(true) if force_exclude => {}
                Ok(_) => inputs.push(Input::File(path.clone())),
                Err(err) => errors.push(err),
            }
        } else {
            errors.push(Error::Io {
                path: path.clone(),
                source: why_missing(path),
            });
        }
    }
    (inputs, errors)
}

/// Why `path`, which does not lead to anything, cannot be read: missing,
/// a symbolic link to nothing, a loop of links, a folder on the way that
/// may not be entered…
fn why_missing(path: &Path) -> std::io::Error {
    use std::io::{Error, ErrorKind};
    match std::fs::metadata(path) {
        Err(err) if err.kind() != ErrorKind::NotFound => err,
        _ if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            Error::new(
                ErrorKind::NotFound,
                "a symbolic link to nothing (what it leads to does not exist)",
            )
        }
        _ => Error::new(ErrorKind::NotFound, "no such file or directory"),
    }
}

/// Whether the configuration that governs `path` excludes it.
pub fn excluded(resolver: &ConfigResolver, path: &Path) -> Result<bool, Error> {
    Ok(is_excluded(&resolver.chain_for_file(path)?, path))
}

fn walk(
    root: &Path,
    resolver: &Arc<ConfigResolver>,
    inputs: &mut Vec<Input>,
    errors: &mut Vec<Error>,
) {
    let mut found = Vec::new();
    let mut links_skipped = 0;
    let walk_errors = errors.len();
    let filter_resolver = Arc::clone(resolver);
    let walker = ignore::WalkBuilder::new(root)
        // An excluded folder is not entered at all. A configuration error
        // surfaces when the files are read, so the walk lets the path through.
        .filter_entry(move |entry| !excluded(&filter_resolver, entry.path()).unwrap_or(false))
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                if entry.path_is_symlink() && entry.depth() > 0 {
                    // Not followed (see the module's comment); counted if
                    // it leads to a folder or to a file the walk would read.
                    let target = std::fs::metadata(path);
                    if target.as_ref().is_ok_and(|t| t.is_dir()) || has_transcript_extension(path) {
                        links_skipped += 1;
                    }
                    continue;
                }
                let is_transcript = entry.file_type().is_some_and(|t| t.is_file())
                    && has_transcript_extension(path);
                if is_transcript {
                    // `chatlint check .` names files as `a.md`, not `./a.md`.
                    let shown = if root == Path::new(".") {
                        path.strip_prefix(".").unwrap_or(path)
                    } else {
                        path
                    };
                    found.push(shown.to_path_buf());
                }
            }
            Err(err) => errors.push(Error::Io {
                path: root.to_path_buf(),
                source: std::io::Error::other(err.to_string()),
            }),
        }
    }
    if links_skipped > 0 {
        // A note, not an error; a closed or failing stderr must not stop the run.
        let _ = writeln!(
            std::io::stderr(),
            "chatlint: {}: skipped {links_skipped} symbolic link{} (links are not followed; name a linked file to read it)",
            root.display(),
            if links_skipped == 1 { "" } else { "s" }
        );
    }
    if found.is_empty() && errors.len() == walk_errors {
        errors.push(Error::NoTranscripts {
            path: root.to_path_buf(),
        });
    }
    // A stable order, whatever the file system returns.
    found.sort();
    let root: Arc<Path> = Arc::from(root);
    inputs.extend(found.into_iter().map(|path| Input::Found {
        path,
        root: Arc::clone(&root),
    }));
}

/// Reads an input of at most `limit` bytes, checking that it is UTF-8.
/// `stdin_name` names standard input.
pub fn read(input: &Input, stdin_name: &str, limit: u64) -> Result<SourceFile, Error> {
    match input {
        Input::File(path) | Input::Found { path, .. } => SourceFile::read(path, limit),
        Input::Stdin => {
            let bytes = crate::input::read_stdin(stdin_name, limit)?;
            SourceFile::from_bytes(stdin_name.to_string(), None, bytes)
        }
    }
}
