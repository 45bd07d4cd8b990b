//! Writing a report into a file named on the command line (`check --output
//! sarif:results.sarif`): whole or not at all.

use std::io::Write;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;

use super::{folder_of, names_a_descriptor, sync_folder, temporary_file_with_mode};
use crate::error::Error;

/// Writes `bytes` as the file at `path`. A regular file (new, or replacing
/// the one there, whose permissions it keeps) is written through a
/// temporary file renamed over it, so that a reader, or a run killed
/// half-way, sees the old report or the new one, never a part. A symbolic
/// link is followed and kept; a descriptor (`/dev/stdout`), a character
/// device or a FIFO is written into. Missing folders on the way are
/// created (as ruff's `--output-file` does). A folder or a socket is an
/// error naming the path.
pub fn write_report_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let refuse = |why: &str| {
        io_error(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{why}; the report is not written there"),
        ))
    };
    if names_a_descriptor(path) {
        return write_into(path, bytes).map_err(io_error);
    }
    // What the path leads to, links followed: the link stays, its target
    // is replaced.
    let target = match std::fs::canonicalize(path) {
        Ok(resolved) => resolved,
        Err(_) if is_symlink(path) => {
            return Err(refuse("a symbolic link to nothing"));
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => path.to_path_buf(),
        Err(err) => return Err(io_error(err)),
    };
    let mode = match std::fs::metadata(&target) {
        Ok(metadata) => {
            let kind = metadata.file_type();
            if kind.is_dir() {
                return Err(refuse("a folder"));
            }
            if kind.is_char_device() || kind.is_fifo() {
                return write_into(&target, bytes).map_err(io_error);
            }
            if !kind.is_file() {
                return Err(refuse(
                    "neither a regular file, a character device nor a FIFO",
                ));
            }
            // Renaming over a file needs only its folder writable: a file
            // that may not be written (read-only, another user's) is not
            // replaced, as `>` would not write it.
            if let Err(err) = std::fs::OpenOptions::new().write(true).open(&target) {
                return Err(io_error(err));
            }
            metadata.permissions().mode() & 0o7777
        }
        Err(_) => 0o666,
    };
    let folder = folder_of(&target);
    std::fs::create_dir_all(folder).map_err(io_error)?;
    let mut file = temporary_file_with_mode(folder, mode).map_err(io_error)?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .map_err(io_error)?;
    file.persist(&target).map_err(|err| io_error(err.error))?;
    // The report is there; a folder that cannot be synced only risks it on
    // a crash of the whole machine.
    let _ = sync_folder(folder);
    Ok(())
}

/// Which file a report path names, links followed: the same for every
/// spelling of one file, for each of its hard links, and for a link to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileIdentity {
    /// A file that exists: its device and inode.
    Existing { device: u64, inode: u64 },
    /// A file to be made: its folder resolved, and its name.
    New(std::path::PathBuf),
}

impl FileIdentity {
    pub fn of(path: &Path) -> Self {
        use std::os::unix::fs::MetadataExt;
        if let Ok(metadata) = std::fs::metadata(path) {
            return FileIdentity::Existing {
                device: metadata.dev(),
                inode: metadata.ino(),
            };
        }
        let folder = std::fs::canonicalize(folder_of(path)).unwrap_or_else(|_| {
            std::path::absolute(folder_of(path)).unwrap_or_else(|_| folder_of(path).to_path_buf())
        });
        FileIdentity::New(folder.join(path.file_name().unwrap_or_default()))
    }
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Writes into what is there (a pipe, a terminal, `/dev/null`), never
/// replacing it. A FIFO that no process reads is an error at once, not a
/// wait without end (opened without blocking, which fails then; writing
/// then blocks as usual, so that a slow reader gets every byte).
fn write_into(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|err| {
            if err.raw_os_error() == Some(libc::ENXIO) {
                std::io::Error::new(err.kind(), "a FIFO that no process reads")
            } else {
                err
            }
        })?;
    // SAFETY: fcntl on a descriptor this function owns, with flags read
    // from it; no memory is passed.
    unsafe {
        let flags = libc::fcntl(file.as_raw_fd(), libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(file.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK);
        }
    }
    match file.write_all(bytes).and_then(|()| file.flush()) {
        // A reader that went away is not a failure of the run.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_replaces_the_file_keeping_its_mode_and_follows_links() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.sarif");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.sarif");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_report_file(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // A new file; no temporary file left beside it.
        write_report_file(&dir.path().join("new.json"), b"[]").unwrap();
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["link.sarif", "new.json", "real.sarif"]);
        // A folder is refused, and left as it was.
        let err = write_report_file(dir.path(), b"x").unwrap_err();
        assert!(err.to_string().contains("a folder"), "{err}");
        // Missing folders on the way are made; a file in the way is an
        // error naming the path.
        let nested = dir.path().join("reports/ci/out.json");
        write_report_file(&nested, b"{}").unwrap();
        assert_eq!(std::fs::read_to_string(&nested).unwrap(), "{}");
        let blocked = dir.path().join("new.json/out.json");
        let err = write_report_file(&blocked, b"x").unwrap_err();
        assert!(err.to_string().contains("new.json/out.json"), "{err}");
        // Written into, not replaced: /dev/null stays a device.
        write_report_file(Path::new("/dev/null"), b"x").unwrap();
        // A link to nothing is refused and kept.
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere/x.json"), &dangling).unwrap();
        let err = write_report_file(&dangling, b"x").unwrap_err();
        assert!(
            err.to_string().contains("a symbolic link to nothing"),
            "{err}"
        );
        assert!(is_symlink(&dangling));
        // A FIFO nobody reads: an error at once, not a wait.
        let fifo = dir.path().join("fifo");
        let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let err = write_report_file(&fifo, b"x").unwrap_err();
        assert!(err.to_string().contains("no process reads"), "{err}");
    }
}
