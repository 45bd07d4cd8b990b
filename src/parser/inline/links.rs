//! Links: `[text](destination)`, `<http://…>` autolinks and bare URLs.

use crate::model::{Link, Width};

use super::brackets::{closing_bracket, scan_parenthesised, Pairs};

pub(super) fn parse_link(content: &str, at: usize, pairs: &Pairs) -> Option<Link> {
    let close_bracket = closing_bracket(content, pairs, at)?;
    if !content[close_bracket + 1..].starts_with('(') {
        return None;
    }
    let dest_start = close_bracket + 2;
    let (inner_end, paren) = scan_parenthesised(content, pairs, dest_start);
    let (Width::Ascii, len) = paren? else {
        return None;
    };
    Some(Link {
        span: at..inner_end + len,
        text_span: at + 1..close_bracket,
        destination_span: dest_start..inner_end,
    })
}

pub(super) fn parse_autolink(content: &str, at: usize) -> Option<Link> {
    let rest = &content[at + 1..];
    if !(rest.starts_with("http://") || rest.starts_with("https://")) {
        return None;
    }
    let end = rest.find(|c: char| c == '>' || c == '<' || c.is_whitespace())?;
    if !rest[end..].starts_with('>') {
        return None;
    }
    let dest = at + 1..at + 1 + end;
    Some(Link {
        span: at..dest.end + 1,
        text_span: dest.clone(),
        destination_span: dest,
    })
}

pub(super) fn parse_bare_url(content: &str, at: usize) -> Option<Link> {
    let rest = &content[at..];
    if !(rest.starts_with("http://") || rest.starts_with("https://")) {
        return None;
    }
    // A bare URL ends at white space or at the first character outside ASCII,
    // which in these transcripts is the CJK text that follows it.
    let len = rest
        .find(|c: char| c.is_whitespace() || !c.is_ascii() || c == '<' || c == '>')
        .unwrap_or(rest.len());
    let dest = at..at + len;
    Some(Link {
        span: dest.clone(),
        text_span: dest.clone(),
        destination_span: dest,
    })
}
