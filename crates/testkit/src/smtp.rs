//! A real SMTP server on loopback that keeps what it is sent, so tests can
//! read the e-mails Tribune writes.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    messages: Arc<Mutex<Vec<String>>>,
    /// The task that accepts connections, while the sink runs.
    acceptor: Arc<Mutex<Option<tokio::task::JoinHandle<()>>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the SMTP sink");
        let port = listener.local_addr().expect("address").port();
        let sink = Self { port, messages: Arc::new(Mutex::new(Vec::new())), acceptor: Arc::default() };
        sink.accept_on(listener);
        sink
    }

    fn accept_on(&self, listener: TcpListener) {
        let kept = self.messages.clone();
        let acceptor = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, kept.clone()));
            }
        });
        *self.acceptor.lock().expect("acceptor") = Some(acceptor);
    }

    /// Stops listening, as a mail server that is down: connections are refused.
    pub async fn stop(&self) {
        let acceptor = self.acceptor.lock().expect("acceptor").take();
        if let Some(acceptor) = acceptor {
            acceptor.abort();
            let _ = acceptor.await;
        }
    }

    /// Listens again on the same port, keeping the messages received so far.
    pub async fn resume(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.expect("bind the SMTP sink again");
        self.accept_on(listener);
    }

    /// Settings that send Tribune's mail here.
    pub fn config(&self) -> tribune_web::mail::SmtpConfig {
        tribune_web::mail::SmtpConfig {
            host: "127.0.0.1".to_owned(),
            port: self.port,
            security: "none".to_owned(),
            username: None,
            password: None,
            from: "Tribune <news@example.org>".to_owned(),
        }
    }

    /// Every message so far, headers and body, with quoted-printable soft breaks undone.
    pub fn messages(&self) -> Vec<String> {
        self.messages.lock().expect("messages").clone()
    }

    /// Waits for a message to `to`, returning the newest.
    pub async fn wait_for(&self, to: &str) -> String {
        for _ in 0..100 {
            let found = self
                .messages()
                .into_iter()
                .rev()
                .find(|m| m.to_lowercase().contains(&format!("to: {}", to.to_lowercase())));
            if let Some(message) = found {
                return message;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no e-mail to {to} arrived; got {:?}", self.messages())
    }

    /// The first link in `message` that starts with `prefix`.
    pub fn link(message: &str, prefix: &str) -> String {
        let start = message.find(prefix).unwrap_or_else(|| panic!("no {prefix} link in {message}"));
        message[start..].split_whitespace().next().unwrap_or_default().to_owned()
    }
}

async fn session(stream: tokio::net::TcpStream, messages: Arc<Mutex<Vec<String>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    if write.write_all(b"220 sink.test ESMTP\r\n").await.is_err() {
        return;
    }
    while let Ok(Some(line)) = lines.next_line().await {
        let command = line.to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-sink.test\r\n250 8BITMIME\r\n"
        } else if command.starts_with("DATA") {
            if write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await.is_err() {
                return;
            }
            let mut message = String::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if line == "." {
                    break;
                }
                message.push_str(line.strip_prefix('.').unwrap_or(&line));
                message.push('\n');
            }
            let decoded = message.replace("=\n", "").replace("=3D", "=");
            messages.lock().expect("messages").push(decoded);
            b"250 queued\r\n"
        } else if command.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"250 ok\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}
