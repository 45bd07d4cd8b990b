//! Reading and validating one configuration file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

use super::rule_settings;
use super::validate::{did_you_mean, read_fields, word_end, wrong, Problem, Problems};
use crate::diagnostic::Severity;
use crate::error::ConfigError;
use crate::error::Error;
use crate::online::{OnlineConfig, UrlPattern};
use crate::rules::registry;
use crate::yaml::{self, Step};

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
    /// Speaker name → the canonical name of the person (`我: 李雄峰`).
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    /// Another configuration file (relative to this one's folder) whose
    /// settings this one starts from, as if it stood in a folder above.
    pub extends: Option<String>,
    /// The baseline file `check` holds known findings back with, relative
    /// to this file's folder (as `--baseline FILE`).
    pub baseline: Option<PathBuf>,
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
    /// Per rule code: the severity and the options it sets, each of which
    /// reads as the rule's options type.
    pub rule_settings: BTreeMap<&'static str, (Option<SeverityLevel>, Map<String, Value>)>,
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
        Self::parse(path, &read_text(path)?)
    }

    /// Reads and validates the configuration `text` of the file at `path`.
    /// Every problem is found (unknown keys, rules and options, values of
    /// the wrong type or out of range, invalid globs), each pointing into
    /// the file, and reported together; only YAML that does not parse
    /// stops at its first error.
    pub fn parse(path: &Path, text: &str) -> Result<Self, Error> {
        let value: Value = if text.trim().is_empty() {
            Value::Null
        } else {
            yaml::from_str(text).map_err(|err| {
                let span = err.offset.map(|o| o..word_end(text, o));
                ConfigError::new(path.to_path_buf(), text, span, err.message)
            })?
        };
        let mut problems = Problems::default();
        let mut file = read_file(&value, &mut problems);
        check_selectors(&file, &mut problems);
        let (exclude, per_file_ignores) = compile_globs(&file, &mut problems);
        let rule_settings = rule_settings::read(value.get("rules"), &mut file, &mut problems);
        if let Some(error) = problems.into_error(path, text) {
            return Err(error.into());
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

/// A configuration file's text, read with the size limit of configurations.
pub(super) fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = crate::input::read_file(path, crate::input::MAX_CONFIG_SIZE)?;
    String::from_utf8(bytes).map_err(|err| Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, err.utf8_error()),
    })
}

/// The top level and the `online:` section, key by key.
fn read_file(value: &Value, problems: &mut Problems) -> ConfigFile {
    let map = match value {
        Value::Null => return ConfigFile::default(),
        Value::Object(map) => map,
        _ => {
            problems.push(
                Problem::value(
                    vec![],
                    "The configuration must be a mapping of keys to values",
                )
                .label("not a mapping")
                .help("e.g. `select: [ALL]` on a line of its own"),
            );
            return ConfigFile::default();
        }
    };
    let mut file: ConfigFile = read_fields(map, &[], "", &["online", "rules", "aliases"], problems);
    file.aliases = read_aliases(map.get("aliases"), problems);
    match map.get("online") {
        Some(Value::Object(online)) => {
            let at = [Step::Key("online".into())];
            file.online = read_fields(online, &at, "online", &["exclude"], problems);
            file.online.exclude = read_url_patterns(online.get("exclude"), problems);
        }
        None | Some(Value::Null) => {}
        Some(_) => problems.push(
            Problem::value(vec![Step::Key("online".into())], "Invalid `online`")
                .label("not a mapping")
                .help("e.g. `online: {timeout: 5}`"),
        ),
    }
    file
}

/// `aliases:`, a mapping of names to names, each canonical name not
/// itself mapped on to another.
fn read_aliases(value: Option<&Value>, problems: &mut Problems) -> BTreeMap<String, String> {
    let key = || Step::Key("aliases".into());
    let map = match value {
        None | Some(Value::Null) => return BTreeMap::new(),
        Some(Value::Object(map)) => map,
        Some(_) => {
            problems.push(
                Problem::value(vec![key()], "Invalid `aliases`")
                    .label("not a mapping")
                    .help("Map each name to the person's canonical name, e.g. `aliases: {我: 李雄峰}`"),
            );
            return BTreeMap::new();
        }
    };
    let mut aliases = BTreeMap::new();
    for (name, canonical) in map {
        match canonical {
            Value::String(canonical) => {
                aliases.insert(name.clone(), canonical.clone());
            }
            other => problems.push(
                Problem::value(
                    vec![key(), Step::Key(name.clone())],
                    format!("The canonical name of `{name}` must be a string, not {other}"),
                )
                .label("not a name")
                .help("Quote a name that YAML reads otherwise, e.g. `\"007\"`"),
            ),
        }
    }
    for (name, canonical, further) in crate::aliases::Aliases::new(aliases.clone()).chains() {
        problems.push(
            Problem::value(
                vec![key(), Step::Key(name.to_string())],
                format!("`{name}` maps to `{canonical}`, which maps on to `{further}`"),
            )
            .label("not a canonical name")
            .help(format!(
                "Map every name straight to the canonical one: `{name}: {further}`"
            )),
        );
    }
    aliases
}

/// `online.exclude`, pattern by pattern, so that a bad one is pointed at.
fn read_url_patterns(value: Option<&Value>, problems: &mut Problems) -> Option<Vec<UrlPattern>> {
    let at = |index: Option<usize>| {
        let mut path = vec![Step::Key("online".into()), Step::Key("exclude".into())];
        path.extend(index.map(Step::Index));
        path
    };
    let patterns = match value? {
        Value::Null => return None,
        Value::Array(patterns) => patterns,
        _ => {
            problems.push(
                Problem::value(at(None), "Invalid `exclude` in `online`")
                    .label("not a list")
                    .help(r"A list of regular expressions, e.g. `exclude: ['^https?://example\.org/']`"),
            );
            return None;
        }
    };
    let before = problems.len();
    let read = patterns
        .iter()
        .enumerate()
        .filter_map(|(index, pattern)| {
            serde_json::from_value(pattern.clone())
                .map_err(|err| {
                    problems.push(
                        Problem::value(at(Some(index)), format!("Invalid URL pattern: {err}"))
                            .label(if pattern.is_string() {
                                "not a regular expression".to_string()
                            } else {
                                wrong(&err)
                            }),
                    );
                })
                .ok()
        })
        .collect();
    (problems.len() == before).then_some(read)
}

/// Each rule selector names a rule, a code prefix or `ALL`.
fn check_selectors(file: &ConfigFile, problems: &mut Problems) {
    let lists = [
        ("select", file.select.as_deref().unwrap_or_default()),
        ("extend-select", &file.extend_select[..]),
        ("ignore", &file.ignore[..]),
    ];
    let mut selectors: Vec<(Vec<Step>, &String)> = Vec::new();
    for (key, list) in lists {
        for (i, selector) in list.iter().enumerate() {
            selectors.push((vec![Step::Key(key.into()), Step::Index(i)], selector));
        }
    }
    for (pattern, list) in &file.per_file_ignores {
        for (i, selector) in list.iter().enumerate() {
            let path = vec![
                Step::Key("per-file-ignores".into()),
                Step::Key(pattern.clone()),
                Step::Index(i),
            ];
            selectors.push((path, selector));
        }
    }
    for (path, selector) in selectors {
        if registry::select(selector).is_ok() {
            continue;
        }
        problems.push(
            Problem::value(path, format!("Unknown rule `{selector}`"))
                .label("no rule has this code, name or code prefix")
                .help(rule_help(selector)),
        );
    }
}

/// "Did you mean" a rule's name or code, and where the rules are listed.
pub(super) fn rule_help(given: &str) -> String {
    let names = registry::all()
        .iter()
        .flat_map(|rule| [rule.meta().name, rule.meta().code]);
    let listed = "`chatlint rule --all` lists the rules";
    match did_you_mean(given, names) {
        Some(name) => format!("Did you mean `{name}`? {listed}"),
        None => listed.to_string(),
    }
}

type Globs = (globset::GlobSet, Vec<(globset::GlobSet, Vec<String>)>);

/// `exclude` and the patterns of `per-file-ignores`, each pattern checked.
fn compile_globs(file: &ConfigFile, problems: &mut Problems) -> Globs {
    let mut compile_one = |pattern: &String, path: Vec<Step>, key: bool| {
        compile(&[pattern]).map_err(|err| {
            let message = format!("Invalid glob `{pattern}`: {err}");
            problems.push(if key {
                Problem::key(path, message)
            } else {
                Problem::value(path, message)
            });
        })
    };
    let exclude_key = || Step::Key("exclude".into());
    let mut valid = true;
    for (i, pattern) in file.exclude.iter().enumerate() {
        valid &= compile_one(pattern, vec![exclude_key(), Step::Index(i)], false).is_ok();
    }
    let per_file_ignores = file
        .per_file_ignores
        .iter()
        .filter_map(|(pattern, rules)| {
            let path = vec![
                Step::Key("per-file-ignores".into()),
                Step::Key(pattern.clone()),
            ];
            let set = compile_one(pattern, path, true).ok()?;
            Some((set, rules.clone()))
        })
        .collect();
    // Patterns valid one by one can still be too large together (the
    // matcher they compile to has a size limit): that is the
    // configuration's error too, pointing at the list.
    let exclude = match compile(&file.exclude.iter().collect::<Vec<_>>()) {
        Ok(set) => set,
        Err(err) => {
            if valid {
                problems.push(
                    Problem::key(
                        vec![exclude_key()],
                        format!(
                            "The {} `exclude` patterns are too large together: {err}",
                            file.exclude.len()
                        ),
                    )
                    .help("Use fewer or simpler patterns, e.g. one for a folder instead of one per file"),
                );
            }
            globset::GlobSet::empty()
        }
    };
    (exclude, per_file_ignores)
}
