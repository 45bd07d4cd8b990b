//! Replacing a file's contents without ever leaving it half-written, without
//! losing another writer's update, and without replacing anything but the
//! file that was read.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use super::{folder_of, names_a_descriptor, sync_folder, temporary_file_with_mode};
use crate::error::Error;

/// What a file held when it was read, without a copy of it: its length
/// and the 128-bit xxh3 of its bytes. Enough to tell whether it still
/// holds that: another writer's change goes unnoticed only if it keeps the
/// length and its hash meets the original's by chance (one in 2^128).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    len: u64,
    hash: u128,
}

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Self {
        Self {
            len: bytes.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_128(bytes),
        }
    }
}

/// Replaces the file at `path`, whose bytes when it was read have the
/// [`Fingerprint`] `original` (`--fix` frees a large file's text before the
/// file is replaced), with
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
/// - a descriptor of this process (`/dev/stdin`, `/dev/fd/N`, `/dev/stdout`):
///   a pipe, or a file the shell opened that the user did not name;
/// - a file with more than one hard link (the rename would cut it off from
///   its other names);
/// - a file whose owner and group chatlint cannot give the new copy, or
///   whose extended attributes (ACLs, labels) it cannot copy;
/// - a file that no longer holds what was read (another writer changed it
///   since), or that changes or is replaced while the new copy
///   is written ([`Error::ChangedDuringRun`]).
pub fn replace_file(path: &Path, original: Fingerprint, contents: &str) -> Result<(), Error> {
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
    // `/dev/stdin`, `<(cmd)` (`/dev/fd/63`), `/dev/stdout`: a descriptor
    // this process was given, read as standard input is. It leads to a
    // pipe (no file to rename over) or to whatever file the shell opened
    // (`< chat.md`), which the user did not name; neither is replaced.
    if names_a_descriptor(path) {
        return Err(refuse(
            "it names a descriptor chatlint was given (standard input, a pipe or a \
             redirection), not a file; give `-` to get the fixed text on standard output"
                .into(),
        ));
    }
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
/// what `expected` was taken from. Hashed a block at a time: a second copy
/// of a large file is never held.
fn holds_exactly(file: &mut File, expected: Fingerprint) -> std::io::Result<bool> {
    let mut block = vec![0; 64 * 1024];
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    let mut len: u64 = 0;
    loop {
        let read = match file.read(&mut block) {
            Ok(0) => return Ok(len == expected.len && hasher.digest128() == expected.hash),
            Ok(read) => read,
            Err(err) if err.kind() == ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        len += read as u64;
        if len > expected.len {
            // Longer than what was read.
            return Ok(false);
        }
        hasher.update(&block[..read]);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_holds_exactly_its_text_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        let text: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &text).unwrap();
        let check = |expected: &[u8]| {
            holds_exactly(&mut File::open(&path).unwrap(), Fingerprint::of(expected)).unwrap()
        };
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
        replace_file(&path, Fingerprint::of(b"old"), "new").unwrap();
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
            replace_file(&path, Fingerprint::of(b"old"), "new"),
            Err(Error::ReadOnly { .. })
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    }
}
