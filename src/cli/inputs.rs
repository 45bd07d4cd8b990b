//! Which files a command reads: explicit files of any extension, directories
//! walked for `*.md` and `*.markdown`, and `-` for standard input.

use std::io::Read;
use std::path::{Path, PathBuf};

use chatlint::{Error, SourceFile};

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

/// The name shown for standard input.
pub const STDIN_NAME: &str = "<stdin>";

const TRANSCRIPT_EXTENSIONS: &[&str] = &["md", "markdown"];

/// Expands the command line's paths. A path that does not exist is an error,
/// reported without stopping the others.
pub fn collect(paths: &[PathBuf]) -> (Vec<Input>, Vec<Error>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            walk(path, &mut inputs, &mut errors);
        } else if path.exists() {
            inputs.push(Input::File(path.clone()));
        } else {
            errors.push(Error::Io {
                path: path.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file or directory",
                ),
            });
        }
    }
    (inputs, errors)
}

fn walk(root: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<Error>) {
    let mut found = Vec::new();
    for entry in ignore::WalkBuilder::new(root).build() {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                let is_transcript = entry.file_type().is_some_and(|t| t.is_file())
                    && path
                        .extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| TRANSCRIPT_EXTENSIONS.contains(&e));
                if is_transcript {
                    found.push(path.to_path_buf());
                }
            }
            Err(err) => errors.push(Error::Io {
                path: root.to_path_buf(),
                source: std::io::Error::other(err.to_string()),
            }),
        }
    }
    // A stable order, whatever the file system returns.
    found.sort();
    inputs.extend(found.into_iter().map(Input::File));
}

/// Reads an input, checking that it is UTF-8.
pub fn read(input: &Input) -> Result<SourceFile, Error> {
    match input {
        Input::File(path) => SourceFile::read(path),
        Input::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|source| Error::Io {
                    path: PathBuf::from(STDIN_NAME),
                    source,
                })?;
            SourceFile::from_bytes(STDIN_NAME.to_string(), None, bytes)
        }
    }
}
