//! Desktop notifications over D-Bus: `org.freedesktop.Notifications`
//! called with zbus over one session-bus connection, kept for the life of
//! the process on a thread of its own (`epochwatch-dbus`).
//!
//! The connection is opened once (ahead of the first alert, by
//! [`Desktop::warm_up`]) and opened again when the bus went away; the
//! server is asked once for its capabilities and asked again when it went
//! away. A notification goes to the server whose capabilities were asked
//! (its unique name), so its body is escaped exactly when that server
//! announced `body-markup`, and sent as plain text otherwise.
//!
//! Callers never wait more than the timeout: a call that gets no answer
//! in time fails, and while it still hangs further calls fail at once
//! rather than queueing behind it.
//!
//! A notification known ahead of its second (the daemon announces its
//! alerts a moment before) is handed over early with [`Desktop::send_at`]:
//! the bus thread sleeps until that second itself and sends it on waking,
//! so no hand-over between threads stands between the boundary and the
//! bus. The alert that follows from the engine at the boundary then finds
//! it sent ([`Desktop::notify_alert`]) and is not sent again.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use zbus::Connection;

use super::text::escape_markup;
use crate::clock::{Clock, SystemClock, Wake, Waker, WallTime};

pub const APP_NAME: &str = "epochwatch";

const SERVICE: &str = "org.freedesktop.Notifications";
const OBJECT_PATH: &str = "/org/freedesktop/Notifications";

/// The `urgency` hint of the specification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    Normal = 1,
    Critical = 2,
}

/// One notification, its body in plain text (escaped here when the server
/// reads markup).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub summary: String,
    pub body: String,
    pub urgency: Urgency,
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
    /// No answer within the timeout (or an earlier call still hangs).
    NoAnswer,
    /// One sentence saying what went wrong.
    Error(String),
}

/// Why no session bus can be reached, found without touching the bus:
/// `DBUS_SESSION_BUS_ADDRESS` unset and no socket at `$XDG_RUNTIME_DIR/bus`
/// (where zbus would look next). `None` when there is an address to try.
pub fn missing_bus_reason() -> Option<String> {
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

/// What went wrong with a call, as far as retrying it is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Trouble {
    /// The connection is unusable (the bus went away): open a new one.
    ConnectionLost,
    /// The server we knew is gone from the bus: ask who serves now.
    ServerGone,
    /// The server did not answer in time.
    NoAnswer,
    /// Anything else: retrying would not help.
    Other,
}

fn trouble(err: &zbus::Error) -> Trouble {
    match err {
        zbus::Error::FDO(e) => match e.as_ref() {
            zbus::fdo::Error::ServiceUnknown(_) | zbus::fdo::Error::NameHasNoOwner(_) => {
                Trouble::ServerGone
            }
            zbus::fdo::Error::NoReply(_) | zbus::fdo::Error::TimedOut(_) => Trouble::NoAnswer,
            _ => Trouble::Other,
        },
        zbus::Error::MethodError(..) => Trouble::Other,
        zbus::Error::InputOutput(e) if e.kind() == std::io::ErrorKind::TimedOut => {
            Trouble::NoAnswer
        }
        // I/O, handshake, a closed connection: whatever else happened on the way.
        _ => Trouble::ConnectionLost,
    }
}

/// Turn a zbus error into one readable sentence.
fn explain(err: &zbus::Error) -> Failure {
    let text = err.to_string();
    match trouble(err) {
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

/// The notification server we talk to: its unique name on the bus (so a
/// notification reaches the server whose capabilities we know) and
/// whether it reads markup in bodies.
#[derive(Clone, Debug)]
struct Server {
    unique_name: String,
    markup: bool,
}

/// A notification sent ahead is sent only if the bus thread wakes within
/// this long after its second: later (a stopped process, a clock stepped
/// forward), the engine's own alert at the boundary decides.
const SEND_AT_WINDOW_NS: i128 = 100_000_000;

/// How early before its second a notification may be handed over.
const SEND_AT_LEAD_NS: i128 = 1_000_000_000;

/// What a notification handed over for the second `due` does at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AtDue {
    /// Not yet: sleep until `due`.
    Wait,
    /// Its second has come: send it.
    Send,
    /// Too late (a stopped process, a clock stepped forward), or far too
    /// early (a clock stepped back): the alert, when the engine makes it,
    /// goes out as alerts do.
    Drop,
}

fn at_due(now: WallTime, due: WallTime) -> AtDue {
    let (now, due) = (now.as_nanos(), due.as_nanos());
    if now < due - SEND_AT_LEAD_NS || now >= due + SEND_AT_WINDOW_NS {
        AtDue::Drop
    } else if now < due {
        AtDue::Wait
    } else {
        AtDue::Send
    }
}

/// The kept connection and what is known of the server on it. Every
/// method blocks; only the bus thread calls them.
struct Session {
    connection: Option<Connection>,
    server: Option<Server>,
    timeout: Duration,
    /// The bus thread's own clock, for notifications sent at their second.
    clock: Option<SystemClock>,
    /// What became of the notifications sent at their second, by alert
    /// key, until the alert itself comes.
    sent_ahead: Vec<(String, Result<(), Failure>)>,
}

/// The body of a `Notify` call (`susssasa{sv}i`).
type NotifyArgs<'a> = (
    &'a str,
    u32,
    &'a str,
    &'a str,
    &'a str,
    Vec<&'a str>,
    HashMap<&'a str, zbus::Variant<'a>>,
    i32,
);

fn notify_args<'a>(note: &'a Note, body: &'a str) -> NotifyArgs<'a> {
    let mut hints: HashMap<&str, zbus::Variant<'_>> = HashMap::new();
    hints.insert("urgency", zbus::Variant::from(note.urgency as u8));
    let expire_timeout: i32 = -1; // the server's default
    (
        APP_NAME,
        0u32,
        "",
        note.summary.as_str(),
        body,
        Vec::new(),
        hints,
        expire_timeout,
    )
}

impl Session {
    fn connection(&mut self) -> zbus::Result<Connection> {
        if let Some(connection) = &self.connection {
            return Ok(connection.clone());
        }
        let built = zbus::block_on(
            zbus::connection::Builder::session()
                .method_timeout(self.timeout)
                .build(),
        )?;
        self.connection = Some(built.clone());
        Ok(built)
    }

    /// Who serves notifications now and whether it reads body markup
    /// (`GetCapabilities`, asked of the well-known name).
    fn server(&mut self) -> zbus::Result<Server> {
        if let Some(server) = &self.server {
            return Ok(server.clone());
        }
        let connection = self.connection()?;
        let reply = zbus::block_on(connection.call_method(
            Some(SERVICE),
            OBJECT_PATH,
            Some(SERVICE),
            "GetCapabilities",
            &(),
        ))?;
        let capabilities: Vec<String> = reply.body().deserialize()?;
        let unique_name = match reply.header().sender() {
            Some(sender) => sender.to_string(),
            None => SERVICE.to_string(),
        };
        let server = Server {
            unique_name,
            markup: capabilities.iter().any(|c| c == "body-markup"),
        };
        self.server = Some(server.clone());
        Ok(server)
    }

    fn notify_once(&mut self, note: &Note) -> zbus::Result<()> {
        let server = self.server()?;
        let connection = self.connection()?;
        let body = if server.markup {
            escape_markup(&note.body)
        } else {
            note.body.clone()
        };
        zbus::block_on(connection.call_method(
            Some(server.unique_name.as_str()),
            OBJECT_PATH,
            Some(SERVICE),
            "Notify",
            &notify_args(note, &body),
        ))?;
        Ok(())
    }

    /// Build (and drop) a `Notify` message like a real one, so that the
    /// first notification of the process does not run cold code.
    fn rehearse_notify(&mut self) -> zbus::Result<()> {
        let server = self.server()?;
        let note = Note {
            summary: "Unix time 1,800,000,000".to_string(),
            body: escape_markup("1,800,000,000 reached at <rehearsal>."),
            urgency: Urgency::Critical,
        };
        zbus::message::Message::method_call(OBJECT_PATH, "Notify")
            .destination(server.unique_name.as_str())
            .interface(SERVICE)
            .build(&notify_args(&note, &note.body))?;
        Ok(())
    }

    /// Sleep until `due` on the thread's own clock: true when woken at it
    /// (see [`at_due`]) and not cancelled meanwhile.
    fn sleep_until_due(&self, due: WallTime, cancelled: &AtomicBool) -> bool {
        let Some(clock) = &self.clock else {
            return false;
        };
        loop {
            if cancelled.load(Ordering::SeqCst) {
                return false;
            }
            match at_due(clock.now(), due) {
                AtDue::Send => return true,
                AtDue::Drop => return false,
                // Only a cancellation interrupts this clock; a deadline or
                // a clock change is judged by the clock read on the next turn.
                AtDue::Wait => {
                    if clock.sleep_until(due) == Wake::Interrupted {
                        return false;
                    }
                }
            }
        }
    }

    fn server_information_once(&mut self) -> zbus::Result<ServerInfo> {
        let connection = self.connection()?;
        let reply = zbus::block_on(connection.call_method(
            Some(SERVICE),
            OBJECT_PATH,
            Some(SERVICE),
            "GetServerInformation",
            &(),
        ))?;
        let (name, vendor, version, spec_version): (String, String, String, String) =
            reply.body().deserialize()?;
        Ok(ServerInfo {
            name,
            vendor,
            version,
            spec_version,
        })
    }

    /// Run `call`, and once more after forgetting what turned out to be
    /// stale (the connection after the bus went away, the server after it
    /// went away): a bus or a server that came back is found again.
    fn with_retry<T>(
        &mut self,
        mut call: impl FnMut(&mut Session) -> zbus::Result<T>,
    ) -> Result<T, Failure> {
        if let Some(reason) = missing_bus_reason() {
            self.forget(Trouble::ConnectionLost);
            return Err(Failure::Error(reason));
        }
        let mut retried = false;
        loop {
            match call(self) {
                Ok(value) => return Ok(value),
                Err(err) => {
                    let trouble = trouble(&err);
                    self.forget(trouble);
                    let stale = matches!(trouble, Trouble::ConnectionLost | Trouble::ServerGone);
                    if retried || !stale {
                        return Err(explain(&err));
                    }
                    retried = true;
                }
            }
        }
    }

    fn forget(&mut self, trouble: Trouble) {
        match trouble {
            Trouble::ConnectionLost => {
                self.connection = None;
                self.server = None;
            }
            Trouble::ServerGone => self.server = None,
            Trouble::NoAnswer | Trouble::Other => {}
        }
    }
}

type Job = Box<dyn FnOnce(&mut Session) + Send>;

/// The handle on the bus thread: calls are handed to it and waited for at
/// most the timeout each.
pub struct Desktop {
    jobs: Option<mpsc::Sender<Job>>,
    /// Interrupts the bus thread's sleep towards a notification's second.
    waker: Option<Waker>,
    /// Set when the handle goes: a notification not yet sent at its
    /// second is then dropped.
    cancelled: Arc<AtomicBool>,
    /// One `()` for each job the thread has finished.
    finished: mpsc::Receiver<()>,
    in_flight: usize,
    /// A call got no answer in time and the thread has not caught up since.
    hung: bool,
    timeout: Duration,
}

impl Desktop {
    /// Start the bus thread (it connects on its first job).
    pub fn start(timeout: Duration) -> Desktop {
        let (jobs, rx) = mpsc::channel::<Job>();
        let (finished_tx, finished) = mpsc::channel();
        // Without a clock of its own the thread sends only when asked.
        let clock = SystemClock::new().ok();
        let waker = clock.as_ref().map(SystemClock::waker);
        let mut session = Session {
            connection: None,
            server: None,
            timeout,
            clock,
            sent_ahead: Vec::new(),
        };
        let spawned = thread::Builder::new()
            .name("epochwatch-dbus".to_string())
            .spawn(move || {
                for job in rx {
                    job(&mut session);
                    if finished_tx.send(()).is_err() {
                        break;
                    }
                }
            });
        Desktop {
            jobs: spawned.ok().map(|_| jobs),
            waker,
            cancelled: Arc::new(AtomicBool::new(false)),
            finished,
            in_flight: 0,
            hung: false,
            timeout,
        }
    }

    /// Connect and ask the server its capabilities now, so the first
    /// notification goes out without that delay; failures are left for
    /// the first real call to find and report.
    pub fn warm_up(&mut self) {
        if missing_bus_reason().is_none() {
            self.submit(Box::new(|session: &mut Session| {
                let _ = session.with_retry(Session::rehearse_notify);
            }));
        }
    }

    /// Send one notification.
    pub fn notify(&mut self, note: Note) -> Result<(), Failure> {
        self.call(move |session| session.with_retry(|s| s.notify_once(&note)))
    }

    /// Send `notes` (each with its alert's key) at the second `due`, from
    /// the bus thread as it wakes then; never waits. They are dropped
    /// when the thread wakes later than a moment after `due`, or when
    /// this handle goes first: the alerts then go out as they come.
    pub fn send_at(&mut self, due: WallTime, notes: Vec<(String, Note)>) {
        if notes.is_empty() || self.hung || self.waker.is_none() {
            return;
        }
        let cancelled = Arc::clone(&self.cancelled);
        self.submit(Box::new(move |session: &mut Session| {
            session.sent_ahead.clear();
            if !session.sleep_until_due(due, &cancelled) {
                return;
            }
            for (key, note) in notes {
                let sent = session.with_retry(|s| s.notify_once(&note));
                session.sent_ahead.push((key, sent));
            }
        }));
    }

    /// Send the notification of the alert `key`, unless [`Desktop::send_at`]
    /// sent it at its second: then say how that went.
    pub fn notify_alert(&mut self, key: String, note: Note) -> Result<(), Failure> {
        self.call(
            move |session| match session.sent_ahead.iter().position(|(k, _)| *k == key) {
                Some(at) => session.sent_ahead.swap_remove(at).1,
                None => session.with_retry(|s| s.notify_once(&note)),
            },
        )
    }

    /// Ask the notification server who it is.
    pub fn server_information(&mut self) -> Result<ServerInfo, Failure> {
        self.call(|session| session.with_retry(Session::server_information_once))
    }

    fn submit(&mut self, job: Job) -> bool {
        let sent = self
            .jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send(job).is_ok());
        if sent {
            self.in_flight += 1;
        }
        sent
    }

    fn call<T: Send + 'static>(
        &mut self,
        f: impl FnOnce(&mut Session) -> Result<T, Failure> + Send + 'static,
    ) -> Result<T, Failure> {
        while self.finished.try_recv().is_ok() {
            self.in_flight = self.in_flight.saturating_sub(1);
        }
        if self.in_flight == 0 {
            self.hung = false;
        }
        if self.hung {
            // Still hanging: do not queue another call behind it.
            return Err(Failure::NoAnswer);
        }
        let (tx, rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |session: &mut Session| {
            let _ = tx.send(f(session));
        });
        if !self.submit(job) {
            return Err(Failure::Error(
                "the D-Bus thread is not running".to_string(),
            ));
        }
        match rx.recv_timeout(self.timeout) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                self.hung = true;
                Err(Failure::NoAnswer)
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(Failure::Error(
                "the D-Bus thread stopped without an answer".to_string(),
            )),
        }
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        self.cancelled.store(true, Ordering::SeqCst);
        if let Some(waker) = &self.waker {
            waker.wake();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_to_retry() {
        let gone = zbus::Error::FDO(Box::new(zbus::fdo::Error::ServiceUnknown(
            "The name :1.5 was not provided by any .service files".to_string(),
        )));
        assert_eq!(trouble(&gone), Trouble::ServerGone);
        let pipe = zbus::Error::InputOutput(std::sync::Arc::new(std::io::Error::from(
            std::io::ErrorKind::BrokenPipe,
        )));
        assert_eq!(trouble(&pipe), Trouble::ConnectionLost);
        let slow = zbus::Error::InputOutput(std::sync::Arc::new(std::io::Error::from(
            std::io::ErrorKind::TimedOut,
        )));
        assert_eq!(trouble(&slow), Trouble::NoAnswer);
        assert_eq!(explain(&slow), Failure::NoAnswer);
    }

    #[test]
    fn a_notification_handed_over_ahead_goes_out_only_at_its_second() {
        let due = WallTime::from_secs(1_800_000_000);
        let at = |ms: i128| at_due(WallTime::from_nanos(due.as_nanos() + ms * 1_000_000), due);
        assert_eq!(at(-250), AtDue::Wait);
        assert_eq!(at(-1), AtDue::Wait);
        assert_eq!(at(0), AtDue::Send);
        assert_eq!(at(99), AtDue::Send);
        // Woken late (stopped, or the clock stepped forward past it).
        assert_eq!(at(100), AtDue::Drop);
        assert_eq!(at(3_000), AtDue::Drop);
        // The clock stepped back by more than the lead.
        assert_eq!(at(-1_001), AtDue::Drop);
        assert_eq!(at(-7_200_000), AtDue::Drop);
    }
}
