//! The `check` pipeline run on files in a temporary folder, its output in memory.

use super::*;
use crate::output::OutputFormat;

/// A transcript with two safe fixes (a timestamp without its leading zero,
/// a heading without its space) and a clean one.
const TWO_FIXABLE: &str = concat!(
    "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n",
    "> 7:50:02  alice  \n   \n##heading  \n"
);
const CLEAN: &str = concat!(
    "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n",
    "> 07:50:02  alice  \n   \nhello  \n"
);
/// A message that repeats: its findings are found in every copy.
const MESSAGE: &str = "> 7:50:02  alice  \n   \n##heading  \n";

fn options(paths: Vec<PathBuf>) -> CheckOptions {
    CheckOptions {
        output_format: OutputFormat::Concise,
        // Tests never write into the repository.
        no_cache: true,
        max_file_size: u64::MAX,
        ..CheckOptions::new(paths)
    }
}

/// Runs the plan; returns the run, the report and the text written.
fn run_plan(options: CheckOptions) -> (CheckRun, CheckPlan, String, String) {
    let plan = CheckPlan::resolve(options).expect("a valid plan");
    let (mut report, mut text, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
    let outcome = run(
        &plan,
        Sinks {
            report: &mut report,
            text: &mut text,
            warnings: &mut warnings,
        },
    );
    let utf8 = |bytes| String::from_utf8(bytes).unwrap();
    (outcome, plan, utf8(report), utf8(text))
}

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(folder.path().join(name), text).unwrap();
    }
    folder
}

#[test]
fn the_fixable_count_is_what_fix_then_fixes() {
    let files = folder(&[
        ("a.md", TWO_FIXABLE),
        ("b.md", CLEAN),
        ("c.md", TWO_FIXABLE),
    ]);
    let paths = vec![files.path().to_path_buf()];
    for streams in [true, false] {
        let mut checking = options(paths.clone());
        checking.output_format = OutputFormat::Full;
        // Statistics gather every report first: the other driver.
        checking.statistics = !streams;
        let (checked, plan, report, _) = run_plan(checking);
        assert_eq!(plan.streams, streams);
        let tally = checked.summary.tally;
        assert_eq!((tally.files, tally.files_with_findings), (3, 2));
        assert_eq!(tally.findings, 4, "{report}");
        assert_eq!(tally.fixable, 4, "{report}");
        assert!(
            report.ends_with(
                "Found 4 findings in 2 of 3 files. 4 fixable with `chatlint check --fix`.\n"
            ),
            "{report}"
        );
        assert_eq!(checked.exit_status(&plan), ExitStatus::Findings);
    }

    let mut fixing = options(paths.clone());
    fixing.output_format = OutputFormat::Full;
    fixing.fix = true;
    let (fixed, plan, report, _) = run_plan(fixing);
    assert_eq!(fixed.summary.fixed, 4, "{report}");
    assert_eq!(fixed.summary.tally.findings, 0, "{report}");
    assert_eq!(fixed.exit_status(&plan), ExitStatus::Success);
    assert!(report.contains("Fixed 2 findings in "), "{report}");
    let again = std::fs::read_to_string(files.path().join("a.md")).unwrap();
    assert_eq!(
        again,
        TWO_FIXABLE.replace("> 7:", "> 07:").replace("##h", "## h")
    );
}

#[test]
fn reports_come_in_the_order_of_the_files() {
    // Early files are the largest, so later ones are done first.
    let names: Vec<String> = (0..24).map(|i| format!("f{i:02}.md")).collect();
    let texts: Vec<String> = (0..24).map(|i| MESSAGE.repeat((24 - i) * 400)).collect();
    let files: Vec<(&str, &str)> = names
        .iter()
        .zip(&texts)
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let files = folder(&files);
    // JSON Lines streams each file's findings; JSON gathers them all.
    for (format, streams) in [(OutputFormat::JsonLines, true), (OutputFormat::Json, false)] {
        let mut checking = options(vec![files.path().to_path_buf()]);
        checking.output_format = format;
        let (outcome, plan, report, _) = run_plan(checking);
        assert_eq!(plan.streams, streams);
        assert_eq!(outcome.summary.tally.files, 24);
        let findings: Vec<serde_json::Value> = if streams {
            report
                .lines()
                .map(|line| serde_json::from_str(line).unwrap())
                .collect()
        } else {
            serde_json::from_str(&report).unwrap()
        };
        let mut seen: Vec<String> = Vec::new();
        for finding in &findings {
            let file = finding["path"].as_str().unwrap().to_string();
            if seen.last() != Some(&file) {
                seen.push(file);
            }
        }
        let expected: Vec<String> = names
            .iter()
            .map(|name| files.path().join(name).display().to_string())
            .collect();
        assert_eq!(seen, expected, "{format:?}");
    }
}

#[test]
fn the_exit_status_is_the_table_s() {
    let files = folder(&[("dirty.md", TWO_FIXABLE), ("clean.md", CLEAN)]);
    let path = |name: &str| files.path().join(name);
    let status = |options: CheckOptions| {
        let (outcome, plan, _, _) = run_plan(options);
        outcome.exit_status(&plan)
    };
    assert_eq!(status(options(vec![path("clean.md")])), ExitStatus::Success);
    assert_eq!(
        status(options(vec![path("dirty.md")])),
        ExitStatus::Findings
    );
    let mut exit_zero = options(vec![path("dirty.md")]);
    exit_zero.exit_zero = true;
    assert_eq!(status(exit_zero), ExitStatus::Success);
    // A path that does not exist fails the run, after the others are checked.
    let (outcome, plan, report, _) = run_plan(options(vec![path("missing.md"), path("dirty.md")]));
    assert_eq!(outcome.exit_status(&plan), ExitStatus::Error);
    assert_eq!(outcome.summary.tally.files, 1);
    assert!(report.contains("dirty.md"), "{report}");
    assert!(
        matches!(&outcome.errors[..], [Error::Io { path, .. }] if path.ends_with("missing.md")),
        "{:?}",
        outcome.errors
    );
    // --diff: 1 when there is a diff, and the diff goes to the text.
    let mut diff = options(vec![path("dirty.md")]);
    diff.diff = true;
    let (outcome, plan, _, text) = run_plan(diff);
    assert_eq!(outcome.exit_status(&plan), ExitStatus::Findings);
    assert!(text.contains("+## heading"), "{text}");
    assert_eq!((outcome.summary.diffs, outcome.summary.fixed), (1, 2));
    // Nothing was written by --diff.
    assert_eq!(
        std::fs::read_to_string(path("dirty.md")).unwrap(),
        TWO_FIXABLE
    );
}
