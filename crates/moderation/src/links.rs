//! The links in a comment as readers would see them: `http(s)://` addresses
//! and `www.` names, bare or inside Markdown links, with their hosts.

/// One link's host, lower-cased, without `www.`, port or credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub host: String,
}

/// Every link in `text`, in order.
pub fn links(text: &str) -> Vec<Link> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut at = 0;
    while at < lower.len() {
        let rest = &lower[at..];
        let start = [rest.find("http://"), rest.find("https://"), rest.find("www.")].into_iter().flatten().min();
        let Some(start) = start else { break };
        let begin = at + start;
        // "www." inside a longer word (e.g. "awww.") is not a link, nor is the
        // "www." right after a scheme already counted.
        let preceded_by_word = lower[..begin].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '/');
        let scheme_len = if lower[begin..].starts_with("https://") {
            8
        } else if lower[begin..].starts_with("http://") {
            7
        } else {
            0
        };
        let after_scheme = begin + scheme_len;
        let end = lower[after_scheme..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | ')' | ']'))
            .map_or(lower.len(), |i| after_scheme + i);
        if !(scheme_len == 0 && preceded_by_word) {
            if let Some(host) = host_of(&lower[after_scheme..end]) {
                found.push(Link { host });
            }
        }
        at = end.max(begin + 1);
    }
    found
}

fn host_of(address: &str) -> Option<String> {
    let authority = address.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = host_port.split(':').next().unwrap_or("").trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    let valid = host.contains('.')
        && !host.starts_with('.')
        && host.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    valid.then(|| host.to_owned())
}

/// Whether `host` is `domain` or one of its subdomains (ASCII letters in
/// either compared without case). Allocates nothing: the pipeline asks this
/// for every link and every listed domain.
pub fn host_is_within(host: &str, domain: &str) -> bool {
    let domain = domain.trim().trim_start_matches("*.").trim_start_matches("www.").as_bytes();
    let host = host.as_bytes();
    let Some(dot) = host.len().checked_sub(domain.len()) else { return false };
    !domain.is_empty() && host[dot..].eq_ignore_ascii_case(domain) && (dot == 0 || host[dot - 1] == b'.')
}

/// A list of domains ready to be asked about hosts: each entry folded once
/// (`*.` and `www.` removed, lower case), looked up by the host's suffixes,
/// so a check costs one lookup per label of the host, whatever the list's length.
#[derive(Debug, Clone, Default)]
pub struct DomainList {
    domains: std::collections::HashSet<String>,
}

impl DomainList {
    pub fn new(entries: &[String]) -> Self {
        let domains = entries
            .iter()
            .map(|d| d.trim().trim_start_matches("*.").trim_start_matches("www.").to_ascii_lowercase())
            .filter(|d| !d.is_empty())
            .collect();
        Self { domains }
    }

    /// Whether `host` (lower case, as [`links`] gives it) is within one of the domains.
    pub fn contains_host(&self, host: &str) -> bool {
        let mut suffix = host;
        loop {
            if self.domains.contains(suffix) {
                return true;
            }
            match suffix.find('.') {
                Some(dot) => suffix = &suffix[dot + 1..],
                None => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(text: &str) -> Vec<String> {
        links(text).into_iter().map(|l| l.host).collect()
    }

    #[test]
    fn bare_markdown_and_www_links_are_found_with_their_hosts() {
        assert_eq!(
            hosts("See https://News.Example.org/a?b, [this](http://user@shop.example.com:8080/x) and www.pills.biz."),
            vec!["news.example.org", "shop.example.com", "pills.biz"]
        );
        assert_eq!(hosts("https://www.example.org/x"), vec!["example.org"], "one link, not two");
    }

    #[test]
    fn text_without_links_has_none() {
        assert!(hosts("awww. That is sad; e-mail me at a@b.org; 3.5 stars").is_empty());
        assert!(hosts("http:// nothing").is_empty());
    }

    #[test]
    fn subdomains_are_within_their_domain() {
        assert!(host_is_within("shop.spam.biz", "spam.biz"));
        assert!(host_is_within("spam.biz", "*.spam.biz"));
        assert!(!host_is_within("notspam.biz", "spam.biz"));
        assert!(!host_is_within("spam.biz", " "));
        assert!(host_is_within("shop.spam.biz", "Spam.BIZ"));
        assert!(!host_is_within("biz", "spam.biz"));
        assert!(!host_is_within("xn--mnchen-3ya.de", "münchen-3ya.de"), "no panic on a multi-byte domain");
    }

    #[test]
    fn a_domain_list_finds_hosts_within_its_domains() {
        let list = DomainList::new(&["*.Spam.biz".to_owned(), "www.pills.example".to_owned(), " ".to_owned()]);
        for (host, within) in [
            ("spam.biz", true),
            ("shop.spam.biz", true),
            ("notspam.biz", false),
            ("pills.example", true),
            ("biz", false),
        ] {
            assert_eq!(list.contains_host(host), within, "{host}");
            assert_eq!(["*.Spam.biz", "www.pills.example"].iter().any(|d| host_is_within(host, d)), within, "{host}");
        }
    }
}
