//! The parts of `schemas/config.schema.json` that the code knows: the
//! rules, with each rule's options from its options type, and the rule
//! selectors. The rest of the schema (its top-level keys and `online:`) is
//! written by hand; `cargo run --example config_schema` writes these parts
//! into it, and a test checks that doing so changes nothing.

use serde_json::{json, Map, Value};

use crate::rules::registry;

/// `schema` (the configuration's JSON Schema) with `rules` and the
/// selectors made from the registry and the rules' options types.
pub fn with_rules(mut schema: Value) -> Value {
    schema["properties"]["rules"] = rules();
    schema["$defs"]["selector"]["anyOf"][0] = json!({ "enum": selectors() });
    schema
}

/// The schema of `rules:`: per rule, by name and by code, a mapping of
/// `severity` and the rule's options (their types, ranges, defaults and
/// doc comments).
pub fn rules() -> Value {
    let mut rules = Map::new();
    for rule in registry::all() {
        let meta = rule.meta();
        let mut properties = Map::new();
        properties.insert("severity".into(), json!({ "$ref": "#/$defs/severity" }));
        if let Some(options) = meta.options {
            if let Value::Object(options) = options.schema()["properties"].take() {
                properties.extend(options);
            }
        }
        let block = json!({
            "type": "object",
            "additionalProperties": false,
            "description": meta.summary().split_whitespace().collect::<Vec<_>>().join(" "),
            "properties": properties,
        });
        rules.insert(meta.name.into(), block.clone());
        rules.insert(meta.code.into(), block);
    }
    json!({
        "type": "object",
        "additionalProperties": false,
        "description": "Per rule (by name or code): `severity` (error, warning, off) and the rule's options.",
        "properties": rules,
    })
}

/// Every whole selector: `ALL`, each code and each name.
fn selectors() -> Vec<&'static str> {
    let rules = registry::all().iter().map(|rule| rule.meta());
    std::iter::once("ALL")
        .chain(rules.clone().map(|meta| meta.code))
        .chain(rules.map(|meta| meta.name))
        .collect()
}
