//! Writes the rules and their options into `schemas/config.schema.json`
//! (see `chatlint::config::schema`): run after adding a rule or changing
//! an options type, from the crate's folder:
//! `cargo run --example config_schema`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = "schemas/config.schema.json";
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let schema = chatlint::config::schema::with_rules(schema);
    std::fs::write(path, serde_json::to_string_pretty(&schema)? + "\n")?;
    println!("wrote {path}");
    Ok(())
}
