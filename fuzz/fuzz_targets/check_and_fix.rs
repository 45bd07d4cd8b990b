//! Bytes as the CLI reads them: refused unless UTF-8, then parsed, checked,
//! reported in every output format and fixed, under the invariants of
//! `tests/invariants/mod.rs`, the same ones the property tests of
//! `tests/robustness.rs` check: spans in bounds and on character boundaries,
//! fixing succeeds or fails with a `chatlint::Error`, a fixed text is a fixed
//! point, and the four core rules keep every message, line break and character
//! but those their fixes may change.
#![no_main]

#[path = "../../tests/invariants/mod.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| invariants::exercise_bytes(data));
