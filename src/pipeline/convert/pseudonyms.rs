//! `--pseudonymize` in a run: before any output is written, every input is
//! read for its names, each person's pseudonym is decided (from the mapping
//! file, extended with the names met for the first time, which is then
//! written back), and what the conversions replace is tallied.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::conversion::settings_for;
use super::{ConvertPlan, Failed, FileFailure};
use crate::convert::pseudonymize::{gather, Mapping, Masks, Pseudonymizer, Template};
use crate::convert::{ConvertError, Document};
use crate::pipeline::inputs::Input;
use crate::pipeline::transcripts::{is_transcript, NotTranscript};
use crate::Error;

/// `--pseudonymize` and its options, as the command line gives them.
#[derive(Debug, Clone)]
pub struct PseudonymizeOptions {
    /// `--mapping FILE`: read, extended and written back (mode 0600).
    pub mapping: Option<PathBuf>,
    /// `--pseudonym TEMPLATE`, for a new mapping.
    pub template: String,
    /// `--mask REGEX`…
    pub masks: Vec<String>,
}

impl PseudonymizeOptions {
    /// Checks what can be checked before anything is read: the template,
    /// the masks, and that the mapping (which holds the real names) is not
    /// to be written where the outputs go.
    pub fn check(&self, output: Option<&Path>) -> Result<(), Error> {
        Template::parse(&self.template).map_err(Error::Usage)?;
        Masks::new(&self.masks).map_err(Error::Usage)?;
        if let (Some(mapping), Some(output)) = (&self.mapping, output) {
            let (mapping, output) = (resolved(mapping), resolved(output));
            if mapping.starts_with(&output) {
                return Err(Error::Usage(format!(
                    "--mapping {} is inside the output {}: the mapping holds the real names \
                     and is never written with the outputs",
                    mapping.display(),
                    output.display()
                )));
            }
        }
        Ok(())
    }
}

/// `path` absolute, with as much of it as exists resolved (links
/// followed): what it will be once the outputs exist.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while let Some(parent) = existing.parent() {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |path, part| path.join(part));
        }
        rest.push(existing.file_name().unwrap_or_default().to_os_string());
        existing = parent;
    }
    absolute
}

/// Reads every input for its names and decides the pseudonyms; the mapping
/// file is written before any output. An input that cannot be read is a
/// failure of the run (`failures`); an unreadable or invalid mapping, or
/// one that is an input, stops it (`Err`).
pub(super) fn decide(
    options: &PseudonymizeOptions,
    found: &[Input],
    plan: &ConvertPlan,
    failures: &mut Vec<Failed>,
) -> Result<Pseudonymizer, Error> {
    if let Some(mapping) = &options.mapping {
        let real = resolved(mapping);
        if found
            .iter()
            .filter_map(Input::path)
            .any(|p| resolved(p) == real)
        {
            return Err(Error::Usage(format!(
                "--mapping {} is an input; it is never overwritten",
                mapping.display()
            )));
        }
    }
    let mut mapping = match &options.mapping {
        Some(path) => Mapping::read(path).map_err(|err| Error::Usage(err.to_string()))?,
        None => None,
    }
    .unwrap_or_else(|| Mapping::new(&options.template));

    let read: Vec<Result<Vec<NameOf>, (String, ConvertError)>> = found
        .par_iter()
        .map(|input| {
            let name = || {
                input
                    .path()
                    .map_or(plan.stdin_name.clone(), |p| p.display().to_string())
            };
            names_of(input, plan).map_err(|err| (name(), err))
        })
        .collect();
    let mut pseudonyms: HashMap<String, String> = HashMap::new();
    for names in read {
        match names {
            Ok(names) => {
                for (name, person) in names {
                    let pseudonym = mapping.assign(&person);
                    pseudonyms.insert(person, pseudonym.clone());
                    pseudonyms.insert(name, pseudonym);
                }
            }
            Err((name, err)) => failures.push(Failed {
                name,
                output: None,
                failure: FileFailure::Convert(err),
            }),
        }
    }
    if let Some(path) = &options.mapping {
        mapping
            .write(path)
            .map_err(|err| Error::Usage(err.to_string()))?;
    }
    let masks = Masks::new(&options.masks).map_err(Error::Usage)?;
    Ok(Pseudonymizer::new(pseudonyms, masks))
}

/// A name, and the person it is (the name the pseudonym is kept under).
type NameOf = (String, String);

/// The names of one input, each with the person it is (its configured
/// canonical name; a name damaged by lost characters, `车睿??`, is the
/// person of the undamaged name it stands for when the file has one).
fn names_of(input: &Input, plan: &ConvertPlan) -> Result<Vec<NameOf>, ConvertError> {
    let source = plan.read(input, true)?;
    let settings = settings_for(input, plan)?;
    let walked = NotTranscript::of(input).is_some();
    if walked && !is_transcript(source.text(), || Ok(settings.clone()))? {
        return Ok(Vec::new());
    }
    let document = Document::build(&source, None);
    let names = gather(&document);
    let aliases = settings.aliases();
    let undamaged: HashMap<String, &str> = names
        .iter()
        .filter(|name| !name.contains('?'))
        .map(|name| (damage_key(name), name.as_str()))
        .collect();
    let mut people: Vec<NameOf> = names
        .iter()
        .map(|name| {
            let name = name.as_str();
            let key = damage_key(name);
            let stands_for = match name.contains('?') && !key.is_empty() {
                true => undamaged.get(&key).copied().unwrap_or(name),
                false => name,
            };
            (name.to_string(), aliases.canonical(stands_for).to_string())
        })
        .collect();
    // Every configured spelling, though it may not speak in these files.
    people.extend(
        aliases
            .iter()
            .map(|(name, canonical)| (name.to_string(), canonical.to_string())),
    );
    Ok(people)
}

/// A name without what losing characters leaves or takes: `?`, and the
/// characters outside the Basic Multilingual Plane (emoji) that become `?`.
fn damage_key(name: &str) -> String {
    name.chars()
        .filter(|&c| c != '?' && c != '\u{2005}' && u32::from(c) <= 0xFFFF)
        .collect()
}
