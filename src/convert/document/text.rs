//! A message text's lines: what the document keeps of each, and what the
//! Markdown writes.

use crate::layout::unblank_range;
pub use crate::layout::{canonical_line, trim_blank};
use crate::parser::FenceState;

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
    let kept = unblank_range(&lines, |(line, _)| line.trim().is_empty());
    lines.truncate(kept.end);
    lines.drain(..kept.start);
    lines
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
