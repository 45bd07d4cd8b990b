//! Byte offsets to 1-based lines and character columns.
//!
//! The model stores byte offsets only; a [`LineIndex`] is built once per file,
//! when the first position has to be shown to a person.
//!
//! Lines end as CommonMark ends them: at LF, at CRLF, or at a lone CR. The
//! parser ([`next_line_break`]), the line index, the rules and the fix
//! engine's verification all use this one definition.

/// Where the line that starts at `from` ends: `(content_end, next_start)`,
/// the end of its text (before its line break) and where the next line
/// starts (after LF, CRLF or a lone CR). Without a line break both are
/// `text.len()`.
pub fn next_line_break(bytes: &[u8], from: usize) -> (usize, usize) {
    match memchr::memchr2(b'\n', b'\r', bytes.get(from..).unwrap_or_default()) {
        None => (bytes.len(), bytes.len()),
        Some(i) => {
            let at = from + i;
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                (at, at + 2)
            } else {
                (at, at + 1)
            }
        }
    }
}

/// The lines of a text without their line breaks, as CommonMark splits them
/// (`str::lines` does not split at a lone CR).
pub fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let (end, next) = next_line_break(bytes, at);
        let line = &text[at..end];
        at = next;
        Some(line)
    })
}

/// The number of line breaks (LF, CRLF and lone CR each count once).
pub fn count_line_breaks(bytes: &[u8]) -> usize {
    let mut count = 0;
    let mut at = 0;
    while at < bytes.len() {
        let (end, next) = next_line_break(bytes, at);
        if end == bytes.len() {
            break;
        }
        count += 1;
        at = next;
    }
    count
}

/// Whether `offset` is where a line starts (the text's start, or just after a
/// line break; not between the CR and the LF of a CRLF).
pub fn is_line_start(bytes: &[u8], offset: usize) -> bool {
    offset == 0
        || match bytes.get(offset - 1) {
            Some(b'\n') => true,
            Some(b'\r') => bytes.get(offset) != Some(&b'\n'),
            _ => false,
        }
}

/// Whether `offset` is where a line's text ends: before a line break, or at
/// the end of the text.
pub fn is_line_end(bytes: &[u8], offset: usize) -> bool {
    match bytes.get(offset) {
        None => offset == bytes.len(),
        Some(b'\n') => offset == 0 || bytes[offset - 1] != b'\r',
        Some(b'\r') => true,
        _ => false,
    }
}

/// A 1-based line and a 1-based column counted in Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// The start offset of every line of a text.
#[derive(Debug)]
pub struct LineIndex {
    /// Byte offset at which each line starts; the first skips a BOM so
    /// that columns on the first line count what a reader sees.
    line_starts: LineStarts,
    /// The last offset whose column was counted, and that column: findings
    /// come in order, so the next column on the same line is counted from
    /// there, not from the line's start (a 900 KB line with thousands of
    /// findings would otherwise take quadratic time).
    last_column: std::sync::Mutex<(usize, usize)>,
}

impl Clone for LineIndex {
    fn clone(&self) -> Self {
        Self {
            line_starts: self.line_starts.clone(),
            last_column: std::sync::Mutex::new((usize::MAX, 0)),
        }
    }
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let bytes = text.as_bytes();
        // Without a carriage return, which nearly every file is, each LF
        // starts a line: a one-byte search with nothing to test after it,
        // and a count of LF bytes (the archive's tables in half the time).
        let line_starts = if memchr::memchr(b'\r', bytes).is_some() {
            let starts = || {
                memchr::memchr2_iter(b'\n', b'\r', bytes)
                    .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                    .map(|i| i + 1)
            };
            LineStarts::new(text.len(), 1 + starts().count(), bom, starts())
        } else {
            let count = 1 + memchr::memchr_iter(b'\n', bytes).count();
            let starts = memchr::memchr_iter(b'\n', bytes).map(|i| i + 1);
            LineStarts::new(text.len(), count, bom, starts)
        };
        Self {
            line_starts,
            last_column: std::sync::Mutex::new((usize::MAX, 0)),
        }
    }

    /// The number of lines (a final newline does not open another line of text,
    /// but an offset at the very end still maps to that last empty line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte offset at which the given 0-based line starts.
    pub fn line_start(&self, line0: usize) -> usize {
        self.line_starts
            .get(line0.min(self.line_starts.len() - 1))
            .unwrap_or(0)
    }

    /// The byte offset at which the given 0-based line's text ends (before
    /// its line break), found from where the next line starts: no scan of
    /// the line, however long. `bytes` is the indexed text.
    pub fn line_end(&self, bytes: &[u8], line0: usize) -> usize {
        match self.line_starts.get(line0 + 1) {
            Some(next) if next >= 2 && bytes.get(next - 2..next) == Some(b"\r\n") => next - 2,
            Some(next) => next - 1,
            None => bytes.len(),
        }
    }

    /// The 1-based line of a byte offset (past the end: the last line),
    /// without counting the characters to its column.
    pub fn line(&self, offset: usize) -> usize {
        self.line0(offset) + 1
    }

    fn line0(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line0) => line0,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// The 1-based line and column of a byte offset. Offsets inside a multi-byte
    /// character or past the end are clamped rather than trusted.
    pub fn line_column(&self, text: &str, offset: usize) -> LineColumn {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line0 = self.line0(offset);
        let start = self.line_starts.get(line0).unwrap_or(0).min(offset);
        // A poisoned memo only loses the shortcut.
        let mut last = self.last_column.lock().unwrap_or_else(|e| e.into_inner());
        let (last_offset, last_column) = *last;
        let column = if last_offset != usize::MAX && last_offset >= start && last_offset <= offset {
            last_column + text[last_offset..offset].chars().count()
        } else {
            text[start..offset].chars().count() + 1
        };
        *last = (offset, column);
        LineColumn {
            line: line0 + 1,
            column,
        }
    }
}

/// The start of each line, in 32 bits when the text is under 4 GiB.
#[derive(Debug, Clone)]
enum LineStarts {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl LineStarts {
    /// The table of `first` and `rest`, `count` starts in all (counted
    /// first, so that it is allocated once at its size), of a text of
    /// `len` bytes.
    fn new(len: usize, count: usize, first: usize, rest: impl Iterator<Item = usize>) -> Self {
        let starts = std::iter::once(first).chain(rest);
        match u32::try_from(len) {
            // Every offset fits in 32 bits: half the memory.
            Ok(_) => {
                let mut narrow = Vec::with_capacity(count);
                narrow.extend(starts.map(|start| start as u32));
                LineStarts::Narrow(narrow)
            }
            Err(_) => {
                let mut wide = Vec::with_capacity(count);
                wide.extend(starts);
                LineStarts::Wide(wide)
            }
        }
    }

    /// Never 0: the first line always starts somewhere.
    fn len(&self) -> usize {
        match self {
            LineStarts::Narrow(starts) => starts.len(),
            LineStarts::Wide(starts) => starts.len(),
        }
    }

    fn get(&self, line0: usize) -> Option<usize> {
        match self {
            LineStarts::Narrow(starts) => starts.get(line0).map(|&start| start as usize),
            LineStarts::Wide(starts) => starts.get(line0).copied(),
        }
    }

    fn binary_search(&self, offset: &usize) -> Result<usize, usize> {
        match self {
            LineStarts::Narrow(starts) => match u32::try_from(*offset) {
                Ok(offset) => starts.binary_search(&offset),
                // Past every start (they all fit in 32 bits).
                Err(_) => Err(starts.len()),
            },
            LineStarts::Wide(starts) => starts.binary_search(offset),
        }
    }
}

/// The largest char boundary not after `offset`.
pub(crate) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        /// With or without carriage returns, a line starts after each line
        /// break that `next_line_break` finds, and nowhere else.
        #[test]
        fn line_starts_follow_next_line_break(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "\n", "\r", "\r\n", "\t", "a", " ", "你好", "\u{feff}", "> 07:50:02  右军",
                ]),
                0..40,
            ),
        ) {
            let text: String = pieces.concat();
            let bytes = text.as_bytes();
            let mut starts = vec![if text.starts_with('\u{feff}') { 3 } else { 0 }];
            let mut at = 0;
            while at < bytes.len() {
                let (end, next) = next_line_break(bytes, at);
                if end == bytes.len() {
                    break;
                }
                starts.push(next);
                at = next;
            }
            let index = LineIndex::new(&text);
            let indexed: Vec<usize> = (0..index.line_count()).map(|line0| index.line_start(line0)).collect();
            proptest::prop_assert_eq!(indexed, starts, "{:?}", text);
        }
    }

    #[test]
    fn line_end_is_where_the_line_break_starts() {
        for text in [
            "\u{feff}ab\r\n你好x\n\n末",
            "a\rb\r\nc\nd\r",
            "",
            "\n",
            "x\r\n",
        ] {
            let index = LineIndex::new(text);
            for line0 in 0..index.line_count() {
                let start = index.line_start(line0);
                assert_eq!(
                    index.line_end(text.as_bytes(), line0),
                    next_line_break(text.as_bytes(), start).0,
                    "{text:?} line {line0}"
                );
            }
        }
    }

    #[test]
    fn line_is_the_line_of_line_column() {
        let text = "\u{feff}ab\r\n你好x\n\n末";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line(offset),
                index.line_column(text, offset).line,
                "{offset}"
            );
        }
    }

    #[test]
    fn a_lone_cr_ends_a_line_as_lf_and_crlf_do() {
        let text = "a\rb\r\nc\nd\r";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 5);
        assert_eq!(
            index.line_column(text, 2),
            LineColumn { line: 2, column: 1 }
        );
        assert_eq!(
            index.line_column(text, 5),
            LineColumn { line: 3, column: 1 }
        );
        assert_eq!(
            index.line_column(text, 7),
            LineColumn { line: 4, column: 1 }
        );
        assert_eq!(count_line_breaks(text.as_bytes()), 4);
        assert_eq!(next_line_break(text.as_bytes(), 2), (3, 5));
        assert!(is_line_start(text.as_bytes(), 2));
        assert!(!is_line_start(text.as_bytes(), 4), "between CR and LF");
        assert!(is_line_end(text.as_bytes(), 3));
        assert!(!is_line_end(text.as_bytes(), 4), "between CR and LF");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "ab\n你好x\n";
        let index = LineIndex::new(text);
        assert_eq!(
            index.line_column(text, 0),
            LineColumn { line: 1, column: 1 }
        );
        assert_eq!(
            index.line_column(text, 3),
            LineColumn { line: 2, column: 1 }
        );
        // "x" is after two 3-byte characters.
        assert_eq!(
            index.line_column(text, 9),
            LineColumn { line: 2, column: 3 }
        );
        assert_eq!(
            index.line_column(text, text.len()),
            LineColumn { line: 3, column: 1 }
        );
    }

    #[test]
    fn columns_counted_from_the_last_one_are_the_columns_counted_whole() {
        let text = "ab你好\ncd\r末e&amp;&amp;\n";
        let index = LineIndex::new(text);
        let fresh = |offset| LineIndex::new(text).line_column(text, offset);
        // In order, backwards, and jumping between lines.
        let offsets: Vec<usize> = (0..=text.len())
            .chain((0..=text.len()).rev())
            .chain([3, 12, 4, 20, 1])
            .collect();
        for offset in offsets {
            assert_eq!(index.line_column(text, offset), fresh(offset), "{offset}");
        }
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}> 07:50:02  a";
        let index = LineIndex::new(text);
        assert_eq!(
            index.line_column(text, 3),
            LineColumn { line: 1, column: 1 }
        );
        assert_eq!(
            index.line_column(text, 5),
            LineColumn { line: 1, column: 3 }
        );
    }

    #[test]
    fn offsets_inside_a_character_are_clamped() {
        let text = "你好";
        let index = LineIndex::new(text);
        assert_eq!(
            index.line_column(text, 1),
            LineColumn { line: 1, column: 1 }
        );
        assert_eq!(
            index.line_column(text, 99),
            LineColumn { line: 1, column: 3 }
        );
    }
}
