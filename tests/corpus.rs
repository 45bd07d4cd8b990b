//! The real archive in `../shared/corpus/`: no crash, and findings exactly where
//! a reader would call the text wrong.
//!
//! The corpus sits beside the project for its developers and CI, not in the
//! repository. Where it is missing these tests say so and pass, unless
//! `CHATLINT_REQUIRE_CORPUS=1` (set by `.ci/run`) makes it required.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chatlint::{check_text, fix_text, parse, registry, Applicability, Rule, SourceFile};

/// The rules of the first issue, whose findings on the corpus are listed
/// exactly below; the archive-hygiene rules are counted in their own test.
fn syntax_rules() -> Vec<&'static dyn Rule> {
    [
        "malformed-timestamp",
        "time-runs-backwards",
        "heading-missing-space",
        "broken-image-url",
    ]
    .iter()
    .map(|name| registry::find(name).unwrap())
    .collect()
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CHATLINT_REQUIRE_CORPUS").is_some_and(|v| v == "1") {
        panic!(
            "CHATLINT_REQUIRE_CORPUS=1 but {} does not exist",
            dir.display()
        );
    }
    eprintln!("skipped: {} does not exist", dir.display());
    None
}

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.file_name().is_some_and(|n| n != "README.md") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files.sort();
    files
}

/// The findings the corpus really has: six headings in one file, one in the seed.
fn expected_findings() -> BTreeSet<(String, usize, &'static str)> {
    let mut expected = BTreeSet::new();
    for line in [179, 187, 219, 235, 243, 251] {
        expected.insert((
            "prodarch/_posts/2018-03-18-chat.markdown".to_string(),
            line,
            "heading-missing-space",
        ));
    }
    expected.insert((
        "seed/000_f4a706d2fca8dbb9.txt".to_string(),
        11,
        "heading-missing-space",
    ));
    expected
}

#[test]
fn every_corpus_file_has_exactly_the_expected_findings() {
    let Some(dir) = corpus_dir() else { return };
    let files = corpus_files(&dir);
    assert!(files.len() >= 450, "only {} corpus files", files.len());
    let mut found = BTreeSet::new();
    let mut messages = 0;
    for path in &files {
        let source = SourceFile::read(path, chatlint::input::DEFAULT_MAX_FILE_SIZE)
            .unwrap_or_else(|e| panic!("{e}"));
        let transcript = parse(source.text());
        messages += transcript.messages.len();
        let relative = path
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for diagnostic in check_text(source.text(), &syntax_rules()) {
            let line = source.line_column(diagnostic.span.start).line;
            found.insert((relative.clone(), line, diagnostic.rule.name));
        }
    }
    let expected = expected_findings();
    let unexpected: Vec<_> = found.difference(&expected).collect();
    let missing: Vec<_> = expected.difference(&found).collect();
    assert!(
        unexpected.is_empty() && missing.is_empty(),
        "unexpected: {unexpected:#?}\nmissing: {missing:#?}"
    );
    // The README says about 41,000 messages in devarch and prodarch alone.
    assert!(messages > 41_000, "only {messages} messages parsed");
}

#[test]
fn every_header_line_is_a_message() {
    let Some(dir) = corpus_dir() else { return };
    for path in corpus_files(&dir) {
        let text = std::fs::read_to_string(&path).unwrap();
        let headers = text.lines().filter(|line| line.starts_with("> ")).count();
        let transcript = parse(&text);
        assert_eq!(transcript.messages.len(), headers, "{}", path.display());
        assert!(
            transcript.front_matter.as_ref().is_some_and(|fm| fm.closed),
            "{}",
            path.display()
        );
        let yaml = transcript.front_matter.unwrap().parse_yaml(&text);
        assert!(yaml.is_ok(), "{}: {yaml:?}", path.display());
    }
}

#[test]
fn fixing_the_corpus_changes_only_the_expected_lines() {
    let Some(dir) = corpus_dir() else { return };
    for path in corpus_files(&dir) {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let outcome = fix_text(&name, &text, &syntax_rules(), Applicability::Safe).unwrap();
        let expected_changes = expected_findings()
            .into_iter()
            .filter(|(file, _, _)| path.ends_with(file))
            .count();
        assert_eq!(outcome.fixed.len(), expected_changes, "{name}");
        assert!(
            outcome.remaining.is_empty(),
            "{name}: {:?}",
            outcome.remaining
        );
        // Nothing but the inserted spaces differs.
        assert_eq!(outcome.text.len(), text.len() + expected_changes, "{name}");
        assert_eq!(
            outcome.text.replace("## ", "##"),
            text.replace("## ", "##"),
            "{name}"
        );
    }
}

/// The numbers of findings per rule on the corpus, as the README states them.
fn readme_counts() -> std::collections::BTreeMap<String, usize> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("### Findings on the real archive")
        .nth(1)
        .expect("README has the corpus findings table");
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let count = cells.get(3)?.parse().ok()?;
            Some((cells[2].trim_matches('`').to_string(), count))
        })
        .collect()
}

#[test]
fn archive_hygiene_findings_on_the_corpus() {
    let Some(dir) = corpus_dir() else { return };
    let settings = chatlint::Settings::default();
    let mut counts = std::collections::BTreeMap::new();
    for path in corpus_files(&dir) {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        let diagnostics = chatlint::check_path(&text, Some(&path), &settings);
        for d in &diagnostics {
            *counts.entry(d.rule.name.to_string()).or_insert(0usize) += 1;
        }
        // Every duplicate is a real twin: read both messages back from the
        // raw lines, independently of the parser.
        for d in diagnostics
            .iter()
            .filter(|d| d.rule.name == "duplicate-message")
        {
            let line_of = |offset: usize| text[..offset].matches('\n').count();
            let (later, earlier) = (line_of(d.span.start), line_of(d.related[0].span.start));
            let message = |first: usize| {
                let header = lines[first].trim_end_matches('\r');
                let time = &header[2..10];
                let body: Vec<&str> = lines[first + 1..]
                    .iter()
                    .take_while(|l| !l.starts_with("> "))
                    .map(|l| l.trim())
                    .filter(|l| !l.is_empty())
                    .collect();
                (time.to_string(), body)
            };
            let (a, b) = (message(earlier), message(later));
            assert_eq!(a, b, "{}:{}", path.display(), later + 1);
            assert!(!a.1.is_empty());
            // Twins stand next to each other, or within a burst of the same second.
            assert!(
                later > earlier && later - earlier <= 40,
                "{}:{}",
                path.display(),
                later + 1
            );
        }
        // The corpus's front matter is sound: no finding at all.
        assert!(
            !diagnostics.iter().any(|d| d.rule.name == "front-matter"),
            "{}: {:?}",
            path.display(),
            diagnostics
                .iter()
                .filter(|d| d.rule.name == "front-matter")
                .map(|d| &d.message)
                .collect::<Vec<_>>()
        );
    }
    let expected = readme_counts();
    let found: std::collections::BTreeMap<String, usize> = counts.into_iter().collect();
    assert_eq!(
        found, expected,
        "the README's table of findings on the corpus is out of date"
    );
}

#[test]
fn fixing_the_corpus_with_every_default_rule_settles_and_verifies() {
    let Some(dir) = corpus_dir() else { return };
    let settings = chatlint::Settings::default();
    for path in corpus_files(&dir) {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let once = chatlint::fix_path(&name, &text, Some(&path), &settings, Applicability::Unsafe)
            .unwrap_or_else(|e| panic!("{e}"));
        let twice = chatlint::fix_path(
            &name,
            &once.text,
            Some(&path),
            &settings,
            Applicability::Unsafe,
        )
        .unwrap();
        assert!(
            !twice.changed(),
            "{name}: fixing again changed {:?}",
            twice.fixed
        );
        assert_eq!(
            parse(&once.text).messages.len()
                + once
                    .fixed
                    .iter()
                    .filter(|r| **r == "duplicate-message")
                    .count(),
            parse(&text).messages.len(),
            "{name}"
        );
    }
}
