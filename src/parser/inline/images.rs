//! Images, recognised leniently: `![alt](destination "title")`, with a
//! full-width `！` or parentheses, a missing `)` or spaces in the destination.

use crate::model::{Image, Span, Width};

use super::brackets::{
    closing_bracket, paren_at, scan_parenthesised, Pairs, MAX_DESTINATION_BYTES,
};

pub(super) fn parse_image(content: &str, at: usize, pairs: &Pairs) -> Option<Image> {
    let bang = if content[at..].starts_with('!') {
        Width::Ascii
    } else {
        Width::FullWidth
    };
    let open_bracket = at + content[at..].chars().next()?.len_utf8();
    if !content[open_bracket..].starts_with('[') {
        return None;
    }
    let close_bracket = closing_bracket(content, pairs, open_bracket)?;
    let (open_paren, paren_len) = paren_at(content, close_bracket + 1)?;
    let inner_start = close_bracket + 1 + paren_len;
    let (destination_span, angle_brackets, title_span, inner_end, close) =
        parse_destination_and_title(content, pairs, inner_start);
    // `太棒了！[链接](http://…)` is an exclamation and a link; a full-width `！`
    // starts an image only when what follows is plainly one.
    if bang == Width::FullWidth
        && !looks_like_image(
            &content[open_bracket + 1..close_bracket],
            content,
            destination_span.clone(),
            pairs,
        )
    {
        return None;
    }
    let end = match close {
        Some((_, len)) => inner_end + len,
        None => inner_end,
    };
    Some(Image {
        span: at..end,
        bang,
        alt_span: open_bracket + 1..close_bracket,
        open_paren,
        close_paren: close.map(|(width, _)| width),
        destination_span,
        angle_brackets,
        title_span,
    })
}

/// An image file name, or the archive's alt text: the time it was sent.
/// The path ends at the first `?` or `#`, found by a lookup (a long line of
/// would-be images without a closing paren has destinations as long as the
/// line).
fn looks_like_image(alt: &str, content: &str, destination: Span, pairs: &Pairs) -> bool {
    let path_end = pairs.query_start(content, destination.clone());
    // The longest extension is 5 bytes: only the path's last 5 are compared.
    let tail_start = path_end.saturating_sub(5).max(destination.start);
    let path = content.as_bytes()[tail_start..path_end].to_ascii_lowercase();
    let image_extension = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg"]
        .iter()
        .any(|ext| path.ends_with(ext.as_bytes()));
    let timestamp_alt = alt.len() == 19
        && alt.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b' ',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        });
    image_extension || timestamp_alt
}

type DestinationParts = (Span, bool, Option<Span>, usize, Option<(Width, usize)>);

/// Splits `<dest> "title")` or `dest "title")` starting after the `(`.
fn parse_destination_and_title(
    content: &str,
    pairs: &Pairs,
    inner_start: usize,
) -> DestinationParts {
    let leading =
        content[inner_start..].len() - content[inner_start..].trim_start_matches([' ', '\t']).len();
    let dest_start = inner_start + leading;
    if content[dest_start..].starts_with('<') {
        // (Looked for no further than a destination may run.)
        let window_end = crate::line_index::floor_char_boundary(
            content,
            (dest_start + 1 + MAX_DESTINATION_BYTES).min(content.len()),
        );
        if let Some(close) = content[dest_start + 1..window_end].find(['>', '<']) {
            let close = dest_start + 1 + close;
            if content[close..].starts_with('>') {
                let (inner_end, paren) = scan_parenthesised(content, pairs, close + 1);
                let title = title_in(content, close + 1, inner_end);
                return (dest_start + 1..close, true, title, inner_end, paren);
            }
        }
    }
    let (inner_end, paren) = scan_parenthesised(content, pairs, dest_start);
    if paren.is_none() {
        // No `)` on the line: the URL is the first word, what follows is text.
        let token_end = pairs.next_whitespace(content, dest_start);
        return (dest_start..token_end, false, None, token_end, None);
    }
    let inner = &content[dest_start..inner_end];
    let trimmed_end = dest_start + inner.trim_end().len();
    // A title is a quoted string at the end, after white space.
    if let Some(title) = title_in(content, dest_start, trimmed_end) {
        let before_title = &content[dest_start..title.start - 1];
        let dest_end = dest_start + before_title.trim_end().len();
        if dest_end < title.start - 1 {
            return (dest_start..dest_end, false, Some(title), inner_end, paren);
        }
    }
    (dest_start..trimmed_end, false, None, inner_end, paren)
}

/// How long a link title may be.
const MAX_TITLE_BYTES: usize = 1024;

/// A `"title"`, `'title'` or `(title)` that ends exactly at `end`.
fn title_in(content: &str, start: usize, end: usize) -> Option<Span> {
    let region = content[start..end].trim_end();
    let close = region.chars().last()?;
    let open = match close {
        '"' => '"',
        '\'' => '\'',
        ')' => '(',
        _ => return None,
    };
    let body = &region[..region.len() - 1];
    // A title is looked for in the last MAX_TITLE_BYTES only: a line of
    // would-be images ending in one quote would otherwise search back
    // through each of their destinations.
    let search_from =
        crate::line_index::floor_char_boundary(body, body.len().saturating_sub(MAX_TITLE_BYTES));
    let open_at = search_from + body[search_from..].rfind(open)?;
    // The title must be separated from the destination by white space,
    // unless there is no destination at all.
    let before = &body[..open_at];
    if !before.is_empty() && !before.ends_with([' ', '\t']) {
        return None;
    }
    Some(start + open_at + 1..start + region.len() - 1)
}
