//! `--online` in a check run: the images of every file that
//! `unreachable-image` is on for, each with whether a suppression comment
//! covers it, checked at once before any file is checked.

use std::collections::HashSet;

use rayon::prelude::*;

use super::file::{Loaded, Outcome};
use crate::online::{self, ImageUse, OnlineSettings, Verdicts};
use crate::rules::UnreachableImage;
use crate::{Diagnostic, Error, Settings};

/// Checks the images of the files `unreachable-image` is on for, and
/// returns the verdicts for the rule to report from.
pub(super) fn online_pass(
    settings: &OnlineSettings,
    loaded: &[Result<Loaded, Box<Outcome>>],
    errors: &mut Vec<Error>,
) -> Verdicts {
    // Parsed in parallel, as `check` parses them.
    let images: Vec<ImageUse<'_>> = loaded
        .par_iter()
        .flatten()
        .filter(|loaded| loaded.settings.is_enabled(&UnreachableImage::META))
        .flat_map_iter(|loaded| images_of(loaded.source.text()))
        .collect();
    let (verdicts, cache_error) = online::check(images, settings);
    errors.extend(cache_error);
    verdicts
}

/// The images of `text`, each with whether a suppression comment covers
/// it: decided as for the report, by [`crate::suppression::apply`], on a
/// stand-in finding where the rule puts each image's.
fn images_of(text: &str) -> Vec<ImageUse<'_>> {
    let transcript = crate::parser::parse(text);
    let stand_ins: Vec<Diagnostic> = transcript
        .images()
        .map(|image| {
            Diagnostic::new(
                &UnreachableImage::META,
                UnreachableImage::finding_span(image),
                "",
            )
        })
        .collect();
    let spans: Vec<_> = stand_ins
        .iter()
        .map(|finding| finding.span.clone())
        .collect();
    // Only this rule: `unused-suppression` adds nothing.
    let settings = Settings::from_rules(vec![&UnreachableImage]);
    let standing: HashSet<usize> = crate::suppression::apply(
        text,
        &transcript,
        stand_ins,
        crate::suppression::RulesRun {
            settings: &settings,
            online: true,
        },
    )
    .iter()
    .map(|finding| finding.span.start)
    .collect();
    spans
        .into_iter()
        .map(|span| ImageUse {
            suppressed: !standing.contains(&span.start),
            destination: &text[span],
        })
        .collect()
}
