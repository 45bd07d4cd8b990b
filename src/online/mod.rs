//! Online checks (`chatlint check --online`): whether each image URL still
//! answers, and whether each relative image exists under the site root.
//!
//! Nothing here runs unless asked: without `--online` chatlint makes no
//! request at all. With it, [`check`] takes the transcripts whose settings
//! enable `unreachable-image`, collects the distinct [`Target`]s of their
//! images (but not of those whose finding a suppression comment would hide:
//! the same [`crate::suppression`] decides, nor URLs that `exclude`
//! matches), answers what it can from the cache (see
//! [`OnlineSettings::cache`]), and requests the rest once each on a bounded
//! pool of threads, with a global and a per-host limit, retries and backoff:
//! never at a private, loopback or link-local address unless allowed
//! (`address`), verifying HTTPS against the platform's certificate store
//! (`roots`). The [`Verdicts`] then go to the rule in its context
//! ([`crate::Surroundings`], passed to [`crate::check_in`] and
//! [`crate::fix_in`]), and it reports from them like any rule: selectable,
//! suppressible, with its fixes applied by the one fix engine.

mod accept;
mod address;
mod cache;
mod exclude;
mod options;
mod pool;
mod probe;
mod roots;
mod verdict;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use url::Url;

pub use address::non_public;
pub use options::{
    AcceptedStatuses, CacheSettings, OnlineConfig, OnlineSettings, Seconds, UrlPattern,
    DEFAULT_CACHE_DIR, DEFAULT_CACHE_MAX_AGE, DEFAULT_CONCURRENCY, DEFAULT_PER_HOST_CONCURRENCY,
    DEFAULT_RETRIES, DEFAULT_RETRY_BACKOFF, DEFAULT_TIMEOUT,
};
pub use verdict::{Failure, Verdict};

use crate::error::Error;

/// Redirects followed before an image counts as broken.
pub const MAX_REDIRECTS: usize = 10;

/// What an image points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// An `http` or `https` URL, without its fragment.
    Remote(String),
    /// A file under the site root.
    Local(PathBuf),
}

impl Target {
    /// The target of an image destination as written. `None` for what is
    /// not checked: other schemes (`data:`, `ftp:`), scheme-relative URLs,
    /// URLs that do not parse (`broken-image-url` reports those), and
    /// relative ones when there is no site root.
    pub fn of(destination: &str, site_root: Option<&Path>) -> Option<Self> {
        let destination = destination.trim();
        // `//host/path` takes the page's scheme; a site is served over
        // HTTPS, so that is what is asked.
        if let Some(rest) = destination.strip_prefix("//") {
            return match Url::parse(&format!("https://{rest}")) {
                Ok(mut url) if url.has_host() && !rest.starts_with('/') => {
                    url.set_fragment(None);
                    Some(Target::Remote(url.into()))
                }
                _ => None,
            };
        }
        match Url::parse(destination) {
            Ok(mut url) if is_written_as_web_url(destination) && url.has_host() => {
                url.set_fragment(None);
                Some(Target::Remote(url.into()))
            }
            Err(url::ParseError::RelativeUrlWithoutBase) if !destination.starts_with("//") => {
                local_path(site_root?, destination).map(Target::Local)
            }
            _ => None,
        }
    }
}

/// `http://` or `https://`, exactly (a look-alike such as `http:/host`
/// parses, but `broken-image-url` reports it instead).
fn is_written_as_web_url(destination: &str) -> bool {
    ["http://", "https://"].iter().any(|scheme| {
        destination
            .get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    })
}

/// Where a web server serving `root` finds a relative URL: taken from the
/// site's root (as Jekyll's posts mean them), `..` unable to climb out of
/// it, the query and fragment dropped, `%20` decoded.
fn local_path(root: &Path, destination: &str) -> Option<PathBuf> {
    let on_site = Url::parse("http://site.invalid/")
        .ok()?
        .join(destination)
        .ok()?;
    // A file URL under the root decodes the path the way a server would.
    let absolute_root = std::path::absolute(root).ok()?;
    let file = Url::from_directory_path(&absolute_root)
        .ok()?
        .join(&format!("./{}", on_site.path().trim_start_matches('/')))
        .ok()?
        .to_file_path()
        .ok()?;
    Some(root.join(file.strip_prefix(&absolute_root).ok()?))
}

/// The verdict on every target of one online run.
#[derive(Debug, Default)]
pub struct Verdicts {
    site_root: Option<PathBuf>,
    by_target: HashMap<Target, Verdict>,
    /// Targets not requested: a suppression comment covers every image of them.
    withheld: HashSet<Target>,
}

impl Verdicts {
    /// The verdict on an image destination as written, if it was checked.
    pub fn get(&self, destination: &str) -> Option<&Verdict> {
        self.by_target
            .get(&Target::of(destination, self.site_root.as_deref())?)
    }

    /// Whether an image destination was not requested because a
    /// suppression comment covers every image of it.
    pub fn is_withheld(&self, destination: &str) -> bool {
        Target::of(destination, self.site_root.as_deref())
            .is_some_and(|target| self.withheld.contains(&target))
    }

    /// Every target and its verdict, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&Target, &Verdict)> {
        self.by_target.iter()
    }
}

/// An image to check: its destination as written, and whether a
/// suppression comment covers its finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageUse<'a> {
    pub destination: &'a str,
    pub suppressed: bool,
}

/// Checks `images`, each distinct target once, leaving out those that a
/// suppression comment covers wherever they are used (they are withheld)
/// and those `exclude` matches. Local files are looked up; URLs are taken
/// from the cache while fresh, else requested, and what lasts is cached.
/// Failing to write the cache is the error returned beside the verdicts.
pub fn check<'a>(
    images: impl IntoIterator<Item = ImageUse<'a>>,
    settings: &OnlineSettings,
) -> (Verdicts, Option<Error>) {
    let site_root = settings.site_root.as_deref();
    let mut targets = BTreeSet::new();
    let mut requested = BTreeSet::new();
    for image in images {
        if let Some(target) = Target::of(image.destination, site_root) {
            if !image.suppressed {
                requested.insert(target.clone());
            }
            targets.insert(target);
        }
    }
    let withheld = targets.difference(&requested).cloned().collect();

    let mut cache = settings
        .cache
        .as_ref()
        .map(|cache| cache::Cache::open(cache, &settings.judgement(), SystemTime::now()));
    let mut by_target = HashMap::new();
    let mut requests = Vec::new();
    for target in requested {
        match target {
            Target::Local(path) => {
                let verdict = if path.is_file() {
                    Verdict::Ok
                } else {
                    Verdict::Broken(Failure::Missing(path.clone()))
                };
                by_target.insert(Target::Local(path), verdict);
            }
            // Neither requested nor reported: no verdict.
            Target::Remote(url) if exclude::excludes(&settings.exclude, &url) => {}
            Target::Remote(url) => match cache.as_ref().and_then(|cache| cache.get(&url)) {
                Some(verdict) => {
                    by_target.insert(Target::Remote(url), verdict.clone());
                }
                None => requests.push(url),
            },
        }
    }

    let limits = pool::Limits {
        concurrency: settings.concurrency,
        per_host: settings.per_host_concurrency,
        retries: settings.retries,
        backoff: settings.retry_backoff,
    };
    let probe = probe::Probe::new(settings);
    let answers = pool::run(&requests, limits, |url| probe.attempt(url));
    let requested_any = !requests.is_empty();
    for (url, verdict) in requests.into_iter().zip(answers) {
        if let Some(cache) = &mut cache {
            cache.record(&url, &verdict);
        }
        by_target.insert(Target::Remote(url), verdict);
    }
    let cache_error = cache
        .filter(|_| requested_any)
        .and_then(|cache| cache.save().err());
    let verdicts = Verdicts {
        site_root: settings.site_root.clone(),
        by_target,
        withheld,
    };
    (verdicts, cache_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let root = Path::new("/site");
        let remote = |s: &str| Some(Target::Remote(s.to_string()));
        let local = |s: &str| Some(Target::Local(PathBuf::from(s)));
        assert_eq!(
            Target::of(" http://a.cn/img/x.png#top ", None),
            remote("http://a.cn/img/x.png")
        );
        assert_eq!(Target::of("HTTPS://a.cn", None), remote("https://a.cn/"));
        assert_eq!(Target::of("http:/a.cn/x.png", None), None);
        assert_eq!(Target::of("ftp://a.cn/x.png", None), None);
        assert_eq!(Target::of("data:image/png;base64,AAAA", None), None);
        assert_eq!(
            Target::of("//a.cn/x.png#top", Some(root)),
            remote("https://a.cn/x.png")
        );
        assert_eq!(Target::of("///x.png", Some(root)), None);
        assert_eq!(Target::of("img/x.png", None), None);
        assert_eq!(
            Target::of("img/a%20b.png?v=2#x", Some(root)),
            local("/site/img/a b.png")
        );
        assert_eq!(
            Target::of("/img/x.png", Some(root)),
            local("/site/img/x.png")
        );
        assert_eq!(
            Target::of("../../etc/passwd", Some(root)),
            local("/site/etc/passwd")
        );
        assert_eq!(Target::of("a:b.png", Some(root)), None);
        assert_eq!(
            Target::of("img/x.png", Some(Path::new("_site"))),
            local("_site/img/x.png")
        );
    }

    #[test]
    fn local_images_are_looked_up_under_the_site_root() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir(site.path().join("img")).unwrap();
        std::fs::write(site.path().join("img/here.png"), "png").unwrap();
        let text = "> 07:50:02  右军  \n   \n![a](/img/here.png)  \n![b](img/gone.png)  \n![c](http://x.invalid/c.png)  \n";
        let settings = OnlineSettings {
            site_root: Some(site.path().to_path_buf()),
            cache: None,
            ..OnlineSettings::default()
        };
        let images = crate::parser::parse(text)
            .images()
            .map(|image| ImageUse {
                destination: &text[image.destination_span.clone()],
                suppressed: false,
            })
            .collect::<Vec<_>>();
        let (verdicts, error) = check(images, &settings);
        assert!(error.is_none());
        assert_eq!(verdicts.get("/img/here.png"), Some(&Verdict::Ok));
        assert_eq!(
            verdicts.get("img/gone.png"),
            Some(&Verdict::Broken(Failure::Missing(
                site.path().join("img/gone.png")
            )))
        );
        // A name under .invalid is answered without any DNS query.
        assert_eq!(
            verdicts.get("http://x.invalid/c.png"),
            Some(&Verdict::Broken(Failure::HostNotFound))
        );
        assert_eq!(verdicts.iter().count(), 3);
    }

    #[test]
    fn suppressed_and_excluded_targets_are_not_requested() {
        let image = |destination, suppressed| ImageUse {
            destination,
            suppressed,
        };
        // Names under .invalid are answered without a DNS query.
        let images = [
            image("http://a.invalid/x.png", true),
            image("http://b.invalid/x.png", true),
            image("http://b.invalid/x.png#again", false),
            image("http://c.invalid/skip/x.png", false),
        ];
        let settings = OnlineSettings {
            cache: None,
            exclude: vec!["/skip/".parse().unwrap()],
            ..OnlineSettings::default()
        };
        let (verdicts, _) = check(images, &settings);
        assert_eq!(verdicts.get("http://a.invalid/x.png"), None);
        assert!(verdicts.is_withheld("http://a.invalid/x.png"));
        // Also used where no comment covers it: requested.
        assert_eq!(
            verdicts.get("http://b.invalid/x.png"),
            Some(&Verdict::Broken(Failure::HostNotFound))
        );
        assert!(!verdicts.is_withheld("http://b.invalid/x.png"));
        assert_eq!(verdicts.get("http://c.invalid/skip/x.png"), None);
        assert!(!verdicts.is_withheld("http://c.invalid/skip/x.png"));
        assert_eq!(verdicts.iter().count(), 1);
    }
}
