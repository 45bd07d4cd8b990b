//! The README's rule table says what the registry says.

use chatlint::registry;

#[test]
fn readme_rule_table_matches_the_registry() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let section = readme
        .split("\n## Rules\n")
        .nth(1)
        .expect("a Rules section");
    let rows: Vec<Vec<String>> = section
        .lines()
        .take_while(|line| !line.starts_with("## ") && !line.starts_with("### "))
        .filter(|line| line.starts_with("| CL"))
        .map(|line| {
            line.split('|')
                .map(|cell| cell.trim().to_string())
                .collect()
        })
        .collect();
    let rules = registry::all();
    assert_eq!(rows.len(), rules.len(), "one row per rule");
    for (row, rule) in rows.iter().zip(rules) {
        let meta = rule.meta();
        let fix = format!("{:?}", meta.fix).to_lowercase();
        let severity = meta.severity.to_string();
        let severity = if meta.default_enabled {
            severity
        } else {
            format!("{severity} (off)")
        };
        assert_eq!(
            (
                row[1].as_str(),
                row[2].as_str(),
                row[3].as_str(),
                row[4].as_str()
            ),
            (meta.code, meta.name, severity.as_str(), fix.as_str()),
            "README row for {}",
            meta.name
        );
        assert!(!row[5].is_empty());
    }
}
