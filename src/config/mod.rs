//! `.chatlint.yaml`: which rules run, how severe they are, their options,
//! which files are excluded.
//!
//! A file is governed by the `.chatlint.yaml` files in its folder and every
//! folder above it (up to one that says `root: true`), the nearest last, so
//! that it wins; then by the command line (`--select`, `--extend-select`,
//! `--ignore`), which wins over every file. `--config FILE` replaces the
//! search with one file. A file that says `extends: PATH` comes after the
//! file it names (and the files that one extends), as if that file stood in
//! the folder above it.

mod discovery;
mod extends;
mod file;
mod rule_settings;
pub mod schema;
mod settings;
mod validate;

pub use crate::error::ConfigError;
pub use crate::rules::Settings;
pub use discovery::{absolute, is_excluded, ConfigChain, ConfigResolver};
pub use file::{ConfigFile, LoadedConfig, RuleConfig, SeverityLevel};
pub use settings::Overrides;
pub use validate::{did_you_mean, field_names};

/// The name of the configuration file looked for in each folder.
pub const CONFIG_FILE_NAME: &str = ".chatlint.yaml";
