//! `check --baseline FILE`: the findings an archive already had, recorded
//! so that only new ones are reported; `--write-baseline FILE` records them.
//!
//! An entry is keyed by the rule, the file (relative to the baseline's
//! folder, with `/`) and a fingerprint of the finding's text and the
//! line(s) it stands on, never by line number: editing other lines keeps
//! it. Findings with one key are counted; a file may have up to that many
//! before one is new. An entry that matches fewer findings than it counts
//! (fixed, or its line rewritten) is stale: told on stderr and in the
//! summary, never a failure, and dropped when the baseline is rewritten.
//! The file is `schemas/baseline.schema.json`: sorted, one key per line.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::files::Fingerprint;
use crate::output::FileReport;
use crate::Error;

/// The format's version, written in every baseline.
const VERSION: u32 = 1;

/// The largest baseline read (it holds a line per key of an entry).
const MAX_BASELINE_SIZE: u64 = 256 * 1024 * 1024;

/// (file, rule, fingerprint): what a finding is known by.
type Key = (String, String, String);

/// One entry of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Relative to the baseline's folder, `/` between names.
    pub file: String,
    /// The rule's name.
    pub rule: String,
    /// 16 hexadecimal digits: the finding's text and its lines, hashed.
    pub fingerprint: String,
    /// How many findings of the file have this key.
    pub count: usize,
    /// The first such finding's message, for people reading a diff of the
    /// baseline (not compared).
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    entries: Vec<Entry>,
}

/// A baseline file, read (or to be written for the first time).
#[derive(Debug, Clone)]
pub struct Baseline {
    pub path: PathBuf,
    /// The folder files are relative to, absolute.
    folder: PathBuf,
    entries: BTreeMap<Key, Entry>,
    /// What the file held when read: none when it did not exist.
    read_as: Option<Fingerprint>,
}

/// One file's findings, counted by key: what the baseline would record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileFindings {
    pub file: String,
    counts: BTreeMap<(String, String), (usize, String)>,
    /// How many of its findings the baseline held back.
    pub held_back: usize,
}

/// An entry that matched fewer findings than it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub entry: Entry,
    /// How many of its findings are gone.
    pub gone: usize,
}

impl Baseline {
    /// Reads `path`; `missing_ok` (for writing) takes a file that does not
    /// exist as an empty baseline. A file that cannot be read, is not a
    /// baseline, or holds an entry twice is an error naming it.
    pub fn read(path: &Path, missing_ok: bool) -> Result<Self, Error> {
        let folder = normalize(&crate::config::absolute(crate::files::folder_of(path)));
        let empty = || Self {
            path: path.to_path_buf(),
            folder: folder.clone(),
            entries: BTreeMap::new(),
            read_as: None,
        };
        let bytes = match crate::input::read_file(path, MAX_BASELINE_SIZE) {
            Ok(bytes) => bytes,
            Err(Error::Io { source, .. })
                if missing_ok && source.kind() == std::io::ErrorKind::NotFound =>
            {
                return Ok(empty());
            }
            Err(err) => return Err(err),
        };
        let invalid = |reason: String| {
            Error::Usage(format!(
            "{}: not a chatlint baseline ({reason}); write it again with `chatlint check --write-baseline {}`",
            path.display(),
            path.display()
        ))
        };
        let file: BaselineFile =
            serde_json::from_slice(&bytes).map_err(|err| invalid(err.to_string()))?;
        if file.version != VERSION {
            return Err(invalid(format!(
                "version {}, this chatlint reads version {VERSION}",
                file.version
            )));
        }
        let mut baseline = empty();
        baseline.read_as = Some(Fingerprint::of(&bytes));
        for entry in file.entries {
            if entry.count == 0 || !is_fingerprint(&entry.fingerprint) {
                return Err(invalid(format!(
                    "entry for {} ({}) has count {} and fingerprint `{}`",
                    entry.file, entry.rule, entry.count, entry.fingerprint
                )));
            }
            let key = (
                entry.file.clone(),
                entry.rule.clone(),
                entry.fingerprint.clone(),
            );
            if baseline.entries.insert(key, entry).is_some() {
                return Err(invalid("an entry appears twice".into()));
            }
        }
        Ok(baseline)
    }

    /// The name a file has in the baseline: its path relative to the
    /// baseline's folder, `/` between names.
    pub fn file_key(&self, path: &Path) -> String {
        relative(&self.folder, &normalize(&crate::config::absolute(path)))
    }

    /// Counts the findings of `report` (the file `path`) and holds back
    /// (removes) those the baseline holds: per key, up to its count, in
    /// file order; when `recording` (`--write-baseline`), every one.
    pub fn sift(&self, path: &Path, report: &mut FileReport, recording: bool) -> FileFindings {
        let file = self.file_key(path);
        let text = report.source.text();
        let mut counts: BTreeMap<(String, String), (usize, String)> = BTreeMap::new();
        let mut held_back = 0;
        report.diagnostics.retain(|diagnostic| {
            let key = (
                diagnostic.rule.name.to_string(),
                fingerprint(text, &diagnostic.span),
            );
            let (count, _) = counts
                .entry(key.clone())
                .or_insert_with(|| (0, diagnostic.message.clone()));
            *count += 1;
            let hold = recording
                || *count
                    <= self
                        .entries
                        .get(&(file.clone(), key.0, key.1))
                        .map_or(0, |entry| entry.count);
            held_back += usize::from(hold);
            !hold
        });
        FileFindings {
            file,
            counts,
            held_back,
        }
    }

    /// The entries that matched fewer findings than they count, among the
    /// files checked (`checked`) and the files that no longer exist.
    pub fn stale(&self, checked: &[FileFindings]) -> Vec<Stale> {
        let by_file: BTreeMap<&str, &FileFindings> =
            checked.iter().map(|f| (f.file.as_str(), f)).collect();
        let mut stale = Vec::new();
        for ((file, rule, fingerprint), entry) in &self.entries {
            let found = match by_file.get(file.as_str()) {
                Some(findings) => findings
                    .counts
                    .get(&(rule.clone(), fingerprint.clone()))
                    .map_or(0, |(count, _)| *count),
                None if self.folder.join(file).exists() => continue,
                None => 0,
            };
            if found < entry.count {
                stale.push(Stale {
                    entry: entry.clone(),
                    gone: entry.count - found,
                });
            }
        }
        stale
    }

    /// The baseline of this run: the findings of the files checked, and
    /// the entries of files not checked that still exist. Written through
    /// a temporary file renamed over the old one (refused if it changed
    /// since it was read). Returns how many findings it records.
    pub fn write(&self, checked: &[FileFindings]) -> Result<usize, Error> {
        let mut entries: BTreeMap<Key, Entry> = self
            .entries
            .iter()
            .filter(|((file, _, _), _)| {
                !checked.iter().any(|f| &f.file == file) && self.folder.join(file).exists()
            })
            .map(|(key, entry)| (key.clone(), entry.clone()))
            .collect();
        for findings in checked {
            for ((rule, fingerprint), (count, message)) in &findings.counts {
                let entry = Entry {
                    file: findings.file.clone(),
                    rule: rule.clone(),
                    fingerprint: fingerprint.clone(),
                    count: *count,
                    message: message.clone(),
                };
                entries.insert(
                    (entry.file.clone(), rule.clone(), fingerprint.clone()),
                    entry,
                );
            }
        }
        let recorded = entries.values().map(|e| e.count).sum();
        let file = BaselineFile {
            version: VERSION,
            entries: entries.into_values().collect(),
        };
        let mut json = serde_json::to_string_pretty(&file).expect("a baseline serializes");
        json.push('\n');
        match self.read_as {
            Some(read_as) => crate::files::replace_file(&self.path, read_as, &json)?,
            None => crate::files::write_new_file(&self.path, json.as_bytes())?,
        }
        Ok(recorded)
    }
}

/// The finding's text and the whole lines it stands on, hashed: the same
/// wherever those lines move, different once they change.
fn fingerprint(text: &str, span: &std::ops::Range<usize>) -> String {
    let bytes = text.as_bytes();
    let (start, end) = (span.start.min(text.len()), span.end.min(text.len()));
    let line_start = memchr::memrchr2(b'\n', b'\r', &bytes[..start]).map_or(0, |i| i + 1);
    let line_end = memchr::memchr2(b'\n', b'\r', &bytes[end..]).map_or(text.len(), |i| end + i);
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&bytes[start..end.max(start)]);
    hasher.update(b"\0");
    hasher.update(&bytes[line_start..line_end.max(line_start)]);
    format!("{:016x}", hasher.digest())
}

fn is_fingerprint(text: &str) -> bool {
    text.len() == 16 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `path` without `.` and with each `..` taking away the name before it.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// `path` relative to `folder` (both absolute and normal), with `..` where
/// it lies outside, names joined by `/`.
fn relative(folder: &Path, path: &Path) -> String {
    let (mut from, mut to) = (folder.components().peekable(), path.components().peekable());
    while let (Some(a), Some(b)) = (from.peek(), to.peek()) {
        if a != b {
            break;
        }
        from.next();
        to.next();
    }
    let ups = from.map(|_| "..".to_string());
    let names = to.map(|c| c.as_os_str().to_string_lossy().into_owned());
    ups.chain(names).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_folder_with_slashes() {
        let folder = Path::new("/a/b");
        assert_eq!(relative(folder, Path::new("/a/b/c/d.md")), "c/d.md");
        assert_eq!(relative(folder, Path::new("/a/x.md")), "../x.md");
        assert_eq!(normalize(Path::new("/a/./b/../c")), Path::new("/a/c"));
    }

    #[test]
    fn a_fingerprint_follows_the_lines_not_their_place() {
        let text = "one\n##two three\nfour\n";
        let moved = "zero\none\n##two three\nfour\n";
        let at = text.find("##").unwrap();
        let moved_at = moved.find("##").unwrap();
        let here = fingerprint(text, &(at..at + 2));
        assert_eq!(here, fingerprint(moved, &(moved_at..moved_at + 2)));
        assert!(is_fingerprint(&here), "{here}");
        let edited = "one\n##two three!\nfour\n";
        assert_ne!(here, fingerprint(edited, &(at..at + 2)));
    }
}
