//! Jekyll front matter: `---` on the first line, YAML, `---` (or `...`).

use std::iter::Peekable;

use super::{header, Lines};
use crate::model::FrontMatter;

fn is_fence(line: &str, closing: bool) -> bool {
    let line = line.trim_end();
    line == "---" || (closing && line == "...")
}

/// Consumes the front matter's lines, if the text opens with one.
///
/// An unclosed front matter ends before the first line that reads as a
/// message header, so that one missing `---` does not hide every message.
pub(super) fn parse(text: &str, lines: &mut Peekable<Lines<'_>>) -> Option<FrontMatter> {
    let opening = lines.peek()?.clone();
    if !is_fence(&text[opening.clone()], false) {
        return None;
    }
    lines.next();
    let yaml_start = text[opening.end..]
        .find('\n')
        .map_or(text.len(), |i| opening.end + i + 1);
    let mut yaml_end = yaml_start;
    while let Some(line) = lines.peek().cloned() {
        if is_fence(&text[line.clone()], true) {
            lines.next();
            return Some(FrontMatter {
                span: opening.start..line.end,
                yaml_span: yaml_start..line.start.max(yaml_start),
                closed: true,
            });
        }
        if header::parse_header(text, line.clone()).is_some() {
            break;
        }
        yaml_end = line.end;
        lines.next();
    }
    Some(FrontMatter {
        span: opening.start..yaml_end.max(opening.end),
        yaml_span: yaml_start.min(yaml_end)..yaml_end,
        closed: false,
    })
}
