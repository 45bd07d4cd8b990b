//! Tells the tests what this machine has, so that a test whose resource is
//! missing shows as ignored, with the reason, instead of passing without
//! having checked anything (`#[cfg_attr(not(CFG), ignore = "needs …")]`):
//!
//! - `tests_as_root`: built by root, so the tests that own a file as another
//!   user can run;
//! - `run_corpus_tests`: the real archive `../shared/corpus` is beside the
//!   checkout;
//! - `run_precommit_tests`: `git` and `pre-commit` are on the `PATH`;
//! - `run_xmllint_tests`: `xmllint` is on the `PATH`;
//! - `run_browser_tests`: headless Chromium (`chromium` or
//!   `chromium-browser`) is on the `PATH`;
//! - `run_html5lib_tests`: `python3` imports `html5lib`.
//!
//! `CHATLINT_REQUIRE_CORPUS=1`, `CHATLINT_REQUIRE_PRECOMMIT=1`,
//! `CHATLINT_REQUIRE_XMLLINT=1`, `CHATLINT_REQUIRE_BROWSER=1` and
//! `CHATLINT_REQUIRE_HTML5LIB=1` (set by
//! `.ci/run`) set the cfg whether or not
//! the resource is there: the tests then run, and fail when it is missing.
//!
//! Cargo runs this script again when what it looked at changes: the corpus
//! folder (or `../shared`, while the corpus is missing), the `PATH`, the tools
//! found (or the `PATH` folders, while one is missing) and the variables
//! above. No path that does not exist is given to `rerun-if-changed`: Cargo
//! would run the script, and so rebuild the crate, on every build.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    for cfg in [
        "tests_as_root",
        "run_corpus_tests",
        "run_precommit_tests",
        "run_xmllint_tests",
        "run_browser_tests",
        "run_html5lib_tests",
    ] {
        println!("cargo:rustc-check-cfg=cfg({cfg})");
    }
    if effective_uid().as_deref() == Some("0") {
        println!("cargo:rustc-cfg=tests_as_root");
    }

    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by Cargo"));
    let corpus = manifest_dir.join("../shared/corpus");
    if required("CORPUS") || corpus.is_dir() {
        println!("cargo:rustc-cfg=run_corpus_tests");
    }
    // The corpus, or the folder it would appear in. When `../shared` is
    // missing too, nothing is watched: the folder above the checkout holds
    // the checkout (and its `target/`), which changes on every build. Set
    // `CHATLINT_REQUIRE_CORPUS=1`, or touch build.rs, once the corpus is there.
    if let Some(watched) = [corpus.as_path(), &manifest_dir.join("../shared")]
        .into_iter()
        .find(|path| path.is_dir())
    {
        println!("cargo:rerun-if-changed={}", watched.display());
    }

    println!("cargo:rerun-if-env-changed=PATH");
    let path_dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    let mut watch_path_dirs = false;
    // Each tool is a list of names it may have (Chromium is `chromium` on
    // Debian, `chromium-browser` elsewhere): one of them must run.
    let mut tools = |cfg: &str, what: &str, programs: &[&[&str]]| {
        let mut all_run = true;
        for names in programs {
            let found: Vec<PathBuf> = names
                .iter()
                .filter_map(|program| find_program(&path_dirs, program))
                .collect();
            for program in &found {
                println!("cargo:rerun-if-changed={}", program.display());
            }
            if found.is_empty() {
                watch_path_dirs = true;
            }
            all_run &= found.iter().any(|program| runs(program));
        }
        if required(what) || all_run {
            println!("cargo:rustc-cfg={cfg}");
        }
    };
    tools(
        "run_precommit_tests",
        "PRECOMMIT",
        &[&["git"], &["pre-commit"]],
    );
    tools("run_xmllint_tests", "XMLLINT", &[&["xmllint"]]);
    tools(
        "run_browser_tests",
        "BROWSER",
        &[&["chromium", "chromium-browser"]],
    );
    // Python's html5lib, the HTML parser of the browsers' specification: a
    // module, not a program, so asked of `python3` itself. Installed later,
    // it is seen once build.rs runs again (touch it, or set
    // CHATLINT_REQUIRE_HTML5LIB=1 as .ci/run does).
    let html5lib = find_program(&path_dirs, "python3").is_some_and(|python| {
        std::process::Command::new(python)
            .args(["-c", "import html5lib"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    });
    if required("HTML5LIB") || html5lib {
        println!("cargo:rustc-cfg=run_html5lib_tests");
    }
    // A tool installed later appears in one of these folders and changes its
    // time stamp. Folders inside the checkout are left out: the build writes
    // there.
    if watch_path_dirs {
        let checkout = manifest_dir.canonicalize().unwrap_or(manifest_dir);
        // `/bin` and `/usr/bin` are often one folder: each once.
        let dirs: std::collections::BTreeSet<PathBuf> = path_dirs
            .iter()
            .filter_map(|dir| dir.canonicalize().ok())
            .filter(|dir| dir.is_dir() && !dir.starts_with(&checkout) && !checkout.starts_with(dir))
            .collect();
        for dir in dirs {
            println!("cargo:rerun-if-changed={}", dir.display());
        }
    }
}

/// Whether `CHATLINT_REQUIRE_<what>=1` asks for the tests that need it to run
/// (and fail if it is missing).
fn required(what: &str) -> bool {
    let name = format!("CHATLINT_REQUIRE_{what}");
    println!("cargo:rerun-if-env-changed={name}");
    std::env::var_os(name).is_some_and(|value| value == "1")
}

/// The first executable file named `program` in the `PATH` folders.
fn find_program(path_dirs: &[PathBuf], program: &str) -> Option<PathBuf> {
    path_dirs
        .iter()
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

/// Whether `program --version` runs and succeeds (a pyenv shim may be on
/// the `PATH` for a Python that does not have the program).
fn runs(program: &Path) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file() || path.with_extension("exe").is_file()
    }
}

/// Linux: the effective user id is the second field of `Uid:`.
fn effective_uid() -> Option<String> {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(str::to_owned))
        })
}
