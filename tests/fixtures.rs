//! Markdownlint-style fixtures: `fixtures/<rule-name>/*.md` are transcripts in
//! which every line that must give a finding ends with `{rule-name}` (several
//! marks allowed: `{a} {b}`); every other line must give none.
//!
//! The marks are taken off before the text is checked: a mark is not part of
//! the transcript, and left in place it would change what a rule sees (an image
//! missing its `)` would gain a space and a word in its URL). Only the marks
//! and the spaces between them go; whatever precedes the first mark stays, so
//! `##背景  {heading-missing-space}` is checked as `##背景  `, with the two
//! spaces of a hard break. Line numbers do not change.
//!
//! A fixture is checked as `chatlint check` would check it: with the rules
//! and options of the `.chatlint.yaml` files above it (`fixtures/.chatlint.yaml`
//! says `root: true`, so nothing outside the repository counts). A folder
//! without one runs the default rules; a folder for a rule that is off by
//! default, or that needs options, selects it in its own `.chatlint.yaml`.
//!
//! Each fixture is then fixed with the safe fixes, and the fixed text of every
//! fixture that changes is kept as an insta snapshot under
//! `tests/snapshots/`, so that a review shows exactly what `--fix` does.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chatlint::config::{ConfigResolver, Overrides, Settings};
use chatlint::fix::Applicability;
use chatlint::line_index::LineIndex;
use chatlint::linter::{check_path, fix_path};
use chatlint::{registry, Diagnostic};

/// The folder under `fixtures/` that is not about one rule: realistic
/// transcripts for the README's example command.
const SAMPLE_FOLDER: &str = "sample";

/// Rules that only report with `--online` (they ask the network), and so are
/// tested in `tests/online.rs` against a local server, not with fixtures.
const ONLINE_RULES: &[&str] = &["unreachable-image"];

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// One fixture file, its marks taken off.
struct Fixture {
    /// The path under `fixtures/`, with `/` separators.
    name: String,
    /// The file, for rules that read its name and for `.chatlint.yaml`.
    path: PathBuf,
    /// The rules and options that apply to it.
    settings: Settings,
    /// The text without marks.
    text: String,
    /// The expected findings: (1-based line, rule name).
    marks: BTreeSet<(usize, String)>,
}

impl Fixture {
    fn folder(&self) -> &str {
        self.name.split('/').next().unwrap_or_default()
    }

    fn check(&self, text: &str) -> Vec<Diagnostic> {
        check_path(text, Some(&self.path), &self.settings)
    }

    fn fix(&self, text: &str) -> Result<chatlint::FixOutcome, chatlint::Error> {
        fix_path(
            &self.name,
            text,
            Some(&self.path),
            &self.settings,
            Applicability::Safe,
        )
    }

    /// The line's text, without marks or line break, for messages.
    fn line(&self, line: usize) -> &str {
        self.text
            .split('\n')
            .nth(line - 1)
            .unwrap_or_default()
            .trim_end_matches('\r')
    }
}

/// Every `*.md` under `dir`, sorted, recursively.
fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "md") {
            out.push(path);
        }
    }
}

fn load_fixtures() -> Vec<Fixture> {
    let root = fixtures_root();
    let mut paths = Vec::new();
    markdown_files(&root, &mut paths);
    assert!(!paths.is_empty(), "no fixtures under {}", root.display());
    let resolver = ConfigResolver::new(None).expect("no explicit configuration");
    paths
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(&root)
                .expect("under the fixtures folder")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let raw = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{name}: cannot read as UTF-8: {e}"));
            let (text, marks) = strip_marks(&name, &raw);
            let chain = resolver
                .chain_for_file(&path)
                .unwrap_or_else(|e| panic!("{name}: configuration: {e}"));
            let settings = Settings::resolve(&chain, Some(&path), &Overrides::default())
                .unwrap_or_else(|e| panic!("{name}: configuration: {e}"));
            Fixture {
                name,
                path,
                settings,
                text,
                marks,
            }
        })
        .collect()
}

/// Takes the trailing `{rule-name}` marks off every line, keeping line breaks.
fn strip_marks(name: &str, raw: &str) -> (String, BTreeSet<(usize, String)>) {
    let known: BTreeSet<&str> = registry::all().iter().map(|r| r.meta().name).collect();
    let mut text = String::with_capacity(raw.len());
    let mut marks = BTreeSet::new();
    for (index, line) in raw.split_inclusive('\n').enumerate() {
        let (content, ending) = split_ending(line);
        let (kept, names) = split_marks(content);
        for rule in names {
            assert!(
                known.contains(rule),
                "{name}:{}: mark `{{{rule}}}` names no rule (known: {known:?})",
                index + 1
            );
            marks.insert((index + 1, rule.to_string()));
        }
        text.push_str(kept);
        text.push_str(ending);
    }
    (text, marks)
}

/// A line's content and its `\r\n`, `\n` or nothing.
fn split_ending(line: &str) -> (&str, &str) {
    if let Some(content) = line.strip_suffix("\r\n") {
        (content, "\r\n")
    } else if let Some(content) = line.strip_suffix('\n') {
        (content, "\n")
    } else {
        (line, "")
    }
}

/// `text  {a} {b}` → (`text  `, [a, b]).
fn split_marks(content: &str) -> (&str, Vec<&str>) {
    let mut kept = content;
    let mut names = Vec::new();
    loop {
        let trimmed = kept.trim_end_matches(' ');
        let Some(inner) = trimmed.strip_suffix('}') else {
            break;
        };
        let Some(open) = inner.rfind('{') else { break };
        let rule = &inner[open + 1..];
        let is_name = !rule.is_empty()
            && rule
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !is_name {
            break;
        }
        names.push(rule);
        kept = &inner[..open];
    }
    if names.is_empty() {
        return (content, names);
    }
    names.reverse();
    (kept, names)
}

fn line_of(index: &LineIndex, text: &str, offset: usize) -> usize {
    index.line_column(text, offset).line
}

fn has_safe_fix(d: &Diagnostic) -> bool {
    d.fix
        .as_ref()
        .is_some_and(|fix| fix.applicability == Applicability::Safe)
}

/// Findings keyed by (line, rule name).
fn by_line(text: &str, findings: &[Diagnostic]) -> BTreeMap<(usize, String), Vec<Diagnostic>> {
    let index = LineIndex::new(text);
    let mut map: BTreeMap<(usize, String), Vec<Diagnostic>> = BTreeMap::new();
    for d in findings {
        map.entry((line_of(&index, text, d.span.start), d.rule.name.to_string()))
            .or_default()
            .push(d.clone());
    }
    map
}

/// For each line of `after`, the 1-based line of `before` it comes from (an
/// unchanged line, or the most similar line of a changed block), if any.
fn original_lines(before: &str, after: &str) -> Vec<Option<usize>> {
    let before_lines: Vec<&str> = before.split_inclusive('\n').collect();
    let after_lines: Vec<&str> = after.split_inclusive('\n').collect();
    let mut origin = vec![None; after_lines.len()];
    // Lines split on `\n` only: a stray CR is not a line break here.
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &before_lines, &after_lines);
    for op in &ops {
        let (old, new) = (op.old_range(), op.new_range());
        match op.tag() {
            similar::DiffTag::Equal => {
                for (o, n) in old.zip(new) {
                    origin[n] = Some(o + 1);
                }
            }
            similar::DiffTag::Replace => {
                // Changed lines keep their order: match each new line to the
                // most similar old line after the one matched before it.
                let mut next_old = old.start;
                for n in new {
                    let best = (next_old..old.end).max_by(|&a, &b| {
                        let ratio = |o: usize| {
                            similar::TextDiff::from_chars(before_lines[o], after_lines[n]).ratio()
                        };
                        ratio(a).total_cmp(&ratio(b)).then(b.cmp(&a))
                    });
                    if let Some(o) = best {
                        origin[n] = Some(o + 1);
                        next_old = o + 1;
                    }
                }
            }
            similar::DiffTag::Delete | similar::DiffTag::Insert => {}
        }
    }
    origin
}

/// Each line's break, in order: what a fix must keep.
fn line_endings(text: &str) -> Vec<&str> {
    text.split_inclusive('\n')
        .map(|line| split_ending(line).1)
        .collect()
}

/// What the marks say against what the rules found, or `None` if they agree.
fn compare_marks(fixture: &Fixture, findings: &[Diagnostic]) -> Option<String> {
    let found = by_line(&fixture.text, findings);
    let found_keys: BTreeSet<(usize, String)> = found.keys().cloned().collect();
    if found_keys == fixture.marks {
        return None;
    }
    let mut report = format!("{}: findings differ from the marks\n", fixture.name);
    for (line, rule) in fixture.marks.difference(&found_keys) {
        let _ = writeln!(
            report,
            "  - missing    {}:{line} {{{rule}}}  | {}",
            fixture.name,
            fixture.line(*line)
        );
    }
    for key @ (line, rule) in found_keys.difference(&fixture.marks) {
        for d in &found[key] {
            let _ = writeln!(
                report,
                "  + unexpected {}:{line} {{{rule}}} {}  | {}",
                fixture.name,
                d.message,
                fixture.line(*line)
            );
        }
    }
    Some(report)
}

/// The safe fixes: what they leave, that they settle, that they keep the
/// line breaks and the BOM. Returns the fixed text when it differs.
fn check_fixes(fixture: &Fixture, findings: &[Diagnostic]) -> Result<Option<String>, String> {
    let name = &fixture.name;
    let outcome = fixture
        .fix(&fixture.text)
        .map_err(|e| format!("{name}: fixing failed: {e}"))?;
    let fixed = outcome.text;
    let mut problems = Vec::new();

    // (a) Nothing a safe fix could repair is left.
    let remaining = fixture.check(&fixed);
    let fixed_index = LineIndex::new(&fixed);
    for d in remaining.iter().filter(|d| has_safe_fix(d)) {
        problems.push(format!(
            "{name}:{}: a safe fix is left after fixing: {{{}}} {}",
            line_of(&fixed_index, &fixed, d.span.start),
            d.rule.name,
            d.message
        ));
    }

    // (b) What is left was marked, and had no safe fix to begin with. A fix
    // may remove a whole line (an unused suppression), so lines of the fixed
    // text are traced back to the fixture's.
    let origin = original_lines(&fixture.text, &fixed);
    let before = by_line(&fixture.text, findings);
    for ((fixed_line, rule), left) in by_line(&fixed, &remaining) {
        let line = origin.get(fixed_line - 1).copied().flatten();
        let unfixable = line
            .and_then(|l| before.get(&(l, rule.clone())))
            .map_or(0, |ds| ds.iter().filter(|d| !has_safe_fix(d)).count());
        let marked = line.is_some_and(|l| fixture.marks.contains(&(l, rule.clone())));
        if !marked || left.len() > unfixable {
            for d in left {
                problems.push(format!(
                    "{name}:{} (line {fixed_line} after fixing): {{{rule}}} {} is left \
                     (marked: {marked}, findings without a safe fix before: {unfixable})  | {}",
                    line.map_or("?".to_string(), |l| l.to_string()),
                    d.message,
                    fixed.split('\n').nth(fixed_line - 1).unwrap_or_default()
                ));
            }
        }
    }

    // (c) Fixing again changes nothing.
    match fixture.fix(&fixed) {
        Ok(again) if again.changed() || again.text != fixed => problems.push(format!(
            "{name}: fixing is not idempotent; a second run applied {:?}",
            again.fixed
        )),
        Ok(_) => {}
        Err(e) => problems.push(format!("{name}: fixing the fixed text failed: {e}")),
    }

    // (d) The BOM is kept, and every line keeps its own line break, unless a
    // safe fix set out to change them (`invisible-character` removes a BOM and
    // evens out mixed line endings).
    let edited = |byte: usize| {
        findings.iter().filter(|d| has_safe_fix(d)).any(|d| {
            d.fix.as_ref().is_some_and(|fix| {
                fix.edits
                    .iter()
                    .any(|e| e.span.contains(&byte) || (e.span.is_empty() && e.span.start == byte))
            })
        })
    };
    let had_bom = fixture.text.starts_with('\u{feff}');
    if had_bom != fixed.starts_with('\u{feff}') && !(had_bom && edited(0)) {
        problems.push(format!("{name}: the BOM was not kept"));
    }
    let (endings_before, endings_after) = (line_endings(&fixture.text), line_endings(&fixed));
    let line_ends: Vec<usize> = fixture
        .text
        .split_inclusive('\n')
        .scan(0, |end, line| {
            *end += line.len();
            Some(*end)
        })
        .collect();
    for (index, ending) in endings_after.iter().enumerate() {
        let kept = match origin.get(index).copied().flatten() {
            Some(line) => {
                let before = endings_before[line - 1];
                // The byte a fix edits to change the ending: the CR, or where
                // one goes.
                let at = line_ends[line - 1] - before.len();
                before == *ending || (!before.is_empty() && edited(at))
            }
            None => endings_before.contains(ending),
        };
        if !kept {
            problems.push(format!(
                "{name}: line {} after fixing ends with {ending:?}, not as it did",
                index + 1
            ));
        }
    }

    if problems.is_empty() {
        Ok((fixed != fixture.text).then_some(fixed))
    } else {
        Err(problems.join("\n"))
    }
}

/// The text with its invisible bytes spelt out, for a snapshot: the BOM, each
/// carriage return, and the end of the text (insta trims trailing white space,
/// which would hide the last lines' hard breaks).
fn visible(text: &str) -> String {
    let mut shown = text.replace('\u{feff}', "<BOM>").replace('\r', "<CR>");
    shown.push_str("<EOF>");
    shown
}

#[test]
fn fixtures_match_their_marks_and_fix_cleanly() {
    let fixtures = load_fixtures();
    let mut failures = Vec::new();
    let mut snapshots = Vec::new();
    for fixture in &fixtures {
        let findings = fixture.check(&fixture.text);
        if let Some(report) = compare_marks(fixture, &findings) {
            failures.push(report);
            continue;
        }
        match check_fixes(fixture, &findings) {
            Ok(Some(fixed)) => snapshots.push((fixture, fixed)),
            Ok(None) => {}
            Err(report) => failures.push(report),
        }
    }
    let report = format!(
        "{} of {} fixtures failed:\n\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
    // Said before the snapshots, which stop at the first that differs.
    if !failures.is_empty() {
        eprintln!("{report}");
    }
    // Every stored snapshot of a fixed fixture is still produced: a fix
    // that stopped changing its fixture would otherwise leave its snapshot
    // unchecked.
    let produced: BTreeSet<String> = snapshots
        .iter()
        .map(|(fixture, _)| snapshot_name(fixture))
        .collect();
    let stored: BTreeSet<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots"))
            .unwrap()
            .filter_map(|entry| {
                let name = entry.unwrap().file_name().into_string().ok()?;
                let name = name.strip_prefix("fixtures__")?.strip_suffix(".snap")?;
                name.starts_with("fixed__").then(|| name.to_string())
            })
            .collect();
    assert_eq!(produced, stored, "fixture snapshots produced vs stored");
    for (fixture, fixed) in snapshots {
        let snapshot = snapshot_name(fixture);
        insta::with_settings!({
            description => format!("fixtures/{} after `chatlint check --fix` (marks taken off)", fixture.name),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(snapshot, visible(&fixed));
        });
    }
    assert!(failures.is_empty(), "{report}");
}

/// The snapshot of a fixture's fixed text: `fixed__FOLDER__FILE`.
fn snapshot_name(fixture: &Fixture) -> String {
    format!("fixed__{}", fixture.name.trim_end_matches(".md")).replace('/', "__")
}

/// The lines of a fixture that hold a message header.
fn header_lines(fixture: &Fixture) -> BTreeSet<usize> {
    let index = LineIndex::new(&fixture.text);
    chatlint::parse(&fixture.text)
        .messages
        .iter()
        .map(|m| line_of(&index, &fixture.text, m.header.span.start))
        .collect()
}

/// Lines that exercise a rule without tripping it: for a rule folder to count
/// as testing the rule's negative cases, it needs at least one of them
/// (unmarked, so checked to give no finding).
fn is_negative_case(rule: &str, content: &str, line: usize, headers: &BTreeSet<usize>) -> bool {
    let content = content.trim_start_matches('\u{feff}');
    match rule {
        "malformed-timestamp" => headers.contains(&line) || content.starts_with('>'),
        // A header with a message before it.
        "time-runs-backwards" => headers.contains(&line) && headers.range(..line).next().is_some(),
        "heading-missing-space" => content.trim_start().starts_with('#'),
        "broken-image-url" => content.contains("![") || content.contains("！["),
        "unused-suppression" => content.contains("<!--"),
        _ => !content.trim().is_empty(),
    }
}

#[test]
fn every_rule_has_a_fixture_folder_with_positive_and_negative_lines() {
    let root = fixtures_root();
    let fixtures = load_fixtures();
    let rules: BTreeSet<&str> = registry::all().iter().map(|r| r.meta().name).collect();
    let mut problems = Vec::new();

    for fixture in &fixtures {
        let folder = fixture.folder();
        if folder != SAMPLE_FOLDER && !rules.contains(folder) {
            problems.push(format!(
                "fixtures/{}: the folder `{folder}` names no rule",
                fixture.name
            ));
        }
    }
    for online in ONLINE_RULES {
        assert!(
            rules.contains(online),
            "ONLINE_RULES names no rule: {online}"
        );
    }
    for rule in rules.iter().filter(|r| !ONLINE_RULES.contains(r)) {
        if !root.join(rule).is_dir() {
            problems.push(format!("rule `{rule}` has no folder fixtures/{rule}/"));
            continue;
        }
        let own: Vec<&Fixture> = fixtures.iter().filter(|f| f.folder() == *rule).collect();
        let positive = own
            .iter()
            .any(|f| f.marks.iter().any(|(_, name)| name == rule));
        if !positive {
            problems.push(format!("fixtures/{rule}/ has no line marked {{{rule}}}"));
        }
        let negative = own.iter().any(|f| {
            let headers = header_lines(f);
            let marked: BTreeSet<usize> = f.marks.iter().map(|(line, _)| *line).collect();
            (1..=f.text.split('\n').count()).any(|line| {
                !marked.contains(&line) && is_negative_case(rule, f.line(line), line, &headers)
            })
        });
        if !negative {
            problems.push(format!(
                "fixtures/{rule}/ has no unmarked line that exercises the rule"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn marks_are_split_off_exactly() {
    assert_eq!(split_marks("##背景  {a}"), ("##背景  ", vec!["a"]));
    assert_eq!(split_marks("x {a} {b-c}"), ("x ", vec!["a", "b-c"]));
    assert_eq!(split_marks("![a](b {a}"), ("![a](b ", vec!["a"]));
    assert_eq!(split_marks("if (x) {"), ("if (x) {", vec![]));
    assert_eq!(split_marks("{ 不是 }"), ("{ 不是 }", vec![]));
    let (text, marks) = strip_marks("t", "a  {heading-missing-space}\r\nb\n");
    assert_eq!(text, "a  \r\nb\n");
    assert_eq!(
        marks.into_iter().collect::<Vec<_>>(),
        [(1, "heading-missing-space".to_string())]
    );
}
