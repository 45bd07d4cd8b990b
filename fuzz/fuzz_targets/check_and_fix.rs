//! Bytes as the CLI reads them: refused unless UTF-8, then parsed, checked,
//! reported in every output format and fixed, with the checks of
//! `tests/robustness.rs`: spans in bounds and on character boundaries, fixing
//! succeeds or fails with a `chatlint::Error`, a fixed text is a fixed point,
//! and the four core rules keep every message, line break and character but
//! those their fixes may change.
#![no_main]

use chatlint::model::{Inline, Span};
use chatlint::output::{full::Color, FileReport, OutputFormat};
use chatlint::{registry, Applicability, Diagnostic, Error, Rule, SourceFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = match SourceFile::from_bytes("fuzz.md".into(), None, data.to_vec()) {
        Ok(source) => source,
        Err(err) => {
            assert!(
                std::str::from_utf8(data).is_err(),
                "valid UTF-8 refused: {err}"
            );
            assert!(matches!(err, Error::NotUtf8 { .. }), "{err}");
            let _ = err.to_string();
            return;
        }
    };
    let text = source.text();
    check_model(text);
    let diagnostics = chatlint::check_text(text, registry::all());
    check_diagnostics(text, &diagnostics);
    render(text, diagnostics);

    let core = core_rules();
    if let Some(fixed) = fix(text, &core, Applicability::Safe) {
        assert_eq!(messages(&fixed), messages(text), "messages changed");
        assert_eq!(fixed.matches('\n').count(), text.matches('\n').count());
        assert_eq!(fixed.matches('\r').count(), text.matches('\r').count());
        assert_eq!(fixed.starts_with('\u{feff}'), text.starts_with('\u{feff}'));
        assert_eq!(
            normalize(&fixed),
            normalize(text),
            "a fix changed more than it may"
        );
    }
    if let Some(fixed) = fix(text, &core, Applicability::Unsafe) {
        assert_eq!(messages(&fixed), messages(text), "messages changed");
    }
    fix(text, registry::all(), Applicability::Safe);
    fix(text, registry::all(), Applicability::Unsafe);
});

fn core_rules() -> Vec<&'static dyn Rule> {
    [
        "malformed-timestamp",
        "time-runs-backwards",
        "heading-missing-space",
        "broken-image-url",
    ]
    .iter()
    .map(|name| registry::find(name).expect("a core rule"))
    .collect()
}

fn messages(text: &str) -> usize {
    chatlint::parse(text).messages.len()
}

fn check_span(text: &str, span: &Span) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{span:?} out of bounds"
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{span:?} not on char boundaries"
    );
}

fn check_model(text: &str) {
    let transcript = chatlint::parse(text);
    if let Some(front_matter) = &transcript.front_matter {
        check_span(text, &front_matter.span);
        check_span(text, &front_matter.yaml_span);
        let _ = front_matter.parse_yaml(text);
    }
    for message in &transcript.messages {
        let header = &message.header;
        for span in [&header.span, &header.time_span, &header.speaker_span] {
            check_span(text, span);
        }
        if let Some((span, _)) = &header.date {
            check_span(text, span);
        }
        let _ = message.text(text);
    }
    for line in transcript.body_lines() {
        check_span(text, &line.span);
        for inline in &line.inlines {
            let spans: Vec<&Span> = match inline {
                Inline::Image(x) => {
                    let mut spans = vec![&x.span, &x.alt_span, &x.destination_span];
                    spans.extend(x.title_span.as_ref());
                    spans
                }
                Inline::Link(x) => vec![&x.span, &x.text_span, &x.destination_span],
                Inline::Mention(x) => vec![&x.span, &x.name_span],
                Inline::Emoji(x) => vec![&x.span, &x.name_span],
            };
            for span in spans {
                check_span(text, span);
            }
        }
    }
}

fn check_diagnostics(text: &str, diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        check_span(text, &diagnostic.span);
        for related in &diagnostic.related {
            check_span(text, &related.span);
        }
        if let Some(fix) = &diagnostic.fix {
            for edit in &fix.edits {
                check_span(text, &edit.span);
            }
            assert!(fix
                .edits
                .windows(2)
                .all(|w| w[0].span.end <= w[1].span.start));
        }
    }
}

/// Every output format must render whatever the findings point at.
fn render(text: &str, diagnostics: Vec<Diagnostic>) {
    let reports = [FileReport {
        source: SourceFile::from_string("fuzz.md", text),
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
            .write(&reports, Color::Never, &mut out)
            .expect("writing to memory cannot fail");
    }
}

/// Fixes, then checks that fixing again changes nothing. `None` when fixing
/// refused with an error, which is allowed.
fn fix(text: &str, rules: &[&'static dyn Rule], threshold: Applicability) -> Option<String> {
    let outcome = match chatlint::fix_text("fuzz.md", text, rules, threshold) {
        Ok(outcome) => outcome,
        Err(err) => {
            assert!(
                matches!(
                    err,
                    Error::FixDidNotConverge { .. } | Error::FixVerification { .. }
                ),
                "{err}"
            );
            return None;
        }
    };
    check_diagnostics(&outcome.text, &outcome.remaining);
    assert!(
        messages(&outcome.text) <= messages(text),
        "fixing added messages"
    );
    let again = chatlint::fix_text("fuzz.md", &outcome.text, rules, threshold)
        .expect("fixing the fixed text");
    assert!(
        !again.changed() && again.text == outcome.text,
        "not idempotent: {:?}",
        again.fixed
    );
    Some(outcome.text)
}

fn is_scheme_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')
}

/// The invariant of `tests/robustness.rs` (see `normalize` there): scheme-like
/// runs before `:`, `/`, `：`, `;` or `；` become `§`, full-width digits ASCII,
/// and what the four core rules insert or replace is dropped.
fn normalize(text: &str) -> String {
    fn push(c: char, out: &mut String) {
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
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_scheme_char(chars[i]) {
            push(chars[i], &mut out);
            i += 1;
            continue;
        }
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
