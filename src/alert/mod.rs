//! Alert sinks: desktop notifications, the terminal bell and exec hooks.
//!
//! Subscribers to engine events. Sending happens off the ticking thread:
//! `Dispatcher::send` only enqueues, so a hung D-Bus or hook never delays
//! the clock. Failures come back as `Report`s through a callback, once.

use std::time::Duration;

use crate::calendar::Zone;
use crate::config::AlertSettings;
use crate::milestone::{Epoch, Milestone};

/// What an alert is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AlertKind {
    /// The milestone's second has come (possibly late).
    Milestone,
    /// `lead` seconds before the milestone.
    Reminder { lead: i64 },
    /// Several milestones passed too long ago to alert one by one
    /// (`milestone` is the last of them).
    Missed { count: u64, first: Milestone },
}

/// One alert to deliver on every configured channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
    pub kind: AlertKind,
    pub milestone: Milestone,
    /// The instant the alert was due.
    pub due: Epoch,
    /// How late it is being delivered, in milliseconds (0 when on time).
    pub late_ms: i64,
}

/// What the dispatcher tells its owner (the display or the daemon's log).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Report {
    /// Ring the terminal bell now (`--bell`, or standing in for a failed notification).
    Bell,
    /// A channel failed; said once per channel until it works again.
    Failed { channel: String, message: String },
    /// A channel works again after a failure.
    Recovered { channel: String },
}

/// Delivers alerts on a worker thread.
pub struct Dispatcher {}

impl Dispatcher {
    pub fn start(
        _settings: AlertSettings,
        _zone: Zone,
        _on_report: Box<dyn Fn(Report) + Send + 'static>,
    ) -> Dispatcher {
        Dispatcher {}
    }

    /// Enqueue an alert; never blocks.
    pub fn send(&self, _alert: Alert) {}

    /// Stop accepting alerts and give in-flight ones up to `grace` to finish.
    pub fn shutdown(self, _grace: Duration) {}
}
