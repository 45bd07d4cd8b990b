//! Inline elements of one body line: images, links, mentions, emoji codes.
//!
//! Images are recognised leniently (full-width `！` and `（）`, a missing `)`,
//! spaces in the destination) so that the image rule can see what a writer
//! meant as an image even where a CommonMark renderer would not.
//!
//! `parse_inlines` walks a line from one possible opener to the next
//! (`openers`) and hands each to the parser of its kind: `images`, `links`,
//! `mentions`, `emoji`; `code_spans` are stepped over. Where brackets and
//! parentheses close is worked out once per line (`brackets`).

use crate::model::{Emoji, Image, Inline, Link, Mention, Span};

mod brackets;
mod code_spans;
mod emoji;
mod images;
mod links;
mod mentions;
mod openers;
#[cfg(test)]
mod tests;

use brackets::Pairs;
pub(crate) use code_spans::code_spans;
use code_spans::{skip_code_span, BacktickRuns};
use emoji::parse_emoji;
use images::parse_image;
use links::{parse_autolink, parse_bare_url, parse_link};
use mentions::parse_mention;
use openers::next_opener;

pub(crate) fn parse_inlines(text: &str, line: Span) -> Vec<Inline> {
    let content = &text[line.clone()];
    // Offsets within a line are kept in 32 bits ([`Nesting`]); a line of
    // 4 GiB or more (which `--max-file-size` must be raised to allow) is
    // read as text without inlines.
    if u32::try_from(content.len()).is_err() {
        return Vec::new();
    }
    let base = line.start;
    let mut inlines = Vec::new();
    // Where each bracket and paren closes, found once and only for a line
    // with a `[` or `!`: each construct then finds its end by a lookup, not
    // a scan, so a long line of brackets stays linear.
    let pairs = std::cell::OnceCell::new();
    let pairs = || pairs.get_or_init(|| Pairs::new(content));
    // A link or an image needs a `]` followed by `(` or `（`: a line without
    // one (an emoji code `[微笑]`, a full-width `！`) never builds the pairs.
    let bracket_paren = std::cell::OnceCell::new();
    let may_link = || {
        *bracket_paren.get_or_init(|| {
            let bytes = content.as_bytes();
            memchr::memchr_iter(b']', bytes).any(|at| {
                let after = &bytes[at + 1..];
                after.starts_with(b"(") || after.starts_with("（".as_bytes())
            })
        })
    };
    let backtick_runs = std::cell::OnceCell::new();
    let mut i = 0;
    while i < content.len() {
        // Skip straight to the next character that can open an inline: the
        // ASCII ones below, or the first byte of `！` (every other character
        // would only be stepped over).
        match next_opener(content.as_bytes(), i) {
            Some(at) => i = at,
            None => break,
        }
        let rest = &content[i..];
        let Some(c) = rest.chars().next() else { break };
        // Keep `MAY_OPEN_INLINE` in step with these arms.
        let parsed = match c {
            '`' => {
                i = skip_code_span(
                    content,
                    backtick_runs.get_or_init(|| BacktickRuns::new(content)),
                    i,
                );
                continue;
            }
            '!' | '！' if rest[c.len_utf8()..].starts_with('[') && may_link() => {
                parse_image(content, i, pairs()).map(|image| Inline::Image(image.shifted(base)))
            }
            '[' => may_link()
                .then(|| parse_link(content, i, pairs()))
                .flatten()
                .map(|link| Inline::Link(link.shifted(base)))
                .or_else(|| parse_emoji(content, i).map(|e| Inline::Emoji(e.shifted(base)))),
            '<' => parse_autolink(content, i).map(|link| Inline::Link(link.shifted(base))),
            '@' => parse_mention(content, i).map(|m| Inline::Mention(m.shifted(base))),
            'h' => parse_bare_url(content, i).map(|link| Inline::Link(link.shifted(base))),
            _ => None,
        };
        match parsed {
            Some(inline) => {
                i = inline_end(&inline) - base;
                inlines.push(inline);
            }
            None => i += c.len_utf8(),
        }
    }
    inlines
}

fn inline_end(inline: &Inline) -> usize {
    match inline {
        Inline::Image(x) => x.span.end,
        Inline::Link(x) => x.span.end,
        Inline::Mention(x) => x.span.end,
        Inline::Emoji(x) => x.span.end,
    }
}

/// Moves spans relative to the line to spans relative to the file.
trait Shift: Sized {
    fn shifted(self, by: usize) -> Self;
}

fn shift(span: Span, by: usize) -> Span {
    span.start + by..span.end + by
}

impl Shift for Image {
    fn shifted(self, by: usize) -> Self {
        Image {
            span: shift(self.span, by),
            alt_span: shift(self.alt_span, by),
            destination_span: shift(self.destination_span, by),
            title_span: self.title_span.map(|s| shift(s, by)),
            ..self
        }
    }
}

impl Shift for Link {
    fn shifted(self, by: usize) -> Self {
        Link {
            span: shift(self.span, by),
            text_span: shift(self.text_span, by),
            destination_span: shift(self.destination_span, by),
        }
    }
}

impl Shift for Mention {
    fn shifted(self, by: usize) -> Self {
        Mention {
            span: shift(self.span, by),
            name_span: shift(self.name_span, by),
        }
    }
}

impl Shift for Emoji {
    fn shifted(self, by: usize) -> Self {
        Emoji {
            span: shift(self.span, by),
            name_span: shift(self.name_span, by),
        }
    }
}
