//! The final countdown on a real desktop: a private session bus with dunst
//! (harness/desktop.rs), `dbus-monitor` reading every `Notify` call with
//! its `replaces_id` (harness/monitor.rs), libfaketime starting the real
//! binary twelve seconds before a milestone.
//!
//! One notification ten seconds ahead, updated in place each second with
//! the seconds left, becomes the milestone's at its second; dunst's history
//! then holds that one notification. The same for `watch`; none with
//! `--countdown 0s`; and the delivery stories with a countdown running: a
//! hung server, a restarted bus, reloads.

use std::time::Duration;

use nix::sys::signal::Signal;

use crate::harness::desktop::{DesktopSession, Notification, faketime_and_desktop, summaries};
use crate::harness::hung_server::HungServer;
use crate::harness::monitor::{NotifyCall, NotifyMonitor};
use crate::harness::{Background, Faketime, TestEnv, daemon_on, poll_until};

const M: i64 = 1_234_567_890;
const STOP: Duration = Duration::from_secs(10);
/// Twelve seconds of countdown and milestone, and room for a loaded machine.
const WAIT: Duration = Duration::from_secs(30);

const MILESTONE: &str = "Unix time 1,234,567,890";

/// The countdown's calls and the milestone's (`milestone` its summary),
/// from the first countdown call on: the first is new, every later one
/// replaces it (the same id, the same connection), each second's says the
/// seconds left, from `from` down to 1, and the last is the milestone's,
/// critical, with its sound. Returns the id they replace.
pub fn assert_one_countdown(calls: &[NotifyCall], milestone: &str, from: i64) -> u32 {
    let summaries: Vec<&str> = calls.iter().map(|c| c.summary.as_str()).collect();
    let mut expected: Vec<String> = (1..=from)
        .rev()
        .map(|left| format!("{milestone} in {left} s"))
        .collect();
    expected.push(milestone.to_string());
    assert_eq!(summaries, expected, "one call a second, then the milestone");
    let first = &calls[0];
    assert_eq!(
        first.replaces_id,
        Some(0),
        "the countdown starts new: {first:#?}"
    );
    assert_eq!(first.app_name, "epochwatch");
    let id = calls[1].replaces_id.expect("replaces_id");
    assert_ne!(id, 0, "later calls replace the first: {calls:#?}");
    for call in &calls[1..] {
        assert_eq!(call.replaces_id, Some(id), "in place: {calls:#?}");
        assert_eq!(
            call.sender, first.sender,
            "the handle's connection: {calls:#?}"
        );
    }
    let counted = &calls[..calls.len() - 1];
    let number = milestone.trim_start_matches("Unix time ");
    for call in counted {
        assert_eq!(call.urgency, Some(1), "{call:#?}");
        assert_eq!(call.sound, None, "{call:#?}");
        assert!(
            call.body.starts_with(&format!("{number} at ")),
            "which and when: {call:#?}"
        );
        assert!(
            call.expire_timeout.is_some_and(|ms| ms > 1_000),
            "outlives a second, not the countdown: {call:#?}"
        );
    }
    let reached = calls.last().unwrap();
    assert_eq!(reached.urgency, Some(2), "{reached:#?}");
    assert_eq!(reached.sound.as_deref(), Some("alarm-clock-elapsed"));
    assert!(
        reached.body.starts_with(&format!("{number} reached at ")),
        "{reached:#?}"
    );
    assert_eq!(reached.expire_timeout, Some(-1), "expires as alerts do");
    id
}

/// dunst's history holds the milestone's notification and nothing else.
fn assert_history_is_the_milestone(notes: &[Notification]) {
    assert_eq!(
        summaries(notes),
        [MILESTONE],
        "one notification for the milestone, not one per second"
    );
}

/// A private desktop with a monitor on its bus, and libfaketime.
fn stage() -> Option<(Faketime, DesktopSession, NotifyMonitor)> {
    let (faketime, desktop) = faketime_and_desktop(&[])?;
    let monitor = NotifyMonitor::start(desktop.bus_address())?;
    Some((faketime, desktop, monitor))
}

/// Start `args` on `desktop` at `start` (faked).
fn start(
    env: &TestEnv,
    faketime: &Faketime,
    desktop: &DesktopSession,
    start: i64,
    args: &[String],
) -> Background {
    env.background(&[desktop.env(), faketime.start_at(start)].concat(), args)
}

/// The calls once the milestone's has come (or the wait is over), half a
/// second more for any late one, and the history then.
fn settle(
    monitor: &NotifyMonitor,
    desktop: &DesktopSession,
) -> (Vec<NotifyCall>, Vec<Notification>) {
    poll_until(WAIT, || {
        monitor.calls().iter().any(|c| c.summary == MILESTONE)
    });
    std::thread::sleep(Duration::from_millis(500));
    let calls = monitor.calls();
    let notes = desktop.wait_for_history(1, Duration::from_secs(10));
    (calls, notes)
}

#[test]
fn daemon_counts_down_in_one_notification_that_becomes_the_milestone() {
    let Some((faketime, desktop, monitor)) = stage() else {
        return;
    };
    let env = TestEnv::new();
    // The 5 s reminder is folded into the countdown; 1 m is already past.
    let args = daemon_on(&[M], &["--remind", "1m,5s"]);
    let daemon = start(&env, &faketime, &desktop, M - 12, &args);
    let (calls, notes) = settle(&monitor, &desktop);
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(status.success(), "stderr: {stderr}");
    assert_one_countdown(&calls, MILESTONE, 10);
    assert_history_is_the_milestone(&notes);
    assert!(!stderr.contains("failed"), "{stderr}");
}

#[test]
fn watch_counts_down_in_one_notification_that_becomes_the_milestone() {
    let Some((faketime, desktop, monitor)) = stage() else {
        return;
    };
    let env = TestEnv::new();
    let spec = M.to_string();
    let args = [
        "watch",
        "--plain",
        "--no-defaults",
        "-m",
        &spec,
        "--remind",
        "none",
        "--countdown",
        "7s",
    ]
    .map(String::from);
    let watch = start(&env, &faketime, &desktop, M - 12, &args);
    let (calls, notes) = settle(&monitor, &desktop);
    let (status, stdout, stderr) = watch.terminate(STOP);
    assert_eq!(status.code(), Some(143), "SIGTERM; stderr: {stderr}");
    assert!(
        stdout.lines().any(|l| l == spec),
        "the watcher counted the seconds too: {stdout}"
    );
    assert_one_countdown(&calls, MILESTONE, 7);
    assert_history_is_the_milestone(&notes);
}

#[test]
fn no_countdown_shows_only_the_milestone_as_a_new_notification() {
    let Some((faketime, desktop, monitor)) = stage() else {
        return;
    };
    let env = TestEnv::new();
    // `sound = false` leaves the sound out; --countdown over the file.
    env.write_config("[alerts]\nsound = false\ncountdown = \"10s\"\n");
    let args = daemon_on(&[M], &["--remind", "none", "--countdown", "0s"]);
    let daemon = start(&env, &faketime, &desktop, M - 12, &args);
    let (calls, notes) = settle(&monitor, &desktop);
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(status.success(), "stderr: {stderr}");
    assert_eq!(calls.len(), 1, "nothing before the milestone: {calls:#?}");
    assert_eq!(calls[0].summary, MILESTONE);
    assert_eq!(calls[0].replaces_id, Some(0), "a new notification");
    assert_eq!(calls[0].urgency, Some(2));
    assert_eq!(calls[0].sound, None, "sound = false");
    assert_history_is_the_milestone(&notes);
}

/// A server that hangs during the countdown: the milestone still comes at
/// its second, the bell standing in, the failure said once; once the
/// server answers again, the next milestone's countdown and notification
/// reach it.
#[test]
fn a_server_hung_during_the_countdown_leaves_the_bell_on_time() {
    let Some((faketime, desktop, monitor)) = stage() else {
        return;
    };
    let env = TestEnv::new();
    let second = M + 14;
    // The second milestone, as notifications write it.
    let next = "Unix time 1,234,567,904";
    let args = daemon_on(&[M, second], &["--remind", "none", "--verbose"]);
    let mut daemon = start(&env, &faketime, &desktop, M - 12, &args);
    assert!(
        poll_until(WAIT, || monitor.calls().len() >= 3),
        "the countdown began; stderr: {}",
        daemon.stderr()
    );
    let hung = HungServer::stop(&desktop);
    // The milestone is handled (recorded delivered) while the server hangs.
    let reached = poll_until(WAIT, || {
        daemon
            .stdout()
            .contains("milestone: Unix time 1,234,567,890")
    });
    assert!(reached, "stderr: {}", daemon.stderr());
    assert!(
        poll_until(Duration::from_secs(5), || daemon.stderr().contains('\x07')),
        "the bell stood in; stderr: {:?}",
        daemon.stderr()
    );
    drop(hung);
    assert!(
        poll_until(WAIT, || monitor.calls().iter().any(|c| c.summary == next)),
        "the next milestone reached the server again; stderr: {:?}",
        daemon.stderr()
    );
    std::thread::sleep(Duration::from_millis(500));
    assert!(daemon.alive(), "{}", daemon.stderr());
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(status.success(), "stderr: {stderr}");
    let failures = stderr.matches("desktop alerts failed").count();
    assert_eq!(failures, 1, "said once: {stderr:?}");
    assert!(stderr.contains("desktop alerts work again"), "{stderr:?}");
    assert_eq!(
        stderr.matches('\x07').count(),
        1,
        "the bell for the milestone only: {stderr:?}"
    );
    let calls = monitor.calls();
    let after: Vec<&NotifyCall> = calls
        .iter()
        .skip_while(|c| !c.summary.starts_with(&format!("{next} in")))
        .collect();
    assert_eq!(
        after.last().map(|c| c.summary.as_str()),
        Some(next),
        "the next countdown, then its milestone: {calls:#?}"
    );
    assert_eq!(
        calls.iter().filter(|c| c.summary == next).count(),
        1,
        "{calls:#?}"
    );
}

/// The bus (and dunst) restarted during the countdown: the countdown's
/// connection is gone, so the next second shows it anew on the new bus,
/// and the milestone takes its place there.
#[test]
fn a_bus_restarted_during_the_countdown_gets_the_countdown_and_the_milestone() {
    let Some((faketime, mut desktop)) = faketime_and_desktop(&[]) else {
        return;
    };
    let env = TestEnv::new();
    let args = daemon_on(&[M], &["--remind", "none"]);
    let daemon = start(&env, &faketime, &desktop, M - 12, &args);
    let first = NotifyMonitor::start(desktop.bus_address()).expect("dbus-monitor");
    assert!(
        poll_until(WAIT, || first.calls().len() >= 2),
        "the countdown began; stderr: {}",
        daemon.stderr()
    );
    drop(first);
    desktop.restart_bus();
    let Some(monitor) = NotifyMonitor::start(desktop.bus_address()) else {
        return;
    };
    let (calls, notes) = settle(&monitor, &desktop);
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(status.success(), "stderr: {stderr}");
    let from = calls
        .iter()
        .position(|c| c.replaces_id == Some(0))
        .unwrap_or_else(|| panic!("a new countdown on the new bus: {calls:#?}"));
    let counted = &calls[from..];
    assert!(counted.len() >= 2, "{calls:#?}\nstderr: {stderr}");
    let left_then = counted[0]
        .summary
        .strip_prefix(&format!("{MILESTONE} in "))
        .and_then(|s| s.strip_suffix(" s"))
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| panic!("{calls:#?}"));
    assert!(
        left_then < 10,
        "the countdown went on where it was: {calls:#?}"
    );
    assert_one_countdown(counted, MILESTONE, left_then);
    assert_history_is_the_milestone(&notes);
}

/// SIGHUPs during the countdown: the countdown goes on in the same
/// notification (no second one starts) and the milestone is not lost.
#[test]
fn reloads_during_the_countdown_keep_one_notification() {
    let Some((faketime, desktop, monitor)) = stage() else {
        return;
    };
    let env = TestEnv::new();
    let args = daemon_on(&[M], &["--remind", "none"]);
    let daemon = start(&env, &faketime, &desktop, M - 12, &args);
    assert!(
        poll_until(WAIT, || !monitor.calls().is_empty()),
        "the countdown began; stderr: {}",
        daemon.stderr()
    );
    for _ in 0..12 {
        daemon.signal(Signal::SIGHUP);
        std::thread::sleep(Duration::from_millis(350));
    }
    let (calls, notes) = settle(&monitor, &desktop);
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(status.success(), "stderr: {stderr}");
    assert!(
        stderr.matches("configuration reloaded").count() >= 10,
        "the reloads happened: {stderr}"
    );
    // A reload in a second re-shows that second: the same words again.
    let mut calls = calls;
    calls.dedup_by(|b, a| a.summary == b.summary);
    assert_one_countdown(&calls, MILESTONE, 10);
    assert_history_is_the_milestone(&notes);
}
