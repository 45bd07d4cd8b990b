//! The one document every format is written from.
//!
//! A [`Document`] is built once from the model and fed to each writer; it is
//! also what `--to json` writes and what `--from json` reads back, so it
//! carries what the Markdown needs besides the data: the front matter's raw
//! text, the day headings, a header time as written when it is not valid, the
//! preamble.
//!
//! A large transcript is never held in the model all at once: the messages are
//! parsed a chunk at a time (a chunk starts at a header line, where the parser
//! starts afresh anyway) while a writer iterates over them, so that converting
//! a file costs its text, its line index and one chunk's model.
//!
//! One file per job: `schema` the fields, `build` building them from a
//! source, `messages` the messages as a writer iterates over them, `text` a
//! message text's lines, `suppressions` the suppression comments taken out
//! of a text and put back, `offset` the `--timezone` offset.

mod build;
mod messages;
mod offset;
mod schema;
mod suppressions;
mod text;

pub use build::SourceMessages;
pub use messages::{MessageIter, Messages};
pub use offset::Offset;
pub use schema::{
    DayHeadingDoc, Document, FieldDoc, FrontMatterDoc, ImageDoc, LinkDoc, MessageDoc,
    SuppressionDoc,
};
pub use suppressions::{comments_in_text, lines_with_suppressions};
pub use text::{body_lines, canonical_line, trim_blank};
