//! Markdownlint-style fixtures: `fixtures/<rule-name>/*.md` are transcripts in
//! which every line that must give a finding ends with `{rule-name}` (several
//! marks allowed: `{a} {b}`); every other line must give none.
//!
//! A line that looks like a rule's defect but must give no finding of it (a
//! near miss: `#话题#` is a hashtag, not a heading without its space) ends
//! with `{!rule-name}`. Every rule's folder has at least one, on a line where
//! the rule runs, and a finding of that rule there fails the test with the
//! mark named: the negative cases are declared, not guessed.
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
//! Every fixture's findings are kept as an insta snapshot under
//! `tests/snapshots/` (`fixtures__findings__…`), rendered as text: where, the
//! rule, the message, the label, the help, related places, and the fix's
//! title, applicability and edits. Each fixture is then fixed with the safe
//! fixes, and the fixed text of every fixture that changes is kept as a
//! snapshot too (`fixtures__fixed__…`), so that a review shows exactly what
//! the rules say and what `--fix` does.

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
    /// The near misses, `{!rule-name}`: (1-based line, rule name) that must
    /// give no finding.
    negative: BTreeSet<(usize, String)>,
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
            let Marks {
                text,
                marks,
                negative,
            } = strip_marks(&name, &raw);
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
                negative,
            }
        })
        .collect()
}

/// A fixture's text without its marks, and what the marks say.
struct Marks {
    text: String,
    marks: BTreeSet<(usize, String)>,
    negative: BTreeSet<(usize, String)>,
}

/// Takes the trailing `{rule-name}` and `{!rule-name}` marks off every line,
/// keeping line breaks.
fn strip_marks(name: &str, raw: &str) -> Marks {
    let known: BTreeSet<&str> = registry::all().iter().map(|r| r.meta().name).collect();
    let mut text = String::with_capacity(raw.len());
    let mut marks = BTreeSet::new();
    let mut negative = BTreeSet::new();
    for (index, line) in raw.split_inclusive('\n').enumerate() {
        let (content, ending) = split_ending(line);
        let (kept, found) = split_marks(content);
        for mark in found {
            assert!(
                known.contains(mark.rule),
                "{name}:{}: mark `{mark}` names no rule (known: {known:?})",
                index + 1
            );
            let key = (index + 1, mark.rule.to_string());
            let (this, other) = if mark.negative {
                (&mut negative, &marks)
            } else {
                (&mut marks, &negative)
            };
            let rule = mark.rule;
            assert!(
                !other.contains(&key),
                "{name}:{}: `{{{rule}}}` and `{{!{rule}}}` on one line",
                index + 1
            );
            this.insert(key);
        }
        text.push_str(kept);
        text.push_str(ending);
    }
    Marks {
        text,
        marks,
        negative,
    }
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

/// One mark: `{rule}` (a finding expected) or `{!rule}` (none of that rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark<'a> {
    rule: &'a str,
    negative: bool,
}

impl std::fmt::Display for Mark<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bang = if self.negative { "!" } else { "" };
        write!(f, "{{{bang}{}}}", self.rule)
    }
}

/// `text  {a} {!b}` → (`text  `, [{a}, {!b}]).
fn split_marks(content: &str) -> (&str, Vec<Mark<'_>>) {
    let mut kept = content;
    let mut marks = Vec::new();
    loop {
        let trimmed = kept.trim_end_matches(' ');
        let Some(inner) = trimmed.strip_suffix('}') else {
            break;
        };
        let Some(open) = inner.rfind('{') else { break };
        let (rule, negative) = match inner[open + 1..].strip_prefix('!') {
            Some(rule) => (rule, true),
            None => (&inner[open + 1..], false),
        };
        let is_name = !rule.is_empty()
            && rule
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !is_name {
            break;
        }
        marks.push(Mark { rule, negative });
        kept = &inner[..open];
    }
    if marks.is_empty() {
        return (content, marks);
    }
    marks.reverse();
    (kept, marks)
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
        // On a line marked `{!rule}`: the near miss the rule must not take.
        let what = if fixture.negative.contains(key) {
            format!("on a line marked {{!{rule}}}")
        } else {
            "unexpected".to_string()
        };
        for d in &found[key] {
            let _ = writeln!(
                report,
                "  + {what} {}:{line} {{{rule}}} {}  | {}",
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

/// A string as a snapshot shows it: quoted, with invisible characters
/// escaped, and cut in the middle when long.
fn quoted(text: &str) -> String {
    const MAX: usize = 60;
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= MAX {
        return format!("{text:?}");
    }
    let head: String = chars[..40].iter().collect();
    let tail: String = chars[chars.len() - 15..].iter().collect();
    format!("{head:?} … {tail:?} ({} characters)", chars.len())
}

/// A fixture's findings as text, one block each, in the order of the file:
/// where (line:column, end), the rule and severity, the text under the span,
/// the message, the label, related places, the help, and the fix (its
/// title and applicability, and each edit).
fn rendered_findings(fixture: &Fixture, findings: &[Diagnostic]) -> String {
    let text = &fixture.text;
    let index = LineIndex::new(text);
    let at = |span: &std::ops::Range<usize>| {
        let (start, end) = (
            index.line_column(text, span.start),
            index.line_column(text, span.end),
        );
        format!(
            "{}:{}-{}:{}",
            start.line, start.column, end.line, end.column
        )
    };
    let mut sorted: Vec<&Diagnostic> = findings.iter().collect();
    sorted.sort_by_key(|d| (d.span.start, d.span.end, d.rule.code));
    let mut out = String::new();
    if sorted.is_empty() {
        out.push_str("no findings\n");
    }
    for d in sorted {
        let _ = writeln!(
            out,
            "{} {} {} ({})",
            at(&d.span),
            d.rule.code,
            d.rule.name,
            d.severity
        );
        let _ = writeln!(out, "  at:      {}", quoted(&text[d.span.clone()]));
        let _ = writeln!(out, "  message: {}", d.message);
        if !d.label.is_empty() {
            let _ = writeln!(out, "  label:   {}", d.label);
        }
        for related in &d.related {
            let _ = writeln!(
                out,
                "  related: {} {}: {}",
                at(&related.span),
                quoted(&text[related.span.clone()]),
                related.text
            );
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  help:    {help}");
        }
        match &d.fix {
            Some(fix) => {
                let _ = writeln!(out, "  fix:     {} ({})", fix.title, fix.applicability);
                for edit in &fix.edits {
                    let _ = writeln!(
                        out,
                        "    {} {} -> {}",
                        at(&edit.span),
                        quoted(&text[edit.span.clone()]),
                        quoted(&edit.content)
                    );
                }
            }
            None => out.push_str("  fix:     none\n"),
        }
    }
    out
}

#[test]
fn fixtures_match_their_marks_and_fix_cleanly() {
    let fixtures = load_fixtures();
    let mut failures = Vec::new();
    // (snapshot name, description, contents)
    let mut snapshots: Vec<(String, String, String)> = Vec::new();
    for fixture in &fixtures {
        let findings = fixture.check(&fixture.text);
        snapshots.push((
            snapshot_name("findings", fixture),
            format!(
                "fixtures/{}: the findings of `chatlint check` (marks taken off)",
                fixture.name
            ),
            rendered_findings(fixture, &findings),
        ));
        if let Some(report) = compare_marks(fixture, &findings) {
            failures.push(report);
            continue;
        }
        match check_fixes(fixture, &findings) {
            Ok(Some(fixed)) => snapshots.push((
                snapshot_name("fixed", fixture),
                format!(
                    "fixtures/{} after `chatlint check --fix` (marks taken off)",
                    fixture.name
                ),
                visible(&fixed),
            )),
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
    for (name, description, contents) in &snapshots {
        insta::with_settings!({
            description => description,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name.as_str(), contents);
        });
    }
    // Every stored snapshot of a fixture is still produced: a fixture that
    // was removed, or a fix that stopped changing its fixture, would
    // otherwise leave its snapshot unchecked.
    let produced: BTreeSet<String> = snapshots.iter().map(|(name, _, _)| name.clone()).collect();
    let stored: BTreeSet<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots"))
            .unwrap()
            .filter_map(|entry| {
                let name = entry.unwrap().file_name().into_string().ok()?;
                let name = name.strip_prefix("fixtures__")?.strip_suffix(".snap")?;
                (name.starts_with("fixed__") || name.starts_with("findings__"))
                    .then(|| name.to_string())
            })
            .collect();
    assert_eq!(produced, stored, "fixture snapshots produced vs stored");
    assert!(failures.is_empty(), "{report}");
}

/// A fixture's snapshot: `KIND__FOLDER__FILE`.
fn snapshot_name(kind: &str, fixture: &Fixture) -> String {
    format!("{kind}__{}", fixture.name.trim_end_matches(".md")).replace('/', "__")
}

/// What is wrong with the negative marks: a rule (but the online ones) with
/// no `{!rule}` in its own folder, and a `{!rule}` where the rule does not
/// run, which would check nothing.
fn negative_mark_problems(fixtures: &[Fixture]) -> Vec<String> {
    let mut problems = Vec::new();
    for rule in registry::all() {
        let name = rule.meta().name;
        if ONLINE_RULES.contains(&name) {
            continue;
        }
        let own = fixtures
            .iter()
            .filter(|f| f.folder() == name)
            .flat_map(|f| &f.negative)
            .filter(|(_, marked)| marked == name)
            .count();
        if own == 0 {
            problems.push(format!(
                "fixtures/{name}/ has no line marked {{!{name}}}: a near miss of the rule \
                 that must give no finding of it"
            ));
        }
    }
    for fixture in fixtures {
        for (line, rule) in &fixture.negative {
            let meta = registry::find(rule)
                .expect("checked when the marks were read")
                .meta();
            if !fixture.settings.is_enabled(meta) {
                problems.push(format!(
                    "fixtures/{}:{line}: {{!{rule}}} where `{rule}` does not run checks nothing",
                    fixture.name
                ));
            }
        }
    }
    problems
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
        let positive = fixtures
            .iter()
            .filter(|f| f.folder() == *rule)
            .any(|f| f.marks.iter().any(|(_, name)| name == rule));
        if !positive {
            problems.push(format!("fixtures/{rule}/ has no line marked {{{rule}}}"));
        }
    }
    // Whether the near misses give no finding is checked with every other
    // line, in `fixtures_match_their_marks_and_fix_cleanly`.
    problems.extend(negative_mark_problems(&fixtures));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checks of the negative marks can fail: a rule whose `{!rule}` lines
/// are taken away is named, and so is a `{!rule}` where the rule is off.
#[test]
fn negative_mark_checks_catch_a_missing_or_idle_mark() {
    let mut fixtures = load_fixtures();
    assert!(negative_mark_problems(&fixtures).is_empty());
    for fixture in &mut fixtures {
        fixture
            .negative
            .retain(|(_, rule)| rule != "lost-character");
    }
    let problems = negative_mark_problems(&fixtures);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("fixtures/lost-character/ has no line marked {!lost-character}"));

    // `header-layout` is off by default, so outside its folder a mark of it
    // checks nothing.
    let fixture = fixtures
        .iter_mut()
        .find(|f| f.name == "heading-missing-space/headings.md")
        .unwrap();
    fixture.negative.insert((12, "header-layout".to_string()));
    let problems = negative_mark_problems(&fixtures);
    assert!(
        problems.iter().any(|p| p.contains(
            "heading-missing-space/headings.md:12: {!header-layout} where `header-layout` does not run"
        )),
        "{problems:?}"
    );
}

/// A finding on a line marked `{!rule}` fails the fixture, and says so.
#[test]
fn a_finding_on_a_negative_line_fails_the_fixture() {
    let raw = "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n\
               > 07:50:02  右军  \n   \n#话题#  {!heading-missing-space}\n##背景  {!heading-missing-space}\n   \n";
    let Marks {
        text,
        marks,
        negative,
    } = strip_marks("made-up.md", raw);
    let path = fixtures_root().join("heading-missing-space/2017-08-25-chat.md");
    let fixture = Fixture {
        name: "heading-missing-space/made-up.md".to_string(),
        path,
        settings: Settings::default(),
        text,
        marks,
        negative,
    };
    let findings = fixture.check(&fixture.text);
    let report = compare_marks(&fixture, &findings).expect("the fixture fails");
    assert!(
        report.contains(
            "+ on a line marked {!heading-missing-space} heading-missing-space/made-up.md:9"
        ),
        "{report}"
    );
    assert!(!report.contains(":8 "), "{report}");
}

#[test]
fn marks_are_split_off_exactly() {
    let mark = |rule, negative| Mark { rule, negative };
    assert_eq!(
        split_marks("##背景  {a}"),
        ("##背景  ", vec![mark("a", false)])
    );
    assert_eq!(
        split_marks("x {a} {!b-c}"),
        ("x ", vec![mark("a", false), mark("b-c", true)])
    );
    assert_eq!(
        split_marks("![a](b {a}"),
        ("![a](b ", vec![mark("a", false)])
    );
    assert_eq!(split_marks("{!a}"), ("", vec![mark("a", true)]));
    assert_eq!(split_marks("if (x) {"), ("if (x) {", vec![]));
    assert_eq!(split_marks("{ 不是 }"), ("{ 不是 }", vec![]));
    assert_eq!(split_marks("{!}"), ("{!}", vec![]));
    let Marks {
        text,
        marks,
        negative,
    } = strip_marks("t", "a  {heading-missing-space}\r\nb {!broken-image-url}\n");
    assert_eq!(text, "a  \r\nb \n");
    assert_eq!(
        marks.into_iter().collect::<Vec<_>>(),
        [(1, "heading-missing-space".to_string())]
    );
    assert_eq!(
        negative.into_iter().collect::<Vec<_>>(),
        [(2, "broken-image-url".to_string())]
    );
}

#[test]
#[should_panic(expected = "on one line")]
fn a_line_cannot_expect_a_finding_and_none() {
    strip_marks("t", "x {redact} {!redact}\n");
}

/// `lost-character`'s unsafe fixes, applied to its fixtures round after
/// round as `--unsafe-fixes` does: each only turns a `?` into U+2005 (no
/// character dropped or split off), and what remains has no fix left to
/// apply. A name that holds a `?` (`@肖勇-亿宏-c?to`) is not split by a
/// later round reading the fixed text.
#[test]
fn lost_character_unsafe_fixes_only_restore_separators_and_settle() {
    let mut fixed_some = 0;
    for fixture in load_fixtures()
        .iter()
        .filter(|fixture| fixture.folder() == "lost-character")
    {
        let outcome = fix_path(
            &fixture.name,
            &fixture.text,
            Some(&fixture.path),
            &fixture.settings,
            Applicability::Unsafe,
        )
        .unwrap_or_else(|e| panic!("{}: {e}", fixture.name));
        let before: Vec<char> = fixture.text.chars().collect();
        let after: Vec<char> = outcome.text.chars().collect();
        assert_eq!(
            before.len(),
            after.len(),
            "{}: a character went",
            fixture.name
        );
        for (was, is) in before.iter().zip(&after) {
            assert!(
                was == is || (*was == '?' && *is == '\u{2005}'),
                "{}: `{was}` became `{is}`",
                fixture.name
            );
        }
        fixed_some += outcome.fixed.len();
        let left = fixture.check(&outcome.text);
        let fixable: Vec<_> = left
            .iter()
            .filter(|d| d.rule.name == "lost-character" && d.fix.is_some())
            .map(|d| &outcome.text[d.span.clone()])
            .collect();
        assert!(
            fixable.is_empty(),
            "{}: still fixable: {fixable:?}",
            fixture.name
        );
        // The name that holds a `?` is whole after the fix.
        if fixture.name.ends_with("names-that-hold-a-question-mark.md") {
            assert!(outcome.text.contains("@肖勇-亿宏-c?to 你好"));
            assert!(outcome.text.contains("@肖勇-亿宏-c?to\u{2005}农商行"));
        }
    }
    assert!(fixed_some > 10, "{fixed_some} fixes applied");
}
