//! One file of `check`: read it with its settings, then check, fix or diff it.

use std::path::{Path, PathBuf};

use super::{CheckPlan, Mode};
use crate::cache::{CacheKey, ResultCache};
use crate::files::{replace_file, Fingerprint};
use crate::linter::{fix_owned, RejectedFix};
use crate::online::Verdicts;
use crate::output::diff::unified_diff;
use crate::output::FileReport;
use crate::pipeline::inputs::{self, Input};
use crate::pipeline::transcripts::{is_transcript, NotTranscript};
use crate::{check_in, fix_from, Error, FixSource, Settings, SourceFile, Surroundings};

/// What became of one input.
pub(crate) enum Outcome {
    /// The findings (after fixing, those that remain).
    Done {
        report: FileReport,
        fixed: Vec<&'static str>,
        /// The fixes that could not be applied (their findings remain).
        rejected: Vec<RejectedFix>,
        /// For stdin with --fix: the text to print; for --diff: the diff.
        output: Option<String>,
    },
    /// Excluded by the configuration (only stdin gets here).
    Skipped { echo: Option<String> },
    /// Found by a walk, and not a transcript: neither checked nor cached
    /// nor fixed.
    NotTranscript(NotTranscript),
    /// Not processed. With --fix on stdin, `echo` is the text as it came
    /// in: a filter that fails must not turn its input into nothing.
    Failed { error: Error, echo: Option<String> },
}

impl Outcome {
    fn failed(error: Error) -> Self {
        Outcome::Failed { error, echo: None }
    }
}

/// An input read, with the settings that govern it.
pub(crate) struct Loaded {
    pub source: SourceFile,
    pub settings: Settings,
    /// The path the rules see (file-name checks): none for an unnamed stdin.
    pub rule_path: Option<PathBuf>,
}

/// Reads an input and resolves its settings. `Err` is the outcome already
/// known: the input failed, or is skipped (excluded standard input, or a
/// file a walk found that is not a transcript).
pub(crate) fn load(input: &Input, plan: &CheckPlan) -> Result<Loaded, Box<Outcome>> {
    let stdin_filename = plan.stdin_filename.as_deref();
    // The path whose configuration applies.
    let config_path = input.config_path(stdin_filename);
    let failed = |err| Box::new(Outcome::failed(err));
    let settings =
        inputs::settings_for(&plan.resolver, &config_path, &plan.overrides).map_err(failed)?;
    let source = inputs::read(input, &plan.stdin_name, plan.max_file_size).map_err(failed)?;
    if *input == Input::Stdin
        && plan.force_exclude
        && stdin_filename.is_some()
        && inputs::excluded(&plan.resolver, &config_path).map_err(failed)?
    {
        let echo =
            matches!(plan.mode, Mode::Fix(_) | Mode::Suppress).then(|| source.text().to_string());
        return Err(Box::new(Outcome::Skipped { echo }));
    }
    if let Some(skipped) = NotTranscript::of(input) {
        if !is_transcript(source.text(), || Ok(settings.clone())).map_err(failed)? {
            return Err(Box::new(Outcome::NotTranscript(skipped)));
        }
    }
    let rule_path = match input.path() {
        Some(path) => Some(path.to_path_buf()),
        None => plan.stdin_filename.clone(),
    };
    Ok(Loaded {
        source,
        settings,
        rule_path,
    })
}

/// Checks, fixes or diffs one loaded input as `mode` says.
pub(crate) fn process(
    loaded: Loaded,
    mode: Mode,
    cache: Option<&ResultCache>,
    online: Option<&Verdicts>,
) -> Outcome {
    let Loaded {
        source,
        settings,
        rule_path,
    } = loaded;
    let surroundings = Surroundings {
        path: rule_path.as_deref(),
        online,
    };
    let source_of_fixes = match mode {
        Mode::Check => {
            let text = source.text();
            let diagnostics = match cache.zip(source.path()) {
                Some((cache, path)) => {
                    let key = CacheKey::new(path, text.as_bytes(), &settings);
                    cache.get(&key).unwrap_or_else(|| {
                        let diagnostics = check_in(text, &settings, surroundings);
                        cache.put(&key, &diagnostics);
                        diagnostics
                    })
                }
                None => check_in(text, &settings, surroundings),
            };
            return Outcome::Done {
                report: FileReport {
                    source,
                    diagnostics,
                },
                fixed: Vec::new(),
                rejected: Vec::new(),
                output: None,
            };
        }
        Mode::Fix(threshold) | Mode::Diff(threshold) => FixSource::Rules(threshold),
        Mode::Suppress => FixSource::Suppressions,
    };
    let writes = matches!(mode, Mode::Fix(_) | Mode::Suppress);
    if let (true, Some(path)) = (writes, source.path().map(Path::to_path_buf)) {
        let (name, _, text) = source.into_parts();
        return fix_file(name, &path, text, &settings, source_of_fixes, surroundings);
    }
    let outcome = match fix_from(
        source.name(),
        source.text(),
        &settings,
        source_of_fixes,
        surroundings,
    ) {
        Ok(outcome) => outcome,
        Err(error) => {
            // On stdin the text goes back out as it came in.
            let echo = writes.then(|| source.text().to_string());
            return Outcome::Failed { error, echo };
        }
    };
    let (report_source, output) = if let Mode::Diff(_) = mode {
        let diff = outcome
            .changed()
            .then(|| unified_diff(source.name(), source.text(), &outcome.text));
        (source, diff)
    } else {
        // Standard input: the (possibly unchanged) text goes to stdout.
        let output = Some(outcome.text.clone());
        (SourceFile::from_string(source.name(), outcome.text), output)
    };
    Outcome::Done {
        report: FileReport {
            source: report_source,
            diagnostics: outcome.remaining,
        },
        fixed: outcome.fixed,
        rejected: outcome.rejected,
        output,
    }
}

/// `--fix` (or `--add-suppressions`) of a file: its text is handed to the fixing, which frees it once
/// a round of fixes has replaced it, and the file is replaced only if it
/// still holds what was read, as told by its [`Fingerprint`].
fn fix_file(
    name: String,
    path: &Path,
    text: String,
    settings: &Settings,
    source_of_fixes: FixSource,
    surroundings: Surroundings<'_>,
) -> Outcome {
    let read_as = Fingerprint::of(text.as_bytes());
    let outcome = match fix_owned(&name, text, settings, source_of_fixes, surroundings) {
        Ok(outcome) => outcome,
        Err(error) => return Outcome::failed(error),
    };
    if outcome.changed() {
        if let Err(err) = replace_file(path, read_as, &outcome.text) {
            return Outcome::failed(err);
        }
    }
    Outcome::Done {
        report: FileReport {
            source: SourceFile::from_string(name, outcome.text),
            diagnostics: outcome.remaining,
        },
        fixed: outcome.fixed,
        rejected: outcome.rejected,
        output: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Applicability, Diagnostic, Edit, Fix, Rule, RuleMeta};

    /// A rule whose fix never settles: `a` becomes `b` and `b` becomes `a`.
    struct Flip;

    static FLIP: RuleMeta = RuleMeta {
        code: "CL998",
        name: "flip",
        severity: crate::Severity::Warning,
        fix: crate::rules::FixAvailability::Always,
        default_enabled: true,
        options: None,
        retired_options: &[],
        doc: "",
    };

    impl Rule for Flip {
        fn meta(&self) -> &'static RuleMeta {
            &FLIP
        }

        fn check(&self, context: &crate::rules::Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
            for (at, found) in context.text.match_indices(['a', 'b']) {
                let other = if found == "a" { "b" } else { "a" };
                let fix = Fix::safe("flip", vec![Edit::replace(at..at + 1, other)]);
                diagnostics.push(Diagnostic::new(&FLIP, at..at + 1, found).with_fix(Some(fix)));
            }
        }
    }

    #[test]
    fn a_failed_fix_of_stdin_gives_the_text_back_unchanged() {
        let loaded = |text: &str| Loaded {
            source: SourceFile::from_string("-", text),
            settings: Settings::from_rules(vec![&Flip]),
            rule_path: None,
        };
        let fix = Mode::Fix(Applicability::Safe);
        match process(loaded("a b\n"), fix, None, None) {
            Outcome::Failed { error, echo } => {
                assert!(matches!(error, Error::FixDidNotConverge { .. }), "{error}");
                assert_eq!(echo.as_deref(), Some("a b\n"));
            }
            _ => panic!("the fix should not settle"),
        }
        // --diff prints a diff, not the text.
        match process(loaded("a b\n"), Mode::Diff(Applicability::Safe), None, None) {
            Outcome::Failed { echo, .. } => assert_eq!(echo, None),
            _ => panic!("the fix should not settle"),
        }
    }
}
