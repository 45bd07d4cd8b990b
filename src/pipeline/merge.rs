//! `chatlint merge A B … [-o OUT]`: reads the inputs, merges them
//! ([`crate::merge`]) with the settings of the first input's configuration,
//! and writes the result atomically, never over an input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{ConfigResolver, Overrides};
use crate::convert::batch::{permissions_of, Destination, Outcome};
use crate::merge::{merge, MergeOptions, Merged};
use crate::{Error, SourceFile};

/// What a `merge` run is asked to do.
#[derive(Debug, Clone)]
pub struct MergeRequest {
    pub inputs: Vec<PathBuf>,
    /// `-o OUT`; none (or `-`) for standard output.
    pub output: Option<PathBuf>,
    pub force: bool,
    pub max_file_size: u64,
}

/// Where the merge went.
#[derive(Debug)]
pub enum Written {
    File(PathBuf),
    /// The caller writes the text to standard output.
    Stdout(String),
}

/// Merges the inputs and writes the result. Nothing is written when an
/// input cannot be read, the merge fails verification, or the output
/// exists without `force`.
pub fn run(request: &MergeRequest) -> Result<(Merged, Written), Error> {
    if request.inputs.len() < 2 {
        return Err(Error::Usage(
            "merge: give at least two transcripts to merge".into(),
        ));
    }
    let sources = request
        .inputs
        .iter()
        .map(|path| SourceFile::read(path, request.max_file_size))
        .collect::<Result<Vec<_>, _>>()?;
    let resolver = Arc::new(ConfigResolver::new(None)?);
    let settings =
        super::inputs::settings_for(&resolver, &request.inputs[0], &Overrides::default())?;
    let options = MergeOptions::from_settings(&settings);
    let output = request
        .output
        .as_deref()
        .filter(|path| *path != Path::new("-"));
    let name = output.map_or_else(|| "<stdout>".to_string(), |p| p.display().to_string());
    let merged = merge(&sources, &options, &name)?;
    let Some(path) = output else {
        let text = merged.text.clone();
        return Ok((merged, Written::Stdout(text)));
    };
    let destination =
        Destination::files(request.force, request.inputs.iter().map(PathBuf::as_path));
    let outcome = destination.write_no_wider(
        path,
        permissions_of(request.inputs.iter().map(PathBuf::as_path)),
        || Ok(Some(merged.text.as_bytes())),
        |bytes, out: &mut dyn Write| {
            out.write_all(bytes)?;
            Ok(Vec::new())
        },
    );
    // The reasons of `Destination` start with the path: said once.
    let failed = |reason: String| Error::Merge {
        reason: reason
            .strip_prefix(name.as_str())
            .map_or(reason.as_str(), |rest| {
                rest.trim_start_matches(':').trim_start()
            })
            .to_string(),
        name: name.clone(),
    };
    match outcome {
        Outcome::Converted(_) => Ok((merged, Written::File(path.to_path_buf()))),
        Outcome::Skipped(why) => Err(failed(why)),
        Outcome::NotTranscript => Err(failed("nothing to write".into())),
        Outcome::Failed(error) => Err(failed(error.to_string())),
    }
}
