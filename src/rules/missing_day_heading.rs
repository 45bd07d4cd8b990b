use super::time_order::Reading;
use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};
use crate::layout::SEPARATOR;

declare_rule! {
    /// ## What it does
    /// Finds a new day that starts without its `## YYYY-MM-DD` heading: with
    /// time-only headers, a message earlier than the one before it after
    /// which the chat goes on forward (`18:28:19`, then `08:47:33` and on
    /// through the morning), as in exports of several days merged into one
    /// file. Whatever the size of the drop, midnight passed: a chat going on
    /// past midnight (`23:59`, `00:01`) is a new day too.
    ///
    /// It takes more than five messages on each side: after the drop,
    /// earlier than the time before it, and before it, later than the time
    /// after it. With fewer on either side the drop reads as messages out
    /// of place (`14:02`, `09:15`, `14:05`), for `time-runs-backwards`
    /// (CL002), and so it does when the file (or the day, before a heading)
    /// ends within five messages of it. Day
    /// headings that are there start each day afresh, and full-date headers
    /// (`> 2017-05-06 08:00:00`) carry their own date: neither needs one.
    ///
    /// ## Why is this bad?
    /// Every message after the drop is dated a day early: by readers, who
    /// see one day, and by `convert`, which gives each message the date of
    /// the heading above it, else the file's date.
    ///
    /// ## Example
    /// In `2017-12-09-chat.md`, a day's messages through to the evening,
    /// then the next morning's:
    /// ```markdown
    /// > 18:28:19  甲
    /// > 08:47:33  乙
    /// > 09:02:10  丙
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// > 18:28:19  甲
    /// ## 2017-12-10
    /// > 08:47:33  乙
    /// > 09:02:10  丙
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix inserts the heading, a separator line after it, before
    /// the message, dated the day after the date above: the day heading
    /// before it, the full date of a header, the file's date (its front
    /// matter's `date`, else its file name's), each new day found since
    /// counting one more. A day with no message in the file, or a stray
    /// message that the times around it make look like a morning, would be
    /// dated wrong, which only the writer can tell. When the file gives no
    /// date at all there is no fix.
    pub struct MissingDayHeading {
        code: "CL004",
        name: "missing-day-heading",
        severity: Warning,
        fix: Sometimes,
    }
}

impl Rule for MissingDayHeading {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        for drop in context.time_drops() {
            let Reading::NewDay { date } = drop.reading else {
                continue;
            };
            let diagnostic = Diagnostic::new(
                &Self::META,
                drop.time_span.clone(),
                format!(
                    "A new day starts without a day heading: {} comes after {} and the \
                     chat goes on from there",
                    drop.when, drop.previous
                ),
            )
            .with_related(drop.previous_time_span.clone(), "the day before ends here");
            let diagnostic = match date {
                Some(date) => {
                    let eol = line_ending_at(context.text, drop.header.end);
                    diagnostic
                        .with_label(format!("the next day, {date}"))
                        .with_help(format!(
                            "Add the day heading `## {date}` before this message"
                        ))
                        .with_fix(Some(Fix::unsafe_edit(
                            format!("Insert `## {date}` before the message"),
                            vec![Edit::insert(
                                drop.header.start,
                                format!("## {date}{eol}{SEPARATOR}{eol}"),
                            )],
                        )))
                }
                None => diagnostic.with_label("the next day").with_help(
                    "Add the new day's `## YYYY-MM-DD` heading before this message (the file \
                     gives no date to count from: no front matter `date`, no date in its name)",
                ),
            };
            diagnostics.push(diagnostic);
        }
    }
}

/// The line break after the line that ends at `end`: the same kind for a
/// line inserted before it (LF when the line is the last, without one).
fn line_ending_at(text: &str, end: usize) -> &'static str {
    let rest = &text.as_bytes()[end..];
    match rest {
        [b'\r', b'\n', ..] => "\r\n",
        [b'\r', ..] => "\r",
        _ => "\n",
    }
}
