//! `--exec PROGRAM [ARG...]`: run a hook at each alert.
//!
//! No shell: the program is started directly with its arguments, stdin
//! null, stdout null (it would garble a terminal display), stderr
//! collected for the failure report. It runs in its own process group so a
//! hook that hangs is killed with everything it started. Each child is
//! waited for on a reaper thread, so no zombie remains.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::text::kind_name;
use super::{Alert, AlertKind};

/// How a hook run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// Could not start, exited non-zero, died by a signal or was killed
    /// after the timeout: one sentence saying which.
    Failed(String),
}

/// The environment variables a hook gets for `alert`.
pub fn hook_env(alert: &Alert) -> Vec<(String, String)> {
    let mut env = vec![
        (
            "EPOCHWATCH_EPOCH".to_string(),
            alert.milestone.epoch.to_string(),
        ),
        (
            "EPOCHWATCH_LABEL".to_string(),
            alert.milestone.label.clone(),
        ),
        (
            "EPOCHWATCH_KIND".to_string(),
            kind_name(&alert.kind).to_string(),
        ),
        ("EPOCHWATCH_DUE".to_string(), alert.due.to_string()),
        (
            "EPOCHWATCH_LATE_MS".to_string(),
            alert.late_ms.max(0).to_string(),
        ),
    ];
    match &alert.kind {
        AlertKind::Reminder { lead } => {
            env.push(("EPOCHWATCH_LEAD".to_string(), lead.to_string()));
        }
        AlertKind::Missed { count, first, .. } => {
            env.push(("EPOCHWATCH_COUNT".to_string(), count.to_string()));
            env.push(("EPOCHWATCH_FIRST".to_string(), first.epoch.to_string()));
        }
        AlertKind::Milestone => {}
    }
    env
}

/// Start the hook and return at once; `done` is called from a reaper
/// thread with the outcome once the child has been waited for (at most
/// `timeout` after the start, plus the time to kill it).
pub fn run(
    argv: &[String],
    alert: &Alert,
    timeout: Duration,
    done: impl FnOnce(Outcome) + Send + 'static,
) {
    let Some((program, args)) = argv.split_first() else {
        done(Outcome::Failed("--exec was given no program".to_string()));
        return;
    };
    let mut cmd = Command::new(program);
    cmd.args(args)
        .envs(hook_env(alert))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0);
    let child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => {
            done(Outcome::Failed(format!("cannot run {program:?}: {e}")));
            return;
        }
    };
    let program = program.clone();
    let spawned = thread::Builder::new()
        .name("epochwatch-reaper".to_string())
        .spawn(move || done(reap(child, &program, timeout)));
    if let Err(e) = spawned {
        // Without a reaper the child would become a zombie until we exit;
        // there is nothing better to do than say so.
        eprintln!("epochwatch: warning: cannot start a thread to wait for {e}");
    }
}

/// Wait for the child, killing its process group after `timeout`.
fn reap(mut child: Child, program: &str, timeout: Duration) -> Outcome {
    let stderr = child.stderr.take();
    // Read stderr on its own thread so a chatty hook cannot block on a full pipe.
    let reader = stderr.map(|mut pipe| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.by_ref().take(64 * 1024).read_to_end(&mut buf);
            // Drain the rest without keeping it.
            let _ = std::io::copy(&mut pipe, &mut std::io::sink());
            buf
        })
    });
    // A waiter thread blocks in wait(); this thread waits for it with a
    // timeout, so nothing polls and the child is always reaped.
    let pid = child.id();
    let (done_tx, done_rx) = mpsc::channel();
    let waiter = thread::spawn(move || {
        let status = child.wait().ok();
        let _ = done_tx.send(());
        status
    });
    let mut killed = false;
    if done_rx.recv_timeout(timeout).is_err() {
        kill_group(pid);
        killed = true;
    }
    let status = waiter.join().ok().flatten();
    // Only wait for stderr when the whole group is gone or the pipe closed;
    // a grandchild that escaped the group could hold it open forever.
    let err_text = reader
        .and_then(|r| {
            if r.is_finished() || !killed {
                r.join().ok()
            } else {
                None
            }
        })
        .map(|b| last_line(&String::from_utf8_lossy(&b)))
        .unwrap_or_default();
    let suffix = if err_text.is_empty() {
        String::new()
    } else {
        format!(": {err_text}")
    };
    if killed {
        return Outcome::Failed(format!(
            "{program:?} did not finish within {} ms and was killed",
            timeout.as_millis()
        ));
    }
    match status {
        Some(s) if s.success() => Outcome::Ok,
        Some(s) => match (s.code(), std::os::unix::process::ExitStatusExt::signal(&s)) {
            (Some(code), _) => {
                Outcome::Failed(format!("{program:?} exited with status {code}{suffix}"))
            }
            (None, Some(sig)) => {
                Outcome::Failed(format!("{program:?} was killed by signal {sig}{suffix}"))
            }
            _ => Outcome::Failed(format!("{program:?} failed{suffix}")),
        },
        None => Outcome::Failed(format!("{program:?}: could not wait for it")),
    }
}

/// Kill the hook and everything it started (it leads its own process group).
fn kill_group(pid: u32) {
    let Ok(pid) = i32::try_from(pid).map(nix::unistd::Pid::from_raw) else {
        return;
    };
    if nix::sys::signal::killpg(pid, nix::sys::signal::Signal::SIGKILL).is_err() {
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
    }
}

fn last_line(text: &str) -> String {
    let line = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let line = line.trim();
    if line.chars().count() > 200 {
        let cut: String = line.chars().take(200).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::milestone::Milestone;
    use std::time::Instant;

    fn alert() -> Alert {
        Alert {
            kind: AlertKind::Milestone,
            milestone: Milestone {
                epoch: 1_234_567_890,
                label: "1,234,567,890".to_string(),
                rule: "1234567890".to_string(),
                notify: true,
            },
            due: 1_234_567_890,
            late_ms: 7,
        }
    }

    fn run_wait(argv: &[&str], timeout: Duration) -> Outcome {
        let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        let (tx, rx) = mpsc::channel();
        run(&argv, &alert(), timeout, move |o| {
            let _ = tx.send(o);
        });
        rx.recv_timeout(Duration::from_secs(20)).unwrap()
    }

    #[test]
    fn ok_and_failing_hooks() {
        assert_eq!(run_wait(&["true"], Duration::from_secs(5)), Outcome::Ok);
        match run_wait(
            &["sh", "-c", "echo boom >&2; exit 3"],
            Duration::from_secs(5),
        ) {
            Outcome::Failed(m) => assert!(m.contains("status 3") && m.contains("boom"), "{m}"),
            o => panic!("{o:?}"),
        }
        match run_wait(&["/nonexistent/hook"], Duration::from_secs(5)) {
            Outcome::Failed(m) => assert!(m.contains("cannot run"), "{m}"),
            o => panic!("{o:?}"),
        }
    }

    #[test]
    fn hung_hook_is_killed_with_its_children() {
        let start = Instant::now();
        match run_wait(
            &["sh", "-c", "sleep 30; sleep 30"],
            Duration::from_millis(300),
        ) {
            Outcome::Failed(m) => assert!(m.contains("killed"), "{m}"),
            o => panic!("{o:?}"),
        }
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn env_names_the_alert() {
        let env = hook_env(&alert());
        assert!(env.contains(&("EPOCHWATCH_KIND".to_string(), "milestone".to_string())));
        assert!(env.contains(&("EPOCHWATCH_EPOCH".to_string(), "1234567890".to_string())));
        assert!(env.contains(&("EPOCHWATCH_LATE_MS".to_string(), "7".to_string())));
    }
}
