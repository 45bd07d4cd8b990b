//! One finding: what rule, where, what is wrong, how to fix it.

pub mod fix;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::Span;
use crate::rules::RuleMeta;
pub use fix::{Applicability, Edit, Fix};

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A labelled span beyond the primary one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// A finding in one transcript. Spans are byte offsets into the source text;
/// [`crate::output`] turns them into lines and columns.
///
/// Serde writes the rule as its code (the results cache keeps findings so);
/// the formats people and tools read are in [`crate::output`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Diagnostic {
    #[serde(with = "rule_by_code")]
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is.
    pub span: Span,
    /// What the snippet's underline says.
    pub label: String,
    /// Further places that explain the finding (an earlier message, say).
    pub related: Vec<Label>,
    /// What to do about it, in words.
    pub help: Option<String>,
    /// The edits that repair it, if a rule can say.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding at `span` with the rule's default severity.
    pub fn new(rule: &'static RuleMeta, span: Span, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.severity,
            message: message.into(),
            label: String::new(),
            span,
            related: Vec::new(),
            help: None,
            fix: None,
        }
    }

    /// Whether `--fix` at `threshold` would apply this finding's fix.
    pub fn fixable_at(&self, threshold: crate::Applicability) -> bool {
        self.fix
            .as_ref()
            .is_some_and(|fix| fix.applies_at(threshold))
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Span, text: impl Into<String>) -> Self {
        self.related.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }
}

/// A rule as its code, and back through the registry.
mod rule_by_code {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    use crate::rules::{registry, RuleMeta};

    pub fn serialize<S: Serializer>(
        rule: &&'static RuleMeta,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(rule.code)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<&'static RuleMeta, D::Error> {
        let code = String::deserialize(deserializer)?;
        registry::find(&code)
            .map(|rule| rule.meta())
            .ok_or_else(|| D::Error::custom(format!("no rule {code}")))
    }
}
