use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};
use crate::model::{Image, Span, Width};

declare_rule! {
    /// ## What it does
    /// Checks every image, `![alt](url "title")`, for what stops it from
    /// showing: a full-width `！` or `（ ）` typed by a CJK input method, a
    /// missing `)`, an empty URL, unescaped spaces, a broken scheme (`htp://`,
    /// `http:/host`, `http//host`), a missing or empty host, an invalid port, or
    /// anything else the WHATWG URL parser (the `url` crate) rejects.
    ///
    /// Titles, `<…>` destinations (which may hold spaces) and relative paths
    /// are valid. Whether a well-formed URL still answers is a question for the
    /// network, not for this rule.
    ///
    /// ## Why is this bad?
    /// A CommonMark renderer shows such an image as literal text, or requests
    /// a URL that cannot work: readers see a broken picture or markup.
    ///
    /// ## Example
    /// ```markdown
    /// ！[2017-08-25 11:51:30](htp://static.cocolian.cn/img/20170825_115130.png)
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// ![2017-08-25 11:51:30](http://static.cocolian.cn/img/20170825_115130.png)
    /// ```
    ///
    /// ## Fix safety
    /// Safe where the intent is certain: full-width `！`, `（`, `）` to ASCII; a
    /// `)` added after a URL that ends the line; a
    /// scheme one typo away from `http` or `https`; the slashes or colon missing
    /// after `http`. Unsafe: spaces encoded as `%20` (a space may be a typo), a
    /// host-like path given `http://`. No fix for an empty URL, a missing host,
    /// an invalid port or other scheme.
    pub struct BrokenImageUrl {
        code: "CL201",
        name: "broken-image-url",
        severity: Error,
        fix: Sometimes,
    }
}

impl Rule for BrokenImageUrl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        for image in context.transcript.images() {
            check_image(context.text, image, diagnostics);
        }
    }
}

fn finding(span: Span, message: impl Into<String>, label: &str) -> Diagnostic {
    Diagnostic::new(&BrokenImageUrl::META, span, message).with_label(label)
}

fn check_image(text: &str, image: &Image, diagnostics: &mut Vec<Diagnostic>) {
    if image.bang == Width::FullWidth {
        let span = image.span.start..image.span.start + '！'.len_utf8();
        diagnostics.push(
            finding(
                span.clone(),
                "Image starts with a full-width `！`; Markdown needs `!`",
                "full-width exclamation mark",
            )
            .with_help("Write `![alt](url)` with an ASCII `!`")
            .with_fix(Some(Fix::safe(
                "Replace `！` with `!`",
                vec![Edit::replace(span, "!")],
            ))),
        );
    }
    check_parentheses(text, image, diagnostics);

    let destination = &text[image.destination_span.clone()];
    if destination.is_empty() {
        diagnostics.push(
            finding(image.span.clone(), "Image has an empty URL", "no URL")
                .with_help("Put the image's address between the parentheses"),
        );
        return;
    }
    if !image.angle_brackets && destination.contains(char::is_whitespace) {
        let encoded = destination.replace(' ', "%20");
        let fix = (!encoded.contains(char::is_whitespace)).then(|| {
            Fix::unsafe_edit(
                "Encode the spaces as `%20`",
                vec![Edit::replace(image.destination_span.clone(), encoded)],
            )
        });
        diagnostics.push(
            finding(
                image.destination_span.clone(),
                "Image URL contains unescaped spaces",
                "spaces in the URL",
            )
            .with_help(
                "Encode spaces as `%20`, or write the URL as `<…>` if the space is part of it",
            )
            .with_fix(fix),
        );
        return;
    }
    if let Some(diagnostic) = check_url(destination, image.destination_span.clone()) {
        diagnostics.push(diagnostic);
    }
}

fn check_parentheses(text: &str, image: &Image, diagnostics: &mut Vec<Diagnostic>) {
    let alt_end = image.alt_span.end; // the `]`
    let open_span = alt_end + 1..alt_end + 1 + paren_len(image.open_paren);
    let mut edits = Vec::new();
    if image.open_paren == Width::FullWidth {
        edits.push(Edit::replace(open_span, "("));
    }
    if image.close_paren == Some(Width::FullWidth) {
        edits.push(Edit::replace(
            image.span.end - '）'.len_utf8()..image.span.end,
            ")",
        ));
    }
    if !edits.is_empty() {
        let span = edits[0].span.start..edits[edits.len() - 1].span.end;
        diagnostics.push(
            finding(
                span,
                "Image uses full-width parentheses `（ ）`; Markdown needs `( )`",
                "full-width parenthesis",
            )
            .with_help("Write the URL between ASCII parentheses")
            .with_fix(Some(Fix::safe(
                "Replace full-width parentheses with ASCII ones",
                edits,
            ))),
        );
    }
    if image.close_paren.is_none() {
        let destination = &text[image.destination_span.clone()];
        let line_rest = &text[image.span.end..];
        let line_rest = &line_rest[..line_rest.find(['\r', '\n']).unwrap_or(line_rest.len())];
        // Certain only when nothing but white space follows the URL: then the
        // `)` can only go right after it.
        // …and when the URL's own parentheses balance: otherwise the `)`
        // added would close one of them, not the image.
        let balanced = destination.matches('(').count() == destination.matches(')').count();
        let certain = !destination.is_empty() && line_rest.trim().is_empty() && balanced;
        let fix = certain.then(|| {
            Fix::safe(
                "Add the missing `)`",
                vec![Edit::insert(image.span.end, ")")],
            )
        });
        diagnostics.push(
            finding(
                image.destination_span.clone(),
                "Image is missing its closing `)`",
                "no `)` after this URL",
            )
            .with_help("End the image with `)` right after its URL")
            .with_fix(fix),
        );
    }
}

fn paren_len(width: Width) -> usize {
    match width {
        Width::Ascii => 1,
        Width::FullWidth => '（'.len_utf8(),
    }
}

/// The scheme of an absolute URL: letters first, then letters, digits, `+-.`.
fn scheme_of(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

fn check_url(url: &str, span: Span) -> Option<Diagnostic> {
    let Some(scheme) = scheme_of(url) else {
        return check_relative(url, span);
    };
    let lower = scheme.to_ascii_lowercase();
    let after_colon = &url[scheme.len() + 1..];
    match lower.as_str() {
        "http" | "https" => check_web_url(url, scheme, after_colon, span),
        "data" => None,
        _ => {
            if let Some(intended) = scheme_typo(&lower) {
                let fixed = format!("{intended}:{after_colon}");
                return Some(
                    finding(
                        span.clone(),
                        format!("Image URL scheme `{scheme}` is a typo of `{intended}`"),
                        "misspelt scheme",
                    )
                    .with_help(format!("Write `{intended}://`"))
                    .with_fix(Some(Fix::safe(
                        format!("Replace `{scheme}:` with `{intended}:`"),
                        vec![Edit::replace(
                            span.start..span.start + scheme.len(),
                            intended,
                        )],
                    )))
                    .with_fix_check(&fixed),
                );
            }
            let message = if scheme.len() == 1 {
                "Image URL is a local file path; a web page cannot show it".to_string()
            } else {
                format!("Image URL scheme `{scheme}` cannot be shown on a web page")
            };
            Some(
                finding(span, message, "not http or https").with_help(
                    "Use an `http://` or `https://` URL, or a path relative to the site",
                ),
            )
        }
    }
}

fn check_web_url(url: &str, scheme: &str, after_colon: &str, span: Span) -> Option<Diagnostic> {
    let slashes = after_colon.bytes().take_while(|&b| b == b'/').count();
    if slashes == 1 || slashes == 0 {
        let insert_at = span.start + scheme.len() + 1;
        let missing = if slashes == 1 { "/" } else { "//" };
        return Some(
            finding(
                span,
                format!("Image URL needs `//` after `{scheme}:`"),
                "missing slash",
            )
            .with_help(format!("Write `{scheme}://` before the host"))
            .with_fix(Some(Fix::safe(
                format!("Insert `{missing}`"),
                vec![Edit::insert(insert_at, missing)],
            )))
            .with_fix_check(&format!("{scheme}://{}", &after_colon[slashes..])),
        );
    }
    if slashes > 2 || after_colon.len() == 2 || after_colon[2..].starts_with(['?', '#']) {
        return Some(
            finding(span, "Image URL has no host", "no host after `//`").with_help(
                "Write the host name after `//`, e.g. `http://static.cocolian.org/img/…`",
            ),
        );
    }
    match url::Url::parse(url) {
        Ok(parsed) if parsed.host_str().is_some_and(|h| !h.is_empty()) => None,
        Ok(_) => Some(finding(span, "Image URL has no host", "no host")),
        Err(err) => Some(
            finding(
                span,
                format!("Image URL is not a valid URL: {err}"),
                "invalid URL",
            )
            .with_help("Correct the URL so that a browser can request it"),
        ),
    }
}

/// `http//host/…` and `static.cocolian.org/img/…`: web URLs that lost their
/// scheme's punctuation or the scheme itself, and so read as relative paths.
fn check_relative(url: &str, span: Span) -> Option<Diagnostic> {
    // `http：//` (a CJK input method's colon) and `http;//`: one wrong character.
    for scheme in ["https", "http"] {
        let Some(rest) = url.strip_prefix(scheme) else {
            continue;
        };
        let Some(separator) = ['：', ';', '；'].into_iter().find(|c| rest.starts_with(*c)) else {
            continue;
        };
        let after = &rest[separator.len_utf8()..];
        if let Some(host_part) = after.strip_prefix("//") {
            let at = span.start + scheme.len();
            return Some(
                finding(
                    span.clone(),
                    format!("Image URL has `{separator}` where `{scheme}` needs `:`"),
                    "wrong character after the scheme",
                )
                .with_help(format!("Write `{scheme}://`"))
                .with_fix(Some(Fix::safe(
                    format!("Replace `{separator}` with `:`"),
                    vec![Edit::replace(at..at + separator.len_utf8(), ":")],
                )))
                .with_fix_check(&format!("{scheme}://{host_part}")),
            );
        }
    }
    for scheme in ["https", "http"] {
        if let Some(rest) = url.strip_prefix(scheme).and_then(|r| r.strip_prefix("//")) {
            return Some(
                finding(
                    span.clone(),
                    format!("Image URL is missing the `:` after `{scheme}`"),
                    "missing colon",
                )
                .with_help(format!("Write `{scheme}://`"))
                .with_fix(Some(Fix::safe(
                    "Insert `:`",
                    vec![Edit::insert(span.start + scheme.len(), ":")],
                )))
                .with_fix_check(&format!("{scheme}://{rest}")),
            );
        }
    }
    let first_segment = url.split('/').next().unwrap_or_default();
    if url.contains('/') && looks_like_host(first_segment) {
        return Some(
            finding(span.clone(), format!("Image URL starts with the host `{first_segment}` but has no scheme"), "no scheme")
                .with_help("A path without a scheme is relative to the page; write `http://` or `https://` first")
                .with_fix(Some(Fix::unsafe_edit("Prefix `http://`", vec![Edit::insert(span.start, "http://")]))),
        );
    }
    let base = url::Url::parse("http://site.invalid/posts/").expect("a constant URL parses");
    match base.join(url) {
        Ok(_) => None,
        Err(err) => Some(finding(
            span,
            format!("Image URL is not a valid relative URL: {err}"),
            "invalid URL",
        )),
    }
}

/// `www.example.com`, `static.cocolian.org`: labels of letters, digits and
/// `-`, the last a 2 to 6 letter top-level domain that is not a file type.
fn looks_like_host(segment: &str) -> bool {
    let labels: Vec<&str> = segment.split('.').collect();
    let Some(tld) = labels.last() else {
        return false;
    };
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && (2..=6).contains(&tld.len())
        && tld.bytes().all(|b| b.is_ascii_lowercase())
        && !matches!(
            *tld,
            "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" | "bmp" | "html" | "htm" | "md"
        )
}

/// The web scheme a misspelt one is one edit away from, if exactly one.
fn scheme_typo(scheme: &str) -> Option<&'static str> {
    let near: Vec<&'static str> = ["http", "https"]
        .into_iter()
        .filter(|candidate| edit_distance(scheme, candidate) == 1)
        .collect();
    match near.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

trait FixCheck {
    /// Drops a fix whose result would still not be a valid URL: a fix that
    /// leaves the image broken is not certain.
    fn with_fix_check(self, fixed_url: &str) -> Self;
}

impl FixCheck for Diagnostic {
    fn with_fix_check(mut self, fixed_url: &str) -> Self {
        let valid =
            url::Url::parse(fixed_url).is_ok_and(|u| u.host_str().is_some_and(|h| !h.is_empty()));
        if !valid {
            self.fix = None;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_typos() {
        assert_eq!(scheme_typo("htp"), Some("http"));
        assert_eq!(scheme_typo("htps"), Some("https"));
        assert_eq!(scheme_typo("httpss"), Some("https"));
        assert_eq!(scheme_typo("ftp"), None);
        assert_eq!(scheme_typo("mailto"), None);
    }

    #[test]
    fn host_like_paths() {
        assert!(looks_like_host("static.cocolian.org"));
        assert!(looks_like_host("www.example.com"));
        assert!(!looks_like_host("img"));
        assert!(!looks_like_host("20170825_115130.png"));
        assert!(!looks_like_host(".."));
    }
}
