//! HTML comments in a line, and which of them are chatlint's suppression
//! comments (`<!-- chatlint-disable-next-line RULE -->` and the others):
//! the syntax only, which the rules may read too (`duplicate-message`
//! leaves such comments out of a message's text); what a comment
//! suppresses is `crate::suppression`'s.

use crate::model::Span;

/// What every suppression comment starts with.
pub const SUPPRESSION_MARKER: &str = "chatlint-";

/// The kinds, as written after [`SUPPRESSION_MARKER`].
pub const SUPPRESSION_KINDS: [&str; 5] = [
    "disable-next-line",
    "disable-line",
    "disable",
    "enable",
    "disable-file",
];

/// Each `<!-- … -->` of a line, in order: the whole comment, and its inside
/// without the white space at either end (spans in `content`). `<!-->` and
/// `<!--->` close where they open, as in HTML: empty.
pub fn html_comments(content: &str) -> impl Iterator<Item = (Span, Span)> + '_ {
    let mut search = 0;
    std::iter::from_fn(move || {
        let open = search + content[search..].find("<!--")?;
        let close = open + content[open..].find("-->")? + 3;
        search = close;
        let inner_start = open + 4;
        let inner = &content[inner_start..(close - 3).max(inner_start)];
        let start = inner_start + (inner.len() - inner.trim_start().len());
        let end = (start + inner.trim().len()).max(start);
        Some((open..close, start..end))
    })
}

/// The kind of a suppression comment's inside (`chatlint-disable CL2`),
/// and where the list of rules after it starts; `None` for any other
/// comment.
pub fn suppression_kind(inside: &str) -> Option<(&'static str, usize)> {
    let rest = inside.strip_prefix(SUPPRESSION_MARKER)?;
    let kind_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let kind = SUPPRESSION_KINDS
        .into_iter()
        .find(|kind| *kind == &rest[..kind_len])?;
    Some((kind, SUPPRESSION_MARKER.len() + kind_len))
}

/// Where each suppression comment of a line stands.
pub fn suppression_comments(content: &str) -> impl Iterator<Item = Span> + '_ {
    html_comments(content)
        .filter(|(_, inside)| suppression_kind(&content[inside.clone()]).is_some())
        .map(|(comment, _)| comment)
}
