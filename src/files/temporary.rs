//! Temporary files beside their target, created with its final mode, and
//! the leftovers of killed runs cleaned up.

use std::collections::HashSet;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// How old a `.chatlint-XXXXXX.tmp` file must be before a later run takes
/// it for the leftover of a killed run and deletes it. A live run writes
/// its temporary file in one go and renames it at once, far sooner.
const STALE_TEMPORARY_AGE: Duration = Duration::from_secs(60);

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
