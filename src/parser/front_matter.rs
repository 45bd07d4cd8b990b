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
    let yaml_start = crate::line_index::next_line_break(text.as_bytes(), opening.end).1;
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

/// A top-level `key: value` line of the front matter, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub key: String,
    pub key_span: crate::model::Span,
    /// The value's text, trimmed (quotes kept); empty for `key:` alone.
    pub value_span: crate::model::Span,
}

/// The front matter's top-level fields in order, read line by line, so that
/// each value's raw text and position are known whatever the YAML parser
/// makes of it.
pub fn fields(text: &str, front_matter: &FrontMatter) -> Vec<Field> {
    let mut fields = Vec::new();
    for line in Lines::new(text, front_matter.yaml_span.start) {
        if line.start >= front_matter.yaml_span.end {
            break;
        }
        let content = &text[line.clone()];
        if content.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let Some(colon) = content.find(':') else {
            continue;
        };
        let key = content[..colon].trim_end();
        if key.is_empty() || key.contains(char::is_whitespace) {
            continue;
        }
        let value = &content[colon + 1..];
        let value_start = line.start + colon + 1 + (value.len() - value.trim_start().len());
        let value_end = line.start + colon + 1 + value.trim_end().len();
        fields.push(Field {
            key: key.to_string(),
            key_span: line.start..line.start + key.len(),
            value_span: value_start..value_end.max(value_start),
        });
    }
    fields
}
