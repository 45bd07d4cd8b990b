//! What a `convert` run tells: each problem, then (unless quiet, and when
//! writing files) the summary.

use std::io::Write;

use super::{ConvertOptions, ConvertRun};
use crate::convert::pseudonymize::Replaced;

/// What `--pseudonymize` replaced, in a sentence.
fn describe_replaced(replaced: &Replaced) -> String {
    format!(
        "Pseudonymized: {} speakers, {} mentions, {} names in text; masked {} phone numbers, \
         {} e-mail addresses, {} WeChat IDs, {} by --mask.",
        replaced.speakers,
        replaced.mentions,
        replaced.in_text,
        replaced.phones,
        replaced.emails,
        replaced.wechat_ids,
        replaced.patterns
    )
}

/// Problems, then the summary if asked for. A closed or failing stream
/// for messages stops nothing.
pub(super) fn report(
    options: &ConvertOptions,
    summary: bool,
    done: &ConvertRun,
    out: &mut dyn Write,
) {
    for (name, notice) in &done.notices {
        if notice.line == 0 {
            let _ = writeln!(out, "{name}: {}", notice.message);
        } else {
            let _ = writeln!(out, "{name}:{}: {}", notice.line, notice.message);
        }
    }
    for failed in &done.failures {
        let failure = &failed.failure;
        if failure.names_the_input(&failed.name, failed.output.as_deref()) {
            let _ = writeln!(out, "failed: {failure}");
        } else {
            let _ = writeln!(out, "failed: {}: {failure}", failed.name);
        }
    }
    if let (Some(replaced), false) = (&done.replaced, options.quiet) {
        let _ = writeln!(out, "{}", describe_replaced(replaced));
    }
    if !summary {
        return;
    }
    for reason in &done.skipped {
        let _ = writeln!(out, "skipped: {reason}");
    }
    if !done.notices.is_empty() {
        let files: std::collections::HashSet<&str> =
            done.notices.iter().map(|(name, _)| name.as_str()).collect();
        let _ = writeln!(
            out,
            "Changed by the conversion (see above): {} places in {} files.",
            done.notices.len(),
            files.len(),
        );
    }
    let _ = writeln!(
        out,
        "Converted {}, skipped {}, failed {} (to {}).",
        done.converted,
        done.skipped.len(),
        done.failures.len(),
        options.to.extension(),
    );
}
