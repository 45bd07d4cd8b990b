//! A fix as data: edits plus how far they can be trusted. A rule attaches
//! one to its diagnostic; [`crate::fix`] applies them.

use serde::{Deserialize, Serialize};

use crate::model::Span;

/// How far a fix can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown, never applied: the right edit depends on what the writer meant.
    DisplayOnly,
    /// Applied with `--unsafe-fixes`: probably right, but it may change meaning.
    Unsafe,
    /// Applied with `--fix`: certain, and it changes nothing else.
    Safe,
}

impl std::fmt::Display for Applicability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Applicability::DisplayOnly => "display-only",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        })
    }
}

/// Replace the bytes of `span` with `content` (an empty span inserts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

impl Edit {
    pub fn replace(span: Span, content: impl Into<String>) -> Self {
        Self {
            span,
            content: content.into(),
        }
    }

    pub fn insert(at: usize, content: impl Into<String>) -> Self {
        Self::replace(at..at, content)
    }
}

/// The edits that repair one diagnostic, all applied or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, for a person: "Insert a space after `##`".
    pub title: String,
    /// Sorted, non-overlapping edits.
    pub edits: Vec<Edit>,
    /// How many whole messages the edits delete (a duplicate's removal):
    /// the check after fixing expects exactly that many fewer messages.
    pub removed_messages: usize,
}

impl Fix {
    /// Whether `--fix` applies it at `threshold`: trusted enough, and with
    /// something to edit.
    pub fn applies_at(&self, threshold: Applicability) -> bool {
        self.applicability >= threshold && !self.edits.is_empty()
    }

    pub fn new(
        applicability: Applicability,
        title: impl Into<String>,
        mut edits: Vec<Edit>,
    ) -> Self {
        edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
        Self {
            applicability,
            title: title.into(),
            edits,
            removed_messages: 0,
        }
    }

    /// Declares that the edits delete `count` whole messages.
    pub fn removing_messages(mut self, count: usize) -> Self {
        self.removed_messages = count;
        self
    }

    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(Applicability::Safe, title, edits)
    }

    pub fn unsafe_edit(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(Applicability::Unsafe, title, edits)
    }

    /// The smallest span covering every edit.
    pub fn span(&self) -> Span {
        let start = self.edits.first().map_or(0, |e| e.span.start);
        let end = self.edits.iter().map(|e| e.span.end).max().unwrap_or(start);
        start..end
    }
}
