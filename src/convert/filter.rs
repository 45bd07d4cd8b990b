//! `--since`, `--until` and `--speaker`: which messages a conversion keeps.
//!
//! A message is kept when its date (see [`MessageDoc::date`]: full-date
//! header, day heading, front matter, file name) is within the dates given,
//! both included, and its speaker is one of those given. A message without
//! a date is left out once a date bound is given. The day headings of a
//! message left out go with the next message kept, so that every kept
//! message still stands under its day.

use super::MessageDoc;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageFilter {
    /// `YYYY-MM-DD`: the first day kept.
    pub since: Option<String>,
    /// `YYYY-MM-DD`: the last day kept.
    pub until: Option<String>,
    /// The speakers kept, as written in the headers; empty keeps everyone.
    pub speakers: Vec<String>,
}

impl MessageFilter {
    /// The filter of these options, or `None` when none is given; an error
    /// says which date is not a `YYYY-MM-DD` day, or that they are reversed.
    pub fn new(
        since: Option<String>,
        until: Option<String>,
        speakers: Vec<String>,
    ) -> Result<Option<Self>, String> {
        for (option, date) in [("--since", &since), ("--until", &until)] {
            if let Some(date) = date {
                if crate::parser::parse_date(date).is_none() || date.len() != 10 {
                    return Err(format!("{option} {date}: not a day written YYYY-MM-DD"));
                }
            }
        }
        if let (Some(since), Some(until)) = (&since, &until) {
            if since > until {
                return Err(format!("--since {since} is after --until {until}"));
            }
        }
        if since.is_none() && until.is_none() && speakers.is_empty() {
            return Ok(None);
        }
        Ok(Some(MessageFilter {
            since,
            until,
            speakers,
        }))
    }

    /// Whether the message is kept.
    pub fn keeps(&self, message: &MessageDoc<'_>) -> bool {
        let dated = self.since.is_some() || self.until.is_some();
        if dated {
            let Some(date) = message.date.as_deref() else {
                return false;
            };
            if self.since.as_deref().is_some_and(|since| date < since)
                || self.until.as_deref().is_some_and(|until| date > until)
            {
                return false;
            }
        }
        self.speakers.is_empty() || self.speakers.iter().any(|s| s == message.speaker.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_days_in_order() {
        assert!(MessageFilter::new(Some("2017-8-25".into()), None, vec![]).is_err());
        assert!(MessageFilter::new(Some("2017-02-30".into()), None, vec![]).is_err());
        assert!(
            MessageFilter::new(Some("2017-08-26".into()), Some("2017-08-25".into()), vec![])
                .is_err()
        );
        assert_eq!(MessageFilter::new(None, None, vec![]), Ok(None));
        assert!(
            MessageFilter::new(Some("2017-08-25".into()), Some("2017-08-25".into()), vec![])
                .unwrap()
                .is_some()
        );
    }
}
