//! Finding the configuration files that govern a path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::extends::load_with_bases;
use super::file::LoadedConfig;
use super::CONFIG_FILE_NAME;
use crate::error::Error;

/// The configuration files that apply to one folder, outermost first.
pub type ConfigChain = Arc<Vec<Arc<LoadedConfig>>>;

/// Finds and caches the configuration chain of each folder.
#[derive(Debug, Default)]
pub struct ConfigResolver {
    /// `--config FILE`: this file alone, for every path.
    explicit: Option<ConfigChain>,
    by_folder: Mutex<HashMap<PathBuf, ConfigChain>>,
}

impl ConfigResolver {
    /// Discovery from each file's folder upward, or only `explicit`.
    pub fn new(explicit: Option<&Path>) -> Result<Self, Error> {
        let explicit = match explicit {
            Some(path) => Some(Arc::new(load_with_bases(path)?)),
            None => None,
        };
        Ok(Self {
            explicit,
            by_folder: Mutex::default(),
        })
    }

    /// The chain for a file (by its folder), outermost first.
    pub fn chain_for_file(&self, file: &Path) -> Result<ConfigChain, Error> {
        let file = absolute(file);
        let folder = file
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        self.chain_for_folder(&folder)
    }

    pub fn chain_for_folder(&self, folder: &Path) -> Result<ConfigChain, Error> {
        if let Some(explicit) = &self.explicit {
            return Ok(explicit.clone());
        }
        let folder = absolute(folder);
        if let Some(chain) = self.by_folder.lock().expect("not poisoned").get(&folder) {
            return Ok(chain.clone());
        }
        let candidate = folder.join(CONFIG_FILE_NAME);
        // Anything by that name is the folder's configuration: a link to
        // nothing, a FIFO or a folder is an error naming it, not passed
        // over in silence (the rules would run without it).
        let own = if std::fs::symlink_metadata(&candidate).is_ok() {
            load_with_bases(&candidate)?
        } else {
            Vec::new()
        };
        // `root: true` in the file or in a file it extends.
        let root = own.iter().any(|config| config.file.root);
        let mut chain = match folder.parent() {
            Some(parent) if !root => self.chain_for_folder(parent)?.as_ref().clone(),
            _ => Vec::new(),
        };
        chain.extend(own);
        let chain = Arc::new(chain);
        self.by_folder
            .lock()
            .expect("not poisoned")
            .insert(folder, chain.clone());
        Ok(chain)
    }
}

/// The path made absolute against the current folder, without resolving links.
///
/// Relative paths are taken from the working directory as it was at the
/// first call: asking the system for it costs a system call, and an archive's
/// walk asks several times per file. chatlint never changes its directory.
pub fn absolute(path: &Path) -> PathBuf {
    static WORKING_DIRECTORY: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    if path.is_relative() {
        if let Some(cwd) = WORKING_DIRECTORY.get_or_init(|| std::env::current_dir().ok()) {
            return std::path::absolute(cwd.join(path)).unwrap_or_else(|_| cwd.join(path));
        }
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Whether any configuration in the chain excludes the file.
pub fn is_excluded(chain: &[Arc<LoadedConfig>], file: &Path) -> bool {
    let file = absolute(file);
    chain.iter().any(|config| config.excludes(&file))
}
