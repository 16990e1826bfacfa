//! Running the binary: [`run`] to the end into an [`Outcome`], or a
//! [`Background`] process whose stdout lines are timestamped as they arrive
//! and whose stderr is collected as it comes, so it never blocks on a pipe.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdin, ChildStdout, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use nix::sys::signal::Signal;

use super::{poll_every, poll_until};

/// A finished run: its arguments (for messages), status and output.
#[derive(Debug)]
pub struct Outcome {
    pub args: Vec<String>,
    /// The exit status (-1 when killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run `cmd` to the end and capture its status, stdout and stderr (both
/// must be UTF-8).
pub fn run(cmd: &mut assert_cmd::Command) -> Outcome {
    let args = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let output = cmd.output().unwrap();
    Outcome {
        args,
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

impl Outcome {
    /// Expect exit 0 and return stdout.
    pub fn succeeded(self) -> String {
        assert_eq!(self.code, 0, "{:?}: {}", self.args, self.stderr);
        self.stdout
    }

    /// Expect exit 0 and an empty stderr, and return stdout.
    pub fn succeeded_quietly(self) -> String {
        assert_eq!(self.code, 0, "{:?}: stderr: {}", self.args, self.stderr);
        assert_eq!(self.stderr, "", "{:?}", self.args);
        self.stdout
    }

    /// Expect exit 2, no stdout, and a one-line error (no panic); return
    /// that line.
    pub fn bad_input(self) -> String {
        let args = &self.args;
        let (stdout, stderr) = (&self.stdout, &self.stderr);
        assert_eq!(self.code, 2, "{args:?}: stdout: {stdout} stderr: {stderr}");
        assert_eq!(stdout, "", "{args:?}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "not one line: {stderr}");
        assert!(stderr.starts_with("epochwatch: error: "), "{stderr}");
        stderr.trim_end().to_string()
    }

    /// Compare stdout, stderr and the status exactly.
    pub fn assert_exact(&self, stdout: &str, stderr: &str, code: i32) {
        let args = &self.args;
        assert_eq!(self.stdout, stdout, "stdout of {args:?}");
        assert_eq!(self.stderr, stderr, "stderr of {args:?}");
        assert_eq!(self.code, code, "status of {args:?}");
    }
}

/// Everything a reader thread has read from a pipe so far.
pub struct Collected {
    bytes: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
}

impl Collected {
    pub fn start(mut pipe: impl Read + Send + 'static) -> Collected {
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&bytes);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                match pipe.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => sink.lock().unwrap().extend_from_slice(&buf[..n]),
                }
            }
        });
        Collected {
            bytes,
            reader: Some(reader),
        }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes.lock().unwrap()).into_owned()
    }

    /// Wait up to `limit` for the writer's end to close (a grandchild may
    /// still hold it), then stop waiting.
    pub fn finish(&mut self, limit: Duration) {
        finish_reader(&mut self.reader, limit);
    }
}

/// Join a reader thread once it has finished (its pipe closed), waiting at
/// most `limit`; after that it is left running and `reader` kept.
fn finish_reader(reader: &mut Option<JoinHandle<()>>, limit: Duration) {
    if let Some(handle) = reader.take() {
        if poll_until(limit, || handle.is_finished()) {
            let _ = handle.join();
        } else {
            *reader = Some(handle);
        }
    }
}

/// The binary running in the background. Killed on drop.
pub struct Background {
    child: Child,
    lines: Receiver<(String, SystemTime)>,
    stdout: Arc<Mutex<String>>,
    stdout_reader: Option<JoinHandle<()>>,
    stderr: Collected,
}

impl Background {
    /// Start `cmd` with stdin from /dev/null, stdout read line by line (each
    /// line timestamped on arrival) and stderr collected.
    pub fn spawn(cmd: std::process::Command) -> Background {
        Background::spawn_reading(cmd, Stdio::null())
    }

    /// Like [`Background::spawn`], with stdin a pipe the caller writes to.
    pub fn spawn_with_stdin(cmd: std::process::Command) -> (Background, ChildStdin) {
        let mut background = Background::spawn_reading(cmd, Stdio::piped());
        let stdin = background.child.stdin.take().expect("piped stdin");
        (background, stdin)
    }

    fn spawn_reading(cmd: std::process::Command, stdin: Stdio) -> Background {
        let (mut background, stdout) = Background::start(cmd, stdin);
        let (tx, lines) = mpsc::channel();
        background.lines = lines;
        let text = Arc::clone(&background.stdout);
        background.stdout_reader = Some(std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let at = SystemTime::now();
                text.lock().unwrap().push_str(&format!("{line}\n"));
                if tx.send((line, at)).is_err() {
                    break;
                }
            }
        }));
        background
    }

    /// Like [`Background::spawn`], but stdout is the caller's to read.
    pub fn spawn_with_stdout(cmd: std::process::Command) -> (Background, ChildStdout) {
        Background::start(cmd, Stdio::null())
    }

    fn start(mut cmd: std::process::Command, stdin: Stdio) -> (Background, ChildStdout) {
        let mut child = cmd
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start epochwatch");
        let stdout = child.stdout.take().unwrap();
        let stderr = Collected::start(child.stderr.take().unwrap());
        let (_, lines) = mpsc::channel();
        let background = Background {
            child,
            lines,
            stdout: Arc::new(Mutex::new(String::new())),
            stdout_reader: None,
            stderr,
        };
        (background, stdout)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Everything on stdout so far (the lines read, each with its newline).
    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// Everything on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.text()
    }

    /// The next stdout line and when it arrived, waiting at most `timeout`.
    pub fn try_next_line(
        &self,
        timeout: Duration,
    ) -> Result<(String, SystemTime), RecvTimeoutError> {
        self.lines.recv_timeout(timeout)
    }

    /// The next stdout line and when it arrived; panics at `deadline` or
    /// when stdout closes first.
    pub fn next_line(&self, deadline: Instant) -> (String, SystemTime) {
        match self.try_next_line(deadline.saturating_duration_since(Instant::now())) {
            Ok(x) => x,
            Err(RecvTimeoutError::Timeout) => {
                panic!("no line within the time limit; stderr: {:?}", self.stderr())
            }
            Err(RecvTimeoutError::Disconnected) => {
                panic!("stdout closed early; stderr: {:?}", self.stderr())
            }
        }
    }

    /// Send `signal` without waiting.
    pub fn signal(&self, signal: Signal) {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::kill(pid, signal);
    }

    /// Wait up to `limit` for the exit; after it, stdout and stderr are
    /// read to their end (unless a grandchild still holds them 5 s on).
    pub fn wait(&mut self, limit: Duration) -> Option<ExitStatus> {
        let status = wait_timeout(&mut self.child, limit)?;
        finish_reader(&mut self.stdout_reader, Duration::from_secs(5));
        self.stderr.finish(Duration::from_secs(5));
        Some(status)
    }

    /// Send `signal` and expect the exit within `limit` (else kill it and
    /// panic).
    pub fn stop(&mut self, signal: Signal, limit: Duration) -> ExitStatus {
        self.signal(signal);
        let Some(status) = self.wait(limit) else {
            let _ = self.child.kill();
            let _ = self.child.wait();
            panic!(
                "epochwatch did not stop on {signal}; stderr: {:?}",
                self.stderr()
            );
        };
        status
    }

    /// SIGTERM, expecting the exit within `limit`; returns the status and
    /// all of stdout and stderr.
    pub fn terminate(mut self, limit: Duration) -> (ExitStatus, String, String) {
        let status = self.stop(Signal::SIGTERM, limit);
        (status, self.stdout(), self.stderr())
    }

    /// The stdout lines not taken yet, waiting up to 5 s for each (until
    /// stdout closes).
    pub fn rest_of_lines(&self) -> Vec<(String, SystemTime)> {
        let mut rest = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            rest.push(line);
        }
        rest
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Wait up to `limit` for the child to exit.
pub fn wait_timeout(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let mut status = None;
    poll_every(Duration::from_millis(20), limit, || {
        status = child.try_wait().expect("try_wait");
        status.is_some()
    });
    status
}

/// Each value one more than the one before (and at least one value).
pub fn assert_consecutive(values: &[i64]) {
    assert!(!values.is_empty(), "no lines at all");
    for pair in values.windows(2) {
        assert_eq!(
            pair[1],
            pair[0] + 1,
            "skipped or repeated second in {values:?}"
        );
    }
}

/// A run that was given a time limit: how it ended and what it wrote.
#[derive(Debug)]
pub struct Bounded {
    /// The exit status; None when it was still running at the limit (and was killed).
    pub code: Option<i32>,
    /// The signal that ended it, if one did (not ours).
    pub signal: Option<i32>,
    /// The first `cap` bytes of stdout (lossy UTF-8); after them the pipe
    /// was closed, as `| head -c` would.
    pub stdout: String,
    pub stderr: String,
}

/// Run `cmd` (stdin from /dev/null) for at most `limit`, keeping the first
/// `cap` bytes of stdout and then closing it; a run still going at the
/// limit is killed and has no `code`.
pub fn run_bounded(mut cmd: std::process::Command, limit: Duration, cap: usize) -> Bounded {
    use std::os::unix::process::ExitStatusExt;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start the binary");
    let mut stdout = child.stdout.take().expect("stdout piped");
    let head = std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 8192];
        while kept.len() < cap {
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => kept.extend_from_slice(&buf[..n.min(cap - kept.len())]),
            }
        }
        // Dropping `stdout` here closes the pipe: the writer sees EPIPE.
        String::from_utf8_lossy(&kept).into_owned()
    });
    let mut stderr = Collected::start(child.stderr.take().expect("stderr piped"));
    let status = wait_timeout(&mut child, limit);
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    stderr.finish(Duration::from_secs(5));
    Bounded {
        code: status.and_then(|s| s.code()),
        signal: status.and_then(|s| s.signal()),
        stdout: head.join().unwrap_or_default(),
        stderr: stderr.text(),
    }
}
