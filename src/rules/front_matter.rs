use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};
use crate::parser::{front_matter_fields, Field};

declare_rule! {
    /// ## What it does
    /// Checks the Jekyll front matter: that a transcript has one (a file with
    /// neither front matter nor messages is not a transcript and is skipped), that it is closed by
    /// `---`, that its YAML parses (the finding points at the error), that the
    /// keys in `required` are there (`layout`, `title` and `date` by default),
    /// that `date` is in Jekyll's `YYYY-MM-DD HH:MM:SS` form, and that the date
    /// agrees between the file name (`YYYY-MM-DD-chat.markdown`), `title`
    /// (`"YYYY-MM-DD-WeChat"`) and `date`.
    ///
    /// ## Why is this bad?
    /// Jekyll builds the post from the front matter: without it the file is
    /// not a post, with invalid YAML the build fails, and a date that
    /// disagrees files the chat under the wrong day.
    ///
    /// ## Example
    /// In `2017-08-25-chat.markdown`:
    /// ```markdown
    /// ---
    /// layout:     source
    /// title:      "2017-08-26-WeChat"
    /// date:       2017-08-25 12:00:00
    /// ---
    /// ```
    ///
    /// ## Fix safety
    /// Only the date disagreement has a fix, and it is unsafe: it writes the
    /// file name's date into `title` and `date`, but the file may be the one
    /// that is misnamed.
    pub struct FrontMatterRule {
        code: "CL601",
        name: "front-matter",
        severity: Error,
        fix: Sometimes,
        options: FrontMatterOptions,
    }
}

/// The options of `front-matter`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct FrontMatterOptions {
    /// Keys every front matter must have.
    pub required: Vec<String>,
}

impl Default for FrontMatterOptions {
    fn default() -> Self {
        Self {
            required: ["layout", "title", "date"].map(String::from).to_vec(),
        }
    }
}

impl Rule for FrontMatterRule {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        let text = context.text;
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let Some(front_matter) = &context.transcript.front_matter else {
            // A Markdown file with no messages either is not a transcript (a
            // README beside the posts): there is no post to speak of.
            if context.transcript.messages.is_empty() {
                return;
            }
            let first_line_end = crate::line_index::next_line_break(text.as_bytes(), start).0;
            diagnostics.push(
                Diagnostic::new(
                    &Self::META,
                    start..first_line_end,
                    "The file has no front matter",
                )
                .with_label("expected `---` here")
                .with_help(
                    "Start the file with `---`, the post's YAML (layout, title, date), and `---`",
                ),
            );
            return;
        };
        let opening = front_matter.span.start..front_matter.span.start + 3;
        if !front_matter.closed {
            diagnostics.push(
                Diagnostic::new(
                    &Self::META,
                    opening.clone(),
                    "The front matter is not closed",
                )
                .with_label("opened here, never closed by `---`")
                .with_help("Add a line `---` after the front matter's last key"),
            );
        }
        if let Some(err) = front_matter.yaml_error(text) {
            let at = err
                .offset
                .unwrap_or(front_matter.yaml_span.start)
                .min(text.len());
            let end = text[at..]
                .chars()
                .next()
                .filter(|c| *c != '\n')
                .map_or(at, |c| at + c.len_utf8());
            let mut diagnostic = Diagnostic::new(
                &Self::META,
                at..end,
                format!("The front matter is not valid YAML: {}", err.message),
            )
            .with_label("YAML error")
            .with_help("Jekyll cannot build a post whose front matter does not parse");
            if let Some(opened) = err.context_offset.filter(|&o| o < at) {
                let opened_end = text[opened..]
                    .chars()
                    .next()
                    .map_or(opened, |c| opened + c.len_utf8());
                diagnostic =
                    diagnostic.with_related(opened..opened_end, "while reading what starts here");
            }
            diagnostics.push(diagnostic);
            return;
        }
        let fields = front_matter_fields(text, front_matter);
        let field = |key: &str| fields.iter().find(|f| f.key == key);
        for key in &Self::options(context.settings).required {
            if field(key).is_none() {
                diagnostics.push(
                    Diagnostic::new(
                        &Self::META,
                        opening.clone(),
                        format!("The front matter has no `{key}`"),
                    )
                    .with_label("in this front matter")
                    .with_help(format!(
                        "Add `{key}:` (the option `required` lists the keys every post needs)"
                    )),
                );
            }
        }
        let date_field = field("date");
        if let Some(date) = date_field {
            let value = unquote(&text[date.value_span.clone()]);
            if !is_jekyll_datetime(value) {
                diagnostics.push(
                    Diagnostic::new(
                        &Self::META,
                        date.value_span.clone(),
                        format!("`date` is `{value}`, not `YYYY-MM-DD HH:MM:SS`"),
                    )
                    .with_label("not Jekyll's date form")
                    .with_help(
                        "Write the date as `YYYY-MM-DD HH:MM:SS`, e.g. `2017-08-25 12:00:00`",
                    ),
                );
            }
        }
        check_dates_agree(context, field("title"), date_field, diagnostics);
    }
}

fn unquote(value: &str) -> &str {
    value.trim().trim_matches(['"', '\''])
}

fn is_jekyll_datetime(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 19
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b' ',
            13 | 16 => *b == b':',
            _ => b.is_ascii_digit(),
        })
        && crate::parser::parse_date(&value[..10]).is_some()
}

/// A `YYYY-MM-DD` at the start of `text`.
fn leading_date(text: &str) -> Option<&str> {
    let date = text.get(..10)?;
    crate::parser::parse_date(date).map(|_| date)
}

fn check_dates_agree(
    context: &Context<'_>,
    title: Option<&Field>,
    date: Option<&Field>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let text = context.text;
    let file_date = context
        .path
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .and_then(leading_date);
    // Each date as written, with the span of its `YYYY-MM-DD`.
    let dated = |field: Option<&Field>| {
        let field = field?;
        let raw = &text[field.value_span.clone()];
        let quote = usize::from(raw.starts_with(['"', '\'']));
        let date = leading_date(&raw[quote..])?;
        let start = field.value_span.start + quote;
        Some((date, start..start + 10))
    };
    let (title_date, date_date) = (dated(title), dated(date));
    let written: Vec<(&str, &str, std::ops::Range<usize>)> =
        [("title", title_date), ("date", date_date)]
            .into_iter()
            .filter_map(|(key, d)| d.map(|(date, span)| (key, date, span)))
            .collect();
    match file_date {
        Some(file_date) => {
            let wrong: Vec<_> = written
                .iter()
                .filter(|(_, date, _)| *date != file_date)
                .collect();
            if let Some((key, date, span)) = wrong.first() {
                let edits = wrong
                    .iter()
                    .map(|(_, _, span)| Edit::replace(span.clone(), file_date))
                    .collect();
                let others: Vec<&str> = wrong.iter().skip(1).map(|(k, _, _)| *k).collect();
                let also = if others.is_empty() {
                    String::new()
                } else {
                    format!(" (and `{}`)", others.join("`, `"))
                };
                diagnostics.push(
                    Diagnostic::new(
                        &FrontMatterRule::META,
                        span.clone(),
                        format!("`{key}` says {date}{also} but the file name says {file_date}"),
                    )
                    .with_label("disagrees with the file name")
                    .with_help("The file name, `title` and `date` must give the same day")
                    .with_fix(Some(Fix::unsafe_edit(
                        format!("Use the file name's date {file_date}"),
                        edits,
                    ))),
                );
            }
        }
        None => {
            if let [(_, title_date, _), (_, date_date, span)] = written.as_slice() {
                if title_date != date_date {
                    diagnostics.push(
                        Diagnostic::new(
                            &FrontMatterRule::META,
                            span.clone(),
                            format!("`date` says {date_date} but `title` says {title_date}"),
                        )
                        .with_label("disagrees with the title")
                        .with_help("`title` and `date` must give the same day"),
                    );
                }
            }
        }
    }
}
