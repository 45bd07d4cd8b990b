//! `chatlint check [PATHS…] [--fix]`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;
use rayon::prelude::*;

use super::inputs::{self, Input};
use super::ExitStatus;
use chatlint::fix::write::replace_file;
use chatlint::output::full::{self, Color};
use chatlint::output::{json, FileReport, OutputFormat};
use chatlint::{check_text, fix_text, registry, Applicability, Error, Rule, SourceFile};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files (any extension), directories (walked for *.md and *.markdown), or - for stdin.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Apply safe fixes in place (with stdin: print the fixed text to stdout).
    #[arg(long)]
    fix: bool,
    /// With --fix, apply unsafe fixes too.
    #[arg(long, requires = "fix")]
    unsafe_fixes: bool,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Full)]
    output_format: OutputFormat,
    /// Rules to run, by code, name or code prefix (default: all).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Rules not to run, by code, name or code prefix.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
}

/// What happened to one input.
enum Outcome {
    Checked(FileReport),
    /// Fixed (or nothing to fix); the report holds what remains.
    Fixed {
        report: FileReport,
        fixed: Vec<&'static str>,
        /// For stdin: the fixed text, to print.
        stdout_text: Option<String>,
    },
    Failed(Error),
}

pub fn run(args: CheckArgs) -> Result<ExitStatus, Error> {
    let rules = selected_rules(&args)?;
    let (inputs, mut errors) = inputs::collect(&args.paths);
    let threshold = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };

    let outcomes: Vec<Outcome> = inputs
        .par_iter()
        .map(|input| process(input, &rules, args.fix.then_some(threshold)))
        .collect();

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // With `--fix` on stdin, stdout carries the fixed text; the report goes to stderr.
    let fixing_stdin = args.fix && inputs.contains(&Input::Stdin);
    let mut report_out: Box<dyn Write> = if fixing_stdin {
        Box::new(std::io::stderr())
    } else {
        Box::new(std::io::stdout())
    };

    let mut reports = Vec::new();
    let mut fixed_total = 0;
    for outcome in outcomes {
        match outcome {
            Outcome::Checked(report) => reports.push(report),
            Outcome::Fixed {
                report,
                fixed,
                stdout_text,
            } => {
                if let Some(text) = stdout_text {
                    write_or_error(&mut out, text.as_bytes(), &mut errors);
                }
                if !fixed.is_empty() && args.output_format == OutputFormat::Full {
                    let line = format!(
                        "Fixed {} in {}\n",
                        describe_fixes(&fixed),
                        report.source.name()
                    );
                    write_or_error(&mut report_out, line.as_bytes(), &mut errors);
                }
                fixed_total += fixed.len();
                reports.push(report);
            }
            Outcome::Failed(err) => errors.push(err),
        }
    }

    let findings: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    match args.output_format {
        OutputFormat::Full => {
            let color = Color::detect(if fixing_stdin {
                std::io::stderr().is_terminal()
            } else {
                std::io::stdout().is_terminal()
            });
            let mut rendered = String::new();
            for report in &reports {
                full::render_file(report, color, &mut rendered);
            }
            let fixable = reports
                .iter()
                .flat_map(|r| &r.diagnostics)
                .filter(|d| {
                    d.fix
                        .as_ref()
                        .is_some_and(|f| f.applicability == Applicability::Safe)
                })
                .count();
            let files_with_findings = reports.iter().filter(|r| !r.diagnostics.is_empty()).count();
            let mut summary = full::summary(findings, fixable, files_with_findings, reports.len());
            if fixed_total > 0 {
                summary = format!(
                    "Fixed {fixed_total} {}. {summary}",
                    if fixed_total == 1 {
                        "finding"
                    } else {
                        "findings"
                    }
                );
            }
            rendered.push_str(&summary);
            rendered.push('\n');
            write_or_error(&mut report_out, rendered.as_bytes(), &mut errors);
        }
        OutputFormat::Json => {
            let mut buffer = Vec::new();
            json::write(&reports, &mut buffer).expect("writing to memory");
            write_or_error(&mut report_out, &buffer, &mut errors);
        }
    }
    drop(report_out);

    for err in &errors {
        eprintln!("chatlint: {err}");
    }
    Ok(if !errors.is_empty() {
        ExitStatus::Error
    } else if findings > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

fn write_or_error(out: &mut dyn Write, bytes: &[u8], errors: &mut Vec<Error>) {
    if let Err(source) = out.write_all(bytes).and_then(|()| out.flush()) {
        // A closed pipe (`chatlint check | head`) is not worth a report.
        if source.kind() != std::io::ErrorKind::BrokenPipe {
            errors.push(Error::Io {
                path: PathBuf::from("<stdout>"),
                source,
            });
        }
    }
}

fn selected_rules(args: &CheckArgs) -> Result<Vec<&'static dyn Rule>, Error> {
    let mut rules: Vec<&'static dyn Rule> = if args.select.is_empty() {
        registry::all().to_vec()
    } else {
        let mut chosen = Vec::new();
        for selector in &args.select {
            chosen.extend(registry::select(selector)?);
        }
        chosen
    };
    for selector in &args.ignore {
        let ignored = registry::select(selector)?;
        rules.retain(|rule| !ignored.iter().any(|i| i.meta().code == rule.meta().code));
    }
    rules.sort_by_key(|rule| rule.meta().code);
    rules.dedup_by_key(|rule| rule.meta().code);
    Ok(rules)
}

fn process(input: &Input, rules: &[&'static dyn Rule], fix: Option<Applicability>) -> Outcome {
    let source = match inputs::read(input) {
        Ok(source) => source,
        Err(err) => return Outcome::Failed(err),
    };
    let Some(threshold) = fix else {
        let diagnostics = check_text(source.text(), rules);
        return Outcome::Checked(FileReport {
            source,
            diagnostics,
        });
    };
    let outcome = match fix_text(source.name(), source.text(), rules, threshold) {
        Ok(outcome) => outcome,
        Err(err) => return Outcome::Failed(err),
    };
    let mut stdout_text = None;
    if outcome.changed() {
        match source.path() {
            Some(path) => {
                if let Err(err) = replace_file(path, &outcome.text) {
                    return Outcome::Failed(err);
                }
            }
            None => stdout_text = Some(outcome.text.clone()),
        }
    } else if source.path().is_none() {
        stdout_text = Some(outcome.text.clone());
    }
    let fixed_source = SourceFile::from_string(source.name(), outcome.text);
    Outcome::Fixed {
        report: FileReport {
            source: fixed_source,
            diagnostics: outcome.remaining,
        },
        fixed: outcome.fixed,
        stdout_text,
    }
}

/// "2 fixes (heading-missing-space ×1, malformed-timestamp ×1)".
fn describe_fixes(fixed: &[&'static str]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for name in fixed {
        match counts.iter_mut().find(|(n, _)| n == name) {
            Some((_, count)) => *count += 1,
            None => counts.push((name, 1)),
        }
    }
    counts.sort();
    let parts: Vec<String> = counts
        .iter()
        .map(|(name, count)| format!("{name} ×{count}"))
        .collect();
    format!(
        "{} {} ({})",
        fixed.len(),
        if fixed.len() == 1 {
            "finding"
        } else {
            "findings"
        },
        parts.join(", ")
    )
}
