//! @mentions, as WeChat writes them.

use crate::model::Mention;

/// The character that WeChat writes after an @mention.
pub const MENTION_END: char = '\u{2005}';

pub(super) fn parse_mention(content: &str, at: usize) -> Option<Mention> {
    // `name@example.com` is an address, not a mention.
    if content[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let name_start = at + 1;
    let rest = &content[name_start..];
    let len = rest
        .find(|c: char| c == MENTION_END || c == '?' || c == '@' || c.is_whitespace())
        .unwrap_or(rest.len());
    if len == 0 {
        return None;
    }
    let name_end = name_start + len;
    let end = if content[name_end..].starts_with(MENTION_END) {
        name_end + MENTION_END.len_utf8()
    } else {
        name_end
    };
    Some(Mention {
        span: at..end,
        name_span: name_start..name_end,
    })
}
