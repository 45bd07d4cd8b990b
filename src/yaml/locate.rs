//! Where a node of a YAML document is: what no [`Value`](super::Value) keeps, for errors
//! that point into the file.

/// A step into a YAML document: a mapping's key or a sequence's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Where the node at `path` starts in `text`, a document that
/// [`super::from_str`] reads: its key (`key: true`, for a path that ends in a
/// key) or its value. `None` if there is no such node.
///
/// Found by reading the document again, skipping everything but the path,
/// and stopping at the node with an error, which the YAML reader marks
/// with the node's position.
pub fn locate(text: &str, path: &[Step], key: bool) -> Option<usize> {
    use serde::de::DeserializeSeed;
    let err = Seek { path, key }
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .err()?;
    // The message is prefixed with the path ("rules.x: …") below the top.
    if !err.to_string().contains(FOUND) {
        return None;
    }
    let offset = err.location()?.index();
    (offset <= text.len()).then_some(offset)
}

/// The message of the error that stops [`locate`] at the node it seeks.
const FOUND: &str = "chatlint: found the node";

/// Seeks the node at `path` in what it deserializes.
#[derive(Clone, Copy)]
struct Seek<'p> {
    path: &'p [Step],
    key: bool,
}

impl Seek<'_> {
    fn found<E: serde::de::Error>() -> E {
        E::custom(FOUND)
    }

    fn missing<E: serde::de::Error>() -> E {
        E::custom("chatlint: no such node")
    }

    /// A scalar: the node sought if the path ends here.
    fn scalar<E: serde::de::Error>(self) -> Result<(), E> {
        Err(if self.path.is_empty() {
            Self::found()
        } else {
            Self::missing()
        })
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML node")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((Step::Key(wanted), rest)) = self.path.split_first() else {
            return self.scalar();
        };
        let stop_at_key = rest.is_empty() && self.key;
        while let Some(is_wanted) = map.next_key_seed(KeyIs {
            wanted,
            stop: stop_at_key,
        })? {
            if is_wanted {
                return map.next_value_seed(Seek { path: rest, ..self });
            }
            map.next_value::<serde::de::IgnoredAny>()?;
        }
        Err(Self::missing())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Step::Index(wanted), rest)) = self.path.split_first() else {
            return self.scalar();
        };
        for _ in 0..*wanted {
            if seq.next_element::<serde::de::IgnoredAny>()?.is_none() {
                return Err(Self::missing());
            }
        }
        seq.next_element_seed(Seek { path: rest, ..self })?
            .ok_or_else(Self::missing)
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar()
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar()
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar()
    }

    fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<(), E> {
        self.scalar()
    }

    fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<(), E> {
        self.scalar()
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar()
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar()
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.scalar()
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.scalar()
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        // A tagged node (`!tag value`): no configuration has one.
        self.scalar()
    }
}

/// Reads a mapping's key: whether it is the one sought, or, with `stop`,
/// stops there.
struct KeyIs<'w> {
    wanted: &'w str,
    stop: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        // The key as a string, as a `Value`'s mapping reads it; stopping
        // inside the reader's call, so that the error is marked with the
        // key's position.
        deserializer.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<bool, E> {
        match key == self.wanted {
            true if self.stop => Err(Seek::found()),
            is_wanted => Ok(is_wanted),
        }
    }
}

/// The end of the value that starts at `start` (for a span to underline):
/// a quoted string to its closing quote, a flow collection to its closing
/// bracket, anything else to the end of the line, a comment, or in a flow
/// collection the next `,`, `]` or `}`. Never past the line's end.
pub fn value_end(text: &str, start: usize) -> usize {
    let Some(rest) = text.get(start..) else {
        return start.min(text.len());
    };
    let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    let mut chars = line.char_indices().peekable();
    let end = match chars.next() {
        Some((_, quote @ ('"' | '\''))) => {
            let mut end = line.len();
            while let Some((i, c)) = chars.next() {
                // An escape: `\"` in double quotes, `''` in single ones.
                let escaped = match quote {
                    '"' => c == '\\',
                    _ => c == quote && chars.peek().is_some_and(|(_, c)| *c == quote),
                };
                if escaped {
                    chars.next();
                } else if c == quote {
                    end = i + 1;
                    break;
                }
            }
            end
        }
        Some((_, '[' | '{')) => {
            let mut depth = 0usize;
            let mut end = line.len();
            for (i, c) in line.char_indices() {
                match c {
                    '[' | '{' => depth += 1,
                    ']' | '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            end
        }
        _ => {
            let stop = [", ", ",", "]", "}", " #"]
                .iter()
                .filter_map(|s| line.find(s))
                .min()
                .unwrap_or(line.len());
            line[..stop].trim_end().len()
        }
    };
    start + end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> Step {
        Step::Key(name.to_string())
    }

    #[test]
    fn nodes_are_found_in_block_and_flow_style() {
        let text = "select: [CL001, \"CL002\"]\nrules:\n  redact:\n    terms: {a: b}\n  CL002:\n    midnight-gap-hours:\n      12\n";
        let at = |path: &[Step], is_key| locate(text, path, is_key).map(|o| &text[o..]);
        let select = [key("select"), Step::Index(1)];
        assert!(at(&select, false).unwrap().starts_with("\"CL002\"]"));
        assert!(at(&[key("rules")], true).unwrap().starts_with("rules:"));
        let terms = [key("rules"), key("redact"), key("terms")];
        assert!(at(&terms, true).unwrap().starts_with("terms:"));
        assert!(at(&terms, false).unwrap().starts_with("{a: b}"));
        let a = [key("rules"), key("redact"), key("terms"), key("a")];
        assert!(at(&a, true).unwrap().starts_with("a: b}"));
        assert!(at(&a, false).unwrap().starts_with("b}"));
        let gap = [key("rules"), key("CL002"), key("midnight-gap-hours")];
        assert!(at(&gap, false).unwrap().starts_with("12\n"));
        // What is not there is not found.
        assert_eq!(at(&[key("ignore")], true), None);
        assert_eq!(at(&[key("select"), Step::Index(2)], false), None);
        assert_eq!(at(&[key("select"), key("x")], false), None);
    }

    #[test]
    fn values_end_where_they_end() {
        let cases = [
            ("x: 4294967296\n", "4294967296"),
            ("x: \"a, \\\"b\\\"\"  # note\n", "\"a, \\\"b\\\"\""),
            ("x: 'it''s'\n", "'it''s'"),
            ("x: [a, [b]] # c\n", "[a, [b]]"),
            ("x: {a: b, c: d}\n", "{a: b, c: d}"),
            ("{x: soon, y: 2}\n", "soon"),
            ("x: plain text # comment\n", "plain text"),
            ("x: \"unclosed\n", "\"unclosed"),
            ("x: 闰月\n", "闰月"),
        ];
        for (text, value) in cases {
            let start = text.find(value).unwrap();
            assert_eq!(&text[start..value_end(text, start)], value, "{text:?}");
        }
        assert_eq!(value_end("x:", 5), 2);
    }
}
