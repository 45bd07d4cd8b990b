//! The one module that touches `serde_yaml`.
//!
//! serde_yaml is unmaintained; everything else in chatlint goes through these
//! functions, and sees YAML as [`serde_json::Value`] or as its own types, so
//! that swapping serde_yaml for another YAML crate changes only this file.

use serde::de::DeserializeOwned;

use crate::model::Span;

/// A YAML value, as the rest of chatlint sees it.
pub type Value = serde_json::Value;

/// A YAML syntax or type error with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    /// Byte offset into the text given (for front matter: into the file), when known.
    pub offset: Option<usize>,
}

/// Reads a YAML document into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|err| YamlError {
        offset: err.location().map(|l| l.index()),
        // serde_yaml appends " at line L column C"; the caller shows the span instead.
        message: strip_location(&err.to_string()),
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
        ..err
    })
}

fn strip_location(message: &str) -> String {
    // Only a location at the very end: "… at line 2 column 1, while parsing …"
    // keeps its words, which say more than the span alone.
    if let Some(i) = message.rfind(" at line ") {
        let rest = &message[i + " at line ".len()..];
        let mut words = rest.split(' ');
        let is_location = matches!(
            (words.next(), words.next(), words.next(), words.next()),
            (Some(line), Some("column"), Some(column), None)
                if line.bytes().all(|b| b.is_ascii_digit()) && column.bytes().all(|b| b.is_ascii_digit())
        );
        if is_location {
            return message[..i].to_string();
        }
    }
    message.to_string()
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
        assert!(err.message.contains("flow sequence"), "{err:?}");
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
