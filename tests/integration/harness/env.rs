//! The test environment: a temporary `XDG_CONFIG_HOME`, `XDG_STATE_HOME`
//! and `HOME`, a fixed `TZ`, `LC_ALL=C`, and nothing inherited but `PATH`.
//! Every way of starting the binary goes through it.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use super::process::{Background, Outcome, run};

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

    /// The daemon's state file, saying only that every alert due through
    /// `fired_through` was handled: its path.
    pub fn write_state(&self, fired_through: i64) -> PathBuf {
        let dir = self.state_home().join("epochwatch");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.toml");
        std::fs::write(&path, format!("fired_through = {fired_through}\n")).unwrap();
        path
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

    /// Write an executable shell script `name` inside the environment.
    pub fn write_script(&self, name: &str, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.dir.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    /// Write an arbitrary file inside the environment.
    pub fn write_file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
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

    /// The real binary in this environment, as a plain `std` command (for
    /// pipes and processes that outlive the call).
    pub fn command(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(bin_path());
        cmd.env_clear()
            .envs(self.env_pairs())
            .current_dir(self.dir.path());
        cmd
    }

    /// The real binary in this environment, as an `assert_cmd` command.
    pub fn cmd(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.command())
    }

    /// Run `epochwatch ARGS` to the end.
    pub fn run(&self, args: &[&str]) -> Outcome {
        run(self.cmd().args(args))
    }

    /// Run, expect exit 0 and an empty stderr, return stdout.
    pub fn stdout_of(&self, args: &[&str]) -> String {
        self.run(args).succeeded_quietly()
    }

    /// Run, expect exit 0 and an empty stderr, and parse stdout as JSON.
    pub fn json_of(&self, args: &[&str]) -> serde_json::Value {
        let stdout = self.stdout_of(args);
        serde_json::from_str(&stdout).unwrap_or_else(|err| panic!("{args:?}: {err}:\n{stdout}"))
    }

    /// Run, expect exit 2, no stdout, and a one-line error; return that line.
    pub fn bad_input(&self, args: &[&str]) -> String {
        self.run(args).bad_input()
    }

    /// Start `epochwatch ARGS` with the `extra` variables too, in the
    /// background (stdin from /dev/null, stdout and stderr read as they come).
    pub fn background<S: AsRef<OsStr>>(
        &self,
        extra: &[(String, String)],
        args: &[S],
    ) -> Background {
        let mut cmd = self.command();
        cmd.envs(extra.iter().cloned()).args(args);
        Background::spawn(cmd)
    }
}

/// Path of the built binary, for tests that start it under tmux or a shell.
pub fn bin_path() -> PathBuf {
    assert_cmd::cargo::cargo_bin("epochwatch")
}
