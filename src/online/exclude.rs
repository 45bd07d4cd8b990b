//! `online.exclude` (`--exclude-url`): URLs never requested.

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;

/// A regular expression (the `regex` crate's syntax, as lychee's
/// `--exclude`) searched for anywhere in an image's URL, as it would be
/// requested: `example\.org/private/`, `^http://`, `\.gif$`. Anchor it
/// (`^`, `$`) to match the whole URL.
#[derive(Clone, Deserialize)]
#[serde(try_from = "String")]
pub struct UrlPattern(regex::Regex);

impl UrlPattern {
    pub fn is_match(&self, url: &str) -> bool {
        self.0.is_match(url)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl FromStr for UrlPattern {
    type Err = String;

    fn from_str(pattern: &str) -> Result<Self, String> {
        regex::Regex::new(pattern).map(Self).map_err(|err| {
            // The syntax error's last line says what is wrong (the lines
            // above it repeat the pattern and point into it).
            let reason = match &err {
                regex::Error::Syntax(text) => text
                    .lines()
                    .last()
                    .map(|line| line.trim_start_matches("error: ").to_string())
                    .unwrap_or_default(),
                other => other.to_string(),
            };
            format!("`{pattern}` is not a regular expression: {reason}")
        })
    }
}

impl TryFrom<String> for UrlPattern {
    type Error = String;

    fn try_from(pattern: String) -> Result<Self, String> {
        pattern.parse()
    }
}

impl PartialEq for UrlPattern {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for UrlPattern {}

impl fmt::Debug for UrlPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UrlPattern({:?})", self.as_str())
    }
}

/// Whether one of `patterns` matches `url`.
pub(crate) fn excludes(patterns: &[UrlPattern], url: &str) -> bool {
    patterns.iter().any(|pattern| pattern.is_match(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_searched_for_in_the_url() {
        let patterns: Vec<UrlPattern> = [r"example\.org/private/", r"\.gif$", "^http://"]
            .iter()
            .map(|p| p.parse().unwrap())
            .collect();
        assert!(excludes(&patterns, "https://example.org/private/a.png"));
        assert!(excludes(&patterns, "https://cdn.cn/a.gif"));
        assert!(excludes(&patterns, "http://cdn.cn/a.png"));
        assert!(!excludes(&patterns, "https://cdn.cn/a.gif?v=1"));
        assert!(!excludes(&patterns, "https://example.org/public/a.png"));
        assert!(!excludes(&[], "http://cdn.cn/a.png"));
    }

    #[test]
    fn a_bad_pattern_says_what_is_wrong() {
        assert_eq!(
            "img/(a".parse::<UrlPattern>().err().unwrap(),
            "`img/(a` is not a regular expression: unclosed group"
        );
        assert!("a{2,1}".parse::<UrlPattern>().is_err());
    }
}
