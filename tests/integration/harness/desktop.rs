//! A private desktop for tests: a D-Bus session bus of our own
//! (`dbus-daemon` with a temporary config: no service activation, so a bus
//! without dunst really has no notification server), optionally `Xvfb` on
//! a free display and `dunst` on both, so notifications can be read back
//! with `dunstctl history`. Everything is killed on drop.
//!
//! ```ignore
//! use crate::harness::desktop::DesktopSession;
//!
//! let Some(desktop) = DesktopSession::start() else { return };
//! let mut cmd = env.cmd();
//! cmd.envs(desktop.env());
//! // ... run, then:
//! let notes = desktop.wait_for_history(1, Duration::from_secs(10));
//! ```
//!
//! Tools missing: `start` prints a loud SKIPPED line and returns `None`,
//! or panics when `CI=true` (see `harness::require_tools`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use tempfile::TempDir;

use super::{Faketime, poll_for, poll_until, quiet_tool, require_tools, stdout_if_ok};

/// One notification as `dunstctl history` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub appname: String,
    pub summary: String,
    pub body: String,
    /// `LOW`, `NORMAL` or `CRITICAL` as dunst reports it (empty if absent).
    pub urgency: String,
    pub id: i64,
}

/// dunst's `markup` setting. dunst announces `body-markup` only with
/// `full` set explicitly; a dunstrc that leaves `markup` out gets markup
/// parsed in bodies without the capability announced (dunst 1.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerMarkup {
    /// Bodies are Pango markup; `body-markup` announced.
    Full,
    /// Bodies are plain text; no `body-markup`.
    No,
}

impl ServerMarkup {
    fn setting(self) -> &'static str {
        match self {
            ServerMarkup::Full => "full",
            ServerMarkup::No => "no",
        }
    }
}

pub struct DesktopSession {
    dir: TempDir,
    bus_address: String,
    display: Option<String>,
    markup: ServerMarkup,
    /// Killed in reverse order on drop.
    children: Vec<(String, Child)>,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

/// Generous: the machine may be loaded by a parallel build.
const READY_TIMEOUT: Duration = Duration::from_secs(20);

impl DesktopSession {
    /// Bus, Xvfb and dunst reading body markup (`markup = full`, as in
    /// dunst's shipped dunstrc: it then announces `body-markup`). `None`
    /// (after a loud skip) when tools are missing.
    #[track_caller]
    pub fn start() -> Option<DesktopSession> {
        Self::start_with_markup(ServerMarkup::Full)
    }

    /// Bus, Xvfb and dunst, with dunst's `markup` setting as given.
    #[track_caller]
    pub fn start_with_markup(markup: ServerMarkup) -> Option<DesktopSession> {
        if !require_tools(&["dbus-daemon", "dbus-send", "Xvfb", "dunst", "dunstctl"]) {
            return None;
        }
        let mut session = Self::start_bus()?;
        session.markup = markup;
        session.start_xvfb();
        session.start_dunst();
        Some(session)
    }

    /// Kill dunst, wait until its name is gone from the bus, start a new
    /// one (a new connection, a new unique name) and wait for it.
    pub fn restart_server(&mut self) {
        self.kill_child("dunst");
        let gone = poll_until(READY_TIMEOUT, || !self.has_notification_server());
        assert!(
            gone,
            "org.freedesktop.Notifications still owned after dunst was killed"
        );
        self.start_dunst();
    }

    /// Kill the bus (and dunst with it) and start a new bus at the same
    /// address, then a new dunst on it: every connection to the old bus is
    /// gone.
    pub fn restart_bus(&mut self) {
        self.kill_child("dunst");
        self.kill_child("dbus-daemon");
        let socket = self.dir.path().join("bus");
        let _ = std::fs::remove_file(&socket);
        let child = self.spawn_bus();
        self.children.insert(0, ("dbus-daemon".to_string(), child));
        self.wait_for_bus();
        if self.display.is_some() {
            self.start_dunst();
        }
    }

    fn kill_child(&mut self, name: &str) {
        let found = self.children.iter().position(|(n, _)| n == name);
        let (_, mut child) = self
            .children
            .remove(found.unwrap_or_else(|| panic!("no {name} running")));
        let _ = child.kill();
        let _ = child.wait();
    }

    /// A session bus and Xvfb, with no notification server (for a window
    /// manager or a status bar of the test's own).
    #[track_caller]
    pub fn x_display() -> Option<DesktopSession> {
        if !require_tools(&["dbus-daemon", "dbus-send", "Xvfb"]) {
            return None;
        }
        let mut session = Self::start_bus()?;
        session.start_xvfb();
        Some(session)
    }

    /// The X display (`:N`), when Xvfb was started.
    pub fn display(&self) -> Option<&str> {
        self.display.as_deref()
    }

    /// A session bus with no notification server on it.
    #[track_caller]
    pub fn bus_only() -> Option<DesktopSession> {
        if !require_tools(&["dbus-daemon", "dbus-send"]) {
            return None;
        }
        Self::start_bus()
    }

    fn start_bus() -> Option<DesktopSession> {
        let dir = tempfile::Builder::new()
            .prefix("ew-desktop.")
            .tempdir()
            .expect("temp dir");
        let socket = dir.path().join("bus");
        let mut session = DesktopSession {
            bus_address: format!("unix:path={}", socket.display()),
            dir,
            display: None,
            markup: ServerMarkup::Full,
            children: Vec::new(),
        };
        let child = session.spawn_bus();
        session.children.push(("dbus-daemon".to_string(), child));
        session.wait_for_bus();
        Some(session)
    }

    fn wait_for_bus(&self) {
        let socket = self.dir.path().join("bus");
        let ok = poll_until(READY_TIMEOUT, || {
            socket.exists() && self.bus_call(&["org.freedesktop.DBus.GetId"]).is_some()
        });
        assert!(ok, "dbus-daemon did not come up at {}", socket.display());
    }

    fn spawn_bus(&self) -> Child {
        let socket = self.dir.path().join("bus");
        let config = self.dir.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                socket.display()
            ),
        )
        .expect("write bus config");
        quiet_tool("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .arg("--nofork")
            .spawn()
            .expect("start dbus-daemon")
    }

    fn start_xvfb(&mut self) {
        // A display number unlikely to collide with other tests (process id
        // and a counter), retried when taken.
        let seed = std::process::id().wrapping_mul(7);
        for attempt in 0..40u32 {
            let k = NEXT.fetch_add(1, Ordering::SeqCst);
            let n = 100
                + (seed
                    .wrapping_add(k.wrapping_mul(13))
                    .wrapping_add(attempt * 101))
                    % 3900;
            if Path::new(&format!("/tmp/.X{n}-lock")).exists()
                || Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
            {
                continue;
            }
            let mut child = Command::new("Xvfb")
                .arg(format!(":{n}"))
                .args(["-nolisten", "tcp", "-screen", "0", "640x480x24"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start Xvfb");
            let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
            let up = poll_until(READY_TIMEOUT, || {
                socket.exists() || matches!(child.try_wait(), Ok(Some(_)))
            });
            if up && matches!(child.try_wait(), Ok(None)) {
                self.display = Some(format!(":{n}"));
                self.children.push(("Xvfb".to_string(), child));
                return;
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("could not start Xvfb on a free display");
    }

    fn start_dunst(&mut self) {
        let rc = self.dir.path().join("dunstrc");
        // Short timeouts so notifications move to the history on their own;
        // no stacking of duplicates, which would hide a repeated alert.
        std::fs::write(
            &rc,
            format!(
                "[global]\nidle_threshold = 0\nnotification_limit = 0\nsticky_history = yes\n\
                 history_length = 100\nstack_duplicates = false\nmarkup = {}\n\
                 [urgency_low]\ntimeout = 1\n[urgency_normal]\ntimeout = 1\n\
                 [urgency_critical]\ntimeout = 1\n",
                self.markup.setting()
            ),
        )
        .expect("write dunstrc");
        let child = quiet_tool("dunst")
            .arg("-config")
            .arg(&rc)
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path())
            .envs(self.env())
            .spawn()
            .expect("start dunst");
        self.children.push(("dunst".to_string(), child));
        let ok = poll_until(READY_TIMEOUT, || self.has_notification_server());
        assert!(ok, "dunst did not take org.freedesktop.Notifications");
    }

    /// `unix:path=...` of the private bus.
    pub fn bus_address(&self) -> &str {
        &self.bus_address
    }

    /// The variables to pass to a command: DBUS_SESSION_BUS_ADDRESS and DISPLAY.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut vars = vec![(
            "DBUS_SESSION_BUS_ADDRESS".to_string(),
            self.bus_address.clone(),
        )];
        if let Some(d) = &self.display {
            vars.push(("DISPLAY".to_string(), d.clone()));
        }
        vars
    }

    fn bus_call(&self, method: &[&str]) -> Option<String> {
        bus_call(&self.bus_address, method)
    }

    /// Whether `org.freedesktop.Notifications` is owned on the bus.
    pub fn has_notification_server(&self) -> bool {
        self.bus_call(&[
            "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.Notifications",
        ])
        .is_some_and(|reply| reply.contains("boolean true"))
    }

    fn dunstctl(&self, args: &[&str]) -> Option<String> {
        stdout_if_ok(
            Command::new("dunstctl")
                .args(args)
                .env("DBUS_SESSION_BUS_ADDRESS", &self.bus_address),
        )
    }

    /// Every notification dunst has received, oldest first (displayed ones
    /// are closed first so they show up in the history).
    pub fn history(&self) -> Vec<Notification> {
        let _ = self.dunstctl(&["close-all"]);
        let Some(text) = self.dunstctl(&["history"]) else {
            return Vec::new();
        };
        let mut notes = parse_history(&text);
        notes.sort_by_key(|n| n.id);
        notes
    }

    /// Poll the history until it holds at least `count` notifications (or
    /// the timeout passes), then return it.
    pub fn wait_for_history(&self, count: usize, timeout: Duration) -> Vec<Notification> {
        poll_for(timeout, || self.history(), |notes| notes.len() >= count)
    }
}

impl Drop for DesktopSession {
    fn drop(&mut self) {
        while let Some((_, mut child)) = self.children.pop() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A method of the bus itself (`org.freedesktop.DBus`) called with
/// dbus-send on the bus at `bus_address`; the reply as dbus-send prints it.
pub fn bus_call(bus_address: &str, method: &[&str]) -> Option<String> {
    stdout_if_ok(
        Command::new("dbus-send")
            .arg(format!("--bus={bus_address}"))
            .args([
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
            ])
            .args(method),
    )
}

/// Parse `dunstctl history` JSON: `{"type":"aa{sv}","data":[[{...}]]}` with
/// each field as `{"type":"s","data":...}`.
pub fn parse_history(text: &str) -> Vec<Notification> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let field = |n: &serde_json::Value, key: &str| -> serde_json::Value {
        n.get(key)
            .and_then(|f| f.get("data"))
            .cloned()
            .unwrap_or(serde_json::Value::Null)
    };
    let as_string = |v: serde_json::Value| match v {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    value
        .get("data")
        .and_then(|d| d.get(0))
        .and_then(|d| d.as_array())
        .map(|items| {
            items
                .iter()
                .map(|n| Notification {
                    appname: as_string(field(n, "appname")),
                    summary: as_string(field(n, "summary")),
                    body: as_string(field(n, "body")),
                    urgency: as_string(field(n, "urgency")),
                    id: field(n, "id").as_i64().unwrap_or(0),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The summaries, for messages.
pub fn summaries(notes: &[Notification]) -> Vec<String> {
    notes.iter().map(|n| n.summary.clone()).collect()
}

/// The one line of `stderr` that reports failed desktop alerts, after
/// checking that there is exactly one, that it says `expect`, and that the
/// bell rang for both alerts instead.
pub fn assert_reported_once_and_rang<'a>(stderr: &'a str, expect: &str) -> &'a str {
    let reports: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("desktop alerts failed"))
        .collect();
    assert_eq!(reports.len(), 1, "reported once: {stderr:?}");
    assert!(reports[0].contains(expect), "{stderr:?}");
    assert_eq!(
        stderr.matches('\x07').count(),
        2,
        "the bell stands in for both alerts: {stderr:?}"
    );
    reports[0]
}

/// How many notifications announce the milestone `needle` itself (not a
/// reminder of it, "... in 3 seconds").
pub fn milestone_notes(notes: &[Notification], needle: &str) -> usize {
    notes
        .iter()
        .filter(|n| n.summary.contains(needle) && !n.summary.contains(" in "))
        .count()
}

/// libfaketime (and `tools`) and a desktop session with dunst, for the
/// tests that start the daemon or the watcher at a chosen instant and read
/// what the user saw; None when one is missing (said loudly by each).
#[track_caller]
pub fn faketime_and_desktop(tools: &[&str]) -> Option<(Faketime, DesktopSession)> {
    let faketime = Faketime::require(tools)?;
    let desktop = DesktopSession::start()?;
    Some((faketime, desktop))
}
