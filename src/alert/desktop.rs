//! Desktop notifications over D-Bus (notify-rust, zbus backend).
//!
//! Every call here blocks; callers run them on a short-lived thread and
//! wait at most a timeout (`call_with_timeout`), so a bus or a server that
//! never answers cannot hold anything up.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use notify_rust::{Notification, Timeout, Urgency};

use super::text::Message;

pub const APP_NAME: &str = "epochwatch";

/// What the notification server said about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerInfo {
    pub name: String,
    pub vendor: String,
    pub version: String,
    pub spec_version: String,
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

/// Turn a notify-rust/zbus error into one readable sentence.
fn explain(err: &notify_rust::error::Error) -> String {
    let text = err.to_string();
    if text.contains("ServiceUnknown") || text.contains("was not provided by any .service") {
        "no notification service (org.freedesktop.Notifications) is running on the session bus"
            .to_string()
    } else if text.contains("No such file or directory")
        || text.contains("Connection refused")
        || text.contains("os error 2")
        || text.contains("os error 111")
    {
        format!("cannot connect to the D-Bus session bus: {text}")
    } else {
        format!("D-Bus: {text}")
    }
}

/// Send one notification (blocking).
pub fn show(msg: &Message, urgency: Urgency) -> Result<(), String> {
    if let Some(reason) = missing_bus_reason() {
        return Err(reason);
    }
    Notification::new()
        .appname(APP_NAME)
        .summary(&msg.summary)
        .body(&msg.body)
        .urgency(urgency)
        .timeout(Timeout::Default)
        .show()
        .map(|_handle| ())
        .map_err(|e| explain(&e))
}

/// Ask the notification server who it is (blocking).
pub fn server_information() -> Result<ServerInfo, String> {
    if let Some(reason) = missing_bus_reason() {
        return Err(reason);
    }
    notify_rust::get_server_information()
        .map(|info| ServerInfo {
            name: info.name,
            vendor: info.vendor,
            version: info.version,
            spec_version: info.spec_version,
        })
        .map_err(|e| explain(&e))
}

/// The outcome of a call run with a deadline.
#[derive(Debug)]
pub enum Timed<T> {
    Done(T),
    /// Still running after the timeout; the thread is left to finish on its own.
    TimedOut(thread::JoinHandle<()>),
    /// The thread could not be started or died.
    Failed(String),
}

/// Run `f` on a new thread and wait at most `timeout` for its result.
pub fn call_with_timeout<T, F>(f: F, timeout: Duration) -> Timed<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (tx, rx) = mpsc::sync_channel(1);
    let spawned = thread::Builder::new()
        .name("epochwatch-dbus".to_string())
        .spawn(move || {
            let _ = tx.send(f());
        });
    let handle = match spawned {
        Ok(handle) => handle,
        Err(e) => return Timed::Failed(format!("cannot start a thread: {e}")),
    };
    match rx.recv_timeout(timeout) {
        Ok(value) => {
            let _ = handle.join();
            Timed::Done(value)
        }
        Err(mpsc::RecvTimeoutError::Timeout) => Timed::TimedOut(handle),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Timed::Failed("the D-Bus thread stopped without an answer".to_string())
        }
    }
}
