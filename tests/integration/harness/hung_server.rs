//! A notification server that never answers: the session's dunst, found
//! through the bus (the owner of `org.freedesktop.Notifications`) and
//! stopped with SIGSTOP. The name stays owned, so calls are routed to it and
//! simply wait; nothing is faked. Dropping the guard sends SIGCONT (the
//! session then kills dunst as usual).
//!
//! ```ignore
//! let Some(desktop) = DesktopSession::start() else { return };
//! let hung = HungServer::stop(&desktop);
//! // ... calls to org.freedesktop.Notifications now never get a reply
//! drop(hung); // SIGCONT
//! ```

use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use super::desktop::{DesktopSession, bus_call};
use super::poll_until;

/// The notification server, stopped until this is dropped.
pub struct HungServer {
    pid: Pid,
}

/// The process id of whoever owns `org.freedesktop.Notifications` on the
/// bus at `bus_address`, asked of the bus itself.
pub fn notification_server_pid(bus_address: &str) -> Option<i32> {
    bus_call(
        bus_address,
        &[
            "org.freedesktop.DBus.GetConnectionUnixProcessID",
            "string:org.freedesktop.Notifications",
        ],
    )?
    .lines()
    .find_map(|l| l.trim().strip_prefix("uint32 ").map(str::to_string))
    .and_then(|v| v.trim().parse().ok())
}

/// The state letter of a process from /proc (`T` when stopped).
fn proc_state(pid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) S ...": the state follows the last ')'.
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

impl HungServer {
    /// Stop the session's notification server; returns once it is stopped.
    pub fn stop(desktop: &DesktopSession) -> HungServer {
        assert!(
            desktop.has_notification_server(),
            "no notification server on the bus to stop"
        );
        let pid = notification_server_pid(desktop.bus_address())
            .expect("the bus did not say which process owns org.freedesktop.Notifications");
        kill(Pid::from_raw(pid), Signal::SIGSTOP).expect("SIGSTOP the notification server");
        let guard = HungServer {
            pid: Pid::from_raw(pid),
        };
        let stopped = poll_until(Duration::from_secs(10), || {
            matches!(proc_state(pid), Some('T' | 't'))
        });
        assert!(stopped, "the notification server (pid {pid}) did not stop");
        assert!(
            desktop.has_notification_server(),
            "the stopped server must keep its name on the bus"
        );
        guard
    }
}

impl Drop for HungServer {
    fn drop(&mut self) {
        let _ = kill(self.pid, Signal::SIGCONT);
    }
}
