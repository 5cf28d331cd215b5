//! Who is asking: the address of the person at the other end, which throttling is keyed on
//! and the audit log records.
//!
//! Behind a reverse proxy every connection comes from the proxy, so without help every
//! person would share one address and one person's wrong guesses would block everybody.
//! `TRUSTED_PROXIES` names the proxies (addresses or networks); only a connection from one
//! of them has its `X-Forwarded-For` believed, read from the right (the hop nearest us),
//! skipping our own proxies, so a client cannot pick its own address by sending the header.

use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The reverse proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`).
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// A comma-separated list of addresses and networks, e.g. `10.0.0.0/8, 127.0.0.1`.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("TRUSTED_PROXIES: {s:?} is not an address or network"))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy, then the
    /// nearest address in `X-Forwarded-For` that is not one of ours.
    pub fn client_ip(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let mut nearest = peer;
        for hop in forwarded_for
            .unwrap_or("")
            .rsplit(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let Ok(ip) = hop.parse::<IpAddr>() else {
                // Garbage in the header: the last hop we could read is all we know.
                return nearest;
            };
            nearest = canonical(ip);
            if !self.trusts(nearest) {
                return nearest;
            }
        }
        nearest
    }
}

/// An IPv4 address carried in IPv6 (`::ffff:a.b.c.d`) is that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// What throttling counts by: the address, or for IPv6 its /64 (one subscriber's network:
/// a single host can change the rest of its address at will).
pub fn throttle_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// The client address of a request, from its connection and headers.
pub fn of_request(parts: &http::request::Parts, proxies: &TrustedProxies) -> IpAddr {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let forwarded = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    proxies.client_ip(peer, Some(&forwarded))
}

/// The client's address as an axum extractor (honours `TRUSTED_PROXIES`).
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    /// The key its tries are counted under.
    pub fn key(&self) -> String {
        throttle_key(self.0)
    }
}

impl std::fmt::Display for ClientIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl axum::extract::FromRequestParts<super::AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        st: &super::AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(of_request(parts, &st.settings.trusted_proxies)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client_ip(ip("203.0.113.9"), Some("198.51.100.1")),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_nearest_outside_hop_is_the_client() {
        let p = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").unwrap();
        // A client claiming to be 1.2.3.4 appends nothing true to the header; the proxy
        // appends the address it saw.
        assert_eq!(
            p.client_ip(ip("127.0.0.1"), Some("1.2.3.4, 198.51.100.7, 10.1.2.3")),
            ip("198.51.100.7")
        );
        assert_eq!(p.client_ip(ip("10.9.9.9"), None), ip("10.9.9.9"));
        assert_eq!(
            p.client_ip(ip("10.9.9.9"), Some("nonsense, 198.51.100.7")),
            ip("198.51.100.7")
        );
        // A peer outside the list is taken as it is, whatever it sends.
        assert_eq!(
            p.client_ip(ip("198.51.100.8"), Some("10.0.0.1")),
            ip("198.51.100.8")
        );
        assert_eq!(
            p.client_ip(ip("::ffff:127.0.0.1"), Some("2001:db8::1")),
            ip("2001:db8::1")
        );
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.local").is_err());
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_network() {
        assert_eq!(
            throttle_key(ip("2001:db8:1:2:aaaa::1")),
            throttle_key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            throttle_key(ip("2001:db8:1:2::1")),
            throttle_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(throttle_key(ip("198.51.100.7")), "198.51.100.7");
    }
}
