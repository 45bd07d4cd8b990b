//! What one file is checked with: its rules, their severities and options.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::file::LoadedConfig;
use crate::diagnostic::Severity;
use crate::error::Error;
use crate::rules::{registry, Rule, RuleMeta};

/// The command line's rule choices, which win over every file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Replaces the selection when not empty.
    pub select: Vec<String>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

/// The rules for one file, with their severities and options.
#[derive(Debug, Clone)]
pub struct Settings {
    rules: Vec<&'static dyn Rule>,
    severities: BTreeMap<&'static str, Severity>,
    options: BTreeMap<&'static str, BTreeMap<String, serde_json::Value>>,
}

impl Default for Settings {
    /// Every rule that is on by default, as documented.
    fn default() -> Self {
        Self::from_rules(
            registry::all()
                .iter()
                .copied()
                .filter(|r| r.meta().default_enabled)
                .collect(),
        )
    }
}

impl std::fmt::Debug for dyn Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.meta().name)
    }
}

impl Settings {
    /// Exactly these rules, with default severities and options.
    pub fn from_rules(mut rules: Vec<&'static dyn Rule>) -> Self {
        rules.sort_by_key(|r| r.meta().code);
        rules.dedup_by_key(|r| r.meta().code);
        Self {
            rules,
            severities: BTreeMap::new(),
            options: BTreeMap::new(),
        }
    }

    /// Applies configuration files (outermost first) and then the command
    /// line. `file` is the checked file's path, for `per-file-ignores`.
    pub fn resolve(
        chain: &[Arc<LoadedConfig>],
        file: Option<&Path>,
        overrides: &Overrides,
    ) -> Result<Self, Error> {
        let mut enabled: Vec<&'static dyn Rule> = Settings::default().rules;
        let mut severities = BTreeMap::new();
        let mut options: BTreeMap<&'static str, BTreeMap<String, serde_json::Value>> =
            BTreeMap::new();
        for config in chain {
            let file_config = &config.file;
            if let Some(select) = &file_config.select {
                enabled = select_all(select)?;
            }
            enabled.extend(select_all(&file_config.extend_select)?);
            remove(&mut enabled, &select_all(&file_config.ignore)?);
            if let Some(file) = file {
                for ignored in config.per_file_ignores(file) {
                    remove(&mut enabled, &registry::select(ignored)?);
                }
            }
            for (code, (severity, rule_options)) in &config.rule_settings {
                match severity.map(|s| s.severity()) {
                    Some(Some(severity)) => {
                        severities.insert(*code, severity);
                    }
                    Some(None) => enabled.retain(|r| r.meta().code != *code),
                    None => {}
                }
                options
                    .entry(code)
                    .or_default()
                    .extend(rule_options.clone());
            }
        }
        if !overrides.select.is_empty() {
            enabled = select_all(&overrides.select)?;
        }
        enabled.extend(select_all(&overrides.extend_select)?);
        remove(&mut enabled, &select_all(&overrides.ignore)?);
        let mut settings = Self::from_rules(enabled);
        settings.severities = severities;
        settings.options = options;
        Ok(settings)
    }

    /// The rules to run, in code order.
    pub fn rules(&self) -> &[&'static dyn Rule] {
        &self.rules
    }

    pub fn is_enabled(&self, rule: &RuleMeta) -> bool {
        self.rules.iter().any(|r| r.meta().code == rule.code)
    }

    /// The configured severity, else the rule's default.
    pub fn severity(&self, rule: &RuleMeta) -> Severity {
        self.severities
            .get(rule.code)
            .copied()
            .unwrap_or(rule.severity)
    }

    /// A rule option: the configured value, else its documented default.
    ///
    /// # Panics
    /// If the rule does not declare the option or its default does not read
    /// as `T`: both are bugs in the rule, caught by its tests.
    pub fn option<T: DeserializeOwned>(&self, rule: &RuleMeta, name: &str) -> T {
        let declared = rule
            .options
            .iter()
            .find(|o| o.name == name)
            .unwrap_or_else(|| panic!("rule {} has no option {name}", rule.name));
        let configured = self.options.get(rule.code).and_then(|o| o.get(name));
        if let Some(value) = configured {
            match serde_json::from_value(value.clone()) {
                Ok(value) => return value,
                // Validation accepts only values of the declared kind, and
                // an integer kind declares the largest value the rule's type
                // holds: a value that gets here but does not read is a
                // wrong declaration, which the tests of every option's
                // range catch in this debug build.
                Err(err) => debug_assert!(
                    false,
                    "{}.{name}: validated value {value} does not read: {err}",
                    rule.name
                ),
            }
        }
        serde_json::from_str(declared.default)
            .unwrap_or_else(|e| panic!("default of {}.{name} does not parse: {e}", rule.name))
    }
}

fn select_all(selectors: &[String]) -> Result<Vec<&'static dyn Rule>, Error> {
    let mut rules = Vec::new();
    for selector in selectors {
        rules.extend(registry::select(selector)?);
    }
    Ok(rules)
}

fn remove(enabled: &mut Vec<&'static dyn Rule>, removed: &[&'static dyn Rule]) {
    enabled.retain(|r| !removed.iter().any(|x| x.meta().code == r.meta().code));
}
