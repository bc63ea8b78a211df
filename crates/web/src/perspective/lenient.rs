//! Reads the body Commento++ sends to Perspective, which it builds by
//! joining strings: keys are not quoted and the comment's text is put
//! between quotes unescaped, so it may hold quotes, backslashes and line
//! breaks of its own. Only used when the body is not JSON.
//!
//! A string ends at the first quote after which the document goes on as a
//! document would (a comma and the next key or value, or the closing
//! bracket); so a quote inside the text ends it only when what follows
//! looks like the rest of the request.

use serde_json::{Map, Value};

/// Deepest nesting read; Perspective's requests are three levels deep.
const MAX_DEPTH: usize = 16;

/// The body as JSON, or `None` when even a lenient reading fails.
pub fn parse(body: &str) -> Option<Value> {
    let mut reader = Reader { text: body.as_bytes(), at: 0 };
    let value = reader.value(0, Closer::Top)?;
    reader.skip_space();
    (reader.at == reader.text.len()).then_some(value)
}

#[derive(Clone, Copy, PartialEq)]
enum Closer {
    Top,
    Object,
    Array,
}

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize, inside: Closer) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        match self.peek()? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' | b'\'' => self.loose_string(inside).map(Value::String),
            _ => self.bare_word(),
        }
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        self.at += 1;
        let mut map = Map::new();
        loop {
            if self.eat(b'}') {
                return Some(Value::Object(map));
            }
            let key = self.key()?;
            if !self.eat(b':') {
                return None;
            }
            let value = self.value(depth + 1, Closer::Object)?;
            map.insert(key, value);
            if !self.eat(b',') {
                return self.eat(b'}').then_some(Value::Object(map));
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            if self.eat(b']') {
                return Some(Value::Array(items));
            }
            items.push(self.value(depth + 1, Closer::Array)?);
            if !self.eat(b',') {
                return self.eat(b']').then_some(Value::Array(items));
            }
        }
    }

    /// A key: quoted (strictly, keys hold no quotes) or a bare identifier.
    fn key(&mut self) -> Option<String> {
        self.skip_space();
        let quote = self.peek()?;
        if quote == b'"' || quote == b'\'' {
            let start = self.at + 1;
            let end = start + self.text[start..].iter().position(|&b| b == quote)?;
            self.at = end + 1;
            return Some(String::from_utf8_lossy(&self.text[start..end]).into_owned());
        }
        let start = self.at;
        while self.peek().is_some_and(is_word_byte) {
            self.at += 1;
        }
        (self.at > start).then(|| String::from_utf8_lossy(&self.text[start..self.at]).into_owned())
    }

    /// `true`, `false`, `null` or a number, as JSON reads them.
    fn bare_word(&mut self) -> Option<Value> {
        let start = self.at;
        while self.peek().is_some_and(|b| is_word_byte(b) || matches!(b, b'-' | b'+' | b'.')) {
            self.at += 1;
        }
        serde_json::from_slice(&self.text[start..self.at]).ok()
    }

    /// A string taken as it is written (escapes are not read: the sender
    /// does not write them), ending at the first quote the document goes
    /// on plausibly after.
    fn loose_string(&mut self, inside: Closer) -> Option<String> {
        let quote = self.text[self.at];
        let start = self.at + 1;
        let mut end = start;
        loop {
            end += self.text[end..].iter().position(|&b| b == quote)?;
            if self.goes_on_after(end + 1, inside) {
                break;
            }
            end += 1;
        }
        self.at = end + 1;
        // The text between two ASCII quotes of valid UTF-8 is valid UTF-8.
        Some(String::from_utf8_lossy(&self.text[start..end]).into_owned())
    }

    /// Whether the document can go on at `from` after a value inside `inside`.
    fn goes_on_after(&self, from: usize, inside: Closer) -> bool {
        let rest = &self.text[from..];
        let rest = trim_start(rest);
        match (rest.first(), inside) {
            (None, Closer::Top) => true,
            (Some(b','), Closer::Object) => starts_with_key(trim_start(&rest[1..])),
            (Some(b','), Closer::Array) => {
                trim_start(&rest[1..]).first().is_some_and(|b| b"\"'{[-0123456789tfn]".contains(b))
            }
            (Some(b'}'), Closer::Object) | (Some(b']'), Closer::Array) => after_closer(&rest[1..]),
            _ => false,
        }
    }
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[skip..]
}

/// A key and its colon: `name:` or `"name":`.
fn starts_with_key(bytes: &[u8]) -> bool {
    let length = match bytes.first() {
        Some(&quote @ (b'"' | b'\'')) => match bytes[1..].iter().position(|&b| b == quote) {
            Some(at) => at + 2,
            None => return false,
        },
        _ => bytes.iter().take_while(|&&b| is_word_byte(b)).count(),
    };
    length > 0 && trim_start(&bytes[length..]).first() == Some(&b':')
}

/// What may follow a closing bracket: the end, a comma, another closer.
fn after_closer(bytes: &[u8]) -> bool {
    matches!(trim_start(bytes).first(), None | Some(b',' | b'}' | b']'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn commento_body(text: &str) -> String {
        format!("{{comment: {{text: \"{text}\"}}, languages: [\"en\"], requestedAttributes: {{TOXICITY: {{}}}}}}")
    }

    #[test]
    fn reads_unquoted_keys_and_unescaped_text() {
        for text in [
            "plain words",
            r#"she said "no", then left"#,
            "a back\\slash and a \"quote\" and\na line break",
            r#"ends with a quote""#,
            r#"a "}" and a ", inside"#,
            "café 😀",
        ] {
            let read = parse(&commento_body(text)).unwrap_or_else(|| panic!("{text:?}"));
            assert_eq!(read["comment"]["text"], json!(text), "{text:?}");
            assert_eq!(read["languages"], json!(["en"]));
            assert_eq!(read["requestedAttributes"], json!({"TOXICITY": {}}));
        }
    }

    #[test]
    fn reads_numbers_booleans_and_trailing_commas() {
        let read = parse("{doNotStore: true, a: [1, -2.5, null,], b: {scoreThreshold: 0.5,},}").unwrap();
        assert_eq!(read, json!({"doNotStore": true, "a": [1, -2.5, null], "b": {"scoreThreshold": 0.5}}));
    }

    #[test]
    fn refuses_what_is_no_document() {
        for body in ["", "{", "{comment: }", "{comment: {text: \"never closed}}", "text", "{a: 1} trailing", "{:1}"] {
            assert_eq!(parse(body), None, "{body:?}");
        }
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert_eq!(parse(&deep), None);
    }
}
