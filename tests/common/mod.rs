//! Shared test environment for the integration tests: a temporary
//! XDG_CONFIG_HOME and XDG_STATE_HOME, a fixed TZ, inherited variables cleared,
//! and helpers to require external tools (skip loudly, fail when CI=true).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

pub struct TestEnv {
    pub dir: TempDir,
    pub tz: String,
    /// Extra variables set on every command.
    pub vars: Vec<(String, String)>,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("config/epochwatch")).unwrap();
        std::fs::create_dir_all(dir.path().join("state")).unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        TestEnv {
            dir,
            tz: "UTC".to_string(),
            vars: Vec::new(),
        }
    }

    /// Use this TZ for the commands (default UTC).
    pub fn tz(mut self, tz: &str) -> TestEnv {
        self.tz = tz.to_string();
        self
    }

    pub fn var(mut self, key: &str, value: &str) -> TestEnv {
        self.vars.push((key.to_string(), value.to_string()));
        self
    }

    pub fn config_home(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub fn state_home(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    /// `$XDG_CONFIG_HOME/epochwatch/config.toml`.
    pub fn config_path(&self) -> PathBuf {
        self.config_home().join("epochwatch/config.toml")
    }

    /// Write the default-location config file.
    pub fn write_config(&self, text: &str) -> PathBuf {
        let path = self.config_path();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Write an arbitrary file inside the environment.
    pub fn write_file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// The environment every command gets: nothing inherited but PATH.
    pub fn env_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = vec![
            (
                "PATH".to_string(),
                std::env::var("PATH").unwrap_or_default(),
            ),
            (
                "HOME".to_string(),
                self.dir.path().join("home").display().to_string(),
            ),
            (
                "XDG_CONFIG_HOME".to_string(),
                self.config_home().display().to_string(),
            ),
            (
                "XDG_STATE_HOME".to_string(),
                self.state_home().display().to_string(),
            ),
            ("TZ".to_string(), self.tz.clone()),
            ("LC_ALL".to_string(), "C".to_string()),
        ];
        pairs.extend(self.vars.iter().cloned());
        pairs
    }

    /// The real binary, in this environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("epochwatch").expect("binary built");
        cmd.env_clear();
        for (k, v) in self.env_pairs() {
            cmd.env(k, v);
        }
        cmd.current_dir(self.dir.path());
        cmd
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Path of the built binary, for tests that start it under tmux or faketime.
pub fn bin_path() -> PathBuf {
    assert_cmd::cargo::cargo_bin("epochwatch")
}

/// True when running in CI, where a missing tool is a failure, not a skip.
pub fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

/// Returns true when every tool is on PATH. Otherwise prints a loud SKIPPED
/// line and returns false, or panics when CI=true.
pub fn require_tools(test: &str, tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|tool| which(tool).is_none())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!(
        "SKIPPED {test}: missing tool(s) {} (install them, e.g. via .ci/run)",
        missing.join(", ")
    );
    if in_ci() {
        panic!("{msg}; CI=true, so this is a failure");
    }
    eprintln!("\n*** {msg} ***\n");
    false
}

pub fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|candidate| candidate.is_file())
}

/// The libfaketime preload library, if installed.
pub fn libfaketime() -> Option<PathBuf> {
    [
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/faketime/libfaketime.so.1",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// The libfaketime library, with `tools` also on PATH; else a loud SKIPPED
/// line and `None` (a failure when CI=true).
pub fn require_libfaketime(test: &str, tools: &[&str]) -> Option<PathBuf> {
    if !require_tools(test, tools) {
        return None;
    }
    match libfaketime() {
        Some(lib) => Some(lib),
        None => {
            let msg = format!("SKIPPED {test}: libfaketime.so.1 not found (package libfaketime)");
            if in_ci() {
                panic!("{msg}; CI=true, so this is a failure");
            }
            eprintln!("\n*** {msg} ***\n");
            None
        }
    }
}

/// The variables that start the binary's wall clock at `start` under
/// libfaketime (`FAKETIME` takes a date, `@YYYY-MM-DD hh:mm:ss`, read in TZ,
/// which is UTC in the test environment). Only the wall clock is faked: the
/// alert timeouts (mpsc `recv_timeout`) wait on the real monotonic clock.
pub fn faketime_env(lib: &Path, start: i64) -> Vec<(String, String)> {
    let when = chrono::DateTime::<chrono::Utc>::from_timestamp(start, 0).expect("epoch in range");
    vec![
        ("LD_PRELOAD".to_string(), lib.display().to_string()),
        (
            "FAKETIME".to_string(),
            when.format("@%Y-%m-%d %H:%M:%S").to_string(),
        ),
        ("FAKETIME_DONT_RESET".to_string(), "1".to_string()),
        ("DONT_FAKE_MONOTONIC".to_string(), "1".to_string()),
    ]
}

/// Wait up to `limit` for the child to exit.
pub fn wait_timeout(child: &mut std::process::Child, limit: Duration) -> Option<ExitStatus> {
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Some(status);
        }
        if start.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Send `signal` and wait up to `limit` for the exit; kill the child and
/// return `None` if it does not stop.
pub fn stop_with(
    child: &mut std::process::Child,
    signal: nix::sys::signal::Signal,
    limit: Duration,
) -> Option<ExitStatus> {
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    let _ = nix::sys::signal::kill(pid, signal);
    let status = wait_timeout(child, limit);
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    status
}
