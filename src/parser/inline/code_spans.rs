//! `` `code` `` spans: the inline parser steps over them, and rules ask
//! where they are.

use crate::model::Span;

/// The byte ranges of the line's `` `code` `` spans, as the inline parser
/// skips them (an unclosed backtick run is text).
pub(crate) fn code_spans(content: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let runs = std::cell::OnceCell::new();
    let mut search = 0;
    while let Some(found) = memchr::memchr(b'`', &content.as_bytes()[search..]) {
        let at = search + found;
        let run = content[at..].bytes().take_while(|&b| b == b'`').count();
        let end = skip_code_span(content, runs.get_or_init(|| BacktickRuns::new(content)), at);
        if end > at + run {
            spans.push(at..end);
        }
        search = end;
    }
    spans
}

/// Past a `` `code` `` span (to the end of the next run of as many
/// backticks), or past the backtick run when it is not closed.
pub(super) fn skip_code_span(content: &str, runs: &BacktickRuns, at: usize) -> usize {
    let run = content[at..].bytes().take_while(|&b| b == b'`').count();
    let after = at + run;
    runs.next_of_length(run, after)
        .map_or(after, |start| start + run)
}

/// The runs of backticks of one line by their length, found in one pass: a
/// run that no run of its length closes is found so by a lookup, not by a
/// scan to the end of the line (runs of ever more backticks would take time
/// growing with the line's length times their number).
pub(super) struct BacktickRuns {
    by_length: foldhash::HashMap<usize, Vec<usize>>,
}

impl BacktickRuns {
    pub(super) fn new(content: &str) -> Self {
        let mut by_length: foldhash::HashMap<usize, Vec<usize>> = Default::default();
        let bytes = content.as_bytes();
        let mut iter = memchr::memchr_iter(b'`', bytes).peekable();
        while let Some(start) = iter.next() {
            let mut end = start + 1;
            while iter.next_if_eq(&end).is_some() {
                end += 1;
            }
            by_length.entry(end - start).or_default().push(start);
        }
        Self { by_length }
    }

    /// Where the first whole run of `length` backticks at or after `from`
    /// starts.
    fn next_of_length(&self, length: usize, from: usize) -> Option<usize> {
        let starts = self.by_length.get(&length)?;
        starts.get(starts.partition_point(|&at| at < from)).copied()
    }
}
