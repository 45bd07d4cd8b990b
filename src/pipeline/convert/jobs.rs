//! Which inputs a `convert` run reads, and where the output of each goes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{ConvertPlan, Failed, FileFailure};
use crate::convert::batch::Destination;
use crate::pipeline::inputs::{self, Input};

/// One input and where its output goes.
pub(super) struct Job {
    pub input: Input,
    /// The name shown in messages.
    pub name: String,
    pub output: Output,
}

pub(super) enum Output {
    Stdout,
    File(PathBuf),
    /// Decided before reading it: the input will not be converted.
    Refused(String),
}

/// The inputs (a file found in a folder knows the folder); the paths that
/// could not be read go to `failures`.
pub(super) fn find_inputs(plan: &ConvertPlan, failures: &mut Vec<Failed>) -> Vec<Input> {
    let mut found = Vec::new();
    for path in &plan.options.paths {
        let (inputs, errors) = if path.is_dir() && plan.options.from_json {
            (json_files(path), Vec::new())
        } else {
            inputs::collect(std::slice::from_ref(path), &plan.resolver, false)
        };
        found.extend(inputs);
        failures.extend(errors.into_iter().map(|err| Failed {
            name: path.display().to_string(),
            output: None,
            failure: FileFailure::Input(err),
        }));
    }
    found
}

/// The `*.json` files under a folder, in a stable order.
pub(super) fn json_files(folder: &Path) -> Vec<Input> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(folder)
        .build()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let root: Arc<Path> = Arc::from(folder);
    files
        .into_iter()
        .map(|path| Input::Found {
            path,
            root: Arc::clone(&root),
        })
        .collect()
}

pub(super) fn input_paths(found: &[Input]) -> impl Iterator<Item = &Path> {
    found.iter().filter_map(Input::path)
}

pub(super) fn new_job(input: &Input, stdin_name: &str, output: Output) -> Job {
    let name = match input.path() {
        Some(path) => path.display().to_string(),
        None => stdin_name.to_string(),
    };
    Job {
        input: input.clone(),
        name,
        output,
    }
}

/// When OUT is a folder inside an input folder, the files under it (an
/// earlier run's outputs) are not inputs.
pub(super) fn leave_out_outputs(found: Vec<Input>, out: &Path) -> Vec<Input> {
    let Ok(real_out) = out.canonicalize() else {
        return found;
    };
    found
        .into_iter()
        .filter(|input| {
            let (Some(path), Some(root)) = (input.path(), input.found_in()) else {
                return true;
            };
            let out_inside_root = root
                .canonicalize()
                .is_ok_and(|root| real_out != root && real_out.starts_with(root));
            !(out_inside_root && path.canonicalize().is_ok_and(|p| p.starts_with(&real_out)))
        })
        .collect()
}

/// Each input's place under OUT: its path below the folder it was found in,
/// or its file name when it was named.
pub(super) fn plan_tree(
    destination: &Destination,
    found: &[Input],
    plan: &ConvertPlan,
) -> Vec<Job> {
    let mut taken: HashMap<PathBuf, String> = HashMap::new();
    let mut jobs = Vec::new();
    for input in found {
        let relative = match (input.path(), input.found_in()) {
            // `inputs::collect` names files under `.` without the `./`.
            (Some(path), Some(root)) => path.strip_prefix(root).unwrap_or(path).to_path_buf(),
            (Some(path), None) => PathBuf::from(path.file_name().unwrap_or_default()),
            (None, _) => plan
                .options
                .stdin_filename
                .as_ref()
                .and_then(|p| p.file_name())
                .map_or_else(|| PathBuf::from("stdin"), PathBuf::from),
        };
        let mut job = new_job(input, &plan.stdin_name, Output::Stdout);
        job.output = match destination.output_path(&relative, plan.options.to) {
            Ok(path) => match taken.get(&path) {
                Some(first) => Output::Refused(format!(
                    "{} is already the output of {first}",
                    path.display()
                )),
                None => {
                    taken.insert(path.clone(), job.name.clone());
                    Output::File(path)
                }
            },
            Err(reason) => Output::Refused(reason),
        };
        jobs.push(job);
    }
    jobs
}
