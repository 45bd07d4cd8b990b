//! One attempt at one URL: a HEAD request (a ranged GET where HEAD is
//! refused), following redirects one hop at a time so that each is seen.

use std::net::IpAddr;
use std::time::{Duration, SystemTime};

use ureq::tls::TlsConfig;
use ureq::unversioned::resolver::DefaultResolver;
use ureq::unversioned::transport::DefaultConnector;
use ureq::Agent;
use url::Url;

use super::address::{refusal, GuardedResolver, Refusal};
use super::options::{AcceptedStatuses, OnlineSettings};
use super::roots::Roots;
use super::verdict::{Failure, Verdict};
use super::MAX_REDIRECTS;

const USER_AGENT: &str = concat!(
    "chatlint/",
    env!("CARGO_PKG_VERSION"),
    " (image link checker)"
);

/// What one attempt gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Attempt {
    Done(Verdict),
    /// Worth another try: a 408, a 429, a 5xx or a timeout. `retry_after` is
    /// what the server asked for in `Retry-After`.
    Retry {
        failure: Failure,
        retry_after: Option<Duration>,
    },
}

/// A blocking HTTP client shared by the pool's threads.
#[derive(Debug)]
pub(crate) struct Probe {
    agent: Agent,
    accept: AcceptedStatuses,
    allow_private: bool,
}

/// What one response said.
struct Answer {
    status: u16,
    location: Option<String>,
    retry_after: Option<Duration>,
}

impl Answer {
    fn of<B>(response: &ureq::http::Response<B>) -> Self {
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
        };
        Self {
            status: response.status().as_u16(),
            location: header(ureq::http::header::LOCATION).map(str::to_string),
            retry_after: header(ureq::http::header::RETRY_AFTER)
                .and_then(|value| retry_after(value, SystemTime::now())),
        }
    }
}

impl Probe {
    pub(crate) fn new(settings: &OnlineSettings) -> Self {
        let config = Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .http_status_as_error(false)
            // Redirects are followed here, hop by hop.
            .max_redirects(0)
            .max_idle_connections(settings.concurrency)
            .max_idle_connections_per_host(settings.per_host_concurrency)
            .user_agent(USER_AGENT)
            .tls_config(
                TlsConfig::builder()
                    .root_certs(Roots::detect().root_certs())
                    .build(),
            )
            .build();
        // Each name is judged by what it resolves to, where ureq resolves it.
        let resolver = GuardedResolver {
            allow_private: settings.allow_private,
            hosts: settings.hosts.clone(),
            system: DefaultResolver::default(),
        };
        Self {
            agent: Agent::with_parts(config, DefaultConnector::default(), resolver),
            accept: settings.accept.clone(),
            allow_private: settings.allow_private,
        }
    }

    pub(crate) fn attempt(&self, url: &str) -> Attempt {
        let mut current = url.to_string();
        let mut visited = vec![current.clone()];
        // Where the leading run of permanent redirects leads, and the first
        // one's status: a temporary redirect ends the run.
        let mut moved: Option<(String, u16)> = None;
        let mut only_permanent = true;
        loop {
            let answer = match self.request(&current) {
                Ok(answer) => answer,
                // A hop after the first is named: that is where it failed.
                Err(error) => return classify(error, (current != url).then_some(&current)),
            };
            let status = answer.status;
            let broken = |failure| Attempt::Done(Verdict::Broken(failure));
            // A redirect is followed whatever `accept` says: it judges
            // where the chain ends.
            let next = match status {
                301 | 302 | 303 | 307 | 308 => answer
                    .location
                    .and_then(|location| Url::parse(&current).ok()?.join(&location).ok()),
                _ => None,
            };
            if let Some(next) = next.map(String::from) {
                if visited.contains(&next) {
                    return broken(Failure::RedirectLoop);
                }
                if visited.len() > MAX_REDIRECTS {
                    return broken(Failure::TooManyRedirects);
                }
                only_permanent &= matches!(status, 301 | 308);
                if only_permanent {
                    let first = moved.map_or(status, |(_, first)| first);
                    moved = Some((next.clone(), first));
                }
                visited.push(next.clone());
                current = next;
                continue;
            }
            if self.accept.contains(status) {
                return Attempt::Done(match moved {
                    Some((to, status)) => Verdict::Moved { to, status },
                    None => Verdict::Ok,
                });
            }
            return match status {
                408 | 429 | 500..=599 => Attempt::Retry {
                    failure: Failure::Status(status),
                    retry_after: answer.retry_after,
                },
                _ => broken(Failure::Status(status)),
            };
        }
    }

    fn request(&self, url: &str) -> Result<Answer, ureq::Error> {
        if has_invalid_name(url) {
            return Err(ureq::Error::HostNotFound);
        }
        // Judged here as well as by the resolver: through a proxy, ureq
        // resolves no target name, and a literal address goes to the proxy
        // as it is.
        let literal = Url::parse(url).ok().and_then(|url| match url.host()? {
            url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
            url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
            url::Host::Domain(_) => None,
        });
        if let Some(refusal) = refusal(literal, self.allow_private) {
            return Err(ureq::Error::Other(Box::new(refusal)));
        }
        let head = self.agent.head(url).call()?;
        if !matches!(head.status().as_u16(), 405 | 501) {
            return Ok(Answer::of(&head));
        }
        // HEAD refused: ask for the first byte only, and never read the body.
        let get = self.agent.get(url).header("Range", "bytes=0-0").call()?;
        Ok(Answer::of(&get))
    }
}

/// A name under `.invalid` never resolves (RFC 6761, 6.4): it is answered
/// here, without asking a DNS server.
fn has_invalid_name(url: &str) -> bool {
    Url::parse(url)
        .ok()
        .and_then(|url| url.host_str().map(str::to_ascii_lowercase))
        .is_some_and(|host| {
            let host = host.trim_end_matches('.');
            host == "invalid" || host.ends_with(".invalid")
        })
}

/// What a request's error means; `redirect` is the URL it was for when
/// that was a redirect's, not the image's own.
fn classify(error: ureq::Error, redirect: Option<&str>) -> Attempt {
    let done = |failure| Attempt::Done(Verdict::Broken(failure));
    let timeout = Attempt::Retry {
        failure: Failure::Timeout,
        retry_after: None,
    };
    match error {
        ureq::Error::Timeout(_) => timeout,
        ureq::Error::HostNotFound => done(Failure::HostNotFound),
        ureq::Error::Other(other) if other.is::<Refusal>() => {
            let Refusal(address) = *other.downcast::<Refusal>().expect("checked above");
            done(Failure::Refused {
                address,
                redirect: redirect.map(str::to_string),
            })
        }
        ureq::Error::Io(error) => {
            // rustls reports a failed handshake through the stream, as I/O.
            let tls = error
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>());
            match (tls, error.kind()) {
                (Some(tls), _) => done(Failure::Tls(tls.to_string())),
                (None, std::io::ErrorKind::TimedOut) => timeout,
                (None, std::io::ErrorKind::ConnectionRefused) => done(Failure::ConnectionRefused),
                (None, _) => done(Failure::Network(error.to_string())),
            }
        }
        ureq::Error::Tls(reason) => done(Failure::Tls(reason.to_string())),
        ureq::Error::Rustls(error) => done(Failure::Tls(error.to_string())),
        other => done(Failure::Network(other.to_string())),
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(retry_after(" 3 ", now), Some(Duration::from_secs(3)));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn invalid_names_are_recognised() {
        assert!(has_invalid_name("http://img.example.invalid/a.png"));
        assert!(has_invalid_name("https://INVALID./a.png"));
        assert!(!has_invalid_name("http://invalid.example.org/a.png"));
        assert!(!has_invalid_name("http://127.0.0.1:8080/a.png"));
    }
}
