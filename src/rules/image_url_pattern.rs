use super::image_time::{alt_datetime, parts};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};
use crate::model::{Date, Time};

declare_rule! {
    /// ## What it does
    /// With the option `image-url-template` set, checks that every archive
    /// image (one whose alt text is its send time, `YYYY-MM-DD HH:MM:SS`)
    /// points where the template says, filled in from that time:
    /// `{yyyy}`, `{MM}`, `{dd}`, `{HH}`, `{mm}`, `{ss}`. For example
    /// `http://static.cocolian.org/img/{yyyy}{MM}/{yyyy}{MM}{dd}_{HH}{mm}{ss}.png`.
    /// Without the option the rule does nothing.
    ///
    /// ## Why is this bad?
    /// Archives move: hosts change and images get reshuffled into folders,
    /// and every older URL breaks at once. This rule moves them all in one
    /// `chatlint check --fix`.
    ///
    /// ## Example
    /// With the template above:
    /// ```markdown
    /// ![2017-08-25 11:51:30](http://static.cocolian.cn/img/20170825_115130.png)
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// ![2017-08-25 11:51:30](http://static.cocolian.org/img/201708/20170825_115130.png)
    /// ```
    ///
    /// ## Fix safety
    /// Safe when the URL's file name is the one the template gives (only the
    /// host or folder moved); unsafe when the file name differs too, as the
    /// URL may then name another image (see `image-time-mismatch`).
    pub struct ImageUrlPattern {
        code: "CL203",
        name: "image-url-pattern",
        severity: Warning,
        fix: Always,
        options: ImageUrlPatternOptions,
    }
}

/// The options of `image-url-pattern`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ImageUrlPatternOptions {
    /// Where archive images live, with {yyyy} {MM} {dd} {HH} {mm} {ss} from
    /// the alt time, e.g.
    /// `http://static.cocolian.org/img/{yyyy}{MM}/{yyyy}{MM}{dd}_{HH}{mm}{ss}.png`;
    /// empty: the rule is off.
    pub image_url_template: String,
}

impl Rule for ImageUrlPattern {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        let template = &Self::options(context.settings).image_url_template;
        if template.is_empty() {
            return;
        }
        let text = context.text;
        for image in context.transcript.images() {
            let (alt, url) = parts(text, image);
            let Some(when) = alt_datetime(alt) else {
                continue;
            };
            let expected = fill(template, when);
            if url == expected {
                continue;
            }
            let same_file = url.rsplit('/').next() == expected.rsplit('/').next();
            let title = "Point the image at the template's URL";
            let edit = vec![Edit::replace(
                image.destination_span.clone(),
                expected.clone(),
            )];
            let fix = if same_file {
                Fix::safe(title, edit)
            } else {
                Fix::unsafe_edit(title, edit)
            };
            diagnostics.push(
                Diagnostic::new(
                    &Self::META,
                    image.destination_span.clone(),
                    "Image URL does not follow the archive's template",
                )
                .with_label(format!("expected {expected}"))
                .with_help(format!(
                    "The template gives `{expected}` for an image sent at {alt}"
                ))
                .with_fix(Some(fix)),
            );
        }
    }
}

/// The template with the date and time filled in.
pub(crate) fn fill(template: &str, (date, time): (Date, Time)) -> String {
    template
        .replace("{yyyy}", &format!("{:04}", date.year))
        .replace("{MM}", &format!("{:02}", date.month))
        .replace("{dd}", &format!("{:02}", date.day))
        .replace("{HH}", &format!("{:02}", time.hour))
        .replace("{mm}", &format!("{:02}", time.minute))
        .replace("{ss}", &format!("{:02}", time.second))
}
