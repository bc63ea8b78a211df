//! A real headless Chromium, driven through chromedriver over WebDriver.
//! `scripts/install-test-deps` installs Debian's chromium and chromium-driver.

use anyhow::{bail, Context};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tempfile::TempDir;
use tokio::process::{Child, Command};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JavaScript {
    On,
    Off,
}

/// How a browser is launched: scripts on or off, the size of its viewport in
/// CSS pixels (a window that size, or below 500 px wide an emulated phone
/// screen, touch and all), and whether the back/forward cache keeps pages
/// that were left.
/// Headless Chromium widens any window narrower than this.
const SMALLEST_WINDOW: u32 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Launch {
    pub javascript: JavaScript,
    pub width: u32,
    pub height: u32,
    /// chromedriver turns the back/forward cache off; real browsers keep it on.
    pub back_forward_cache: bool,
}

impl Launch {
    pub fn new(javascript: JavaScript) -> Self {
        Self { javascript, width: 1200, height: 1600, back_forward_cache: false }
    }
}

pub struct Browser {
    pub client: Client,
    _driver: Child,
    _profile: TempDir,
}

impl Browser {
    pub async fn start(javascript: JavaScript) -> anyhow::Result<Self> {
        Self::launch(Launch::new(javascript)).await
    }

    /// A browser whose window is `width` by `height` CSS pixels, e.g. 390 wide for a phone.
    pub async fn start_with(javascript: JavaScript, width: u32, height: u32) -> anyhow::Result<Self> {
        Self::launch(Launch { width, height, ..Launch::new(javascript) }).await
    }

    /// Starts chromedriver and a session. On a loaded machine chromedriver
    /// now and then dies or drops the first connection while Chromium starts;
    /// a fresh chromedriver on a fresh port is tried before giving up.
    pub async fn launch(launch: Launch) -> anyhow::Result<Self> {
        let mut attempt = 1;
        loop {
            match Self::launch_once(launch).await {
                Ok(browser) => return Ok(browser),
                Err(error) if attempt < LAUNCH_ATTEMPTS && !is_missing_program(&error) => {
                    eprintln!("browser launch {attempt} of {LAUNCH_ATTEMPTS} failed, trying again: {error:#}");
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(error) => return Err(error.context(format!("after {LAUNCH_ATTEMPTS} attempts"))),
            }
        }
    }

    async fn launch_once(launch: Launch) -> anyhow::Result<Self> {
        let Launch { javascript, width, height, back_forward_cache } = launch;
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0")?;
            probe.local_addr()?.port()
        };
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            // Its own process group, so that dropping the browser ends Chromium too.
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("chromedriver not found: run scripts/install-test-deps")?;
        let webdriver = format!("http://127.0.0.1:{port}");
        wait_for_port(port).await?;

        let profile = tempfile::tempdir()?;
        let mut options = json!({
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--force-device-scale-factor=1",
                format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.path().display()),
            ],
        });
        if width < SMALLEST_WINDOW {
            // Chromium will not make a window this narrow: emulate a phone's screen instead.
            options["mobileEmulation"] = json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "mobile": true, "touch": true },
            });
        }
        if back_forward_cache {
            options["excludeSwitches"] = json!(["disable-back-forward-cache"]);
        }
        if std::path::Path::new("/usr/bin/chromium").exists() {
            options["binary"] = json!("/usr/bin/chromium");
        }
        if javascript == JavaScript::Off {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".to_owned(), options);
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&webdriver)
            .await
            .context("cannot start a Chromium session")?;
        Ok(Self { client, _driver: driver, _profile: profile })
    }

    /// Text of the first element matching `css`, waiting for it to appear.
    pub async fn text(&self, css: &str) -> anyhow::Result<String> {
        let element = self.wait(css).await?;
        Ok(element.text().await?)
    }

    pub async fn wait(&self, css: &str) -> anyhow::Result<fantoccini::elements::Element> {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("no element matches {css}"))
    }

    /// Waits until `css` matches an element whose text contains `needle`.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> anyhow::Result<String> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                if let Ok(text) = element.text().await {
                    if text.contains(needle) {
                        return Ok(text);
                    }
                }
            }
            if tokio::time::Instant::now() > deadline {
                bail!("{css} never showed {needle:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Types into the field matching `css`, replacing what it held.
    pub async fn fill(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let field = self.wait(css).await?;
        field.clear().await?;
        field.send_keys(text).await?;
        Ok(())
    }

    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        self.wait(css).await?.click().await?;
        Ok(())
    }

    /// Presses and releases one key on whatever has the focus, as a person
    /// at a keyboard would (Tab moves the focus, Enter follows a link).
    pub async fn press(&self, key: Key) -> anyhow::Result<()> {
        let key = char::from(key);
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Types `text` on whatever has the focus, one key at a time (keyboard
    /// shortcuts, as opposed to [`Browser::fill`]ing a field).
    pub async fn keys(&self, text: &str) -> anyhow::Result<()> {
        let mut actions = KeyActions::new("keyboard".to_owned());
        for key in text.chars() {
            actions = actions.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
        }
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Saves a PNG of the page under `target/test-output/`, returning its path.
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        let png = self.client.screenshot().await?;
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-output");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    pub async fn close(self) -> anyhow::Result<()> {
        self.client.clone().close().await?;
        Ok(())
    }

    /// Runs `scenario` with a fresh browser, then closes the browser whether
    /// the scenario passed, failed or panicked (an unclosed session leaves
    /// Chromium running after the test), with a screenshot named
    /// `failure_shot` of a failure, and reports the outcome.
    pub async fn run<F, Fut>(javascript: JavaScript, failure_shot: &str, scenario: F) -> anyhow::Result<()>
    where
        F: FnOnce(std::sync::Arc<Browser>) -> Fut,
        Fut: std::future::Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let browser = std::sync::Arc::new(Browser::start(javascript).await?);
        // A task of its own, so that a failed assertion comes back here as a JoinError.
        let outcome = tokio::spawn(scenario(browser.clone())).await;
        if !matches!(outcome, Ok(Ok(()))) {
            if let Ok(path) = browser.screenshot(failure_shot).await {
                eprintln!("screenshot of the failure: {}", path.display());
            }
        }
        let closed = match std::sync::Arc::try_unwrap(browser) {
            Ok(browser) => browser.close().await,
            Err(_) => Err(anyhow::anyhow!("the scenario kept the browser")),
        };
        match outcome {
            Ok(result) => result.and(closed),
            Err(failure) if failure.is_panic() => std::panic::resume_unwind(failure.into_panic()),
            Err(failure) => Err(failure.into()),
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // chromedriver's Chromium outlives it unless the whole group goes.
        if let Some(pid) = self._driver.id() {
            let _ = std::process::Command::new("kill")
                .args(["-TERM", "--", &format!("-{pid}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

const LAUNCH_ATTEMPTS: u32 = 3;

fn is_missing_program(error: &anyhow::Error) -> bool {
    error.root_cause().downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
}

async fn wait_for_port(port: u16) -> anyhow::Result<()> {
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("chromedriver did not start listening on port {port}")
}
