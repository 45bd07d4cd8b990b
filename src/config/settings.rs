//! Making a file's [`Settings`] from the configuration files that govern it
//! and the command line.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::file::LoadedConfig;
use crate::aliases::Aliases;
use crate::error::ConfigError;
use crate::error::Error;
use crate::rules::{registry, Rule, Settings};

/// The command line's rule choices, which win over every file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Replaces the selection when not empty.
    pub select: Vec<String>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Settings {
    /// Applies configuration files (outermost first) and then the command
    /// line. `file` is the checked file's path, for `per-file-ignores`.
    pub fn resolve(
        chain: &[Arc<LoadedConfig>],
        file: Option<&Path>,
        overrides: &Overrides,
    ) -> Result<Self, Error> {
        let mut enabled: Vec<&'static dyn Rule> = Settings::default().rules;
        let mut severities = BTreeMap::new();
        // Per rule, each option given, the nearest file's winning.
        let mut given: BTreeMap<&'static str, Map<String, Value>> = BTreeMap::new();
        let mut aliases = Aliases::default();
        for config in chain {
            aliases = aliases.overridden_by(&Aliases::new(config.file.aliases.clone()));
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
                given.entry(code).or_default().extend(rule_options.clone());
            }
        }
        if !overrides.select.is_empty() {
            enabled = select_all(&overrides.select)?;
        }
        enabled.extend(select_all(&overrides.extend_select)?);
        remove(&mut enabled, &select_all(&overrides.ignore)?);
        let mut settings = Self::from_rules(enabled);
        settings.severities = severities;
        settings.aliases = Arc::new(checked_aliases(aliases, chain)?);
        for rule in settings.rules.clone() {
            let meta = rule.meta();
            let (Some(options), Some(given)) = (meta.options, given.get(meta.code)) else {
                continue;
            };
            if given.is_empty() {
                continue;
            }
            // Each option was read alone when its file was loaded, and the
            // options of a rule are independent: together they read too.
            let read = options.read(given).map_err(|err| {
                let path = chain.last().map(|c| c.path.clone()).unwrap_or_default();
                ConfigError::new(
                    path,
                    "",
                    None,
                    format!("The options of `{}` do not read together: {err}", meta.name),
                )
            })?;
            settings.options.insert(meta.code, read);
        }
        Ok(settings)
    }
}

/// The aliases of the files together, refused when a nearer file's name
/// is a farther file's canonical name (or the other way round): each
/// file's own map is checked when it is read.
fn checked_aliases(aliases: Aliases, chain: &[Arc<LoadedConfig>]) -> Result<Aliases, Error> {
    let Some((name, canonical, further)) = aliases.chains().next() else {
        return Ok(aliases);
    };
    let path = chain.last().map(|c| c.path.clone()).unwrap_or_default();
    Err(ConfigError::new(
        path,
        "",
        None,
        format!(
            "The `aliases` of the configuration files together map `{name}` to `{canonical}`, \
             which maps on to `{further}`: map every name straight to its canonical name"
        ),
    )
    .into())
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The settings of one configuration file's text.
    fn settings(config: &str) -> Settings {
        let config = LoadedConfig::parse(Path::new("/c/.chatlint.yaml"), config).unwrap();
        Settings::resolve(&[Arc::new(config)], None, &Overrides::default()).unwrap()
    }

    #[test]
    fn rules_read_the_options_configured() {
        use crate::rules::{DuplicateMessage, HeadingMissingSpace, Keep};
        let configured = settings(
            "rules:\n  duplicate-message: {keep: longer, max-distance: 3}\n  CL101: {max-heading-length: 4294967295}\n",
        );
        let options = DuplicateMessage::options(&configured);
        assert_eq!((options.keep, options.max_distance), (Keep::Longer, 3));
        assert_eq!(
            HeadingMissingSpace::options(&configured).max_heading_length,
            u32::MAX
        );
        assert_eq!(configured.messages_back(), 3);
        let defaults = Settings::default();
        assert_eq!(DuplicateMessage::options(&defaults).max_distance, 10);
        assert_eq!(defaults.messages_back(), 10);
        // Without a rule that looks back, nothing is kept of the parts before.
        let none = Settings::from_rules(vec![registry::find("CL101").unwrap()]);
        assert_eq!(none.messages_back(), 0);
    }

    #[test]
    fn the_nearer_file_wins_option_by_option() {
        let outer = LoadedConfig::parse(
            Path::new("/c/.chatlint.yaml"),
            "rules:\n  duplicate-message: {keep: last, max-distance: 3}\n",
        )
        .unwrap();
        let inner = LoadedConfig::parse(
            Path::new("/c/d/.chatlint.yaml"),
            "rules:\n  CL301: {max-distance: 5}\n",
        )
        .unwrap();
        let chain = [Arc::new(outer), Arc::new(inner)];
        let settings = Settings::resolve(&chain, None, &Overrides::default()).unwrap();
        let options = crate::rules::DuplicateMessage::options(&settings);
        assert_eq!(
            (options.keep, options.max_distance),
            (crate::rules::Keep::Last, 5)
        );
    }

    #[test]
    fn the_nearer_file_wins_alias_by_alias() {
        let outer = LoadedConfig::parse(
            Path::new("/c/.chatlint.yaml"),
            "aliases:\n  我: 李雄峰\n  钟: 钟文帅\n",
        )
        .unwrap();
        let inner = LoadedConfig::parse(
            Path::new("/c/d/.chatlint.yaml"),
            "aliases: {钟: 钟文帅-移付宝科技-产品经理}\n",
        )
        .unwrap();
        let chain = [Arc::new(outer.clone()), Arc::new(inner)];
        let settings = Settings::resolve(&chain, None, &Overrides::default()).unwrap();
        let aliases: Vec<_> = settings.aliases().iter().collect();
        assert_eq!(
            aliases,
            [("我", "李雄峰"), ("钟", "钟文帅-移付宝科技-产品经理")]
        );
        // Each file's map is sound, but together `李雄峰` would be mapped on.
        let chaining = LoadedConfig::parse(
            Path::new("/c/d/.chatlint.yaml"),
            "aliases: {李雄峰: 凤凰牌老熊-群主}\n",
        )
        .unwrap();
        let err = Settings::resolve(
            &[Arc::new(outer), Arc::new(chaining)],
            None,
            &Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("map `我` to `李雄峰`, which maps on to `凤凰牌老熊-群主`"),
            "{err}"
        );
    }

    #[test]
    fn the_fingerprint_changes_with_the_options_and_not_otherwise() {
        let settings = |config| String::from_utf8(settings(config).fingerprint()).unwrap();
        let base = settings(
            "rules:\n  heading-missing-space: {max-heading-length: 6}\n  redact: {severity: off}\n",
        );
        let same = [
            // The same, written otherwise.
            "rules:\n  CL501: {severity: off}\n  CL101:\n    max-heading-length: 6   # characters\n",
            // And with defaults written out.
            "rules:\n  heading-missing-space: {max-heading-length: 6}\n  duplicate-message: {max-distance: 10, keep: canonical, max-skew-seconds: 4}\n  redact: {severity: off}\n",
            // An option of a rule that does not run changes no finding.
            "rules:\n  heading-missing-space: {max-heading-length: 6}\n  unreachable-image: {}\n  redact: {terms: {a: b}, severity: off}\n",
        ];
        for config in same {
            assert_eq!(settings(config), base, "{config}");
        }
        let different = [
            "rules:\n  heading-missing-space: {max-heading-length: 7}\n  redact: {severity: off}\n",
            "rules:\n  heading-missing-space: {max-heading-length: 6}\n  redact: {terms: {a: b}}\n",
            "rules:\n  heading-missing-space: {max-heading-length: 6}\n  redact: {severity: off}\n  duplicate-message: {keep: last}\n",
            "rules:\n  heading-missing-space: {max-heading-length: 6, severity: error}\n  redact: {severity: off}\n",
            "rules:\n  heading-missing-space: {max-heading-length: 6}\n  redact: {severity: off}\nignore: [CL403]\n",
            "rules:\n  heading-missing-space: {max-heading-length: 6}\n  redact: {severity: off}\naliases: {我: 李雄峰}\n",
        ];
        for config in different {
            assert_ne!(settings(config), base, "{config}");
        }
        assert_eq!(
            String::from_utf8(Settings::default().fingerprint()).unwrap(),
            settings("")
        );
    }
}
