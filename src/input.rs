//! How chatlint reads what it is given: bounded in kind and in size.
//!
//! A transcript is a regular file, standard input, or a pipe the shell
//! opened for us (process substitution, `<(cmd)`, which arrives as
//! `/dev/fd/N`). Anything else named on the command line or in
//! `--config` is refused before it is read: a named FIFO would block the
//! run forever waiting for a writer, and `/dev/zero` or `/dev/urandom`
//! would be read until memory runs out.
//!
//! Every read is capped: a file larger than the limit is an error naming
//! it, found from its size before a byte is read where the size is known,
//! and by reading one byte past the limit where it is not (pipes, a file
//! that grows while it is read). Nothing is ever read without a bound.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::Error;

/// The largest transcript read by default: 1 GiB. Real transcripts are
/// kilobytes; the cap is there so that a mistaken path (a disk image, a
/// log) fails at once instead of exhausting memory. `--max-file-size`
/// raises or lowers it.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1 << 30;

/// The largest configuration file read: 1 MiB, far above any real one.
pub const MAX_CONFIG_SIZE: u64 = 1 << 20;

/// The largest cache file read (`.chatlint-cache`); a larger one is a miss.
pub const MAX_CACHE_SIZE: u64 = 1 << 30;

/// Reads the file at `path`, refusing anything that is not a regular file
/// (except a process-substitution pipe, see [`is_inherited_descriptor`])
/// and anything larger than `limit` bytes.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, Error> {
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let inherited = is_inherited_descriptor(path);
    if !inherited {
        // Looked at before opening: opening a FIFO for reading blocks until
        // someone writes to it.
        let metadata = std::fs::metadata(path).map_err(io_error)?;
        refuse_unless_regular(path, &metadata)?;
    }
    let mut file = open_for_reading(path, inherited).map_err(io_error)?;
    let metadata = file.metadata().map_err(io_error)?;
    if !inherited {
        // Checked again on what was opened: the path may have been swapped
        // for something else in between.
        refuse_unless_regular(path, &metadata)?;
    }
    let known_size = metadata.is_file().then_some(metadata.len());
    if known_size.is_some_and(|size| size > limit) {
        return Err(too_large(path, limit));
    }
    read_at_most(&mut file, limit, known_size)
        .map_err(io_error)?
        .ok_or_else(|| too_large(path, limit))
}

/// Reads standard input, up to `limit` bytes; `name` names it in errors.
pub fn read_stdin(name: &str, limit: u64) -> Result<Vec<u8>, Error> {
    let path = PathBuf::from(name);
    read_at_most(&mut std::io::stdin().lock(), limit, None)
        .map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?
        .ok_or_else(|| too_large(&path, limit))
}

/// Reads everything `reader` holds if it is at most `limit` bytes; `None`
/// if there is more. `size_hint` (a regular file's length) sizes the
/// buffer once, so that a large file is not copied while it is read.
fn read_at_most(
    reader: &mut dyn Read,
    limit: u64,
    size_hint: Option<u64>,
) -> std::io::Result<Option<Vec<u8>>> {
    let capacity = size_hint
        .and_then(|size| usize::try_from(size).ok())
        // One byte more: the read that finds the end needs room to try.
        .map_or(0, |size| size.saturating_add(1));
    let mut bytes = Vec::with_capacity(capacity);
    // One byte past the limit tells "exactly the limit" from "more".
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

fn too_large(path: &Path, limit: u64) -> Error {
    Error::TooLarge {
        path: path.to_path_buf(),
        limit,
    }
}

/// Whether `path` names a descriptor this process inherited
/// (`/dev/fd/N`, `/proc/self/fd/N`, `/dev/stdin`): the pipe of a process
/// substitution, which the user made on purpose and which is read as
/// standard input is.
pub fn is_inherited_descriptor(path: &Path) -> bool {
    let Some(text) = path.to_str() else {
        return false;
    };
    text == "/dev/stdin"
        || ["/dev/fd/", "/proc/self/fd/"].iter().any(|prefix| {
            text.strip_prefix(prefix)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// An error unless `metadata` is a regular file's.
fn refuse_unless_regular(path: &Path, metadata: &std::fs::Metadata) -> Result<(), Error> {
    if metadata.is_file() {
        return Ok(());
    }
    Err(Error::NotAFile {
        path: path.to_path_buf(),
        kind: file_kind(metadata),
    })
}

/// What a non-regular file is, in words.
fn file_kind(metadata: &std::fs::Metadata) -> &'static str {
    if metadata.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Opens `path` for reading. Except for an inherited descriptor, it is
/// opened non-blocking, so that a FIFO swapped in after the first look
/// cannot hang the open (it is then refused by its metadata); reading a
/// regular file is not affected by the flag.
fn open_for_reading(path: &Path, inherited: bool) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    if !inherited {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    let _ = inherited;
    options.open(path)
}

/// Parses a size as `--max-file-size` takes it: a number of bytes with an
/// optional unit, decimal (`K`/`KB`, `M`/`MB`, `G`/`GB`) or binary (`KiB`,
/// `MiB`, `GiB`), in any case; e.g. `500MB`, `2GiB`, `1048576`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let number: u64 = number.parse().map_err(|_| {
        format!("`{text}` is not a size: give a number of bytes, e.g. 500MB or 2GiB")
    })?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        "t" | "tb" => 1_000_000_000_000,
        "tib" => 1 << 40,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`: use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB"
            ))
        }
    };
    number
        .checked_mul(multiplier)
        .ok_or_else(|| format!("`{text}` is too large a size"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_their_units() {
        assert_eq!(parse_size("1048576"), Ok(1_048_576));
        // The default `--max-file-size` is written as text in the CLI.
        assert_eq!(parse_size("1GiB"), Ok(DEFAULT_MAX_FILE_SIZE));
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size(" 3 kib "), Ok(3 << 10));
        assert!(parse_size("").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("5 parsecs").is_err());
        assert!(parse_size("99999999999TB").is_err());
    }

    #[test]
    fn a_file_at_the_limit_is_read_and_one_byte_more_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.md");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_file(&path, 5).unwrap(), b"12345");
        let err = read_file(&path, 4).unwrap_err();
        assert!(matches!(err, Error::TooLarge { limit: 4, .. }), "{err}");
        assert!(err.to_string().contains("t.md"), "{err}");
    }

    #[test]
    fn a_reader_longer_than_the_limit_is_cut_off_not_read_through() {
        // An endless reader: only the limit plus one byte is ever taken.
        let mut endless = std::io::repeat(b'x');
        assert_eq!(read_at_most(&mut endless, 1000, None).unwrap(), None);
        let mut short: &[u8] = b"abc";
        assert_eq!(
            read_at_most(&mut short, 3, None).unwrap(),
            Some(b"abc".to_vec())
        );
    }

    #[test]
    fn inherited_descriptors_are_recognised_by_their_exact_form() {
        for path in ["/dev/fd/63", "/proc/self/fd/0", "/dev/stdin"] {
            assert!(is_inherited_descriptor(Path::new(path)), "{path}");
        }
        for path in [
            "/dev/fd/",
            "/dev/fd/6x",
            "/dev/zero",
            "dev/fd/3",
            "/dev/fd/3/../x",
        ] {
            assert!(!is_inherited_descriptor(Path::new(path)), "{path}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused_without_being_read() {
        let err = read_file(Path::new("/dev/zero"), u64::MAX).unwrap_err();
        assert!(
            matches!(
                err,
                Error::NotAFile {
                    kind: "a character device",
                    ..
                }
            ),
            "{err}"
        );
        let dir = tempfile::tempdir().unwrap();
        let err = read_file(dir.path(), u64::MAX).unwrap_err();
        assert!(
            matches!(
                err,
                Error::NotAFile {
                    kind: "a folder",
                    ..
                }
            ),
            "{err}"
        );
    }
}
