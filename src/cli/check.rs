//! `chatlint check [PATHS…]`: report findings, or fix them (`--fix`), or show
//! the fixes as a diff (`--diff`).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use rayon::prelude::*;

use super::inputs::{self, Input};
use super::ExitStatus;
use chatlint::cache::{CacheKey, ResultCache};
use chatlint::config::{ConfigResolver, Overrides};
use chatlint::fix::write::replace_file;
use chatlint::online::Verdicts;
use chatlint::online::{self, OnlineConfig, OnlineSettings};
use chatlint::output::full::{self, plural, Color};
use chatlint::output::{FileReport, OutputFormat};
use chatlint::rules::UnreachableImage;
use chatlint::{check_in, fix_in, Applicability, Error, Settings, SourceFile, Surroundings};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files (any extension), directories (walked for *.md and *.markdown), or - for stdin.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Apply safe fixes in place (with stdin: print the fixed text to stdout).
    #[arg(long, conflicts_with = "diff")]
    fix: bool,
    /// Also apply unsafe fixes (with --fix or --diff).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them; exit 1 if there are any.
    #[arg(long)]
    diff: bool,
    /// With --fix, list each fix applied.
    #[arg(long)]
    show_fixes: bool,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Full)]
    output_format: OutputFormat,
    /// Use this configuration file only, instead of finding .chatlint.yaml files.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Rules to run, by code, name or code prefix, replacing the configuration's.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Vec<String>,
    /// Rules to run in addition to the configuration's.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    extend_select: Vec<String>,
    /// Rules not to run.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Vec<String>,
    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Print the findings only: no summary, no list of fixes.
    #[arg(long, short)]
    quiet: bool,
    /// Exit 0 even when findings remain.
    #[arg(long)]
    exit_zero: bool,
    /// With --fix, exit 1 when anything was fixed, even if nothing remains.
    #[arg(long)]
    exit_non_zero_on_fix: bool,
    /// The path standard input stands for: its configuration and its name in messages.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Skip files the configuration excludes even when named explicitly (for pre-commit).
    #[arg(long)]
    force_exclude: bool,
    /// Check that images still load: URLs over the network, relative ones
    /// under the site root (rule unreachable-image). Off unless given.
    #[arg(long)]
    online: bool,
    /// Neither read nor write the caches: findings of unchanged files
    /// (in .chatlint-cache, or $CHATLINT_CACHE_DIR) and online results.
    #[arg(long)]
    no_cache: bool,
    #[command(flatten)]
    size_limit: inputs::SizeLimit,
    #[command(flatten)]
    online_options: Box<OnlineConfig>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Check,
    Fix(Applicability),
    Diff(Applicability),
}

/// What happened to one input.
enum Outcome {
    /// The findings (after fixing, those that remain).
    Done {
        report: FileReport,
        fixed: Vec<&'static str>,
        /// For stdin with --fix: the text to print; for --diff: the diff.
        output: Option<String>,
    },
    /// Excluded by the configuration (only stdin gets here).
    Skipped { echo: Option<String> },
    /// Not processed. With --fix on stdin, `echo` is the text as it came
    /// in: a filter that fails must not turn its input into nothing.
    Failed { error: Error, echo: Option<String> },
}

impl Outcome {
    fn failed(error: Error) -> Self {
        Outcome::Failed { error, echo: None }
    }
}

pub fn run(args: CheckArgs) -> Result<ExitStatus, Error> {
    let resolver = Arc::new(ConfigResolver::new(args.config.as_deref())?);
    let overrides = Overrides {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
    };
    // Command-line selectors are checked once, before any file is read.
    Settings::resolve(&[], None, &overrides)?;
    let threshold = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let mode = if args.fix {
        Mode::Fix(threshold)
    } else if args.diff {
        Mode::Diff(threshold)
    } else {
        Mode::Check
    };

    // Findings of unchanged files come from the last run; only a plain check
    // reads them (`--online` asks the network each time). The cache is read
    // while the folders are walked.
    let use_cache = mode == Mode::Check && !args.online && !args.no_cache;
    let ((inputs, mut errors), cache) = rayon::join(
        || inputs::collect(&args.paths, &resolver, args.force_exclude),
        || use_cache.then(|| ResultCache::open(&ResultCache::default_dir())),
    );
    let stdin_name = inputs::stdin_name(args.stdin_filename.as_deref());
    let load_one = |input: &Input| load(input, &args, &resolver, &overrides, &stdin_name, mode);
    let process_one = |loaded: Result<Loaded, Box<Outcome>>, online: Option<&Verdicts>| match loaded
    {
        Ok(loaded) => process(loaded, mode, cache.as_ref(), online),
        Err(known) => *known,
    };

    let fixing_stdin = mode != Mode::Check && inputs.contains(&Input::Stdin);
    // With --fix or --diff on stdin, stdout carries the text; the report goes to stderr.
    let report_to_stderr = fixing_stdin || matches!(mode, Mode::Diff(_));
    let color = Color::detect(if report_to_stderr {
        std::io::stderr().is_terminal()
    } else {
        std::io::stdout().is_terminal()
    });
    let human = args.output_format == OutputFormat::Full && !args.quiet;

    // A plain check prints each file's findings as soon as those of the
    // files before it are out, and keeps nothing of a file once it is
    // printed; fixing, the online pass, statistics and the formats that are
    // one document need every report first.
    let streams = mode == Mode::Check
        && !args.online
        && !args.statistics
        && args.output_format.renders_per_file();
    let mut report_out: Box<dyn Write + Send> = if report_to_stderr {
        Box::new(std::io::BufWriter::new(std::io::stderr()))
    } else {
        Box::new(std::io::BufWriter::new(std::io::stdout()))
    };
    let mut written = Written::default();
    let (tally, fixed_total, diffs) = if streams {
        let tally = stream(
            &inputs,
            |input| process_one(load_one(input), None),
            Rendering {
                format: args.output_format,
                color,
                threshold,
            },
            &mut written,
            &mut report_out,
            &mut errors,
        );
        (tally, 0, 0)
    } else {
        let outcomes: Vec<Outcome> = if args.online {
            // Every file is read before any is checked: the online pass
            // requests the images of all of them at once.
            let loaded: Vec<Result<Loaded, Box<Outcome>>> =
                inputs.par_iter().map(load_one).collect();
            let verdicts = online_pass(&args, &resolver, &loaded, &mut errors)?;
            loaded
                .into_par_iter()
                .map(|loaded| process_one(loaded, Some(&verdicts)))
                .collect()
        } else {
            inputs
                .par_iter()
                .map(|input| process_one(load_one(input), None))
                .collect()
        };
        let gathered = gather(outcomes, mode, args.show_fixes, &mut errors);
        let mut tally = Tally::default();
        for report in &gathered.reports {
            tally.add(report, threshold);
        }
        if !matches!(mode, Mode::Diff(_)) {
            let mut buffer = Vec::new();
            if human && (args.show_fixes || mode != Mode::Check) {
                buffer.extend_from_slice(gathered.fix_lines.as_bytes());
            }
            if args.statistics {
                write_statistics(
                    &gathered.reports,
                    args.output_format,
                    threshold,
                    &mut buffer,
                );
            } else {
                args.output_format
                    .write(&gathered.reports, color, &mut buffer)
                    .expect("writing to memory");
            }
            written.write(&buffer, &mut report_out, &mut errors);
        }
        let counts = (tally, gathered.fixed, gathered.diffs);
        // The process ends right after: freeing thousands of texts and
        // findings one by one would only delay the exit.
        std::mem::forget(gathered.reports);
        counts
    };

    if let Some(cache) = cache {
        // A cache that cannot be written costs the next run time, not this
        // run its result.
        if let Err(err) = cache.save() {
            eprintln!("chatlint: warning: the cache was not written: {err}");
        }
    }

    if let Mode::Diff(_) = mode {
        if human {
            let line = format!(
                "Would fix {fixed_total} {} in {diffs} {}.\n",
                plural(fixed_total, "finding"),
                plural(diffs, "file")
            );
            written.write(line.as_bytes(), &mut report_out, &mut errors);
        }
    } else if human && (errors.is_empty() || tally.files > 0) {
        let summary = summary_line(tally, fixed_total);
        if written.any && !written.ends_with_blank_line() && tally.findings > 0 && !args.statistics
        {
            written.write(b"\n", &mut report_out, &mut errors);
        }
        written.write(summary.as_bytes(), &mut report_out, &mut errors);
        written.write(b"\n", &mut report_out, &mut errors);
    }
    if let Err(source) = report_out.flush() {
        note_write_error(source, &mut errors);
    }
    drop(report_out);

    // One broken configuration file fails every file under it: say it once.
    let mut seen = std::collections::HashSet::new();
    for err in errors.iter().filter(|e| seen.insert(e.to_string())) {
        super::report_error(err);
    }
    Ok(exit_status(
        &args,
        mode,
        errors.is_empty(),
        tally,
        fixed_total,
        diffs,
    ))
}

/// "Found … in … of … files.", after "Fixed N findings." when some were.
fn summary_line(tally: Tally, fixed_total: usize) -> String {
    let summary = full::summary(
        tally.findings,
        tally.fixable,
        tally.files_with_findings,
        tally.files,
    );
    if fixed_total == 0 {
        return summary;
    }
    format!(
        "Fixed {fixed_total} {}. {summary}",
        plural(fixed_total, "finding")
    )
}

/// 2 on any error; else 1 on findings (or a diff, or with
/// `--exit-non-zero-on-fix` a fix), unless `--exit-zero`; else 0.
fn exit_status(
    args: &CheckArgs,
    mode: Mode,
    no_errors: bool,
    tally: Tally,
    fixed_total: usize,
    diffs: usize,
) -> ExitStatus {
    if !no_errors {
        ExitStatus::Error
    } else if args.exit_zero {
        ExitStatus::Success
    } else if matches!(mode, Mode::Diff(_)) {
        if diffs > 0 {
            ExitStatus::Findings
        } else {
            ExitStatus::Success
        }
    } else if tally.findings > 0 || (args.exit_non_zero_on_fix && fixed_total > 0) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

/// The outcomes of fixing or checking every input, for [`run`] to report.
struct Gathered {
    reports: Vec<FileReport>,
    /// What `--fix` fixed, a line per file ([`describe_fixes`]).
    fix_lines: String,
    /// How many fixes were applied.
    fixed: usize,
    /// How many diffs were written (`--diff`).
    diffs: usize,
}

/// Takes the outcomes in order: writes what goes to standard output (a
/// diff, the fixed text of standard input), keeps the reports and counts the
/// fixes; failures go to `errors`.
fn gather(
    outcomes: Vec<Outcome>,
    mode: Mode,
    show_fixes: bool,
    errors: &mut Vec<Error>,
) -> Gathered {
    let mut stdout = std::io::stdout().lock();
    let mut gathered = Gathered {
        reports: Vec::new(),
        fix_lines: String::new(),
        fixed: 0,
        diffs: 0,
    };
    for outcome in outcomes {
        match outcome {
            Outcome::Done {
                report,
                fixed,
                output,
            } => {
                if let Some(text) = output {
                    if matches!(mode, Mode::Diff(_)) {
                        gathered.diffs += 1;
                    }
                    write_or_error(&mut stdout, text.as_bytes(), errors);
                }
                if !fixed.is_empty() {
                    let name = report.source.name();
                    gathered
                        .fix_lines
                        .push_str(&describe_fixes(name, &fixed, show_fixes));
                }
                gathered.fixed += fixed.len();
                gathered.reports.push(report);
            }
            Outcome::Skipped { echo } => {
                if let Some(text) = echo {
                    write_or_error(&mut stdout, text.as_bytes(), errors);
                }
            }
            Outcome::Failed { error, echo } => {
                if let Some(text) = echo {
                    write_or_error(&mut stdout, text.as_bytes(), errors);
                }
                errors.push(error);
            }
        }
    }
    gathered
}

/// What the summary counts.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    findings: usize,
    /// Findings with a fix at the threshold `--fix` would apply.
    fixable: usize,
    files_with_findings: usize,
    files: usize,
}

impl Tally {
    fn add(&mut self, report: &FileReport, threshold: Applicability) {
        let diagnostics = &report.diagnostics;
        self.findings += diagnostics.len();
        self.fixable += diagnostics
            .iter()
            .filter(|d| d.fixable_at(threshold))
            .count();
        self.files_with_findings += usize::from(!diagnostics.is_empty());
        self.files += 1;
    }

    fn merge(self, other: Tally) -> Tally {
        Tally {
            findings: self.findings + other.findings,
            fixable: self.fixable + other.fixable,
            files_with_findings: self.files_with_findings + other.files_with_findings,
            files: self.files + other.files,
        }
    }
}

/// How the report is written, for [`stream`].
#[derive(Debug, Clone, Copy)]
struct Rendering {
    format: OutputFormat,
    color: Color,
    threshold: Applicability,
}

/// What has gone to the report so far: whether anything, and its last two
/// bytes (the summary follows a blank line).
#[derive(Debug, Default)]
struct Written {
    any: bool,
    tail: [u8; 2],
}

impl Written {
    fn write(&mut self, bytes: &[u8], out: &mut dyn Write, errors: &mut Vec<Error>) {
        if bytes.is_empty() {
            return;
        }
        if let Err(source) = out.write_all(bytes) {
            note_write_error(source, errors);
        }
        self.tail = match bytes {
            [.., a, b] => [*a, *b],
            [b] => [self.tail[1], *b],
            [] => self.tail,
        };
        self.any = true;
    }

    fn ends_with_blank_line(&self) -> bool {
        self.tail == *b"\n\n"
    }
}

/// One file checked and rendered by a worker, for [`stream`].
enum Piece {
    Report { rendered: Vec<u8>, tally: Tally },
    Failed(Error),
    Skipped,
}

/// Checks `inputs` in parallel and writes each file's report in the order
/// of `inputs` as soon as the reports before it are written. A worker
/// renders its file and drops it, so memory holds only the files being
/// checked and the rendered reports waiting for an earlier one. The worker
/// that completes the next report in order writes it, and any waiting after
/// it: no thread is woken to write.
fn stream(
    inputs: &[Input],
    check: impl Fn(&Input) -> Outcome + Sync,
    rendering: Rendering,
    written: &mut Written,
    out: &mut (dyn Write + Send),
    errors: &mut Vec<Error>,
) -> Tally {
    let render = |outcome: Outcome| match outcome {
        Outcome::Done { report, .. } => {
            let mut tally = Tally::default();
            tally.add(&report, rendering.threshold);
            // A report without findings renders as nothing.
            let mut rendered = Vec::new();
            rendering
                .format
                .write(
                    std::slice::from_ref(&report),
                    rendering.color,
                    &mut rendered,
                )
                .expect("writing to memory");
            Piece::Report { rendered, tally }
        }
        Outcome::Failed { error, .. } => Piece::Failed(error),
        Outcome::Skipped { .. } => Piece::Skipped,
    };
    let in_order = std::sync::Mutex::new(InOrder {
        next: 0,
        waiting: std::collections::BTreeMap::new(),
        tally: Tally::default(),
        separator: rendering.format.file_separator(),
        written,
        out,
        errors,
    });
    inputs.par_iter().enumerate().for_each(|(index, input)| {
        let piece = render(check(input));
        in_order
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .arrive(index, piece);
    });
    in_order
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .tally
}

/// The reports of [`stream`] not yet written, and where they go.
struct InOrder<'w> {
    /// The index of the next report to write.
    next: usize,
    waiting: std::collections::BTreeMap<usize, Piece>,
    tally: Tally,
    separator: &'static [u8],
    written: &'w mut Written,
    out: &'w mut (dyn Write + Send),
    errors: &'w mut Vec<Error>,
}

impl InOrder<'_> {
    fn arrive(&mut self, index: usize, piece: Piece) {
        self.waiting.insert(index, piece);
        while let Some(piece) = self.waiting.remove(&self.next) {
            self.next += 1;
            match piece {
                Piece::Report { rendered, tally } => {
                    self.tally = self.tally.merge(tally);
                    if !rendered.is_empty() {
                        if self.written.any {
                            self.written.write(self.separator, self.out, self.errors);
                        }
                        self.written.write(&rendered, self.out, self.errors);
                    }
                }
                Piece::Failed(err) => self.errors.push(err),
                Piece::Skipped => {}
            }
        }
    }
}

/// An input read, with the settings that govern it.
struct Loaded {
    source: SourceFile,
    settings: Settings,
    /// The path the rules see (file-name checks): none for an unnamed stdin.
    rule_path: Option<PathBuf>,
}

/// Reads an input and resolves its settings. `Err` is the outcome already
/// known: the input failed, or is skipped.
fn load(
    input: &Input,
    args: &CheckArgs,
    resolver: &ConfigResolver,
    overrides: &Overrides,
    stdin_name: &str,
    mode: Mode,
) -> Result<Loaded, Box<Outcome>> {
    // The path whose configuration applies.
    let config_path = input.config_path(args.stdin_filename.as_deref());
    let failed = |err| Box::new(Outcome::failed(err));
    let settings = inputs::settings_for(resolver, &config_path, overrides).map_err(failed)?;
    let source = inputs::read(input, stdin_name, args.size_limit.max_file_size).map_err(failed)?;
    if *input == Input::Stdin
        && args.force_exclude
        && args.stdin_filename.is_some()
        && inputs::excluded(resolver, &config_path).map_err(failed)?
    {
        let echo = matches!(mode, Mode::Fix(_)).then(|| source.text().to_string());
        return Err(Box::new(Outcome::Skipped { echo }));
    }
    let rule_path = match input {
        Input::File(path) => Some(path.clone()),
        Input::Stdin => args.stdin_filename.clone(),
    };
    Ok(Loaded {
        source,
        settings,
        rule_path,
    })
}

/// `--online`: checks the images of every file that `unreachable-image` is
/// on for, and returns the verdicts for the rule to report from. The
/// `online:` options come from the current folder's configuration.
fn online_pass(
    args: &CheckArgs,
    resolver: &ConfigResolver,
    loaded: &[Result<Loaded, Box<Outcome>>],
    errors: &mut Vec<Error>,
) -> Result<Verdicts, Error> {
    let chain = resolver.chain_for_folder(Path::new("."))?;
    let settings = OnlineSettings::resolve(&chain, &args.online_options, !args.no_cache);
    let texts = loaded
        .iter()
        .flatten()
        .filter(|loaded| loaded.settings.is_enabled(&UnreachableImage::META))
        .map(|loaded| loaded.source.text());
    let (verdicts, cache_error) = online::check(texts, &settings);
    errors.extend(cache_error);
    Ok(verdicts)
}

fn process(
    loaded: Loaded,
    mode: Mode,
    cache: Option<&ResultCache>,
    online: Option<&Verdicts>,
) -> Outcome {
    let Loaded {
        source,
        settings,
        rule_path,
    } = loaded;
    let surroundings = Surroundings {
        path: rule_path.as_deref(),
        online,
    };
    let threshold = match mode {
        Mode::Check => {
            let text = source.text();
            let diagnostics = match cache.zip(source.path()) {
                Some((cache, path)) => {
                    let key = CacheKey::new(path, text.as_bytes(), &settings);
                    cache.get(&key).unwrap_or_else(|| {
                        let diagnostics = check_in(text, &settings, surroundings);
                        cache.put(&key, &diagnostics);
                        diagnostics
                    })
                }
                None => check_in(text, &settings, surroundings),
            };
            return Outcome::Done {
                report: FileReport {
                    source,
                    diagnostics,
                },
                fixed: Vec::new(),
                output: None,
            };
        }
        Mode::Fix(threshold) | Mode::Diff(threshold) => threshold,
    };
    let outcome = match fix_in(
        source.name(),
        source.text(),
        &settings,
        threshold,
        surroundings,
    ) {
        Ok(outcome) => outcome,
        Err(error) => {
            // On stdin the text goes back out as it came in.
            let echo = (source.path().is_none() && matches!(mode, Mode::Fix(_)))
                .then(|| source.text().to_string());
            return Outcome::Failed { error, echo };
        }
    };
    // The file's other fixes were applied; these findings remain reported.
    for rejected in &outcome.rejected {
        eprintln!(
            "warning: {}:{}: a {} fix was not applied ({}): {}",
            source.name(),
            rejected.line,
            rejected.rule,
            rejected.title,
            rejected.reason
        );
    }
    let mut output = None;
    if let Mode::Diff(_) = mode {
        if outcome.changed() {
            output = Some(unified_diff(source.name(), source.text(), &outcome.text));
        }
    } else if let Some(path) = source.path() {
        if outcome.changed() {
            if let Err(err) = replace_file(path, source.text().as_bytes(), &outcome.text) {
                return Outcome::failed(err);
            }
        }
    } else {
        // Standard input: the (possibly unchanged) text goes to stdout.
        output = Some(outcome.text.clone());
    }
    let report_source = if matches!(mode, Mode::Diff(_)) {
        source
    } else {
        SourceFile::from_string(source.name(), outcome.text)
    };
    Outcome::Done {
        report: FileReport {
            source: report_source,
            diagnostics: outcome.remaining,
        },
        fixed: outcome.fixed,
        output,
    }
}

/// A unified diff with `a/` and `b/` headers, as `git apply` and `patch -p1` read.
fn unified_diff(name: &str, before: &str, after: &str) -> String {
    let diff = similar::TextDiff::from_lines(before, after);
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn write_statistics(
    reports: &[FileReport],
    format: OutputFormat,
    threshold: Applicability,
    out: &mut Vec<u8>,
) {
    let diagnostics = || reports.iter().flat_map(|r| &r.diagnostics);
    let fixable = count_each(
        diagnostics()
            .filter(|d| d.fixable_at(threshold))
            .map(|d| d.rule.code),
    );
    let mut counts: Vec<(&'static str, &'static str, usize, usize)> =
        count_each(diagnostics().map(|d| (d.rule.code, d.rule.name)))
            .into_iter()
            .map(|((code, name), count)| {
                (code, name, count, fixable.get(code).copied().unwrap_or(0))
            })
            .collect();
    counts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    if matches!(format, OutputFormat::Json | OutputFormat::JsonLines) {
        let rows: Vec<serde_json::Value> = counts
            .iter()
            .map(|(code, name, count, fixable)| {
                serde_json::json!({ "code": code, "name": name, "count": count, "fixable": fixable })
            })
            .collect();
        let _ = serde_json::to_writer_pretty(&mut *out, &rows);
        out.push(b'\n');
        return;
    }
    for (code, name, count, fixable) in counts {
        let marker = if fixable == count {
            "[*]"
        } else if fixable > 0 {
            "[-]"
        } else {
            "[ ]"
        };
        out.extend_from_slice(format!("{count:>6}\t{code}\t{marker} {name}\n").as_bytes());
    }
}

fn write_or_error(out: &mut dyn Write, bytes: &[u8], errors: &mut Vec<Error>) {
    if let Err(source) = out.write_all(bytes).and_then(|()| out.flush()) {
        note_write_error(source, errors);
    }
}

fn note_write_error(source: std::io::Error, errors: &mut Vec<Error>) {
    // A closed pipe (`chatlint check | head`) is not worth a report.
    if source.kind() != std::io::ErrorKind::BrokenPipe {
        errors.push(Error::Io {
            path: PathBuf::from("<stdout>"),
            source,
        });
    }
}

/// "Fixed 2 findings in a.md (heading-missing-space ×1, malformed-timestamp ×1)",
/// or with `--show-fixes` one line per rule.
fn describe_fixes(name: &str, fixed: &[&'static str], per_rule_lines: bool) -> String {
    let counts = count_each(fixed.iter().copied());
    if per_rule_lines {
        let mut out = format!("Fixed in {name}:\n");
        for (rule, count) in counts {
            out.push_str(&format!("  {count} × {rule}\n"));
        }
        return out;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(rule, count)| format!("{rule} ×{count}"))
        .collect();
    format!(
        "Fixed {} {} in {name} ({})\n",
        fixed.len(),
        plural(fixed.len(), "finding"),
        parts.join(", ")
    )
}

/// How many times each key occurs, in the keys' order.
fn count_each<K: Ord>(keys: impl IntoIterator<Item = K>) -> std::collections::BTreeMap<K, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for key in keys {
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatlint::{Diagnostic, Edit, Fix, Rule, RuleMeta};

    /// A rule whose fix never settles: `a` becomes `b` and `b` becomes `a`.
    struct Flip;

    static FLIP: RuleMeta = RuleMeta {
        code: "CL998",
        name: "flip",
        severity: chatlint::Severity::Warning,
        fix: chatlint::rules::FixAvailability::Always,
        default_enabled: true,
        options: &[],
        doc: "",
    };

    impl Rule for Flip {
        fn meta(&self) -> &'static RuleMeta {
            &FLIP
        }

        fn check(&self, context: &chatlint::rules::Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
            for (at, found) in context.text.match_indices(['a', 'b']) {
                let other = if found == "a" { "b" } else { "a" };
                let fix = Fix::safe("flip", vec![Edit::replace(at..at + 1, other)]);
                diagnostics.push(Diagnostic::new(&FLIP, at..at + 1, found).with_fix(Some(fix)));
            }
        }
    }

    #[test]
    fn a_failed_fix_of_stdin_gives_the_text_back_unchanged() {
        let loaded = |text: &str| Loaded {
            source: SourceFile::from_string("-", text),
            settings: Settings::from_rules(vec![&Flip]),
            rule_path: None,
        };
        let fix = Mode::Fix(Applicability::Safe);
        match process(loaded("a b\n"), fix, None, None) {
            Outcome::Failed { error, echo } => {
                assert!(matches!(error, Error::FixDidNotConverge { .. }), "{error}");
                assert_eq!(echo.as_deref(), Some("a b\n"));
            }
            _ => panic!("the fix should not settle"),
        }
        // --diff prints a diff, not the text.
        match process(loaded("a b\n"), Mode::Diff(Applicability::Safe), None, None) {
            Outcome::Failed { echo, .. } => assert_eq!(echo, None),
            _ => panic!("the fix should not settle"),
        }
    }
}
