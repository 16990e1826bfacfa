//! Alert sinks: desktop notifications, the terminal bell and exec hooks.
//!
//! Subscribers to engine events. Sending happens off the ticking thread:
//! `Dispatcher::send` only enqueues, so a hung D-Bus or hook never delays
//! the clock. Failures come back as `Report`s through a callback, once.

pub mod desktop;
pub mod exec;
pub mod text;

use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::clock::WallTime;
use crate::config::AlertSettings;
use crate::engine::{Event, MissCause};
use crate::milestone::{Epoch, Milestone};
use crate::time::Zone;

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
            Event::Tick { .. } => None,
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

/// Delivers alerts on a worker thread.
///
/// The worker hands each desktop notification to the bus thread (one
/// kept connection, see [`desktop`]) and waits at most `timeout_ms` for
/// it; while a call hangs, further desktop sends are skipped, with the
/// bell standing in. Hooks run concurrently, each waited for by a reaper
/// thread. The callback is only ever called from the worker thread.
pub struct Dispatcher {
    tx: mpsc::Sender<Msg>,
    worker: Option<JoinHandle<()>>,
    done: mpsc::Receiver<()>,
}

enum Msg {
    Alert(Box<Alert>),
    /// The alerts due at a second, known a moment before it.
    Ahead(Epoch, Vec<Alert>),
    ExecDone(exec::Outcome),
    Stop,
}

impl Dispatcher {
    pub fn start(
        settings: AlertSettings,
        zone: Zone,
        on_report: Box<dyn Fn(Report) + Send + 'static>,
    ) -> Dispatcher {
        let (tx, rx) = mpsc::channel();
        let (done_tx, done) = mpsc::channel();
        let timeout = Duration::from_millis(settings.timeout_ms.max(1));
        let desktop = settings.desktop.then(|| {
            let mut desktop = desktop::Desktop::start(timeout);
            // Connected before the first alert is due, not at it.
            desktop.warm_up();
            desktop
        });
        let mut worker = Worker {
            desktop,
            settings,
            zone,
            on_report,
            tx: tx.clone(),
            desktop_failed: false,
            exec_failed: false,
            execs_running: 0,
        };
        let handle = thread::Builder::new()
            .name("epochwatch-alerts".to_string())
            .spawn(move || {
                worker.run(&rx);
                let _ = done_tx.send(());
            });
        Dispatcher {
            tx,
            worker: handle.ok(),
            done,
        }
    }

    /// Enqueue an alert; never blocks.
    pub fn send(&self, alert: Alert) {
        if self.worker.is_some() {
            let _ = self.tx.send(Msg::Alert(Box::new(alert)));
        }
    }

    /// The alerts the engine will send at the second `due`, a moment
    /// before it: their notifications are sent at that second by the bus
    /// thread itself ([`desktop::Desktop::send_at`]), and the alerts, when
    /// they come, find them sent. Never blocks.
    pub fn ahead(&self, due: Epoch, alerts: Vec<Alert>) {
        if self.worker.is_some() && !alerts.is_empty() {
            let _ = self.tx.send(Msg::Ahead(due, alerts));
        }
    }

    /// Stop accepting alerts and give in-flight ones up to `grace` to finish.
    pub fn shutdown(mut self, grace: Duration) {
        let _ = self.tx.send(Msg::Stop);
        // A worker still busy after `grace` is left detached: it ends with the process.
        if let Some(handle) = self.worker.take()
            && self.done.recv_timeout(grace).is_ok()
        {
            let _ = handle.join();
        }
    }
}

struct Worker {
    /// The bus thread, when desktop notifications are on.
    desktop: Option<desktop::Desktop>,
    settings: AlertSettings,
    zone: Zone,
    on_report: Box<dyn Fn(Report) + Send + 'static>,
    tx: mpsc::Sender<Msg>,
    desktop_failed: bool,
    exec_failed: bool,
    execs_running: usize,
}

impl Worker {
    fn run(&mut self, rx: &mpsc::Receiver<Msg>) {
        loop {
            match rx.recv() {
                Ok(Msg::Alert(alert)) => self.deliver(&alert),
                Ok(Msg::Ahead(due, alerts)) => self.ahead(due, &alerts),
                Ok(Msg::ExecDone(outcome)) => self.exec_done(outcome),
                Ok(Msg::Stop) | Err(_) => break,
            }
        }
        // Drain what is queued, then wait (bounded by the owner's grace) for hooks.
        while let Ok(msg) = rx.try_recv() {
            match msg {
                Msg::Alert(alert) => self.deliver(&alert),
                Msg::ExecDone(outcome) => self.exec_done(outcome),
                Msg::Ahead(..) | Msg::Stop => {}
            }
        }
        let limit = Instant::now() + self.timeout() + Duration::from_millis(500);
        while self.execs_running > 0 {
            let left = limit.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(Msg::ExecDone(outcome)) => self.exec_done(outcome),
                Ok(_) => {}
                Err(_) => break,
            }
        }
    }

    fn timeout(&self) -> Duration {
        Duration::from_millis(self.settings.timeout_ms.max(1))
    }

    fn report(&self, report: Report) {
        (self.on_report)(report);
    }

    fn deliver(&mut self, alert: &Alert) {
        let mut rang = false;
        if self.settings.bell {
            self.report(Report::Bell);
            rang = true;
        }
        if self.settings.desktop && !self.desktop(alert) && !rang {
            // The bell stands in for a notification that did not go out.
            self.report(Report::Bell);
        }
        if let Some(argv) = self.settings.exec.clone() {
            let tx = self.tx.clone();
            self.execs_running += 1;
            exec::run(&argv, alert, self.timeout(), move |outcome| {
                let _ = tx.send(Msg::ExecDone(outcome));
            });
        }
        self.report(Report::Delivered { key: alert.key() });
    }

    /// Hand the notifications of the alerts due at `due` to the bus thread,
    /// to send at that second (while the channel works).
    fn ahead(&mut self, due: Epoch, alerts: &[Alert]) {
        let zone = self.zone;
        if self.desktop_failed {
            return;
        }
        let Some(desktop) = self.desktop.as_mut() else {
            return;
        };
        let notes = alerts
            .iter()
            .map(|alert| (alert.key(), note(alert, zone)))
            .collect();
        desktop.send_at(WallTime::from_secs(due), notes);
    }

    /// Send the notification; true when the server took it.
    fn desktop(&mut self, alert: &Alert) -> bool {
        let zone = self.zone;
        let Some(desktop) = self.desktop.as_mut() else {
            return false;
        };
        let result = desktop
            .notify_alert(alert.key(), note(alert, zone))
            .map_err(|failure| match failure {
                desktop::Failure::NoAnswer => format!(
                    "the notification server did not answer within {} ms",
                    self.timeout().as_millis()
                ),
                desktop::Failure::Error(message) => message,
            });
        match result {
            Ok(()) => {
                if self.desktop_failed {
                    self.desktop_failed = false;
                    self.report(Report::Recovered {
                        channel: "desktop".to_string(),
                    });
                }
                true
            }
            Err(message) => {
                if !self.desktop_failed {
                    self.desktop_failed = true;
                    self.report(Report::Failed {
                        channel: "desktop".to_string(),
                        message: format!("{message}; ringing the bell instead"),
                    });
                }
                false
            }
        }
    }

    fn exec_done(&mut self, outcome: exec::Outcome) {
        self.execs_running = self.execs_running.saturating_sub(1);
        match outcome {
            exec::Outcome::Ok => {
                if self.exec_failed {
                    self.exec_failed = false;
                    self.report(Report::Recovered {
                        channel: "exec".to_string(),
                    });
                }
            }
            exec::Outcome::Failed(message) => {
                if !self.exec_failed {
                    self.exec_failed = true;
                    self.report(Report::Failed {
                        channel: "exec".to_string(),
                        message,
                    });
                }
            }
        }
    }
}

/// The desktop notification of `alert`.
fn note(alert: &Alert, zone: Zone) -> desktop::Note {
    let msg = text::message(alert, zone);
    let urgency = match alert.kind {
        AlertKind::Milestone => desktop::Urgency::Critical,
        AlertKind::Reminder { .. } | AlertKind::Missed { .. } => desktop::Urgency::Normal,
    };
    desktop::Note {
        summary: msg.summary,
        body: msg.body,
        urgency,
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::milestone::Milestone;
    use std::sync::{Arc, Mutex};

    fn settings() -> AlertSettings {
        AlertSettings {
            remind: Vec::new(),
            desktop: false,
            bell: false,
            exec: None,
            timeout_ms: 2_000,
            catch_up: 3_600,
        }
    }

    fn alert(notify: bool) -> Alert {
        Alert {
            kind: AlertKind::Milestone,
            milestone: Milestone {
                epoch: 2_000_000_000,
                label: "2 billion".to_string(),
                rule: "every:1000000000".to_string(),
                notify,
            },
            due: 2_000_000_000,
            late_ms: 0,
        }
    }

    fn collect(settings: AlertSettings, alerts: Vec<Alert>) -> Vec<Report> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        let d = Dispatcher::start(
            settings,
            Zone::Utc,
            // What a person is told (deliveries are for the state file).
            Box::new(move |r| {
                if !matches!(r, Report::Delivered { .. }) {
                    sink.lock().unwrap().push(r)
                }
            }),
        );
        // As the live loop does: an engine event becomes an alert (or not).
        for a in alerts {
            let reached = Event::Reached {
                milestone: a.milestone,
                late_ms: a.late_ms,
            };
            if let Some(alert) = Alert::from_event(&reached, WallTime::from_secs(a.due)) {
                d.send(alert);
            }
        }
        d.shutdown(Duration::from_secs(10));
        seen.lock().unwrap().clone()
    }

    #[test]
    fn bell_rings_per_alert_but_not_for_silent_milestones() {
        let s = AlertSettings {
            bell: true,
            ..settings()
        };
        let reports = collect(s, vec![alert(true), alert(false), alert(true)]);
        assert_eq!(reports, vec![Report::Bell, Report::Bell]);
    }

    #[test]
    fn failing_hook_is_reported_once() {
        let s = AlertSettings {
            exec: Some(vec!["false".to_string()]),
            ..settings()
        };
        let reports = collect(s, vec![alert(true), alert(true)]);
        assert_eq!(reports.len(), 1, "{reports:?}");
        assert!(matches!(&reports[0], Report::Failed { channel, .. } if channel == "exec"));
    }
}
