//! What Cargo.lock may and may not hold.

use std::path::Path;

/// The names of the packages in Cargo.lock.
fn locked_packages() -> Vec<String> {
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("Cargo.lock is committed");
    lock.lines()
        .filter_map(|line| line.strip_prefix("name = \""))
        .map(|rest| rest.trim_end_matches('"').to_owned())
        .collect()
}

#[test]
fn yaml_is_read_by_yaml_serde_without_unsafe_libyaml() {
    let packages = locked_packages();
    assert!(packages.len() > 20, "Cargo.lock was not read: {packages:?}");
    assert!(packages.iter().any(|name| name == "yaml_serde"));
    // serde_yaml 0.9 is deprecated, and its unsafe-libyaml is flagged
    // unmaintained (RUSTSEC-2024-0449).
    for gone in ["serde_yaml", "unsafe-libyaml"] {
        assert!(
            !packages.iter().any(|name| name == gone),
            "{gone} is in Cargo.lock"
        );
    }
}
