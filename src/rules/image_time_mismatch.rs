use super::image_time::{alt_datetime, file_name_datetime, parts, seconds_apart};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;

declare_rule! {
    /// ## What it does
    /// For archive images, whose alt text is the time they were sent
    /// (`![2017-08-25 11:51:30](…/20170825_115130.png)`), checks that three
    /// times agree within `tolerance-seconds`: the alt time, the time in the
    /// file name (`YYYYMMDD_HHMMSS`), and the time in the message's header.
    ///
    /// ## Why is this bad?
    /// The exporter writes all three from one moment. When they disagree, the
    /// image was pasted into the wrong message, or its URL names another
    /// image: either way, what readers see is not what was sent.
    ///
    /// ## Example
    /// ```markdown
    /// > 11:51:30  happycoral
    ///
    /// ![2017-08-25 11:51:30](http://static.cocolian.cn/img/20170825_105130.png)
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which of the times is right, only the archive can say.
    pub struct ImageTimeMismatch {
        code: "CL202",
        name: "image-time-mismatch",
        severity: Warning,
        fix: None,
        options: ImageTimeMismatchOptions,
    }
}

/// The options of `image-time-mismatch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ImageTimeMismatchOptions {
    /// How far apart the times may be, in seconds.
    pub tolerance_seconds: u64,
}

impl Default for ImageTimeMismatchOptions {
    fn default() -> Self {
        Self {
            tolerance_seconds: 60,
        }
    }
}

impl Rule for ImageTimeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        let tolerance = Self::options(context.settings).tolerance_seconds;
        let text = context.text;
        for message in &context.transcript.messages {
            for image in message.images() {
                let (alt, url) = parts(text, image);
                let Some(alt_time) = alt_datetime(alt) else {
                    continue;
                };
                if let Some(file_time) = file_name_datetime(url) {
                    if seconds_apart(alt_time, file_time) > tolerance {
                        diagnostics.push(
                            Diagnostic::new(
                                &Self::META,
                                image.destination_span.clone(),
                                format!("Image file name's time differs from its alt time {alt}"),
                            )
                            .with_label("file name's time")
                            .with_related(image.alt_span.clone(), "alt time")
                            .with_help(
                                "The URL may name another image: check which one belongs here",
                            ),
                        );
                    }
                }
                if let Some(header_time) = message.header.time {
                    let apart = match message.header.valid_date() {
                        Some(header_date) => seconds_apart(alt_time, (header_date, header_time)),
                        // A time-only header: the times of day, around the clock
                        // (23:59:59 and 00:00:05 are six seconds apart).
                        None => {
                            let day = 86_400;
                            let a = u64::from(alt_time.1.seconds_since_midnight());
                            let b = u64::from(header_time.seconds_since_midnight());
                            let d = a.abs_diff(b);
                            d.min(day - d)
                        }
                    };
                    if apart > tolerance {
                        diagnostics.push(
                                Diagnostic::new(&Self::META, image.alt_span.clone(), format!("Image alt time {alt} differs from its message's time {header_time}"))
                                    .with_label("alt time")
                                    .with_related(message.header.time_span.clone(), "message time")
                                    .with_help("The image may be in the wrong message"),
                            );
                    }
                }
            }
        }
    }
}
