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
//!
//! One file per job: this one the cache of a run, `file` what the cache file
//! holds and how its bytes are checked, `folder` writing into the folder.

mod file;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use xxhash_rust::xxh3::xxh3_64;

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::files::write_in_folder;
use file::{checked_payload, checksummed, entry_checksum, CacheFile, Entry, FILE_NAME};

/// The cache folder when neither `CHATLINT_CACHE_DIR` nor a configuration
/// names another.
pub const DEFAULT_DIR: &str = ".chatlint-cache";

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
        // A stable encoding of every running rule, its severity and
        // options: the hash changes with any of them, and only with them.
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
        write_in_folder(&self.dir, FILE_NAME, &checksummed(&payload))
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
