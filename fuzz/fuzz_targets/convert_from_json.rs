//! Bytes as `chatlint convert --from json --to md` reads them, under the
//! invariant of `tests/json_invariant/mod.rs`, the one the property tests of
//! `tests/convert_from_json.rs` check: a document either converts and the
//! Markdown read back gives exactly its messages, front matter, preamble and
//! day headings (but for what a notice of the safe fixes names, by message
//! and field), or it is refused with a `JsonError` naming a message that
//! exists and a field, and nothing is written; not JSON, or not a document,
//! is `ConvertError::Json`. Never a panic, never another error.
#![no_main]

#[path = "../../tests/json_invariant/mod.rs"]
mod json_invariant;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The CLI refuses what is not UTF-8 before it reads any JSON.
    if let Ok(json) = std::str::from_utf8(data) {
        json_invariant::exercise_json(json);
    }
});
