//! Reading the tags a page holds, for the XSS tests: what reached the page
//! as markup, as opposed to text.

/// Every tag in `html` with its attributes and their values (lower-cased
/// names). Escaped text never holds a literal '<', so every '<' starts a
/// real tag; closing tags and comments are left out.
pub fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    for chunk in html.split('<').skip(1) {
        let inside = chunk.split('>').next().unwrap_or("");
        if inside.starts_with('/') || inside.starts_with('!') {
            continue;
        }
        let (name, mut rest) = inside.split_once(char::is_whitespace).unwrap_or((inside, ""));
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            let name_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
            let attribute = rest[..name_end].to_ascii_lowercase();
            rest = &rest[name_end..];
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix('=') {
                if let Some(quoted) = after.strip_prefix('"') {
                    let close = quoted.find('"').unwrap_or(quoted.len());
                    value = quoted[..close].to_owned();
                    rest = quoted.get(close + 1..).unwrap_or("");
                } else {
                    let close = after.find(char::is_whitespace).unwrap_or(after.len());
                    value = after[..close].to_owned();
                    rest = &after[close..];
                }
            }
            attributes.push((attribute, value));
        }
        found.push((name.to_ascii_lowercase(), attributes));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::tags;

    #[test]
    fn tags_attributes_and_values_are_read_and_text_is_not() {
        let html = r#"<p class="a b">x &lt;script&gt; <a href=/y rel="nofollow ugc">y</a></p><!-- c --><br>"#;
        let found = tags(html);
        let names: Vec<&str> = found.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["p", "a", "br"]);
        assert_eq!(found[0].1, [("class".to_owned(), "a b".to_owned())]);
        assert_eq!(found[1].1[0], ("href".to_owned(), "/y".to_owned()));
        assert_eq!(found[1].1[1], ("rel".to_owned(), "nofollow ugc".to_owned()));
    }
}
