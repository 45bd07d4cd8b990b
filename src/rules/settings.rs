//! What one file is checked with: its rules, their severities and options.
//! The rules read it; `crate::config` makes it from the configuration files
//! and the command line (`Settings::resolve`).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use super::options::AnyOptions;
use super::{registry, Rule, RuleMeta, RuleOptions};
use crate::aliases::Aliases;
use crate::diagnostic::Severity;

/// One rule as a file's settings run it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSettings {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// It runs only with `check --online`.
    pub needs_online: bool,
    /// All its options as JSON, defaults included; `None` for a rule
    /// without options.
    pub options: Option<Value>,
}

/// The rules for one file, with their severities and options.
#[derive(Debug, Clone)]
pub struct Settings {
    pub(crate) rules: Vec<&'static dyn Rule>,
    pub(crate) severities: BTreeMap<&'static str, Severity>,
    /// Per rule code, the options configured for it, read into the rule's
    /// options type (see [`crate::rules::options`]); a rule without an
    /// entry has its defaults. Each type is its own rule's, so they are
    /// kept type-erased and read back by the rule, typed, with
    /// [`Settings::options`]. Shared: a file's settings are cloned from
    /// its configuration's.
    pub(crate) options: BTreeMap<&'static str, Arc<dyn AnyOptions>>,
    /// `aliases:`, the names that are one person's.
    pub(crate) aliases: Arc<Aliases>,
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
            aliases: Arc::default(),
        }
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

    /// A rule's options: those configured, else its defaults. Rules read
    /// theirs with `RuleType::options(settings)`, which `declare_rule!`
    /// writes.
    ///
    /// # Panics
    /// If `T` is not the options type `rule` declares: a bug in
    /// `declare_rule!`, which alone calls this.
    pub(crate) fn options<T: RuleOptions>(&self, rule: &RuleMeta) -> &T {
        match self.options.get(rule.code) {
            Some(options) => options.as_any().downcast_ref().unwrap_or_else(|| {
                panic!(
                    "the options of {} are not a {}",
                    rule.name,
                    std::any::type_name::<T>()
                )
            }),
            None => T::defaults(),
        }
    }

    /// The configured names that are one person's (`aliases:`).
    pub fn aliases(&self) -> &Aliases {
        &self.aliases
    }

    /// How many messages before the one it judges any rule reads, at most
    /// (see [`Rule::messages_back`]).
    pub fn messages_back(&self) -> usize {
        self.rules
            .iter()
            .map(|rule| rule.messages_back(self))
            .max()
            .unwrap_or(0)
    }

    /// A stable encoding of everything that decides the findings, for the
    /// results cache's key: each rule that runs, in code order, with its
    /// severity and all its options (the defaults written out, so that
    /// configuring an option to its default changes nothing), and the
    /// aliases when there are any, as JSON.
    /// Equal settings give equal bytes from one run and one build to the
    /// next; a change to any rule, severity or option changes them.
    pub fn fingerprint(&self) -> Vec<u8> {
        let mut rules: Vec<Value> = self
            .described()
            .into_iter()
            .map(|rule| serde_json::json!([rule.code, rule.severity, rule.options]))
            .collect();
        if !self.aliases.is_empty() {
            let aliases: serde_json::Map<String, Value> = self
                .aliases
                .iter()
                .map(|(name, canonical)| (name.to_string(), canonical.into()))
                .collect();
            rules.push(serde_json::json!(["aliases", aliases]));
        }
        // A `Value` has string keys only, so it always serialises.
        serde_json::to_vec(&rules).unwrap_or_default()
    }

    /// Each rule that runs, in code order, with its severity and all its
    /// options (the defaults written out), as `--show-settings` prints
    /// them and the cache's key encodes them.
    pub fn described(&self) -> Vec<RuleSettings> {
        self.rules
            .iter()
            .map(|rule| {
                let meta = rule.meta();
                let options = self
                    .options
                    .get(meta.code)
                    .map(|options| options.to_json())
                    .or_else(|| meta.options.map(|options| options.defaults().to_json()));
                RuleSettings {
                    code: meta.code,
                    name: meta.name,
                    severity: self.severity(meta),
                    needs_online: rule.needs_online(),
                    options,
                }
            })
            .collect()
    }
}
