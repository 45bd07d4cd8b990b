//! Reading and validating one configuration file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::error::ConfigError;
use crate::diagnostic::Severity;
use crate::error::Error;
use crate::model::Span;
use crate::online::OnlineConfig;
use crate::rules::{registry, OptionKind, Rule};
use crate::yaml;

/// A `.chatlint.yaml` as written.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Stop looking for configuration in the folders above this one.
    #[serde(default)]
    pub root: bool,
    /// The rules to run, replacing the defaults and any parent's choice.
    pub select: Option<Vec<String>>,
    /// Rules to run in addition.
    #[serde(default)]
    pub extend_select: Vec<String>,
    /// Rules not to run.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Globs, relative to this file's folder, of files never to check.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Glob → rules not to run on the files it matches.
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
    /// Rule name or code → severity and options.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleConfig>,
    /// The options of `check --online` (which only the command line turns on).
    #[serde(default)]
    pub online: OnlineConfig,
}

/// `severity` and the rule's own options, side by side.
pub type RuleConfig = BTreeMap<String, serde_json::Value>;

/// A severity a configuration may give, including turning a rule off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeverityLevel {
    Error,
    Warning,
    Off,
}

impl SeverityLevel {
    pub fn severity(self) -> Option<Severity> {
        match self {
            SeverityLevel::Error => Some(Severity::Error),
            SeverityLevel::Warning => Some(Severity::Warning),
            SeverityLevel::Off => None,
        }
    }
}

/// A configuration file, read and checked.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub path: PathBuf,
    /// The folder its globs are relative to.
    pub dir: PathBuf,
    pub file: ConfigFile,
    /// Per rule code: the severity and options it sets.
    pub rule_settings:
        BTreeMap<&'static str, (Option<SeverityLevel>, BTreeMap<String, serde_json::Value>)>,
    exclude: globset::GlobSet,
    per_file_ignores: Vec<(globset::GlobSet, Vec<String>)>,
}

/// Compiles gitignore-like patterns: one without `/` matches a name at any
/// depth, and a pattern naming a folder matches everything inside it.
fn compile(patterns: &[&String]) -> Result<globset::GlobSet, globset::Error> {
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let pattern = pattern
            .trim_start_matches("./")
            .trim_start_matches('/')
            .trim_end_matches('/');
        let mut variants = vec![pattern.to_string(), format!("{pattern}/**")];
        if !pattern.contains('/') {
            variants.push(format!("**/{pattern}"));
            variants.push(format!("**/{pattern}/**"));
        }
        for variant in variants {
            builder.add(
                globset::GlobBuilder::new(&variant)
                    .literal_separator(true)
                    .build()?,
            );
        }
    }
    builder.build()
}

impl LoadedConfig {
    /// The file's path relative to this configuration's folder, if inside it.
    fn relative<'p>(&self, file: &'p Path) -> Option<&'p Path> {
        file.strip_prefix(&self.dir).ok()
    }

    /// Whether `exclude` matches the file (an absolute path).
    pub fn excludes(&self, file: &Path) -> bool {
        self.relative(file)
            .is_some_and(|r| self.exclude.is_match(r))
    }

    /// The rules `per-file-ignores` turns off for the file (an absolute path).
    pub fn per_file_ignores<'a>(&'a self, file: &'a Path) -> impl Iterator<Item = &'a String> + 'a {
        let relative = self.relative(file);
        self.per_file_ignores
            .iter()
            .filter(move |(set, _)| relative.is_some_and(|r| set.is_match(r)))
            .flat_map(|(_, rules)| rules)
    }

    /// Reads and validates `path`; every error points into the file.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let bytes = crate::input::read_file(path, crate::input::MAX_CONFIG_SIZE)?;
        let text = String::from_utf8(bytes).map_err(|err| Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, err.utf8_error()),
        })?;
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Self, Error> {
        // An error pointing into this file.
        let error_at = |span: Option<Span>, message: String| {
            ConfigError::new(path.to_path_buf(), text, span, message)
        };
        let file: ConfigFile = if text.trim().is_empty() {
            ConfigFile::default()
        } else {
            yaml::from_str(text).map_err(|err| {
                let span = err.offset.map(|o| o..word_end(text, o));
                let mut error = error_at(span, err.message.clone());
                if err.message.contains("unknown field") {
                    error = error.with_label("not a configuration key");
                }
                // A key inside `online:` is named with its section, and the
                // message lists that section's keys.
                if err.message.starts_with("unknown field") {
                    error = error.with_help("Keys: root, select, extend-select, ignore, exclude, per-file-ignores, rules, online");
                }
                Error::from(error)
            })?
        };

        let selectors = file
            .select
            .iter()
            .flatten()
            .chain(&file.extend_select)
            .chain(&file.ignore)
            .chain(file.per_file_ignores.values().flatten());
        for selector in selectors {
            if registry::select(selector).is_err() {
                return Err(error_at(
                    find_token(text, selector),
                    format!("Unknown rule `{selector}`"),
                )
                .with_label("no rule has this code, name or code prefix")
                .with_help("`chatlint rule --all` lists the rules")
                .into());
            }
        }
        // Each pattern alone first, so that an invalid one is named.
        let compile_one = |pattern: &String| {
            compile(&[pattern]).map_err(|err| {
                Error::from(error_at(
                    find_token(text, pattern),
                    format!("Invalid glob `{pattern}`: {err}"),
                ))
            })
        };
        for pattern in &file.exclude {
            compile_one(pattern)?;
        }
        let per_file_ignores = file
            .per_file_ignores
            .iter()
            .map(|(pattern, rules)| Ok((compile_one(pattern)?, rules.clone())))
            .collect::<Result<Vec<_>, Error>>()?;
        // Patterns valid one by one can still be too large together (the
        // matcher they compile to has a size limit): that is the
        // configuration's error too, pointing at the list.
        let exclude = compile(&file.exclude.iter().collect::<Vec<_>>()).map_err(|err| {
            error_at(
                find_token(text, "exclude"),
                format!(
                    "The {} `exclude` patterns are too large together: {err}",
                    file.exclude.len()
                ),
            )
            .with_help(
                "Use fewer or simpler patterns, e.g. one for a folder instead of one per file",
            )
        })?;

        let mut rule_settings = BTreeMap::new();
        for (key, settings) in &file.rules {
            let Some(rule) = registry::find(key) else {
                return Err(
                    error_at(find_token(text, key), format!("Unknown rule `{key}`"))
                        .with_label("not a rule name or code")
                        .with_help("`chatlint rule --all` lists the rules")
                        .into(),
                );
            };
            let mut severity = None;
            let mut options = BTreeMap::new();
            for (name, value) in settings {
                if name == "severity" {
                    severity = Some(match value.as_str() {
                        Some("error") => SeverityLevel::Error,
                        Some("warning") => SeverityLevel::Warning,
                        Some("off") => SeverityLevel::Off,
                        _ => {
                            return Err(error_at(
                                find_after(text, key, "severity"),
                                format!("Invalid severity {value} for `{key}`"),
                            )
                            .with_help("Use `error`, `warning` or `off`")
                            .into())
                        }
                    });
                    continue;
                }
                check_option(path, text, rule, key, name, value)?;
                options.insert(name.clone(), value.clone());
            }
            rule_settings.insert(rule.meta().code, (severity, options));
        }

        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Ok(Self {
            path: path.to_path_buf(),
            dir,
            file,
            rule_settings,
            exclude,
            per_file_ignores,
        })
    }
}

fn check_option(
    path: &Path,
    text: &str,
    rule: &'static dyn Rule,
    key: &str,
    name: &str,
    value: &serde_json::Value,
) -> Result<(), Error> {
    let meta = rule.meta();
    let Some(option) = meta.options.iter().find(|o| o.name == name) else {
        let known: Vec<&str> = meta.options.iter().map(|o| o.name).collect();
        let help = if known.is_empty() {
            format!("`{}` takes only `severity`", meta.name)
        } else {
            format!("`{}` takes `severity` and {}", meta.name, known.join(", "))
        };
        return Err(ConfigError::new(
            path.to_path_buf(),
            text,
            find_after(text, key, name),
            format!("Unknown option `{name}` for rule `{}`", meta.name),
        )
        .with_label("not an option of this rule")
        .with_help(help)
        .into());
    };
    if !option.kind.accepts(value) {
        return Err(ConfigError::new(
            path.to_path_buf(),
            text,
            find_after(text, key, name),
            format!(
                "Option `{name}` of `{}` must be {}",
                meta.name,
                option.kind.describe()
            ),
        )
        .with_label("wrong type")
        .into());
    }
    Ok(())
}

/// The end of the word that starts at `offset` (for a span to underline).
fn word_end(text: &str, offset: usize) -> usize {
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

/// The first place `token` stands as a whole YAML scalar or key.
fn find_token(text: &str, token: &str) -> Option<Span> {
    find_token_from(text, token, 0)
}

fn find_token_from(text: &str, token: &str, from: usize) -> Option<Span> {
    if token.is_empty() {
        return None;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let mut search = from;
    while let Some(found) = text[search..].find(token) {
        let start = search + found;
        let end = start + token.len();
        let before_ok = !text[..start].chars().next_back().is_some_and(is_word);
        let after_ok = !text[end..].chars().next().is_some_and(is_word);
        if before_ok && after_ok {
            return Some(start..end);
        }
        search = end;
    }
    None
}

/// `name` after the first occurrence of `key`: an option inside a rule's block.
fn find_after(text: &str, key: &str, name: &str) -> Option<Span> {
    let key_span = find_token(text, key)?;
    find_token_from(text, name, key_span.end).or(Some(key_span))
}

impl OptionKind {
    fn accepts(self, value: &serde_json::Value) -> bool {
        match self {
            OptionKind::Integer { max } => value.as_u64().is_some_and(|v| v <= max),
            OptionKind::String => value.is_string(),
            OptionKind::Bool => value.is_boolean(),
            OptionKind::StringList => value
                .as_array()
                .is_some_and(|a| a.iter().all(|v| v.is_string())),
            OptionKind::StringMap => value
                .as_object()
                .is_some_and(|m| m.values().all(|v| v.is_string())),
            OptionKind::OneOf(choices) => value.as_str().is_some_and(|v| choices.contains(&v)),
        }
    }

    fn describe(self) -> String {
        let text = match self {
            OptionKind::Integer { max } => return format!("a whole number from 0 to {max}"),
            OptionKind::String => "a string",
            OptionKind::Bool => "true or false",
            OptionKind::StringList => "a list of strings",
            OptionKind::StringMap => "a map of strings to strings",
            OptionKind::OneOf(choices) => return format!("one of {}", choices.join(", ")),
        };
        text.to_string()
    }
}
