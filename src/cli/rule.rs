//! `chatlint rule NAME|CODE` and `chatlint rule --all`.

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
        "options": meta.options,
        "documentation": meta.documentation(),
    })
}

pub fn run(args: RuleArgs) -> Result<ExitStatus, chatlint::Error> {
    if args.all {
        let rules = registry::all().iter().map(|r| r.meta());
        match args.output_format {
            RuleFormat::Json => {
                let all: Vec<_> = rules.map(to_json).collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&all).expect("serialisable")
                );
            }
            RuleFormat::Text => {
                for meta in rules {
                    println!(
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
            }
        }
        return Ok(ExitStatus::Success);
    }
    let name = args.name.unwrap_or_default();
    let rule = registry::find(&name).ok_or(chatlint::Error::UnknownRule(name))?;
    let meta = rule.meta();
    match args.output_format {
        RuleFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&to_json(meta)).expect("serialisable")
        ),
        RuleFormat::Text => {
            println!("# {} ({})\n", meta.name, meta.code);
            let enabled = if meta.default_enabled { "on" } else { "off" };
            println!(
                "Default severity: {}. Fix: {}. {} by default.\n",
                meta.severity,
                fix_word(meta),
                if enabled == "on" { "On" } else { "Off" }
            );
            println!("{}", meta.documentation().trim_end());
            if !meta.options.is_empty() {
                println!("\n## Options");
                for option in meta.options {
                    println!(
                        "- `{}` (default `{}`): {}",
                        option.name, option.default, option.doc
                    );
                }
            }
        }
    }
    Ok(ExitStatus::Success)
}
