//! `convert --to html` of a folder: besides the pages, the archive's
//! `index.html` (transcripts by month, and search), `search.js` and
//! `search-index.js`, written through the same [`Destination`] as the pages
//! (atomically, never over an input, `--force` to replace).
//!
//! A page made in this run is listed as the pass that wrote it saw it (the
//! same messages, the same filter); a page that was there already (skipped
//! without `--force`) is listed from its input, read again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::{options_for, ConvertPlan, ConvertRun, Failed, FileFailure, Input};
use crate::convert::batch::{permissions_of, Destination, Outcome};
use crate::convert::html::index::{index_page, search_index, Entry, INDEX_MARK, SEARCH_JS};
use crate::convert::html::Listing;
use crate::convert::{convert_to_page, ConvertError};

/// A page of the archive.
pub(super) struct Page {
    pub input: Input,
    pub path: PathBuf,
    /// What the pass that wrote it listed; none for a page there already.
    pub listing: Option<Listing>,
}

/// Writes the index of the pages into `folder`; what could not be written
/// is added to the run's failures, what exists already (without `--force`)
/// to its skipped files.
pub(super) fn write_index(
    folder: &Path,
    pages: Vec<Page>,
    plan: &ConvertPlan,
    destination: &Destination,
    done: &mut ConvertRun,
) {
    let index_name = index_name(folder, &pages);
    // The search index holds every page's messages: no wider than them.
    let limit = permissions_of(pages.iter().filter_map(|page| page.input.path()));
    let listed: Vec<Result<Entry, Failed>> = pages
        .into_par_iter()
        .map(|page| {
            let relative = page.path.strip_prefix(folder).unwrap_or(&page.path);
            let relative: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let listing = match page.listing {
                Some(listing) => listing,
                None => listing_of(&page.input, plan).map_err(|err| Failed {
                    name: page
                        .input
                        .path()
                        .map_or_else(|| plan.stdin_name.clone(), |p| p.display().to_string()),
                    output: Some(page.path.clone()),
                    failure: FileFailure::Convert(err),
                })?,
            };
            Ok(Entry::new(&relative.join("/"), listing))
        })
        .collect();
    let mut entries = Vec::with_capacity(listed.len());
    for entry in listed {
        match entry {
            Ok(entry) => entries.push(entry),
            // Changed or gone since the walk: it is left out.
            Err(failed) => done.failures.push(failed),
        }
    }
    let files = [
        (index_name.as_str(), index_page(&mut entries)),
        ("search.js", SEARCH_JS.to_string()),
        ("search-index.js", search_index(&entries)),
    ];
    for (name, text) in files {
        let path = folder.join(name);
        let outcome = destination.write_no_wider(
            &path,
            limit,
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
            Outcome::Skipped(reason) if plan.options.pseudonymize.is_some() => {
                done.failures.push(Failed {
                    name: path.display().to_string(),
                    output: Some(path),
                    failure: FileFailure::Refused(format!(
                        "{reason}; with --pseudonymize an output there already may hold real names"
                    )),
                })
            }
            Outcome::Skipped(reason) => done.skipped.push(reason),
            Outcome::Converted(_) | Outcome::NotTranscript => {}
        }
    }
}

/// The listing of a page that was there already, from its input as this run
/// would convert it.
fn listing_of(input: &Input, plan: &ConvertPlan) -> Result<Listing, ConvertError> {
    let source = plan.read(input, false)?;
    let mut options = options_for(input, plan)?;
    // Listed, not written: what it replaces is not this run's.
    options.pseudonymizer = options.pseudonymizer.map(|p| Arc::new(p.untallied()));
    convert_to_page(source, &options, &mut std::io::sink())
}

/// `index.html`, unless a page has that name: a transcript's of this run
/// (`index.md`), or a file there already that is not an archive index (a
/// page of an earlier run, say); then the first of `chatlint-index.html`,
/// `chatlint-index-2.html`, … that is free. The index never replaces a
/// page, not even with `--force`.
fn index_name(folder: &Path, pages: &[Page]) -> String {
    let taken = |name: &str| {
        let path = folder.join(name);
        pages.iter().any(|page| page.path == path) || (path.exists() && !is_archive_index(&path))
    };
    std::iter::once("index.html".to_string())
        .chain(std::iter::once("chatlint-index.html".to_string()))
        .chain((2..).map(|n| format!("chatlint-index-{n}.html")))
        .find(|name| !taken(name))
        .unwrap_or_default()
}

/// Whether the file at `path` is an archive index chatlint wrote (its head
/// says so), which a rerun may replace. Only a regular file is read: a FIFO
/// or a device there would block or never end.
fn is_archive_index(path: &Path) -> bool {
    use std::io::Read;
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::with_capacity(1 << 16);
    let read = std::fs::File::open(path).and_then(|file| file.take(1 << 16).read_to_end(&mut head));
    let head = String::from_utf8_lossy(&head);
    read.is_ok() && head.contains(INDEX_MARK)
}
