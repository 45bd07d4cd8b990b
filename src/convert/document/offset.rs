//! The UTC offset `--timezone` gives every `datetime`.

use std::ops::Range;

/// A UTC offset for `datetime`: `Z`, `+08:00`, `-05:30` (at most 14 hours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offset(String);

impl std::str::FromStr for Offset {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text == "Z" {
            return Ok(Offset(text.to_string()));
        }
        let bytes = text.as_bytes();
        let digits = |r: Range<usize>| bytes[r].iter().all(u8::is_ascii_digit);
        let well_formed = bytes.len() == 6
            && matches!(bytes[0], b'+' | b'-')
            && bytes[3] == b':'
            && digits(1..3)
            && digits(4..6);
        let minutes = |r: Range<usize>| text[r].parse::<u32>().unwrap_or(u32::MAX);
        if !well_formed || minutes(4..6) >= 60 || minutes(1..3) * 60 + minutes(4..6) > 14 * 60 {
            return Err(format!(
                "`{text}` is not a UTC offset such as `+08:00`, `-05:30` or `Z` (at most 14 hours)"
            ));
        }
        Ok(Offset(text.to_string()))
    }
}

impl std::fmt::Display for Offset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_checked() {
        for good in ["Z", "+08:00", "-05:30", "+14:00"] {
            assert!(good.parse::<Offset>().is_ok(), "{good}");
        }
        for bad in ["+8", "08:00", "+14:30", "+08:60", "+0800", ""] {
            assert!(bad.parse::<Offset>().is_err(), "{bad}");
        }
    }
}
