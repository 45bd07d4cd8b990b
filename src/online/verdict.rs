//! What checking one image found.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The answer for one image URL (or local file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// A 2xx answer, possibly after temporary redirects; for a local image,
    /// the file exists.
    Ok,
    /// Permanent redirects (301, 308) lead to `to`, and the chain ends in a
    /// 2xx: the image should be linked there.
    Moved {
        to: String,
        status: u16,
    },
    Broken(Failure),
}

impl Verdict {
    /// Whether the next run may well get another answer: such a verdict is
    /// never cached.
    pub fn is_transient(&self) -> bool {
        matches!(self, Verdict::Broken(failure) if failure.is_transient())
    }

    /// Whether the cache keeps it: not a transient failure, nor a refusal
    /// (what a name resolves to changes, and a refused URL was not asked).
    pub fn lasts(&self) -> bool {
        !self.is_transient() && !matches!(self, Verdict::Broken(Failure::Refused { .. }))
    }
}

/// Why an image does not load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Failure {
    /// A 4xx or 5xx (after retries), or a 3xx without a `Location`.
    Status(u16),
    /// The redirects come back to a URL already visited.
    RedirectLoop,
    /// More redirects than [`super::MAX_REDIRECTS`].
    TooManyRedirects,
    /// The host name does not resolve.
    HostNotFound,
    /// Nothing listens at the host's port.
    ConnectionRefused,
    /// No answer within the timeout (after retries).
    Timeout,
    /// The TLS handshake failed (certificate, protocol).
    Tls(String),
    /// Another network error: a connection reset, a malformed answer.
    Network(String),
    /// A relative image whose file is not under the site root.
    Missing(PathBuf),
    /// Not requested: the host is, or resolves to, a private, loopback,
    /// link-local or otherwise non-public address, and `allow-private` is
    /// off. `redirect` is the hop that led there, when it is not the
    /// image's own URL.
    Refused {
        address: IpAddr,
        redirect: Option<String>,
    },
}

impl Failure {
    /// Rate limits, server errors and the network's moods pass; a 404, a
    /// name that does not resolve or a bad certificate do not.
    pub fn is_transient(&self) -> bool {
        match self {
            Failure::Status(code) => matches!(code, 408 | 429) || *code >= 500,
            Failure::ConnectionRefused | Failure::Timeout | Failure::Network(_) => true,
            Failure::RedirectLoop
            | Failure::TooManyRedirects
            | Failure::HostNotFound
            | Failure::Tls(_)
            | Failure::Missing(_)
            | Failure::Refused { .. } => false,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Status(code) => {
                let reason = ureq::http::StatusCode::from_u16(*code)
                    .ok()
                    .and_then(|status| status.canonical_reason());
                match reason {
                    _ if (300..400).contains(code) => {
                        write!(f, "answers {code} with no `Location` to follow")
                    }
                    Some(reason) => write!(f, "answers {code} {reason}"),
                    None => write!(f, "answers {code}"),
                }
            }
            Failure::RedirectLoop => f.write_str("redirects in a loop"),
            Failure::TooManyRedirects => {
                write!(f, "redirects more than {} times", super::MAX_REDIRECTS)
            }
            Failure::HostNotFound => f.write_str("has a host name that does not resolve"),
            Failure::ConnectionRefused => f.write_str("refuses the connection"),
            Failure::Timeout => f.write_str("does not answer in time"),
            Failure::Tls(reason) => write!(f, "fails its TLS handshake ({reason})"),
            Failure::Network(reason) => write!(f, "fails ({reason})"),
            Failure::Missing(path) => write!(f, "names a missing file, {}", path.display()),
            Failure::Refused { address, redirect } => {
                let refusal = super::address::Refusal(*address);
                match redirect {
                    None => write!(f, "refused: {refusal}"),
                    Some(url) => write!(f, "refused: redirects to {url}, which {refusal}"),
                }
            }
        }
    }
}
