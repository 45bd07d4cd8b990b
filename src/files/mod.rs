//! File-system helpers shared by `--fix`, the caches and `convert`:
//! temporary files beside their target, replacing a file atomically, and
//! making a rename durable.

mod replace;
mod report;
mod temporary;

use std::fs::File;
use std::path::Path;

pub use replace::{replace_file, Fingerprint};
pub use report::{write_report_file, FileIdentity};
pub(crate) use temporary::{temporary_file_in, temporary_file_with_mode};

use crate::error::Error;

/// Makes a rename in `folder` durable: the new name is on disk, not only the
/// new file's contents.
pub(crate) fn sync_folder(folder: &Path) -> std::io::Result<()> {
    File::open(folder)?.sync_all()
}

/// Whether `path` names a descriptor of this process (`/dev/stdin`,
/// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`) rather
/// than a file: it may lead to a pipe, or to a file the shell opened.
pub(crate) fn names_a_descriptor(path: &Path) -> bool {
    crate::input::is_inherited_descriptor(path)
        || path == Path::new("/dev/stdout")
        || path == Path::new("/dev/stderr")
}

/// The folder a file is in (`.` for a bare name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to `dir/name` through a temporary file, so that a
/// concurrent run reads the old file or the new one, never half of one. The
/// folder is created with a `.gitignore` that ignores it.
pub(crate) fn write_in_folder(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        std::fs::write(&gitignore, "# Written by chatlint: cached results.\n*\n")
            .map_err(io_error(&gitignore))?;
    }
    let path = dir.join(name);
    let mut file = temporary_file_in(dir).map_err(io_error(dir))?;
    file.write_all(bytes).map_err(io_error(&path))?;
    file.persist(&path)
        .map_err(|err| io_error(&path)(err.error))?;
    Ok(())
}

/// Writes a new file at `path`, which does not exist yet, through a
/// temporary file in its folder: a reader sees no file or the whole one,
/// and a file that appeared meanwhile is not overwritten. (An existing file
/// is replaced with [`replace_file`].)
pub(crate) fn write_new_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let folder = folder_of(path);
    let mut file = temporary_file_in(folder).map_err(io_error)?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .map_err(io_error)?;
    file.persist_noclobber(path)
        .map_err(|err| io_error(err.error))?;
    sync_folder(folder).map_err(io_error)
}
