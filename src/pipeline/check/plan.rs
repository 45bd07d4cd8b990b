//! What a `check` run is asked ([`CheckOptions`]) and every decision made
//! of it before any file is read ([`CheckPlan`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::show::Show;
use crate::config::{ConfigResolver, Overrides};
use crate::files::FileIdentity;
use crate::online::{OnlineConfig, OnlineSettings};
use crate::output::full::{Color, ColorChoice, Look};
use crate::output::OutputFormat;
use crate::pipeline::baseline::Baseline;
use crate::pipeline::summary::ExitPolicy;
use crate::{Applicability, Error, Settings};

/// What a `check` run is asked to do, as the command line says it.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Files, folders (walked for transcripts), or `-` for standard input.
    pub paths: Vec<PathBuf>,
    /// `--fix`: apply the fixes in place.
    pub fix: bool,
    /// `--diff`: print the fixes as a diff instead.
    pub diff: bool,
    /// `--unsafe-fixes`: apply unsafe fixes too.
    pub unsafe_fixes: bool,
    pub show_fixes: bool,
    pub output_format: OutputFormat,
    /// `--output FORMAT[:PATH]`, each: a file written in that format, or
    /// (one at most, without a path or with `-`) the format of the report
    /// on the terminal instead of `output_format`.
    pub outputs: Vec<OutputSpec>,
    /// `--color`: with `auto`, colours follow the environment and whether
    /// the report's stream (stderr when stdout carries text) is a terminal.
    pub color: ColorChoice,
    /// `--config`: this configuration file only.
    pub config: Option<PathBuf>,
    pub overrides: Overrides,
    pub statistics: bool,
    pub quiet: bool,
    pub exit_zero: bool,
    pub exit_non_zero_on_fix: bool,
    pub stdin_filename: Option<PathBuf>,
    pub force_exclude: bool,
    /// `--online`, with its command-line options.
    pub online: Option<OnlineConfig>,
    pub no_cache: bool,
    pub max_file_size: u64,
    /// `--show-files` or `--show-settings`: tell, check nothing.
    pub show: Option<Show>,
    /// `--baseline FILE`: report only the findings it does not hold.
    pub baseline: Option<PathBuf>,
    /// `--write-baseline FILE`: record the findings in it.
    pub write_baseline: Option<PathBuf>,
    /// `--add-suppressions`: a suppression comment above each finding.
    pub add_suppressions: bool,
}

impl CheckOptions {
    /// A plain check of `paths`, as `chatlint check PATHS` asks with no
    /// other option, in the full format without colour.
    pub fn new(paths: Vec<PathBuf>) -> Self {
        Self {
            paths,
            fix: false,
            diff: false,
            unsafe_fixes: false,
            show_fixes: false,
            output_format: OutputFormat::Full,
            outputs: Vec::new(),
            color: ColorChoice::Never,
            config: None,
            overrides: Overrides::default(),
            statistics: false,
            quiet: false,
            exit_zero: false,
            exit_non_zero_on_fix: false,
            stdin_filename: None,
            force_exclude: false,
            online: None,
            no_cache: false,
            max_file_size: crate::input::DEFAULT_MAX_FILE_SIZE,
            show: None,
            baseline: None,
            write_baseline: None,
            add_suppressions: false,
        }
    }
}

/// Whether files are checked, fixed, or diffed, and at which threshold, or
/// given a suppression comment above each finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Check,
    Fix(Applicability),
    Diff(Applicability),
    /// `--add-suppressions`: written as a fix is, through the same engine.
    Suppress,
}

/// What the run does with a baseline file.
#[derive(Debug)]
pub struct BaselineUse {
    pub baseline: Baseline,
    /// `--write-baseline`: the findings are recorded (and none reported);
    /// otherwise those it holds are held back.
    pub write: bool,
}

/// Every decision of a `check` run, made once before any file is read.
#[derive(Debug)]
pub struct CheckPlan {
    pub paths: Vec<PathBuf>,
    pub resolver: Arc<ConfigResolver>,
    pub overrides: Overrides,
    pub mode: Mode,
    /// Applied by `--fix` and counted as fixable in the summary.
    pub threshold: Applicability,
    /// The report's format on the terminal (stdout, or stderr).
    pub format: OutputFormat,
    /// Files written in a format of their own (`--output FORMAT:PATH`),
    /// with every file's findings, once all files are done.
    pub file_outputs: Vec<OutputSpec>,
    /// The full report's colours and width.
    pub look: Look,
    /// The full format without `--quiet`: the summary and fix lines.
    pub human: bool,
    /// Without `--quiet`: notes on stderr (the files walks skipped).
    pub notes: bool,
    pub statistics: bool,
    pub show_fixes: bool,
    pub exit: ExitPolicy,
    pub stdin_filename: Option<PathBuf>,
    /// What standard input is called in messages.
    pub stdin_name: String,
    pub force_exclude: bool,
    pub max_file_size: u64,
    /// Findings of unchanged files come from the last run.
    pub cache: bool,
    /// `--online`: the settings of the image checks.
    pub online: Option<OnlineSettings>,
    /// `--baseline`, `--write-baseline` or the configuration's `baseline:`
    /// (none with `--diff` or `--add-suppressions`).
    pub baseline: Option<BaselineUse>,
    /// Each file's findings are written as soon as those before it are out;
    /// otherwise every report is gathered first.
    pub streams: bool,
    /// Findings go to stderr, as stdout carries text (a diff, or the fixed
    /// standard input).
    pub report_to_stderr: bool,
    /// `--show-files` or `--show-settings`: tell, check nothing.
    pub show: Option<Show>,
}

impl CheckPlan {
    /// Resolves the options: the configuration named by `--config` is read
    /// and the command line's selectors checked here, once.
    pub fn resolve(options: CheckOptions) -> Result<Self, Error> {
        let resolver = Arc::new(ConfigResolver::new(options.config.as_deref())?);
        Settings::resolve(&[], None, &options.overrides)?;
        let threshold = if options.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        let mode = if options.add_suppressions {
            Mode::Suppress
        } else if options.fix {
            Mode::Fix(threshold)
        } else if options.diff {
            Mode::Diff(threshold)
        } else {
            Mode::Check
        };
        let online = match &options.online {
            // The `online:` options come from the current folder's configuration.
            Some(command_line) => {
                let chain = resolver.chain_for_folder(Path::new("."))?;
                let sections = chain
                    .iter()
                    .map(|config| (&config.file.online, config.dir.as_path()));
                Some(OnlineSettings::resolve(
                    sections,
                    command_line,
                    !options.no_cache,
                ))
            }
            None => None,
        };
        let (format, file_outputs) = outputs(options.output_format, &options.outputs)?;
        let baseline = resolve_baseline(&options, &resolver, mode)?;
        let reads_stdin = options.paths.iter().any(|path| path.as_os_str() == "-");
        let report_to_stderr = (mode != Mode::Check && reads_stdin) || options.diff;
        Ok(Self {
            // Only a plain check reads cached findings (`--online` asks the
            // network each time).
            cache: mode == Mode::Check && online.is_none() && !options.no_cache,
            streams: mode == Mode::Check
                && online.is_none()
                && !options.statistics
                && file_outputs.is_empty()
                && format.renders_per_file(),
            look: look(options.color, report_to_stderr),
            human: format == OutputFormat::Full && !options.quiet,
            notes: !options.quiet,
            exit: ExitPolicy {
                exit_zero: options.exit_zero,
                exit_non_zero_on_fix: options.exit_non_zero_on_fix,
                diff: options.diff,
            },
            paths: options.paths,
            resolver,
            overrides: options.overrides,
            mode,
            threshold,
            format,
            file_outputs,
            statistics: options.statistics,
            show_fixes: options.show_fixes,
            stdin_name: crate::pipeline::inputs::stdin_name(options.stdin_filename.as_deref()),
            stdin_filename: options.stdin_filename,
            force_exclude: options.force_exclude,
            max_file_size: options.max_file_size,
            online,
            baseline,
            report_to_stderr,
            show: options.show,
        })
    }
}

/// `--output FORMAT[:PATH]`: a report format, and the file it is written
/// to (none, or `-`: the terminal's report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    pub format: OutputFormat,
    pub path: Option<PathBuf>,
}

impl std::str::FromStr for OutputSpec {
    type Err = String;

    /// `sarif`, `sarif:results.sarif`, `json:-`: the format's name, then
    /// after the first `:` the path (which may hold more colons).
    fn from_str(text: &str) -> Result<Self, String> {
        let (name, path) = match text.split_once(':') {
            Some((name, path)) => (name, Some(path)),
            None => (text, None),
        };
        let format = OutputFormat::named(name).ok_or_else(|| {
            let names: Vec<&str> = OutputFormat::NAMED.iter().map(|(n, _)| *n).collect();
            format!(
                "unknown format `{name}` (expected FORMAT or FORMAT:PATH, FORMAT one of {})",
                names.join(", ")
            )
        })?;
        let path = match path {
            Some("") => return Err(format!("`{text}`: the path after `:` is empty")),
            Some("-") | None => None,
            Some(path) => Some(PathBuf::from(path)),
        };
        Ok(Self { format, path })
    }
}

/// The terminal's format and the files to write, from `--output-format`
/// and the `--output`s: at most one of those goes to the terminal, and no
/// two to one file.
fn outputs(
    default: OutputFormat,
    specs: &[OutputSpec],
) -> Result<(OutputFormat, Vec<OutputSpec>), Error> {
    let mut terminal = specs.iter().filter(|spec| spec.path.is_none());
    let format = terminal.next().map_or(default, |spec| spec.format);
    if terminal.next().is_some() {
        return Err(Error::Usage(
            "more than one --output without a path: one report goes to the terminal, the others need FORMAT:PATH".into(),
        ));
    }
    let files: Vec<OutputSpec> = specs.iter().filter(|s| s.path.is_some()).cloned().collect();
    // One file however it is named: spelt two ways, a link, a hard link.
    let identities: Vec<FileIdentity> = files
        .iter()
        .map(|spec| FileIdentity::of(spec.path.as_deref().unwrap_or(Path::new(""))))
        .collect();
    for (i, spec) in files.iter().enumerate() {
        let path = spec.path.as_deref().unwrap_or(Path::new(""));
        if identities[..i].contains(&identities[i]) {
            return Err(Error::Usage(format!(
                "--output names {} twice: each report needs a file of its own",
                path.display()
            )));
        }
    }
    Ok((format, files))
}

/// The report's colours and width: the width is `COLUMNS` when it holds a
/// number, else the terminal's when the report's stream is one, else
/// unknown (lines are then cut at a fixed number of characters).
fn look(choice: ColorChoice, report_to_stderr: bool) -> Look {
    use std::io::IsTerminal;
    let (is_terminal, size) = if report_to_stderr {
        let stream = std::io::stderr();
        (
            stream.is_terminal(),
            terminal_size::terminal_size_of(stream),
        )
    } else {
        let stream = std::io::stdout();
        (
            stream.is_terminal(),
            terminal_size::terminal_size_of(stream),
        )
    };
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse::<usize>().ok())
        .filter(|&columns| columns > 0);
    let width = columns.or_else(|| {
        size.filter(|_| is_terminal)
            .map(|(terminal_size::Width(width), _)| usize::from(width))
    });
    Look {
        color: Color::detect(choice, is_terminal),
        width,
    }
}

/// The baseline file: `--write-baseline`, else `--baseline`, else the
/// `baseline:` of the current folder's configuration (the nearest file
/// that sets it, relative to it); read here, so that a file that is not a
/// baseline stops the run before any transcript is read.
fn resolve_baseline(
    options: &CheckOptions,
    resolver: &ConfigResolver,
    mode: Mode,
) -> Result<Option<BaselineUse>, Error> {
    if let Some(path) = &options.write_baseline {
        return Ok(Some(BaselineUse {
            baseline: Baseline::read(path, true)?,
            write: true,
        }));
    }
    // A diff shows fixes, and suppressions cover every finding.
    if matches!(mode, Mode::Diff(_) | Mode::Suppress) {
        return Ok(None);
    }
    let path = match &options.baseline {
        Some(path) => path.clone(),
        None => {
            let chain = resolver.chain_for_folder(Path::new("."))?;
            let configured = chain.iter().rev().find_map(|config| {
                let path = config.file.baseline.as_ref()?;
                Some(config.dir.join(path))
            });
            match configured {
                Some(path) => path,
                None => return Ok(None),
            }
        }
    };
    Ok(Some(BaselineUse {
        baseline: Baseline::read(&path, false)?,
        write: false,
    }))
}
