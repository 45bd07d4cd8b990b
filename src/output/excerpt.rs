//! The source text miette is shown: long lines cut around what is labelled.
//!
//! Transcripts hold pasted articles on one line, and a file may hold a
//! 6 MB line; a report must not print them whole. An [`Excerpt`] keeps every
//! line (so line numbers stay true) but replaces the parts of a long line far
//! from any label with `…`. Offsets are mapped between the file and the
//! excerpt, and the column miette prints for a finding is the file's own.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::SourceFile;

/// Lines up to this many characters are shown whole (the width unknown).
const MAX_LINE_CHARS: usize = 160;
/// How many characters to keep before the first and after the last label.
const CONTEXT_CHARS: usize = 40;
const ELLIPSIS: &str = "…";
/// What the report draws left of a source line: ` 1234 │ `, and a margin.
const GUTTER_COLUMNS: usize = 10;
/// However narrow the terminal, this many columns of a line are shown.
const MIN_LINE_COLUMNS: usize = 20;
/// Columns a tab takes (miette's tab width).
const TAB_COLUMNS: usize = 4;

/// How long a line may be before it is cut, and how it is measured: in
/// characters when the width is not known (a file, a pipe), in the
/// terminal's columns when it is (a CJK character takes two).
#[derive(Debug, Clone, Copy)]
struct Fit {
    max: usize,
    context: usize,
    columns: bool,
}

impl Fit {
    const CHARACTERS: Fit = Fit {
        max: MAX_LINE_CHARS,
        context: CONTEXT_CHARS,
        columns: false,
    };

    /// Source lines cut to fit a report `width` columns wide.
    fn for_width(width: Option<usize>) -> Self {
        match width {
            None => Self::CHARACTERS,
            Some(width) => {
                let max = width.saturating_sub(GUTTER_COLUMNS).max(MIN_LINE_COLUMNS);
                Fit {
                    max,
                    context: max / 4,
                    columns: true,
                }
            }
        }
    }

    /// The length of one character.
    fn of(self, c: char) -> usize {
        if !self.columns {
            1
        } else if c == '\t' {
            TAB_COLUMNS
        } else {
            unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
        }
    }

    /// Whether `line` is longer than a line may be. A character takes at
    /// least one byte and at most 4 columns (a tab), and at most 4 bytes:
    /// a line short enough in bytes is short, and one long enough in bytes
    /// is long, without measuring it (measuring a 900 KB line for each of
    /// its findings took quadratic time).
    fn too_long(self, line: &str) -> bool {
        let most_per_byte = if self.columns { TAB_COLUMNS } else { 1 };
        most_per_byte * line.len() > self.max
            && (line.len() > 4 * self.max || self.measure(line) > self.max)
    }

    fn measure(self, text: &str) -> usize {
        text.chars().map(|c| self.of(c)).sum()
    }

    /// The offset `n` lengths after `from` (or the end).
    fn forward(self, text: &str, from: usize, n: usize) -> usize {
        let mut taken = 0;
        for (i, c) in text[from..].char_indices() {
            taken += self.of(c);
            if taken > n {
                return from + i;
            }
        }
        text.len()
    }

    /// The offset `n` lengths before `from` (or 0).
    fn back(self, text: &str, from: usize, n: usize) -> usize {
        let mut taken = 0;
        let mut at = from;
        for (i, c) in text[..from].char_indices().rev() {
            taken += self.of(c);
            if taken > n {
                break;
            }
            at = i;
        }
        at
    }

    /// How much to keep each side of labels spanning `labelled`: in
    /// columns, what the line's room leaves, split in two.
    fn context(self, labelled: &str) -> usize {
        if !self.columns {
            return self.context;
        }
        let span = if labelled.len() > 4 * self.max {
            self.max
        } else {
            self.measure(labelled)
        };
        (self.max.saturating_sub(span + 2) / 2).max(4)
    }

    /// How much of a long line without a label to keep.
    fn unlabelled(self) -> usize {
        if self.columns {
            self.max - 1
        } else {
            self.max / 2
        }
    }
}

/// A run of bytes shared by the file and the excerpt.
#[derive(Debug, Clone, Copy)]
struct Segment {
    original: usize,
    excerpt: usize,
    len: usize,
}

#[derive(Debug)]
pub struct Excerpt<'a> {
    source: &'a SourceFile,
    /// The lines from one before the first label to one after the last.
    text: String,
    /// The 0-based line of the file at which `text` starts.
    first_line: usize,
    /// Sorted by both offsets; the gaps between them are the `…`s.
    segments: Vec<Segment>,
}

impl<'a> Excerpt<'a> {
    /// The lines around `offsets` (one line of context, as miette shows),
    /// long ones cut: around the labels on a labelled line, after its start
    /// on a line of context.
    #[cfg(test)]
    pub fn new(source: &'a SourceFile, offsets: &[usize]) -> Self {
        Self::fitted(source, offsets, None)
    }

    /// As [`Excerpt::new`], lines cut to fit a report `width` columns wide
    /// when it is known.
    pub fn fitted(source: &'a SourceFile, offsets: &[usize], width: Option<usize>) -> Self {
        let fit = Fit::for_width(width);
        let original = source.text();
        let index = source.line_index();
        let line_of = |offset: usize| source.line_index().line(offset) - 1;
        // Offsets come from findings, which rules make on character
        // boundaries within the text; clamped to that anyway, so that no
        // slice below can fall outside the text or inside a character.
        let mut offsets: Vec<usize> = offsets
            .iter()
            .map(|&offset| floor_char_boundary(original, offset))
            .collect();
        offsets.sort_unstable();
        let first_line = offsets.first().map_or(0, |&o| line_of(o)).saturating_sub(1);
        // A line index always holds the first line: `line_count() - 1` is
        // at least 0.
        let last_line = (offsets.last().map_or(0, |&o| line_of(o)) + 1).min(index.line_count() - 1);

        let mut excerpt = Self {
            source,
            // Room for the lines shown whole (long ones are cut to less).
            text: String::with_capacity(
                index
                    .line_start(last_line + 1)
                    .saturating_sub(index.line_start(first_line))
                    .min(4096),
            ),
            first_line,
            segments: Vec::new(),
        };
        let region_start = if first_line == 0 {
            0
        } else {
            index.line_start(first_line)
        };
        let mut copied = region_start;
        for line in first_line..=last_line {
            let line_start = if line == 0 { 0 } else { index.line_start(line) };
            // From the index: scanning a 900 KB line for its end for each of
            // its findings took quadratic time.
            let line_end = index.line_end(original.as_bytes(), line);
            let content = &original[line_start..line_end];
            if !fit.too_long(content) {
                continue;
            }
            let labels: Vec<usize> = offsets
                .iter()
                .copied()
                .filter(|&o| o >= line_start && o <= line_end)
                .collect();
            let (keep_from, keep_to) = match labels.as_slice() {
                [] => (
                    line_start,
                    fit.forward(original, line_start, fit.unlabelled()),
                ),
                [first, .., last] | [first @ last] => {
                    let context = fit.context(&original[*first..*last]);
                    let from = fit.back(original, *first, context).max(line_start);
                    // Keep the line's start when the label is near it.
                    // (Measured only when that part is short in bytes, so
                    // that a long line is not measured for each finding.)
                    let near_start = from - line_start <= 4 * context
                        && fit.measure(&original[line_start..from]) <= context;
                    let from = if near_start { line_start } else { from };
                    (from, fit.forward(original, *last, context).min(line_end))
                }
            };
            excerpt.copy(copied, line_start);
            if keep_from > line_start {
                excerpt.text.push_str(ELLIPSIS);
            }
            excerpt.copy(keep_from, keep_to);
            if keep_to < line_end {
                excerpt.text.push_str(ELLIPSIS);
            }
            copied = line_end;
        }
        let region_end = if last_line + 1 < index.line_count() {
            index.line_start(last_line + 1)
        } else {
            original.len()
        };
        excerpt.copy(copied, region_end.max(copied));
        excerpt
    }

    fn copy(&mut self, from: usize, to: usize) {
        if to > from {
            self.segments.push(Segment {
                original: from,
                excerpt: self.text.len(),
                len: to - from,
            });
            let original = self.source.text();
            // miette ends lines at LF only: a lone CR, which ends a line for
            // chatlint as for CommonMark, is shown as an LF (one byte for
            // one, so offsets still map).
            let bytes = original.as_bytes();
            let mut at = from;
            for cr in memchr::memchr_iter(b'\r', &bytes[from..to]).map(|i| from + i) {
                if bytes.get(cr + 1) != Some(&b'\n') {
                    self.text.push_str(&original[at..cr]);
                    self.text.push('\n');
                    at = cr + 1;
                }
            }
            self.text.push_str(&original[at..to]);
        }
    }

    /// Where a file offset is in the excerpt (a cut offset maps to the `…`).
    pub fn to_excerpt(&self, original: usize) -> usize {
        let i = self
            .segments
            .partition_point(|s| s.original + s.len < original);
        match self.segments.get(i) {
            Some(s) if original >= s.original => s.excerpt + (original - s.original),
            Some(s) => s.excerpt.saturating_sub(ELLIPSIS.len()),
            None => self.text.len(),
        }
    }

    /// The text miette is shown.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 0-based line of the file at which the excerpt starts.
    pub fn first_line(&self) -> usize {
        self.first_line
    }

    /// The file's name, as the report shows it.
    pub fn name(&self) -> &str {
        self.source.name()
    }

    /// The 0-based column in the file, in characters, of an excerpt offset:
    /// what the report's `[file:line:column]` shows, less one.
    pub fn column(&self, excerpt: usize) -> usize {
        self.source.line_column(self.to_original(excerpt)).column - 1
    }

    /// Where an excerpt offset is in the file.
    fn to_original(&self, excerpt: usize) -> usize {
        let i = self
            .segments
            .partition_point(|s| s.excerpt + s.len < excerpt);
        match self.segments.get(i) {
            Some(s) if excerpt >= s.excerpt => s.original + (excerpt - s.excerpt),
            Some(s) => s.original,
            None => self.source.text().len(),
        }
    }
}

/// `offset`, at most the text's length, moved back to a character's start.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl SourceCode for Excerpt<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        // miette prints this column in the report's `[file:line:column]`:
        // it must be the file's, in characters, not the excerpt's.
        let column = if context_lines_before == 0 && context_lines_after == 0 {
            self.column(span.offset())
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.source.name().to_string(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_kept_whole() {
        let source = SourceFile::from_string("t", "a\nb\nc\nd\n");
        let excerpt = Excerpt::new(&source, &[4]);
        assert_eq!(excerpt.text, "b\nc\nd\n");
        assert_eq!(excerpt.first_line, 1);
        assert_eq!(excerpt.to_excerpt(4), 2);
        assert_eq!(excerpt.to_original(2), 4);
    }

    #[test]
    fn long_lines_are_cut_around_labels_and_offsets_map_back() {
        let long = "字".repeat(500);
        let text = format!("x\n{long}\ny\n");
        let source = SourceFile::from_string("t", text.clone());
        let label = 2 + 3 * 250; // the 251st character of line 2
        let excerpt = Excerpt::new(&source, &[label]);
        let lines: Vec<&str> = excerpt.text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(
            lines[1].starts_with(ELLIPSIS) && lines[1].ends_with(ELLIPSIS),
            "{}",
            lines[1]
        );
        assert!(lines[1].chars().count() < 100);
        let mapped = excerpt.to_excerpt(label);
        assert_eq!(&excerpt.text[mapped..mapped + 3], "字");
        assert_eq!(excerpt.to_original(mapped), label);
        assert_eq!(excerpt.to_excerpt(text.len() - 2), excerpt.text.len() - 2);

        // A long line of context is cut after its start.
        let text = format!("{long}\nx\n");
        let source = SourceFile::from_string("t", text.clone());
        let excerpt = Excerpt::new(&source, &[long.len() + 1]);
        assert!(excerpt.text.starts_with(&"字".repeat(MAX_LINE_CHARS / 2)));
        assert!(excerpt.text.lines().next().unwrap().ends_with(ELLIPSIS));
    }
}
