//! `chatlint rule NAME|CODE` and `chatlint rule --all`.

use std::fmt::Write;

use clap::{Args, ValueEnum};
use serde_json::json;

use super::ExitStatus;
use chatlint::{registry, RuleMeta};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RuleFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// A rule's name or code, e.g. `heading-missing-space` or `CL101`.
    #[arg(required_unless_present = "all")]
    name: Option<String>,
    /// List every rule: code, name, severity, fix, summary.
    #[arg(long, conflicts_with = "name")]
    all: bool,
    #[arg(long, value_enum, default_value_t = RuleFormat::Text)]
    output_format: RuleFormat,
}

fn fix_word(meta: &RuleMeta) -> String {
    format!("{:?}", meta.fix).to_lowercase()
}

fn to_json(meta: &RuleMeta) -> serde_json::Value {
    json!({
        "code": meta.code,
        "name": meta.name,
        "severity": meta.severity,
        "fix": meta.fix,
        "default_enabled": meta.default_enabled,
        "summary": meta.summary(),
        "options": meta.option_docs(),
        "documentation": meta.documentation(),
    })
}

pub fn run(args: RuleArgs) -> Result<ExitStatus, chatlint::Error> {
    let text = if args.all {
        all_rules(args.output_format)
    } else {
        let name = args.name.unwrap_or_default();
        let rule = registry::find(&name).ok_or(chatlint::Error::UnknownRule(name))?;
        one_rule(rule.meta(), args.output_format)
    };
    super::write_to_stdout(text.as_bytes())?;
    Ok(ExitStatus::Success)
}

/// Pretty JSON of a value built from rule metadata.
fn pretty(value: &serde_json::Value) -> String {
    // A `serde_json::Value` has string keys only, so it always serialises;
    // the fallback is never taken.
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn all_rules(format: RuleFormat) -> String {
    let rules = registry::all().iter().map(|r| r.meta());
    match format {
        RuleFormat::Json => {
            let all: Vec<_> = rules.map(to_json).collect();
            pretty(&serde_json::Value::Array(all)) + "\n"
        }
        RuleFormat::Text => {
            let mut text = String::new();
            for meta in rules {
                let _ = writeln!(
                    text,
                    "{:<6} {:<22} {:<8} fix: {:<10}{}{}",
                    meta.code,
                    meta.name,
                    meta.severity.to_string(),
                    fix_word(meta),
                    if meta.default_enabled {
                        ""
                    } else {
                        "(off by default) "
                    },
                    meta.summary()
                );
            }
            text
        }
    }
}

fn one_rule(meta: &RuleMeta, format: RuleFormat) -> String {
    match format {
        RuleFormat::Json => pretty(&to_json(meta)) + "\n",
        RuleFormat::Text => {
            // Writing to a String cannot fail: the results are ignored.
            let mut text = String::new();
            let _ = writeln!(text, "# {} ({})\n", meta.name, meta.code);
            let _ = writeln!(
                text,
                "Default severity: {}. Fix: {}. {} by default.\n",
                meta.severity,
                fix_word(meta),
                if meta.default_enabled { "On" } else { "Off" }
            );
            let _ = writeln!(text, "{}", meta.documentation().trim_end());
            let options = meta.option_docs();
            if !options.is_empty() {
                let _ = writeln!(text, "\n## Options");
                for option in options {
                    let _ = writeln!(
                        text,
                        "- `{}` ({}; default `{}`): {}",
                        option.name, option.kind, option.default, option.doc
                    );
                }
            }
            text
        }
    }
}
