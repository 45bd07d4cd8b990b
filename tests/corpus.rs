//! The real archive in `../shared/corpus/`: no crash, and findings exactly where
//! a reader would call the text wrong.
//!
//! The corpus sits beside the project for its developers and CI, not in the
//! repository. Where it is missing these tests are listed as ignored, with
//! the reason; `CHATLINT_REQUIRE_CORPUS=1` (set by `.ci/run`) runs them
//! anyway, so that they fail (see `tests/resources/mod.rs`).
//!
//! The numbers of findings are not taken on trust: each rule's findings are
//! compared, line by line, with what a plain scan of the raw lines written
//! here finds (without chatlint's parser), and the README's table with both.

mod corpus_scan;
mod resources;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chatlint::{check_text, fix_text, parse, registry, Applicability, Rule, SourceFile};
use resources::corpus_dir;

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
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn every_corpus_file_has_exactly_the_expected_findings() {
    let dir = corpus_dir();
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
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn every_header_line_is_a_message() {
    let dir = corpus_dir();
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
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn fixing_the_corpus_changes_only_the_expected_lines() {
    let dir = corpus_dir();
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
fn readme_counts() -> BTreeMap<String, usize> {
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

/// Default rules that do nothing without options (`image-url-template`,
/// `terms`), so that the scan has nothing to look for.
const INERT_BY_DEFAULT: &[&str] = &["image-url-pattern", "redact"];

/// Where the scan and chatlint read a line of the archive differently, as
/// `differences` words it, and why. The test fails if one of these is gone
/// or another appears.
const LOST_CHARACTER_DISAGREEMENTS: &[(&str, &str)] = &[(
    "prodarch/_posts/2018-01-02-chat.markdown:79: chatlint 0, scan 1",
    "`@牟宁波?天地融?产品?北京 同学们的支持`: he does not speak that day and no \
         other mention shows his name, and another lone `?` follows the first before \
         the space, so the name may go on past it: chatlint leaves the line alone (in \
         the files where he speaks, the name is read whole); the scan, which does not \
         look ahead, reads `@牟宁波` and reports the `?` inside the name",
)];

/// (file, line) → how many findings there.
type Lines = BTreeMap<(String, usize), usize>;

/// Where two tallies of one rule differ, for a failure message.
fn differences(chatlint: &Lines, scan: &Lines) -> Vec<String> {
    let keys: BTreeSet<&(String, usize)> = chatlint.keys().chain(scan.keys()).collect();
    keys.into_iter()
        .filter_map(|key @ (file, line)| {
            let (a, b) = (chatlint.get(key), scan.get(key));
            (a != b).then(|| {
                format!(
                    "{file}:{line}: chatlint {}, scan {}",
                    a.unwrap_or(&0),
                    b.unwrap_or(&0)
                )
            })
        })
        .collect()
}

#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn archive_hygiene_findings_on_the_corpus() {
    let dir = corpus_dir();
    let settings = chatlint::Settings::default();
    // Rule → (file, line) → count, from chatlint and from the scan.
    let mut found: BTreeMap<String, Lines> = BTreeMap::new();
    let mut scanned: BTreeMap<String, Lines> = BTreeMap::new();
    let mut scan_total = corpus_scan::Scan::default();
    for path in corpus_files(&dir) {
        let text = std::fs::read_to_string(&path).unwrap();
        let relative = path
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let lines: Vec<&str> = text.split('\n').collect();
        let diagnostics = chatlint::check_path(&text, Some(&path), &settings);
        let source = SourceFile::from_string(relative.clone(), text.clone());
        for d in &diagnostics {
            let line = source.line_column(d.span.start).line;
            *found
                .entry(d.rule.name.to_string())
                .or_default()
                .entry((relative.clone(), line))
                .or_default() += 1;
        }
        let mut scan = corpus_scan::Scan::default();
        let name = path.file_name().unwrap().to_string_lossy();
        corpus_scan::scan_file(&name, &text, &mut scan);
        for (rule, lines) in scan.findings {
            for line in lines {
                *scanned
                    .entry(rule.to_string())
                    .or_default()
                    .entry((relative.clone(), line))
                    .or_default() += 1;
            }
        }
        for (what, count) in scan.looked_at {
            *scan_total.looked_at.entry(what).or_default() += count;
        }
        // The twins whose removal is safe are the identical ones.
        let safe: Vec<usize> = diagnostics
            .iter()
            .filter(|d| d.rule.name == "duplicate-message" && d.fixable_at(Applicability::Safe))
            .map(|d| source.line_column(d.span.start).line)
            .collect();
        assert_eq!(
            safe, scan.identical_twins,
            "{relative}: safe duplicate fixes"
        );
        scan_total.identical_twins.extend(safe);
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
    }

    // The scan looked at everything: every header, image and front matter.
    let looked_at = &scan_total.looked_at;
    assert!(looked_at["headers"] > 41_000, "{looked_at:?}");
    // lost-character: every first header and `@`.
    assert!(looked_at["speakers"] > 10_000, "{looked_at:?}");
    assert!(looked_at["@"] > 5_000, "{looked_at:?}");
    assert!(looked_at["front matters"] >= 450, "{looked_at:?}");
    assert!(
        looked_at["images with a time in the file name"] > 1_000,
        "{looked_at:?}"
    );
    assert!(!scan_total.identical_twins.is_empty());

    // Every rule that runs by default is compared, line by line, rules
    // without findings (malformed-timestamp, front-matter …) included.
    let mut problems = Vec::new();
    for rule in settings.rules() {
        let name = rule.meta().name;
        let (ours, theirs) = (
            found.get(name).cloned().unwrap_or_default(),
            scanned.get(name).cloned().unwrap_or_default(),
        );
        if INERT_BY_DEFAULT.contains(&name) {
            if !ours.is_empty() {
                problems.push(format!("{name}: findings without options: {ours:?}"));
            }
            continue;
        }
        let mut differ = differences(&ours, &theirs);
        if name == "lost-character" {
            differ.retain(|difference| {
                !LOST_CHARACTER_DISAGREEMENTS
                    .iter()
                    .any(|(expected, _)| difference == expected)
            });
            for (expected, why) in LOST_CHARACTER_DISAGREEMENTS {
                if !differences(&ours, &theirs).iter().any(|d| d == expected) {
                    problems.push(format!("{name}: no longer `{expected}` ({why})"));
                }
            }
        }
        if !differ.is_empty() {
            problems.push(format!(
                "{name}: chatlint finds {}, the scan {}:\n  {}",
                ours.values().sum::<usize>(),
                theirs.values().sum::<usize>(),
                differ.into_iter().take(20).collect::<Vec<_>>().join("\n  ")
            ));
        }
    }
    let default_rules: BTreeSet<&str> = settings.rules().iter().map(|r| r.meta().name).collect();
    for rule in found.keys().chain(scanned.keys()) {
        if !default_rules.contains(rule.as_str()) {
            problems.push(format!("{rule}: found, but not a default rule"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // And the README says the same numbers.
    let counts: BTreeMap<String, usize> = found
        .iter()
        .map(|(rule, lines)| (rule.clone(), lines.values().sum()))
        .filter(|(_, count)| *count > 0)
        .collect();
    assert_eq!(
        readme_counts(),
        counts,
        "the README's table of findings on the corpus is out of date"
    );
}

#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn fixing_the_corpus_with_every_default_rule_settles_and_verifies() {
    let dir = corpus_dir();
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

/// The scan is not blind: on a made-up transcript with one defect of each
/// kind it finds each, on its line. (It needs no corpus, so it always runs.)
#[test]
fn the_scan_finds_each_kind_of_defect() {
    let text = "---\nlayout: source\ntitle: \"2017-08-26-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n\
                > 07:50:02  右军  \n   \n##异地多活  \n   \n\
                > 7:51:02  右军  \n   \n好\u{200b}的  \n   \n\
                > 07:40:00  甲  \n   \n![2017-08-25 07:40:00](htp://static.cocolian.cn/img/20170825_074000.png)  \n\
                ![2017-08-25 07:40:00](http://static.cocolian.cn/img/20170825_080000.png)  \n   \n\
                > 07:41:00  乙??  \n   \n@右军?支付宝  重0搭建==&amp;gt;基于  \n   \n\
                > 07:41:00  乙  \n   \n@右军?支付宝  重0搭建==&amp;gt;基于  \n   \n\
                > 07:42:00  降峰 百度金融pm 北京  \n   \n@降峰 百度金融pm 北京?你们  \n   \n";
    let mut scan = corpus_scan::Scan::default();
    corpus_scan::scan_file("2017-08-25-chat.markdown", text, &mut scan);
    let found: BTreeMap<&str, Vec<usize>> = scan.findings.into_iter().collect();
    let expected: BTreeMap<&str, Vec<usize>> = [
        ("front-matter", vec![3]),
        ("heading-missing-space", vec![8]),
        ("malformed-timestamp", vec![10]),
        ("invisible-character", vec![12]),
        ("time-runs-backwards", vec![14]),
        ("broken-image-url", vec![16]),
        ("image-time-mismatch", vec![17]),
        ("lost-character", vec![19, 21, 25, 29]),
        ("escaped-html-entity", vec![21, 25]),
        ("duplicate-message", vec![23]),
    ]
    .into_iter()
    .collect();
    assert_eq!(found, expected);
    // And chatlint agrees.
    let path = Path::new("2017-08-25-chat.markdown");
    let source = SourceFile::from_string("2017-08-25-chat.markdown", text.to_string());
    let mut chatlint: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for d in chatlint::check_path(text, Some(path), &chatlint::Settings::default()) {
        let line = source.line_column(d.span.start).line;
        chatlint.entry(d.rule.name).or_default().push(line);
    }
    assert_eq!(chatlint, expected);
}
