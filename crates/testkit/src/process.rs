//! The real `tribune` binary as a child process, for tests that need whole
//! instances (several of them on one database, say).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct ServerProcess {
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    /// Printed only by the first instance of a fresh database.
    pub admin_token: Option<String>,
    /// The first-admin invitation link, printed while the site has no accounts.
    pub admin_invite: Option<String>,
    child: Child,
}

impl ServerProcess {
    /// Starts `binary` with `args` in `dir`, listening on a free loopback
    /// port, and waits until it says where it runs.
    pub fn start(binary: &Path, dir: &Path, args: &[&str]) -> Self {
        let mut child = Command::new(binary)
            .current_dir(dir)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .env_remove("TRIBUNE_DATABASE_URL")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tribune");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut admin_token = None;
        let mut admin_invite = None;
        let url = loop {
            let line = match lines.next() {
                Some(Ok(line)) => line,
                _ => {
                    let status = child.wait().ok();
                    panic!("tribune exited before serving: {status:?}");
                }
            };
            if line.starts_with("Admin API token") {
                admin_token = line.split_once("): ").map(|(_, token)| token.trim().to_owned());
            }
            if line.starts_with("No accounts yet") {
                admin_invite = line.split_once("): ").map(|(_, link)| link.trim().to_owned());
            }
            if let Some(url) = line.strip_prefix("Tribune is running at ") {
                break url.trim().to_owned();
            }
        };
        // Keep reading stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Self { url, admin_token, admin_invite, child }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.url.trim_end_matches('/'), path)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
