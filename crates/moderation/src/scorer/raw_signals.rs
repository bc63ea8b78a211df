//! Indicators read from the raw text, before normalization folds them
//! away: links, e-mail addresses, phone numbers, prices, capitals,
//! exclamation marks, emoji, length and repetition. They are what tells a
//! promotion from an opinion, and shouting from speaking.

/// Calls `emit` with the name of each indicator that holds for `text`.
pub fn for_each(text: &str, mut emit: impl FnMut(&str)) {
    let mut letters = 0usize;
    let mut capitals = 0usize;
    let mut exclamations = 0usize;
    let mut questions = 0usize;
    let mut symbols = 0usize;
    let mut lines = 1usize;
    let mut chars = 0usize;
    let mut digit_run = 0usize;
    let mut longest_digit_run = 0usize;
    let mut punctuation_run = 0usize;
    let mut longest_punctuation_run = 0usize;
    for ch in text.chars() {
        chars += 1;
        if ch.is_alphabetic() {
            letters += 1;
            capitals += usize::from(ch.is_uppercase());
        }
        exclamations += usize::from(ch == '!');
        questions += usize::from(ch == '?');
        lines += usize::from(ch == '\n');
        symbols +=
            usize::from(!ch.is_alphanumeric() && !ch.is_whitespace() && !ch.is_ascii_punctuation() && ch > '\u{2000}');
        // Phone numbers: digits with the separators people type between them.
        if ch.is_ascii_digit() {
            digit_run += 1;
            longest_digit_run = longest_digit_run.max(digit_run);
        } else if !matches!(ch, ' ' | '-' | '.' | '(' | ')' | '+') {
            digit_run = 0;
        }
        if ch == '!' || ch == '?' {
            punctuation_run += 1;
            longest_punctuation_run = longest_punctuation_run.max(punctuation_run);
        } else {
            punctuation_run = 0;
        }
    }
    emit(["len:0", "len:1", "len:2", "len:3", "len:4", "len:5", "len:6"][bucket(chars, &[1, 20, 60, 150, 400, 1000])]);
    if letters >= 8 {
        let ratio = capitals as f32 / letters as f32;
        emit(["caps:low", "caps:some", "caps:many", "caps:most"][bucket_f(ratio, &[0.1, 0.3, 0.6])]);
    }
    emit(["excl:0", "excl:1", "excl:2", "excl:3"][bucket(exclamations, &[1, 2, 4])]);
    if questions > 0 {
        emit(["q:1", "q:2"][bucket(questions, &[2])]);
    }
    if longest_punctuation_run >= 3 {
        emit("punct:run");
    }
    if symbols > 0 {
        emit(["sym:1", "sym:2"][bucket(symbols, &[3])]);
    }
    if lines > 2 {
        emit("lines:many");
    }
    if longest_digit_run >= 9 {
        emit("phone");
    }
    let words = Words::of(text);
    match words.links {
        0 => {}
        1 => emit("link:1"),
        _ => emit("link:2"),
    }
    if words.emails > 0 {
        emit("email");
    }
    if words.prices > 0 {
        emit("price");
    }
    if words.total >= 8 {
        let unique = words.unique as f32 / words.total as f32;
        emit(["repeat:most", "repeat:much", "repeat:some", "repeat:none"][bucket_f(unique, &[0.3, 0.5, 0.7])]);
    }
}

fn bucket(value: usize, bounds: &[usize]) -> usize {
    bounds.iter().take_while(|b| value >= **b).count()
}

fn bucket_f(value: f32, bounds: &[f32]) -> usize {
    bounds.iter().take_while(|b| value >= **b).count()
}

/// Counts over whitespace-separated words.
struct Words {
    total: usize,
    unique: usize,
    links: usize,
    emails: usize,
    prices: usize,
}

const TLDS: [&str; 16] =
    ["com", "net", "org", "info", "biz", "ly", "io", "co", "ru", "xyz", "me", "tv", "us", "uk", "online", "site"];

impl Words {
    fn of(text: &str) -> Words {
        // Words are told apart by a hash of their lower-case letters.
        let mut seen: Vec<u64> = Vec::new();
        let mut words = Words { total: 0, unique: 0, links: 0, emails: 0, prices: 0 };
        for raw in text.split_whitespace().take(400) {
            words.total += 1;
            let key = raw
                .chars()
                .flat_map(char::to_lowercase)
                .fold(0xcbf2_9ce4_8422_2325u64, |h, c| (h ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01b3));
            seen.push(key);
            let trimmed = raw.trim_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '/' | '$' | '€' | '£'));
            if !trimmed.contains(['.', '@', '$', '€', '£']) {
                continue;
            }
            let lower = trimmed.to_lowercase();
            let trimmed = lower.as_str();
            if is_link(trimmed) {
                words.links += 1;
            } else if is_email(trimmed) {
                words.emails += 1;
            }
            if is_price(trimmed) {
                words.prices += 1;
            }
        }
        seen.sort_unstable();
        seen.dedup();
        words.unique = seen.len();
        words
    }
}

fn is_link(word: &str) -> bool {
    if word.contains("http://") || word.contains("https://") || word.starts_with("www.") {
        return true;
    }
    if word.contains('@') {
        return false;
    }
    let host = word.split('/').next().unwrap_or("");
    let mut parts = host.rsplit('.');
    let tld = parts.next().unwrap_or("");
    let name = parts.next().unwrap_or("");
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && TLDS.contains(&tld)
}

fn is_email(word: &str) -> bool {
    let Some((user, domain)) = word.split_once('@') else { return false };
    !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
}

fn is_price(word: &str) -> bool {
    let rest = word.strip_prefix('$').or_else(|| word.strip_prefix('€')).or_else(|| word.strip_prefix('£'));
    rest.is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each(text, |s| out.push(s.to_string()));
        out
    }

    #[test]
    fn links_emails_prices_and_phones_are_seen() {
        let s = signals("Earn $500 a day! Visit www.cash-now.com or bit.ly/x, mail me@x.com, call 555-123-4567");
        for expected in ["link:2", "email", "price", "phone"] {
            assert!(s.iter().any(|x| x == expected), "{expected} missing from {s:?}");
        }
        let plain = signals("I read the article. It was fine, e.g. the part about taxes.");
        assert!(!plain.iter().any(|x| x.starts_with("link") || x == "email" || x == "price"), "{plain:?}");
    }

    #[test]
    fn shouting_and_repetition_are_seen() {
        let s = signals("BUY NOW BUY NOW BUY NOW BUY NOW!!!");
        for expected in ["caps:most", "repeat:much", "punct:run", "excl:2"] {
            assert!(s.iter().any(|x| x == expected), "{expected} missing from {s:?}");
        }
    }

    #[test]
    fn empty_text_has_only_its_length() {
        assert_eq!(signals(""), vec!["len:0", "excl:0"]);
    }
}
