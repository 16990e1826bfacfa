//! The notification channel on a real bus: labels reach the user as
//! written in every notification kind (checked on the bus with
//! dbus-monitor, in dunst's history, and read as markup by Python's XML
//! parser where the server reads markup); the next countdown and alert
//! still reach the server after dunst or the bus itself was restarted;
//! reloads around a milestone send it once.

use std::time::Duration;

use crate::countdown::assert_one_countdown;
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
        &["--remind", "2s", "--catch-up", "1m", "--countdown", "0s"],
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

/// The second milestone of [`two_milestones`].
const SECOND: &str = "Unix time 1,234,567,910";

/// After a restart of the server or the bus: the calls once the second of
/// [`two_milestones`]' milestones reached the server, then the daemon's
/// stderr as it stops cleanly.
fn second_alert_and_stop(
    desktop: &DesktopSession,
    monitor: &NotifyMonitor,
    daemon: Background,
) -> (Vec<NotifyCall>, String) {
    poll_until(WAIT, || monitor.calls().iter().any(|c| c.summary == SECOND));
    let second = desktop.wait_for_history(1, WAIT);
    std::thread::sleep(Duration::from_millis(500));
    let calls = monitor.calls();
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(status.success(), "stderr: {stderr}");
    assert_eq!(
        summaries(&second),
        [SECOND],
        "the next alert reached the server; stderr: {stderr}"
    );
    (calls, stderr)
}

/// A daemon under faketime from M with milestones at M + 4 and M + 20:
/// between them (and before the second's countdown) there is time to
/// restart things.
fn two_milestones(
    env: &TestEnv,
    desktop: &DesktopSession,
    faketime: &Faketime,
    extra: &[&str],
) -> Background {
    let args = daemon_on(&[M + 4, M + 20], &[&["--remind", "none"], extra].concat());
    env.background(&[desktop.env(), faketime.start_at(M)].concat(), &args)
}

fn assert_no_failure(stderr: &str) {
    assert!(
        !stderr.contains("desktop alerts failed"),
        "a server or bus that came back is found again at once: {stderr}"
    );
}

/// dunst restarted between two milestones: the next countdown is a new
/// notification on the new server (a connection of its own), updated in
/// place there, and its milestone takes its place.
#[test]
fn a_restarted_server_gets_the_next_countdown_and_milestone() {
    let Some((faketime, mut desktop)) = faketime_and_desktop(&[]) else {
        return;
    };
    let Some(monitor) = NotifyMonitor::start(desktop.bus_address()) else {
        return;
    };
    let env = TestEnv::new();
    let daemon = two_milestones(&env, &desktop, &faketime, &[]);
    // The history is read once the milestone came (reading it closes what
    // is on screen, as a user's click would).
    poll_until(WAIT, || {
        monitor
            .calls()
            .iter()
            .any(|c| c.summary == "Unix time 1,234,567,894")
    });
    let first = desktop.wait_for_history(1, WAIT);
    assert_eq!(
        summaries(&first),
        ["Unix time 1,234,567,894"],
        "stderr: {}",
        daemon.stderr()
    );
    desktop.restart_server();
    assert!(desktop.history().is_empty(), "a new dunst, a new history");
    let (calls, stderr) = second_alert_and_stop(&desktop, &monitor, daemon);
    let at = calls
        .iter()
        .position(|c| c.summary.starts_with(&format!("{SECOND} in ")))
        .unwrap_or_else(|| panic!("the second countdown: {calls:#?}"));
    assert_one_countdown(&calls[at..], SECOND, 10);
    assert_ne!(
        calls[at].sender, calls[0].sender,
        "each countdown on a connection of its own: {calls:#?}"
    );
    assert!(
        calls
            .iter()
            .all(|c| c.destination == "org.freedesktop.Notifications"),
        "to whoever serves notifications: {calls:#?}"
    );
    assert_no_failure(&stderr);
}

/// The bus (and dunst) restarted between two milestones, with no
/// countdown: the next alert opens its connection on the new bus.
#[test]
fn the_next_alert_reaches_the_server_on_a_restarted_bus() {
    let Some((faketime, mut desktop)) = faketime_and_desktop(&[]) else {
        return;
    };
    let env = TestEnv::new();
    let daemon = two_milestones(&env, &desktop, &faketime, &["--countdown", "0s"]);
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
    let (calls, stderr) = second_alert_and_stop(&desktop, &monitor, daemon);
    let summaries: Vec<&str> = calls.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(summaries, [SECOND], "{calls:#?}");
    assert_eq!(calls[0].replaces_id, Some(0), "{calls:#?}");
    assert_no_failure(&stderr);
}

/// The daemon records a milestone as pending a quarter of a second ahead
/// of its second. Reloads (SIGHUP) around it, every 20 ms from the pending
/// record until past the second, must neither lose it nor send it twice.
/// (With a countdown running: `countdown::reloads_during_*`.)
#[test]
fn reloads_just_before_a_milestone_send_it_once() {
    let Some((faketime, desktop)) = faketime_and_desktop(&[]) else {
        return;
    };
    let Some(monitor) = NotifyMonitor::start(desktop.bus_address()) else {
        return;
    };
    let env = TestEnv::new();
    let args = daemon_on(&[M + 2, M + 4], &["--remind", "none", "--countdown", "0s"]);
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
