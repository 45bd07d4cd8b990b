//! Replacing a file's contents without ever leaving it half-written.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Writes `contents` to a temporary file beside `path`, gives it the
/// original's permissions, and renames it over the original.
///
/// A read-only file is refused: the rename would succeed (it needs only the
/// folder to be writable, and root ignores permission bits anyway), but the
/// user said that file is not to change.
pub fn replace_file(path: &Path, contents: &str) -> Result<(), Error> {
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    if metadata.permissions().readonly() {
        return Err(Error::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    let mut temporary = temporary_file_in(folder_of(path)).map_err(io_error)?;
    temporary.write_all(contents.as_bytes()).map_err(io_error)?;
    temporary.as_file().sync_all().map_err(io_error)?;
    std::fs::set_permissions(temporary.path(), metadata.permissions()).map_err(io_error)?;
    temporary.persist(path).map_err(|err| io_error(err.error))?;
    Ok(())
}

/// The folder a file is in (`.` for a bare name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// A temporary file `.chatlint-….tmp` in `folder`, to be renamed over its
/// target; it becomes an ordinary file (mode 0666 less the umask) unless
/// given other permissions.
pub(crate) fn temporary_file_in(folder: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".chatlint-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_contents_and_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chat.md");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        replace_file(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn read_only_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chat.md");
        std::fs::write(&path, "old").unwrap();
        let mut permissions = std::fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&path, permissions).unwrap();
        assert!(matches!(
            replace_file(&path, "new"),
            Err(Error::ReadOnly { .. })
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    }
}
