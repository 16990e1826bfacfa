//! The dispatcher: the alerts and countdown seconds of each wake are
//! handed on without waiting, so a hung bus or hook never delays the clock.
//! Each notification goes straight to the bus thread ([`Desktop`]); the
//! rest goes to a worker thread, which rings the bell, runs the hooks,
//! waits for the notification's answer and says what became of each
//! alert through a callback, as [`Report`]s: the bell to ring, a channel
//! failed or works again (once each), an alert delivered.
//!
//! The worker waits at most the timeout for a notification (half a
//! second for a countdown update, which comes again a second later);
//! while one still hangs, later ones skip the desktop at once and the
//! bell stands in for them. Hooks run concurrently, each waited for by a
//! reaper thread.

use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::desktop::{Answer, Desktop, Failure, Note, Urgency};
use super::{Alert, AlertKind, Countdown, Report, exec, text};
use crate::config::AlertSettings;
use crate::time::Zone;

/// The longest wait for a countdown update: the next one comes a second
/// after it, and the milestone's must not queue behind it.
const COUNTDOWN_WAIT: Duration = Duration::from_millis(500);

/// Delivers alerts; see the module.
pub struct Dispatcher {
    /// The bus thread, when desktop notifications are on.
    desktop: Option<Desktop>,
    settings: AlertSettings,
    zone: Zone,
    tx: mpsc::Sender<Request>,
    worker: Option<JoinHandle<()>>,
    done: mpsc::Receiver<()>,
}

/// What the worker is asked to do.
enum Request {
    /// Deliver an alert; its notification, if it has one, is on its way.
    Alert(Box<Alert>, Option<Answer<()>>),
    /// A countdown update on its way, to report on.
    Countdown(Answer<()>),
    Settings(Box<AlertSettings>),
    HookDone(exec::Outcome),
    Stop,
}

impl Dispatcher {
    /// Start the worker (and the bus thread); `on_report` is only ever
    /// called from the worker.
    pub fn start(
        settings: AlertSettings,
        zone: Zone,
        on_report: Box<dyn Fn(Report) + Send + 'static>,
    ) -> Dispatcher {
        // The zone's data is read on first use: not at the first alert.
        let _ = crate::time::format_datetime(0, zone);
        let (tx, rx) = mpsc::channel();
        let (done_tx, done) = mpsc::channel();
        let mut worker = Worker {
            settings: settings.clone(),
            on_report,
            tx: tx.clone(),
            desktop_health: Health::new("desktop"),
            hook_health: Health::new("exec"),
            hooks_running: 0,
        };
        let handle = thread::Builder::new()
            .name("epochwatch-alerts".to_string())
            .spawn(move || {
                worker.run(&rx);
                let _ = done_tx.send(());
            });
        Dispatcher {
            desktop: settings.desktop.then(Desktop::start),
            settings,
            zone,
            tx,
            worker: handle.ok(),
            done,
        }
    }

    fn request(&self, request: Request) {
        if self.worker.is_some() {
            let _ = self.tx.send(request);
        }
    }

    /// Deliver an alert; never blocks.
    pub fn send(&self, alert: Alert) {
        let answer = self
            .desktop
            .as_ref()
            .filter(|_| !self.shown_by_countdown(&alert))
            .map(|desktop| {
                let milestone = matches!(alert.kind, AlertKind::Milestone);
                let words = text::wording(&alert, self.zone);
                let note = Note {
                    summary: words.summary,
                    body: words.body,
                    urgency: if milestone {
                        Urgency::Critical
                    } else {
                        Urgency::Normal
                    },
                    sound: milestone && self.settings.sound,
                    transient: false,
                };
                // A milestone's takes the place of its countdown.
                desktop.notify(note, milestone.then_some(alert.milestone.epoch))
            });
        self.request(Request::Alert(Box::new(alert), answer));
    }

    /// A reminder inside the countdown has no notification of its own:
    /// the countdown shows it (it is folded into it; the bell and hooks
    /// still go off for it).
    fn shown_by_countdown(&self, alert: &Alert) -> bool {
        matches!(alert.kind, AlertKind::Reminder { lead } if lead <= self.settings.countdown)
    }

    /// Show or update the countdown's notification; never blocks.
    pub fn countdown(&self, countdown: &Countdown) {
        let Some(desktop) = &self.desktop else {
            return;
        };
        let words = text::countdown_wording(countdown, self.zone);
        let note = Note {
            summary: words.summary,
            body: words.body,
            urgency: Urgency::Normal,
            sound: false,
            transient: true,
        };
        let answer = desktop.countdown(countdown.milestone.epoch, note);
        self.request(Request::Countdown(answer));
    }

    /// Deliver by `settings` from now on (a reload): the bus thread, and a
    /// countdown on screen, are kept while notifications stay on.
    pub fn reconfigure(&mut self, settings: AlertSettings, zone: Zone) {
        if !settings.desktop {
            self.desktop = None;
        } else if self.desktop.is_none() {
            self.desktop = Some(Desktop::start());
        }
        self.zone = zone;
        self.settings = settings.clone();
        self.request(Request::Settings(Box::new(settings)));
    }

    /// Stop accepting alerts and give in-flight ones up to `grace` to finish.
    pub fn shutdown(mut self, grace: Duration) {
        let _ = self.tx.send(Request::Stop);
        // A worker still busy after `grace` is left detached: it ends with the process.
        if let Some(handle) = self.worker.take()
            && self.done.recv_timeout(grace).is_ok()
        {
            let _ = handle.join();
        }
    }
}

/// Whether a channel works, so that its failure is said once, and that it
/// works again once, after it had failed.
struct Health {
    channel: &'static str,
    failed: bool,
}

impl Health {
    fn new(channel: &'static str) -> Health {
        Health {
            channel,
            failed: false,
        }
    }

    /// What to report of this outcome, if anything.
    fn outcome(&mut self, outcome: Result<(), String>) -> Option<Report> {
        match outcome {
            Ok(()) if self.failed => {
                self.failed = false;
                Some(Report::Recovered {
                    channel: self.channel.to_string(),
                })
            }
            Err(message) if !self.failed => {
                self.failed = true;
                Some(Report::Failed {
                    channel: self.channel.to_string(),
                    message,
                })
            }
            _ => None,
        }
    }
}

struct Worker {
    settings: AlertSettings,
    on_report: Box<dyn Fn(Report) + Send + 'static>,
    tx: mpsc::Sender<Request>,
    desktop_health: Health,
    hook_health: Health,
    hooks_running: usize,
}

impl Worker {
    fn run(&mut self, rx: &mpsc::Receiver<Request>) {
        while let Ok(request) = rx.recv() {
            if !self.handle(request) {
                break;
            }
        }
        // Deliver what is queued, then wait (bounded by the owner's grace) for hooks.
        while let Ok(request) = rx.try_recv() {
            if matches!(request, Request::Alert(..) | Request::HookDone(_)) {
                self.handle(request);
            }
        }
        let limit = Instant::now() + self.timeout() + Duration::from_millis(500);
        while self.hooks_running > 0 {
            let left = limit.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(Request::HookDone(outcome)) => self.hook_done(outcome),
                Ok(_) => {}
                Err(_) => break,
            }
        }
    }

    /// Do what is asked; false for a stop.
    fn handle(&mut self, request: Request) -> bool {
        match request {
            Request::Alert(alert, answer) => self.deliver(&alert, answer),
            Request::Countdown(answer) => {
                let wait = COUNTDOWN_WAIT.min(self.timeout());
                self.desktop_outcome(answer.wait(wait), wait);
            }
            Request::Settings(settings) => self.settings = *settings,
            Request::HookDone(outcome) => self.hook_done(outcome),
            Request::Stop => return false,
        }
        true
    }

    fn timeout(&self) -> Duration {
        Duration::from_millis(self.settings.timeout_ms.max(1))
    }

    fn report(&self, report: Report) {
        (self.on_report)(report);
    }

    fn deliver(&mut self, alert: &Alert, notification: Option<Answer<()>>) {
        let mut rang = false;
        if self.settings.bell {
            self.report(Report::Bell);
            rang = true;
        }
        if let Some(answer) = notification {
            let wait = self.timeout();
            if !self.desktop_outcome(answer.wait(wait), wait) && !rang {
                // The bell stands in for a notification that did not go out.
                self.report(Report::Bell);
            }
        }
        if let Some(argv) = self.settings.exec.clone() {
            let tx = self.tx.clone();
            self.hooks_running += 1;
            exec::run(&argv, alert, self.timeout(), move |outcome| {
                let _ = tx.send(Request::HookDone(outcome));
            });
        }
        self.report(Report::Delivered { key: alert.key() });
    }

    /// Report what a desktop call came to (once per failure); true when it
    /// went out.
    fn desktop_outcome(&mut self, result: Result<(), Failure>, wait: Duration) -> bool {
        let outcome = result.map_err(|failure| {
            let why = match failure {
                Failure::NoAnswer => format!(
                    "the notification server did not answer within {} ms",
                    wait.as_millis()
                ),
                Failure::Error(message) => message,
            };
            format!("{why}; ringing the bell instead")
        });
        let shown = outcome.is_ok();
        if let Some(report) = self.desktop_health.outcome(outcome) {
            self.report(report);
        }
        shown
    }

    fn hook_done(&mut self, outcome: exec::Outcome) {
        self.hooks_running = self.hooks_running.saturating_sub(1);
        let outcome = match outcome {
            exec::Outcome::Ok => Ok(()),
            exec::Outcome::Failed(message) => Err(message),
        };
        if let Some(report) = self.hook_health.outcome(outcome) {
            self.report(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::WallTime;
    use crate::engine::Event;
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
            countdown: 10,
            sound: true,
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

#[cfg(test)]
mod health {
    use super::*;

    #[test]
    fn a_failure_is_said_once_and_its_end_once() {
        let mut health = Health::new("desktop");
        assert_eq!(health.outcome(Ok(())), None);
        let failed = health.outcome(Err("down".to_string()));
        assert!(matches!(failed, Some(Report::Failed { ref message, .. }) if message == "down"));
        assert_eq!(health.outcome(Err("still down".to_string())), None);
        assert_eq!(
            health.outcome(Ok(())),
            Some(Report::Recovered {
                channel: "desktop".to_string()
            })
        );
        assert_eq!(health.outcome(Ok(())), None);
    }
}
