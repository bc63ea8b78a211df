//! Just enough HTTP/1.1 and Server-Sent-Events to hold thousands of
//! subscriptions cheaply: the response head, a chunked-body decoder, and an
//! event parser that follows the SSE line rules (fields, `:` comments, a
//! blank line ends an event).

use anyhow::{bail, Context};

/// The parts of a response head the subscriber checks.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    pub status: u16,
    pub content_type: String,
    pub chunked: bool,
}

/// Where the head ends (just after its blank line), if it is complete.
pub fn head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4)
}

pub fn parse_head(head: &[u8]) -> anyhow::Result<Head> {
    let text = std::str::from_utf8(head).context("the response head is not UTF-8")?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("not an HTTP status line: {status_line:?}"))?;
    let mut head = Head { status, content_type: String::new(), chunked: false };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-type") {
            head.content_type = value.to_ascii_lowercase();
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            head.chunked = value.to_ascii_lowercase().contains("chunked");
        }
    }
    Ok(head)
}

/// Decodes a `Transfer-Encoding: chunked` body incrementally.
#[derive(Debug, Default)]
pub struct Chunked {
    state: ChunkState,
    line: Vec<u8>,
}

#[derive(Debug, Default, PartialEq, Eq)]
enum ChunkState {
    #[default]
    Size,
    Data(usize),
    DataEnd,
    Finished,
}

impl Chunked {
    /// Appends the body bytes found in `input` to `out`; `Ok(true)` once the last chunk was seen.
    pub fn feed(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> anyhow::Result<bool> {
        while !input.is_empty() {
            match self.state {
                ChunkState::Finished => break,
                ChunkState::Data(left) => {
                    let take = left.min(input.len());
                    out.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    self.state = if take == left { ChunkState::DataEnd } else { ChunkState::Data(left - take) };
                }
                ChunkState::Size | ChunkState::DataEnd => {
                    let Some(newline) = input.iter().position(|b| *b == b'\n') else {
                        self.line.extend_from_slice(input);
                        break;
                    };
                    self.line.extend_from_slice(&input[..newline]);
                    input = &input[newline + 1..];
                    let line = std::mem::take(&mut self.line);
                    if self.state == ChunkState::DataEnd {
                        if line.trim_ascii() != b"" {
                            bail!("a chunk did not end with CRLF");
                        }
                        self.state = ChunkState::Size;
                        continue;
                    }
                    let size_text = std::str::from_utf8(&line)?.split(';').next().unwrap_or_default().trim();
                    let size = usize::from_str_radix(size_text, 16)
                        .with_context(|| format!("bad chunk size {size_text:?}"))?;
                    self.state = if size == 0 { ChunkState::Finished } else { ChunkState::Data(size) };
                }
            }
        }
        Ok(self.state == ChunkState::Finished)
    }
}

/// One dispatched event.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Event {
    /// `message` when the stream named none.
    pub event: String,
    pub id: Option<String>,
    pub data: String,
}

/// Splits a decoded event stream into events and counts `:` comment lines.
#[derive(Debug, Default)]
pub struct SseParser {
    pending: Vec<u8>,
    current: Event,
    has_fields: bool,
    pub comments: u64,
}

impl SseParser {
    pub fn feed(&mut self, bytes: &[u8], mut on_event: impl FnMut(Event)) {
        self.pending.extend_from_slice(bytes);
        let mut start = 0;
        while let Some(offset) = self.pending[start..].iter().position(|b| *b == b'\n') {
            let end = start + offset;
            let line = self.pending[start..end].strip_suffix(b"\r").unwrap_or(&self.pending[start..end]);
            let line = String::from_utf8_lossy(line).into_owned();
            start = end + 1;
            self.line(&line, &mut on_event);
        }
        self.pending.drain(..start);
    }

    fn line(&mut self, line: &str, on_event: &mut impl FnMut(Event)) {
        if line.is_empty() {
            if self.has_fields {
                let mut event = std::mem::take(&mut self.current);
                if event.event.is_empty() {
                    event.event = "message".to_owned();
                }
                if event.data.ends_with('\n') {
                    event.data.pop();
                }
                on_event(event);
            }
            self.has_fields = false;
            return;
        }
        if line.starts_with(':') {
            self.comments += 1;
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        self.has_fields = true;
        match field {
            "event" => self.current.event = value.to_owned(),
            "id" => self.current.id = Some(value.to_owned()),
            "data" => {
                self.current.data.push_str(value);
                self.current.data.push('\n');
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_gives_status_type_and_chunking() {
        let raw = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        let end = head_end(raw).unwrap();
        assert_eq!(end, raw.len());
        let head = parse_head(&raw[..end]).unwrap();
        assert_eq!(head, Head { status: 200, content_type: "text/event-stream".into(), chunked: true });
    }

    #[test]
    fn chunks_split_anywhere_decode_to_the_same_body() {
        let wire = b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n";
        for split in 0..wire.len() {
            let mut decoder = Chunked::default();
            let mut out = Vec::new();
            decoder.feed(&wire[..split], &mut out).unwrap();
            let finished = decoder.feed(&wire[split..], &mut out).unwrap();
            assert_eq!(out, b"hello, world", "split at {split}");
            assert!(finished);
        }
    }

    #[test]
    fn events_comments_and_multiline_data_are_parsed() {
        let stream = ":\n\nevent: comment\nid: 42\ndata: {\"id\":42}\n\n: keep-alive\r\ndata: a\ndata: b\n\n";
        let mut parser = SseParser::default();
        let mut events = Vec::new();
        for byte in stream.as_bytes() {
            parser.feed(std::slice::from_ref(byte), |e| events.push(e));
        }
        assert_eq!(parser.comments, 2);
        assert_eq!(
            events,
            vec![
                Event { event: "comment".into(), id: Some("42".into()), data: "{\"id\":42}".into() },
                Event { event: "message".into(), id: None, data: "a\nb".into() },
            ]
        );
    }
}
