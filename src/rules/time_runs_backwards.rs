use super::time_order::{OutOfPlace, Reading};
use super::{declare_rule, Context, RetiredOption, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Finds a message out of order: earlier than the message before it,
    /// after which the times go back up. With full-date headers
    /// (`> YYYY-MM-DD HH:MM:SS`) the date and time are compared; under
    /// `## YYYY-MM-DD` day headings each day starts afresh. With time-only
    /// headers, a drop reads as messages out of place when no more than five
    /// messages after it are earlier than the time before it (the times go
    /// back up: `14:02`, `09:15`, `14:05`), or no more than five before it
    /// are later than the time after it (they stand out: `09:00`, `23:00`,
    /// `09:10`). A drop with more on both sides, after which the chat goes
    /// on forward, is a new day instead, reported by `missing-day-heading`
    /// (CL004), whatever its size.
    ///
    /// A drop within five messages of the end of the file (or of a day,
    /// before a heading), or after no more than the first five messages,
    /// has nothing on that side to tell the two apart: it is reported here,
    /// and the message says so.
    ///
    /// ## Why is this bad?
    /// A transcript is one chat in the order it happened. A time earlier than
    /// the message before it is a typo in the header or a message pasted in the
    /// wrong place; either way readers and converters get the order wrong.
    ///
    /// ## Example
    /// ```markdown
    /// > 14:02:00  甲
    /// > 09:15:00  乙
    /// > 14:05:10  丙
    /// ```
    ///
    /// ## Fix safety
    /// No fix: whether the time or the position is wrong, only the writer knows.
    pub struct TimeRunsBackwards {
        code: "CL002",
        name: "time-runs-backwards",
        severity: Warning,
        fix: None,
        retired_options: &[RetiredOption {
            name: "midnight-gap-hours",
            why: "a drop in time is no longer read by its size but by what follows it: \
                  when the chat goes on forward it is a new day, reported by \
                  `missing-day-heading`, and when the times go back up, a message out of order",
            instead: "Remove it; to leave new days unreported, ignore `missing-day-heading`",
        }],
    }
}

impl Rule for TimeRunsBackwards {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        for drop in context.time_drops() {
            let mut message = format!(
                "Time runs backwards: {} comes after {}",
                drop.when, drop.previous
            );
            let mut help =
                "Correct the header's time, or move the message to where it belongs".to_string();
            let messages = |n: usize| match n {
                1 => "message".to_string(),
                n => format!("{n} messages"),
            };
            match drop.reading {
                Reading::NewDay { .. } => continue,
                Reading::OutOfOrder(OutOfPlace::Dated) => {}
                Reading::OutOfOrder(OutOfPlace::Before(1)) => {
                    message.push_str(", which is later than the messages around it");
                }
                Reading::OutOfOrder(OutOfPlace::Before(n)) => message.push_str(&format!(
                    ": the {} before it are later than the messages around them",
                    messages(n)
                )),
                Reading::OutOfOrder(OutOfPlace::After(n)) => message.push_str(&format!(
                    ", and the times go back up after {}",
                    if n == 1 {
                        "it".to_string()
                    } else {
                        messages(n)
                    }
                )),
                Reading::AtTheEnd => {
                    message.push_str(", and nothing after it shows whether the times go back up");
                    help.push_str("; if a new day starts here, add its `## YYYY-MM-DD` heading");
                }
                Reading::AtTheStart => {
                    message.push_str(
                        ", and only the first messages of the day, before it, are later: \
                         nothing before them shows whether they are out of place",
                    );
                    help.push_str("; if a new day starts here, add its `## YYYY-MM-DD` heading");
                }
            }
            diagnostics.push(
                Diagnostic::new(&Self::META, drop.time_span.clone(), message)
                    .with_label("earlier than the message before")
                    .with_related(drop.previous_time_span.clone(), "previous message")
                    .with_help(help),
            );
        }
    }
}
