//! The one module that touches the YAML crate.
//!
//! That crate is `yaml_serde`, the YAML organization's continuation of the
//! deprecated serde_yaml with the same API (Cargo.toml renames it to
//! `serde_yaml`; it is written in Rust, without serde_yaml's
//! `unsafe-libyaml`). Everything else in chatlint goes through these
//! functions, and sees YAML as [`serde_json::Value`] or as its own types, so
//! that swapping the YAML crate changes only this module.

use serde::de::DeserializeOwned;

/// A byte range of the text (the model's `Span`; the model reads YAML through
/// this module, so this module does not name the model).
type Span = std::ops::Range<usize>;

mod locate;
mod simple;
pub use locate::{locate, value_end, Step};

/// A YAML value, as the rest of chatlint sees it.
pub type Value = serde_json::Value;

/// A YAML syntax or type error with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    /// Byte offset into the text given (for front matter: into the file), when known.
    pub offset: Option<usize>,
    /// Where the construct being parsed began ("while parsing a flow
    /// sequence at line 1 column 8"): often where the mistake really is.
    pub context_offset: Option<usize>,
}

/// How deep flow collections (`[`, `{`) may nest. The YAML parser's time
/// grows much faster than the input with the depth (200 KB of `[` took 70 s),
/// and no front matter or configuration needs more than a few levels.
pub const MAX_FLOW_DEPTH: usize = 64;

/// The offset of the bracket that opens a flow collection deeper than
/// [`MAX_FLOW_DEPTH`], in one pass over the bytes. Brackets inside quoted
/// scalars and comments count too: skipping quotes would let a stray `'`
/// hide a deep nest, and no real document has 64 unclosed brackets in text.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Reads a YAML document into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if let Some(at) = too_deep(text) {
        return Err(YamlError {
            message: format!("flow collections nested deeper than {MAX_FLOW_DEPTH} levels"),
            offset: Some(at),
            context_offset: None,
        });
    }
    serde_yaml::from_str(text).map_err(|err| {
        let message = err.to_string();
        YamlError {
            offset: err.location().map(|l| l.index()),
            context_offset: context_location(&message)
                .and_then(|(line, column)| offset_of(text, line, column)),
            // serde_yaml appends " at line L column C"; the caller shows the span instead.
            message: strip_location(&message),
        }
    })
}

/// Parses a front matter's YAML. `span` locates it in the file so that errors
/// point into the file.
pub fn parse_front_matter(text: &str, span: &Span) -> Result<Value, YamlError> {
    let yaml = &text[span.clone()];
    if yaml.trim().is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    from_str(yaml).map_err(|err| YamlError {
        offset: err.offset.map(|o| span.start + o),
        context_offset: err.context_offset.map(|o| span.start + o),
        ..err
    })
}

/// Why a front matter's YAML does not parse, or `None` when it does: what
/// [`parse_front_matter`] says, without reading it into a value when its
/// shape is one that certainly parses (nearly every front matter).
pub fn front_matter_error(text: &str, span: &Span) -> Option<YamlError> {
    if simple::certainly_valid(&text[span.clone()]) {
        return None;
    }
    parse_front_matter(text, span).err()
}

/// The 1-based line and column after "while parsing … at line L column C".
fn context_location(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find("while parsing")?..];
    let rest = &rest[rest.find(" at line ")? + " at line ".len()..];
    let mut words = rest.split([' ', ',']);
    let line = words.next()?.parse().ok()?;
    (words.next()? == "column").then_some(())?;
    let column = words.next()?.parse().ok()?;
    Some((line, column))
}

/// The byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    // YAML, like CommonMark, ends a line at LF, CRLF or a lone CR.
    let mut line_start = 0;
    for _ in 1..line {
        let (end, next) = crate::line_index::next_line_break(text.as_bytes(), line_start);
        if end == text.len() {
            return None;
        }
        line_start = next;
    }
    let line_text = &text[line_start..];
    let within = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    Some(line_start + within)
}

/// The message without serde_yaml's " at line L column C": those count
/// lines of the YAML alone, and the report shows the file's own positions.
fn strip_location(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let mut words = after.splitn(4, [' ', ',']);
        let line = words.next().unwrap_or_default();
        let keyword = words.next().unwrap_or_default();
        let column = words.next().unwrap_or_default();
        let is_location = keyword == "column"
            && !line.is_empty()
            && line.bytes().all(|b| b.is_ascii_digit())
            && !column.is_empty()
            && column.bytes().all(|b| b.is_ascii_digit());
        if is_location {
            rest = &after[line.len() + 1 + keyword.len() + 1 + column.len()..];
        } else {
            out.push_str(" at line ");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn deep_flow_nesting_is_refused_before_the_parser_sees_it() {
        for open in ["[", "{", "[{"] {
            let text = format!("title: {}", open.repeat(100_000));
            let err = super::from_str::<super::Value>(&text).unwrap_err();
            assert!(err.message.contains("nested deeper"), "{}", err.message);
            assert!(err
                .offset
                .is_some_and(|at| text.as_bytes()[at] == open.as_bytes()[0]
                    || text.as_bytes()[at] == b'{'
                    || text.as_bytes()[at] == b'['));
        }
        // Shallow nesting still parses.
        let value: super::Value = super::from_str("a: [[1, {b: [2]}]]").unwrap();
        assert_eq!(value["a"][0][1]["b"][0], 2);
    }

    use super::*;

    #[test]
    fn tab_after_key_is_valid_like_libyaml() {
        let text = "tag:\t\t  [chat]\n";
        let value = parse_front_matter(text, &(0..text.len())).unwrap();
        assert_eq!(value["tag"][0].as_str(), Some("chat"));
    }

    #[test]
    fn errors_point_into_the_file() {
        let text = "---\ntitle: [unclosed\n---\n";
        let err = parse_front_matter(text, &(4..21)).unwrap_err();
        assert!(err.offset.unwrap() >= 4, "{err:?}");
        assert!(err.message.contains("flow sequence"), "{err:?}");
        // The sequence opened at `[`, column 8 of the YAML's first line.
        assert_eq!(err.context_offset, Some(4 + 7), "{err:?}");
    }

    #[test]
    fn typed_documents_report_unknown_fields_with_a_position() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Doc {
            select: Vec<String>,
        }
        let err = from_str::<Doc>("select: [a]\nselct: [b]\n").unwrap_err();
        assert!(err.message.contains("selct"), "{err:?}");
        assert_eq!(err.offset, Some(12));
    }
}
