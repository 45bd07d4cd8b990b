//! `convert --to html` of a folder: besides the pages, the archive's
//! `index.html` (transcripts by month, and search), `search.js` and
//! `search-index.js`, written through the same [`Destination`] as the pages
//! (atomically, never over an input, `--force` to replace).
//!
//! The entries are read again from the converted inputs (in parallel) once
//! the pages are out, rather than carried through the page writer: the
//! index costs a second reading of each transcript, and the pages' writer
//! stays one pass.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{inputs, ConvertPlan, ConvertRun, Failed, FileFailure, Input};
use crate::convert::batch::{Destination, Outcome};
use crate::convert::html::index::{index_page, search_index, Entry, SEARCH_JS};
use crate::convert::{ConvertError, Document};

/// Writes the index of the pages (`pages`: each input and its page, made
/// now or there already) into `folder`; what could not be written is added
/// to the run's failures, what exists already (without `--force`) to its
/// skipped files.
pub(super) fn write_index(
    folder: &Path,
    pages: &[(Input, PathBuf)],
    plan: &ConvertPlan,
    destination: &Destination,
    done: &mut ConvertRun,
) {
    let failures = &mut done.failures;
    let read: Vec<Result<Entry, (String, ConvertError)>> = pages
        .par_iter()
        .map(|(input, page)| {
            let relative = page.strip_prefix(folder).unwrap_or(page);
            let relative: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let source = inputs::read(input, &plan.stdin_name, plan.options.max_file_size)
                .map_err(|err| (page.display().to_string(), ConvertError::from(err)))?;
            let document = Document::build(&source, None);
            Ok(Entry::of(&relative.join("/"), &document))
        })
        .collect();
    let mut entries = Vec::with_capacity(read.len());
    for entry in read {
        match entry {
            Ok(entry) => entries.push(entry),
            // Read a moment ago: changed or gone since, it is left out.
            Err((name, err)) => failures.push(Failed {
                name,
                output: None,
                failure: FileFailure::Convert(err),
            }),
        }
    }
    // A transcript named index.md has the name already.
    let taken = pages
        .iter()
        .any(|(_, page)| page == &folder.join("index.html"));
    let index_name = if taken {
        "chatlint-index.html"
    } else {
        "index.html"
    };
    let files = [
        (index_name, index_page(&mut entries)),
        ("search.js", SEARCH_JS.to_string()),
        ("search-index.js", search_index(&entries)),
    ];
    for (name, text) in files {
        let path = folder.join(name);
        let outcome = destination.write(
            &path,
            || Ok(Some(())),
            |(), out| {
                out.write_all(text.as_bytes())?;
                Ok(Vec::new())
            },
        );
        match outcome {
            Outcome::Failed(error) => done.failures.push(Failed {
                name: path.display().to_string(),
                output: Some(path),
                failure: FileFailure::Output(error),
            }),
            Outcome::Skipped(reason) => done.skipped.push(reason),
            Outcome::Converted(_) | Outcome::NotTranscript => {}
        }
    }
}
