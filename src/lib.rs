//! chatlint: lint, fix and convert chat transcripts kept as Markdown.
//!
//! A transcript is a Jekyll post of messages written as `> HH:MM:SS  speaker`
//! blocks. chatlint parses it into a typed [`model`] with byte spans on
//! everything, runs [`rules`] that report [`Diagnostic`]s with fixes attached
//! as data, and applies the fixes it is sure of with one engine.
//!
//! # Checking a transcript
//!
//! ```
//! use chatlint::{check_with, Settings};
//!
//! let text = "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n\
//!             > 7:50:02  右军  \n   \n##背景 先说下  \n";
//! // The rules on by default, as `chatlint check` runs them without configuration.
//! let findings = check_with(text, &Settings::default());
//! let names: Vec<_> = findings.iter().map(|d| d.rule.name).collect();
//! assert_eq!(names, ["malformed-timestamp", "heading-missing-space"]);
//! ```
//!
//! # Fixing it
//!
//! ```
//! use chatlint::{fix_text, registry, Applicability};
//!
//! let text = "> 7:50:02  右军  \n   \n##背景 先说下  \n";
//! // Or choose the rules yourself.
//! let rules = [registry::find("malformed-timestamp").unwrap(), registry::find("CL101").unwrap()];
//! let outcome = fix_text("example.md", text, &rules, Applicability::Safe)?;
//! assert_eq!(outcome.text, "> 07:50:02  右军  \n   \n## 背景 先说下  \n");
//! assert!(outcome.remaining.is_empty());
//! # Ok::<(), chatlint::Error>(())
//! ```
//!
//! # Reading the model
//!
//! ```
//! let text = "> 07:50:02  右军  \n   \n已转[握手]  \n";
//! let transcript = chatlint::parse(text);
//! let message = &transcript.messages[0];
//! assert_eq!(message.header.speaker(text), "右军");
//! assert_eq!(message.text(text), "已转[握手]");
//! ```

pub mod aliases;
pub mod cache;
pub mod config;
pub mod convert;
pub mod error;
pub mod files;
pub mod fix;
pub mod input;
pub mod layout;
pub mod line_index;
pub mod linter;
pub mod merge;
pub mod model;
pub mod online;
pub mod output;
pub mod parser;
pub mod pipeline;
pub mod rules;
// A finding is what the rules report: its type lives with them.
pub use rules::diagnostic;
pub mod source;
pub mod suppression;
pub mod twins;
mod xml_escape;
pub mod yaml;

pub use config::Settings;
pub use convert::Format as ConvertFormat;
pub use diagnostic::{Applicability, Edit, Fix};
pub use diagnostic::{Diagnostic, Severity};
pub use error::Error;
pub use linter::{
    check_in, check_path, check_text, check_with, fix_from, fix_in, fix_path, fix_text, fix_with,
    FixOutcome, FixSource, Surroundings,
};
pub use parser::parse;
pub use rules::{registry, Rule, RuleMeta};
pub use source::SourceFile;
