//! The invariants every input must keep, shared by `tests/robustness.rs`
//! (property tests) and the cargo-fuzz target in `fuzz/` (which includes
//! this file with `#[path]`): see the robustness test's documentation for
//! what they are.

#![allow(dead_code)]

use std::sync::OnceLock;

use chatlint::model::{Inline, Span, Transcript};
use chatlint::output::{full::Color, FileReport, OutputFormat};
use chatlint::{registry, Applicability, Diagnostic, Error, SourceFile};

/// A span that can be sliced out of `text` without panicking.
pub fn assert_span(text: &str, span: &Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} is outside the text (length {})",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} is not on character boundaries"
    );
}

/// Every span of the parsed model, and every accessor that slices with one.
pub fn assert_model(text: &str, transcript: &Transcript) {
    if let Some(front_matter) = &transcript.front_matter {
        assert_span(text, &front_matter.span, "front matter");
        assert_span(text, &front_matter.yaml_span, "front matter YAML");
        // The YAML parser must not panic either; its verdict does not matter.
        let _ = front_matter.parse_yaml(text);
    }
    for heading in &transcript.day_headings {
        assert_span(text, &heading.span, "day heading");
    }
    for message in &transcript.messages {
        let header = &message.header;
        assert_span(text, &header.span, "header");
        assert_span(text, &header.time_span, "header time");
        assert_span(text, &header.speaker_span, "header speaker");
        if let Some((span, _)) = &header.date {
            assert_span(text, span, "header date");
        }
        let _ = (
            header.speaker(text),
            header.time_text(text),
            message.text(text),
        );
        assert_span(text, &message.span(), "message");
    }
    for line in transcript.body_lines() {
        assert_span(text, &line.span, "body line");
        for inline in &line.inlines {
            match inline {
                Inline::Image(image) => {
                    assert_span(text, &image.span, "image");
                    assert_span(text, &image.alt_span, "image alt");
                    assert_span(text, &image.destination_span, "image destination");
                    if let Some(title) = &image.title_span {
                        assert_span(text, title, "image title");
                    }
                }
                Inline::Link(link) => {
                    assert_span(text, &link.span, "link");
                    assert_span(text, &link.text_span, "link text");
                    assert_span(text, &link.destination_span, "link destination");
                }
                Inline::Mention(mention) => {
                    assert_span(text, &mention.span, "mention");
                    assert_span(text, &mention.name_span, "mention name");
                }
                Inline::Emoji(emoji) => {
                    assert_span(text, &emoji.span, "emoji");
                    assert_span(text, &emoji.name_span, "emoji name");
                }
            }
        }
    }
}

/// Every diagnostic's spans and fix edits, and their positions as lines and
/// columns.
pub fn assert_diagnostics(text: &str, diagnostics: &[Diagnostic]) {
    let source = SourceFile::from_string("t", text);
    for diagnostic in diagnostics {
        let rule = diagnostic.rule.name;
        assert_span(text, &diagnostic.span, rule);
        let _ = source.line_column(diagnostic.span.start);
        let _ = source.line_column(diagnostic.span.end);
        for related in &diagnostic.related {
            assert_span(text, &related.span, rule);
        }
        if let Some(fix) = &diagnostic.fix {
            for edit in &fix.edits {
                assert_span(text, &edit.span, &format!("{rule} fix"));
            }
            assert!(
                fix.edits
                    .windows(2)
                    .all(|w| w[0].span.end <= w[1].span.start),
                "{rule}: the edits of one fix overlap: {:?}",
                fix.edits
            );
        }
    }
}

/// Every output format renders whatever the findings point at.
pub fn render(text: &str, diagnostics: Vec<Diagnostic>) {
    let reports = [FileReport {
        source: SourceFile::from_string("t.md", text),
        diagnostics,
    }];
    for format in [
        OutputFormat::Full,
        OutputFormat::Concise,
        OutputFormat::Json,
        OutputFormat::JsonLines,
        OutputFormat::Sarif,
        OutputFormat::Github,
        OutputFormat::Junit,
    ] {
        let mut out = Vec::new();
        format
            .write(&reports, Color::Never.into(), &mut out)
            .unwrap_or_else(|err| panic!("{format:?} output failed: {err}"));
    }
}

/// A scheme-like run: what an image URL's scheme is made of.
pub fn is_scheme_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')
}

/// What a safe fix keeps: the text less everything the four core rules may
/// insert, delete or replace.
///
/// 1. Every maximal run of `[A-Za-z0-9+.-]` that starts with an ASCII letter
///    and is followed by `:`, `/`, `：`, `;` or `；` becomes one `§`: the
///    scheme fix rewrites a scheme (`htp:` → `http:`), the colon fixes turn
///    `http//`, `http;//` and `http：//` into `http://`. An image
///    destination's scheme is always such a run: it is preceded by `(`, `（`,
///    `<`, a space or a tab, none of which is in the run.
/// 2. Full-width digits become ASCII digits (the timestamp fix).
/// 3. Spaces, `!！()（）:：;；.．/-` and `0` are dropped: the heading fix
///    inserts a space; the image fixes turn `！（）` into `!()`, add a `)`,
///    `/`, `//` or `:`, or put `:` for `;；：`; the timestamp fixes turn `：.．`
///    into `:` and pad fields with `0` (`7.5.2` → `07:05:02`), and dates get
///    dashes and zeros (`2017/5/5` → `2017-05-05`).
///
/// None of those fixes changes whether a neighbouring run starts with a letter
/// or is followed by one of those characters (the time and date words are
/// bounded by white space or `>` and their runs start with a digit; the
/// inserted `)` and space sit next to white space or `#`), so a correct fix
/// leaves this normal form unchanged, while a fix that lost, duplicated or
/// moved any other character (line breaks, CJK text, `#`, `[`, `@`, `>`,
/// digits other than zero, letters outside schemes) changes it.
pub fn normalize(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let push = |c: char, out: &mut String| {
        let c = match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            _ => c,
        };
        if !matches!(
            c,
            ' ' | '!'
                | '！'
                | '('
                | ')'
                | '（'
                | '）'
                | ':'
                | '：'
                | ';'
                | '；'
                | '.'
                | '．'
                | '/'
                | '-'
                | '0'
        ) {
            out.push(c);
        }
    };
    let mut i = 0;
    while i < chars.len() {
        if !is_scheme_char(chars[i]) {
            push(chars[i], &mut out);
            i += 1;
            continue;
        }
        // `i` starts a maximal run: the character before it is not in one.
        let end = i + chars[i..]
            .iter()
            .take_while(|&&c| is_scheme_char(c))
            .count();
        if chars[i].is_ascii_alphabetic()
            && matches!(chars.get(end), Some(':' | '/' | '：' | ';' | '；'))
        {
            out.push('§');
        } else {
            for &c in &chars[i..end] {
                push(c, &mut out);
            }
        }
        i = end;
    }
    out
}

/// The same texts, line by line, to say where a fix went wrong.
pub fn assert_same_normal_form(before: &str, after: &str) {
    let (a, b) = (normalize(before), normalize(after));
    if a == b {
        return;
    }
    for (line, (x, y)) in before.split('\n').zip(after.split('\n')).enumerate() {
        assert!(
            normalize(x) == normalize(y),
            "a fix changed more than it may on line {}:\n  before: {}\n  after:  {}",
            line + 1,
            preview(x),
            preview(y)
        );
    }
    panic!(
        "a fix changed more than it may:\nbefore: {}\nafter:  {}",
        preview(before),
        preview(after)
    );
}

pub fn message_count(text: &str) -> usize {
    chatlint::parse(text).messages.len()
}

/// A text short enough for a failure message.
pub fn preview(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 600 {
        return format!("{text:?}");
    }
    let head: String = chars[..400].iter().collect();
    let tail: String = chars[chars.len() - 100..].iter().collect();
    format!("{head:?} … ({} chars) … {tail:?}", chars.len())
}

/// The four rules whose fixes [`normalize`] describes. Rules added later
/// (duplicate messages, HTML entities, invisible characters, …) may remove
/// messages and characters on purpose; they get the general checks only.
pub const CORE_RULES: [&str; 4] = [
    "malformed-timestamp",
    "time-runs-backwards",
    "heading-missing-space",
    "broken-image-url",
];

pub fn core_rules() -> &'static [&'static dyn chatlint::Rule] {
    static RULES: OnceLock<Vec<&'static dyn chatlint::Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        CORE_RULES
            .iter()
            .map(|name| registry::find(name).unwrap_or_else(|| panic!("no rule {name}")))
            .collect()
    })
}

thread_local! {
    /// Whether a refused or left-out fix fails the test: on transcript-shaped
    /// input every fix must pass verification.
    static REFUSALS_FAIL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn refusals_fail() -> bool {
    REFUSALS_FAIL.with(|strict| strict.get())
}

/// [`exercise`] where a fix refused or left out by verification fails.
pub fn exercise_transcript(text: &str) {
    REFUSALS_FAIL.with(|strict| strict.set(true));
    // Reset even when an assertion fails, so the next case starts lenient.
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            REFUSALS_FAIL.with(|strict| strict.set(false));
        }
    }
    let _reset = Reset;
    exercise(text);
}

/// A fix may refuse, but only for these reasons, and with a message.
pub fn assert_refusal(err: &Error) {
    assert!(
        matches!(
            err,
            Error::FixDidNotConverge { .. } | Error::FixVerification { .. }
        ),
        "fixing failed with an unexpected error: {err}"
    );
    let _ = err.to_string();
}

/// Fixes `text` with `rules` at `threshold` and checks what holds of any fix:
/// it succeeds or fails with a `chatlint::Error`, its findings are in bounds,
/// no message is added, and fixing again changes nothing. Returns the fixed
/// text, or `None` when fixing refused with an error.
pub fn fix_and_check(
    text: &str,
    rules: &[&'static dyn chatlint::Rule],
    threshold: Applicability,
) -> Option<String> {
    let outcome = match chatlint::fix_text("t", text, rules, threshold) {
        Ok(outcome) => outcome,
        Err(err) => {
            assert_refusal(&err);
            assert!(
                !refusals_fail(),
                "fixing refused a transcript-shaped input: {err}\ntext: {}",
                preview(text)
            );
            return None;
        }
    };
    assert!(
        !refusals_fail() || outcome.rejected.is_empty(),
        "fixing left out fixes of a transcript-shaped input: {:?}\ntext: {}",
        outcome.rejected,
        preview(text)
    );
    let fixed = outcome.text;
    if outcome.fixed.is_empty() {
        assert!(fixed == text, "nothing was fixed but the text changed");
    }
    assert_diagnostics(&fixed, &outcome.remaining);
    assert!(
        message_count(&fixed) <= message_count(text),
        "fixing added messages:\nbefore: {}\nafter:  {}",
        preview(text),
        preview(&fixed)
    );
    let again = chatlint::fix_text("t", &fixed, rules, threshold).unwrap_or_else(|err| {
        panic!(
            "fixing the fixed text failed: {err}\ntext: {}",
            preview(&fixed)
        )
    });
    assert!(
        !again.changed() && again.text == fixed,
        "fixing is not idempotent: a second round applied {:?}\nfirst:  {}\nsecond: {}",
        again.fixed,
        preview(&fixed),
        preview(&again.text)
    );
    Some(fixed)
}

/// [`fix_and_check`] with the four core rules, and what holds of their fixes:
/// as many messages, line breaks and carriage returns as before, the same
/// BOM, and no change but those [`normalize`] allows (with `keeps_text`;
/// unsafe fixes add `%20` and `http://`, so they are checked without it).
pub fn fix_and_check_core(text: &str, threshold: Applicability, keeps_text: bool) {
    let Some(fixed) = fix_and_check(text, core_rules(), threshold) else {
        return;
    };
    assert!(
        message_count(&fixed) == message_count(text),
        "fixing changed the number of messages:\nbefore: {}\nafter:  {}",
        preview(text),
        preview(&fixed)
    );
    for (what, c) in [("line breaks", '\n'), ("carriage returns", '\r')] {
        assert!(
            fixed.matches(c).count() == text.matches(c).count(),
            "fixing changed the {what}:\nbefore: {}\nafter:  {}",
            preview(text),
            preview(&fixed)
        );
    }
    assert_eq!(
        fixed.starts_with('\u{feff}'),
        text.starts_with('\u{feff}'),
        "fixing changed the BOM"
    );
    if keeps_text {
        assert_same_normal_form(text, &fixed);
    }
}

/// Everything this file checks, for one text.
pub fn exercise(text: &str) {
    assert_parts_agree(text);
    exercise_safe(text);
    // Unsafe fixes (`%20`, a `http://` prefix, …) change more, but the rest holds.
    fix_and_check_core(text, Applicability::Unsafe, false);
    fix_and_check(text, registry::all(), Applicability::Unsafe);
}

/// Checked a part at a time (parts of one message, and of 64 bytes), the
/// findings of every rule are exactly those of a whole check
/// (`linter::check_in`).
pub fn assert_parts_agree(text: &str) {
    let settings = chatlint::Settings::from_rules(registry::all().to_vec());
    assert_parts_agree_with(text, &settings, None, &[1, 64], "");
}

/// Checked in parts of each of `sizes` bytes (1: a part per message) with
/// `settings`, the findings are exactly those of a whole check; `what`
/// names the case when they are not.
pub fn assert_parts_agree_with(
    text: &str,
    settings: &chatlint::Settings,
    path: Option<&std::path::Path>,
    sizes: &[usize],
    what: &str,
) {
    let check = |part_bytes| {
        let surroundings = chatlint::Surroundings { path, online: None };
        describe(&chatlint::linter::check_in_parts(
            text,
            settings,
            surroundings,
            part_bytes,
        ))
    };
    let whole = check(usize::MAX);
    for &part_bytes in sizes {
        let parts = check(part_bytes);
        let missing: Vec<_> = whole.iter().filter(|d| !parts.contains(d)).collect();
        let extra: Vec<_> = parts.iter().filter(|d| !whole.contains(d)).collect();
        assert!(
            parts == whole,
            "{what} {}: checked in parts of {part_bytes} bytes, the findings differ \
             from a whole check\nmissing: {missing:#?}\nextra: {extra:#?}",
            preview(text)
        );
    }
}

/// Everything a finding says, fix included, one string each.
pub fn describe(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let related: Vec<_> = d.related.iter().map(|r| (&r.span, &r.text)).collect();
            format!(
                "{} {:?} {:?} {} {:?} {:?} {:?} {:?}",
                d.rule.name, d.severity, d.span, d.message, d.label, related, d.help, d.fix
            )
        })
        .collect()
}

/// [`exercise`] without the unsafe fixes, for inputs too large to fix twice
/// more in a debug build.
pub fn exercise_safe(text: &str) {
    let transcript = chatlint::parse(text);
    assert_model(text, &transcript);
    let diagnostics = chatlint::check_text(text, registry::all());
    assert_diagnostics(text, &diagnostics);
    render(text, diagnostics);
    fix_and_check_core(text, Applicability::Safe, true);
    fix_and_check(text, registry::all(), Applicability::Safe);
}

/// For inputs too large to fix over and over in a debug build: parsed,
/// checked and fixed once with every rule, which must not panic, must stay in
/// bounds and must not add messages. Returns the fixed text, if fixing did not
/// refuse.
pub fn exercise_large(text: &str) -> Option<String> {
    assert_model(text, &chatlint::parse(text));
    assert_diagnostics(text, &chatlint::check_text(text, registry::all()));
    match chatlint::fix_text("t", text, registry::all(), Applicability::Safe) {
        Ok(outcome) => {
            assert_diagnostics(&outcome.text, &outcome.remaining);
            assert!(message_count(&outcome.text) <= message_count(text));
            Some(outcome.text)
        }
        Err(err) => {
            assert_refusal(&err);
            None
        }
    }
}

/// Bytes as the CLI reads them: refused unless UTF-8, then [`exercise`]d.
pub fn exercise_bytes(bytes: &[u8]) {
    match SourceFile::from_bytes("t".into(), None, bytes.to_vec()) {
        Ok(source) => {
            assert_eq!(source.text().as_bytes(), bytes);
            let _ = source.line_column(source.text().len());
            exercise(source.text());
        }
        Err(err) => {
            assert!(
                std::str::from_utf8(bytes).is_err(),
                "valid UTF-8 was refused: {err}"
            );
            assert!(matches!(err, Error::NotUtf8 { .. }), "{err}");
            let _ = err.to_string();
        }
    }
}
