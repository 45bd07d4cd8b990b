//! `online.accept` (`--accept`): which HTTP statuses count as reachable.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use serde::Deserialize;

/// The statuses an image URL may end on and count as reachable, as lychee's
/// `--accept`: codes and ranges, `200..=299, 403` (the default is
/// `200..=299`). A range is `A..=B` (inclusive), `A..B` (B excluded), or
/// without its start (`..=B`, `..B`: from 100). Redirects with a `Location`
/// are always followed; this judges the status the chain ends on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "serde_json::Value")]
pub struct AcceptedStatuses(Vec<RangeInclusive<u16>>);

/// The lowest and highest status codes there are (three digits).
const CODES: RangeInclusive<u16> = 100..=999;

impl Default for AcceptedStatuses {
    fn default() -> Self {
        Self(vec![200..=299])
    }
}

impl AcceptedStatuses {
    pub fn contains(&self, status: u16) -> bool {
        self.0.iter().any(|range| range.contains(&status))
    }

    fn parse_one(item: &str) -> Result<RangeInclusive<u16>, String> {
        let item = item.trim();
        let code = |text: &str| {
            text.trim()
                .parse::<u16>()
                .ok()
                .filter(|code| CODES.contains(code))
                .ok_or_else(|| {
                    format!(
                        "`{item}` is not a status code (100 to 999) or a range such as `200..=299`"
                    )
                })
        };
        let range = match item.split_once("..") {
            None => code(item).map(|code| code..=code)?,
            Some((start, end)) => {
                let start = if start.trim().is_empty() {
                    *CODES.start()
                } else {
                    code(start)?
                };
                match end.strip_prefix('=') {
                    Some(end) => start..=code(end)?,
                    None => start..=code(end)?.saturating_sub(1),
                }
            }
        };
        if range.is_empty() {
            return Err(format!("`{item}` is an empty range"));
        }
        Ok(range)
    }
}

impl FromStr for AcceptedStatuses {
    type Err = String;

    /// Codes and ranges separated by commas: `200..=299, 403`.
    fn from_str(text: &str) -> Result<Self, String> {
        let ranges = text
            .split(',')
            .map(Self::parse_one)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self(ranges))
    }
}

impl fmt::Display for AcceptedStatuses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, range) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            if range.start() == range.end() {
                write!(f, "{}", range.start())?;
            } else {
                write!(f, "{}..={}", range.start(), range.end())?;
            }
        }
        Ok(())
    }
}

impl TryFrom<serde_json::Value> for AcceptedStatuses {
    type Error = String;

    /// A code, a string of codes and ranges, or a list of either.
    fn try_from(written: serde_json::Value) -> Result<Self, String> {
        use serde_json::Value;
        let items = match written {
            Value::Array(items) if items.is_empty() => {
                return Err("no status is accepted: give at least one".to_string())
            }
            Value::Array(items) => items,
            one => vec![one],
        };
        let mut ranges = Vec::new();
        for item in items {
            let text = match item {
                Value::Number(code) => code.to_string(),
                Value::String(text) => text,
                other => {
                    return Err(format!(
                        "`{other}` is not a status code, a string such as \"200..=299, 403\", or a list of them"
                    ))
                }
            };
            ranges.extend(text.parse::<Self>()?.0);
        }
        Ok(Self(ranges))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted(text: &str) -> Vec<u16> {
        let statuses: AcceptedStatuses = text.parse().unwrap();
        CODES.filter(|&code| statuses.contains(code)).collect()
    }

    #[test]
    fn codes_and_ranges() {
        assert_eq!(accepted("200..=299"), (200..=299).collect::<Vec<_>>());
        assert_eq!(accepted(" 200 , 429 "), [200, 429]);
        assert_eq!(accepted("200..204, 403"), [200, 201, 202, 203, 403]);
        assert_eq!(accepted("..=101"), [100, 101]);
        assert_eq!(accepted("..102"), [100, 101]);
        let default = AcceptedStatuses::default();
        assert!(default.contains(200) && default.contains(299));
        assert!(!default.contains(199) && !default.contains(300));
        assert_eq!(default.to_string(), "200..=299");
        assert_eq!(
            "..=204,429"
                .parse::<AcceptedStatuses>()
                .unwrap()
                .to_string(),
            "100..=204,429"
        );
    }

    #[test]
    fn bad_codes_and_ranges_say_what_is_wrong() {
        let error = |text: &str| text.parse::<AcceptedStatuses>().unwrap_err();
        assert_eq!(
            error("200,2xx"),
            "`2xx` is not a status code (100 to 999) or a range such as `200..=299`"
        );
        assert!(error("1000").starts_with("`1000` is not a status code"));
        assert!(error("99").starts_with("`99` is not a status code"));
        assert!(error("200..").starts_with("`200..` is not a status code"));
        assert!(error("").starts_with("`` is not a status code"));
        assert_eq!(error("300..=200"), "`300..=200` is an empty range");
        assert_eq!(error("200..200"), "`200..200` is an empty range");
    }

    #[test]
    fn a_configuration_writes_a_code_a_string_or_a_list() {
        let read = |json: serde_json::Value| {
            serde_json::from_value::<AcceptedStatuses>(json).map(|s| s.to_string())
        };
        use serde_json::json;
        assert_eq!(read(json!(200)).unwrap(), "200");
        assert_eq!(read(json!("200..=299, 403")).unwrap(), "200..=299,403");
        assert_eq!(
            read(json!([200, "429", "500..=503"])).unwrap(),
            "200,429,500..=503"
        );
        assert!(read(json!([]))
            .unwrap_err()
            .to_string()
            .contains("no status"));
        assert!(read(json!([1000])).is_err());
        assert!(read(json!(true))
            .unwrap_err()
            .to_string()
            .starts_with("`true` is not a status code, a string"));
        assert!(read(json!(200.5)).is_err());
    }
}
