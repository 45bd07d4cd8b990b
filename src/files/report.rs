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

/// Writes into what is there (a pipe, a terminal, `/dev/null`), never
/// replacing it.
fn write_into(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
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
    }
}
