//! Writing into the cache folder.

use std::path::Path;

use crate::error::Error;

/// Writes `bytes` to `dir/name` through a temporary file, so that a
/// concurrent run reads the old file or the new one, never half of one. The
/// folder is created with a `.gitignore` that ignores it.
pub(crate) fn write_in_folder(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        std::fs::write(&gitignore, "# Written by chatlint: cached results.\n*\n")
            .map_err(io_error(&gitignore))?;
    }
    let path = dir.join(name);
    let mut file = crate::fix::write::temporary_file_in(dir).map_err(io_error(dir))?;
    file.write_all(bytes).map_err(io_error(&path))?;
    file.persist(&path)
        .map_err(|err| io_error(&path)(err.error))?;
    Ok(())
}
