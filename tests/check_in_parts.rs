//! A large transcript is checked a part at a time (`linter::check_in`), so
//! that only one part's model is in memory. These tests hold it to the one
//! promise that makes that safe: the findings are exactly those of a whole
//! check, on every file of the real archive and on generated transcripts
//! full of what crosses parts (duplicates, times that run backwards, day
//! headings, suppression blocks, code fences), cut into parts as small as
//! one message.

use std::path::{Path, PathBuf};

use chatlint::config::{ConfigResolver, Overrides};
use chatlint::{registry, Settings};
use proptest::prelude::*;

mod invariants;
mod resources;

fn assert_parts_agree(text: &str, settings: &Settings, path: Option<&Path>, what: &str) {
    invariants::assert_parts_agree_with(text, settings, path, &[1, 300], what);
}

/// Every rule, with the options that reach furthest across messages.
fn settings_from(yaml: &str) -> Settings {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join(".chatlint.yaml");
    std::fs::write(&config, yaml).unwrap();
    let resolver = ConfigResolver::new(Some(&config)).unwrap();
    let chain = resolver.chain_for_file(&dir.path().join("t.md")).unwrap();
    Settings::resolve(&chain, None, &Overrides::default()).unwrap()
}

fn all_settings() -> Vec<(&'static str, Settings)> {
    vec![
        ("every rule", Settings::from_rules(registry::all().to_vec())),
        (
            "keep: last, max-distance: 3",
            settings_from(
                "select: [ALL]\nrules:\n  duplicate-message:\n    keep: last\n    max-distance: 3\n",
            ),
        ),
        (
            "max-distance: 40",
            settings_from("select: [ALL]\nrules:\n  duplicate-message:\n    max-distance: 40\n"),
        ),
    ]
}

fn corpus_files() -> Vec<PathBuf> {
    let dir = resources::corpus_dir();
    let mut files = Vec::new();
    let mut folders = vec![dir];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.file_name().is_some_and(|n| n != "README.md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn every_corpus_file_gives_the_same_findings_in_parts() {
    let files = corpus_files();
    assert!(files.len() > 400, "only {} corpus files", files.len());
    let settings = all_settings();
    // Files in parallel: the slowest test of the suite otherwise.
    use rayon::prelude::*;
    files.par_iter().for_each(|path| {
        let text = std::fs::read_to_string(path).unwrap();
        for (i, (name, settings)) in settings.iter().enumerate() {
            // A part per message with every rule; larger parts with the
            // options that reach further back (a part per message there
            // adds time, not cases).
            let sizes: &[usize] = if i == 0 { &[1] } else { &[300] };
            invariants::assert_parts_agree_with(
                &text,
                settings,
                Some(path),
                sizes,
                &format!("{} ({name})", path.display()),
            );
        }
    });
}

#[test]
fn the_fixtures_give_the_same_findings_in_parts() {
    let settings = all_settings();
    // Every transcript under `fixtures/`, in its rule's folder or deeper
    // (a fixture with a configuration of its own has a folder of its own).
    let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
    let mut checked = 0;
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|ext| ext != "md") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (name, settings) in &settings {
                assert_parts_agree(
                    &text,
                    settings,
                    Some(&path),
                    &format!("{} ({name})", path.display()),
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} fixtures");
}

/// One line of a transcript whose meaning reaches across messages.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..3u8, 0..3u8).prop_map(|(m, s)| format!("> 08:0{m}:0{s}  右军  ")),
        (0..3u8).prop_map(|m| format!("> 2017-05-05 09:0{m}:00  钟")),
        Just("> 7:50:02  a".to_string()),
        Just("> 25:00:00  b".to_string()),
        Just("> 23:59:00  c".to_string()),
        Just("   ".to_string()),
        Just("同一句话".to_string()),
        Just("another line".to_string()),
        Just("##异地多活".to_string()),
        Just("## 2017-05-06".to_string()),
        Just("```".to_string()),
        Just("&amp;gt; quoted".to_string()),
        Just("![2017-05-05 08:00:00](http:/x.cn/a.png)".to_string()),
        Just("<!-- chatlint-disable duplicate-message -->".to_string()),
        Just("<!-- chatlint-enable -->".to_string()),
        Just("<!-- chatlint-disable -->".to_string()),
        Just("<!-- chatlint-disable-next-line time-runs-backwards -->".to_string()),
        Just("##x <!-- chatlint-disable-line heading-missing-space -->".to_string()),
        Just("\u{200b}hidden".to_string()),
    ]
}

fn transcript() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::collection::vec(line(), 0..80),
        any::<bool>(),
    )
        .prop_map(|(front_matter, lines, crlf)| {
            let mut text = String::new();
            if front_matter {
                text.push_str("---\nlayout: source\ntitle: \"2017-05-05-WeChat\"\n---\n");
            }
            for line in lines {
                text.push_str(&line);
                text.push_str(if crlf { "\r\n" } else { "\n" });
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(300)
    ))]

    #[test]
    fn generated_transcripts_give_the_same_findings_in_parts(text in transcript()) {
        for (name, settings) in all_settings() {
            assert_parts_agree(&text, &settings, None, &format!("{text:?} ({name})"));
        }
    }
}
