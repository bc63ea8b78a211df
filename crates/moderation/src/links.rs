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

/// Whether `host` is `domain` or one of its subdomains.
pub fn host_is_within(host: &str, domain: &str) -> bool {
    let domain = domain.trim().trim_start_matches("*.").trim_start_matches("www.").to_ascii_lowercase();
    !domain.is_empty() && (host == domain || host.ends_with(&format!(".{domain}")))
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
    }
}
