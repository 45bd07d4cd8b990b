//! The online checks' knobs: the `online:` section of `.chatlint.yaml` and the
//! same options on the command line, which wins.

use std::net::IpAddr;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use serde::Deserialize;

pub use super::accept::AcceptedStatuses;
pub use super::exclude::UrlPattern;

pub const DEFAULT_CONCURRENCY: usize = 16;
pub const DEFAULT_PER_HOST_CONCURRENCY: usize = 4;
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_RETRIES: u32 = 2;
pub const DEFAULT_RETRY_BACKOFF: Duration = Duration::from_secs(1);
pub const DEFAULT_CACHE_DIR: &str = ".chatlint-cache";
pub const DEFAULT_CACHE_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// The `online:` section of `.chatlint.yaml`; the command line takes the same
/// options (with `--online`). Each is optional: what is not set anywhere takes
/// its default. Paths in a file are relative to its folder.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[cfg_attr(
    feature = "cli",
    group(id = "online-options", multiple = true, requires = "online"),
    command(next_help_heading = "Online checks (with --online)")
)]
pub struct OnlineConfig {
    /// Requests in flight at once, over all hosts [default: 16].
    #[cfg_attr(feature = "cli", arg(long, value_name = "N"))]
    pub concurrency: Option<NonZeroUsize>,
    /// Requests in flight at once to one host (host and port) [default: 4].
    #[cfg_attr(feature = "cli", arg(long, value_name = "N"))]
    pub per_host_concurrency: Option<NonZeroUsize>,
    /// Seconds one request may take (each redirect is a request) [default: 10].
    #[cfg_attr(feature = "cli", arg(long, value_name = "SECONDS"))]
    pub timeout: Option<Seconds>,
    /// Retries after a 429, a 5xx or a timeout [default: 2].
    #[cfg_attr(feature = "cli", arg(long, value_name = "N"))]
    pub retries: Option<u32>,
    /// Seconds before the first retry, doubling for each next one; a
    /// `Retry-After` from the server wins [default: 1].
    #[cfg_attr(feature = "cli", arg(long, value_name = "SECONDS"))]
    pub retry_backoff: Option<Seconds>,
    /// Where results are kept between runs [default: .chatlint-cache].
    #[cfg_attr(feature = "cli", arg(long, value_name = "DIR"))]
    pub cache_dir: Option<PathBuf>,
    /// Seconds a cached result is trusted [default: 86400, a day].
    #[cfg_attr(feature = "cli", arg(long, value_name = "SECONDS"))]
    pub cache_max_age: Option<u64>,
    /// The Jekyll site's folder: relative image URLs are looked up in it
    /// (without it they are not checked).
    #[cfg_attr(feature = "cli", arg(long, value_name = "DIR"))]
    pub site_root: Option<PathBuf>,
    /// Image URLs never requested nor reported: regular expressions, each
    /// searched for anywhere in the URL (as lychee's `--exclude`). Repeat
    /// the flag for more; the command line's replace the configuration's.
    #[cfg_attr(feature = "cli", arg(long = "exclude-url", value_name = "REGEX"))]
    pub exclude: Option<Vec<UrlPattern>>,
    /// HTTP statuses that count as reachable, codes and ranges:
    /// `200..=299,403` (`A..B` leaves B out) [default: 200..=299].
    #[cfg_attr(feature = "cli", arg(long, value_name = "CODES"))]
    pub accept: Option<AcceptedStatuses>,
    /// Request private, loopback, link-local and other non-public
    /// addresses too (refused by default, after DNS and at each redirect);
    /// `--allow-private=false` overrides the configuration [default: false].
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            value_name = "BOOL",
            num_args = 0..=1,
            require_equals = true,
            default_missing_value = "true"
        )
    )]
    pub allow_private: Option<bool>,
}

impl OnlineConfig {
    /// These options where they are set, else `base`'s.
    fn over(self, base: Self) -> Self {
        Self {
            concurrency: self.concurrency.or(base.concurrency),
            per_host_concurrency: self.per_host_concurrency.or(base.per_host_concurrency),
            timeout: self.timeout.or(base.timeout),
            retries: self.retries.or(base.retries),
            retry_backoff: self.retry_backoff.or(base.retry_backoff),
            cache_dir: self.cache_dir.or(base.cache_dir),
            cache_max_age: self.cache_max_age.or(base.cache_max_age),
            site_root: self.site_root.or(base.site_root),
            exclude: self.exclude.or(base.exclude),
            accept: self.accept.or(base.accept),
            allow_private: self.allow_private.or(base.allow_private),
        }
    }

    /// Relative paths taken as relative to `dir`.
    fn rooted_at(mut self, dir: &Path) -> Self {
        self.cache_dir = self.cache_dir.map(|p| dir.join(p));
        self.site_root = self.site_root.map(|p| dir.join(p));
        self
    }
}

/// A positive, finite number of seconds: `10`, `0.5`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(try_from = "f64")]
pub struct Seconds(pub Duration);

impl TryFrom<f64> for Seconds {
    type Error = String;

    fn try_from(seconds: f64) -> Result<Self, String> {
        match Duration::try_from_secs_f64(seconds) {
            Ok(duration) if !duration.is_zero() => Ok(Self(duration)),
            _ => Err(format!("`{seconds}` is not a positive number of seconds")),
        }
    }
}

impl FromStr for Seconds {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let seconds: f64 = text
            .parse()
            .map_err(|_| format!("`{text}` is not a number of seconds"))?;
        seconds.try_into()
    }
}

/// Where the cache lives and how long its results hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheSettings {
    pub dir: PathBuf,
    pub max_age: Duration,
}

/// The options of one online run, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineSettings {
    pub concurrency: usize,
    pub per_host_concurrency: usize,
    pub timeout: Duration,
    pub retries: u32,
    pub retry_backoff: Duration,
    /// `None` with `--no-cache`: nothing is read or written.
    pub cache: Option<CacheSettings>,
    pub site_root: Option<PathBuf>,
    /// URLs never requested (`exclude`).
    pub exclude: Vec<UrlPattern>,
    pub accept: AcceptedStatuses,
    /// Whether non-public addresses may be requested ([`super::non_public`]).
    pub allow_private: bool,
    /// Names answered from here rather than by DNS, as `curl --resolve`
    /// does (where chatlint resolves names: not through a proxy), and
    /// allowed whatever their address: whoever runs the check chose them.
    /// For tests and programs that embed chatlint; not in the
    /// configuration, which a pull request can change.
    pub hosts: Vec<(String, IpAddr)>,
}

impl Default for OnlineSettings {
    fn default() -> Self {
        Self::from_config(OnlineConfig::default(), true)
    }
}

impl OnlineSettings {
    /// The `online:` sections of the configuration files, each with the
    /// folder its file is in (outermost first, the nearest winning), then
    /// the command line's options.
    pub fn resolve<'a>(
        sections: impl IntoIterator<Item = (&'a OnlineConfig, &'a Path)>,
        command_line: &OnlineConfig,
        use_cache: bool,
    ) -> Self {
        let from_files = sections
            .into_iter()
            .fold(OnlineConfig::default(), |base, (section, dir)| {
                section.clone().rooted_at(dir).over(base)
            });
        Self::from_config(command_line.clone().over(from_files), use_cache)
    }

    /// The options that judge an answer, for the cache: a verdict found
    /// under others is not this run's. Empty for the defaults.
    pub(crate) fn judgement(&self) -> String {
        let mut judgement = Vec::new();
        if self.accept != AcceptedStatuses::default() {
            judgement.push(format!("accept={}", self.accept));
        }
        if self.allow_private {
            judgement.push("allow-private".to_string());
        }
        judgement.join(";")
    }

    fn from_config(config: OnlineConfig, use_cache: bool) -> Self {
        let seconds = |s: Option<Seconds>, default| s.map_or(default, |s| s.0);
        Self {
            concurrency: config
                .concurrency
                .map_or(DEFAULT_CONCURRENCY, NonZeroUsize::get),
            per_host_concurrency: config
                .per_host_concurrency
                .map_or(DEFAULT_PER_HOST_CONCURRENCY, NonZeroUsize::get),
            timeout: seconds(config.timeout, DEFAULT_TIMEOUT),
            retries: config.retries.unwrap_or(DEFAULT_RETRIES),
            retry_backoff: seconds(config.retry_backoff, DEFAULT_RETRY_BACKOFF),
            cache: use_cache.then(|| CacheSettings {
                dir: config
                    .cache_dir
                    .unwrap_or_else(|| PathBuf::from(DEFAULT_CACHE_DIR)),
                max_age: config
                    .cache_max_age
                    .map_or(DEFAULT_CACHE_MAX_AGE, Duration::from_secs),
            }),
            site_root: config.site_root,
            exclude: config.exclude.unwrap_or_default(),
            accept: config.accept.unwrap_or_default(),
            allow_private: config.allow_private.unwrap_or(false),
            hosts: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::LoadedConfig;
    use std::sync::Arc;

    #[test]
    fn seconds_must_be_positive_and_finite() {
        assert_eq!(
            "0.25".parse::<Seconds>(),
            Ok(Seconds(Duration::from_millis(250)))
        );
        assert!("0".parse::<Seconds>().is_err());
        assert!("-1".parse::<Seconds>().is_err());
        assert!("inf".parse::<Seconds>().is_err());
        assert!("soon".parse::<Seconds>().is_err());
    }

    fn online_sections(
        chain: &[Arc<LoadedConfig>],
    ) -> impl Iterator<Item = (&OnlineConfig, &Path)> {
        chain
            .iter()
            .map(|config| (&config.file.online, config.dir.as_path()))
    }

    #[test]
    fn nearer_configuration_and_then_the_command_line_win() {
        let outer = LoadedConfig::parse(
            Path::new("/site/.chatlint.yaml"),
            "online:\n  concurrency: 8\n  timeout: 2\n  site-root: _site\n",
        )
        .unwrap();
        let inner = LoadedConfig::parse(
            Path::new("/site/posts/.chatlint.yaml"),
            "online:\n  timeout: 0.5\n  cache-dir: /tmp/c\n",
        )
        .unwrap();
        let chain = [Arc::new(outer), Arc::new(inner)];
        let command_line = OnlineConfig {
            concurrency: NonZeroUsize::new(3),
            ..OnlineConfig::default()
        };
        let settings = OnlineSettings::resolve(online_sections(&chain), &command_line, true);
        assert_eq!(settings.concurrency, 3);
        assert_eq!(settings.timeout, Duration::from_millis(500));
        assert_eq!(settings.per_host_concurrency, DEFAULT_PER_HOST_CONCURRENCY);
        assert_eq!(settings.site_root, Some(PathBuf::from("/site/_site")));
        assert_eq!(settings.cache.unwrap().dir, PathBuf::from("/tmp/c"));
        assert_eq!(
            OnlineSettings::resolve(online_sections(&chain), &command_line, false).cache,
            None
        );
    }
}
