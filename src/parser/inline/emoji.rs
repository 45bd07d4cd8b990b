//! Emoji codes such as `[微笑]`.

use crate::model::Emoji;

pub(super) fn parse_emoji(content: &str, at: usize) -> Option<Emoji> {
    let rest = &content[at + 1..];
    // An emoji name is at most 8 characters: look no further for its `]`.
    let window = &rest.as_bytes()[..rest.len().min(8 * 4 + 1)];
    let close = memchr::memchr(b']', window)?;
    let name = rest.get(..close)?;
    let chars = name.chars().count();
    if !(1..=8).contains(&chars) || !name.chars().all(char::is_alphabetic) || name == "cp" {
        return None;
    }
    Some(Emoji {
        span: at..at + 1 + close + 1,
        name_span: at + 1..at + 1 + close,
    })
}
