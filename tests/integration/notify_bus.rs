//! The notification channel on a real bus: labels reach the user as
//! written in every notification kind (checked on the bus with
//! dbus-monitor, in dunst's history, and read as markup by Python's XML
//! parser where the server reads markup); one connection kept for the
//! whole process; the next alert still reaches the server after dunst or
//! the bus itself was restarted.

use std::time::Duration;

use crate::harness::desktop::{
    DesktopSession, Notification, ServerMarkup, faketime_and_desktop, summaries,
};
use crate::harness::monitor::{NotifyCall, NotifyMonitor};
use crate::harness::reference::python;
use crate::harness::{Background, Faketime, TestEnv, daemon_on, poll_every, poll_until};

const M: i64 = 1_234_567_890;
/// A label that is markup if read as markup.
const LABEL: &str = r#"<b>bold</b> & <a href="x">link</a> 'q'"#;

const STOP: Duration = Duration::from_secs(10);
const WAIT: Duration = Duration::from_secs(20);

/// What a reader of Pango/notification markup gets from each body: its
/// text and the elements it found, by Python's XML parser.
fn read_as_markup(bodies: &[String]) -> Option<Vec<(String, Vec<String>)>> {
    let script = r#"
import json, sys
import xml.etree.ElementTree as ET
out = []
for body in json.load(sys.stdin):
    root = ET.fromstring("<markup>" + body + "</markup>")
    out.append(["".join(root.itertext()), [e.tag for e in root.iter()][1:]])
print(json.dumps(out))
"#;
    let input = serde_json::to_string(bodies).unwrap();
    let out = python(&["json", "xml.etree.ElementTree"], script, &[], &input)?;
    Some(serde_json::from_str(&out).expect("python's answer is JSON"))
}

/// The text a user of this server sees for each body: the body itself on
/// a plain-text server; read as markup (which must hold no element) on a
/// server that announced `body-markup`.
fn seen_text(markup: ServerMarkup, bodies: &[String]) -> Option<Vec<String>> {
    match markup {
        ServerMarkup::No => Some(bodies.to_vec()),
        ServerMarkup::Full => {
            let read = read_as_markup(bodies)?;
            for ((_, tags), body) in read.iter().zip(bodies) {
                assert!(tags.is_empty(), "markup elements {tags:?} in {body:?}");
            }
            Some(read.into_iter().map(|(text, _)| text).collect())
        }
    }
}

/// Every kind of notification, each carrying LABEL: a "missed" summary
/// (two milestones beyond the catch-up window), a late milestone, a
/// reminder, an on-time milestone; then `notify-test`.
fn labels_reach_the_user_as_written(markup: ServerMarkup) {
    let Some(faketime) = Faketime::require(&[]) else {
        return;
    };
    let Some(desktop) = DesktopSession::start_with_markup(markup) else {
        return;
    };
    let Some(monitor) = NotifyMonitor::start(desktop.bus_address()) else {
        return;
    };
    let env = TestEnv::new();
    env.write_state(M - 1_000);
    let spec = |epoch: i64| format!("{epoch}={LABEL}");
    let args = daemon_on(
        &[spec(M - 900), spec(M - 800), spec(M - 20), spec(M)],
        &["--remind", "2s", "--catch-up", "1m"],
    );
    let daemon = env.background(&[desktop.env(), faketime.start_at(M - 4)].concat(), &args);
    let calls = monitor.wait_for_calls(4, WAIT);
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(status.success(), "stderr: {stderr}");
    assert_eq!(calls.len(), 4, "{calls:#?}\nstderr: {stderr}");

    let test = env
        .cmd()
        .envs(desktop.env())
        .arg("notify-test")
        .timeout(WAIT)
        .output()
        .unwrap();
    assert!(test.status.success(), "{test:?}");
    let calls = monitor.wait_for_calls(5, WAIT);
    assert_eq!(calls.len(), 5, "{calls:#?}");
    let notes = desktop.wait_for_history(5, WAIT);
    assert_eq!(notes.len(), 5, "{:?}", summaries(&notes));

    let kinds = [
        "2 milestones passed while epochwatch was not running",
        "Unix time 1,234,567,870",
        "Unix time 1,234,567,890 in 2 seconds",
        "Unix time 1,234,567,890",
        "epochwatch test notification",
    ];
    for (call, kind) in calls.iter().zip(kinds) {
        assert!(call.summary.starts_with(kind), "{kind:?}: {call:?}");
    }
    // Summaries are plain text by the specification: the label as written.
    assert_eq!(
        calls[1].summary,
        format!("Unix time 1,234,567,870 ({LABEL})")
    );
    assert_eq!(
        calls[3].summary,
        format!("Unix time 1,234,567,890 ({LABEL})")
    );
    assert_bodies(markup, &calls, &notes);
}

/// The bodies on the bus and in dunst's history are the same, and read
/// as this server reads them, they hold the label as written.
fn assert_bodies(markup: ServerMarkup, calls: &[NotifyCall], notes: &[Notification]) {
    let sent: Vec<String> = calls.iter().map(|c| c.body.clone()).collect();
    let kept: Vec<String> = notes.iter().map(|n| n.body.clone()).collect();
    assert_eq!(kept, sent, "dunst keeps what was sent");
    if markup == ServerMarkup::Full {
        for body in &sent {
            assert!(
                !body.contains('<'),
                "no tag can reach a markup server: {body:?}"
            );
        }
    }
    let Some(seen) = seen_text(markup, &sent) else {
        return;
    };
    // Missed: which, and when; the reminder: the label first.
    assert!(
        seen[0].starts_with(&format!(
            "1,234,566,990 … 1,234,567,090 ({LABEL}), the last at "
        )),
        "{:?}",
        seen[0]
    );
    assert!(
        seen[1].starts_with("1,234,567,870 reached ") && seen[1].contains(" s ago, at "),
        "{:?}",
        seen[1]
    );
    assert!(
        seen[2].starts_with(&format!("{LABEL}: 1,234,567,890 at ")),
        "{:?}",
        seen[2]
    );
    assert!(
        seen[3].starts_with("1,234,567,890 reached at "),
        "{:?}",
        seen[3]
    );
    assert_eq!(
        seen[4],
        "If you can read this, epochwatch can alert you at milestones."
    );
}

#[test]
fn labels_reach_a_markup_server_as_written() {
    labels_reach_the_user_as_written(ServerMarkup::Full);
}

#[test]
fn labels_reach_a_plain_text_server_as_written() {
    labels_reach_the_user_as_written(ServerMarkup::No);
}

/// After a restart of the server or the bus: the second of
/// [`two_milestones`]' alerts reaches the server (and `calls` Notify calls
/// the monitor), then the daemon stops cleanly: the calls and its stderr.
fn second_alert_and_stop(
    desktop: &DesktopSession,
    monitor: &NotifyMonitor,
    daemon: Background,
    calls: usize,
) -> (Vec<NotifyCall>, String) {
    let second = desktop.wait_for_history(1, WAIT);
    let calls = monitor.wait_for_calls(calls, WAIT);
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(status.success(), "stderr: {stderr}");
    assert_eq!(
        second.len(),
        1,
        "the next alert reached the server; stderr: {stderr}"
    );
    assert_eq!(second[0].summary, "Unix time 1,234,567,906");
    (calls, stderr)
}

/// A daemon under faketime from M with milestones at M + 4 and M + 16:
/// between them there is time to restart things.
fn two_milestones(env: &TestEnv, desktop: &DesktopSession, faketime: &Faketime) -> Background {
    let args = daemon_on(&[M + 4, M + 16], &["--remind", "none"]);
    env.background(&[desktop.env(), faketime.start_at(M)].concat(), &args)
}

fn assert_no_failure(stderr: &str) {
    assert!(
        !stderr.contains("desktop alerts failed"),
        "a server or bus that came back is found again at once: {stderr}"
    );
}

#[test]
fn one_connection_serves_every_alert_and_finds_a_restarted_server() {
    let Some((faketime, mut desktop)) = faketime_and_desktop(&[]) else {
        return;
    };
    let Some(monitor) = NotifyMonitor::start(desktop.bus_address()) else {
        return;
    };
    let env = TestEnv::new();
    let daemon = two_milestones(&env, &desktop, &faketime);
    let first = desktop.wait_for_history(1, WAIT);
    assert_eq!(first.len(), 1, "stderr: {}", daemon.stderr());
    desktop.restart_server();
    assert!(desktop.history().is_empty(), "a new dunst, a new history");
    let (calls, stderr) = second_alert_and_stop(&desktop, &monitor, daemon, 3);
    // The first alert, to the first dunst; the second, to it again (the
    // bus answers at once that it is gone), then to the dunst now serving.
    assert_eq!(calls.len(), 3, "{calls:#?}");
    assert!(
        calls[0].destination.starts_with(':'),
        "sent to the server asked: {calls:#?}"
    );
    assert_eq!(calls[1].destination, calls[0].destination, "{calls:#?}");
    assert!(calls[2].destination.starts_with(':'), "{calls:#?}");
    assert_ne!(calls[2].destination, calls[0].destination, "{calls:#?}");
    assert_eq!(calls[1].summary, calls[2].summary, "{calls:#?}");
    assert!(!calls[0].sender.is_empty(), "{calls:#?}");
    assert!(
        calls.iter().all(|c| c.sender == calls[0].sender),
        "every alert went out on the one kept connection: {calls:#?}"
    );
    assert_no_failure(&stderr);
}

#[test]
fn the_next_alert_reaches_the_server_on_a_restarted_bus() {
    let Some((faketime, mut desktop)) = faketime_and_desktop(&[]) else {
        return;
    };
    let env = TestEnv::new();
    let daemon = two_milestones(&env, &desktop, &faketime);
    let first = desktop.wait_for_history(1, WAIT);
    assert_eq!(first.len(), 1, "stderr: {}", daemon.stderr());
    desktop.restart_bus();
    let Some(monitor) = NotifyMonitor::start(desktop.bus_address()) else {
        return;
    };
    assert!(
        poll_until(WAIT, || desktop.has_notification_server()),
        "dunst on the new bus"
    );
    let (calls, stderr) = second_alert_and_stop(&desktop, &monitor, daemon, 1);
    assert_eq!(calls.len(), 1, "{calls:#?}");
    assert_no_failure(&stderr);
}

/// The daemon hands a milestone's notification to its bus thread a quarter
/// of a second ahead (when it records the alert as pending), and the bus
/// thread sends it at the second itself. A reload in between (SIGHUP) starts
/// new alert sinks, which are handed it again: the old ones must drop what
/// they held, or it goes out twice. SIGHUPs every 20 ms from the pending
/// record until past the second make sure some land in that quarter second.
#[test]
fn reloads_just_before_a_milestone_send_it_once() {
    let Some((faketime, desktop)) = faketime_and_desktop(&[]) else {
        return;
    };
    let Some(monitor) = NotifyMonitor::start(desktop.bus_address()) else {
        return;
    };
    let env = TestEnv::new();
    let args = daemon_on(&[M + 2, M + 4], &["--remind", "none"]);
    let daemon = env.background(&[desktop.env(), faketime.start_at(M)].concat(), &args);
    let path = env.state_home().join("epochwatch/state.toml");
    let state = || std::fs::read_to_string(&path).unwrap_or_default();
    let handed = poll_every(Duration::from_millis(5), WAIT, || {
        state().contains("[[pending]]")
    });
    assert!(
        handed,
        "the alert was recorded as pending; stderr: {}",
        daemon.stderr()
    );
    for _ in 0..25 {
        daemon.signal(nix::sys::signal::Signal::SIGHUP);
        std::thread::sleep(Duration::from_millis(20));
    }
    // The second milestone, after the reloads, shows the daemon went on;
    // half a second more for any late duplicate.
    monitor.wait_for_calls(2, WAIT);
    std::thread::sleep(Duration::from_millis(500));
    let calls = monitor.calls();
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(status.success(), "stderr: {stderr}");
    assert!(
        stderr.matches("configuration reloaded").count() >= 20,
        "the reloads happened: {stderr}"
    );
    let summaries: Vec<&str> = calls.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(
        summaries,
        ["Unix time 1,234,567,892", "Unix time 1,234,567,894"],
        "each milestone once: {calls:#?}"
    );
}
