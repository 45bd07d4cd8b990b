//! Converting an archive: where each output goes, and writing it there.
//!
//! The inputs' tree is mirrored under the output folder with the format's
//! extension. Nothing is ever written outside that folder (a path that climbs
//! out of it, or a symbolic link in it that leads elsewhere, is refused) or
//! over an input file; an existing output is replaced only with `force`.
//! Each output is written to a temporary file beside it (with the mode of
//! the output it replaces) and renamed into place, so that a failed
//! conversion leaves nothing behind. Only a regular file is ever renamed
//! over: a symbolic link is followed and kept, a character device or FIFO
//! (`/dev/stdout`, a named pipe) is written into, anything else is refused.

use std::collections::HashSet;
use std::io::{BufWriter, ErrorKind, Write};
use std::path::{Component, Path, PathBuf};

use super::{ConvertError, Format, Notice};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};

use crate::files::{folder_of, names_a_descriptor, sync_folder, temporary_file_with_mode};

/// What became of one input.
#[derive(Debug)]
pub enum Outcome {
    Converted(Vec<Notice>),
    /// Not converted, on purpose (an existing output without `force`).
    Skipped(String),
    /// Read, and not converted: a file a walk found that is not a
    /// transcript. Nothing was written for it.
    NotTranscript,
    Failed(WriteError),
}

/// Why an output was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The conversion failed (reading the input, or the document).
    #[error(transparent)]
    Convert(ConvertError),
    /// The output may not or could not be written there; the message names
    /// the output, or the folder on its way.
    #[error("{0}")]
    Output(String),
}

impl From<String> for WriteError {
    fn from(message: String) -> Self {
        WriteError::Output(message)
    }
}

/// Where converted files go.
#[derive(Debug)]
pub struct Destination {
    /// The output folder as given and as resolved, for a tree; none when
    /// each output path is named.
    folder: Option<(PathBuf, PathBuf)>,
    force: bool,
    /// Every input, resolved.
    inputs: HashSet<PathBuf>,
    /// The folders [`Destination::folder`] made, the output folder first.
    made: Vec<PathBuf>,
}

impl Destination {
    /// Outputs under `folder`, which is created if missing.
    pub fn folder<'p>(
        folder: &Path,
        force: bool,
        inputs: impl IntoIterator<Item = &'p Path>,
    ) -> std::io::Result<Self> {
        let made = folder
            .ancestors()
            .take_while(|above| !above.as_os_str().is_empty() && !above.exists())
            .map(Path::to_path_buf)
            .collect();
        std::fs::create_dir_all(folder)?;
        let real = folder.canonicalize()?;
        Ok(Self {
            folder: Some((folder.to_path_buf(), real)),
            made,
            ..Self::files(force, inputs)
        })
    }

    /// Removes the folders [`Destination::folder`] made that are still
    /// empty: a run that wrote nothing (every file it found was not a
    /// transcript, or failed) leaves nothing behind. A folder that holds
    /// anything stays, and so do the folders above it.
    pub fn remove_empty_made(&self) {
        for folder in &self.made {
            if std::fs::remove_dir(folder).is_err() {
                break;
            }
        }
    }

    /// Whether the outputs go under a folder ([`Destination::folder`]).
    pub fn is_folder(&self) -> bool {
        self.folder.is_some()
    }

    /// Outputs at the paths given to [`Destination::write`].
    pub fn files<'p>(force: bool, inputs: impl IntoIterator<Item = &'p Path>) -> Self {
        Self {
            folder: None,
            force,
            inputs: inputs
                .into_iter()
                .filter_map(|path| path.canonicalize().ok())
                .collect(),
            made: Vec::new(),
        }
    }

    /// The output of the input at `relative` (to the folder it was found in)
    /// under the output folder, with the format's extension.
    pub fn output_path(&self, relative: &Path, format: Format) -> Result<PathBuf, String> {
        let (folder, _) = self
            .folder
            .as_ref()
            .ok_or("no output folder to mirror the inputs in")?;
        let mut path = folder.clone();
        for component in relative.components() {
            match component {
                Component::Normal(part) => path.push(part),
                Component::CurDir => {}
                _ => {
                    return Err(format!(
                        "{} would be written outside {}",
                        relative.display(),
                        folder.display()
                    ))
                }
            }
        }
        if path == *folder {
            return Err(format!("{} names no file", relative.display()));
        }
        path.set_extension(format.extension());
        Ok(path)
    }

    /// Writes to `path`, through a temporary file, what `convert` writes of
    /// the input `read` gives. The input is read once the output is known
    /// to be wanted (an existing output is skipped without reading it), and
    /// before anything is made: when `read` gives none (a file a walk found
    /// that is not a transcript), nothing is written, not even a folder.
    pub fn write<S>(
        &self,
        path: &Path,
        read: impl FnOnce() -> Result<Option<S>, ConvertError>,
        convert: impl FnOnce(S, &mut dyn Write) -> Result<Vec<Notice>, ConvertError>,
    ) -> Outcome {
        self.write_no_wider(path, 0o777, read, convert)
    }

    /// [`Destination::write`], the output readable by no more users than
    /// `limit` allows (the permission bits of the inputs it is made of): a
    /// private (0600) transcript does not become a readable output.
    pub fn write_no_wider<S>(
        &self,
        path: &Path,
        limit: u32,
        read: impl FnOnce() -> Result<Option<S>, ConvertError>,
        convert: impl FnOnce(S, &mut dyn Write) -> Result<Vec<Notice>, ConvertError>,
    ) -> Outcome {
        match self.try_write(path, limit, read, convert) {
            Ok(outcome) => outcome,
            Err(reason) => Outcome::Failed(reason),
        }
    }

    fn try_write<S>(
        &self,
        path: &Path,
        limit: u32,
        read: impl FnOnce() -> Result<Option<S>, ConvertError>,
        convert: impl FnOnce(S, &mut dyn Write) -> Result<Vec<Notice>, ConvertError>,
    ) -> Result<Outcome, WriteError> {
        let shown = path.display();
        let parent = folder_of(path);
        // Only looked at for now: the folders are made once there is
        // something to write in them.
        if let Some((folder, real)) = &self.folder {
            ensure_folder_inside(folder, real, parent, false)?;
        }
        // What is at the output path already decides how it is written.
        let mut target = path.to_path_buf();
        let mut mode = 0o666;
        let mut owner = None;
        if let Ok(found) = std::fs::symlink_metadata(path) {
            if path
                .canonicalize()
                .is_ok_and(|real| self.inputs.contains(&real))
            {
                return Err(format!("{shown} is an input file; it is never overwritten").into());
            }
            // `/dev/stdout`, `/dev/fd/N`…: a descriptor this process was
            // given, which may be a file the shell opened (`> out.json`,
            // `>> log`). Written into, at its end, like a device: never
            // skipped for existing and never renamed over, which would
            // replace the shell's file and lose what `>>` appends to.
            if names_a_descriptor(path) {
                return write_into(path, read, convert);
            }
            // A symbolic link is followed: what it leads to is written, the
            // link is kept.
            let is_link = found.file_type().is_symlink();
            let metadata = if is_link {
                std::fs::metadata(path)
                    .map_err(|e| format!("{shown} is a symbolic link that leads nowhere ({e})"))?
            } else {
                found
            };
            let kind = metadata.file_type();
            if kind.is_dir() {
                return Err(format!("{shown} is a folder").into());
            }
            if kind.is_char_device() || kind.is_fifo() {
                // `/dev/stdout`, `/dev/null`, a named pipe: written into,
                // never renamed over, so nothing is replaced (no `--force`).
                return write_into(path, read, convert);
            }
            if !kind.is_file() {
                return Err(format!(
                    "{shown} is neither a regular file, a character device nor a FIFO; \
                     nothing is written there"
                )
                .into());
            }
            if !self.force {
                return Ok(Outcome::Skipped(format!(
                    "{shown} exists (--force overwrites it)"
                )));
            }
            if is_link {
                target = path.canonicalize().map_err(|e| format!("{shown}: {e}"))?;
                if let Some((folder, real)) = &self.folder {
                    if !target.starts_with(real) {
                        return Err(format!(
                            "{shown} leads outside the output folder {}; nothing is written there",
                            folder.display()
                        )
                        .into());
                    }
                }
            }
            // The new output is never readable by more users than the old,
            // and belongs to the same owner and group.
            mode = metadata.permissions().mode() & 0o777;
            owner = Some((metadata.uid(), metadata.gid()));
        }
        mode &= limit;
        let Some(input) = read().map_err(WriteError::Convert)? else {
            return Ok(Outcome::NotTranscript);
        };
        match &self.folder {
            Some((folder, real)) => ensure_folder_inside(folder, real, parent, true)?,
            None => std::fs::create_dir_all(parent).map_err(|e| format!("{shown}: {e}"))?,
        }
        let folder = folder_of(&target);
        let mut temporary =
            temporary_file_with_mode(folder, mode).map_err(|e| format!("{shown}: {e}"))?;
        if let Some(owner) = owner {
            keep_owner(&temporary, owner, mode).map_err(|e| format!("{shown}: {e}"))?;
        }
        let notices = {
            let mut out = BufWriter::with_capacity(1 << 16, temporary.as_file_mut());
            let notices = convert(input, &mut out).map_err(WriteError::Convert)?;
            out.flush().map_err(|e| format!("{shown}: {e}"))?;
            notices
        };
        let persisted = if self.force {
            temporary.persist(&target)
        } else {
            temporary.persist_noclobber(&target)
        };
        match persisted {
            Ok(_) => {
                sync_folder(folder).map_err(|e| format!("{shown}: {e}"))?;
                Ok(Outcome::Converted(notices))
            }
            Err(err) if err.error.kind() == ErrorKind::AlreadyExists => Ok(Outcome::Skipped(
                format!("{shown} exists (--force overwrites it)"),
            )),
            Err(err) => Err(format!("{shown}: {}", err.error).into()),
        }
    }
}

/// The permission bits an output made of these inputs may have: those that
/// every input has (a 0600 input makes a 0600 output). An input that cannot
/// be looked at limits nothing.
pub fn permissions_of<'p>(inputs: impl IntoIterator<Item = &'p Path>) -> u32 {
    inputs
        .into_iter()
        .filter_map(|path| std::fs::metadata(path).ok())
        .fold(0o777, |limit, metadata| {
            limit & metadata.permissions().mode()
        })
}

/// Gives the temporary file the owner and group `(uid, gid)` of the output
/// it replaces (root converting over another user's file), then `mode`
/// exactly, whatever the umask took and the chown cleared.
fn keep_owner(
    temporary: &tempfile::NamedTempFile,
    (uid, gid): (u32, u32),
    mode: u32,
) -> std::io::Result<()> {
    let file = temporary.as_file();
    let current = file.metadata()?;
    if (current.uid(), current.gid()) != (uid, gid) {
        std::os::unix::fs::fchown(file, Some(uid), Some(gid)).map_err(|err| {
            std::io::Error::new(
                err.kind(),
                format!("cannot give the new output its owner and group {uid}:{gid} ({err})"),
            )
        })?;
    }
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

/// Writes the output straight into a character device, a FIFO or a
/// descriptor of this process, which is opened for writing as it is (never
/// created, truncated or replaced), and appended to: a regular file behind
/// `/dev/stdout` keeps what it held (`>> log`).
fn write_into<S>(
    path: &Path,
    read: impl FnOnce() -> Result<Option<S>, ConvertError>,
    convert: impl FnOnce(S, &mut dyn Write) -> Result<Vec<Notice>, ConvertError>,
) -> Result<Outcome, WriteError> {
    let shown = path.display();
    let Some(input) = read().map_err(WriteError::Convert)? else {
        return Ok(Outcome::NotTranscript);
    };
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| format!("{shown}: {e}"))?;
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let notices =
        match convert(input, &mut out).and_then(|notices| Ok(out.flush().map(|()| notices)?)) {
            Ok(notices) => notices,
            // A reader that went away (`-o /dev/stdout | head`) is not a failure.
            Err(ConvertError::Io(err)) if err.kind() == ErrorKind::BrokenPipe => Vec::new(),
            Err(ConvertError::Io(err)) => return Err(format!("{shown}: {err}").into()),
            Err(err) => return Err(WriteError::Convert(err)),
        };
    Ok(Outcome::Converted(notices))
}

/// Creates `target` and the folders above it up to `folder` (with `create`;
/// else stops at the first that does not exist), refusing any that is not
/// a folder inside `folder` (`real` is `folder` resolved): a symbolic link
/// may lead elsewhere in it, not out of it.
fn ensure_folder_inside(
    folder: &Path,
    real: &Path,
    target: &Path,
    create: bool,
) -> Result<(), String> {
    let outside = |path: &Path| {
        format!(
            "{} leads outside the output folder {}; nothing is written there",
            path.display(),
            folder.display()
        )
    };
    let relative = target.strip_prefix(folder).map_err(|_| outside(target))?;
    let mut current = folder.to_path_buf();
    for component in relative.components() {
        let Component::Normal(part) = component else {
            return Err(outside(target));
        };
        current.push(part);
        match std::fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let inside = current
                    .canonicalize()
                    .is_ok_and(|resolved| resolved.starts_with(real) && resolved.is_dir());
                if !inside {
                    return Err(outside(&current));
                }
            }
            Ok(_) => return Err(format!("{} is not a folder", current.display())),
            Err(err) if err.kind() == ErrorKind::NotFound && !create => return Ok(()),
            Err(err) if err.kind() == ErrorKind::NotFound => match std::fs::create_dir(&current) {
                Err(err) if err.kind() != ErrorKind::AlreadyExists => {
                    return Err(format!("{}: {err}", current.display()))
                }
                _ => {}
            },
            Err(err) => return Err(format!("{}: {err}", current.display())),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_never_climb_out() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let destination = Destination::folder(&out, false, []).unwrap();
        assert_eq!(
            destination
                .output_path(Path::new("a/2017-08-25-chat.markdown"), Format::Json)
                .unwrap(),
            out.join("a/2017-08-25-chat.json")
        );
        for bad in ["../x.md", "a/../../x.md", "/etc/x.md", ""] {
            assert!(
                destination
                    .output_path(Path::new(bad), Format::Json)
                    .is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_link_out_of_the_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("sub")).unwrap();
        let destination = Destination::folder(&out, true, []).unwrap();
        let outcome = destination.write(
            &out.join("sub/deeper/a.json"),
            || Ok(Some(())),
            |(), out| {
                out.write_all(b"{}")?;
                Ok(Vec::new())
            },
        );
        assert!(
            matches!(&outcome, Outcome::Failed(reason) if reason.to_string().contains("outside")),
            "{outcome:?}"
        );
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    }
}
