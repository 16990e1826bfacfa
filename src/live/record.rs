//! The daemon's subscriber: it keeps the state file in step with the
//! engine and records each alert's delivery (docs/delivery.md):
//!
//! - before a wake's alerts go out, the engine's history and the alerts (as
//!   pending) are saved; once every channel has had an alert, it is no
//!   longer pending and that is saved too. A crash in between re-sends it
//!   at the next start; a duplicate can only come from a crash between the
//!   server's answer and that second save.
//! - a save that fails (a full disk, a read-only directory) is reported
//!   once, on one line; alerting goes on from memory and the save is
//!   retried every [`RETRY_SECS`] until it works again, which is said too.
//!
//! It also prints each alert with `--verbose`, reports failing channels on
//! stderr, and turns SIGTERM/SIGINT into a clean stop and SIGHUP into a reload.

use std::io::Write;

use signal_hook::consts::signal::SIGHUP;

use super::{Flow, Message, Subscriber, Wake};
use crate::alert::{Report, text};
use crate::error::{Exit, Result};
use crate::milestone::Epoch;
use crate::state::{FiredRecord, State, StateDir};

/// A failed save is tried again this often (seconds).
pub const RETRY_SECS: i64 = 30;

pub struct Record {
    dir: StateDir,
    state: State,
    verbose: bool,
    /// Changes not saved yet (a save failed): retry by then.
    retry_at: Option<Epoch>,
    /// The second of the last wake (for the retry deadline).
    now: Epoch,
}

impl Record {
    pub fn new(dir: StateDir, state: State, verbose: bool) -> Record {
        Record {
            dir,
            state,
            verbose,
            retry_at: None,
            now: 0,
        }
    }

    /// Save the state as it is now (at start-up).
    pub fn save_now(&mut self) {
        self.now = crate::clock::read_once().secs;
        self.save();
    }

    /// Save the state; a failure is said once and retried later.
    fn save(&mut self) {
        match self.dir.save(&self.state) {
            Ok(()) => {
                if self.retry_at.take().is_some() {
                    warn("the state file is saved again");
                }
            }
            Err(err) => {
                if self.retry_at.is_none() {
                    warn(&format!(
                        "{err}; alerting goes on from memory, and the save is retried every {RETRY_SECS} s"
                    ));
                }
                self.retry_at = Some(self.now.saturating_add(RETRY_SECS));
            }
        }
    }
}

fn warn(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "epochwatch: warning: {line}");
    let _ = err.flush();
}

impl Subscriber for Record {
    fn on_wake(&mut self, wake: &Wake<'_>) -> Result<Flow> {
        self.now = wake.now.secs;
        let mut changed = self.state.set_history(wake.history);
        for alert in wake.alerts {
            self.state.pending.push(alert.clone());
            self.state.record(FiredRecord {
                kind: text::kind_name(&alert.kind).to_string(),
                epoch: alert.milestone.epoch,
                label: alert.milestone.label.clone(),
                due: alert.due,
                late_ms: alert.late_ms,
            });
            changed = true;
        }
        let retry_due = self.retry_at.is_some_and(|at| at <= self.now);
        if changed || retry_due {
            // Saved before the alerts go out (they are sent after the subscribers).
            self.save();
        }
        if self.verbose && !wake.alerts.is_empty() {
            let mut out = std::io::stdout().lock();
            for alert in wake.alerts {
                let _ = writeln!(out, "{}", text::log_line(alert, wake.zone));
            }
            let _ = out.flush();
        }
        Ok(Flow::Continue)
    }

    fn on_message(&mut self, message: &Message) -> Result<Flow> {
        let mut err = std::io::stderr().lock();
        match message {
            Message::Signal(SIGHUP) => return Ok(Flow::Reload),
            Message::Signal(_) => return Ok(Flow::Stop(Exit::Success)),
            Message::Report(Report::Bell) => {
                let _ = err.write_all(b"\x07");
            }
            Message::Report(Report::Delivered { key }) => {
                let before = self.state.pending.len();
                self.state.pending.retain(|alert| alert.key() != *key);
                if self.state.pending.len() != before {
                    drop(err);
                    self.save();
                    return Ok(Flow::Continue);
                }
            }
            Message::Report(report) => {
                if let Some(line) = report.describe() {
                    let _ = writeln!(err, "epochwatch: warning: {line}");
                }
            }
            Message::Reloaded(Ok(())) => {
                let _ = writeln!(err, "epochwatch: configuration reloaded");
            }
            Message::Reloaded(Err(why)) => {
                let _ = writeln!(
                    err,
                    "epochwatch: warning: configuration not reloaded, keeping the old one: {why}"
                );
            }
            Message::Input(_) | Message::Click(_) => {}
        }
        let _ = err.flush();
        Ok(Flow::Continue)
    }

    fn wake_by(&self) -> Option<Epoch> {
        self.retry_at
    }
}
