use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{Date, Time, Transcript};

declare_rule! {
    /// ## What it does
    /// Checks that message times run forward through a file. With full-date
    /// headers (`> YYYY-MM-DD HH:MM:SS`) the date and time are compared; under
    /// `## YYYY-MM-DD` day headings each day starts afresh; with time-only
    /// headers, a drop of more than twelve hours (option `midnight-gap-hours`)
    /// reads as the chat passing midnight, not as time running backwards.
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
    /// ```
    ///
    /// ## Fix safety
    /// No fix: whether the time or the position is wrong, only the writer knows.
    pub struct TimeRunsBackwards {
        code: "CL002",
        name: "time-runs-backwards",
        severity: Warning,
        fix: None,
        options: TimeRunsBackwardsOptions,
    }
}

/// The options of `time-runs-backwards`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct TimeRunsBackwardsOptions {
    /// With time-only headers, a time more than this many hours earlier than
    /// the one before reads as the next day.
    pub midnight_gap_hours: u32,
}

impl Default for TimeRunsBackwardsOptions {
    fn default() -> Self {
        Self {
            midnight_gap_hours: 12,
        }
    }
}

impl Rule for TimeRunsBackwards {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        let transcript = context.transcript;
        let midnight_gap_seconds = Self::options(context.settings)
            .midnight_gap_hours
            .saturating_mul(3600);
        let mut headings = transcript.day_headings.iter().peekable();
        // The previous message's place in time, and its header's time span.
        let mut previous: Option<(Option<Date>, Time, std::ops::Range<usize>)> = None;
        for message in &transcript.messages {
            let header = &message.header;
            // A day heading between two messages starts a new day.
            let mut new_day = false;
            while headings
                .next_if(|h| h.span.start < header.span.start)
                .is_some()
            {
                new_day = true;
            }
            if new_day {
                previous = None;
            }
            let Some(time) = header.time else { continue };
            let date = header.valid_date();
            if let Some((previous_date, previous_time, previous_span)) = &previous {
                let backwards = match (date, previous_date) {
                    (Some(date), Some(previous_date)) => {
                        (date, time) < (*previous_date, *previous_time)
                    }
                    _ => {
                        let (now, before) = (
                            time.seconds_since_midnight(),
                            previous_time.seconds_since_midnight(),
                        );
                        now < before && before - now <= midnight_gap_seconds
                    }
                };
                if backwards {
                    let when = |d: Option<Date>, t: Time| match d {
                        Some(d) => format!("{d} {t}"),
                        None => t.to_string(),
                    };
                    diagnostics.push(
                        Diagnostic::new(
                            &Self::META,
                            header.time_span.clone(),
                            format!(
                                "Time runs backwards: {} comes after {}",
                                when(date, time),
                                when(*previous_date, *previous_time)
                            ),
                        )
                        .with_label("earlier than the message before")
                        .with_related(previous_span.clone(), "previous message")
                        .with_help(
                            "Correct the header's time, or move the message to where it belongs",
                        ),
                    );
                }
            }
            previous = Some((date, time, header.time_span.clone()));
        }
    }

    /// What the first message judged with a valid time is compared with:
    /// the last message before it with a valid time, unless a day heading
    /// comes in between. Enough when one of those two is in `transcript`.
    fn sees_enough_before(
        &self,
        transcript: &Transcript,
        start: usize,
        _settings: &crate::rules::Settings,
    ) -> bool {
        let Some(first_judged) = transcript
            .messages
            .iter()
            .find(|m| m.header.span.start >= start && m.header.time.is_some())
        else {
            return true;
        };
        let at = first_judged.header.span.start;
        transcript.day_headings.iter().any(|h| h.span.start < at)
            || transcript
                .messages
                .iter()
                .take_while(|m| m.header.span.start < start)
                .any(|m| m.header.time.is_some())
    }
}
