//! What some tests need from outside the repository: the real archive in
//! `../shared/corpus`, `xmllint` and `pre-commit`.
//!
//! A test that needs one carries, for the corpus,
//!
//! ```text
//! #[cfg_attr(not(run_corpus_tests), ignore = "needs ../shared/corpus beside the checkout (README: Tests)")]
//! ```
//!
//! (`run_xmllint_tests`, `run_precommit_tests` for the tools): `build.rs`
//! sets the cfg when the resource is there, or when `CHATLINT_REQUIRE_…=1`
//! asks for it, so without it `cargo test` lists the test as ignored with
//! its reason. A test that runs and does not find what it needs fails: it
//! never passes without having checked.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `../shared/corpus`; a failure when it is missing.
pub fn corpus_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(
        dir.is_dir(),
        "this test reads the real archive at {}, which is missing \
         (the test runs because the corpus was there when the tests were built, \
         or because CHATLINT_REQUIRE_CORPUS=1)",
        dir.display()
    );
    dir
}

/// A copy of `from` under `to` (the corpus is never written).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            let mut permissions = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            permissions.set_readonly(false);
            std::fs::set_permissions(&target, permissions).unwrap();
        }
    }
}
