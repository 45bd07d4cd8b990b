//! `extends: PATH`: a configuration file built on another one.
//!
//! The file named by `extends` (relative to the folder of the file that
//! names it) applies first, as if it stood in a folder above, and may extend
//! another in turn. Its globs (`exclude`, `per-file-ignores`) are read from
//! the folder of the file at the end of the chain, the one found beside the
//! transcripts or given by `--config`: one base kept anywhere serves every
//! archive that extends it. A file met twice on the way is a cycle, an error
//! pointing at the `extends` that closes it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::discovery::absolute;
use super::file::{read_text, LoadedConfig};
use super::validate::{Problem, Problems};
use crate::error::Error;
use crate::yaml::Step;

/// The configuration at `path` after the files it extends, the furthest
/// base first, each with the folder of `path` (made absolute) as the
/// folder its globs are relative to.
pub fn load_with_bases(path: &Path) -> Result<Vec<Arc<LoadedConfig>>, Error> {
    let mut chain: Vec<Arc<LoadedConfig>> = Vec::new();
    // Each file read so far, as the system names it (links resolved), with
    // the path it was reached by, for the message about a cycle.
    let mut seen: Vec<(PathBuf, PathBuf)> = Vec::new();
    // The file whose `extends` named the current one, with its text.
    let mut referrer: Option<(PathBuf, String)> = None;
    let mut current = path.to_path_buf();
    loop {
        let text = match (read_text(&current), &referrer) {
            (Ok(text), _) => text,
            (Err(err), Some((from, from_text))) => {
                let why = match err {
                    Error::Io { source, .. } => source.to_string(),
                    Error::NotAFile { kind, .. } => format!("{kind}, not a configuration file"),
                    Error::TooLarge { limit, .. } => {
                        format!("larger than {limit} bytes, the most a configuration file may be")
                    }
                    other => other.to_string(),
                };
                return Err(extends_problem(
                    from,
                    from_text,
                    format!("Cannot read `{}`: {why}", current.display()),
                    "the file this extends",
                ));
            }
            (Err(err), None) => return Err(err),
        };
        let identity = std::fs::canonicalize(&current).unwrap_or_else(|_| absolute(&current));
        if let Some((from, from_text)) = &referrer {
            if seen.iter().any(|(known, _)| *known == identity) {
                let mut names: Vec<String> = seen
                    .iter()
                    .skip_while(|(known, _)| *known != identity)
                    .map(|(_, reached)| reached.display().to_string())
                    .collect();
                names.push(current.display().to_string());
                return Err(extends_problem(
                    from,
                    from_text,
                    format!("`extends` makes a cycle: {}", names.join(" → ")),
                    "extends a file that extends this one",
                ));
            }
        }
        seen.push((identity, current.clone()));
        let mut config = LoadedConfig::parse(&current, &text)?;
        config.dir = match chain.first() {
            Some(extending) => extending.dir.clone(),
            None => absolute(&config.dir),
        };
        if config
            .file
            .extends
            .as_deref()
            .is_some_and(|base| base.trim().is_empty())
        {
            return Err(extends_problem(
                &current,
                &text,
                "`extends` is empty".into(),
                "no file named",
            ));
        }
        let folder = absolute(current.parent().unwrap_or(Path::new(".")));
        let base = config
            .file
            .extends
            .as_ref()
            .map(|base| absolute(&folder.join(base)));
        chain.push(Arc::new(config));
        match base {
            Some(base) => {
                referrer = Some((current, text));
                current = base;
            }
            None => break,
        }
    }
    chain.reverse();
    Ok(chain)
}

/// An error pointing at the `extends` value of the file at `path`.
fn extends_problem(path: &Path, text: &str, message: String, label: &str) -> Error {
    let mut problems = Problems::default();
    problems.push(
        Problem::value(vec![Step::Key("extends".into())], message)
            .label(label)
            .help("`extends` names a configuration file, relative to this file's folder"),
    );
    problems
        .into_error(path, text)
        .expect("one problem was pushed")
        .into()
}
