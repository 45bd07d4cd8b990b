//! A transcript's text as read from disk, with what must survive a rewrite.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::error::Error;
use crate::line_index::{LineColumn, LineIndex};

/// How the lines of a file end; kept so that a fix never changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
    /// Both occur; a fix keeps each line's own ending.
    Mixed,
    /// The text has no line break at all.
    None,
}

impl LineEnding {
    pub fn detect(text: &str) -> Self {
        let bytes = text.as_bytes();
        let (mut lf, mut crlf) = (0usize, 0usize);
        for i in memchr::memchr_iter(b'\n', bytes) {
            if i > 0 && bytes[i - 1] == b'\r' {
                crlf += 1;
            } else {
                lf += 1;
            }
        }
        match (lf, crlf) {
            (0, 0) => LineEnding::None,
            (_, 0) => LineEnding::Lf,
            (0, _) => LineEnding::CrLf,
            _ => LineEnding::Mixed,
        }
    }
}

/// One transcript's text and where it came from.
#[derive(Debug)]
pub struct SourceFile {
    /// The name shown in messages: the path as given, or `<stdin>`.
    name: String,
    /// The file on disk, if any (stdin has none).
    path: Option<PathBuf>,
    text: String,
    line_index: OnceLock<LineIndex>,
}

impl SourceFile {
    /// A source that did not come from a file (stdin, tests, a string).
    pub fn from_string(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            path: None,
            text: text.into(),
            line_index: OnceLock::new(),
        }
    }

    /// Reads a file of at most `limit` bytes (see [`crate::input`]),
    /// refusing anything that is not UTF-8 with an error that names the file
    /// and the first bad byte's line and column.
    pub fn read(path: &Path, limit: u64) -> Result<Self, Error> {
        let bytes = crate::input::read_file(path, limit)?;
        Self::from_bytes(path.display().to_string(), Some(path.to_path_buf()), bytes)
    }

    /// Builds a source from raw bytes, checking that they are UTF-8.
    pub fn from_bytes(name: String, path: Option<PathBuf>, bytes: Vec<u8>) -> Result<Self, Error> {
        // std's validator goes character by character through CJK text;
        // simdutf8 checks 32 bytes at a time. Only its "no" is slow.
        if simdutf8::basic::from_utf8(&bytes).is_ok() {
            // SAFETY: simdutf8 has just validated the bytes as UTF-8.
            let text = unsafe { String::from_utf8_unchecked(bytes) };
            return Ok(Self {
                name,
                path,
                text,
                line_index: OnceLock::new(),
            });
        }
        // Not UTF-8: std's validator says where the first bad byte is.
        let valid_up_to = std::str::from_utf8(&bytes)
            .err()
            .map_or(bytes.len(), |err| err.valid_up_to());
        let valid = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
        let position = LineIndex::new(valid).line_column(valid, valid.len());
        Err(Error::NotUtf8 {
            name,
            line: position.line,
            column: position.column,
            byte: bytes.get(valid_up_to).copied().unwrap_or_default(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The name, the path and the text, for a caller that takes the text
    /// (`--fix` hands it to the fixing, which frees it early).
    pub fn into_parts(self) -> (String, Option<PathBuf>, String) {
        (self.name, self.path, self.text)
    }

    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The 1-based line and column of a byte offset.
    pub fn line_column(&self, offset: usize) -> LineColumn {
        self.line_index().line_column(&self.text, offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_are_detected() {
        assert_eq!(LineEnding::detect("a\nb\n"), LineEnding::Lf);
        assert_eq!(LineEnding::detect("a\r\nb\r\n"), LineEnding::CrLf);
        assert_eq!(LineEnding::detect("a\r\nb\n"), LineEnding::Mixed);
        assert_eq!(LineEnding::detect("a"), LineEnding::None);
    }

    #[test]
    fn gbk_is_refused_with_its_position() {
        // "你好" in GBK after one line of ASCII.
        let bytes = b"---\n\xc4\xe3\xba\xc3".to_vec();
        let err = SourceFile::from_bytes("chat.md".into(), None, bytes).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("chat.md"), "{message}");
        assert!(message.contains("line 2, column 1"), "{message}");
    }
}
