//! Results kept between runs: one JSON file in the cache folder, each URL's
//! verdict with the time it was found. Transient failures are never kept.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::options::CacheSettings;
use super::verdict::Verdict;
use crate::error::Error;

/// The file in the cache folder; its name changes when its format does.
const FILE_NAME: &str = "online-v1.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// Seconds since the Unix epoch.
    checked: u64,
    verdict: Verdict,
    /// The options the verdict was judged by ([`super::OnlineSettings::judgement`]):
    /// empty for the defaults.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    judged: String,
}

#[derive(Debug)]
pub(crate) struct Cache {
    dir: PathBuf,
    max_age: Duration,
    now: u64,
    judgement: String,
    entries: BTreeMap<String, Entry>,
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Cache {
    /// The cache as the last run left it, keeping only results younger than
    /// `max_age` and judged by the same options (`judgement`: another
    /// `accept` may judge the same answer otherwise); a missing or
    /// unreadable file is an empty cache (it is rewritten on [`Cache::save`]).
    pub(crate) fn open(settings: &CacheSettings, judgement: &str, now: SystemTime) -> Self {
        let now = unix_seconds(now);
        let mut entries: BTreeMap<String, Entry> =
            // Bounded like every read: a cache replaced by a FIFO or a huge
            // file is a miss, not a hang.
            crate::input::read_file(&settings.dir.join(FILE_NAME), crate::input::MAX_CACHE_SIZE)
                .ok()
                .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                .unwrap_or_default();
        entries.retain(|_, entry| {
            now.saturating_sub(entry.checked) < settings.max_age.as_secs()
                && entry.verdict.lasts()
                && entry.judged == judgement
        });
        Self {
            dir: settings.dir.clone(),
            max_age: settings.max_age,
            now,
            judgement: judgement.to_string(),
            entries,
        }
    }

    pub(crate) fn get(&self, url: &str) -> Option<&Verdict> {
        self.entries.get(url).map(|entry| &entry.verdict)
    }

    /// Keeps a fresh verdict, unless it is transient or a refusal.
    pub(crate) fn record(&mut self, url: &str, verdict: &Verdict) {
        if verdict.lasts() && !self.max_age.is_zero() {
            let entry = Entry {
                checked: self.now,
                verdict: verdict.clone(),
                judged: self.judgement.clone(),
            };
            self.entries.insert(url.to_string(), entry);
        }
    }

    /// Writes the cache ([`crate::files::write_in_folder`]: atomically, in a
    /// folder that git ignores).
    pub(crate) fn save(&self) -> Result<(), Error> {
        let mut json = serde_json::to_vec_pretty(&self.entries).map_err(|err| Error::Io {
            path: self.dir.join(FILE_NAME),
            source: err.into(),
        })?;
        json.push(b'\n');
        crate::files::write_in_folder(&self.dir, FILE_NAME, &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::online::verdict::Failure;

    #[test]
    fn keeps_lasting_verdicts_for_max_age() {
        let dir = tempfile::tempdir().unwrap();
        let settings = CacheSettings {
            dir: dir.path().join("cache"),
            max_age: Duration::from_secs(100),
        };
        let start = SystemTime::now();
        let mut cache = Cache::open(&settings, "", start);
        cache.record("http://a/ok", &Verdict::Ok);
        cache.record("http://a/404", &Verdict::Broken(Failure::Status(404)));
        cache.record("http://a/503", &Verdict::Broken(Failure::Status(503)));
        cache.record("http://a/slow", &Verdict::Broken(Failure::Timeout));
        let refused = Failure::Refused {
            address: "127.0.0.1".parse().unwrap(),
            redirect: None,
        };
        cache.record("http://a/private", &Verdict::Broken(refused));
        cache.save().unwrap();
        assert!(settings.dir.join(".gitignore").is_file());

        let later = Cache::open(&settings, "", start + Duration::from_secs(99));
        assert_eq!(later.get("http://a/ok"), Some(&Verdict::Ok));
        assert_eq!(
            later.get("http://a/404"),
            Some(&Verdict::Broken(Failure::Status(404)))
        );
        assert_eq!(later.get("http://a/503"), None);
        assert_eq!(later.get("http://a/slow"), None);
        assert_eq!(later.get("http://a/private"), None);

        let expired = Cache::open(&settings, "", start + Duration::from_secs(100));
        assert_eq!(expired.get("http://a/ok"), None);

        // Judged by other options: not this run's answer.
        let other = Cache::open(&settings, "accept=200,404", start);
        assert_eq!(other.get("http://a/404"), None);
        let mut other = other;
        other.record("http://a/404", &Verdict::Ok);
        other.save().unwrap();
        let again = Cache::open(&settings, "accept=200,404", start);
        assert_eq!(again.get("http://a/404"), Some(&Verdict::Ok));
        assert_eq!(Cache::open(&settings, "", start).get("http://a/404"), None);
    }

    #[test]
    fn an_unreadable_cache_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "{not json").unwrap();
        let settings = CacheSettings {
            dir: dir.path().to_path_buf(),
            max_age: Duration::from_secs(100),
        };
        let cache = Cache::open(&settings, "", SystemTime::now());
        assert!(cache.entries.is_empty());
        cache.save().unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap(),
            "{}\n"
        );
    }
}
