//! `--show-files` and `--show-settings`: what a run would check, and with
//! which settings, without checking anything.

use std::io::Write;

use rayon::prelude::*;

use super::file::{load, Loaded, Outcome};
use super::{note_write_error, CheckPlan, CheckRun};
use crate::config::absolute;
use crate::pipeline::inputs::{self, Input};
use crate::pipeline::summary::CheckSummary;
use crate::pipeline::transcripts;
use crate::{Error, Settings};

/// What `--show-files` or `--show-settings` asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// Each file that would be checked, one per line; those a walk skips
    /// as not transcripts on stderr.
    Files,
    /// The configuration files and settings of the first file.
    Settings,
}

/// Lists the files the plan's paths come to (`out`), each read to tell
/// whether it is a transcript; those a walk would skip go to `notes` with
/// the reason. Nothing is checked or written.
pub fn show_files(plan: &CheckPlan, out: &mut dyn Write, notes: &mut dyn Write) -> CheckRun {
    let (inputs, mut errors) = inputs::collect(&plan.paths, &plan.resolver, plan.force_exclude);
    let loaded: Vec<Result<Loaded, Box<Outcome>>> =
        inputs.par_iter().map(|input| load(input, plan)).collect();
    let mut summary = CheckSummary::default();
    let mut listing = String::new();
    for (input, loaded) in inputs.iter().zip(loaded) {
        match loaded.map_err(|outcome| *outcome) {
            Ok(_) => {
                summary.tally.files += 1;
                listing.push_str(&name(input, plan));
                listing.push('\n');
            }
            Err(Outcome::NotTranscript(file)) => {
                let _ = writeln!(notes, "skipped, not a transcript: {}", file.path.display());
                summary.not_transcripts.push(file);
            }
            Err(Outcome::Failed { error, .. }) => errors.push(error),
            Err(Outcome::Skipped { .. } | Outcome::Done { .. }) => {}
        }
    }
    if let Err(source) = out.write_all(listing.as_bytes()).and_then(|()| out.flush()) {
        note_write_error("<stdout>", source, &mut errors);
    }
    let (_, walk_errors) = transcripts::walk_results(inputs.iter(), &summary.not_transcripts);
    errors.extend(walk_errors);
    summary.failed = !errors.is_empty();
    CheckRun { summary, errors }
}

/// Prints the configuration files that govern the first file the paths
/// come to (as ruff's `--show-settings` does; name a file to ask about it)
/// and the settings it is checked with: each rule that runs, its severity
/// and all its options, defaults included.
pub fn show_settings(plan: &CheckPlan, out: &mut dyn Write) -> CheckRun {
    let (inputs, mut errors) = inputs::collect(&plan.paths, &plan.resolver, plan.force_exclude);
    let mut summary = CheckSummary::default();
    // The first file that would be checked: a walk passes over files that
    // are not transcripts.
    let first = inputs.iter().find(|input| match load(input, plan) {
        Ok(_) => true,
        Err(outcome) => !matches!(*outcome, Outcome::NotTranscript(_)),
    });
    if let Some(input) = first {
        match describe(input, plan) {
            Ok(text) => {
                summary.tally.files = 1;
                if let Err(source) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                    note_write_error("<stdout>", source, &mut errors);
                }
            }
            Err(err) => errors.push(err),
        }
    } else if errors.is_empty() {
        errors.push(Error::Usage(
            "--show-settings: the paths given hold no file to check".into(),
        ));
    }
    summary.failed = !errors.is_empty();
    CheckRun { summary, errors }
}

/// The name a file goes by in the run's messages.
fn name(input: &Input, plan: &CheckPlan) -> String {
    match input.path() {
        Some(path) => path.display().to_string(),
        None => plan.stdin_name.clone(),
    }
}

/// The text `--show-settings` prints for one file.
fn describe(input: &Input, plan: &CheckPlan) -> Result<String, Error> {
    let config_path = input.config_path(plan.stdin_filename.as_deref());
    let chain = plan.resolver.chain_for_file(&config_path)?;
    let settings = Settings::resolve(&chain, Some(&absolute(&config_path)), &plan.overrides)?;
    let mut text = format!("Settings for {}\n", name(input, plan));
    text.push_str("Configuration files, applied in this order (the command line after them):\n");
    if chain.is_empty() {
        text.push_str("  (none: the defaults)\n");
    }
    for config in chain.iter() {
        text.push_str(&format!("  {}\n", config.path.display()));
    }
    let rules = settings.described();
    text.push_str(&format!("Rules that run ({}):\n", rules.len()));
    let width = rules.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
    for rule in rules {
        let line = format!(
            "  {}  {:width$}  {:7}  {}",
            rule.code,
            rule.name,
            rule.severity.to_string(),
            rule.options.map_or_else(String::new, |o| o.to_string()),
        );
        let line = if rule.needs_online {
            format!("{}  (with --online only)", line.trim_end())
        } else {
            line
        };
        text.push_str(line.trim_end());
        text.push('\n');
    }
    let aliases = settings.aliases();
    if !aliases.is_empty() {
        text.push_str("Aliases (a name: the person's canonical name):\n");
        for (name, canonical) in aliases.iter() {
            text.push_str(&format!("  {name}: {canonical}\n"));
        }
    }
    Ok(text)
}
