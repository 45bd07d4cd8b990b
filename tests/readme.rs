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

/// The README's Layout section names every entry of `src/` and of the
/// repository's top level that holds code or tests, and nothing that is gone.
#[test]
fn readme_layout_matches_the_tree() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let section = readme
        .split("\n## Layout\n")
        .nth(1)
        .expect("a Layout section");
    let block = section
        .split("```")
        .nth(1)
        .expect("a code block in the Layout section");
    let listed: Vec<&str> = block
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(listed.len() > 10, "{listed:?}");
    for path in &listed {
        assert!(
            root.join(path).exists(),
            "the Layout section names {path}, which does not exist"
        );
    }
    let mut expected: Vec<String> = std::fs::read_dir(root.join("src"))
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().to_string();
            if entry.path().is_dir() {
                format!("src/{name}/")
            } else {
                format!("src/{name}")
            }
        })
        .collect();
    expected.extend(
        [
            "schemas/",
            "fixtures/",
            "tests/",
            "benches/",
            "fuzz/",
            ".ci/",
        ]
        .map(String::from),
    );
    for path in expected {
        assert!(
            listed.contains(&path.as_str()),
            "the Layout section does not name {path}"
        );
    }
}
