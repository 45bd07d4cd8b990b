//! Fixes as data, and the one engine that applies them.
//!
//! A rule attaches a [`Fix`] to its diagnostic: edits plus an
//! [`Applicability`]. [`apply_fixes`] applies the ones allowed, skipping any
//! that overlap an edit already taken; [`crate::linter::fix_in`] runs it
//! again on the result until nothing changes.

mod engine;

pub(crate) use engine::apply_selected;
pub use engine::{apply_fixes, AppliedFixes};

// The data lives with the diagnostic that carries it.
pub use crate::diagnostic::fix::{Applicability, Edit, Fix};
