//! `chatlint rule NAME|CODE` and `chatlint rule --all`.

use clap::Args;

use super::ExitStatus;
use chatlint::registry;

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// A rule's name or code, e.g. `heading-missing-space` or `CL101`.
    #[arg(required_unless_present = "all")]
    name: Option<String>,
    /// List every rule: code, name, severity, fix, summary.
    #[arg(long, conflicts_with = "name")]
    all: bool,
}

pub fn run(args: RuleArgs) -> Result<ExitStatus, chatlint::Error> {
    if args.all {
        for rule in registry::all() {
            let meta = rule.meta();
            println!(
                "{:<6} {:<24} {:<8} fix: {:<10} {}",
                meta.code,
                meta.name,
                meta.severity.to_string(),
                format!("{:?}", meta.fix).to_lowercase(),
                meta.summary()
            );
        }
        return Ok(ExitStatus::Success);
    }
    let name = args.name.unwrap_or_default();
    let rule = registry::find(&name).ok_or(chatlint::Error::UnknownRule(name))?;
    let meta = rule.meta();
    println!("# {} ({})\n", meta.name, meta.code);
    println!(
        "Default severity: {}. Fix: {}.\n",
        meta.severity,
        format!("{:?}", meta.fix).to_lowercase()
    );
    println!("{}", meta.documentation().trim_end());
    Ok(ExitStatus::Success)
}
