//! How far each input's clock is from the first input's.
//!
//! Two exports of one chat are written by two phones whose clocks differ by
//! a second or two: every message the two share is written that many
//! seconds apart. The merge sets every input to the first input's clock
//! before it looks for twins, so that a message only one input holds sits
//! where it was said among the others, and the two copies of a shared
//! message fall on the same second (under one name, that makes them copies,
//! which the twin definition finds in any file).

use std::collections::HashMap;

/// One message as the clock estimate reads it.
pub struct Stamp<'a> {
    pub input: usize,
    pub date: Option<&'a str>,
    pub seconds: Option<u32>,
    pub speaker: &'a str,
    /// The text as twins compare it (see [`super::compared_text`]).
    pub text: &'a str,
}

/// Per input, how many seconds its clock is ahead of the first input's
/// (0 for the first, and for an input sharing no message with it).
///
/// Each message of input `k` with a non-empty text is compared with the
/// first input's messages of the same day and text at most `max_skew`
/// seconds from it; each difference is a vote, and the most frequent one
/// wins (the smaller one on a tie). Messages under the same name only vote:
/// other names may be other people saying `1` in the same minute.
pub fn offsets(stamps: &[Stamp<'_>], inputs: usize, max_skew: u32) -> Vec<i64> {
    let mut first: HashMap<(Option<&str>, &str, &str), Vec<u32>> = HashMap::new();
    for stamp in stamps.iter().filter(|s| s.input == 0 && !s.text.is_empty()) {
        if let Some(seconds) = stamp.seconds {
            first
                .entry((stamp.date, stamp.speaker, stamp.text))
                .or_default()
                .push(seconds);
        }
    }
    let mut votes: Vec<HashMap<i64, usize>> = vec![HashMap::new(); inputs];
    for stamp in stamps.iter().filter(|s| s.input != 0) {
        let Some(seconds) = stamp.seconds else {
            continue;
        };
        let Some(times) = first.get(&(stamp.date, stamp.speaker, stamp.text)) else {
            continue;
        };
        for &then in times {
            let ahead = i64::from(seconds) - i64::from(then);
            if ahead.unsigned_abs() <= u64::from(max_skew) {
                *votes[stamp.input].entry(ahead).or_default() += 1;
            }
        }
    }
    votes.into_iter().map(winner).collect()
}

/// Per input, how many seconds its twins (as the merge found them) are
/// written after their copies in the first input, the most frequent
/// difference: what [`offsets`] could not tell when the messages an input
/// shares with the first are under other names (the exporter's own, `我`
/// in one and a name in the other).
pub fn residuals(differences: &[(usize, i64)], inputs: usize) -> Vec<i64> {
    let mut votes: Vec<HashMap<i64, usize>> = vec![HashMap::new(); inputs];
    for &(input, ahead) in differences {
        *votes[input].entry(ahead).or_default() += 1;
    }
    votes.into_iter().map(winner).collect()
}

/// The most frequent difference, the smaller one on a tie; 0 for none.
fn winner(tally: HashMap<i64, usize>) -> i64 {
    tally
        .into_iter()
        .max_by(|a, b| {
            a.1.cmp(&b.1)
                .then(b.0.abs().cmp(&a.0.abs()))
                .then(b.0.cmp(&a.0))
        })
        .map_or(0, |(ahead, _)| ahead)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp<'a>(input: usize, seconds: u32, speaker: &'a str, text: &'a str) -> Stamp<'a> {
        Stamp {
            input,
            date: None,
            seconds: Some(seconds),
            speaker,
            text,
        }
    }

    #[test]
    fn the_most_frequent_difference_under_one_name_wins() {
        let stamps = [
            stamp(0, 100, "甲", "早"),
            stamp(0, 110, "乙", "好"),
            stamp(0, 111, "丙", "1"),
            stamp(1, 102, "甲", "早"),
            stamp(1, 112, "乙", "好"),
            // Someone else's `1` a second later votes nothing.
            stamp(1, 112, "丁", "1"),
        ];
        assert_eq!(offsets(&stamps, 2, 4), [0, 2]);
    }

    #[test]
    fn an_input_sharing_nothing_keeps_its_clock() {
        let stamps = [stamp(0, 100, "甲", "早"), stamp(1, 500, "甲", "早")];
        assert_eq!(offsets(&stamps, 2, 4), [0, 0]);
    }
}
