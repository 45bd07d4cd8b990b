//! Every rule chatlint has, and lookup by code, name or code prefix.

use super::{
    BrokenImageUrl, DuplicateMessage, EscapedHtmlEntity, FrontMatterRule, HeaderLayout,
    HeadingMissingSpace, ImageTimeMismatch, ImageUrlPattern, InvisibleCharacter, LostCharacter,
    MalformedTimestamp, MissingDayHeading, Redact, Rule, TimeRunsBackwards, UnreachableImage,
    UnusedSuppression,
};
use crate::error::Error;

static RULES: &[&dyn Rule] = &[
    &MalformedTimestamp,
    &TimeRunsBackwards,
    &HeaderLayout,
    &MissingDayHeading,
    &HeadingMissingSpace,
    &BrokenImageUrl,
    &ImageTimeMismatch,
    &ImageUrlPattern,
    &UnreachableImage,
    &DuplicateMessage,
    &EscapedHtmlEntity,
    &LostCharacter,
    &InvisibleCharacter,
    &Redact,
    &FrontMatterRule,
    &UnusedSuppression,
];

/// All rules, in code order.
pub fn all() -> &'static [&'static dyn Rule] {
    RULES
}

/// The rule with this exact code or name.
pub fn find(code_or_name: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|rule| {
        rule.meta().code.eq_ignore_ascii_case(code_or_name) || rule.meta().name == code_or_name
    })
}

/// The rules a selector names: a code, a name, a code prefix (`CL1`) or `ALL`.
pub fn select(selector: &str) -> Result<Vec<&'static dyn Rule>, Error> {
    if selector.eq_ignore_ascii_case("ALL") {
        return Ok(RULES.to_vec());
    }
    if let Some(rule) = find(selector) {
        return Ok(vec![rule]);
    }
    let matched: Vec<_> = RULES
        .iter()
        .copied()
        .filter(|rule| {
            selector.len() >= 2
                && rule
                    .meta()
                    .code
                    .to_ascii_uppercase()
                    .starts_with(&selector.to_ascii_uppercase())
        })
        .collect();
    if matched.is_empty() {
        Err(Error::UnknownRule(selector.to_string()))
    } else {
        Ok(matched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for rule in all() {
            let meta = rule.meta();
            assert!(seen.insert(meta.code), "duplicate code {}", meta.code);
            assert!(seen.insert(meta.name), "duplicate name {}", meta.name);
            assert!(
                meta.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                meta.name
            );
            for section in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(meta.doc.contains(section), "{} lacks {section}", meta.name);
            }
            assert!(!meta.summary().is_empty(), "{}", meta.name);
        }
    }

    #[test]
    fn selectors() {
        assert_eq!(
            select("heading-missing-space").unwrap()[0].meta().code,
            "CL101"
        );
        assert_eq!(
            select("cl101").unwrap()[0].meta().name,
            "heading-missing-space"
        );
        assert_eq!(select("CL0").unwrap().len(), 4);
        assert_eq!(select("ALL").unwrap().len(), all().len());
        assert!(matches!(select("no-such-rule"), Err(Error::UnknownRule(_))));
    }
}
