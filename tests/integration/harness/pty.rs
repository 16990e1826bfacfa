//! A bare pseudo-terminal, for what tmux cannot show: a terminal whose size
//! was never set (0x0, as some serial consoles and container runtimes leave
//! it; tmux always sets one). The binary runs with the pty's slave side as
//! its stdin, stdout, stderr and controlling terminal (`setsid --ctty`, so
//! it cannot reach the terminal the tests run in); everything it writes is
//! read from the master side into a vt100 screen of the size the test says
//! to read it at.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::process::{Child, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::env::{TestEnv, bin_path};
use super::{poll_for, process::wait_timeout};

/// `epochwatch` running on a pty whose size is never set.
pub struct Pty {
    master: File,
    child: Child,
    screen: Arc<Mutex<vt100::Parser>>,
}

impl Pty {
    /// Start `epochwatch ARGS` in `env` with the `extra` variables on a new
    /// pty of size 0x0; its output is read as a `columns`x`rows` screen.
    pub fn spawn(
        env: &TestEnv,
        extra: &[(&str, &str)],
        args: &[&str],
        (columns, rows): (u16, u16),
    ) -> Pty {
        let pty = nix::pty::openpty(None, None).expect("openpty");
        let slave = |pty: &OwnedFd| Stdio::from(pty.try_clone().expect("dup the pty"));
        let mut cmd = std::process::Command::new("setsid");
        cmd.arg("--ctty")
            .arg(bin_path())
            .args(args)
            .env_clear()
            .envs(env.env_pairs())
            .envs(extra.iter().map(|&(k, v)| (k, v)))
            .current_dir(env.path())
            .stdin(slave(&pty.slave))
            .stdout(slave(&pty.slave))
            .stderr(slave(&pty.slave));
        let child = cmd.spawn().expect("start setsid epochwatch");
        // Only the child holds the slave now: its exit ends the reads.
        drop(pty.slave);
        let master = File::from(pty.master);
        let nonzero = |n: u16| std::num::NonZeroU16::new(n).expect("a screen of some size");
        let parser = vt100::Parser::new(nonzero(rows), nonzero(columns), 0);
        let screen = Arc::new(Mutex::new(parser));
        let mut reader = master.try_clone().expect("dup the pty master");
        let fed = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // EIO once the slave side is closed.
            while let Ok(n @ 1..) = reader.read(&mut buf) {
                fed.lock().unwrap().process(&buf[..n]);
            }
        });
        Pty {
            master,
            child,
            screen,
        }
    }

    /// The pty's size as the kernel reports it (`TIOCGWINSZ` via `stty`).
    pub fn kernel_size(&self) -> String {
        let out = std::process::Command::new("stty")
            .arg("size")
            .stdin(Stdio::from(self.master.try_clone().unwrap()))
            .output()
            .expect("stty size");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The screen's text as it is now, trailing blanks cut.
    pub fn screen(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Poll the screen until `done` says yes or `timeout`; return the last one.
    pub fn wait_screen(&self, timeout: Duration, done: impl Fn(&str) -> bool) -> String {
        poll_for(timeout, || self.screen(), |s| done(s))
    }

    /// Type `bytes` into the terminal.
    pub fn send(&mut self, bytes: &[u8]) {
        self.master.write_all(bytes).expect("write to the pty");
    }

    /// Wait up to `limit` for the program to end; kill it if it does not.
    pub fn wait(&mut self, limit: Duration) -> Option<ExitStatus> {
        let status = wait_timeout(&mut self.child, limit);
        if status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        status
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
