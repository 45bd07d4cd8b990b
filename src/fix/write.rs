//! Replacing a file's contents without ever leaving it half-written, without
//! losing another writer's update, and without replacing anything but the
//! file that was read.

use std::collections::HashSet;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use crate::error::Error;

/// How old a `.chatlint-XXXXXX.tmp` file must be before a later run takes
/// it for the leftover of a killed run and deletes it. A live run writes
/// its temporary file in one go and renames it at once, far sooner.
const STALE_TEMPORARY_AGE: Duration = Duration::from_secs(60);

/// Replaces the file at `path`, which was read as `original`, with
/// `contents`: written to a temporary file in the same folder (created with
/// the file's mode, given its owner, group and extended attributes), synced, renamed over the
/// file, and the folder synced.
///
/// A symbolic link is followed: the file it leads to is replaced and the
/// link is kept. Refused, with the file left as it is:
/// - a read-only file, or one this user may not open for writing (the
///   rename would succeed, since it needs only the folder to be writable,
///   but the file's permissions say it is not to change);
/// - anything but a regular file;
/// - a file with more than one hard link (the rename would cut it off from
///   its other names);
/// - a file whose owner and group chatlint cannot give the new copy, or
///   whose extended attributes (ACLs, labels) it cannot copy;
/// - a file that no longer holds `original` (another writer changed it
///   since it was read), or that changes or is replaced while the new copy
///   is written ([`Error::ChangedDuringRun`]).
pub fn replace_file(path: &Path, original: &[u8], contents: &str) -> Result<(), Error> {
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let refuse = |reason: String| Error::NotReplaceable {
        path: path.to_path_buf(),
        reason,
    };
    let changed = || Error::ChangedDuringRun {
        path: path.to_path_buf(),
    };
    // The file the path leads to, through any symbolic links: that file is
    // replaced and the links stay as they are.
    let target = std::fs::canonicalize(path).map_err(io_error)?;
    let found = std::fs::symlink_metadata(&target).map_err(io_error)?;
    if !found.file_type().is_file() {
        return Err(refuse("it is not a regular file".into()));
    }
    if found.permissions().readonly() {
        return Err(Error::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    if found.nlink() > 1 {
        return Err(refuse(format!(
            "it has {} hard links, and replacing it would cut it off from the others",
            found.nlink()
        )));
    }
    // Opening for writing (never truncating) asks the system whether this
    // user may write the file: its permission bits and owner, ACLs, a
    // read-only mount. The rename alone would ask only about the folder.
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&target)
        .map_err(|err| match err.kind() {
            ErrorKind::PermissionDenied => refuse("this user may not write it".into()),
            _ => io_error(err),
        })?;
    let opened = file.metadata().map_err(io_error)?;
    if !same_file(&found, &opened) {
        return Err(changed());
    }
    // Still the text that was fixed? (An editor's save or an append since
    // the read would otherwise be overwritten with the fixed old text.)
    if !holds_exactly(&mut file, original).map_err(io_error)? {
        return Err(changed());
    }

    let folder = folder_of(&target);
    let mode = opened.permissions().mode();
    let mut temporary = temporary_file_with_mode(folder, mode & 0o777).map_err(io_error)?;
    temporary.write_all(contents.as_bytes()).map_err(io_error)?;
    let copy = temporary.as_file().metadata().map_err(io_error)?;
    if (copy.uid(), copy.gid()) != (opened.uid(), opened.gid()) {
        // Root fixing another user's file, or a file of another group of
        // this user: the new copy must belong to the same owner and group.
        std::os::unix::fs::fchown(temporary.as_file(), Some(opened.uid()), Some(opened.gid()))
            .map_err(|err| match err.kind() {
                ErrorKind::PermissionDenied => refuse(format!(
                    "chatlint cannot give the new copy its owner and group ({}:{})",
                    opened.uid(),
                    opened.gid()
                )),
                _ => io_error(err),
            })?;
    }
    // After the chown, which clears set-user-ID and set-group-ID bits; and
    // exactly the mode, whatever the umask took away at creation.
    temporary
        .as_file()
        .set_permissions(std::fs::Permissions::from_mode(mode & 0o7777))
        .map_err(io_error)?;
    // Last, since a chown may clear some (file capabilities) and an ACL
    // is kept with the mode it belongs to.
    copy_extended_attributes(&file, temporary.as_file()).map_err(refuse)?;
    temporary.as_file().sync_all().map_err(io_error)?;

    // A last look just before the rename: the file at the path is still the
    // one compared, and nothing wrote to it since.
    let now = file.metadata().map_err(io_error)?;
    let at_path = std::fs::symlink_metadata(&target).map_err(io_error)?;
    if !unchanged(&opened, &now) || !same_file(&opened, &at_path) {
        return Err(changed());
    }
    temporary
        .persist(&target)
        .map_err(|err| io_error(err.error))?;
    sync_folder(folder).map_err(io_error)?;
    Ok(())
}

/// Gives `copy` exactly the extended attributes of `file` (ACLs, SELinux
/// labels and `user.*` attributes are all extended attributes): those it
/// has are set, and those it got from its folder (a default ACL) but `file`
/// lacks are removed. `Err` is the reason the file must be refused: one
/// could not be copied (a `security.*` or `trusted.*` name this user may
/// not set), so the new copy would not be what the file is.
fn copy_extended_attributes(file: &File, copy: &File) -> Result<(), String> {
    use xattr::FileExt;
    let names = |f: &File| -> Result<Vec<std::ffi::OsString>, String> {
        match f.list_xattr() {
            Ok(names) => Ok(names.collect()),
            // A file system without extended attributes: there are none.
            Err(err) if err.kind() == ErrorKind::Unsupported => Ok(Vec::new()),
            Err(err) => Err(format!(
                "chatlint cannot list its extended attributes ({err})"
            )),
        }
    };
    let wanted = names(file)?;
    for name in names(copy)?.iter().filter(|name| !wanted.contains(name)) {
        copy.remove_xattr(name).map_err(|err| {
            format!(
                "the new copy got the extended attribute {} from its folder and chatlint cannot remove it ({err})",
                name.to_string_lossy()
            )
        })?;
    }
    for name in &wanted {
        let cannot = |err: std::io::Error| {
            format!(
                "chatlint cannot copy its extended attribute {} ({err})",
                name.to_string_lossy()
            )
        };
        // Gone since it was listed: nothing to copy.
        let Some(value) = file.get_xattr(name).map_err(cannot)? else {
            continue;
        };
        if copy.get_xattr(name).map_err(cannot)?.as_deref() != Some(&value[..]) {
            copy.set_xattr(name, &value).map_err(cannot)?;
        }
    }
    Ok(())
}

/// Whether `file`, read from where it stands to its end, holds exactly
/// `expected`. Compared a block at a time: a second copy of a large file
/// is never held.
fn holds_exactly(file: &mut File, expected: &[u8]) -> std::io::Result<bool> {
    let mut block = vec![0; 64 * 1024];
    let mut compared = 0;
    loop {
        let read = match file.read(&mut block) {
            Ok(0) => return Ok(compared == expected.len()),
            Ok(read) => read,
            Err(err) if err.kind() == ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        let Some(expected_block) = expected.get(compared..compared + read) else {
            // Longer than what was read.
            return Ok(false);
        };
        if block[..read] != *expected_block {
            return Ok(false);
        }
        compared += read;
    }
}

/// The same file: the same device and inode.
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

/// Nothing wrote to the file (nor changed its mode or owner) between the two
/// looks: the same size, modification time and change time.
fn unchanged(before: &Metadata, after: &Metadata) -> bool {
    let stamp = |m: &Metadata| {
        (
            m.len(),
            m.mtime(),
            m.mtime_nsec(),
            m.ctime(),
            m.ctime_nsec(),
        )
    };
    same_file(before, after) && stamp(before) == stamp(after)
}

/// Makes a rename in `folder` durable: the new name is on disk, not only the
/// new file's contents.
pub(crate) fn sync_folder(folder: &Path) -> std::io::Result<()> {
    File::open(folder)?.sync_all()
}

/// The folder a file is in (`.` for a bare name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// A temporary file `.chatlint-XXXXXX.tmp` in `folder`, to be renamed over
/// its target; it becomes an ordinary file (mode 0666 less the umask).
pub(crate) fn temporary_file_in(folder: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    temporary_file_with_mode(folder, 0o666)
}

/// A temporary file `.chatlint-XXXXXX.tmp` in `folder`, created with `mode`
/// (less the umask) so that it is never readable by more users than the
/// file it replaces, not even for a moment. The first one in a folder also
/// deletes what killed runs left there.
pub(crate) fn temporary_file_with_mode(
    folder: &Path,
    mode: u32,
) -> std::io::Result<tempfile::NamedTempFile> {
    let temporary = tempfile::Builder::new()
        .prefix(TEMPORARY_PREFIX)
        .suffix(TEMPORARY_SUFFIX)
        .rand_bytes(TEMPORARY_RANDOM_LENGTH)
        .permissions(std::fs::Permissions::from_mode(mode))
        .tempfile_in(folder)?;
    let owner = temporary.as_file().metadata()?.uid();
    remove_stale_temporaries_once(folder, owner, temporary.path());
    Ok(temporary)
}

const TEMPORARY_PREFIX: &str = ".chatlint-";
const TEMPORARY_SUFFIX: &str = ".tmp";
const TEMPORARY_RANDOM_LENGTH: usize = 6;

/// Whether `name` is one of ours: `.chatlint-`, six letters or digits,
/// `.tmp`, and nothing else.
fn is_temporary_name(name: &str) -> bool {
    name.strip_prefix(TEMPORARY_PREFIX)
        .and_then(|rest| rest.strip_suffix(TEMPORARY_SUFFIX))
        .is_some_and(|random| {
            random.len() == TEMPORARY_RANDOM_LENGTH
                && random.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Deletes, once per folder and run, the temporary files that a killed run
/// left in `folder`: regular files named as ours, owned by this user, and
/// untouched for [`STALE_TEMPORARY_AGE`]. `keep` (the one just made) is
/// never touched. Failures are ignored: this is tidying, not the task.
fn remove_stale_temporaries_once(folder: &Path, owner: u32, keep: &Path) {
    static CLEANED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    let key = folder
        .canonicalize()
        .unwrap_or_else(|_| folder.to_path_buf());
    {
        let mut cleaned = CLEANED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if !cleaned.get_or_insert_with(HashSet::new).insert(key) {
            return;
        }
    }
    remove_stale_temporaries(folder, owner, keep, SystemTime::now());
}

fn remove_stale_temporaries(folder: &Path, owner: u32, keep: &Path, now: SystemTime) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_str().is_some_and(is_temporary_name) {
            continue;
        }
        let path = entry.path();
        if path.file_name() == keep.file_name() {
            continue;
        }
        let Ok(metadata) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let stale = metadata
            .modified()
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age >= STALE_TEMPORARY_AGE);
        if metadata.file_type().is_file() && metadata.uid() == owner && stale {
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_holds_exactly_its_text_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        let text: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &text).unwrap();
        let check =
            |expected: &[u8]| holds_exactly(&mut File::open(&path).unwrap(), expected).unwrap();
        assert!(check(&text));
        assert!(!check(&text[..text.len() - 1]), "the file is longer");
        let mut longer = text.clone();
        longer.push(0);
        assert!(!check(&longer), "the file is shorter");
        let mut other = text.clone();
        other[150_000] ^= 1;
        assert!(!check(&other), "one byte differs in a later block");
        assert!(check(b"") == text.is_empty());
    }

    #[test]
    fn extended_attributes_are_copied_and_extra_ones_removed() {
        use xattr::FileExt;
        let dir = tempfile::tempdir().unwrap();
        let original = File::create(dir.path().join("a")).unwrap();
        let copy = File::create(dir.path().join("b")).unwrap();
        original.set_xattr("user.kept", b"1").unwrap();
        original.set_xattr("user.same", b"2").unwrap();
        copy.set_xattr("user.same", b"2").unwrap();
        copy.set_xattr("user.inherited", b"3").unwrap();
        copy_extended_attributes(&original, &copy).unwrap();
        let mut names: Vec<_> = copy.list_xattr().unwrap().collect();
        names.sort();
        assert_eq!(names, ["user.kept", "user.same"]);
        assert_eq!(
            copy.get_xattr("user.kept").unwrap().as_deref(),
            Some(&b"1"[..])
        );
    }

    #[test]
    fn replaces_contents_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chat.md");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        replace_file(&path, b"old", "new").unwrap();
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
            replace_file(&path, b"old", "new"),
            Err(Error::ReadOnly { .. })
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    }

    #[test]
    fn a_temporary_file_has_its_final_mode_from_the_start() {
        let dir = tempfile::tempdir().unwrap();
        for mode in [0o600, 0o640, 0o604] {
            let temporary = temporary_file_with_mode(dir.path(), mode).unwrap();
            // Before anything is written or renamed: no moment with 0644.
            let created = temporary.as_file().metadata().unwrap().permissions().mode();
            assert_eq!(created & 0o777, mode & !0o022 & 0o777, "{mode:o}");
            assert_eq!(created & 0o077 & !mode, 0, "{mode:o}: more readable");
        }
    }

    #[test]
    fn temporary_names_match_exactly() {
        assert!(is_temporary_name(".chatlint-a1B2c3.tmp"));
        for other in [
            ".chatlint-a1B2c.tmp",
            ".chatlint-a1B2c34.tmp",
            ".chatlint-a1B2-3.tmp",
            "chatlint-a1B2c3.tmp",
            ".chatlint-a1B2c3.tmp.md",
            ".chatlint-cache",
            "notes.md",
        ] {
            assert!(!is_temporary_name(other), "{other}");
        }
    }

    #[test]
    fn only_stale_temporaries_of_ours_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let owner = std::fs::metadata(dir.path()).unwrap().uid();
        let old = dir.path().join(".chatlint-aaaaaa.tmp");
        let fresh = dir.path().join(".chatlint-bbbbbb.tmp");
        let lookalike = dir.path().join(".chatlint-cccccc.tmp.md");
        let keep = dir.path().join(".chatlint-dddddd.tmp");
        let folder = dir.path().join(".chatlint-eeeeee.tmp");
        for path in [&old, &fresh, &lookalike, &keep] {
            std::fs::write(path, "x").unwrap();
        }
        std::fs::create_dir(&folder).unwrap();
        let long_ago = filetime::FileTime::from_unix_time(1_000_000_000, 0);
        for path in [&old, &lookalike, &keep, &folder] {
            filetime::set_file_mtime(path, long_ago).unwrap();
        }
        remove_stale_temporaries(dir.path(), owner, &keep, SystemTime::now());
        assert!(!old.exists(), "a stale temporary file is removed");
        assert!(fresh.exists(), "a recent one may belong to a live run");
        assert!(lookalike.exists(), "only the exact pattern is ours");
        assert!(keep.exists(), "the one being written is kept");
        assert!(folder.exists(), "only regular files are removed");
        // Someone else's leftovers are not ours to delete.
        remove_stale_temporaries(dir.path(), owner + 1, &keep, SystemTime::now());
        assert!(fresh.exists() && keep.exists());
    }
}
