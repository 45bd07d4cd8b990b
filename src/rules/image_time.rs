//! Reading the times an archive image carries: its alt text and its file name.

use crate::model::{Date, Image, Time};

/// `YYYY-MM-DD HH:MM:SS`, the archive's alt text: when the image was sent.
pub(crate) fn alt_datetime(alt: &str) -> Option<(Date, Time)> {
    let (date, time) = alt.trim().split_once(' ')?;
    let time = crate::parser::parse_strict_time(time.trim())?;
    Some((crate::parser::parse_date(date)?, time))
}

/// `…/YYYYMMDD_HHMMSS.png`: the time in the file name.
pub(crate) fn file_name_datetime(url: &str) -> Option<(Date, Time)> {
    let name = url.rsplit('/').next()?;
    let stem = name.split('.').next()?;
    let (date, time) = stem.split_once('_')?;
    if date.len() != 8
        || time.len() != 6
        || !date.bytes().chain(time.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let date = Date {
        year: date[0..4].parse().ok()?,
        month: date[4..6].parse().ok()?,
        day: date[6..8].parse().ok()?,
    };
    let time = Time {
        hour: time[0..2].parse().ok()?,
        minute: time[2..4].parse().ok()?,
        second: time[4..6].parse().ok()?,
    };
    (date.is_valid() && time.is_valid()).then_some((date, time))
}

/// The image's alt text and destination.
pub(crate) fn parts<'a>(text: &'a str, image: &Image) -> (&'a str, &'a str) {
    (
        &text[image.alt_span.clone()],
        &text[image.destination_span.clone()],
    )
}

/// Seconds between two date-times (dates as days since an epoch that only
/// needs to be consistent).
pub(crate) fn seconds_apart(a: (Date, Time), b: (Date, Time)) -> u64 {
    let seconds = |(d, t): (Date, Time)| days(d) * 86_400 + i64::from(t.seconds_since_midnight());
    seconds(a).abs_diff(seconds(b))
}

fn days(date: Date) -> i64 {
    // Days from civil date (Howard Hinnant's algorithm).
    let (y, m, d) = (
        i64::from(date.year),
        i64::from(date.month),
        i64::from(date.day),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_times() {
        let alt = alt_datetime("2017-08-25 11:51:30").unwrap();
        let file =
            file_name_datetime("http://static.cocolian.cn/img/201708/20170825_115130.png").unwrap();
        assert_eq!(alt, file);
        assert_eq!(seconds_apart(alt, file), 0);
        let midnight = alt_datetime("2017-08-26 00:00:10").unwrap();
        let before = alt_datetime("2017-08-25 23:59:50").unwrap();
        assert_eq!(seconds_apart(midnight, before), 20);
        assert_eq!(file_name_datetime("http://x/img/a.png"), None);
    }
}
