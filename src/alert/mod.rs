//! Alerts: what one is (here), what it says (`text`), and how it reaches
//! the user: the dispatcher (`dispatch`) delivers it off the ticking
//! thread on each channel, desktop notifications (`desktop`), the
//! terminal bell and exec hooks (`exec`), and says what became of it in
//! [`Report`]s.

pub mod desktop;
mod dispatch;
pub mod exec;
pub mod text;

pub use dispatch::Dispatcher;

use crate::clock::WallTime;
use crate::engine::{Event, MissCause};
use crate::milestone::{Epoch, Milestone};

/// What an alert is about.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AlertKind {
    /// The milestone's second has come (possibly late).
    Milestone,
    /// `lead` seconds before the milestone.
    Reminder { lead: i64 },
    /// Several milestones passed too long ago to alert one by one
    /// (`milestone` is the last of them).
    Missed {
        count: u64,
        first: Milestone,
        cause: MissCause,
    },
}

/// One alert to deliver on every configured channel.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Alert {
    pub kind: AlertKind,
    pub milestone: Milestone,
    /// The instant the alert was due.
    pub due: Epoch,
    /// How late it is being delivered, in milliseconds (0 when on time).
    pub late_ms: i64,
}

impl Alert {
    /// What identifies this alert among all alerts: its kind, milestone and lead.
    pub fn key(&self) -> String {
        match &self.kind {
            AlertKind::Milestone => format!("milestone:{}", self.milestone.epoch),
            AlertKind::Reminder { lead } => format!("reminder:{}:{lead}", self.milestone.epoch),
            AlertKind::Missed { first, .. } => {
                format!("missed:{}:{}", first.epoch, self.milestone.epoch)
            }
        }
    }

    /// The alert an engine event stands for: none for ticks, nor for
    /// milestones configured to be shown but not notified.
    pub fn from_event(event: &Event, now: WallTime) -> Option<Alert> {
        match event {
            Event::Tick { .. } | Event::Countdown { .. } => None,
            Event::Reminder {
                milestone,
                lead,
                due,
                late_ms,
            } => milestone.notify.then(|| Alert {
                kind: AlertKind::Reminder { lead: *lead },
                milestone: milestone.clone(),
                due: *due,
                late_ms: *late_ms,
            }),
            Event::Reached { milestone, late_ms } => milestone.notify.then(|| Alert {
                kind: AlertKind::Milestone,
                milestone: milestone.clone(),
                due: milestone.epoch,
                late_ms: *late_ms,
            }),
            Event::Missed {
                count,
                first,
                last,
                cause,
            } => Some(Alert {
                kind: AlertKind::Missed {
                    count: *count,
                    first: first.clone(),
                    cause: *cause,
                },
                milestone: last.clone(),
                due: last.epoch,
                late_ms: now.millis_since(last.epoch).max(0),
            }),
        }
    }
}

/// A second of the final countdown before a notified milestone: no alert
/// (nothing is recorded), only the desktop notification that becomes the
/// milestone's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Countdown {
    pub milestone: Milestone,
    /// Whole seconds to the milestone (at least 1).
    pub left: i64,
}

impl Countdown {
    pub fn from_event(event: &Event) -> Option<Countdown> {
        match event {
            Event::Countdown { milestone, left } => Some(Countdown {
                milestone: milestone.clone(),
                left: *left,
            }),
            _ => None,
        }
    }
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
    /// Every channel has had the alert with this [`Alert::key`] (whatever
    /// each made of it): it need not be sent again after a crash.
    Delivered { key: String },
}

impl Report {
    /// One line for stderr or a status bar, without the trailing newline.
    pub fn describe(&self) -> Option<String> {
        match self {
            Report::Bell => None,
            Report::Failed { channel, message } => {
                Some(format!("{channel} alerts failed: {message}"))
            }
            Report::Recovered { channel } => Some(format!("{channel} alerts work again")),
            Report::Delivered { .. } => None,
        }
    }
}
