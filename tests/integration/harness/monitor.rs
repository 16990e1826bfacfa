//! Watch the `Notify` calls on a private session bus with `dbus-monitor`,
//! so a test can see exactly what was sent (app name, summary, body and the
//! `urgency` hint), whether or not a notification server took it.
//!
//! ```ignore
//! let Some(monitor) = NotifyMonitor::start(desktop.bus_address()) else { return };
//! // ... run epochwatch on the bus, then:
//! let calls = monitor.wait_for_calls(2, Duration::from_secs(10));
//! assert_eq!(calls[1].urgency, Some(2));
//! ```
//!
//! The monitor is killed on drop.

use std::process::{Child, Stdio};
use std::time::Duration;

use super::process::Collected;
use super::{poll_for, poll_until, quiet_tool, require_tools};

/// One `org.freedesktop.Notifications.Notify` call as dbus-monitor printed it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NotifyCall {
    /// When the bus saw it (dbus-monitor's `time=`, seconds of real time).
    pub time: f64,
    /// The unique name of the connection that sent it (`:1.7`).
    pub sender: String,
    /// Where it was sent: a well-known name or a server's unique name.
    pub destination: String,
    pub app_name: String,
    pub replaces_id: Option<u32>,
    pub icon: String,
    pub summary: String,
    pub body: String,
    /// The `urgency` hint byte: 0 low, 1 normal, 2 critical (`None` if absent).
    pub urgency: Option<u8>,
    /// The `sound-name` hint (`None` if absent).
    pub sound: Option<String>,
    /// The last argument, in milliseconds (-1: the server's default).
    pub expire_timeout: Option<i32>,
}

/// A running `dbus-monitor` for `Notify` method calls.
pub struct NotifyMonitor {
    child: Child,
    output: Collected,
}

/// Generous: the machine may be loaded by a parallel build.
const READY_TIMEOUT: Duration = Duration::from_secs(20);

impl NotifyMonitor {
    /// Start monitoring the bus at `bus_address` (`unix:path=...`); returns
    /// once the monitor is in place, so no call made afterwards is missed.
    /// `None` (after a loud skip, or a panic when CI=true) without dbus-monitor.
    #[track_caller]
    pub fn start(bus_address: &str) -> Option<NotifyMonitor> {
        if !require_tools(&["dbus-monitor"]) {
            return None;
        }
        let mut child = quiet_tool("dbus-monitor")
            .args(["--address", bus_address])
            .arg("type='method_call',interface='org.freedesktop.Notifications',member='Notify'")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start dbus-monitor");
        let stdout = child.stdout.take().expect("dbus-monitor stdout");
        let mut monitor = NotifyMonitor {
            output: Collected::start(stdout),
            child,
        };
        // dbus-monitor becomes a monitor (BecomeMonitor) and announces it by
        // losing its unique name: from then on it sees every matching call.
        let ready = poll_until(READY_TIMEOUT, || {
            monitor.output().contains("member=NameLost")
                || matches!(monitor.child.try_wait(), Ok(Some(_)))
        });
        assert!(
            ready && matches!(monitor.child.try_wait(), Ok(None)),
            "dbus-monitor did not start monitoring {bus_address}; output: {}",
            monitor.output()
        );
        Some(monitor)
    }

    /// Everything dbus-monitor printed so far.
    pub fn output(&self) -> String {
        self.output.text()
    }

    /// The Notify calls seen so far, oldest first.
    pub fn calls(&self) -> Vec<NotifyCall> {
        parse_notify_calls(&self.output())
    }

    /// Poll until at least `count` calls were seen (or `timeout` passes).
    pub fn wait_for_calls(&self, count: usize, timeout: Duration) -> Vec<NotifyCall> {
        poll_for(timeout, || self.calls(), |calls| calls.len() >= count)
    }
}

impl Drop for NotifyMonitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.output.finish(Duration::from_secs(5));
    }
}

/// The text between the first and the last double quote of `s`.
fn quoted(s: &str) -> Option<String> {
    let start = s.find('"')?;
    let end = s.rfind('"')?;
    (end > start).then(|| s[start + 1..end].to_string())
}

/// Parse dbus-monitor's text output into the `Notify` calls it shows.
///
/// Each message starts on a header line (`method call time=...`, `signal
/// time=...`); its arguments follow,
/// the top-level ones indented by exactly three spaces. A call counts once
/// its last argument (the `int32` expire timeout) has been printed, so a
/// message still being written is not returned half-read.
pub fn parse_notify_calls(text: &str) -> Vec<NotifyCall> {
    let mut messages: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        let header = ["method call ", "method return ", "signal ", "error "]
            .iter()
            .any(|h| line.starts_with(h));
        if header {
            messages.push((line.to_string(), Vec::new()));
        } else if let Some((_, body)) = messages.last_mut() {
            body.push(line.to_string());
        }
    }
    messages
        .into_iter()
        .filter(|(header, _)| {
            header.starts_with("method call")
                && header.contains("interface=org.freedesktop.Notifications")
                && header.contains("member=Notify")
        })
        .filter_map(|(header, body)| {
            let field = |name: &str| {
                header
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix(name))
                    .unwrap_or_default()
                    .to_string()
            };
            let (sender, destination) = (field("sender="), field("destination="));
            let time = field("time=").parse().unwrap_or(0.0);
            parse_call(&body).map(|call| NotifyCall {
                time,
                sender,
                destination,
                ..call
            })
        })
        .collect()
}

fn parse_call(body: &[String]) -> Option<NotifyCall> {
    // Top-level arguments, with multi-line strings joined back together.
    let mut args: Vec<String> = Vec::new();
    let mut open_string: Option<String> = None;
    for line in body {
        if let Some(mut s) = open_string.take() {
            s.push('\n');
            s.push_str(line);
            if line.ends_with('"') {
                args.push(s);
            } else {
                open_string = Some(s);
            }
            continue;
        }
        let top = line.starts_with("   ") && !line.starts_with("    ");
        if !top {
            continue;
        }
        let arg = line.trim_start();
        if arg.starts_with("string \"") && !(arg.len() > 8 && arg.ends_with('"')) {
            open_string = Some(arg.to_string());
        } else {
            args.push(arg.to_string());
        }
    }
    // app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout
    let strings: Vec<String> = args
        .iter()
        .filter(|a| a.starts_with("string "))
        .filter_map(|a| quoted(a))
        .collect();
    let expire_timeout = args
        .iter()
        .find_map(|a| a.strip_prefix("int32 "))
        .and_then(|v| v.trim().parse().ok());
    expire_timeout?;
    let replaces_id = args
        .iter()
        .find_map(|a| a.strip_prefix("uint32 "))
        .and_then(|v| v.trim().parse().ok());
    // A hint: `string "urgency"` then `variant byte N` on the next line.
    let mut urgency = None;
    let mut sound = None;
    for pair in body.windows(2) {
        match pair[0].trim() {
            "string \"urgency\"" => {
                urgency = pair[1]
                    .split_whitespace()
                    .skip_while(|w| *w != "byte")
                    .nth(1)
                    .and_then(|v| v.parse().ok());
            }
            "string \"sound-name\"" => sound = quoted(&pair[1]),
            _ => {}
        }
    }
    let mut strings = strings.into_iter();
    Some(NotifyCall {
        time: 0.0,
        sender: String::new(),
        destination: String::new(),
        app_name: strings.next().unwrap_or_default(),
        replaces_id,
        icon: strings.next().unwrap_or_default(),
        summary: strings.next().unwrap_or_default(),
        body: strings.next().unwrap_or_default(),
        urgency,
        sound,
        expire_timeout,
    })
}

/// The parser, on dbus-monitor output as it prints it.
#[test]
fn dbus_monitor_output_is_parsed() {
    let text = r#"signal time=1.1 sender=org.freedesktop.DBus -> destination=:1.0 serial=2 path=/org/freedesktop/DBus; interface=org.freedesktop.DBus; member=NameAcquired
   string ":1.0"
signal time=1.2 sender=org.freedesktop.DBus -> destination=:1.0 serial=4 path=/org/freedesktop/DBus; interface=org.freedesktop.DBus; member=NameLost
   string ":1.0"
method call time=2.0 sender=:1.1 -> destination=org.freedesktop.Notifications serial=2 path=/org/freedesktop/Notifications; interface=org.freedesktop.Notifications; member=Notify
   string "epochwatch"
   uint32 0
   string ""
   string "Unix time 1,795,572,120 in 2 seconds"
   string "Sequence day: 1,795,572,120 at Wed 2026-11-25 02:02:00 +00:00."
   array [
   ]
   array [
      dict entry(
         string "urgency"
         variant             byte 1
      )
   ]
   int32 -1
method call time=4.0 sender=:1.2 -> destination=org.freedesktop.Notifications serial=4 path=/org/freedesktop/Notifications; interface=org.freedesktop.Notifications; member=Notify
   string "epochwatch"
   uint32 0
   string ""
   string "Unix time 1,795,572,120 (Sequence day)"
   string "two
lines"
   array [
   ]
   array [
      dict entry(
         string "urgency"
         variant             byte 2
      )
      dict entry(
         string "sound-name"
         variant             string "alarm-clock-elapsed"
      )
   ]
   int32 -1
method call time=5.0 sender=:1.3 -> destination=org.freedesktop.Notifications serial=4 path=/org/freedesktop/Notifications; interface=org.freedesktop.Notifications; member=Notify
   string "epochwatch"
   uint32 0
"#;
    let calls = parse_notify_calls(text);
    assert_eq!(
        calls.len(),
        2,
        "the unfinished third is left out: {calls:?}"
    );
    assert_eq!(calls[0].sender, ":1.1");
    assert_eq!(calls[1].sender, ":1.2");
    assert_eq!(calls[0].destination, "org.freedesktop.Notifications");
    assert_eq!(calls[0].app_name, "epochwatch");
    assert_eq!(calls[0].summary, "Unix time 1,795,572,120 in 2 seconds");
    assert!(calls[0].body.starts_with("Sequence day: "));
    assert_eq!(calls[0].urgency, Some(1));
    assert_eq!(calls[0].expire_timeout, Some(-1));
    assert_eq!(calls[1].summary, "Unix time 1,795,572,120 (Sequence day)");
    assert_eq!(calls[1].body, "two\nlines");
    assert_eq!(calls[1].urgency, Some(2));
    assert_eq!(calls[0].sound, None);
    assert_eq!(calls[1].sound.as_deref(), Some("alarm-clock-elapsed"));
    assert_eq!((calls[0].time, calls[1].time), (2.0, 4.0));
}
