//! Who may use the desk: the browser the command's URL was opened in, and no one else.
//!
//! `serve --edit` writes files, so the preview's "anyone on loopback may read" is not
//! enough. Three checks stand between a request and the edition:
//! - a token, printed once in the URL the command starts with, sent by the desk page
//!   with every API call (`X-Huibian-Token`): another local program or user that
//!   guesses the port still cannot read or write;
//! - `Host` must name the address the server is bound to: a page on another site
//!   whose domain was re-pointed at 127.0.0.1 (DNS rebinding) sends its own domain;
//! - `Origin`, when the browser sends one (every cross-origin and every POST
//!   request), must be the desk's own: another site's page cannot post to it.

use std::net::SocketAddr;

/// The request's parts the guard looks at.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    /// `Host` header.
    pub host: Option<&'a str>,
    /// `Origin` header.
    pub origin: Option<&'a str>,
    /// `X-Huibian-Token` header.
    pub token: Option<&'a str>,
}

/// Why a request was turned away (the reply says which, never the token).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No token, or not this server's.
    #[error(
        "the desk's token is missing or wrong: open the URL `huibian serve --edit` printed"
    )]
    Token,
    /// `Host` is not the bound address.
    #[error("this server answers only as its own address (Host header refused)")]
    Host,
    /// `Origin` is another site's.
    #[error("requests from other sites are refused (Origin header)")]
    Origin,
}

/// The checks for one running desk.
#[derive(Debug, Clone)]
pub struct Guard {
    token: String,
    /// Every `host[:port]` the server may be addressed as.
    hosts: Vec<String>,
}

impl Guard {
    /// A guard with a fresh random token for a server listening on `addr`. Loopback
    /// servers also answer as `localhost`.
    pub fn new(addr: SocketAddr) -> anyhow::Result<Self> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)
            .map_err(|e| anyhow::anyhow!("no randomness for the desk's token: {e}"))?;
        let token = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Self::with_token(addr, token))
    }

    /// A guard with a given token (tests).
    pub fn with_token(addr: SocketAddr, token: String) -> Self {
        let port = addr.port();
        let mut hosts = vec![match addr {
            SocketAddr::V4(v4) => format!("{}:{port}", v4.ip()),
            SocketAddr::V6(v6) => format!("[{}]:{port}", v6.ip()),
        }];
        if addr.ip().is_loopback() || addr.ip().is_unspecified() {
            hosts.push(format!("localhost:{port}"));
            hosts.push(format!("127.0.0.1:{port}"));
            hosts.push(format!("[::1]:{port}"));
        }
        hosts.dedup();
        Self { token, hosts }
    }

    /// The token the desk's URL carries.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Also accept `host` (with its port) as this server's name: for `--bind
    /// 0.0.0.0`, the machine's own address on the network.
    pub fn allow_host(&mut self, host: String) {
        if !self.hosts.contains(&host) {
            self.hosts.push(host);
        }
    }

    /// Whether `Host` (and `Origin`, when sent) name this server; for the desk's
    /// page itself, which carries no token.
    pub fn check_site(&self, c: Credentials<'_>) -> Result<(), Refusal> {
        let host = c.host.map(|h| h.trim().to_ascii_lowercase());
        if !host.as_ref().is_some_and(|h| self.hosts.contains(h)) {
            return Err(Refusal::Host);
        }
        if let Some(origin) = c.origin {
            let own = origin.trim().strip_prefix("http://").is_some_and(|rest| {
                self.hosts.iter().any(|h| h == &rest.to_ascii_lowercase())
            });
            if !own {
                return Err(Refusal::Origin);
            }
        }
        Ok(())
    }

    /// [`check_site`](Self::check_site) and the token: for every API call.
    pub fn check(&self, c: Credentials<'_>) -> Result<(), Refusal> {
        self.check_site(c)?;
        match c.token {
            Some(token)
                if constant_time_eq(token.trim().as_bytes(), self.token.as_bytes()) =>
            {
                Ok(())
            }
            _ => Err(Refusal::Token),
        }
    }
}

/// Compares without stopping at the first difference, so the time a refusal takes
/// says nothing about how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> Guard {
        Guard::with_token(SocketAddr::from(([127, 0, 0, 1], 3000)), "abc123".into())
    }

    fn creds<'a>(
        host: &'a str,
        origin: Option<&'a str>,
        token: Option<&'a str>,
    ) -> Credentials<'a> {
        Credentials { host: Some(host), origin, token }
    }

    #[test]
    fn the_desk_itself_passes() {
        let g = guard();
        assert_eq!(g.check(creds("127.0.0.1:3000", None, Some("abc123"))), Ok(()));
        assert_eq!(
            g.check(creds(
                "localhost:3000",
                Some("http://localhost:3000"),
                Some("abc123")
            )),
            Ok(())
        );
    }

    #[test]
    fn a_missing_or_wrong_token_is_refused() {
        let g = guard();
        assert_eq!(g.check(creds("127.0.0.1:3000", None, None)), Err(Refusal::Token));
        assert_eq!(
            g.check(creds("127.0.0.1:3000", None, Some("abc124"))),
            Err(Refusal::Token)
        );
        assert_eq!(
            g.check(creds("127.0.0.1:3000", None, Some("abc1234"))),
            Err(Refusal::Token)
        );
    }

    #[test]
    fn a_rebound_domain_or_a_foreign_origin_is_refused_even_with_the_token() {
        let g = guard();
        assert_eq!(
            g.check(creds("evil.example:3000", None, Some("abc123"))),
            Err(Refusal::Host)
        );
        assert_eq!(
            g.check(creds("127.0.0.1:3001", None, Some("abc123"))),
            Err(Refusal::Host)
        );
        assert_eq!(
            g.check(creds("127.0.0.1:3000", Some("http://evil.example"), Some("abc123"))),
            Err(Refusal::Origin)
        );
        assert_eq!(
            g.check(creds("127.0.0.1:3000", Some("null"), Some("abc123"))),
            Err(Refusal::Origin)
        );
        let none = Credentials { host: None, origin: None, token: Some("abc123") };
        assert_eq!(g.check(none), Err(Refusal::Host));
    }

    #[test]
    fn fresh_tokens_differ() {
        let addr = SocketAddr::from(([127, 0, 0, 1], 3000));
        let (a, b) = (Guard::new(addr).unwrap(), Guard::new(addr).unwrap());
        assert_eq!(a.token().len(), 32);
        assert_ne!(a.token(), b.token());
    }
}
