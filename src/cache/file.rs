//! What the cache file holds, and the checksums that tell a damaged one.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

/// The file in the cache folder; its name changes when its format does.
pub(super) const FILE_NAME: &str = "check-v1.bin";

/// The file starts with this many bytes: the xxh3 of the rest, little-endian.
pub(super) const CHECKSUM_LEN: usize = 8;

/// What the cache file holds, borrowed from its bytes when read.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct CacheFile<'a> {
    /// The build of chatlint that wrote it ([`build_id`](super::build_id)):
    /// another build's findings may differ.
    pub(super) version: &'a str,
    #[serde(borrow)]
    pub(super) entries: HashMap<&'a str, Entry<'a>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Entry<'a> {
    /// xxh3 of the file's bytes as read.
    pub(super) text: u64,
    /// xxh3 of the settings the findings were found with.
    pub(super) settings: u64,
    /// The findings, encoded, decoded only when the entry is used (by the
    /// thread that checks the file). As bytes, not a sequence of numbers,
    /// and borrowed from the file's bytes: reading the cache copies nothing.
    #[serde(with = "serde_bytes", borrow)]
    pub(super) findings: &'a [u8],
    /// [`entry_checksum`] of the fields above and the entry's path.
    pub(super) checksum: u64,
}

/// The checksum of one entry: its path, both hashes and its encoded
/// findings, each field's length in front so that no two entries share the
/// bytes hashed.
pub(super) fn entry_checksum(path: &str, text: u64, settings: u64, findings: &[u8]) -> u64 {
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
pub(super) fn checked_payload(bytes: &[u8]) -> Option<&[u8]> {
    let (checksum, payload) = bytes.split_at_checked(CHECKSUM_LEN)?;
    let checksum = u64::from_le_bytes(checksum.try_into().ok()?);
    (checksum == xxh3_64(payload)).then_some(payload)
}

/// A cache file's bytes: the payload after its checksum, which
/// [`checked_payload`] checks.
pub(super) fn checksummed(payload: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(CHECKSUM_LEN + payload.len());
    bytes.extend_from_slice(&xxh3_64(payload).to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}
