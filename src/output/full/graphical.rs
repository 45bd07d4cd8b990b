//! Draws a finding byte for byte as miette 7's `GraphicalReportHandler`
//! does (set up as in [`super::with_miette::handler`]), several times faster:
//! no trait objects, no text copied line by line, each label's text split
//! and styled once, everything written straight into the output.
//!
//! It ports what chatlint's findings reach of `handlers/graphical.rs`
//! (`render_header`, `render_causes`, `render_snippets`, `render_context`,
//! `render_single_line_highlights`, `write_label_text`, `render_footer`,
//! `wrap`: no cause chain, no wrapping), for one shape of finding:
//!
//! - every label sits on one line (miette's "single-line" spans: no label
//!   runs over a line break into the next line, so no gutter is drawn);
//! - no label's text has a line break (miette draws those in parts);
//! - no two labels start at the same offset (miette sorts the labels by
//!   offset with an unstable sort: their order would be its sort's).
//!
//! Anything else, and any span miette could not read, is left to miette
//! ([`render`] returns `false`). `tests/full_renderer.rs` draws every
//! finding of the corpus and of random transcripts both ways and compares
//! the bytes.

use std::sync::OnceLock;

use miette::ThemeCharacters;

use super::super::excerpt::Excerpt;
use super::snippet::{self, Line};
use super::{excerpt_labels, help_text, with_miette, Color, ExcerptLabel};
use crate::diagnostic::{Diagnostic, Severity};

/// An owo-colors style as what it writes before and after the text it
/// styles (nothing at all for a plain style).
struct Paint {
    prefix: String,
    suffix: String,
}

impl Paint {
    fn push(&self, out: &mut String, text: &str) {
        out.push_str(&self.prefix);
        out.push_str(text);
        out.push_str(&self.suffix);
    }

    /// `text` styled, as a string.
    fn styled(&self, text: &str) -> String {
        let mut out = String::new();
        self.push(&mut out, text);
        out
    }
}

/// `Paint` of an `owo_colors::Style` (a macro: the type is owo-colors', which
/// chatlint does not name).
macro_rules! paint {
    ($style:expr) => {
        Paint {
            prefix: $style.prefix_formatter().to_string(),
            suffix: $style.suffix_formatter().to_string(),
        }
    };
}

/// How a severity looks: its style and the indents of the message's lines.
struct SeverityLook {
    paint: Paint,
    /// `"  × "`, the icon styled.
    first_indent: String,
    /// `"  │ "`, the bar styled.
    rest_indent: String,
}

/// miette's theme, its styles turned into text once.
pub(super) struct Theme {
    chars: ThemeCharacters,
    error: SeverityLook,
    warning: SeverityLook,
    link: Paint,
    linum: Paint,
    highlights: Vec<Paint>,
    /// `"  help: "`, styled.
    help_indent: String,
}

impl Theme {
    /// The theme of a colour choice, made once.
    pub(super) fn of(color: Color) -> &'static Theme {
        static NEVER: OnceLock<Theme> = OnceLock::new();
        static ALWAYS: OnceLock<Theme> = OnceLock::new();
        let cell = match color {
            Color::Never => &NEVER,
            Color::Always => &ALWAYS,
        };
        cell.get_or_init(|| Theme::new(color))
    }

    fn new(color: Color) -> Self {
        let theme = with_miette::theme(color);
        let styles = &theme.styles;
        let chars = theme.characters.clone();
        let look = |paint: Paint, icon: &str| SeverityLook {
            first_indent: format!("  {} ", paint.styled(icon)),
            rest_indent: format!("  {} ", paint.styled(&chars.vbar.to_string())),
            paint,
        };
        Self {
            error: look(paint!(styles.error), &chars.error),
            warning: look(paint!(styles.warning), &chars.warning),
            link: paint!(styles.link),
            linum: paint!(styles.linum),
            highlights: styles.highlights.iter().map(|s| paint!(s)).collect(),
            help_indent: paint!(styles.help).styled("  help: "),
            chars,
        }
    }
}

/// One snippet of the report (one `render_context`): its lines, and where
/// its header says it is (the primary label's 0-based line and column).
struct Snippet<'t> {
    lines: Vec<Line<'t>>,
    line: usize,
    column: usize,
}

/// Draws the finding as miette would, or returns `false` (having written
/// nothing) when its shape is one that only miette draws.
pub(super) fn render(theme: &Theme, d: &Diagnostic, excerpt: &Excerpt, out: &mut String) -> bool {
    let mut labels: Vec<ExcerptLabel> = excerpt_labels(d, excerpt).collect();
    labels.sort_unstable_by_key(|label| label.offset);
    let Some(snippets) = plan(&labels, excerpt) else {
        return false;
    };
    let look = match d.severity {
        Severity::Error => &theme.error,
        Severity::Warning => &theme.warning,
    };
    // render_header: the code, in the severity's style, and a blank line.
    out.push_str(&look.paint.prefix);
    out.push_str(d.rule.code);
    out.push(' ');
    out.push_str(d.rule.name);
    out.push_str(&look.paint.suffix);
    out.push_str("\n\n");
    // render_causes: the message (no cause chain: a finding has no source).
    wrap(out, &d.message, &look.first_indent, &look.rest_indent);
    out.push('\n');
    for snippet in &snippets {
        draw_snippet(theme, excerpt.name(), snippet, &labels, out);
    }
    // render_footer.
    if let Some(help) = help_text(d) {
        wrap(out, &help, &theme.help_indent, "        ");
        out.push('\n');
    }
    true
}

/// `render_snippets`' grouping of the labels into snippets, and what
/// `render_context` reads for each, or `None` for a shape left to miette.
fn plan<'t>(labels: &[ExcerptLabel], excerpt: &'t Excerpt) -> Option<Vec<Snippet<'t>>> {
    let same_offset = labels.windows(2).any(|w| w[0].offset == w[1].offset);
    let label_in_parts = labels
        .iter()
        .any(|label| label.text.is_some_and(|text| text.contains('\n')));
    if same_offset || label_in_parts {
        return None;
    }
    let text = excerpt.text();
    let bytes = text.as_bytes();
    // Each label's lines with one of context around; a label whose lines
    // reach those of the one before joins its snippet. (miette compares
    // the first line of one with the first line plus the line breaks read
    // of the other: the excerpt adds its first line to both.)
    let mut contexts: Vec<(usize, usize, snippet::Context)> = Vec::with_capacity(labels.len());
    for right in labels {
        // miette prints that it failed to read the label.
        let right_context = snippet::read_span(bytes, right.offset, right.len, 1, 1)?;
        if let Some(&(left_offset, left_len, left_context)) = contexts.last() {
            if left_context.line + left_context.line_count >= right_context.line {
                let end = (left_offset + left_len).max(right.offset + right.len);
                if let Some(joined) =
                    snippet::read_span(bytes, left_offset, end - left_offset, 1, 1)
                {
                    contexts.pop();
                    contexts.push((left_offset, end - left_offset, joined));
                    continue;
                }
            }
        }
        contexts.push((right.offset, right.len, right_context));
    }
    let mut snippets = Vec::with_capacity(contexts.len());
    for (offset, len, context) in contexts {
        let lines = snippet::lines(text, &context, excerpt.first_line())?;
        // A label over several lines is drawn in a gutter.
        let gutter = lines.iter().any(|line| {
            labels.iter().any(|l| {
                !snippet::line_only(line, l.offset, l.len)
                    && snippet::applies_gutter(line, l.offset, l.len)
            })
        });
        if gutter {
            return None;
        }
        let within = |l: &&ExcerptLabel| offset <= l.offset && l.offset + l.len <= offset + len;
        let primary = labels
            .iter()
            .filter(within)
            .find(|l| l.primary)
            .or_else(|| labels.iter().find(within))?;
        let at = snippet::read_span(bytes, primary.offset, primary.len, 0, 0)?;
        snippets.push(Snippet {
            lines,
            line: at.line + excerpt.first_line(),
            column: excerpt.column(primary.offset),
        });
    }
    Some(snippets)
}

/// `render_context` for a snippet without gutters.
fn draw_snippet(
    theme: &Theme,
    name: &str,
    snippet: &Snippet,
    labels: &[ExcerptLabel],
    out: &mut String,
) {
    let chars = &theme.chars;
    let width = digits(snippet.lines.last().map_or(0, |line| line.number));
    push_spaces(out, width + 2);
    out.push(chars.ltop);
    out.push(chars.hbar);
    out.push('[');
    out.push_str(&theme.link.prefix);
    out.push_str(name);
    out.push(':');
    push_number(out, snippet.line + 1);
    out.push(':');
    push_number(out, snippet.column + 1);
    out.push_str(&theme.link.suffix);
    out.push_str("]\n");
    let mut single_line = Vec::with_capacity(labels.len());
    for line in &snippet.lines {
        // write_linum, then the text, tabs as spaces.
        out.push(' ');
        out.push_str(&theme.linum.prefix);
        // `{:width$}`: right-aligned.
        push_spaces(out, width.saturating_sub(digits(line.number)));
        push_number(out, line.number);
        out.push_str(&theme.linum.suffix);
        out.push(' ');
        out.push(chars.vbar);
        out.push(' ');
        if line.text.contains('\t') {
            for (c, w) in snippet::char_widths(line.text) {
                if c == '\t' {
                    push_spaces(out, w);
                } else {
                    out.push(c);
                }
            }
        } else {
            out.push_str(line.text);
        }
        out.push('\n');
        single_line.clear();
        single_line.extend((0..labels.len()).filter(|&i| {
            let l = &labels[i];
            snippet::applies(line, l.offset, l.len) && snippet::line_only(line, l.offset, l.len)
        }));
        if !single_line.is_empty() {
            draw_highlights(theme, line, width, &single_line, labels, out);
        }
    }
    push_spaces(out, width + 2);
    out.push(chars.lbot);
    for _ in 0..4 {
        out.push(chars.hbar);
    }
    out.push('\n');
}

/// `render_single_line_highlights`: the underlines of the labels on a line
/// (`single` indexes `labels`, in order), then each one's text, the last
/// first, under bars down from the others.
fn draw_highlights(
    theme: &Theme,
    line: &Line,
    width: usize,
    single: &[usize],
    labels: &[ExcerptLabel],
    out: &mut String,
) {
    let chars = &theme.chars;
    let paint = |i: usize| &theme.highlights[i % theme.highlights.len()];
    write_no_linum(out, width, chars);
    let mut highest = 0;
    let mut vbars: Vec<(usize, usize)> = Vec::with_capacity(single.len());
    for &i in single {
        let label = &labels[i];
        let start = snippet::visual_offset(line, label.offset, true).max(highest);
        let end = if label.len == 0 {
            start + 1
        } else {
            snippet::visual_offset(line, label.offset + label.len, false).max(start + 1)
        };
        let vbar = (start + end) / 2;
        let paint = paint(i);
        out.push_str(&paint.prefix);
        push_spaces(out, start.saturating_sub(highest));
        push_repeated(out, chars.underline, vbar - start);
        out.push(if label.len == 0 {
            chars.uarrow
        } else if label.text.is_some() {
            chars.underbar
        } else {
            chars.underline
        });
        push_repeated(out, chars.underline, end - vbar - 1);
        out.push_str(&paint.suffix);
        highest = highest.max(end);
        vbars.push((i, vbar));
    }
    out.push('\n');
    for &i in single.iter().rev() {
        let Some(text) = labels[i].text else {
            continue;
        };
        // write_label_text
        write_no_linum(out, width, chars);
        let mut column = 1;
        for &(j, vbar) in &vbars {
            while column < vbar + 1 {
                out.push(' ');
                column += 1;
            }
            let paint = paint(j);
            if j != i {
                out.push_str(&paint.prefix);
                out.push(chars.vbar);
                out.push_str(&paint.suffix);
                column += 1;
            } else {
                out.push_str(&paint.prefix);
                out.push(chars.lbot);
                push_repeated(out, chars.hbar, 2);
                out.push(' ');
                paint.push(out, text);
                out.push_str(&paint.suffix);
                out.push('\n');
                break;
            }
        }
    }
}

/// `GraphicalReportHandler::wrap` without wrapping: each line indented, the
/// indent's trailing spaces dropped before a blank line.
fn wrap(out: &mut String, text: &str, initial_indent: &str, subsequent_indent: &str) {
    if !text.contains('\n') {
        // One line (nearly every message and help): `wrap_lines` without
        // splitting.
        if !text.is_empty() {
            let blank = text.trim().is_empty();
            out.push_str(if blank {
                initial_indent.trim_end()
            } else {
                initial_indent
            });
            out.push_str(text);
        }
        return;
    }
    wrap_lines(out, text, initial_indent, subsequent_indent);
}

/// [`wrap`], line by line.
fn wrap_lines(out: &mut String, text: &str, initial_indent: &str, subsequent_indent: &str) {
    let trimmed_indent = subsequent_indent.trim_end();
    for (idx, line) in text.split_terminator('\n').enumerate() {
        if idx > 0 {
            out.push('\n');
        }
        let blank = line.trim().is_empty();
        out.push_str(match (idx == 0, blank) {
            (true, true) => initial_indent.trim_end(),
            (true, false) => initial_indent,
            (false, true) => trimmed_indent,
            (false, false) => subsequent_indent,
        });
        out.push_str(line);
    }
    if text.ends_with('\n') {
        out.push('\n');
    }
}

fn write_no_linum(out: &mut String, width: usize, chars: &ThemeCharacters) {
    push_spaces(out, width + 1);
    out.push(' ');
    out.push(chars.vbar_break);
    out.push(' ');
}

/// How many digits `n` has in decimal.
fn digits(mut n: usize) -> usize {
    let mut digits = 1;
    while n >= 10 {
        n /= 10;
        digits += 1;
    }
    digits
}

fn push_spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                ";
    while n > 0 {
        let run = n.min(SPACES.len());
        out.push_str(&SPACES[..run]);
        n -= run;
    }
}

fn push_repeated(out: &mut String, c: char, n: usize) {
    out.extend(std::iter::repeat_n(c, n));
}

/// `n` in decimal, as `Display` writes it.
fn push_number(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&digit| char::from(digit)));
}

#[cfg(test)]
mod tests;
