//! A message text's lines: what the document keeps of each, and what the
//! Markdown writes.

use crate::parser::FenceState;

/// A message body line as the document keeps it: without its hard-break
/// spaces, except in a code fence, where every character is content.
pub fn canonical_line(line: &str, in_code_fence: bool) -> &str {
    if in_code_fence {
        line
    } else {
        line.trim_end_matches([' ', '\t'])
    }
}

/// A message text's lines as the Markdown writes them: each with whether it
/// is in a code fence, without the blank lines before and after.
pub fn body_lines(text: &str) -> Vec<(&str, bool)> {
    let mut fence = FenceState::default();
    let mut lines: Vec<(&str, bool)> = text
        .split('\n')
        .map(|line| {
            let fenced = fence.update(line);
            (canonical_line(line, fenced), fenced)
        })
        .collect();
    // Trimmed in place: this runs for every message written.
    let is_blank = |(line, _): &(&str, bool)| line.trim().is_empty();
    let end = lines
        .iter()
        .rposition(|line| !is_blank(line))
        .map_or(0, |last| last + 1);
    lines.truncate(end);
    let start = lines.iter().position(|line| !is_blank(line)).unwrap_or(0);
    lines.drain(..start);
    lines
}

/// `items` less the blank ones at either end.
pub fn trim_blank<T>(items: &[T], is_blank: impl Fn(&T) -> bool) -> &[T] {
    let first = items.iter().position(|item| !is_blank(item));
    let last = items.iter().rposition(|item| !is_blank(item));
    match (first, last) {
        (Some(first), Some(last)) => &items[first..=last],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_lines_keep_code_fences_as_written() {
        let lines = body_lines("\n  \na  \n```  \ncode  \n```\nb\t\n \n");
        assert_eq!(
            lines,
            [
                ("a", false),
                ("```  ", true),
                ("code  ", true),
                ("```", true),
                ("b", false)
            ]
        );
    }
}
