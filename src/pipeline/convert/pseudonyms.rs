//! `--pseudonymize` in a run: before any output is written, every input is
//! read for its names, each person's pseudonym is decided (from the mapping
//! file, extended with the names met for the first time, which is then
//! written back), and what the conversions replace is tallied.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::conversion::settings_for;
use super::{ConvertPlan, Failed, FileFailure};
use crate::convert::pseudonymize::{
    gather, in_running_text, Mapping, Masks, Pseudonymizer, Template, DEFAULT_TEMPLATE,
};
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
/// followed), and the rest read as written (`..` taking back a folder):
/// what it will be once the outputs exist.
fn resolved(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest: Vec<Component<'_>> = Vec::new();
    let mut base = loop {
        if let Ok(real) = existing.canonicalize() {
            break real;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => break PathBuf::from("/"),
        }
    };
    for component in rest.into_iter().rev() {
        match component {
            Component::ParentDir => {
                base.pop();
            }
            Component::Normal(part) => base.push(part),
            _ => {}
        }
    }
    base
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
    let read = match &options.mapping {
        Some(path) => Mapping::read(path).map_err(|err| Error::Usage(err.to_string()))?,
        None => None,
    };
    if let (Some(found), Some(path)) = (&read, &options.mapping) {
        if options.template != DEFAULT_TEMPLATE && options.template != found.template {
            return Err(Error::Usage(format!(
                "--pseudonym {}: the mapping {} makes its pseudonyms with {}",
                options.template,
                path.display(),
                found.template
            )));
        }
    }
    let mut mapping = read.unwrap_or_else(|| Mapping::new(&options.template));

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
    let mut people: Vec<NameOf> = Vec::new();
    for names in read {
        match names {
            Ok(names) => people.extend(names),
            Err((name, err)) => failures.push(Failed {
                name,
                output: None,
                failure: FileFailure::Convert(err),
            }),
        }
    }
    // A mention that reads on past a speaker's name (`@右军谢谢你的分享`)
    // is that speaker, found after the `@` as the longest name: not a
    // person of its own.
    let speakers: HashSet<String> = people
        .iter()
        .filter(|person| person.speaks)
        .map(|person| person.name.clone())
        .collect();
    let reads_on = |name: &str| {
        name.char_indices()
            .skip(1)
            .any(|(at, _)| speakers.contains(&name[..at]))
    };
    people.retain(|person| person.speaks || !reads_on(&person.name));
    // No pseudonym is also someone's name (a speaker called `P001`).
    let originals: HashSet<&str> = people.iter().map(|p| p.name.as_str()).collect();
    let mut pseudonyms: HashMap<String, String> = HashMap::new();
    for NameOf { name, person, .. } in &people {
        // A spelling the mapping knows is the person it was (`@Tim` for
        // Tim Cook, in a run where Tim Cook does not speak).
        let pseudonym = match mapping.pseudonyms.get(name) {
            Some(known) => known.clone(),
            None => mapping.assign(person, &originals),
        };
        mapping.note(name, &pseudonym);
        pseudonyms
            .entry(person.clone())
            .or_insert_with(|| pseudonym.clone());
        // A name is the person it was first read as.
        pseudonyms.entry(name.clone()).or_insert(pseudonym);
    }
    // Written where the check above found it would be (`new/../m.json`
    // while `new` does not exist yet).
    if let Some(path) = &options.mapping {
        mapping
            .write(&resolved(path))
            .map_err(|err| Error::Usage(err.to_string()))?;
    }
    let masks = Masks::new(&options.masks).map_err(Error::Usage)?;
    Ok(Pseudonymizer::new(pseudonyms, masks))
}

/// A name, the person it is (the name the pseudonym is kept under), and
/// whether a header names it.
struct NameOf {
    name: String,
    person: String,
    speaks: bool,
}

/// The names of one input, each with the person it is: its configured
/// canonical name; for a name damaged by lost characters (`车睿??`), the
/// undamaged name in the file it stands for (`车睿🐱`); for the first word
/// of a speaker's name, which is all the parser reads of `@Tim Cook`, that
/// speaker. A name with an emoji is also looked for without it (`车睿`).
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
    let mut first_words: HashMap<&str, &str> = HashMap::new();
    for speaker in names.iter().filter(|g| g.speaks).map(|g| g.name.as_str()) {
        if let Some((first, _)) = speaker.split_once([' ', '\u{2005}']) {
            first_words.entry(first).or_insert(speaker);
        }
    }
    let undamaged: HashMap<String, &str> = names
        .iter()
        .map(|g| g.name.as_str())
        .filter(|name| !name.contains('?'))
        .map(|name| (damage_key(name), name))
        .collect();
    let mut people: Vec<NameOf> = Vec::new();
    for gathered in &names {
        let name = gathered.name.as_str();
        let key = damage_key(name);
        let first_word_of = (!gathered.speaks)
            .then(|| first_words.get(name).copied())
            .flatten();
        let stands_for = match first_word_of {
            Some(speaker) => speaker,
            None if name.contains('?') && !key.is_empty() => {
                undamaged.get(&key).copied().unwrap_or(name)
            }
            None => name,
        };
        let person = aliases.canonical(stands_for).to_string();
        // `OK👌` would make every `OK` a name: a short Latin key is not one.
        let distinct = key.chars().count() >= 4 || !key.is_ascii();
        if key != name && in_running_text(&key) && distinct {
            people.push(NameOf {
                name: key.clone(),
                person: person.clone(),
                speaks: false,
            });
        }
        people.push(NameOf {
            name: name.to_string(),
            person,
            speaks: gathered.speaks,
        });
    }
    // Every configured spelling, though it may not speak in these files.
    people.extend(aliases.iter().map(|(name, canonical)| NameOf {
        name: name.to_string(),
        person: canonical.to_string(),
        speaks: true,
    }));
    Ok(people)
}

/// A name without what losing characters leaves or takes: `?`, and the
/// characters outside the Basic Multilingual Plane (emoji) that become `?`.
fn damage_key(name: &str) -> String {
    name.chars()
        .filter(|&c| c != '?' && c != '\u{2005}' && u32::from(c) <= 0xFFFF)
        .collect()
}
