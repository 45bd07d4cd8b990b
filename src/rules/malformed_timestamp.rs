use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};
use crate::model::{Date, Header, Time};

declare_rule! {
    /// ## What it does
    /// Checks that every message header's time is written `HH:MM:SS`: two ASCII
    /// digits per field, colons between them, a real time of day. In headers
    /// with a date, the date must be `YYYY-MM-DD` and exist.
    ///
    /// ## Why is this bad?
    /// Converters, search and sorting read the time from the header. A time
    /// typed by hand (`7:51:02`), pasted from a CJK input method (`07：52：02`),
    /// cut short (`07:51`) or impossible (`25:61:00`) breaks all of them, and
    /// readers of the archive see an inconsistent page.
    ///
    /// ## Example
    /// ```markdown
    /// > 7:51:02  右军
    /// > 07：52：02  右军
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// > 07:51:02  右军
    /// > 07:52:02  右军
    /// ```
    ///
    /// ## Fix safety
    /// The fix is safe, and offered only when the intended time is certain:
    /// three fields of one or two digits (full-width digits allowed), separated
    /// by colons, full-width colons or dots, each in range. A missing second,
    /// an impossible value or junk gets no fix: only the writer knows.
    pub struct MalformedTimestamp {
        code: "CL001",
        name: "malformed-timestamp",
        severity: Error,
        fix: Sometimes,
    }
}

impl Rule for MalformedTimestamp {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        for message in &context.transcript.messages {
            let header = &message.header;
            if let Some((date_span, None)) = &header.date {
                diagnostics.push(check_date(context.text, date_span.clone()));
            }
            if header.time.is_none() {
                diagnostics.push(check_time(context.text, header));
            }
        }
    }
}

/// What a malformed time was meant to be, as far as that is certain.
#[derive(Debug, PartialEq, Eq)]
enum Reading {
    /// The writer's intent is clear; only the spelling is off.
    Fixable { time: Time, problem: &'static str },
    /// Something is missing or impossible.
    Unfixable { problem: String },
}

fn read_time(word: &str) -> Reading {
    let normalized: String = word.chars().map(normalize_char).collect();
    let fields: Vec<&str> = normalized.split(':').collect();
    let all_digits = fields
        .iter()
        .all(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !all_digits {
        return Reading::Unfixable {
            problem: format!("`{word}` is not a time of the form HH:MM:SS"),
        };
    }
    match fields.len() {
        2 => {
            return Reading::Unfixable {
                problem: format!("`{word}` has no seconds"),
            }
        }
        3 => {}
        _ => {
            return Reading::Unfixable {
                problem: format!("`{word}` is not a time of the form HH:MM:SS"),
            }
        }
    }
    if fields.iter().any(|f| f.len() > 2) {
        return Reading::Unfixable {
            problem: format!("`{word}` has a field of more than two digits"),
        };
    }
    let value = |i: usize| fields[i].parse::<u8>().unwrap_or(u8::MAX);
    let time = Time {
        hour: value(0),
        minute: value(1),
        second: value(2),
    };
    if !time.is_valid() {
        return Reading::Unfixable {
            problem: format!("`{word}` is not a possible time of day"),
        };
    }
    let problem = if word.contains(['：', '．']) || word.chars().any(|c| ('０'..='９').contains(&c))
    {
        "is written with full-width characters"
    } else if word.contains('.') {
        "uses dots instead of colons"
    } else {
        "has one-digit fields"
    };
    Reading::Fixable { time, problem }
}

/// Full-width digits to ASCII; every accepted separator to `:`.
fn normalize_char(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        '：' | '.' | '．' => ':',
        _ => c,
    }
}

fn check_time(text: &str, header: &Header) -> Diagnostic {
    let word = header.time_text(text);
    let span = header.time_span.clone();
    match read_time(word) {
        Reading::Fixable { time, problem } => {
            let canonical = time.to_string();
            Diagnostic::new(
                &MalformedTimestamp::META,
                span.clone(),
                format!("Header time `{word}` {problem}"),
            )
            .with_label(format!("meant `{canonical}`"))
            .with_help(format!("Write the time as `{canonical}`"))
            .with_fix(Some(Fix::safe(
                format!("Replace `{word}` with `{canonical}`"),
                vec![Edit::replace(span, canonical)],
            )))
        }
        Reading::Unfixable { problem } => Diagnostic::new(
            &MalformedTimestamp::META,
            span,
            format!("Malformed header time: {problem}"),
        )
        .with_label("not HH:MM:SS")
        .with_help(
            "Write the time the message was sent as two-digit `HH:MM:SS`, 00:00:00 to 23:59:59",
        ),
    }
}

fn check_date(text: &str, span: std::ops::Range<usize>) -> Diagnostic {
    let word = &text[span.clone()];
    let mut parts = word.split(['-', '/']).map(|p| p.parse::<u16>().ok());
    let padded = match (
        parts.next().flatten(),
        parts.next().flatten(),
        parts.next().flatten(),
    ) {
        (Some(year), Some(month), Some(day)) if month <= 12 && day <= 31 => Some(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
        .filter(Date::is_valid),
        _ => None,
    };
    match padded {
        Some(date) => {
            let canonical = date.to_string();
            Diagnostic::new(
                &MalformedTimestamp::META,
                span.clone(),
                if word.contains('/') {
                    format!("Header date `{word}` uses slashes instead of dashes")
                } else {
                    format!("Header date `{word}` has one-digit fields")
                },
            )
            .with_label(format!("meant `{canonical}`"))
            .with_help(format!("Write the date as `{canonical}`"))
            .with_fix(Some(Fix::safe(
                format!("Replace `{word}` with `{canonical}`"),
                vec![Edit::replace(span, canonical)],
            )))
        }
        None => Diagnostic::new(
            &MalformedTimestamp::META,
            span,
            format!("Header date `{word}` does not exist"),
        )
        .with_label("not a calendar date")
        .with_help("Write the date as `YYYY-MM-DD`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(word: &str) -> Option<String> {
        match read_time(word) {
            Reading::Fixable { time, .. } => Some(time.to_string()),
            Reading::Unfixable { .. } => None,
        }
    }

    #[test]
    fn certain_readings_are_fixed() {
        assert_eq!(fixed("7:51:02").as_deref(), Some("07:51:02"));
        assert_eq!(fixed("07：52：02").as_deref(), Some("07:52:02"));
        assert_eq!(fixed("０７：５２：０２").as_deref(), Some("07:52:02"));
        assert_eq!(fixed("7:5:2").as_deref(), Some("07:05:02"));
        assert_eq!(fixed("07.52.02").as_deref(), Some("07:52:02"));
    }

    #[test]
    fn uncertain_readings_are_not() {
        for word in [
            "25:61:00",
            "07:51",
            "07:5x:02",
            "007:51:02",
            "07:51:02:00",
            "7::02",
            "07:51:02右军",
        ] {
            assert_eq!(fixed(word), None, "{word}");
        }
    }
}
