//! A rule's options: a serde struct beside the rule, with its defaults.
//!
//! A rule with options names their type in its `declare_rule!`
//! (`options: DuplicateMessageOptions`). The configuration is read into that
//! type when the file is loaded, so that a wrong or out-of-range value is an
//! error pointing into the file; [`crate::config::Settings`] keeps what was
//! read, and the rule reads it back typed with `Self::options(settings)`.
//! The type's doc comments and defaults are also what `chatlint rule NAME`
//! prints and what `schemas/config.schema.json` says, through its
//! [`JsonSchema`].

use std::any::Any;
use std::fmt::Debug;
use std::marker::PhantomData;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// The options of one rule: `#[serde(deny_unknown_fields, rename_all =
/// "kebab-case", default)]`, with the defaults in its `Default`.
/// `declare_rule!` implements it for the type the rule names.
pub trait RuleOptions:
    Serialize + DeserializeOwned + JsonSchema + Default + Debug + Send + Sync + 'static
{
    /// The defaults, made once.
    fn defaults() -> &'static Self;
}

/// A rule's options, whatever their type: what the settings hold.
pub trait AnyOptions: Any + Debug + Send + Sync {
    fn as_any(&self) -> &dyn Any;

    /// Every option, as JSON: the fields in their declared order, maps
    /// sorted by key. The same options give the same JSON.
    fn to_json(&self) -> Value;
}

impl<T: RuleOptions> AnyOptions for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn to_json(&self) -> Value {
        // The option types hold numbers, strings, lists and maps with string
        // keys, which always serialise: the fallback is never taken.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// What the configuration needs to know of a rule's options type, without
/// naming it.
pub trait OptionsType: Send + Sync {
    /// The options' names, in the order the type declares them.
    fn names(&self) -> &'static [&'static str];

    /// The options `given` (by name), the defaults for the rest.
    fn read(&self, given: &Map<String, Value>) -> Result<Arc<dyn AnyOptions>, serde_json::Error>;

    fn defaults(&self) -> &'static dyn AnyOptions;

    /// The JSON Schema of the options as a mapping: `properties` with each
    /// option's type, range, default and doc comment.
    fn schema(&self) -> Value;
}

impl Debug for dyn OptionsType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

/// The [`OptionsType`] of `T`. A unit value, so that `declare_rule!` can
/// point at one from a constant.
pub struct Typed<T>(pub PhantomData<fn() -> T>);

impl<T: RuleOptions> OptionsType for Typed<T> {
    fn names(&self) -> &'static [&'static str] {
        field_names::<T>()
    }

    fn read(&self, given: &Map<String, Value>) -> Result<Arc<dyn AnyOptions>, serde_json::Error> {
        let options: T = serde_json::from_value(Value::Object(given.clone()))?;
        Ok(Arc::new(options))
    }

    fn defaults(&self) -> &'static dyn AnyOptions {
        T::defaults()
    }

    fn schema(&self) -> Value {
        let generator = schemars::generate::SchemaSettings::draft2020_12()
            .with(|settings| settings.inline_subschemas = true)
            .into_generator();
        let mut schema = generator.into_root_schema_for::<T>().to_value();
        if let Some(properties) = schema["properties"].as_object_mut() {
            properties.values_mut().for_each(add_maximum);
        }
        unwrap_lines(&mut schema);
        schema
    }
}

/// Each `description` (a doc comment, with its line breaks) as paragraphs
/// on one line each.
fn unwrap_lines(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    Value::String(text) if key == "description" => {
                        let paragraphs: Vec<String> = text
                            .split("\n\n")
                            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                            .collect();
                        *text = paragraphs.join("\n\n");
                    }
                    _ => unwrap_lines(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unwrap_lines),
        _ => {}
    }
}

/// schemars gives an unsigned integer's `format` and `minimum`: the
/// `maximum` its type holds is written out too, for editors and for
/// [`describe`].
fn add_maximum(schema: &mut Value) {
    let maximum = match schema["format"].as_str() {
        Some("uint8") => u64::from(u8::MAX),
        Some("uint16") => u64::from(u16::MAX),
        Some("uint32") => u64::from(u32::MAX),
        Some("uint64") => u64::MAX,
        Some("uint") => usize::MAX as u64,
        _ => return,
    };
    if let Some(schema) = schema.as_object_mut() {
        schema.entry("maximum").or_insert(maximum.into());
    }
}

/// One option as `chatlint rule NAME` documents it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionDoc {
    pub name: &'static str,
    /// What values it takes, in words: "a whole number from 0 to 4294967295".
    #[serde(rename = "type")]
    pub kind: String,
    pub default: Value,
    pub doc: String,
    /// The JSON Schema of its value.
    pub schema: Value,
}

/// Each option of `options`, in declared order.
pub fn documentation(options: &dyn OptionsType) -> Vec<OptionDoc> {
    let schema = options.schema();
    options
        .names()
        .iter()
        .map(|&name| {
            let property = &schema["properties"][name];
            OptionDoc {
                name,
                kind: describe(property),
                default: property["default"].clone(),
                doc: property["description"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                schema: property.clone(),
            }
        })
        .collect()
}

/// What values a JSON Schema allows, in words, for the kinds of value rule
/// options have.
pub fn describe(schema: &Value) -> String {
    // An enum, or (when its variants have doc comments) one constant each.
    let choices: Option<Vec<&Value>> = match (schema["enum"].as_array(), schema["oneOf"].as_array())
    {
        (Some(choices), _) => Some(choices.iter().collect()),
        (None, Some(variants)) => variants.iter().map(|v| v.get("const")).collect(),
        (None, None) => None,
    };
    if let Some(choices) = choices {
        let choices: Vec<String> = choices.iter().map(|c| format!("`{}`", text(c))).collect();
        return format!("one of {}", choices.join(", "));
    }
    match schema["type"].as_str() {
        Some("integer") => {
            let minimum = text(&schema["minimum"]);
            match schema.get("maximum") {
                Some(maximum) => format!("a whole number from {minimum} to {}", text(maximum)),
                None => format!("a whole number of at least {minimum}"),
            }
        }
        Some("number") => "a number".into(),
        Some("string") => "a string".into(),
        Some("boolean") => "true or false".into(),
        Some("array") => format!("a list of {}", plural(&schema["items"])),
        Some("object") => format!(
            "a map from strings to {}",
            plural(&schema["additionalProperties"])
        ),
        _ => "a value".into(),
    }
}

/// The values of a list's or a map's schema, in words.
fn plural(schema: &Value) -> &'static str {
    match schema["type"].as_str() {
        Some("string") => "strings",
        Some("integer") => "whole numbers",
        Some("number") => "numbers",
        _ => "values",
    }
}

/// A JSON scalar as written, without a string's quotes.
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The names of a struct's fields as serde reads them (renamed), in the
/// order the struct declares them: what a `#[derive(Deserialize)]` struct
/// tells the deserializer it is given.
pub fn field_names<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut names));
    names
}

/// A deserializer that only notes the fields it is asked for.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> serde::Deserializer<'de> for FieldNames<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("only a struct's fields are read"))
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(serde::de::Error::custom("the fields are noted"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each rule's options: the defaults read back as themselves, from
    /// nothing given and from all of them written out, and the schema
    /// names each option with its default.
    #[test]
    fn each_rules_options_round_trip_their_defaults() {
        let mut rules_with_options = 0;
        for rule in crate::registry::all() {
            let meta = rule.meta();
            let Some(options) = meta.options else {
                continue;
            };
            rules_with_options += 1;
            let defaults = options.defaults().to_json();
            let Value::Object(written) = defaults.clone() else {
                panic!("{}: options are not a mapping: {defaults}", meta.name);
            };
            assert_eq!(options.read(&Map::new()).unwrap().to_json(), defaults);
            assert_eq!(options.read(&written).unwrap().to_json(), defaults);
            let names: Vec<&str> = written.keys().map(String::as_str).collect();
            let mut declared = options.names().to_vec();
            declared.sort_unstable();
            assert_eq!(names, declared, "{}", meta.name);
            for doc in documentation(options) {
                assert_eq!(
                    doc.default, defaults[doc.name],
                    "{}.{}",
                    meta.name, doc.name
                );
                assert!(
                    !doc.doc.is_empty(),
                    "{}.{} has no doc comment",
                    meta.name,
                    doc.name
                );
                assert_ne!(doc.kind, "a value", "{}.{}", meta.name, doc.name);
            }
        }
        assert_eq!(rules_with_options, 7);
    }

    #[test]
    fn a_wrong_option_does_not_read() {
        let options = crate::rules::HeadingMissingSpace::META.options.unwrap();
        for wrong in [
            serde_json::json!({"max-heading-length": 4_294_967_296_u64}),
            serde_json::json!({"max-heading-length": -1}),
            serde_json::json!({"max-heading-length": "80"}),
            serde_json::json!({"max-heading": 80}),
        ] {
            let Value::Object(given) = wrong else {
                unreachable!()
            };
            assert!(options.read(&given).is_err(), "{given:?}");
        }
    }

    #[test]
    fn kinds_of_value_in_words() {
        let cases = [
            (
                serde_json::json!({"type": "integer", "minimum": 0, "maximum": 255}),
                "a whole number from 0 to 255",
            ),
            (
                serde_json::json!({"type": "string", "enum": ["first", "last"]}),
                "one of `first`, `last`",
            ),
            (
                serde_json::json!({"type": "array", "items": {"type": "string"}}),
                "a list of strings",
            ),
            (
                serde_json::json!({"type": "object", "additionalProperties": {"type": "string"}}),
                "a map from strings to strings",
            ),
            (serde_json::json!({"type": "boolean"}), "true or false"),
            (
                serde_json::json!({"oneOf": [{"const": "u2005", "description": "…"}, {"const": "space"}]}),
                "one of `u2005`, `space`",
            ),
        ];
        for (schema, words) in cases {
            assert_eq!(describe(&schema), words, "{schema}");
        }
    }
}
