//! `--from json --to md`: a document is checked field by field before it is
//! written, and the Markdown it gives is read back and compared with it.
//!
//! The message text in a document is the Markdown source of its lines (not
//! rendered text), so no escaping could write a line that reads as a header
//! and read it back as the same text: such a document is refused, with the
//! message (its 0-based position in `messages`, as its `index`) and the
//! field. Three checks, each stricter than the one before:
//!
//! 1. [`validate`]: every field alone, with the parser's own tests (a time
//!    `HH:MM:SS`, a header date, no line break in a one-line field, no text
//!    line that reads as a header or a day heading or holds a suppression
//!    comment (those are in `suppressions`, each one standing where the
//!    text has a place), no spaces a hard break would take, …);
//! 2. [`compare`]: the Markdown as laid out, before any fix, read back gives
//!    the same front matter, preamble, messages (count; header date, time,
//!    speaker, text, date, day headings; images, links, mentions and emoji
//!    when given) and trailing day headings, or the document is refused;
//! 3. [`changes`]: what the safe fixes of `--to md` then changed (a header
//!    time `7:50:02` made `07:50:02`, `##背景` made `## 背景`, a duplicate
//!    removed) is told as a [`Notice`] per message and field: never silent.
//!
//! One file per check (`validate`, `compare`, `changes`), and `error` for
//! how a refusal names the message and the field.
//!
//! [`validate`]: fn@validate
//! [`compare`]: fn@compare
//! [`changes`]: fn@changes
//! [`Notice`]: super::Notice

mod changes;
mod compare;
mod error;
mod validate;

pub use changes::changes;
pub use compare::compare;
pub use error::{JsonError, MESSAGE_FIELDS};
pub use validate::validate;
