//! Where the times of a file's messages go down, and what each drop reads
//! as: a message out of order (`time-runs-backwards`) or a new day without
//! its heading (`missing-day-heading`).
//!
//! Worked out once per check over the whole file (see [`super::WholeFile`]),
//! not per part of a large file: whether the times go back up after a drop
//! shows only in the messages after it, and a new day's date counts the
//! new days before it since the last day heading.

use crate::model::{Date, Span, Time};
use crate::parser::OutlineItem;

/// The most messages that a drop in time reads as out of place: a run of
/// up to this many before the drop later than the message after it, or
/// after the drop earlier than the message before it. A new day has more
/// on both sides (the evening before, the morning after); a block of
/// messages pasted in the wrong place has no more than a few.
///
/// Tried on the archive (`tests/corpus.rs`, `merged_days_of_the_corpus`):
/// merging the files of consecutive days into multi-day files, 220 of the
/// 247 day changes where the time drops read as new days (the other 27
/// have five messages or fewer on one side, and stay `time-runs-backwards`),
/// and no run of one or five messages moved out of place reads as one.
pub const OUT_OF_PLACE_AT_MOST: usize = 5;

/// A message's place in time: its header's date, if it has one, and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub date: Option<Date>,
    pub time: Time,
}

impl std::fmt::Display for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.date {
            Some(date) => write!(f, "{date} {}", self.time),
            None => write!(f, "{}", self.time),
        }
    }
}

/// What a drop in time reads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// A message out of order: with full dates, an earlier date and time;
    /// else the times around the drop show a run of messages out of place.
    OutOfOrder(OutOfPlace),
    /// The last message of the file (or before a day heading) is earlier
    /// than the one before it: nothing after it shows whether the times go
    /// back up or a new day goes on.
    AtTheEnd,
    /// Only the first messages of the file (or after a day heading), no
    /// more than five, are later than the message after the drop: nothing
    /// before them shows whether they are out of place or the end of the
    /// day before.
    AtTheStart,
    /// The chat goes on forward from here: a new day, on `date` (the day
    /// after the file's date, the day heading or the full date above, or
    /// the new day before), when one is known.
    NewDay { date: Option<Date> },
}

/// Which messages the times show out of place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutOfPlace {
    /// Full-date headers: the date and time are earlier.
    Dated,
    /// This many messages before the drop are later than the one after it,
    /// and the one before them earlier: they stand out.
    Before(usize),
    /// This many messages from the drop on are earlier than the one before
    /// it; the times go back up after them.
    After(usize),
}

/// A message whose time is earlier than the one before it.
#[derive(Debug, Clone)]
pub struct TimeDrop {
    /// The message's header line.
    pub header: Span,
    pub time_span: Span,
    pub when: When,
    /// The previous message with a valid time.
    pub previous_time_span: Span,
    pub previous: When,
    pub reading: Reading,
}

/// A message with a valid time.
struct Timed {
    header: Span,
    time_span: Span,
    when: When,
}

/// The drops of a file whose headers and day headings are `items`, in
/// order; `file_date` is the date of its messages before any day heading
/// (the front matter's `date`, else the file name's).
pub fn time_drops(
    items: impl IntoIterator<Item = OutlineItem>,
    file_date: Option<Date>,
) -> Vec<TimeDrop> {
    let mut drops = Vec::new();
    // The messages since the last day heading, and the date they start on.
    let mut section: Vec<Timed> = Vec::new();
    let mut day = file_date;
    for item in items {
        match item {
            OutlineItem::DayHeading(heading) => {
                read_section(&section, day, &mut drops);
                section.clear();
                day = Some(heading.date);
            }
            OutlineItem::Header(header) => {
                if let Some(time) = header.time {
                    section.push(Timed {
                        when: When {
                            date: header.valid_date(),
                            time,
                        },
                        header: header.span,
                        time_span: header.time_span,
                    });
                }
            }
        }
    }
    read_section(&section, day, &mut drops);
    drops
}

/// The drops among the messages of one day section, which starts on `day`.
fn read_section(section: &[Timed], mut day: Option<Date>, drops: &mut Vec<TimeDrop>) {
    for (at, message) in section.iter().enumerate() {
        let Some(previous) = at.checked_sub(1).map(|p| &section[p]) else {
            day = message.when.date.or(day);
            continue;
        };
        let reading = match (message.when.date, previous.when.date) {
            (Some(date), Some(previous_date)) => ((date, message.when.time)
                < (previous_date, previous.when.time))
                .then_some(Reading::OutOfOrder(OutOfPlace::Dated)),
            _ if message.when.time < previous.when.time => Some(read_drop(section, at)),
            _ => None,
        };
        let reading = match (reading, message.when.date) {
            // A header with its own date needs no day heading.
            (Some(Reading::NewDay { .. }), Some(_)) => None,
            (Some(Reading::NewDay { .. }), None) => {
                day = day.map(Date::next_day);
                Some(Reading::NewDay { date: day })
            }
            (reading, _) => reading,
        };
        day = message.when.date.or(day);
        if let Some(reading) = reading {
            drops.push(TimeDrop {
                header: message.header.clone(),
                time_span: message.time_span.clone(),
                when: message.when,
                previous_time_span: previous.time_span.clone(),
                previous: previous.when,
                reading,
            });
        }
    }
}

/// What the drop at `section[at]` (earlier than the message before it)
/// reads as, from the runs of messages on either side of it.
fn read_drop(section: &[Timed], at: usize) -> Reading {
    let (now, before) = (section[at].when.time, section[at - 1].when.time);
    // The messages before the drop later than the one after it, and the
    // messages from the drop on earlier than the one before it, each
    // counted up to one more than a run out of place may have: every
    // decision below compares a count with that limit, and counting on
    // would make a file whose times only go down quadratic.
    let counted = OUT_OF_PLACE_AT_MOST + 1;
    let later_before = section[..at]
        .iter()
        .rev()
        .take(counted)
        .take_while(|message| message.when.time > now)
        .count();
    let earlier_after = section[at..]
        .iter()
        .take(counted)
        .take_while(|message| message.when.time < before)
        .count();
    // Each run out of place when short and with the chat in order on its
    // far side (not the start or the end of the day).
    let stands_out = later_before <= OUT_OF_PLACE_AT_MOST && later_before < at;
    let goes_back_up = earlier_after <= OUT_OF_PLACE_AT_MOST && at + earlier_after < section.len();
    match (stands_out, goes_back_up) {
        // 14:02, 09:15, 14:05: the `09:15` is out of place, unless fewer
        // messages before it are.
        (false, true) => Reading::OutOfOrder(OutOfPlace::After(earlier_after)),
        (true, true) if earlier_after <= later_before => {
            Reading::OutOfOrder(OutOfPlace::After(earlier_after))
        }
        // 09:00, 23:00, 09:10: the `23:00` is.
        (true, _) => Reading::OutOfOrder(OutOfPlace::Before(later_before)),
        // Few messages up to the end or from the start: nothing there to
        // tell a run out of place from a day's evening or morning.
        (false, false) if earlier_after <= OUT_OF_PLACE_AT_MOST => Reading::AtTheEnd,
        (false, false) if later_before <= OUT_OF_PLACE_AT_MOST => Reading::AtTheStart,
        (false, false) => Reading::NewDay { date: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser;

    /// The drops of `body` (headers and day headings) under a front matter
    /// dated 2017-12-09: (time, reading).
    fn drops(body: &str) -> Vec<(String, Reading)> {
        let text = format!("---\ndate: 2017-12-09 12:00:00\n---\n{body}");
        let (_, items) = parser::outline(&text);
        time_drops(items, parser::parse_date("2017-12-09"))
            .into_iter()
            .map(|drop| (drop.when.to_string(), drop.reading))
            .collect()
    }

    fn headers(times: &[&str]) -> String {
        times
            .iter()
            .map(|t| {
                if t.starts_with('#') {
                    format!("{t}\n")
                } else {
                    format!("> {t}  甲  \n   \n好  \n   \n")
                }
            })
            .collect()
    }

    fn day(text: &str) -> Reading {
        Reading::NewDay {
            date: parser::parse_date(text),
        }
    }

    /// `n` messages a minute apart from `from` (`HH:MM`).
    fn run(from: &str, n: usize) -> Vec<String> {
        let (h, m): (u32, u32) = (from[..2].parse().unwrap(), from[3..].parse().unwrap());
        (0..n as u32)
            .map(|i| {
                let minutes = h * 60 + m + i;
                format!("{:02}:{:02}:00", minutes / 60, minutes % 60)
            })
            .collect()
    }

    fn all(runs: &[Vec<String>]) -> String {
        let times: Vec<String> = runs.concat();
        headers(&times.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// One message at `HH:MM`, or a day heading or full-date time as given.
    fn one(time: &str) -> Vec<String> {
        match time.len() {
            5 => vec![format!("{time}:00")],
            _ => vec![time.to_string()],
        }
    }

    #[test]
    fn an_overnight_silence_is_a_new_day_and_dates_count_on() {
        let body = all(&[
            run("17:00", 6),
            run("08:47", 6),
            run("21:00", 6),
            run("07:10", 6),
        ]);
        assert_eq!(
            drops(&body),
            [
                ("08:47:00".into(), day("2017-12-10")),
                ("07:10:00".into(), day("2017-12-11"))
            ]
        );
        // Past midnight too, whatever the size of the drop.
        let body = all(&[run("23:50", 6), run("00:01", 6)]);
        assert_eq!(drops(&body), [("00:01:00".into(), day("2017-12-10"))]);
    }

    #[test]
    fn messages_out_of_place_are_out_of_order() {
        // The times go back up right after one message, or after five.
        let body = all(&[run("14:00", 6), one("09:15"), run("14:10", 6)]);
        assert_eq!(
            drops(&body),
            [("09:15:00".into(), Reading::OutOfOrder(OutOfPlace::After(1)))]
        );
        let body = all(&[run("14:00", 6), run("09:15", 5), run("14:10", 6)]);
        assert_eq!(
            drops(&body),
            [("09:15:00".into(), Reading::OutOfOrder(OutOfPlace::After(5)))]
        );
        // One message, or five, before the drop stand out.
        let body = all(&[run("09:00", 6), one("23:00"), run("09:10", 6)]);
        assert_eq!(
            drops(&body),
            [(
                "09:10:00".into(),
                Reading::OutOfOrder(OutOfPlace::Before(1))
            )]
        );
        let body = all(&[run("09:00", 6), run("23:00", 5), run("09:10", 6)]);
        assert_eq!(
            drops(&body),
            [(
                "09:10:00".into(),
                Reading::OutOfOrder(OutOfPlace::Before(5))
            )]
        );
        // Six on each side make a day.
        let body = all(&[run("09:00", 6), run("23:00", 6), run("09:10", 6)]);
        assert_eq!(drops(&body), [("09:10:00".into(), day("2017-12-10"))]);
    }

    #[test]
    fn the_last_messages_and_day_headings() {
        let body = all(&[run("14:00", 6), run("09:00", 5)]);
        assert_eq!(drops(&body), [("09:00:00".into(), Reading::AtTheEnd)]);
        // A day heading starts afresh, and dates the new days after it.
        let body = all(&[
            one("18:00"),
            one("## 2018-02-28"),
            run("08:00", 6),
            run("20:00", 6),
            run("07:00", 6),
        ]);
        assert_eq!(drops(&body), [("07:00:00".into(), day("2018-03-01"))]);
        // Before a day heading, the day's last messages have nothing after them.
        let body = all(&[
            run("18:00", 6),
            run("08:00", 2),
            one("## 2017-12-10"),
            run("09:00", 6),
        ]);
        assert_eq!(drops(&body), [("08:00:00".into(), Reading::AtTheEnd)]);
    }

    #[test]
    fn full_dates_compare_dates_and_carry_the_day() {
        let body = headers(&[
            "2017-05-05 22:10:00",
            "2017-05-06 08:00:00",
            "2017-05-05 23:00:00",
            "2017-05-06 09:00:00",
        ]);
        assert_eq!(
            drops(&body),
            [(
                "2017-05-05 23:00:00".into(),
                Reading::OutOfOrder(OutOfPlace::Dated)
            )]
        );
        // Time-only headers after a full date count on from its day.
        let mut dated = one("2017-05-06 21:00:00");
        dated.extend(run("21:01", 5));
        let body = all(&[dated, run("08:00", 6)]);
        assert_eq!(drops(&body), [("08:00:00".into(), day("2017-05-07"))]);
    }

    #[test]
    fn without_a_date_a_new_day_has_none() {
        let text = all(&[run("17:00", 6), run("08:00", 6)]);
        let (_, items) = parser::outline(&text);
        let found = time_drops(items, None);
        assert_eq!(found[0].reading, Reading::NewDay { date: None });
    }

    #[test]
    fn the_next_day_crosses_months_and_years() {
        for (date, next) in [
            ("2017-12-09", "2017-12-10"),
            ("2018-02-28", "2018-03-01"),
            ("2016-02-28", "2016-02-29"),
            ("2017-04-30", "2017-05-01"),
            ("2017-12-31", "2018-01-01"),
        ] {
            let date = parser::parse_date(date).unwrap();
            assert_eq!(date.next_day().to_string(), next);
        }
    }
}
