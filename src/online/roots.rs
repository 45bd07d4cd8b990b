//! Which certificate authorities an HTTPS image's server is verified
//! against.
//!
//! The platform's store, as browsers and curl do: behind a TLS-inspecting
//! proxy (common in companies and some CI networks) the proxy's authority
//! is installed there, and bundled roots alone would fail every HTTPS
//! image. Where the platform has no store (a minimal container without
//! `ca-certificates`), the roots bundled with chatlint (Mozilla's, from
//! `webpki-roots`) stand in.

use std::sync::Arc;

use ureq::tls::RootCerts;

/// Where the trusted authorities come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Roots {
    /// The platform's verifier and store (on Linux, the files that
    /// `SSL_CERT_FILE`, `SSL_CERT_DIR` or the distribution's defaults name;
    /// on macOS and Windows, the system's).
    Platform,
    /// Those bundled with chatlint.
    Bundled,
}

impl Roots {
    /// The platform's, if its verifier can be made here (on Linux: if its
    /// store holds at least one authority), else the bundled ones.
    pub(crate) fn detect() -> Self {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        Self::choose(rustls_platform_verifier::Verifier::new(provider).map(drop))
    }

    /// The choice, given whether the platform's verifier could be made.
    fn choose(platform: Result<(), rustls::Error>) -> Self {
        match platform {
            Ok(()) => Roots::Platform,
            Err(_) => Roots::Bundled,
        }
    }

    pub(crate) fn root_certs(self) -> RootCerts {
        match self {
            Roots::Platform => RootCerts::PlatformVerifier,
            Roots::Bundled => RootCerts::WebPki,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_platform_store_first_and_the_bundled_roots_without_one() {
        assert_eq!(Roots::choose(Ok(())), Roots::Platform);
        let none = rustls::Error::General("No CA certificates were loaded from the system".into());
        assert_eq!(Roots::choose(Err(none)), Roots::Bundled);
        assert!(matches!(
            Roots::Platform.root_certs(),
            RootCerts::PlatformVerifier
        ));
        assert!(matches!(Roots::Bundled.root_certs(), RootCerts::WebPki));
    }
}
