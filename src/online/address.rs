//! Which addresses an image URL may make chatlint connect to.
//!
//! A transcript (or a pull request that edits one) chooses the URLs that
//! `check --online` requests: without `allow-private`, none may reach into
//! the network chatlint runs in (a cloud's metadata service at
//! 169.254.169.254, a router's page, a service on the CI machine's
//! loopback). Every name is judged by the addresses it resolves to, at
//! each hop of a redirect: [`GuardedResolver`] sits where ureq resolves
//! names, so that the address judged is the one connected to.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// What kind of address `ip` is, when it is not a public one ("a loopback
/// address"); `None` for an address on the internet.
pub fn non_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(ip) => non_public_v4(ip),
        IpAddr::V6(ip) => non_public_v6(ip),
    }
}

fn non_public_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        _ if ip.is_unspecified() => "the unspecified address",
        _ if ip.is_broadcast() => "the broadcast address",
        (127, ..) => "a loopback address",
        (10, ..) | (172, 16..=31, _) | (192, 168, _) => "a private address",
        (169, 254, _) => "a link-local address",
        (100, 64..=127, _) => "a shared (carrier-grade NAT) address",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "a documentation address",
        (198, 18..=19, _) => "a benchmarking address",
        (224..=239, ..) => "a multicast address",
        // 0/8 ("this network"), 192.0.0/24 (protocol assignments), 240/4.
        (0, ..) | (192, 0, 0) | (240..=255, ..) => "a reserved address",
        _ => return None,
    })
}

fn non_public_v6(ip: Ipv6Addr) -> Option<&'static str> {
    // Forms that carry an IPv4 address reach it: judged as that address.
    if let Some(v4) = embedded_v4(ip) {
        return non_public_v4(v4);
    }
    let segments = ip.segments();
    Some(match segments {
        _ if ip.is_unspecified() => "the unspecified address",
        _ if ip.is_loopback() => "a loopback address",
        // fc00::/7 (unique local), fec0::/10 (the old site-local).
        [s, ..] if s & 0xfe00 == 0xfc00 || s & 0xffc0 == 0xfec0 => "a private address",
        [s, ..] if s & 0xffc0 == 0xfe80 => "a link-local address",
        [s, ..] if s & 0xff00 == 0xff00 => "a multicast address",
        [0x2001, 0x0db8, ..] | [0x3fff, 0x0000..=0x0fff, ..] => "a documentation address",
        // ::/96 (IPv4-compatible, deprecated), ::ffff:0:0/96 (SIIT),
        // 100::/64 (discard),
        // 64:ff9b:1::/48 (local NAT64), 2001::/23 (protocol assignments:
        // Teredo, benchmarking, ORCHID).
        [0, 0, 0, 0, 0, 0, ..]
        | [0, 0, 0, 0, 0xffff, 0, ..]
        | [0x0100, 0, 0, 0, ..]
        | [0x0064, 0xff9b, 0x0001, ..]
        | [0x2001, 0x0000..=0x01ff, ..] => "a reserved address",
        _ => return None,
    })
}

/// The IPv4 address that an IPv4-mapped (`::ffff:a.b.c.d`), NAT64
/// (`64:ff9b::a.b.c.d`) or 6to4 (`2002:AABB:CCDD::`) address reaches.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let from = |high: u16, low: u16| {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    match s {
        [0, 0, 0, 0, 0, 0xffff, high, low] | [0x0064, 0xff9b, 0, 0, 0, 0, high, low] => {
            Some(from(high, low))
        }
        [0x2002, high, low, ..] => Some(from(high, low)),
        _ => None,
    }
}

/// Why a URL was not requested: the address it resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Refusal(pub IpAddr);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = non_public(self.0).unwrap_or("a refused address");
        write!(f, "resolves to {kind} {}", self.0)
    }
}

impl std::error::Error for Refusal {}

/// The addresses a URL may not be requested at: its first non-public one,
/// unless they are allowed.
pub(crate) fn refusal(
    addresses: impl IntoIterator<Item = IpAddr>,
    allow_private: bool,
) -> Option<Refusal> {
    if allow_private {
        return None;
    }
    addresses
        .into_iter()
        .find(|&ip| non_public(ip).is_some())
        .map(Refusal)
}

/// ureq's name resolution, judged: a name (or literal address) that
/// resolves to any non-public address is refused before a connection is
/// made. Names in `hosts` are answered from there, as `curl --resolve`
/// does, and not judged: whoever runs the check chose them.
#[derive(Debug)]
pub(crate) struct GuardedResolver {
    pub allow_private: bool,
    pub hosts: Vec<(String, IpAddr)>,
    pub system: DefaultResolver,
}

impl GuardedResolver {
    /// The address `hosts` gives the URI's host, with the URI's port.
    fn pinned(&self, uri: &Uri) -> Option<SocketAddr> {
        let host = uri.host()?.trim_end_matches('.');
        let (_, ip) = self
            .hosts
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(host))?;
        let port = uri
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("https") {
                443
            } else {
                80
            });
        Some(SocketAddr::new(*ip, port))
    }
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        if let Some(address) = self.pinned(uri) {
            let mut addresses = self.empty();
            addresses.push(address);
            return Ok(addresses);
        }
        let addresses = self.system.resolve(uri, config, timeout)?;
        // The proxy is the network's own choice (the environment's
        // `HTTPS_PROXY`), often on a private address: it is not judged.
        let is_proxy = config.proxy().is_some_and(|proxy| proxy.uri() == uri);
        if is_proxy {
            return Ok(addresses);
        }
        match refusal(addresses.iter().map(SocketAddr::ip), self.allow_private) {
            Some(refusal) => Err(ureq::Error::Other(Box::new(refusal))),
            None => Ok(addresses),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(address: &str) -> Option<&'static str> {
        non_public(address.parse().unwrap())
    }

    #[test]
    fn every_non_public_range_is_recognised() {
        let cases = [
            ("0.0.0.0", "the unspecified address"),
            ("0.1.2.3", "a reserved address"),
            ("10.0.0.1", "a private address"),
            ("100.64.0.1", "a shared (carrier-grade NAT) address"),
            ("100.127.255.254", "a shared (carrier-grade NAT) address"),
            ("127.0.0.1", "a loopback address"),
            ("127.255.0.9", "a loopback address"),
            ("169.254.169.254", "a link-local address"),
            ("172.16.0.1", "a private address"),
            ("172.31.255.255", "a private address"),
            ("192.0.0.8", "a reserved address"),
            ("192.0.2.1", "a documentation address"),
            ("192.168.1.1", "a private address"),
            ("198.18.0.1", "a benchmarking address"),
            ("198.51.100.7", "a documentation address"),
            ("203.0.113.9", "a documentation address"),
            ("224.0.0.1", "a multicast address"),
            ("240.0.0.1", "a reserved address"),
            ("255.255.255.255", "the broadcast address"),
            ("::", "the unspecified address"),
            ("::1", "a loopback address"),
            ("::ffff:127.0.0.1", "a loopback address"),
            ("::ffff:a9fe:a9fe", "a link-local address"),
            ("::ffff:0.0.0.0", "the unspecified address"),
            ("64:ff9b::10.1.2.3", "a private address"),
            ("2002:c0a8:0101::1", "a private address"),
            ("::127.0.0.1", "a reserved address"),
            ("::ffff:0:8.8.8.8", "a reserved address"),
            ("100::1", "a reserved address"),
            ("64:ff9b:1::1", "a reserved address"),
            ("2001::1", "a reserved address"),
            ("2001:db8::1", "a documentation address"),
            ("3fff::1", "a documentation address"),
            ("fc00::1", "a private address"),
            ("fd12:3456::1", "a private address"),
            ("fec0::1", "a private address"),
            ("fe80::1", "a link-local address"),
            ("febf::1", "a link-local address"),
            ("ff02::1", "a multicast address"),
        ];
        for (address, expected) in cases {
            assert_eq!(kind(address), Some(expected), "{address}");
        }
        for public in [
            "1.1.1.1",
            "8.8.8.8",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.255.255",
            "172.32.0.1",
            "192.169.0.1",
            "223.255.255.255",
            "::ffff:8.8.8.8",
            "64:ff9b::8.8.8.8",
            "2002:0808:0808::1",
            "2001:4860:4860::8888",
            "2606:4700::1111",
        ] {
            assert_eq!(kind(public), None, "{public}");
        }
    }

    #[test]
    fn a_refusal_names_the_first_non_public_address() {
        let addresses = ["8.8.8.8", "10.0.0.1", "127.0.0.1"].map(|a| a.parse().unwrap());
        let refused = refusal(addresses, false).unwrap();
        assert_eq!(
            refused.to_string(),
            "resolves to a private address 10.0.0.1"
        );
        assert_eq!(refusal(addresses, true), None);
        assert_eq!(refusal(["8.8.8.8".parse().unwrap()], false), None);
    }
}
