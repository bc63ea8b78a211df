//! What the application logs, captured in memory, so that a test can check
//! that a failure was logged, or that a secret never was. One capture serves
//! a whole test binary (tests run side by side: look for something unique to
//! your test).

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

static CAPTURE: OnceLock<Logs> = OnceLock::new();

impl Logs {
    /// Captures every event, at every level, from now on in this test binary.
    pub fn capture() -> Self {
        CAPTURE
            .get_or_init(|| {
                let logs = Self::default();
                let subscriber = tracing_subscriber::fmt()
                    .with_writer(logs.clone())
                    .with_max_level(tracing::Level::TRACE)
                    .with_ansi(false)
                    .finish();
                tracing::subscriber::set_global_default(subscriber).expect("the only global log subscriber");
                logs
            })
            .clone()
    }

    /// Everything logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("logs")).into_owned()
    }

    /// The first line that contains every one of `needles`, waiting up to `within` for it.
    pub async fn wait_for(&self, needles: &[&str], within: Duration) -> String {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(line) = self.text().lines().find(|line| needles.iter().all(|n| line.contains(n))) {
                return line.to_owned();
            }
            if tokio::time::Instant::now() > deadline {
                panic!("no log line with {needles:?} within {within:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

pub struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("logs").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Logs {
    type Writer = LogWriter;

    fn make_writer(&'a self) -> Self::Writer {
        LogWriter(self.0.clone())
    }
}
