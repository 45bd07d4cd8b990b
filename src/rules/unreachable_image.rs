use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Edit, Fix};
use crate::model::{Image, Span};
use crate::online::{Failure, Verdict};

declare_rule! {
    /// ## What it does
    /// With `chatlint check --online`, checks that every image still loads: an
    /// `http` or `https` URL must answer 2xx (or another status that
    /// `--accept` names) to a HEAD request (a ranged GET
    /// where HEAD is refused), and a relative URL must name a file under the
    /// site root (`--site-root`, or `site-root` in the `online:` section of
    /// `.chatlint.yaml`). Without `--online` the rule does nothing and
    /// chatlint makes no request at all.
    ///
    /// An image is broken when it answers a status not accepted, such as a
    /// 4xx or 5xx (after retries for 429,
    /// 5xx and timeouts, honouring `Retry-After`), when its host does not
    /// resolve, refuses the connection, fails the TLS handshake or does not
    /// answer in time, or when its redirects loop or exceed 10. An image on a
    /// private, loopback, link-local or other non-public address (judged
    /// after DNS resolution, at each redirect) is not requested and is
    /// reported as refused, unless `online.allow-private: true`. An image whose
    /// redirects are permanent (301, 308) and end in a 2xx is reported with
    /// the final URL.
    ///
    /// An image whose finding a suppression comment would hide
    /// (`<!-- chatlint-disable-next-line unreachable-image -->`) is not
    /// requested at all, nor are the images of a file the rule is off for,
    /// nor URLs that `online.exclude` matches.
    ///
    /// Each distinct URL is requested once per run, by a pool of threads
    /// within a global and a per-host limit; results are cached for a day
    /// (`.chatlint-cache/`), except transient failures (429, 5xx, timeouts,
    /// refused or reset connections), which are checked again next time.
    ///
    /// ## Why is this bad?
    /// Most broken images in an archive are well-formed URLs that stopped
    /// working when hosts and folders moved: readers see a broken picture,
    /// and no syntax check can tell.
    ///
    /// ## Example
    /// ```markdown
    /// ![2017-08-25 11:51:30](http://static.cocolian.cn/img/20170825_115130.png)
    /// ```
    /// gives, when the host answers 404:
    /// `Image URL answers 404 Not Found`; and when it answers
    /// `301 Moved Permanently` to
    /// `https://static.cocolian.org/img/201708/20170825_115130.png`:
    ///
    /// ```markdown
    /// ![2017-08-25 11:51:30](https://static.cocolian.org/img/201708/20170825_115130.png)
    /// ```
    ///
    /// ## Fix safety
    /// Safe for a permanent redirect: the server itself says where the image
    /// now lives, and that address answered. No fix for a broken image: where
    /// it went is for a person to find (`image-url-pattern` moves a whole
    /// archive at once).
    pub struct UnreachableImage {
        code: "CL204",
        name: "unreachable-image",
        severity: Error,
        fix: Sometimes,
    }
}

impl Rule for UnreachableImage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn needs_online(&self) -> bool {
        true
    }

    /// Reports from the verdicts of the online pass ([`crate::online::check`]),
    /// which `check --online` puts in the context; without them, nothing.
    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
        let Some(verdicts) = context.online else {
            return;
        };
        for image in context.transcript.images() {
            let span = Self::finding_span(image);
            let destination = &context.text[span.clone()];
            let diagnostic = match verdicts.get(destination) {
                // Not requested, as a suppression comment covers it: a
                // stand-in finding, which that comment hides, keeps the
                // comment in use (not reported by `unused-suppression`,
                // and so not removed by `--fix`).
                None if verdicts.is_withheld(destination) => not_requested(span),
                None | Some(Verdict::Ok) => continue,
                Some(Verdict::Moved { to, status }) => {
                    Diagnostic::new(&Self::META, span.clone(), "Image URL has moved permanently")
                        .with_label(format!("{status}: now at {to}"))
                        .with_help(format!("Link the image where it now lives: `{to}`"))
                        .with_fix(Some(Fix::safe(
                            format!("Replace the URL with `{to}`"),
                            vec![Edit::replace(span, to.clone())],
                        )))
                }
                Some(Verdict::Broken(failure)) => broken(span, failure),
            };
            diagnostics.push(diagnostic);
        }
    }
}

impl UnreachableImage {
    /// Where an image's finding goes (and so which suppression comment
    /// covers it).
    pub(crate) fn finding_span(image: &Image) -> Span {
        image.destination_span.clone()
    }
}

/// The finding of an image whose URL was not requested, as a suppression
/// comment covers it: that comment hides it.
fn not_requested(span: Span) -> Diagnostic {
    Diagnostic::new(
        &UnreachableImage::META,
        span,
        "Image URL not requested: a suppression comment covers it",
    )
    .with_label("suppressed")
}

fn broken(span: Span, failure: &Failure) -> Diagnostic {
    let (message, label, help) = match failure {
        Failure::Missing(_) => (
            format!("Image {failure}"),
            "does not load",
            "Add the file to the site, or point the image where it is",
        ),
        Failure::Refused { .. } => (
            format!("Image URL {failure}"),
            "not requested",
            "Readers elsewhere cannot load it either. To check images on a private \
             network, set `online.allow-private: true` (or pass `--allow-private`)",
        ),
        _ if failure.is_transient() => (
            format!("Image URL {failure}"),
            "does not load",
            "This may pass later: transient failures are checked again on each run",
        ),
        _ => (
            format!("Image URL {failure}"),
            "does not load",
            "Find where the image went (a moved host or folder?) and link it there",
        ),
    };
    Diagnostic::new(&UnreachableImage::META, span, message)
        .with_label(label)
        .with_help(help)
}
