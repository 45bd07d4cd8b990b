//! The `full` report's faster drawing (`src/output/full/graphical.rs`)
//! against miette's `GraphicalReportHandler`, which it must match byte for
//! byte: every finding of the real archive (`../shared/corpus/`, required
//! under `CHATLINT_REQUIRE_CORPUS=1`) and of the fixtures, findings of random
//! transcripts made of awkward pieces, and random findings over random text.
//! Both with and without colour. A finding the faster drawing leaves to
//! miette must leave the output untouched; on the corpus nearly all must be
//! drawn by it.

use std::path::{Path, PathBuf};

use chatlint::config::Settings;
use chatlint::diagnostic::Label;
use chatlint::linter::check_with;
use chatlint::output::full::differential::{render_fast, render_with_miette};
use chatlint::output::full::{render_file, Color};
use chatlint::output::FileReport;
use chatlint::{registry, Applicability, Diagnostic, Fix, SourceFile};
use proptest::prelude::*;

const COLORS: [Color; 2] = [Color::Never, Color::Always];

/// How many findings of `report` the faster drawing drew, and how many there
/// are; panics where its drawing differs from miette's.
fn compare(report: &FileReport, color: Color) -> (usize, usize) {
    let mut fast_count = 0;
    for i in 0..report.diagnostics.len() {
        let mut miette = String::new();
        render_with_miette(report, i, color, &mut miette);
        let mut fast = String::from("kept");
        if render_fast(report, i, color, &mut fast) {
            assert_eq!(
                fast.strip_prefix("kept").unwrap(),
                miette,
                "{} finding {i} ({color:?}): {}",
                report.source.name(),
                shape(&report.diagnostics[i])
            );
            fast_count += 1;
        } else {
            assert_eq!(fast, "kept", "a finding left to miette must write nothing");
        }
    }
    (fast_count, report.diagnostics.len())
}

/// What a finding's drawing depends on, for a failure's message.
fn shape(d: &Diagnostic) -> String {
    format!(
        "{} at {:?} labelled {:?}, related {:?}, message {:?}, help {:?}, fix {:?}",
        d.rule.code,
        d.span,
        d.label,
        d.related,
        d.message,
        d.help,
        d.fix.as_ref().map(|fix| (&fix.title, fix.applicability))
    )
}

/// `render_file` (each finding drawn the faster way where it can be, by
/// miette otherwise) gives miette's drawings, a blank line between them.
fn assert_file_is_miettes(report: &FileReport, color: Color) {
    let mut expected = String::new();
    for i in 0..report.diagnostics.len() {
        if i > 0 {
            expected.push('\n');
        }
        render_with_miette(report, i, color, &mut expected);
    }
    let mut rendered = String::new();
    render_file(report, color.into(), &mut rendered);
    assert_eq!(rendered, expected, "{}", report.source.name());
}

fn report_of(name: &str, text: String, settings: &Settings) -> FileReport {
    let diagnostics = check_with(&text, settings);
    FileReport {
        source: SourceFile::from_string(name, text),
        diagnostics,
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .build()
        .map(|entry| entry.unwrap().into_path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
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

#[test]
fn every_corpus_finding_is_drawn_as_miette_draws_it() {
    let Some(dir) = corpus_dir() else { return };
    let settings = Settings::default();
    let (mut fast, mut total) = (0, 0);
    for path in files_under(&dir) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = path.strip_prefix(&dir).unwrap().display().to_string();
        let report = report_of(&name, text, &settings);
        for color in COLORS {
            let (f, t) = compare(&report, color);
            fast += f;
            total += t;
        }
        assert_file_is_miettes(&report, Color::Never);
    }
    let share = fast as f64 / total as f64;
    println!(
        "corpus: {fast} of {total} findings drawn without miette ({:.2}%)",
        100.0 * share
    );
    // Thousands of findings; a change that sends many to miette costs speed.
    assert!(total > 5000, "{total} findings");
    assert!(share > 0.99, "only {fast} of {total} drawn without miette");
}

#[test]
fn every_fixture_finding_is_drawn_as_miette_draws_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let settings = Settings::from_rules(registry::all().to_vec());
    let (mut fast, mut total) = (0, 0);
    for path in files_under(&dir) {
        let text = std::fs::read_to_string(&path).unwrap();
        let report = report_of(&path.display().to_string(), text, &settings);
        for color in COLORS {
            let (f, t) = compare(&report, color);
            fast += f;
            total += t;
        }
        assert_file_is_miettes(&report, Color::Always);
    }
    println!("fixtures: {fast} of {total} findings drawn without miette");
    assert!(total > 100, "{total} findings");
}

/// Pieces of text that count differently in bytes, characters and columns,
/// or that rules flag.
const PIECES: &[&str] = &[
    "x",
    "word ",
    "字",
    "中文消息",
    "\t",
    "a\tb",
    "\u{3000}",
    "😀",
    "👩\u{200d}💻",
    "🇨🇳",
    "e\u{301}",
    "\u{200b}",
    "\u{200d}",
    "\u{2060}",
    "\u{feff}",
    "\u{a0}",
    "\u{2005}",
    "\u{1b}[31m",
    "@地平线-文思-产品?",
    "@Leo?",
    "?",
    "&amp;quot;",
    "&amp;amp;lt;",
    "&lt;",
    "##标题",
    "# ",
    "![2017-08-25 11:52:10](http://static.cocolian.cn/img/2017 08 25.png)",
    "![](htp://x.png)",
    "`code`",
    "  ",
    "\r",
];

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(PIECES), 0..10).prop_map(|p| p.concat()),
        // Long enough for the excerpt to cut it.
        1 => (prop::collection::vec(prop::sample::select(PIECES), 1..6), 20..90usize)
            .prop_map(|(p, n)| p.concat().repeat(n)),
        1 => Just(String::new()),
    ]
}

fn header() -> impl Strategy<Value = String> {
    let time = prop::sample::select(vec![
        "07:50:02",
        "07:50:02",
        "07:49:00",
        "08:00:00",
        "7:5x:02",
        "０７：５２：０２",
    ]);
    let name = prop::sample::select(vec![
        "右军",
        "Leo",
        "happycoral",
        "宋小宝-掌众-交易",
        "A\tB",
    ]);
    (time, name).prop_map(|(time, name)| format!("> {time}  {name}  "))
}

/// A transcript: front matter, then messages (some repeated), each line
/// ending in LF, CRLF or either.
fn transcript() -> impl Strategy<Value = String> {
    let message = (header(), prop::collection::vec(line(), 1..4));
    (
        prop::collection::vec((message, any::<bool>()), 1..8),
        0..3u8,
        any::<u64>(),
    )
        .prop_map(|(messages, endings, seed)| {
            let mut lines = vec![
                "---".to_string(),
                "layout:     source ".to_string(),
                "title:      \"2017-08-25-WeChat\"".to_string(),
                "---".to_string(),
            ];
            let mut previous: Option<(String, Vec<String>)> = None;
            for ((header, body), repeat) in messages {
                let (header, body) = match (&previous, repeat) {
                    (Some((_, body)), true) => (header, body.clone()),
                    _ => (header, body),
                };
                lines.push(header.clone());
                lines.push("   ".to_string());
                lines.extend(body.iter().map(|l| format!("{l}  ")));
                lines.push("   ".to_string());
                previous = Some((header, body));
            }
            let mut text = String::new();
            for (i, line) in lines.iter().enumerate() {
                text.push_str(line);
                let crlf = match endings {
                    0 => false,
                    1 => true,
                    _ => (seed >> (i % 64)) & 1 == 1,
                };
                text.push_str(if crlf { "\r\n" } else { "\n" });
            }
            text
        })
}

/// The char boundary at or before `offset`.
fn floor(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A finding of any shape over `text`: spans anywhere (empty, at line ends,
/// over line breaks, sharing a line), labels with and without text (some of
/// several lines), messages and help with blank and indented lines.
fn synthetic() -> impl Strategy<Value = FileReport> {
    let span = (any::<prop::sample::Index>(), 0..12usize);
    let texts = prop::sample::select(vec!["", "label", "标签", "two\nlines", " "]);
    let prose = prop::sample::select(vec![
        "message",
        "消息 `x`",
        "first\nsecond",
        "trailing\n",
        "gap\n\n  indented\n \nend",
        " ",
        "",
    ]);
    (
        prop::collection::vec(line(), 1..8),
        span.clone(),
        prop::sample::select(vec!["", "here", "这里", "a\nb"]),
        prop::collection::vec((span, texts), 0..4),
        prose.clone(),
        prop::option::of(prose),
        prop::option::of(prop::sample::select(vec![
            Applicability::Safe,
            Applicability::Unsafe,
            Applicability::DisplayOnly,
        ])),
        any::<bool>(),
    )
        .prop_map(
            |(lines, (at, len), label, related, message, help, fix, error)| {
                let text = lines.join("\n") + "\n";
                let span = |at: prop::sample::Index, len: usize| {
                    let start = floor(&text, at.index(text.len() + 1));
                    start..floor(&text, start + len)
                };
                let rule = registry::find("lost-character").unwrap().meta();
                let mut d = Diagnostic::new(rule, span(at, len), message).with_label(label);
                d.severity = if error {
                    chatlint::Severity::Error
                } else {
                    chatlint::Severity::Warning
                };
                d.related = related
                    .into_iter()
                    .map(|((at, len), text)| Label {
                        span: span(at, len),
                        text: text.to_string(),
                    })
                    .collect();
                d.help = help.map(String::from);
                d.fix = fix.map(|applicability| Fix {
                    applicability,
                    title: "Do it".to_string(),
                    edits: Vec::new(),
                    removed_messages: 0,
                });
                FileReport {
                    source: SourceFile::from_string("t.md", text),
                    diagnostics: vec![d],
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256)
    ))]

    #[test]
    fn findings_of_random_transcripts_are_drawn_as_miette_draws_them(text in transcript()) {
        let report = report_of("t.md", text, &Settings::default());
        for color in COLORS {
            compare(&report, color);
        }
    }

    #[test]
    fn random_findings_are_drawn_as_miette_draws_them(report in synthetic()) {
        for color in COLORS {
            compare(&report, color);
        }
    }
}
