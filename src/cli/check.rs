//! `chatlint check [PATHS…]`: the arguments, the plan made of them, and
//! the errors printed; the run is [`chatlint::pipeline::check`].

use std::path::PathBuf;

use clap::Args;

use super::ExitStatus;
use chatlint::config::Overrides;
use chatlint::online::OnlineConfig;
use chatlint::output::full::ColorChoice;
use chatlint::output::OutputFormat;
use chatlint::pipeline::check::{self, CheckOptions, CheckPlan, OutputSpec, Show, Sinks};
use chatlint::Error;

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
    /// A report to write, repeatable: FORMAT:PATH writes a file (e.g.
    /// sarif:results.sarif, after every file is checked), FORMAT alone (or
    /// FORMAT:-) is the format on the terminal, full unless one says so.
    #[arg(long, value_name = "FORMAT[:PATH]", conflicts_with = "output_format")]
    output: Vec<OutputSpec>,
    /// When to colour the report: `auto` colours a terminal unless NO_COLOR
    /// is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe too).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
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
    /// List the files that would be checked (those a walk skips, on stderr), and check nothing.
    #[arg(long, conflicts_with_all = ["fix", "diff", "show_settings", "statistics"])]
    show_files: bool,
    /// Print the configuration files and the settings (rules, severities, options) of the first file, and check nothing.
    #[arg(long, conflicts_with_all = ["fix", "diff", "statistics"])]
    show_settings: bool,
    /// Report only the findings this baseline file does not hold (the
    /// configuration's `baseline:` unless given); its stale entries are
    /// told on stderr, without failing the run.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["write_baseline", "add_suppressions"])]
    baseline: Option<PathBuf>,
    /// Record the findings in this baseline file (entries of files not
    /// checked are kept, stale ones dropped) and report none.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff", "add_suppressions"])]
    write_baseline: Option<PathBuf>,
    /// Write `<!-- chatlint-disable-next-line RULE -->` above each line
    /// with findings, verified and written as a fix is.
    #[arg(long, conflicts_with_all = ["fix", "diff"])]
    add_suppressions: bool,
    #[command(flatten)]
    size_limit: super::SizeLimit,
    #[command(flatten)]
    online_options: Box<OnlineConfig>,
}

pub fn run(args: CheckArgs) -> Result<ExitStatus, Error> {
    if args.fix || args.add_suppressions {
        crate::purge_freed_memory_at_once();
    }
    let plan = CheckPlan::resolve(CheckOptions {
        paths: args.paths,
        fix: args.fix,
        diff: args.diff,
        unsafe_fixes: args.unsafe_fixes,
        show_fixes: args.show_fixes,
        output_format: args.output_format,
        outputs: args.output,
        color: args.color,
        config: args.config,
        overrides: Overrides {
            select: args.select,
            extend_select: args.extend_select,
            ignore: args.ignore,
        },
        statistics: args.statistics,
        quiet: args.quiet,
        exit_zero: args.exit_zero,
        exit_non_zero_on_fix: args.exit_non_zero_on_fix,
        stdin_filename: args.stdin_filename,
        force_exclude: args.force_exclude,
        online: args.online.then_some(*args.online_options),
        no_cache: args.no_cache,
        max_file_size: args.size_limit.max_file_size,
        show: if args.show_files {
            Some(Show::Files)
        } else if args.show_settings {
            Some(Show::Settings)
        } else {
            None
        },
        baseline: args.baseline,
        write_baseline: args.write_baseline,
        add_suppressions: args.add_suppressions,
    })?;
    let mut stdout = std::io::BufWriter::new(std::io::stdout());
    let mut stderr = std::io::BufWriter::new(std::io::stderr());
    let mut text = std::io::stdout();
    let mut warnings = std::io::stderr();
    let report: &mut (dyn std::io::Write + Send) = if plan.report_to_stderr {
        &mut stderr
    } else {
        &mut stdout
    };
    let outcome = check::run(
        &plan,
        Sinks {
            report,
            text: &mut text,
            warnings: &mut warnings,
        },
    );
    // One broken configuration file fails every file under it: say it once.
    let mut seen = std::collections::HashSet::new();
    for err in outcome.errors.iter().filter(|e| seen.insert(e.to_string())) {
        super::report_error(err);
    }
    Ok(outcome.exit_status(&plan))
}
