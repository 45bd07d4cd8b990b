//! The one module that touches `serde_yaml`.
//!
//! serde_yaml is unmaintained; everything else in chatlint goes through these
//! functions, so that swapping it for another YAML crate changes only this file.

use crate::model::Span;

/// A YAML value, as the rest of chatlint sees it.
pub type Value = serde_yaml::Value;

/// A YAML syntax error with its position in the source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    /// Byte offset into the file (not into the YAML snippet), when known.
    pub offset: Option<usize>,
}

/// Parses a front matter's YAML. `span` locates it in the file so that errors
/// point into the file.
pub fn parse_front_matter(text: &str, span: &Span) -> Result<Value, YamlError> {
    let yaml = &text[span.clone()];
    if yaml.trim().is_empty() {
        return Ok(Value::Mapping(Default::default()));
    }
    serde_yaml::from_str(yaml).map_err(|err| YamlError {
        offset: err.location().map(|l| span.start + l.index()),
        message: err.to_string(),
    })
}

#[cfg(test)]
mod tests {
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
    }
}
