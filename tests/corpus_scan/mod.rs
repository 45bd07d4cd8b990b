//! The archive's defects found the way a reader with `grep` would find them:
//! a plain scan of the raw lines, written for the test and sharing nothing
//! with chatlint (no parser, no rule code). `tests/corpus.rs` compares what
//! it finds, line by line, with chatlint's findings.
//!
//! The scan knows the archive's own shapes, not Markdown at large: a message
//! header is a line `> HH:MM:SS  speaker`, the front matter is `---` lines
//! with `key: value` between them, a code fence is a line starting with
//! three backticks. Where a rule has no findings on the archive, its scan
//! still reads everything the rule reads (every header, every image, every
//! front matter) and counts what it looked at, so that "none" is a finding
//! and not a scan that saw nothing.

use std::collections::BTreeMap;

/// What a scan found: for each rule, the 1-based lines of its findings (a
/// line once per finding), and how many things of each kind it looked at.
#[derive(Debug, Default)]
pub struct Scan {
    pub findings: BTreeMap<&'static str, Vec<usize>>,
    pub looked_at: BTreeMap<&'static str, usize>,
    /// The lines of the `duplicate-message` findings whose twin is identical:
    /// same speaker, same lines byte for byte.
    pub identical_twins: Vec<usize>,
    /// The lines of the `heading-missing-space` findings longer than 80
    /// characters after their hashes: paragraphs that start with hashes,
    /// whose fix is unsafe.
    pub paragraphs_with_hashes: Vec<usize>,
    /// The `missing-day-heading` findings: the line and the date of the day
    /// that starts there, when the file gives one to count from.
    pub new_days: Vec<(usize, Option<String>)>,
    /// Whether the file reads to the `duplicate-message` scan as a merge of
    /// two exports (see [`duplicates`]).
    pub merged_exports: bool,
    /// The twins of the definition `duplicate-message` had before issue 12,
    /// which found 3,008 on the archive: a message with the time (the same
    /// second) and the text of one of the ten before it, under any two
    /// names (see [`duplicates`]).
    pub same_second_twins: Vec<SameSecondTwin>,
}

/// A twin of the old definition of `duplicate-message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SameSecondTwin {
    /// The 1-based line of the later message's header (where it is reported).
    pub later: usize,
    /// The line of the earlier one's.
    pub earlier: usize,
    /// Whether the two speakers' names differ.
    pub two_names: bool,
}

impl Scan {
    fn found(&mut self, rule: &'static str, line: usize) {
        self.findings.entry(rule).or_default().push(line);
    }

    fn saw(&mut self, what: &'static str) {
        *self.looked_at.entry(what).or_default() += 1;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A message header: `> ` and a digit.
    Header,
    /// A line of three backticks that opens or closes a fence.
    Fence,
    /// A line inside a fence.
    Code,
    /// Any other line after the front matter.
    Body,
}

struct Line<'a> {
    /// 1-based.
    number: usize,
    /// Without its `\r`.
    text: &'a str,
    kind: Kind,
}

/// The lines after the front matter (the whole text if there is none).
fn lines<'a>(all: &[&'a str]) -> Vec<Line<'a>> {
    let start = if all.first().map(|l| l.trim_end_matches('\r')) == Some("---") {
        (1..all.len())
            .find(|&i| all[i].trim_end_matches('\r') == "---")
            .map_or(all.len(), |i| i + 1)
    } else {
        0
    };
    let mut in_fence = false;
    let mut out = Vec::new();
    for (index, raw) in all.iter().enumerate().skip(start) {
        let text = raw.strip_suffix('\r').unwrap_or(raw);
        let kind =
            if text.starts_with("> ") && text.as_bytes().get(2).is_some_and(u8::is_ascii_digit) {
                Kind::Header
            } else if text.trim_start().starts_with("```") {
                in_fence = !in_fence;
                Kind::Fence
            } else if in_fence {
                Kind::Code
            } else {
                Kind::Body
            };
        out.push(Line {
            number: index + 1,
            text,
            kind,
        });
    }
    out
}

/// `HH:MM:SS` in ASCII digits and in range, as seconds of the day.
fn time_of_day(text: &str) -> Option<u32> {
    let b = text.as_bytes();
    if b.len() != 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let field = |at: usize| -> Option<u32> {
        let (x, y) = (b[at], b[at + 1]);
        (x.is_ascii_digit() && y.is_ascii_digit()).then(|| u32::from((x - b'0') * 10 + (y - b'0')))
    };
    let (h, m, s) = (field(0)?, field(3)?, field(6)?);
    (h < 24 && m < 60 && s < 60).then_some(h * 3600 + m * 60 + s)
}

/// Scans one file; `name` is its file name (for the date it carries).
pub fn scan_file(name: &str, text: &str, scan: &mut Scan) {
    let raw: Vec<&str> = text.split('\n').collect();
    let lines = lines(&raw);
    front_matter(name, &raw, scan);
    invisible_characters(&raw, scan);
    headers(&lines, scan);
    time_order(name, text, scan);
    duplicates(&lines, scan);
    lost_characters(&lines, scan);
    let mut header_time = None;
    for line in &lines {
        if line.kind == Kind::Header {
            header_time = line.text.get(2..10).and_then(time_of_day);
        }
        if line.kind != Kind::Body {
            continue;
        }
        headings_without_space(line, scan);
        escaped_entities(line, scan);
        images(line, header_time, scan);
        if line.text.contains("<!-- chatlint") {
            scan.found("unused-suppression", line.number);
        }
    }
}

/// `front-matter`: there, closed, with `layout`, `title` and `date` (else
/// a finding on line 1), the date as `YYYY-MM-DD HH:MM:SS` (else on its
/// line), and the same day in the file name (when it starts with one), the
/// title and the date (else on the title's line).
fn front_matter(name: &str, raw: &[&str], scan: &mut Scan) {
    const RULE: &str = "front-matter";
    let line = |i: usize| raw[i].trim_end_matches('\r');
    if raw.is_empty() || line(0).trim_start_matches('\u{feff}') != "---" {
        scan.found(RULE, 1);
        return;
    }
    scan.saw("front matters");
    let Some(end) = (1..raw.len()).find(|&i| line(i) == "---") else {
        scan.found(RULE, 1);
        return;
    };
    // Key → (1-based line, value).
    let fields: BTreeMap<&str, (usize, &str)> = (1..end)
        .filter_map(|i| line(i).split_once(':').map(|kv| (i + 1, kv)))
        .map(|(number, (key, value))| (key.trim(), (number, value.trim())))
        .collect();
    for key in ["layout", "title", "date"] {
        if !fields.contains_key(key) {
            scan.found(RULE, 1);
        }
    }
    let (date_line, date) = fields.get("date").copied().unwrap_or((1, ""));
    let b = date.as_bytes();
    let well_formed = b.len() == 19
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b' '
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
        && time_of_day(&date[11..]).is_some();
    if !well_formed {
        scan.found(RULE, date_line);
        return;
    }
    // A title or a date that disagrees with the file name, at the title.
    if name
        .as_bytes()
        .get(..4)
        .is_some_and(|y| y.iter().all(u8::is_ascii_digit))
    {
        let (title_line, title) = fields.get("title").copied().unwrap_or((1, ""));
        let title = title.trim_matches('"');
        if title.get(..10) != Some(&date[..10]) || name.get(..10) != Some(&date[..10]) {
            scan.found(RULE, title_line);
        }
    }
}

/// `invisible-character`: a BOM, zero-width space or word joiner anywhere; a
/// no-break space in a header; and the line breaks of the minority kind in
/// a file with both LF and CRLF.
fn invisible_characters(raw: &[&str], scan: &mut Scan) {
    const RULE: &str = "invisible-character";
    for (i, line) in raw.iter().enumerate() {
        let mut count = line
            .chars()
            .filter(|c| matches!(c, '\u{feff}' | '\u{200b}' | '\u{2060}'))
            .count();
        if line.starts_with("> ") {
            count += line.matches('\u{a0}').count();
        }
        for _ in 0..count {
            scan.found(RULE, i + 1);
        }
    }
    // Every line but the last ends with `\n`; `\r` only ever stands before it.
    let ended = &raw[..raw.len().saturating_sub(1)];
    assert!(
        raw.iter().all(|l| !l.trim_end_matches('\r').contains('\r')),
        "a lone carriage return: the scan does not know those"
    );
    let crlf = ended.iter().filter(|l| l.ends_with('\r')).count();
    let lf = ended.len() - crlf;
    if crlf > 0 && lf > 0 {
        let minority_is_crlf = crlf < lf;
        for (i, line) in ended.iter().enumerate() {
            if line.ends_with('\r') == minority_is_crlf {
                scan.found(RULE, i + 1);
            }
        }
    }
}

/// `malformed-timestamp`: every line starting with `> ` is a header
/// `> HH:MM:SS` (then the end or a space).
fn headers(lines: &[Line<'_>], scan: &mut Scan) {
    for line in lines {
        if !line.text.starts_with("> ") || matches!(line.kind, Kind::Code | Kind::Fence) {
            continue;
        }
        scan.saw("headers");
        if header_time(line).is_none() {
            scan.found("malformed-timestamp", line.number);
        }
    }
}

/// A header line's time, when it is `> HH:MM:SS` (then the end or a space).
fn header_time(line: &Line<'_>) -> Option<u32> {
    line.text
        .get(2..10)
        .and_then(time_of_day)
        .filter(|_| line.text.len() == 10 || line.text.as_bytes()[10] == b' ')
}

/// `time-runs-backwards` and `missing-day-heading`, over time-only headers
/// (the archive has no others): a day heading `## YYYY-MM-DD` starts a
/// section; in a section, a message earlier than the one before it is a
/// drop. Counting the messages later than it just before it, and the
/// messages earlier than the one before it from it on: when both runs are
/// longer than five (an evening before, a morning after), a new day;
/// else a message out of order. The date of a new day: the day after the
/// section's date (the heading's, else the front matter's `date`, else the
/// file name's), one more for each new day before it in the section.
pub fn time_order(name: &str, text: &str, scan: &mut Scan) {
    let raw: Vec<&str> = text.split('\n').collect();
    let lines = lines(&raw);
    let front_matter_date = raw
        .iter()
        .take_while(|l| !l.starts_with("> "))
        .find_map(|l| l.strip_prefix("date:"))
        .map(|d| {
            d.trim()
                .trim_matches('"')
                .get(..10)
                .unwrap_or_default()
                .to_string()
        });
    let file_date = front_matter_date.or_else(|| name.get(..10).map(str::to_string));
    // Each day section: its date, and the line and time of each header.
    type Section = (Option<String>, Vec<(usize, u32)>);
    let mut sections: Vec<Section> = vec![(file_date, Vec::new())];
    for line in &lines {
        if let Some(date) = line.text.strip_prefix("## ").map(str::trim) {
            if date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-' {
                sections.push((Some(date.to_string()), Vec::new()));
            }
        } else if line.kind == Kind::Header {
            scan.saw("times");
            if let Some(time) = header_time(line) {
                sections.last_mut().unwrap().1.push((line.number, time));
            }
        }
    }
    for (date, times) in sections {
        let mut date = date;
        for i in 1..times.len() {
            let (now, before) = (times[i].1, times[i - 1].1);
            if now >= before {
                continue;
            }
            scan.saw("drops");
            let later_before = (0..i).rev().take_while(|&j| times[j].1 > now).count();
            let earlier_after = (i..times.len())
                .take_while(|&j| times[j].1 < before)
                .count();
            if later_before > 5 && earlier_after > 5 {
                date = date.as_deref().and_then(next_day);
                scan.found("missing-day-heading", times[i].0);
                scan.new_days.push((times[i].0, date.clone()));
            } else {
                scan.found("time-runs-backwards", times[i].0);
            }
        }
    }
}

/// The day after `YYYY-MM-DD`, by the calendar.
pub fn next_day(date: &str) -> Option<String> {
    let field = |range: std::ops::Range<usize>| date.get(range)?.parse::<u32>().ok();
    let (mut year, mut month, mut day) = (field(0..4)?, field(5..7)?, field(8..10)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    day += 1;
    if day > days_in_month[month as usize - 1] {
        day = 1;
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// `header-layout` (off by default, so called on its own): each header is
/// `> HH:MM:SS`, two spaces, the speaker and two spaces (a header with no
/// speaker has nothing more to check); a message whose lines after the
/// header are all blank is one finding, on its header, an empty message;
/// in the others, outside code fences, a blank line is three spaces and
/// any other line ends in exactly two spaces.
///
/// (Only `tests/corpus.rs` calls it; `tests/convert_corpus.rs` shares the module.)
#[allow(dead_code)]
pub fn header_layout(text: &str, scan: &mut Scan) {
    const RULE: &str = "header-layout";
    let raw: Vec<&str> = text.split('\n').collect();
    let lines = lines(&raw);
    let headers: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].kind == Kind::Header)
        .collect();
    for (n, &at) in headers.iter().enumerate() {
        let header = &lines[at];
        scan.saw("headers");
        let rest = header.text.get(10..).unwrap_or_default();
        let speaker = rest.trim();
        if !speaker.is_empty() {
            let gap = rest.len() - rest.trim_start().len();
            let trailing = rest.len() - rest.trim_end().len();
            if gap != 2 || !rest.starts_with("  ") {
                scan.found(RULE, header.number);
            }
            if trailing != 2 || !rest.ends_with("  ") {
                scan.found(RULE, header.number);
            }
        }
        let end = headers.get(n + 1).copied().unwrap_or(lines.len());
        let body = &lines[at + 1..end];
        // The last line of a file that ends with a line break is no line.
        let body = match body.split_last() {
            Some((last, before)) if end == lines.len() && last.text.is_empty() => before,
            _ => body,
        };
        if body.iter().all(|line| line.text.trim().is_empty()) {
            scan.saw("empty messages");
            scan.found(RULE, header.number);
            continue;
        }
        for line in body.iter().filter(|line| line.kind == Kind::Body) {
            let content = line.text.trim_end_matches([' ', '\t']);
            if line.text.trim().is_empty() {
                if line.text != "   " {
                    scan.found(RULE, line.number);
                }
            } else if &line.text[content.len()..] != "  " {
                scan.found(RULE, line.number);
            }
        }
    }
}

/// A message as the `duplicate-message` scan reads it.
struct Message<'a> {
    number: usize,
    header: &'a str,
    time: Option<u32>,
    time_text: &'a str,
    speaker: &'a str,
    trimmed: Vec<&'a str>,
    exact: Vec<&'a str>,
}

/// `duplicate-message`, in two steps.
///
/// A copy, in any file: a message with the speaker, the time and the text
/// (its non-blank lines, trimmed; not none) of one of the ten before it.
/// It is identical (and the fix removing it safe) when its header line and
/// its lines are the same byte for byte.
///
/// A merge of two exports: a file in which at least 30 % of the messages
/// stand in pairs of neighbours under two names with the same text (an
/// empty one too), written at most 4 seconds apart. There, a message is also a twin of
/// the one right before it, under whatever name, when their texts are the
/// same and their times at most 4 seconds apart, unless that one is a twin
/// already.
fn duplicates(lines: &[Line<'_>], scan: &mut Scan) {
    let mut messages: Vec<Message<'_>> = Vec::new();
    for line in lines {
        if line.kind == Kind::Header {
            messages.push(Message {
                number: line.number,
                header: line.text,
                time: line.text.get(2..10).and_then(time_of_day),
                time_text: line.text.get(2..10).unwrap_or_default(),
                speaker: line.text.get(10..).unwrap_or_default().trim(),
                trimmed: Vec::new(),
                exact: Vec::new(),
            });
        } else if let Some(message) = messages.last_mut() {
            let trimmed = line.text.trim();
            if !trimmed.is_empty() {
                message.trimmed.push(trimmed);
                message.exact.push(line.text);
            }
        }
    }
    let near = |a: &Message<'_>, b: &Message<'_>| match (a.time, b.time) {
        (Some(x), Some(y)) => x.abs_diff(y) <= 4 && a.trimmed == b.trimmed,
        _ => false,
    };
    let after_another_name = messages
        .windows(2)
        .filter(|pair| pair[0].speaker != pair[1].speaker && near(&pair[0], &pair[1]))
        .count();
    let merged = after_another_name > 0 && 2 * after_another_name * 100 >= messages.len() * 30;
    scan.merged_exports = merged;
    same_second_twins(&messages, scan);
    let mut twin = vec![false; messages.len()];
    for (i, later) in messages.iter().enumerate() {
        let copy = messages[i.saturating_sub(10)..i]
            .iter()
            .rposition(|earlier| {
                !later.trimmed.is_empty()
                    && earlier.time.is_some()
                    && earlier.time == later.time
                    && earlier.speaker == later.speaker
                    && earlier.trimmed == later.trimmed
            });
        let earlier = match copy {
            Some(at) => i.saturating_sub(10) + at,
            None if merged && i > 0 && !twin[i - 1] && near(&messages[i - 1], later) => i - 1,
            None => continue,
        };
        twin[earlier] = true;
        twin[i] = true;
        scan.found("duplicate-message", later.number);
        let earlier = &messages[earlier];
        if copy.is_some() && earlier.header == later.header && earlier.exact == later.exact {
            scan.identical_twins.push(later.number);
        }
    }
}

/// The old definition, as `duplicate-message` had it before issue 12: a
/// message with a text (its non-blank lines, trimmed; not none) and the
/// header time (`HH:MM:SS` as written) of one of the ten before it, the
/// nearest such, whoever the two speakers are.
fn same_second_twins(messages: &[Message<'_>], scan: &mut Scan) {
    for (i, later) in messages.iter().enumerate() {
        if later.trimmed.is_empty() {
            continue;
        }
        let twin = messages[i.saturating_sub(10)..i]
            .iter()
            .rev()
            .find(|earlier| {
                earlier.time_text == later.time_text && earlier.trimmed == later.trimmed
            });
        if let Some(earlier) = twin {
            scan.same_second_twins.push(SameSecondTwin {
                later: later.number,
                earlier: earlier.number,
                two_names: earlier.speaker != later.speaker,
            });
        }
    }
}

/// `lost-character`, read from the raw lines:
/// - a speaker name with `??`, at its first header;
/// - `@name?` with the `?` glued to a word (not a space nor punctuation):
///   the name is the longest of the file's speakers, or of the texts that
///   stand between an `@` and a `?` twice with different characters after,
///   that follows the `@` and then a space, `?`, `@` or the line end; else,
///   not after a letter or a digit, the text up to a space, `?` or `@`.
///
/// The archive has no code span, link or image with an `@`, so the scan
/// does not look for those.
fn lost_characters(lines: &[Line<'_>], scan: &mut Scan) {
    const RULE: &str = "lost-character";
    let body: Vec<(usize, Vec<char>)> = lines
        .iter()
        .filter(|line| line.kind == Kind::Body)
        .map(|line| (line.number, line.text.chars().collect()))
        .collect();
    let mut names: Vec<Vec<char>> = lines
        .iter()
        .filter(|line| line.kind == Kind::Header)
        .map(|line| speaker_name(line).chars().collect::<Vec<char>>())
        .filter(|name| !name.is_empty())
        .collect();
    names.extend(repeated_mentions(&body));
    names.sort_by_key(|name| std::cmp::Reverse(name.len()));

    let mut found = Vec::new();
    let mut first_headers = std::collections::HashSet::new();
    for line in lines.iter().filter(|line| line.kind == Kind::Header) {
        let speaker = speaker_name(line);
        if !first_headers.insert(speaker) {
            continue;
        }
        scan.saw("speakers");
        // A lost emoji, or a lone `?` the file spells out elsewhere.
        if speaker.contains("??") || (speaker.contains('?') && spelled_out(speaker, &names, &body))
        {
            found.push(line.number);
        }
    }
    for (number, chars) in &body {
        let mut mention_names: Vec<std::ops::RangeInclusive<usize>> = Vec::new();
        // The names read, and each `?` reported after one.
        let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
        for at in (0..chars.len()).filter(|&i| chars[i] == '@') {
            scan.saw("@");
            // Inside a name read already (`@李伟@易宝支付`).
            if mention_names.last().is_some_and(|name| at < *name.end()) {
                continue;
            }
            let after_word = at > 0 && chars[at - 1].is_ascii_alphanumeric();
            let rest = &chars[at + 1..];
            let ends = |len: usize| {
                rest.get(len)
                    .is_none_or(|&c| c.is_whitespace() || c == '?' || c == '@')
            };
            let known = names
                .iter()
                .find(|name| rest.starts_with(name) && ends(name.len()));
            let len = match known {
                Some(name) => name.len(),
                None if !after_word => rest
                    .iter()
                    .position(|&c| c.is_whitespace() || c == '?' || c == '@')
                    .unwrap_or(rest.len()),
                None => continue,
            };
            mention_names.push(at + 1..=at + 1 + len);
            taken.push(at + 1..at + 1 + len);
            if len > 0 && rest.get(len) == Some(&'?') && glued(rest.get(len + 1)) {
                found.push(*number);
                taken.push(at + 1 + len..at + 2 + len);
            }
        }
        // Lost emoji: two or more `?` glued to the next word, outside the
        // names read.
        let mut i = 0;
        while i < chars.len() {
            let run = i..i + chars[i..].iter().take_while(|&&c| c == '?').count();
            i = run.end.max(i + 1);
            let outside = !taken.iter().any(|t| t.start < run.end && run.start < t.end);
            if run.len() >= 2 && glued(chars.get(run.end)) && outside {
                found.push(*number);
            }
        }
    }
    found.sort_unstable();
    for line in found {
        scan.found(RULE, line);
    }
}

/// A letter, a digit or a CJK character, not a space or punctuation: a
/// `?` before it is glued to the word.
fn glued(c: Option<&char>) -> bool {
    c.is_some_and(|&c| {
        let modifier = matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{200D}' | '\u{20E3}');
        !c.is_whitespace()
            && !c.is_ascii_punctuation()
            && !"，。！？：；、）」』”’".contains(c)
            && !modifier
    })
}

/// Whether `speaker` (lone `?`s) is among `names` with a character where
/// it has a `?`, and no line of `body` mentions it with the `?`.
fn spelled_out(speaker: &str, names: &[Vec<char>], body: &[(usize, Vec<char>)]) -> bool {
    let lost: Vec<char> = speaker.chars().collect();
    let mention: Vec<char> = std::iter::once('@').chain(lost.iter().copied()).collect();
    let mentioned = body.iter().any(|(_, chars)| {
        chars
            .windows(mention.len())
            .any(|w| w == mention.as_slice())
    });
    let spelled = names.iter().any(|name| {
        name.len() == lost.len()
            && *name != lost
            && name
                .iter()
                .zip(&lost)
                .all(|(&n, &l)| n == l || (l == '?' && n != '?' && !n.is_whitespace()))
    });
    spelled && !mentioned
}

/// A header's speaker.
fn speaker_name<'a>(line: &Line<'a>) -> &'a str {
    line.text.get(10..).unwrap_or_default().trim()
}

/// The texts that stand between an `@` (not after a letter or a digit)
/// and a `?` within 32 characters, in two places with different
/// characters (not spaces) after the `?`.
fn repeated_mentions(body: &[(usize, Vec<char>)]) -> Vec<Vec<char>> {
    let mut after: BTreeMap<Vec<char>, std::collections::BTreeSet<char>> = BTreeMap::new();
    for (_, chars) in body {
        for at in (0..chars.len()).filter(|&i| chars[i] == '@') {
            if at > 0 && chars[at - 1].is_ascii_alphanumeric() {
                continue;
            }
            let mut to_line_end = chars.len() <= at + 34;
            for end in at + 2..chars.len().min(at + 34) {
                if chars[end] == '@' {
                    to_line_end = false;
                    break;
                }
                let next = chars.get(end + 1).copied().unwrap_or(' ');
                let name = &chars[at + 1..end];
                let trimmed = !name[0].is_whitespace() && !name[name.len() - 1].is_whitespace();
                if chars[end] == '?' && next != '?' && !next.is_whitespace() && trimmed {
                    after.entry(name.to_vec()).or_default().insert(next);
                }
                // A name with a `?` in it, then a space (`@肖勇-亿宏-c?to 你好`).
                if chars[end].is_whitespace() && name.contains(&'?') && trimmed {
                    after.entry(name.to_vec()).or_default().insert(' ');
                }
            }
            // Or the line end.
            let name = &chars[(at + 1).min(chars.len())..];
            let ends = name.last().is_some_and(|&c| c != '?' && c != ' ');
            if to_line_end && ends && name.contains(&'?') {
                after.entry(name.to_vec()).or_default().insert(' ');
            }
        }
    }
    after
        .into_iter()
        .filter(|(_, next)| next.len() >= 2)
        .map(|(name, _)| name)
        .collect()
}

/// `heading-missing-space`: up to three spaces, one to six `#`, then
/// anything but a space, a tab or another `#`; a paragraph when more than
/// 80 characters follow the hashes (trailing spaces left out).
fn headings_without_space(line: &Line<'_>, scan: &mut Scan) {
    let text = line.text.trim_start_matches(' ');
    if line.text.len() - text.len() > 3 {
        return;
    }
    let hashes = text.len() - text.trim_start_matches('#').len();
    let next = text[hashes..].chars().next();
    if (1..=6).contains(&hashes) && next.is_some_and(|c| !matches!(c, ' ' | '\t' | '#')) {
        scan.found("heading-missing-space", line.number);
        if text[hashes..].trim_end().chars().count() > 80 {
            scan.paragraphs_with_hashes.push(line.number);
        }
    }
}

/// `escaped-html-entity`: outside code spans, `&amp;` followed by `amp;`
/// (once or more), by `#` and digits and `;`, or by a lowercase name and `;`.
fn escaped_entities(line: &Line<'_>, scan: &mut Scan) {
    let parts: Vec<&str> = line.text.split('`').collect();
    // Between pairs of backticks is code: left out.
    let outside_code: String = if parts.len() >= 3 {
        parts
            .iter()
            .step_by(2)
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        line.text.to_string()
    };
    let mut rest = outside_code.as_str();
    while let Some(at) = rest.find("&amp;") {
        let after = &rest[at + "&amp;".len()..];
        let amps = after.len() - after.trim_start_matches("amp;").len();
        let name = |s: &str, allowed: fn(&u8) -> bool| {
            let n = s.bytes().take_while(allowed).count();
            (n > 0 && s[n..].starts_with(';')).then_some(n + 1)
        };
        let escaped = if amps > 0 {
            Some(amps)
        } else if let Some(number) = after.strip_prefix('#') {
            name(number, u8::is_ascii_digit).map(|n| n + 1)
        } else {
            name(after, u8::is_ascii_lowercase)
        };
        match escaped {
            Some(len) => {
                scan.found("escaped-html-entity", line.number);
                rest = &after[len..];
            }
            None => rest = &rest[at + 1..],
        }
    }
}

/// `broken-image-url` and `image-time-mismatch`: every `![alt](url)` (or
/// with a full-width `！` or `（`, which is the first finding) has an `http`
/// or `https` URL with a host and no space; an alt that is a time
/// `YYYY-MM-DD HH:MM:SS` agrees within a minute with the file name's
/// `YYYYMMDD_HHMMSS` and with the message's header.
fn images(line: &Line<'_>, header_time: Option<u32>, scan: &mut Scan) {
    let text = line.text;
    let mut from = 0;
    while let Some((start, open)) = ["![", "！["]
        .into_iter()
        .filter_map(|open| text[from..].find(open).map(|i| (from + i, open)))
        .min()
    {
        let alt_start = start + open.len();
        from = alt_start;
        let Some(close) = text[alt_start..].find(']').map(|i| alt_start + i) else {
            continue;
        };
        let after = &text[close + 1..];
        let Some(paren) = ["(", "（"].into_iter().find(|p| after.starts_with(p)) else {
            // `！[强]`: an exclamation and an emoji code, not an image.
            continue;
        };
        scan.saw("images");
        if open == "！[" || paren == "（" {
            scan.found("broken-image-url", line.number);
            continue;
        }
        let url_start = close + 2;
        let Some(url) = text[url_start..]
            .find(')')
            .map(|i| &text[url_start..url_start + i])
        else {
            scan.found("broken-image-url", line.number);
            continue;
        };
        let host = url
            .strip_prefix("http://")
            .or_else(|| url.strip_prefix("https://"))
            .map(|rest| rest.split('/').next().unwrap_or_default());
        if url.contains(' ') || host.is_none_or(str::is_empty) {
            scan.found("broken-image-url", line.number);
            continue;
        }
        let alt = &text[alt_start..close];
        let alt_date = alt.get(..10).unwrap_or_default();
        let Some(alt_time) = alt
            .get(11..)
            .and_then(time_of_day)
            .filter(|_| alt.len() == 19 && alt.as_bytes()[10] == b' ')
        else {
            continue;
        };
        scan.saw("images with a time");
        let apart = |a: u32, b: u32| {
            let d = a.abs_diff(b);
            d.min(86_400 - d)
        };
        let file = url.rsplit('/').next().unwrap_or_default();
        if let Some((date, rest)) = file.split_once('_').filter(|(d, _)| d.len() == 8) {
            if let Some(file_time) = rest
                .get(..6)
                .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
            {
                scan.saw("images with a time in the file name");
                let file_time = format!(
                    "{}:{}:{}",
                    &file_time[..2],
                    &file_time[2..4],
                    &file_time[4..]
                );
                let agrees = date == alt_date.replace('-', "")
                    && time_of_day(&file_time).is_some_and(|t| apart(t, alt_time) <= 60);
                if !agrees {
                    scan.found("image-time-mismatch", line.number);
                    continue;
                }
            }
        }
        if header_time.is_some_and(|h| apart(h, alt_time) > 60) {
            scan.found("image-time-mismatch", line.number);
        }
    }
}
