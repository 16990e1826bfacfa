//! Desktop notifications through notify-rust, on a thread of their own
//! (`epochwatch-dbus`) so that the caller never waits longer than the
//! timeout, whatever the bus or the server does.
//!
//! Each new notification is shown by notify-rust on a connection of its
//! own (its `show`), after asking the server whether it reads markup in
//! bodies (`get_capabilities`, `body-markup`): the body is escaped for a
//! server that does, and sent as plain text to one that does not. The
//! final countdown's notification keeps its handle, and with it its
//! connection: each second's update, and at last the milestone's own
//! notification, replace it in place (`NotificationHandle::update`, the
//! same id). A handle whose connection or server went away is replaced by
//! a new notification.
//!
//! Calls are handed to the bus thread without waiting; whoever waits for
//! one's answer waits at most the time it gives, and while a call still
//! hangs, later calls fail at once rather than queue behind it.
//!
//! The XDG (D-Bus) parts are behind `cfg`; elsewhere notify-rust's own
//! backends show each notification anew (untested, as the README says).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use super::text::escape_markup;
use crate::milestone::Epoch;

pub const APP_NAME: &str = "epochwatch";

/// The sound a milestone asks for (the freedesktop sound theme's name).
const MILESTONE_SOUND: &str = "alarm-clock-elapsed";

/// How long a countdown notification stays without its next update: it
/// is gone soon after a countdown that stopped (a stopped process, a
/// clock stepped back), and never expires while updated each second.
const COUNTDOWN_EXPIRES_MS: u32 = 2_500;

/// How urgent a notification is (the specification's `urgency` hint).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    Normal,
    Critical,
}

/// One notification, its body in plain text (escaped here when the server
/// reads markup).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub summary: String,
    pub body: String,
    pub urgency: Urgency,
    /// Ask the server to play the milestone sound.
    pub sound: bool,
    /// Expire soon unless updated (the countdown's), rather than when the
    /// server decides.
    pub transient: bool,
}

/// What the notification server said about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerInfo {
    pub name: String,
    pub vendor: String,
    pub version: String,
    pub spec_version: String,
}

/// Why a call did not succeed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No answer within the wait (or an earlier call still hangs).
    NoAnswer,
    /// One sentence saying what went wrong.
    Error(String),
}

/// Why no session bus can be reached, found without touching the bus:
/// `DBUS_SESSION_BUS_ADDRESS` unset and no socket at `$XDG_RUNTIME_DIR/bus`
/// (where zbus would look next). `None` when there is an address to try.
pub fn missing_bus_reason() -> Option<String> {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return None;
    }
    match std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
        Some(v) if !v.is_empty() => None,
        _ => {
            let runtime = std::env::var_os("XDG_RUNTIME_DIR");
            let fallback = runtime
                .as_ref()
                .map(|dir| std::path::Path::new(dir).join("bus"));
            match fallback {
                Some(path) if path.exists() => None,
                _ => Some(
                    "DBUS_SESSION_BUS_ADDRESS is not set and there is no session bus at \
                     $XDG_RUNTIME_DIR/bus, so there is no D-Bus session to send \
                     notifications on (is this a desktop session? under systemd --user, \
                     the session bus usually comes with dbus-user-session)"
                        .to_string(),
                ),
            }
        }
    }
}

/// What went wrong with a call, as far as trying again is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Trouble {
    /// The connection is unusable (the bus went away).
    ConnectionLost,
    /// No server owns the notification service.
    ServerGone,
    /// The server did not answer.
    NoAnswer,
    /// Anything else.
    Other,
}

/// notify-rust's errors say what happened only in words (its error kinds
/// are private): the D-Bus error names and zbus's own phrases.
fn trouble(text: &str) -> Trouble {
    if text.contains("org.freedesktop.DBus.Error.ServiceUnknown")
        || text.contains("org.freedesktop.DBus.Error.NameHasNoOwner")
    {
        Trouble::ServerGone
    } else if text.contains("org.freedesktop.DBus.Error.NoReply")
        || text.contains("org.freedesktop.DBus.Error.TimedOut")
    {
        Trouble::NoAnswer
    } else if text.contains("org.freedesktop.") {
        Trouble::Other
    } else {
        // I/O, the handshake, an address that leads nowhere, a closed connection.
        Trouble::ConnectionLost
    }
}

/// A notify-rust error as one readable sentence.
fn explain(err: &notify_rust::error::Error) -> Failure {
    let text = err.to_string();
    match trouble(&text) {
        Trouble::NoAnswer => Failure::NoAnswer,
        Trouble::ServerGone => Failure::Error(
            "no notification service (org.freedesktop.Notifications) is running on the \
             session bus"
                .to_string(),
        ),
        Trouble::ConnectionLost => {
            Failure::Error(format!("cannot connect to the D-Bus session bus: {text}"))
        }
        Trouble::Other => Failure::Error(format!("D-Bus: {text}")),
    }
}

/// A notification on screen that later ones replace: the countdown's.
struct Kept {
    milestone: Epoch,
    handle: notify_rust::NotificationHandle,
    /// Whether its server reads body markup.
    markup: bool,
}

/// What the bus thread keeps between calls. Every method blocks; only the
/// bus thread calls them.
struct Session {
    /// Every notification starts as this (the app name set).
    base: notify_rust::Notification,
    /// The countdown's notification, while one is on screen.
    countdown: Option<Kept>,
}

impl Session {
    fn new() -> Session {
        let mut base = notify_rust::Notification::new();
        base.appname(APP_NAME);
        Session {
            base,
            countdown: None,
        }
    }

    /// `note` as notify-rust's notification, its body escaped for a
    /// server that reads markup.
    fn notification(&self, note: &Note, markup: bool) -> notify_rust::Notification {
        let mut notification = self.base.clone();
        notification.summary(&note.summary);
        if markup {
            notification.body(&escape_markup(&note.body));
        } else {
            notification.body(&note.body);
        }
        platform::decorate(&mut notification, note);
        notification
    }

    /// Show `note` as a new notification (a connection of its own).
    fn show(&self, note: &Note) -> Result<(bool, notify_rust::NotificationHandle), Failure> {
        if let Some(reason) = missing_bus_reason() {
            return Err(Failure::Error(reason));
        }
        let markup = platform::reads_markup().map_err(|err| explain(&err))?;
        let handle = self
            .notification(note, markup)
            .show()
            .map_err(|err| explain(&err))?;
        Ok((markup, handle))
    }

    /// Replace the kept notification with `note`; a connection or a
    /// server gone since shows it anew.
    fn replace(&self, kept: &mut Kept, note: &Note) -> Result<(), Failure> {
        let notification = self.notification(note, kept.markup);
        match platform::update(&mut kept.handle, notification) {
            Ok(()) => Ok(()),
            Err(err) => match trouble(&err.to_string()) {
                Trouble::ConnectionLost | Trouble::ServerGone => {
                    let (markup, handle) = self.show(note)?;
                    kept.markup = markup;
                    kept.handle = handle;
                    Ok(())
                }
                Trouble::NoAnswer | Trouble::Other => Err(explain(&err)),
            },
        }
    }

    /// The countdown of `milestone` at a new second: its notification
    /// updated in place, or shown when there is none for it yet.
    fn countdown(&mut self, milestone: Epoch, note: &Note) -> Result<(), Failure> {
        match self.countdown.take() {
            Some(mut kept) if kept.milestone == milestone => {
                let result = self.replace(&mut kept, note);
                // A failed update is not retried; the next second shows anew.
                if result.is_ok() {
                    self.countdown = Some(kept);
                }
                result
            }
            _ => {
                let (markup, handle) = self.show(note)?;
                self.countdown = Some(Kept {
                    milestone,
                    handle,
                    markup,
                });
                Ok(())
            }
        }
    }

    /// Show `note`; for the milestone whose countdown is on screen, in its
    /// place (the countdown ends there).
    fn notify(&mut self, note: &Note, milestone: Option<Epoch>) -> Result<(), Failure> {
        let counted =
            milestone.is_some() && self.countdown.as_ref().map(|kept| kept.milestone) == milestone;
        match self.countdown.take() {
            Some(mut kept) if counted => self.replace(&mut kept, note),
            kept => {
                self.countdown = kept;
                self.show(note).map(|_| ())
            }
        }
    }
}

/// What notify-rust can do on this platform.
#[cfg(all(unix, not(target_os = "macos")))]
mod platform {
    use super::{COUNTDOWN_EXPIRES_MS, MILESTONE_SOUND, Note, ServerInfo, Urgency};
    use notify_rust::{Hint, Notification, NotificationHandle, Timeout};

    /// Whether the server announces `body-markup`.
    pub fn reads_markup() -> notify_rust::error::Result<bool> {
        Ok(notify_rust::get_capabilities()?
            .iter()
            .any(|c| c == "body-markup"))
    }

    pub fn decorate(notification: &mut Notification, note: &Note) {
        notification.urgency(match note.urgency {
            Urgency::Normal => notify_rust::Urgency::Normal,
            Urgency::Critical => notify_rust::Urgency::Critical,
        });
        if note.sound {
            notification.hint(Hint::SoundName(MILESTONE_SOUND.to_string()));
        }
        if note.transient {
            notification.timeout(Timeout::Milliseconds(COUNTDOWN_EXPIRES_MS));
        }
    }

    /// Replace the handle's notification on screen with `notification`.
    pub fn update(
        handle: &mut NotificationHandle,
        notification: Notification,
    ) -> notify_rust::error::Result<()> {
        **handle = notification;
        handle.update()
    }

    pub fn server_information() -> notify_rust::error::Result<ServerInfo> {
        let info = notify_rust::get_server_information()?;
        Ok(ServerInfo {
            name: info.name,
            vendor: info.vendor,
            version: info.version,
            spec_version: info.spec_version,
        })
    }
}

/// What notify-rust can do on this platform: its own backend shows each
/// notification anew, with no markup and no server to ask.
#[cfg(not(all(unix, not(target_os = "macos"))))]
mod platform {
    use super::{MILESTONE_SOUND, Note, ServerInfo};
    use notify_rust::{Notification, NotificationHandle};

    pub fn reads_markup() -> notify_rust::error::Result<bool> {
        Ok(false)
    }

    pub fn decorate(notification: &mut Notification, note: &Note) {
        if note.sound {
            notification.sound_name(MILESTONE_SOUND);
        }
    }

    pub fn update(
        handle: &mut NotificationHandle,
        notification: Notification,
    ) -> notify_rust::error::Result<()> {
        *handle = notification.show()?;
        Ok(())
    }

    pub fn server_information() -> notify_rust::error::Result<ServerInfo> {
        Ok(ServerInfo {
            name: std::env::consts::OS.to_string(),
            vendor: "notify-rust".to_string(),
            version: String::new(),
            spec_version: String::new(),
        })
    }
}

type Job = Box<dyn FnOnce(&mut Session) + Send>;

/// The calls handed to the bus thread and not finished yet.
#[derive(Debug, Default)]
struct Calls {
    /// When each was handed over, oldest first (the thread takes them in turn).
    handed: VecDeque<Instant>,
    /// One got no answer in time, and the thread has not caught up since.
    hung: bool,
}

/// The handle on the bus thread. A call is handed over at once (from the
/// thread that has it to make: the live loop's dispatcher), and its
/// [`Answer`] waited for, at most some time, where convenient; while a
/// call hangs, later ones fail at once rather than queue behind it.
pub struct Desktop {
    jobs: Option<mpsc::Sender<Job>>,
    calls: Arc<Mutex<Calls>>,
}

/// What a call handed to the bus thread comes to.
pub struct Answer<T> {
    outcome: Outcome<T>,
    calls: Arc<Mutex<Calls>>,
}

enum Outcome<T> {
    Now(Result<T, Failure>),
    Later(mpsc::Receiver<Result<T, Failure>>),
}

impl<T> Answer<T> {
    /// The call's result, or [`Failure::NoAnswer`] when the oldest call
    /// still unanswered (this one, or one it queued behind) was handed
    /// over longer than `wait` ago: later calls then fail at once while it
    /// hangs.
    pub fn wait(self, wait: Duration) -> Result<T, Failure> {
        let rx = match self.outcome {
            Outcome::Now(result) => return result,
            Outcome::Later(rx) => rx,
        };
        let now = Instant::now();
        let since = lock(&self.calls).handed.front().copied().unwrap_or(now);
        match rx.recv_timeout((since + wait).saturating_duration_since(now)) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let mut calls = lock(&self.calls);
                // Hung, unless it finished in the meantime.
                calls.hung = !calls.handed.is_empty();
                Err(Failure::NoAnswer)
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(Failure::Error(
                "the D-Bus thread stopped without an answer".to_string(),
            )),
        }
    }
}

/// The bookkeeping, whoever held it before (it is only ever a counter).
fn lock(calls: &Mutex<Calls>) -> std::sync::MutexGuard<'_, Calls> {
    calls
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Desktop {
    /// Start the bus thread (it connects on its first call).
    pub fn start() -> Desktop {
        let (jobs, rx) = mpsc::channel::<Job>();
        let calls = Arc::new(Mutex::new(Calls::default()));
        let finished = Arc::clone(&calls);
        let spawned = thread::Builder::new()
            .name("epochwatch-dbus".to_string())
            .spawn(move || {
                let mut session = Session::new();
                for job in rx {
                    job(&mut session);
                    let mut calls = lock(&finished);
                    calls.handed.pop_front();
                    if calls.handed.is_empty() {
                        calls.hung = false;
                    }
                }
            });
        Desktop {
            jobs: spawned.ok().map(|_| jobs),
            calls,
        }
    }

    /// Show one notification; with `milestone`, in place of that
    /// milestone's countdown when it is on screen.
    pub fn notify(&self, note: Note, milestone: Option<Epoch>) -> Answer<()> {
        self.call(move |session| session.notify(&note, milestone))
    }

    /// Show the countdown of `milestone` at a new second (see
    /// [`Session::countdown`]); dropped if the thread gets to it only after
    /// its second is over (it queued behind a call that hung).
    pub fn countdown(&self, milestone: Epoch, note: Note) -> Answer<()> {
        let handed = Instant::now();
        self.call(move |session| {
            if handed.elapsed() >= Duration::from_secs(1) {
                return Err(Failure::NoAnswer);
            }
            session.countdown(milestone, &note)
        })
    }

    /// Ask the notification server who it is.
    pub fn server_information(&self) -> Answer<ServerInfo> {
        self.call(|_| {
            if let Some(reason) = missing_bus_reason() {
                return Err(Failure::Error(reason));
            }
            platform::server_information().map_err(|err| explain(&err))
        })
    }

    fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, Failure> + Send + 'static,
    ) -> Answer<T> {
        let answer = |outcome| Answer {
            outcome,
            calls: Arc::clone(&self.calls),
        };
        let Some(jobs) = &self.jobs else {
            return answer(Outcome::Now(Err(Failure::Error(
                "the D-Bus thread is not running".to_string(),
            ))));
        };
        let mut calls = lock(&self.calls);
        if calls.hung {
            // Still hanging: do not queue another call behind it.
            return answer(Outcome::Now(Err(Failure::NoAnswer)));
        }
        let (tx, rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |session: &mut Session| {
            let _ = tx.send(f(session));
        });
        if jobs.send(job).is_err() {
            return answer(Outcome::Now(Err(Failure::Error(
                "the D-Bus thread is not running".to_string(),
            ))));
        }
        calls.handed.push_back(Instant::now());
        drop(calls);
        answer(Outcome::Later(rx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_to_retry() {
        // As zbus words them (through notify-rust's Display).
        let gone = "org.freedesktop.DBus.Error.ServiceUnknown: The name \
                    org.freedesktop.Notifications was not provided by any .service files";
        assert_eq!(trouble(gone), Trouble::ServerGone);
        assert_eq!(
            trouble("I/O error: Broken pipe (os error 32)"),
            Trouble::ConnectionLost
        );
        assert_eq!(
            trouble("failed to connect to `unix:path=/tmp/bus`: No such file or directory"),
            Trouble::ConnectionLost
        );
        assert_eq!(
            trouble("org.freedesktop.DBus.Error.NoReply: Message recipient disconnected"),
            Trouble::NoAnswer
        );
        assert_eq!(
            trouble("org.freedesktop.DBus.Error.InvalidArgs: bad"),
            Trouble::Other
        );
    }
}
