//! A tmux server per test, for driving the full-screen display in a real
//! terminal: start a detached session of a given size, type into it, read the
//! screen back, query pane state, and kill the server when the test ends
//! (the `Drop` guard), whatever happened. Also the shell quoting for the
//! command lines typed or started there.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::{bin_path, poll_for, test_name};

static NEXT_SOCKET: AtomicUsize = AtomicUsize::new(0);

/// One private tmux server (its own `-L` socket) with one session, `main`.
pub struct Tmux {
    socket: String,
    target: String,
}

impl Tmux {
    /// Start a detached `width`x`height` session running `command` (a shell
    /// command line, run by /bin/sh) with exactly the variables in `env`,
    /// in `dir`. The socket name is unique to this process and server, and
    /// ends with the test's name (its last part, cut to 40 characters).
    pub fn start(
        width: u16,
        height: u16,
        env: &[(String, String)],
        dir: &Path,
        command: &str,
    ) -> Tmux {
        let test = test_name();
        let short: String = test
            .rsplit("::")
            .next()
            .unwrap_or("")
            .chars()
            .take(40)
            .collect();
        let socket = format!(
            "ew-{}-{}-{short}",
            std::process::id(),
            NEXT_SOCKET.fetch_add(1, Ordering::SeqCst),
        );
        let tmux = Tmux {
            socket,
            target: "main".to_string(),
        };
        let mut cmd = Command::new("tmux");
        cmd.env_clear();
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.current_dir(dir);
        cmd.args(["-L", &tmux.socket, "-f", "/dev/null", "new-session", "-d"])
            .args([
                "-s",
                "main",
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
            ])
            .args(["-c", &dir.display().to_string(), command]);
        let out = cmd.output().expect("cannot run tmux");
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux
    }

    /// Run a tmux subcommand on this server; panics when tmux fails.
    pub fn tmux(&self, args: &[&str]) -> String {
        let out = self.tmux_raw(args);
        assert!(
            out.status.success(),
            "tmux {:?} failed: {}",
            args,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn tmux_raw(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("cannot run tmux")
    }

    /// Press keys, in tmux `send-keys` names (`q`, `C-c`, `Enter`, `Escape`).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.target];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Type `text` literally (no key-name lookup).
    pub fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", &self.target, "-l", text]);
    }

    /// Type a command line and press Enter.
    pub fn run_line(&self, line: &str) {
        self.type_text(line);
        self.keys(&["Enter"]);
    }

    /// The visible screen, wrapped lines joined, trailing spaces trimmed.
    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-J", "-t", &self.target])
    }

    /// `tmux display -p FORMAT` for the pane, e.g. `#{alternate_on}`.
    pub fn display(&self, format: &str) -> String {
        self.tmux(&["display", "-p", "-t", &self.target, format])
            .trim()
            .to_string()
    }

    pub fn cursor_visible(&self) -> bool {
        self.display("#{cursor_flag}") == "1"
    }

    /// The pane's size as (width, height).
    pub fn size(&self) -> (u16, u16) {
        let s = self.display("#{pane_width} #{pane_height}");
        let mut it = s.split_whitespace().map(|n| n.parse::<u16>().unwrap());
        (it.next().unwrap(), it.next().unwrap())
    }

    /// Resize the window (and so the pane) to `width`x`height`.
    pub fn resize(&self, width: u16, height: u16) {
        self.tmux(&[
            "resize-window",
            "-t",
            &self.target,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
    }

    /// Poll the screen until `pred` holds; panics with the last screen after
    /// `timeout`. Returns the matching screen.
    pub fn wait_for(&self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let screen = poll_for(timeout, || self.screen(), |s| pred(s));
        if pred(&screen) {
            return screen;
        }
        panic!(
            "timed out after {:?} waiting for {what}; screen ({:?}, alternate_on={}):\n{screen}",
            timeout,
            self.size(),
            self.display("#{alternate_on}"),
        );
    }

    /// Wait until the screen contains `needle`.
    pub fn wait_text(&self, needle: &str, timeout: Duration) -> String {
        self.wait_for(&format!("{needle:?}"), timeout, |s| s.contains(needle))
    }

    /// Poll a pane-state format until it equals `want`.
    pub fn wait_display(&self, format: &str, want: &str, timeout: Duration) {
        let got = poll_for(timeout, || self.display(format), |got| got == want);
        if got == want {
            return;
        }
        panic!(
            "timed out waiting for {format} == {want:?} (last {got:?}); screen:\n{}",
            self.screen()
        );
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux_raw(&["kill-server"]);
    }
}

/// Wait until `path` holds a non-empty, newline-terminated text; returns it
/// trimmed. Panics after `timeout`.
pub fn wait_file(path: &Path, timeout: Duration) -> String {
    let read = || std::fs::read_to_string(path).unwrap_or_default();
    let text = poll_for(timeout, read, |text| text.ends_with('\n'));
    if text.ends_with('\n') {
        return text.trim().to_string();
    }
    panic!("timed out after {timeout:?} waiting for {}", path.display());
}

/// Single-quote `s` for sh.
pub fn sq(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A shell command line that runs the built binary with `vars` added to
/// the environment and `args` (each quoted): `env 'K=V' ... 'epochwatch' ARGS`.
pub fn env_command(vars: &[(String, String)], args: &[&str]) -> String {
    let mut words = vec!["env".to_string()];
    words.extend(vars.iter().map(|(k, v)| sq(&format!("{k}={v}"))));
    words.push(sq(&bin_path().display().to_string()));
    words.extend(args.iter().map(|a| sq(a)));
    words.join(" ")
}
