//! The daemon's subscriber: it keeps the state file in step with the
//! engine and records each alert's delivery (docs/delivery.md):
//!
//! - a quarter of a second before a boundary with alerts, they are saved as
//!   pending ([`Subscriber::on_ahead`]), so nothing is written between the
//!   boundary and the notification; an alert that comes without that
//!   notice (one late after a jump) is saved as pending before it goes
//!   out. Once every channel has had an alert, it is no longer pending and
//!   that is saved too, with where the engine has got to (the one write of
//!   an alert's boundary, after its notification). A crash in between
//!   sends it again at the next start;
//!   a duplicate can only come from a crash between the server's answer
//!   and that second save. An alert announced but not made at its boundary
//!   (the clock jumped: the engine summed it up, or dropped a reminder) is
//!   no longer pending.
//! - at the next start, what is pending and due at or before the saved
//!   `fired_through` is sent again; what is due after it was announced
//!   only, and the engine makes it when it is due (see `resend_and_ahead`).
//! - a save that fails (a full disk, a read-only directory) is reported
//!   once, on one line; alerting goes on from memory and the save is
//!   retried every [`RETRY_SECS`] until it works again, which is said too.
//!
//! It also prints each alert with `--verbose`, reports failing channels on
//! stderr, and turns SIGTERM/SIGINT into a clean stop and SIGHUP into a reload.

use std::io::Write;
use std::time::Duration;

use signal_hook::consts::signal::SIGHUP;

use super::{Flow, Message, Observation, Subscriber};
use crate::alert::{Alert, Report, text};
use crate::error::{Exit, Result};
use crate::milestone::Epoch;
use crate::state::{FiredRecord, State, StateDir, StateError};

/// A failed save is tried again this often (seconds).
pub const RETRY_SECS: i64 = 30;

/// How long before an alert's boundary it is saved as pending: room for an
/// fsync on a busy disk.
const PENDING_AHEAD: Duration = Duration::from_millis(250);

/// The daemon's subscriber: its state file, its log lines, its signals.
pub struct DaemonOutput {
    dir: StateDir,
    state: State,
    verbose: bool,
    /// Changes not saved yet (a save failed): retry by then.
    retry_at: Option<Epoch>,
    /// The second of the last wake (for the retry deadline).
    now: Epoch,
    /// Keys of the pending alerts announced ahead and not made yet.
    ahead: Vec<String>,
}

/// The saved pending alerts, split: those to send again at start-up (due
/// at or before `fired_through`: made, their delivery not recorded), and
/// those only announced ahead, which the engine makes again when due (its
/// history says they are ahead).
pub fn resend_and_ahead(state: &State) -> (Vec<Alert>, Vec<String>) {
    let (resend, ahead): (Vec<Alert>, Vec<Alert>) = state
        .pending
        .iter()
        .cloned()
        .partition(|alert| alert.due <= state.fired_through);
    (resend, ahead.iter().map(Alert::key).collect())
}

impl DaemonOutput {
    /// `ahead`: the keys of the pending alerts only announced (see
    /// [`resend_and_ahead`]).
    pub fn new(dir: StateDir, state: State, verbose: bool, ahead: Vec<String>) -> DaemonOutput {
        DaemonOutput {
            dir,
            state,
            verbose,
            retry_at: None,
            now: 0,
            ahead,
        }
    }

    fn is_pending(&self, key: &str) -> bool {
        self.state.pending.iter().any(|alert| alert.key() == key)
    }

    /// Drop the announced alerts whose boundary has come without them.
    fn drop_unmade(&mut self) -> bool {
        let now = self.now;
        let before = self.state.pending.len();
        let ahead = &mut self.ahead;
        self.state.pending.retain(|alert| {
            let unmade = alert.due <= now && ahead.contains(&alert.key());
            !unmade
        });
        let pending = &self.state.pending;
        ahead.retain(|key| pending.iter().any(|alert| alert.key() == *key));
        self.state.pending.len() != before
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

/// The saved state; a damaged one is moved aside (and said so), and a
/// first start begins from now, never alerting what came before.
pub fn saved_state(dir: &StateDir, now: i64) -> Result<State> {
    match dir.load() {
        Ok(Some(state)) => Ok(state),
        Ok(None) => Ok(State::new(now)),
        Err(StateError::Garbage { path, detail }) => {
            let kept = dir.set_aside(now)?;
            warn(&format!(
                "state file {} is damaged ({detail}); kept as {}; starting afresh from now",
                path.display(),
                kept.display()
            ));
            Ok(State::new(now))
        }
        Err(err) => Err(err.into()),
    }
}

fn warn(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "epochwatch: warning: {line}");
    let _ = err.flush();
}

impl Subscriber for DaemonOutput {
    fn on_observation(&mut self, wake: &Observation<'_>) -> Result<Flow> {
        self.now = wake.now.secs;
        let mut changed = self.state.set_history(wake.history);
        // Whether an alert goes out that is not saved as pending yet.
        let mut unrecorded = false;
        for alert in wake.alerts {
            let key = alert.key();
            if let Some(at) = self.ahead.iter().position(|k| *k == key) {
                // Saved as pending ahead of its boundary.
                self.ahead.swap_remove(at);
            } else {
                self.state.pending.push(alert.clone());
                unrecorded = true;
            }
            self.state.record(FiredRecord {
                kind: text::kind_name(&alert.kind).to_string(),
                epoch: alert.milestone.epoch,
                label: alert.milestone.label.clone(),
                due: alert.due,
                late_ms: alert.late_ms,
            });
        }
        changed |= self.drop_unmade();
        let retry_due = self.retry_at.is_some_and(|at| at <= self.now);
        if unrecorded || retry_due || (changed && wake.alerts.is_empty()) {
            // Before the alerts go out (they are sent after the subscriber).
            self.save();
        }
        // Else every alert of this wake is pending on disk already, and the
        // rest (the history) is saved with their delivery, once they are
        // out: nothing is written between the boundary and the notification.
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
            Message::Signal(_) => {
                // Where it stopped, for the next start (see `set_history`).
                drop(err);
                self.save();
                return Ok(Flow::Stop(Exit::Success));
            }
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

    fn ahead(&self) -> Option<Duration> {
        Some(PENDING_AHEAD)
    }

    fn on_ahead(&mut self, alerts: &[Alert]) -> Result<()> {
        let mut changed = false;
        for alert in alerts {
            let key = alert.key();
            if !self.is_pending(&key) {
                self.state.pending.push(alert.clone());
                changed = true;
            }
            if !self.ahead.contains(&key) {
                self.ahead.push(key);
            }
        }
        if changed {
            self.save();
        }
        Ok(())
    }

    fn wake_by(&self) -> Option<Epoch> {
        self.retry_at
    }
}
