//! What Cargo.lock may and may not hold.

use std::path::Path;

/// The names of the packages in a Cargo.lock of the repository.
fn locked_packages(lock_file: &str) -> Vec<String> {
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(lock_file))
        .unwrap_or_else(|err| panic!("{lock_file} is committed: {err}"));
    lock.lines()
        .filter_map(|line| line.strip_prefix("name = \""))
        .map(|rest| rest.trim_end_matches('"').to_owned())
        .collect()
}

#[test]
fn yaml_is_read_by_yaml_serde_without_unsafe_libyaml() {
    // The fuzz targets build chatlint too, from a lock file of their own.
    for lock_file in ["Cargo.lock", "fuzz/Cargo.lock"] {
        let packages = locked_packages(lock_file);
        assert!(
            packages.len() > 20,
            "{lock_file} was not read: {packages:?}"
        );
        assert!(packages.iter().any(|name| name == "yaml_serde"));
        // serde_yaml 0.9 is deprecated, and its unsafe-libyaml is flagged
        // unmaintained (RUSTSEC-2024-0449).
        for gone in ["serde_yaml", "unsafe-libyaml"] {
            assert!(
                !packages.iter().any(|name| name == gone),
                "{gone} is in {lock_file}"
            );
        }
    }
}
