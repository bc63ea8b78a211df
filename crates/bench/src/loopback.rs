//! The one network rule of the harness: only loopback addresses.

use anyhow::{bail, Context};
use std::net::{SocketAddr, TcpListener};

/// The socket address of an `http://HOST:PORT[/...]` base URL, which must be
/// a literal loopback address (127.0.0.0/8 or ::1).
pub fn addr_of(base: &str) -> anyhow::Result<SocketAddr> {
    let rest = base.strip_prefix("http://").with_context(|| format!("{base}: only http:// URLs are supported"))?;
    let authority = rest.split('/').next().unwrap_or_default();
    let addr: SocketAddr = authority
        .parse()
        .with_context(|| format!("{base}: the host must be a literal address with a port, like 127.0.0.1:8080"))?;
    if !addr.ip().is_loopback() {
        bail!("{base}: the benchmark only targets loopback addresses");
    }
    Ok(addr)
}

/// `http://ADDR` without a trailing slash.
pub fn base_url(base: &str) -> anyhow::Result<String> {
    Ok(format!("http://{}", addr_of(base)?))
}

/// An HTTP client that never goes through a proxy, whatever the environment says.
pub fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder().no_proxy().build()?)
}

/// A port that was free on 127.0.0.1 a moment ago.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_urls_are_accepted_with_or_without_a_path() {
        assert_eq!(addr_of("http://127.0.0.1:8080").unwrap().port(), 8080);
        assert_eq!(addr_of("http://127.0.0.1:8080/articles/x").unwrap().port(), 8080);
        assert!(addr_of("http://[::1]:80/").is_ok());
    }

    #[test]
    fn anything_but_loopback_is_refused() {
        assert!(addr_of("http://10.0.0.1:80").is_err());
        assert!(addr_of("http://example.org:80").is_err());
        assert!(addr_of("https://127.0.0.1:443").is_err());
    }
}
