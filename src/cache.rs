//! Results of `chatlint check` kept between runs, as ruff keeps its own: a
//! file whose text, path, settings and chatlint version are unchanged since
//! the last run gets the findings of that run without being parsed again.
//!
//! One file in the cache folder (`.chatlint-cache/` in the current folder, or
//! `CHATLINT_CACHE_DIR`), read once at the start and rewritten at the end
//! only when some file was checked afresh. Each entry is keyed by the file's
//! absolute path, and holds a hash of its text and of its settings, and its
//! findings; an entry whose hashes differ is ignored. A missing or damaged
//! cache, or one another build of chatlint wrote, is an empty one: the cache
//! can only make a run faster, never change what it reports.
//!
//! Damage is found by checksums, not by hoping the bytes no longer decode: a
//! zeroed or flipped byte in the findings still decodes, as other findings.
//! The file starts with the xxh3 of everything after it, and each entry
//! carries the xxh3 of its path, hashes and encoded findings; a mismatch of
//! either is a miss.
//!
//! Only plain `check` uses it: `--fix` and `--diff` write files, `--online`
//! asks the network (it has a cache of its own), and standard input has no
//! path to key on.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::error::Error;

/// The cache folder when neither `CHATLINT_CACHE_DIR` nor a configuration
/// names another.
pub const DEFAULT_DIR: &str = ".chatlint-cache";

/// The file in the cache folder; its name changes when its format does.
const FILE_NAME: &str = "check-v1.bin";

/// The file starts with this many bytes: the xxh3 of the rest, little-endian.
const CHECKSUM_LEN: usize = 8;

/// What the cache file holds, borrowed from its bytes when read.
#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile<'a> {
    /// The build of chatlint that wrote it ([`build_id`]): another build's
    /// findings may differ.
    version: &'a str,
    #[serde(borrow)]
    entries: HashMap<&'a str, Entry<'a>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry<'a> {
    /// xxh3 of the file's bytes as read.
    text: u64,
    /// xxh3 of the settings the findings were found with.
    settings: u64,
    /// The findings, encoded, decoded only when the entry is used (by the
    /// thread that checks the file). As bytes, not a sequence of numbers,
    /// and borrowed from the file's bytes: reading the cache copies nothing.
    #[serde(with = "serde_bytes", borrow)]
    findings: &'a [u8],
    /// [`entry_checksum`] of the fields above and the entry's path.
    checksum: u64,
}

/// The checksum of one entry: its path, both hashes and its encoded
/// findings, each field's length in front so that no two entries share the
/// bytes hashed.
fn entry_checksum(path: &str, text: u64, settings: u64, findings: &[u8]) -> u64 {
    let mut hashed = Vec::with_capacity(path.len() + findings.len() + 32);
    hashed.extend_from_slice(&(path.len() as u64).to_le_bytes());
    hashed.extend_from_slice(path.as_bytes());
    hashed.extend_from_slice(&text.to_le_bytes());
    hashed.extend_from_slice(&settings.to_le_bytes());
    hashed.extend_from_slice(&(findings.len() as u64).to_le_bytes());
    hashed.extend_from_slice(findings);
    xxh3_64(&hashed)
}

/// The payload of a cache file's bytes if its leading checksum matches it.
fn checked_payload(bytes: &[u8]) -> Option<&[u8]> {
    let (checksum, payload) = bytes.split_at_checked(CHECKSUM_LEN)?;
    let checksum = u64::from_le_bytes(checksum.try_into().ok()?);
    (checksum == xxh3_64(payload)).then_some(payload)
}

/// An entry of the file read, its findings a range of the file's bytes.
#[derive(Debug)]
struct Stored {
    text: u64,
    settings: u64,
    findings: Range<usize>,
}

/// An entry found this run.
#[derive(Debug)]
struct Fresh {
    path: String,
    text: u64,
    settings: u64,
    findings: Vec<u8>,
}

/// The results cache of one run.
#[derive(Debug)]
pub struct ResultCache {
    dir: PathBuf,
    /// This build of chatlint ([`build_id`]).
    build: String,
    /// The cache file as the last run left it.
    bytes: Vec<u8>,
    stored: HashMap<String, Stored>,
    /// What this run found afresh.
    fresh: Mutex<Vec<Fresh>>,
}

/// Where one file's findings are kept, and for which text and settings.
#[derive(Debug, Clone)]
pub struct CacheKey {
    path: String,
    /// xxh3 of the text.
    text: u64,
    settings: u64,
}

impl CacheKey {
    /// The key of the file at `path`, reading `text`, checked with `settings`.
    pub fn new(path: &Path, text: &[u8], settings: &Settings) -> Self {
        let path = crate::config::absolute(path);
        // The settings print every rule, severity and option, in a fixed
        // order: their hash changes with any of them.
        let settings = xxh3_64(&settings.fingerprint());
        Self {
            path: path.to_string_lossy().into_owned(),
            text: xxh3_64(text),
            settings,
        }
    }
}

impl ResultCache {
    /// The cache folder: `CHATLINT_CACHE_DIR`, else [`DEFAULT_DIR`].
    pub fn default_dir() -> PathBuf {
        std::env::var_os("CHATLINT_CACHE_DIR")
            .filter(|dir| !dir.is_empty())
            .map_or_else(|| PathBuf::from(DEFAULT_DIR), PathBuf::from)
    }

    /// The cache as the last run left it in `dir`.
    pub fn open(dir: &Path) -> Self {
        Self::open_as(dir, build_id())
    }

    /// [`ResultCache::open`] for the build `build`.
    fn open_as(dir: &Path, build: String) -> Self {
        // Bounded like every read: a cache replaced by a FIFO, a device or a
        // huge file is a miss, not a hang.
        let bytes = crate::input::read_file(&dir.join(FILE_NAME), crate::input::MAX_CACHE_SIZE)
            .unwrap_or_default();
        let decoded = checked_payload(&bytes).map(postcard::from_bytes::<CacheFile<'_>>);
        let stored = match decoded {
            Some(Ok(file)) if file.version == build => {
                let base = bytes.as_ptr() as usize;
                file.entries
                    .into_iter()
                    .filter(|(path, entry)| {
                        entry.checksum
                            == entry_checksum(path, entry.text, entry.settings, entry.findings)
                    })
                    .map(|(path, entry)| {
                        // Borrowed from `bytes` (postcard decodes `&[u8]`
                        // in place), so the pointer is within them.
                        let start = entry.findings.as_ptr() as usize - base;
                        let stored = Stored {
                            text: entry.text,
                            settings: entry.settings,
                            findings: start..start + entry.findings.len(),
                        };
                        (path.to_string(), stored)
                    })
                    .collect()
            }
            _ => HashMap::new(),
        };
        Self {
            dir: dir.to_path_buf(),
            build,
            bytes,
            stored,
            fresh: Mutex::new(Vec::new()),
        }
    }

    /// The findings of the last run, if the file's text and settings are
    /// those of that run.
    pub fn get(&self, key: &CacheKey) -> Option<Vec<Diagnostic>> {
        let entry = self.stored.get(&key.path)?;
        if entry.settings != key.settings || entry.text != key.text {
            return None;
        }
        postcard::from_bytes(self.bytes.get(entry.findings.clone())?).ok()
    }

    /// Keeps the findings of a file checked afresh.
    pub fn put(&self, key: &CacheKey, findings: &[Diagnostic]) {
        let Ok(encoded) = postcard::to_allocvec(findings) else {
            return;
        };
        let fresh = Fresh {
            path: key.path.clone(),
            text: key.text,
            settings: key.settings,
            findings: encoded,
        };
        self.fresh
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(fresh);
    }

    /// Writes the cache back if this run found anything afresh. Entries of
    /// files that no longer exist are dropped; those of files this run did
    /// not check are kept.
    pub fn save(self) -> Result<(), Error> {
        let fresh = self
            .fresh
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if fresh.is_empty() {
            return Ok(());
        }
        let mut entries: HashMap<&str, Entry<'_>> = self
            .stored
            .iter()
            .filter(|(path, _)| Path::new(path).exists())
            .map(|(path, stored)| {
                // The range was taken from these same bytes when they were
                // read, so it is within them.
                let findings = &self.bytes[stored.findings.clone()];
                let entry = Entry {
                    text: stored.text,
                    settings: stored.settings,
                    findings,
                    checksum: entry_checksum(path, stored.text, stored.settings, findings),
                };
                (path.as_str(), entry)
            })
            .collect();
        for fresh in &fresh {
            let entry = Entry {
                text: fresh.text,
                settings: fresh.settings,
                findings: &fresh.findings,
                checksum: entry_checksum(&fresh.path, fresh.text, fresh.settings, &fresh.findings),
            };
            entries.insert(&fresh.path, entry);
        }
        let file = CacheFile {
            version: &self.build,
            entries,
        };
        let payload = postcard::to_allocvec(&file).map_err(|err| Error::Io {
            path: self.dir.join(FILE_NAME),
            source: std::io::Error::other(err),
        })?;
        let mut bytes = Vec::with_capacity(CHECKSUM_LEN + payload.len());
        bytes.extend_from_slice(&xxh3_64(&payload).to_le_bytes());
        bytes.extend_from_slice(&payload);
        write_in_folder(&self.dir, FILE_NAME, &bytes)
    }
}

/// This build of chatlint: its version, and the size and modification time
/// of the running executable. A binary rebuilt with other rules under the
/// same version (a developer's, or a patched package) must not read the
/// findings of the one before.
fn build_id() -> String {
    let executable = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .map(|metadata| {
            let modified = metadata
                .modified()
                .ok()
                .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |since| since.as_nanos());
            format!("{} bytes, modified {modified}", metadata.len())
        })
        .unwrap_or_default();
    format!("{} ({executable})", env!("CARGO_PKG_VERSION"))
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
    let mut file = crate::fix::write::temporary_file_in(dir).map_err(io_error(dir))?;
    file.write_all(bytes).map_err(io_error(&path))?;
    file.persist(&path)
        .map_err(|err| io_error(&path)(err.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linter::check_with;

    const TEXT: &str = "> 7:50:02  右军\n##背景\n";

    /// The cached findings of `file` reading `text` under `settings`.
    fn findings_of(
        cache: &ResultCache,
        file: &Path,
        text: &str,
        settings: &Settings,
    ) -> Option<Vec<String>> {
        cache
            .get(&CacheKey::new(file, text.as_bytes(), settings))
            .map(|found| found.iter().map(|d| format!("{d:?}")).collect())
    }

    #[test]
    fn a_file_gets_its_findings_back_until_its_text_or_settings_change() {
        let dir = tempfile::tempdir().unwrap();
        let cache_dir = dir.path().join("cache");
        let file = dir.path().join("a.md");
        std::fs::write(&file, TEXT).unwrap();
        let settings = Settings::default();
        let key = CacheKey::new(&file, TEXT.as_bytes(), &settings);
        let found = check_with(TEXT, &settings);
        assert!(found.len() >= 2, "{found:?}");

        let cache = ResultCache::open(&cache_dir);
        assert!(cache.get(&key).is_none());
        cache.put(&key, &found);
        cache.save().unwrap();
        assert!(cache_dir.join(".gitignore").is_file());

        let cache = ResultCache::open(&cache_dir);
        let expected: Vec<String> = found.iter().map(|d| format!("{d:?}")).collect();
        assert_eq!(findings_of(&cache, &file, TEXT, &settings), Some(expected));
        // Another text, other settings, another file: no findings from the cache.
        let edited = "> 07:50:02  右军\n";
        assert_eq!(findings_of(&cache, &file, edited, &settings), None);
        let fewer = Settings::from_rules(vec![crate::registry::find("CL101").unwrap()]);
        assert_eq!(findings_of(&cache, &file, TEXT, &fewer), None);
        let other = dir.path().join("b.md");
        assert_eq!(findings_of(&cache, &other, TEXT, &settings), None);
    }

    #[test]
    fn a_damaged_cache_is_an_empty_one_and_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, TEXT).unwrap();
        std::fs::write(dir.path().join(FILE_NAME), b"\xff\x00 not a cache").unwrap();
        let settings = Settings::default();
        let key = CacheKey::new(&file, TEXT.as_bytes(), &settings);
        let cache = ResultCache::open(dir.path());
        assert!(cache.get(&key).is_none());
        let found = check_with(TEXT, &settings);
        cache.put(&key, &found);
        cache.save().unwrap();
        let cache = ResultCache::open(dir.path());
        assert_eq!(cache.get(&key).map(|d| d.len()), Some(found.len()));
    }

    /// A cache holding the findings of two files, its bytes, and the key and
    /// findings of the first.
    fn saved_cache(dir: &Path) -> (Vec<u8>, CacheKey, Vec<String>) {
        let settings = Settings::default();
        let found = check_with(TEXT, &settings);
        assert!(!found.is_empty());
        let mut keys = Vec::new();
        let cache = ResultCache::open(dir);
        for name in ["a.md", "b.md"] {
            let file = dir.join(name);
            std::fs::write(&file, TEXT).unwrap();
            let key = CacheKey::new(&file, TEXT.as_bytes(), &settings);
            cache.put(&key, &found);
            keys.push(key);
        }
        cache.save().unwrap();
        let bytes = std::fs::read(dir.join(FILE_NAME)).unwrap();
        let expected = found.iter().map(|d| format!("{d:?}")).collect();
        (bytes, keys.swap_remove(0), expected)
    }

    /// What the cache in `dir` holds for `key` once its file is `bytes`.
    fn cached_after_writing(dir: &Path, bytes: &[u8], key: &CacheKey) -> Option<Vec<String>> {
        std::fs::write(dir.join(FILE_NAME), bytes).unwrap();
        ResultCache::open(dir)
            .get(key)
            .map(|found| found.iter().map(|d| format!("{d:?}")).collect())
    }

    #[test]
    fn a_zeroed_or_flipped_byte_anywhere_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let (bytes, key, expected) = saved_cache(dir.path());
        assert_eq!(
            cached_after_writing(dir.path(), &bytes, &key),
            Some(expected)
        );
        for position in 0..bytes.len() {
            for damage in [
                0x00,
                bytes[position] ^ 0x01,
                bytes[position] ^ 0x80,
                !bytes[position],
            ] {
                if damage == bytes[position] {
                    continue;
                }
                let mut damaged = bytes.clone();
                damaged[position] = damage;
                assert_eq!(
                    cached_after_writing(dir.path(), &damaged, &key),
                    None,
                    "byte {position} set to {damage:#04x}"
                );
            }
        }
        // Cut short anywhere: a miss too.
        for length in 0..bytes.len() {
            assert_eq!(
                cached_after_writing(dir.path(), &bytes[..length], &key),
                None
            );
        }
    }

    #[test]
    fn a_damaged_entry_is_a_miss_even_when_the_file_checksum_is_redone() {
        let dir = tempfile::tempdir().unwrap();
        let (bytes, key, expected) = saved_cache(dir.path());
        let mut entry_checked = 0;
        for position in CHECKSUM_LEN..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[position] ^= 0x01;
            let checksum = xxh3_64(&damaged[CHECKSUM_LEN..]).to_le_bytes();
            damaged[..CHECKSUM_LEN].copy_from_slice(&checksum);
            let found = cached_after_writing(dir.path(), &damaged, &key);
            // Either that entry's own checksum no longer matches, or
            // another entry's, or the file no longer decodes: never other
            // findings.
            assert!(
                found.is_none() || found.as_ref() == Some(&expected),
                "byte {position}: {found:?}"
            );
            let decodes = postcard::from_bytes::<CacheFile<'_>>(&damaged[CHECKSUM_LEN..]).is_ok();
            if decodes && found.is_none() {
                entry_checked += 1;
            }
        }
        // The per-entry checksums did some of the work.
        assert!(entry_checked > 0);
    }

    #[test]
    fn another_build_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, TEXT).unwrap();
        let settings = Settings::default();
        let key = CacheKey::new(&file, TEXT.as_bytes(), &settings);
        let cache = ResultCache::open_as(dir.path(), "0.1.0 (one build)".into());
        cache.put(&key, &check_with(TEXT, &settings));
        cache.save().unwrap();
        let same = ResultCache::open_as(dir.path(), "0.1.0 (one build)".into());
        assert!(same.get(&key).is_some());
        let rebuilt = ResultCache::open_as(dir.path(), "0.1.0 (another build)".into());
        assert!(rebuilt.get(&key).is_none());
        assert!(build_id().starts_with(env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn entries_of_deleted_files_are_dropped_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cache_dir = dir.path().join("cache");
        let (kept, deleted, new) = (
            dir.path().join("kept.md"),
            dir.path().join("deleted.md"),
            dir.path().join("new.md"),
        );
        for file in [&kept, &deleted, &new] {
            std::fs::write(file, TEXT).unwrap();
        }
        let settings = Settings::default();
        let found = check_with(TEXT, &settings);
        let cache = ResultCache::open(&cache_dir);
        for file in [&kept, &deleted] {
            cache.put(&CacheKey::new(file, TEXT.as_bytes(), &settings), &found);
        }
        cache.save().unwrap();
        std::fs::remove_file(&deleted).unwrap();
        // A run that checks only `new.md`.
        let cache = ResultCache::open(&cache_dir);
        cache.put(&CacheKey::new(&new, TEXT.as_bytes(), &settings), &found);
        cache.save().unwrap();
        let cache = ResultCache::open(&cache_dir);
        let cached = |file: &Path| {
            cache
                .get(&CacheKey::new(file, TEXT.as_bytes(), &settings))
                .is_some()
        };
        assert!(cached(&kept) && cached(&new) && !cached(&deleted));
    }
}
