use super::file::CHECKSUM_LEN;
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
