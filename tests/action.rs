//! The GitHub Action's steps (`action.yml` runs `.ci/action.sh key`,
//! `install` and `check`), run here outside GitHub: the cache key follows
//! the sources, `install` runs `cargo install --locked` only when the cache
//! did not restore the binary, and `check` writes annotations and a SARIF
//! file and exits as chatlint does.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DEFECT: &str = "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 7:50:02  右军  \n   \n##异地多活  \n   \n";

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/action.sh")
}

/// `.ci/action.sh STEP` in `dir` with `vars` set (and nothing inherited
/// that names the action's paths).
fn step(dir: &Path, step: &str, vars: &[(&str, &Path)]) -> Output {
    let mut command = Command::new("bash");
    command
        .arg(script())
        .arg(step)
        .current_dir(dir)
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_ACTION_PATH")
        .env("NO_COLOR", "1");
    for (name, value) in vars {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn write(path: &Path, contents: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

#[test]
fn the_cache_key_follows_the_sources() {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("action");
    for file in ["Cargo.toml", "Cargo.lock", "build.rs", "src/main.rs"] {
        write(&sources.join(file), file);
    }
    let outputs = dir.path().join("outputs");
    let key = || {
        fs::write(&outputs, "").unwrap();
        let run = step(
            dir.path(),
            "key",
            &[
                ("GITHUB_ACTION_PATH", &sources),
                ("GITHUB_OUTPUT", &outputs),
            ],
        );
        assert!(run.status.success(), "{}", text(&run));
        fs::read_to_string(&outputs).unwrap()
    };
    let first = key();
    assert!(first.starts_with("key=chatlint-"), "{first}");
    assert_eq!(first.lines().count(), 1, "{first}");
    assert_eq!(key(), first, "the same sources, the same key");
    write(&sources.join("src/main.rs"), "changed");
    assert_ne!(key(), first, "a changed source, another key");
}

#[test]
fn install_builds_with_locked_only_when_the_cache_did_not_restore_it() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let log = dir.path().join("cargo-calls");
    // A stand-in for cargo: records its arguments and "installs" the
    // chatlint this suite built.
    let bin = dir.path().join("fake-bin");
    let cargo = bin.join("cargo");
    write(
        &cargo,
        &format!(
            "#!/usr/bin/env bash\necho \"$*\" >> '{}'\nmkdir -p \"${{@: -1}}/bin\"\ncp '{}' \"${{@: -1}}/bin/chatlint\"\n",
            log.display(),
            env!("CARGO_BIN_EXE_chatlint")
        ),
    );
    fs::set_permissions(&cargo, fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let sources = Path::new(env!("CARGO_MANIFEST_DIR"));
    let install = || {
        let mut command = Command::new("bash");
        command
            .arg(script())
            .arg("install")
            .env("PATH", &path)
            .env("CHATLINT_ACTION_HOME", &home)
            .env("GITHUB_ACTION_PATH", sources);
        let output = command.output().unwrap();
        assert!(output.status.success(), "{}", text(&output));
        text(&output)
    };
    install();
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        format!(
            "install --locked --path {} --root {}\n",
            sources.display(),
            home.display()
        )
    );
    assert!(home.join("bin/chatlint").is_file());
    // Restored by the cache: not built again.
    let again = install();
    assert!(again.contains("restored from the cache"), "{again}");
    assert_eq!(fs::read_to_string(&log).unwrap().lines().count(), 1);
}

#[test]
fn check_annotates_writes_sarif_and_exits_as_chatlint() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    fs::create_dir_all(home.join("bin")).unwrap();
    fs::copy(env!("CARGO_BIN_EXE_chatlint"), home.join("bin/chatlint")).unwrap();
    let work = dir.path().join("work");
    write(&work.join("_posts/2017-08-25-chat.md"), DEFECT);
    let outputs = dir.path().join("outputs");
    fs::write(&outputs, "").unwrap();
    let sarif = work.join("out/chatlint.sarif");
    let run = step(
        &work,
        "check",
        &[
            ("CHATLINT_ACTION_HOME", &home),
            ("GITHUB_OUTPUT", &outputs),
            ("CHATLINT_PATHS", Path::new("_posts")),
            ("CHATLINT_SARIF", Path::new("out/chatlint.sarif")),
        ],
    );
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    let annotations = String::from_utf8(run.stdout.clone()).unwrap();
    assert!(
        annotations.contains("::error file=_posts/2017-08-25-chat.md,line=6")
            && annotations.contains("::warning file=_posts/2017-08-25-chat.md,line=8"),
        "{annotations}"
    );
    // The SARIF file is what --output-format sarif prints.
    let alone = Command::new(env!("CARGO_BIN_EXE_chatlint"))
        .args(["check", "--no-cache", "--output-format", "sarif", "_posts"])
        .current_dir(&work)
        .output()
        .unwrap();
    assert_eq!(fs::read(&sarif).unwrap(), alone.stdout);
    assert_eq!(
        fs::read_to_string(&outputs).unwrap(),
        "sarif=out/chatlint.sarif\n"
    );

    // Extra arguments pass through; a clean archive exits 0.
    let run = step(
        &work,
        "check",
        &[
            ("CHATLINT_ACTION_HOME", &home),
            ("CHATLINT_PATHS", Path::new("_posts")),
            ("CHATLINT_ARGS", Path::new("--ignore CL001,CL101")),
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    // A usage error exits 2.
    let run = step(
        &work,
        "check",
        &[
            ("CHATLINT_ACTION_HOME", &home),
            ("CHATLINT_ARGS", Path::new("--select NO-SUCH-RULE")),
        ],
    );
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
}
