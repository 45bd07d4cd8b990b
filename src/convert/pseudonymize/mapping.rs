//! The mapping of names to pseudonyms (`--mapping FILE`): read, extended
//! with the names a run meets for the first time, and written back with
//! mode 0600, so that the same person gets the same pseudonym in every run
//! that uses it. It holds the real names: it is never written under the
//! output folder (the pipeline refuses that before anything is read).

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::files::{folder_of, sync_folder, temporary_file_with_mode};

/// The default template: `P001`, `P002`, …
pub const DEFAULT_TEMPLATE: &str = "P{n:03}";

/// How a pseudonym is written: text around one `{n}` (or `{n:0W}`, the
/// number in W digits at least).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    before: String,
    width: usize,
    after: String,
}

impl Template {
    /// Reads `P{n:03}`, `person-{n}`; an error says what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let wrong = || {
            format!("pseudonym template {text:?}: it needs one {{n}} or {{n:0W}}, as in P{{n:03}}")
        };
        let (before, rest) = text.split_once('{').ok_or_else(wrong)?;
        let (inside, after) = rest.split_once('}').ok_or_else(wrong)?;
        let width = match inside {
            "n" => 0,
            _ => {
                let digits = inside.strip_prefix("n:0").ok_or_else(wrong)?;
                digits
                    .parse::<usize>()
                    .ok()
                    .filter(|w| *w <= 12)
                    .ok_or_else(wrong)?
            }
        };
        if after.contains(['{', '}']) || before.contains('}') {
            return Err(wrong());
        }
        Ok(Template {
            before: before.to_string(),
            width,
            after: after.to_string(),
        })
    }

    pub fn render(&self, n: usize) -> String {
        format!(
            "{}{n:0width$}{}",
            self.before,
            self.after,
            width = self.width
        )
    }
}

/// Each person's name and pseudonym, as the mapping file holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The template new pseudonyms are made with.
    pub template: String,
    /// Name → pseudonym: every spelling of a person has the person's.
    pub pseudonyms: BTreeMap<String, String>,
    /// The pseudonyms given, once [`Mapping::assign`] needs them.
    #[serde(skip)]
    used: Option<HashSet<String>>,
    /// Where the numbers of new pseudonyms start looking.
    #[serde(skip)]
    next: usize,
}

/// Why a mapping file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a pseudonym mapping: {source}")]
    Format {
        path: String,
        source: serde_json::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl Mapping {
    /// An empty mapping that makes pseudonyms with `template` (checked
    /// with [`Template::parse`]). Two names may share a pseudonym: they
    /// are one person's.
    pub fn new(template: &str) -> Self {
        Mapping {
            template: template.to_string(),
            ..Mapping::default()
        }
    }

    /// The mapping in `path`, or `None` when there is no file yet; a file
    /// that is not a mapping, or whose template does not read, is an error
    /// naming it.
    pub fn read(path: &Path) -> Result<Option<Self>, MappingError> {
        let shown = || path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(MappingError::Io {
                    path: shown(),
                    source,
                })
            }
        };
        let mapping: Mapping =
            serde_json::from_str(&text).map_err(|source| MappingError::Format {
                path: shown(),
                source,
            })?;
        Template::parse(&mapping.template).map_err(|message| MappingError::Invalid {
            path: shown(),
            message,
        })?;
        Ok(Some(mapping))
    }

    /// The pseudonym of `name`, made with the template if it has none: the
    /// first number from one more than the pseudonyms the mapping holds
    /// that no pseudonym uses yet and that is none of the names in `avoid`.
    pub fn assign(&mut self, name: &str, avoid: &HashSet<&str>) -> String {
        if let Some(pseudonym) = self.pseudonyms.get(name) {
            return pseudonym.clone();
        }
        let template = Template::parse(&self.template)
            .unwrap_or_else(|_| Template::parse(DEFAULT_TEMPLATE).expect("the default parses"));
        // Kept between calls: a run of 20,000 names is not 20,000² steps.
        let used = match &mut self.used {
            Some(used) => used,
            None => {
                let used: HashSet<String> = self.pseudonyms.values().cloned().collect();
                self.next = used.len() + 1;
                self.used.insert(used)
            }
        };
        let (n, pseudonym) = (self.next..)
            .map(|n| (n, template.render(n)))
            .find(|(_, p)| !used.contains(p) && !avoid.contains(p.as_str()))
            .expect("numbers do not run out");
        self.next = n + 1;
        used.insert(pseudonym.clone());
        self.pseudonyms.insert(name.to_string(), pseudonym.clone());
        pseudonym
    }

    /// Records that `name` (another spelling of a person) is `pseudonym`,
    /// unless it has one already: a later run finds it there.
    pub fn note(&mut self, name: &str, pseudonym: &str) {
        if !self.pseudonyms.contains_key(name) {
            self.pseudonyms
                .insert(name.to_string(), pseudonym.to_string());
            if let Some(used) = &mut self.used {
                used.insert(pseudonym.to_string());
            }
        }
    }

    /// Writes the mapping to `path` with mode 0600, through a temporary file
    /// renamed over it: a run killed half-way leaves the old mapping whole.
    /// A symbolic link is followed and kept.
    pub fn write(&self, path: &Path) -> Result<(), MappingError> {
        let io = |source| MappingError::Io {
            path: path.display().to_string(),
            source,
        };
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let folder = folder_of(&target);
        let mut file = temporary_file_with_mode(folder, 0o600).map_err(io)?;
        let mut text = serde_json::to_string_pretty(self).expect("a mapping serializes");
        text.push('\n');
        file.write_all(text.as_bytes())
            .and_then(|()| file.as_file().sync_all())
            .map_err(io)?;
        file.persist(&target).map_err(|err| io(err.error))?;
        sync_folder(folder).map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_number_pseudonyms() {
        assert_eq!(Template::parse("P{n:03}").unwrap().render(7), "P007");
        assert_eq!(
            Template::parse("person-{n}").unwrap().render(12),
            "person-12"
        );
        for wrong in ["P", "P{m}", "{n}{n}", "P{n:3}", "P{n"] {
            assert!(Template::parse(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn new_names_take_the_next_free_number() {
        let mut mapping = Mapping::new("P{n:03}");
        mapping.pseudonyms = BTreeMap::from([("甲".to_string(), "P002".to_string())]);
        let avoid = HashSet::from(["P004"]);
        assert_eq!(mapping.assign("乙", &avoid), "P003");
        assert_eq!(
            mapping.assign("丙", &avoid),
            "P005",
            "P004 is someone's name"
        );
        assert_eq!(mapping.assign("甲", &avoid), "P002");
    }
}
