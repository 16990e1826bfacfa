//! The daemon's subscriber: it keeps the state file in step with the
//! engine (saved before the alerts of a wake are sent, so a restart never
//! repeats one), prints each alert with `--verbose`, reports failing
//! channels on stderr, and turns SIGTERM/SIGINT into a clean stop and
//! SIGHUP into a reload.

use std::io::Write;

use signal_hook::consts::signal::SIGHUP;

use super::{Flow, Message, Subscriber, Wake};
use crate::alert::{Report, text};
use crate::error::{Exit, Result};
use crate::state::{FiredRecord, State, StateDir};

pub struct Record {
    dir: StateDir,
    state: State,
    verbose: bool,
}

impl Record {
    pub fn new(dir: StateDir, state: State, verbose: bool) -> Record {
        Record {
            dir,
            state,
            verbose,
        }
    }
}

impl Subscriber for Record {
    fn on_wake(&mut self, wake: &Wake<'_>) -> Result<Flow> {
        if wake.fired_through != self.state.fired_through {
            self.state.fired_through = wake.fired_through;
            for alert in wake.alerts {
                self.state.record(FiredRecord {
                    kind: text::kind_name(&alert.kind).to_string(),
                    epoch: alert.milestone.epoch,
                    label: alert.milestone.label.clone(),
                    due: alert.due,
                    late_ms: alert.late_ms,
                });
            }
            // Saved before the alerts go out: a crash now loses an alert at
            // worst, never repeats one.
            self.dir.save(&self.state)?;
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
            Message::Input(_) => {}
        }
        let _ = err.flush();
        Ok(Flow::Continue)
    }
}
