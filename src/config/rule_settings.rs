//! `rules:` of a `.chatlint.yaml`: per rule, its severity and its options,
//! each option read into the rule's options type.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::file::{rule_help, ConfigFile, SeverityLevel};
use super::validate::{did_you_mean, wrong, Problem, Problems};
use crate::rules::{options, registry, RuleMeta};
use crate::yaml::Step;

/// `rules:`: per rule, its severity and options, each option read into the
/// rule's options type. `file.rules` gets the entries that are mappings.
pub(super) fn read(
    rules: Option<&Value>,
    file: &mut ConfigFile,
    problems: &mut Problems,
) -> BTreeMap<&'static str, (Option<SeverityLevel>, Map<String, Value>)> {
    let mut settings = BTreeMap::new();
    let rules = match rules {
        None | Some(Value::Null) => return settings,
        Some(Value::Object(rules)) => rules,
        Some(_) => {
            problems.push(
                Problem::value(vec![Step::Key("rules".into())], "Invalid `rules`")
                    .label("not a mapping")
                    .help("e.g. `rules: {time-runs-backwards: {severity: error}}`"),
            );
            return settings;
        }
    };
    for (key, entry) in rules {
        let at = |rest: &[&str]| {
            let mut path = vec![Step::Key("rules".into()), Step::Key(key.clone())];
            path.extend(rest.iter().map(|s| Step::Key(s.to_string())));
            path
        };
        let Some(rule) = registry::find(key) else {
            problems.push(
                Problem::key(at(&[]), format!("Unknown rule `{key}`"))
                    .label("not a rule name or code")
                    .help(rule_help(key)),
            );
            continue;
        };
        let empty = Map::new();
        let entry = match entry {
            Value::Object(entry) => entry,
            Value::Null => &empty,
            _ => {
                problems.push(
                    Problem::value(at(&[]), format!("Invalid settings for `{key}`"))
                        .label("not a mapping")
                        .help(format!("e.g. `{key}: {{severity: error}}`")),
                );
                continue;
            }
        };
        let before = problems.len();
        let mut severity = None;
        let mut given = Map::new();
        for (name, value) in entry {
            if name == "severity" {
                severity = match value.as_str() {
                    Some("error") => Some(SeverityLevel::Error),
                    Some("warning") => Some(SeverityLevel::Warning),
                    Some("off") => Some(SeverityLevel::Off),
                    _ => {
                        problems.push(
                            Problem::value(
                                at(&[name]),
                                format!("Invalid severity {value} for `{key}`"),
                            )
                            .label("not a severity")
                            .help("Use `error`, `warning` or `off`"),
                        );
                        None
                    }
                };
            } else if let Some(problem) = check_option(rule.meta(), name, value, at(&[name])) {
                problems.push(problem);
            } else {
                given.insert(name.clone(), value.clone());
            }
        }
        if problems.len() == before {
            settings.insert(rule.meta().code, (severity, given));
            file.rules
                .insert(key.clone(), entry.clone().into_iter().collect());
        }
    }
    settings
}

/// Whether `name: value` is an option of the rule that reads.
fn check_option(meta: &RuleMeta, name: &str, value: &Value, path: Vec<Step>) -> Option<Problem> {
    let names = meta.options.map(|o| o.names()).unwrap_or_default();
    if let Some(retired) = meta.retired_options.iter().find(|o| o.name == name) {
        return Some(
            Problem::key(
                path,
                format!(
                    "Option `{name}` of `{}` was removed: {}",
                    meta.name, retired.why
                ),
            )
            .label("no longer an option")
            .help(retired.instead),
        );
    }
    let Some(options) = meta.options.filter(|_| names.contains(&name)) else {
        let mut help = String::new();
        if let Some(meant) = did_you_mean(name, names.iter().copied().chain(["severity"])) {
            help.push_str(&format!("Did you mean `{meant}`? "));
        } else if let Some(other) = registry::all().iter().find(|rule| {
            rule.meta()
                .options
                .is_some_and(|o| o.names().contains(&name))
        }) {
            help.push_str(&format!(
                "`{name}` is an option of `{}`. ",
                other.meta().name
            ));
        }
        if names.is_empty() {
            help.push_str(&format!("`{}` takes only `severity`", meta.name));
        } else {
            help.push_str(&format!(
                "`{}` takes `severity` and {}",
                meta.name,
                names.join(", ")
            ));
        }
        return Some(
            Problem::key(
                path,
                format!("Unknown option `{name}` for rule `{}`", meta.name),
            )
            .label("not an option of this rule")
            .help(help),
        );
    };
    let err = options
        .read(&Map::from_iter([(name.to_string(), value.clone())]))
        .err()?;
    let kind = options::describe(&options.schema()["properties"][name]);
    Some(
        Problem::value(
            path,
            format!("Option `{name}` of `{}` must be {kind}", meta.name),
        )
        .label(wrong(&err)),
    )
}
