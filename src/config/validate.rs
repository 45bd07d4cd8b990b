//! Finding every problem of a configuration file in one reading, each
//! pointing into the file, with "did you mean" for a misspelt name.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::ConfigError;
pub use crate::rules::options::field_names;
use crate::yaml::{self, Step};

/// At most this many problems are shown (each is located by reading the
/// file again); the summary counts the rest.
const MAX_SHOWN: usize = 20;

/// One problem, before it is located in the text.
#[derive(Debug)]
pub(super) struct Problem {
    path: Vec<Step>,
    /// Whether the problem is the key at `path` (an unknown name) rather
    /// than its value.
    key: bool,
    message: String,
    label: String,
    help: Option<String>,
}

impl Problem {
    /// A problem with the key that `path` ends in.
    pub fn key(path: Vec<Step>, message: impl Into<String>) -> Self {
        Self {
            path,
            key: true,
            message: message.into(),
            label: String::new(),
            help: None,
        }
    }

    /// A problem with the value at `path`.
    pub fn value(path: Vec<Step>, message: impl Into<String>) -> Self {
        Self {
            key: false,
            ..Self::key(path, message)
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The problem as an error pointing at its key or value in `text`.
    fn locate(self, path: &Path, text: &str) -> ConfigError {
        let span = yaml::locate(text, &self.path, self.key).map(|start| {
            let end = if self.key {
                key_end(text, start)
            } else {
                yaml::value_end(text, start)
            };
            start..end
        });
        let mut error =
            ConfigError::new(path.to_path_buf(), text, span, self.message).with_label(self.label);
        if let Some(help) = self.help {
            error = error.with_help(help);
        }
        error
    }
}

/// The problems found so far in one file.
#[derive(Debug, Default)]
pub(super) struct Problems(Vec<Problem>);

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// One error for them all, in the order they stand in the file; `None`
    /// when there are none.
    pub fn into_error(self, path: &Path, text: &str) -> Option<ConfigError> {
        let total = self.0.len();
        let mut errors: Vec<ConfigError> = self
            .0
            .into_iter()
            .take(MAX_SHOWN)
            .map(|problem| problem.locate(path, text))
            .collect();
        errors.sort_by_key(|e| e.span.as_ref().map_or(usize::MAX, |s| s.start));
        ConfigError::all(path.to_path_buf(), text, errors, total)
    }
}

/// Reads the mapping `map` (at `path`, in the section named `section` for
/// messages) as a `T`, one key at a time, so that each unknown key and each
/// value that does not read is a problem of its own. The keys in `skip`
/// are known but left to the caller; what does not read keeps its default.
pub(super) fn read_fields<T: DeserializeOwned + Default>(
    map: &Map<String, Value>,
    path: &[Step],
    section: &str,
    skip: &[&str],
    problems: &mut Problems,
) -> T {
    let names = field_names::<T>();
    let at = |key: &str| {
        let mut path = path.to_vec();
        path.push(Step::Key(key.to_string()));
        path
    };
    let mut good = Map::new();
    for (key, value) in map {
        if !names.contains(&key.as_str()) {
            problems.push(unknown_key(at(key), key, section, names));
            continue;
        }
        if skip.contains(&key.as_str()) {
            continue;
        }
        let alone = Map::from_iter([(key.clone(), value.clone())]);
        match serde_json::from_value::<T>(Value::Object(alone)) {
            Ok(_) => {
                good.insert(key.clone(), value.clone());
            }
            Err(err) => problems.push(
                Problem::value(
                    at(key),
                    format!("Invalid `{key}`{}: {err}", within(section)),
                )
                .label(wrong(&err)),
            ),
        }
    }
    // Each key read alone, and the keys are independent: together they read.
    serde_json::from_value(Value::Object(good)).unwrap_or_default()
}

fn unknown_key(path: Vec<Step>, key: &str, section: &str, names: &[&str]) -> Problem {
    let label = if section.is_empty() {
        "not a configuration key".to_string()
    } else {
        format!("not a key of `{section}`")
    };
    let mut help = match did_you_mean(key, names.iter().copied()) {
        Some(name) => format!("Did you mean `{name}`? "),
        None => String::new(),
    };
    if section.is_empty() && crate::rules::registry::find(key).is_some() {
        help = format!("A rule's settings go under `rules:`, as `rules: {{{key}: …}}`. ");
    }
    help.push_str(&format!("Keys{}: {}", within(section), names.join(", ")));
    Problem::key(path, format!("unknown field `{key}`{}", within(section)))
        .label(label)
        .help(help)
}

/// " in `section`", or nothing for the top level.
fn within(section: &str) -> String {
    if section.is_empty() {
        String::new()
    } else {
        format!(" in `{section}`")
    }
}

/// What was wrong with a value, from a serde error ("invalid type: string
/// \"12\", expected u32"): the part before what was expected, which the
/// message says in words.
pub(super) fn wrong(err: &serde_json::Error) -> String {
    let message = err.to_string();
    match message.split_once(", expected") {
        Some((wrong, _)) => wrong.to_string(),
        None => message,
    }
}

/// The candidate closest to `given`, if one is close enough to be what was
/// meant (Jaro-Winkler similarity, ignoring case, of at least 0.8).
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let given = given.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let score = strsim::jaro_winkler(&given, &candidate.to_lowercase());
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// The end of the key that starts at `offset`: a quoted one to its closing
/// quote, a plain one to the colon or white space.
pub(super) fn key_end(text: &str, offset: usize) -> usize {
    if text[offset.min(text.len())..].starts_with(['"', '\'']) {
        return yaml::value_end(text, offset);
    }
    word_end(text, offset)
}

/// The end of the word that starts at `offset` (for a span to underline).
pub(super) fn word_end(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    // An offset inside a character (it comes from the YAML reader) is moved
    // to that character's start, so that slicing cannot panic.
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let rest = &text[offset..];
    offset
        + rest
            .find(|c: char| c == ':' || c.is_whitespace())
            .unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_close_names_only() {
        let keys = ["root", "select", "extend-select", "ignore", "exclude"];
        assert_eq!(did_you_mean("selct", keys), Some("select"));
        assert_eq!(did_you_mean("extend_select", keys), Some("extend-select"));
        assert_eq!(did_you_mean("IGNORE", keys), Some("ignore"));
        assert_eq!(did_you_mean("colour", keys), None);
        assert_eq!(
            did_you_mean("midnight-gap", ["midnight-gap-hours"]),
            Some("midnight-gap-hours")
        );
    }

    #[test]
    fn field_names_are_serde_names_in_declared_order() {
        assert_eq!(
            field_names::<crate::rules::DuplicateMessageOptions>(),
            [
                "keep",
                "max-distance",
                "max-skew-seconds",
                "merge-twinned-percent",
                "merge-consistent-percent"
            ]
        );
        assert_eq!(
            field_names::<super::super::ConfigFile>()[..2],
            ["root", "select"]
        );
    }
}
