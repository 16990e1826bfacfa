//! End-to-end alerts with the real parts: the built binary, a private
//! session bus, Xvfb and dunst (harness/desktop.rs), libfaketime to
//! put the clock a few seconds before a milestone.
//!
//! Missing tools skip loudly locally and fail when CI=true.

use std::time::Duration;

use nix::sys::signal::Signal;

use crate::harness::desktop::{
    DesktopSession, Notification, assert_reported_once_and_rang, faketime_and_desktop,
    milestone_notes, summaries,
};
use crate::harness::{Faketime, Needs, TestEnv, daemon_on, poll_until};

const M: i64 = 1_234_567_890;

/// How long a daemon may take to stop on SIGTERM.
const STOP: Duration = Duration::from_secs(10);

fn read_fired_through(env: &TestEnv) -> Option<i64> {
    let text = std::fs::read_to_string(env.state_home().join("epochwatch/state.toml")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("fired_through = "))
        .and_then(|v| v.trim().parse().ok())
}

#[test]
fn daemon_reminds_then_celebrates_once_and_never_repeats() {
    let Some((faketime, desktop)) = faketime_and_desktop(&[]) else {
        return;
    };
    let env = TestEnv::new();
    // No countdown: it would take the reminder's place (see `countdown`).
    let args = daemon_on(&[M], &["--remind", "3s", "--countdown", "0s", "--verbose"]);
    let daemon = env.background(&[desktop.env(), faketime.start_at(M - 5)].concat(), &args);
    let notes = desktop.wait_for_history(2, Duration::from_secs(15));
    let (status, stdout, stderr) = daemon.terminate(STOP);
    assert!(status.success(), "exit {status:?}, stderr: {stderr}");
    assert_eq!(notes.len(), 2, "{:?}\nstderr: {stderr}", summaries(&notes));

    let reminder = &notes[0];
    assert_eq!(reminder.appname, "epochwatch");
    assert!(
        reminder.summary.contains("1,234,567,890 in 3 seconds"),
        "{reminder:?}"
    );
    let reached = &notes[1];
    assert_eq!(reached.appname, "epochwatch");
    assert!(reached.summary.contains("1,234,567,890"), "{reached:?}");
    assert!(
        reached.body.contains("2009-02-13 23:31:30"),
        "local date-time in the body: {reached:?}"
    );
    if !reached.urgency.is_empty() {
        assert_eq!(reached.urgency.to_uppercase(), "CRITICAL", "{reached:?}");
    }
    assert!(stdout.contains("milestone:"), "--verbose lines: {stdout}");
    assert!(stdout.contains("reminder:"), "--verbose lines: {stdout}");
    assert_eq!(
        read_fired_through(&env),
        Some(M),
        "state after the milestone"
    );

    // Restart on the same state just after the milestone: nothing new.
    let again = env.background(&[desktop.env(), faketime.start_at(M + 1)].concat(), &args);
    std::thread::sleep(Duration::from_millis(2500));
    let (status, _, stderr) = again.terminate(STOP);
    assert!(status.success(), "stderr: {stderr}");
    // Between alerts the state is saved only as the daemon stops.
    assert!(
        read_fired_through(&env).is_some_and(|f| f > M),
        "the restarted daemon did not save where it stopped: {:?}",
        read_fired_through(&env)
    );
    let notes = desktop.history();
    assert_eq!(
        milestone_notes(&notes, "1,234,567,890"),
        1,
        "{:?}",
        summaries(&notes)
    );
    assert_eq!(notes.len(), 2, "{:?}", summaries(&notes));
}

/// The daemon run with `args` on `desktop` (`faketime`: its start), until
/// a notification has come and 0.8 s more, then stopped cleanly: that
/// notification, the only one.
fn lone_notification(
    env: &TestEnv,
    desktop: &DesktopSession,
    faketime: &[(String, String)],
    args: &[String],
) -> Notification {
    let daemon = env.background(&[desktop.env(), faketime.to_vec()].concat(), args);
    desktop.wait_for_history(1, Duration::from_secs(15));
    std::thread::sleep(Duration::from_millis(800));
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(status.success(), "stderr: {stderr}");
    let mut notes = desktop.history();
    assert_eq!(notes.len(), 1, "{:?}\nstderr: {stderr}", summaries(&notes));
    notes.remove(0)
}

#[test]
fn daemon_catches_up_a_recent_milestone_once() {
    let Some((faketime, desktop)) = faketime_and_desktop(&[]) else {
        return;
    };
    let env = TestEnv::new();
    env.write_state(M - 10);
    let args = daemon_on(&[M], &["--remind", "none", "--catch-up", "1h"]);
    let note = lone_notification(&env, &desktop, &faketime.start_at(M + 20), &args);
    assert!(note.summary.contains("1,234,567,890"), "{:?}", note);
    assert!(note.body.contains("s ago"), "says how late: {:?}", note);
}

#[test]
fn daemon_sums_up_milestones_missed_beyond_catch_up() {
    let Some((faketime, desktop)) = faketime_and_desktop(&[]) else {
        return;
    };
    let env = TestEnv::new();
    env.write_state(M - 1_000);
    let args = daemon_on(
        &[M - 900, M - 800, M - 700],
        &["--remind", "none", "--catch-up", "1m"],
    );
    let note = lone_notification(&env, &desktop, &faketime.start_at(M), &args);
    assert_eq!(
        note.summary,
        "3 milestones passed while epochwatch was not running"
    );
    assert!(
        note.body.contains("1,234,566,990 … 1,234,567,190"),
        "{:?}",
        note
    );
}

#[test]
fn second_daemon_refuses_to_start() {
    let env = TestEnv::new();
    let args = ["daemon", "--no-defaults", "-m", "4000000000", "--no-notify"];
    let first = env.background(&[], &args);
    let lock = env.state_home().join("epochwatch/daemon.lock");
    let pid = first.pid().to_string();
    assert!(
        poll_until(Duration::from_secs(15), || {
            std::fs::read_to_string(&lock).is_ok_and(|t| t.trim() == pid)
        }),
        "the first daemon did not take the lock; stderr: {}",
        first.stderr()
    );
    let output = env
        .cmd()
        .args(args)
        .timeout(Duration::from_secs(15))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "epochwatch: error: another epochwatch daemon is already running (lock {} held by pid {pid})",
            lock.display()
        )
    );
    let (status, _, _) = first.terminate(STOP);
    assert!(status.success());
}

#[test]
fn damaged_state_files_are_kept_aside_and_the_daemon_starts_afresh() {
    for damaged in [
        "this is not toml [[[",
        "",
        "fired_through = \"soon\"\n",
        "fired_th",
    ] {
        let env = TestEnv::new();
        let path = env.write_state(0);
        std::fs::write(&path, damaged).unwrap();
        let args = ["daemon", "--no-defaults", "-m", "4000000000", "--no-notify"];
        let daemon = env.background(&[], &args);
        let started = poll_until(Duration::from_secs(10), || {
            read_fired_through(&env).is_some_and(|f| f > 1_700_000_000)
        });
        let (status, _, stderr) = daemon.terminate(STOP);
        assert!(
            started,
            "a fresh state was written ({damaged:?}); stderr: {stderr}"
        );
        assert!(status.success(), "{damaged:?}: {stderr}");
        // One line that names the damaged file and where it was kept.
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{damaged:?}: {stderr}");
        assert!(lines[0].contains(&path.display().to_string()), "{stderr}");
        let kept = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.display().to_string().contains("state.toml.damaged-"))
            .expect("the damaged file is kept");
        assert!(lines[0].contains(&kept.display().to_string()), "{stderr}");
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), damaged);
    }
}

#[test]
fn notify_test_without_a_bus_explains() {
    let env = TestEnv::new();
    let output = env
        .cmd()
        .arg("notify-test")
        .timeout(Duration::from_secs(15))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("DBUS_SESSION_BUS_ADDRESS is not set"),
        "{stderr}"
    );
}

#[test]
fn notify_test_on_a_bus_without_server_explains() {
    let Some(bus) = DesktopSession::bus_only() else {
        return;
    };
    let env = TestEnv::new();
    let output = env
        .cmd()
        .envs(bus.env())
        .args(["notify-test", "--timeout", "5s"])
        .timeout(Duration::from_secs(15))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no notification service"), "{stderr}");
}

#[test]
fn notify_test_reports_the_server() {
    let Some(desktop) = DesktopSession::start() else {
        return;
    };
    let env = TestEnv::new();
    let output = env
        .cmd()
        .envs(desktop.env())
        .arg("notify-test")
        .timeout(Duration::from_secs(15))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("server:  dunst"), "{stdout}");
    assert!(stdout.contains("spec:    1.2"), "{stdout}");
    let notes = desktop.wait_for_history(1, Duration::from_secs(10));
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].summary, "epochwatch test notification");
}

/// The daemon keeps alerting (bell) and reports the broken channel once.
fn daemon_survives_without_notifications(
    faketime: &Faketime,
    extra: &[(String, String)],
    expect: &str,
) {
    let env = TestEnv::new();
    let args = daemon_on(&[M + 1, M + 2], &["--remind", "none"]);
    let mut daemon = env.background(&[extra, &faketime.start_at(M - 1)].concat(), &args);
    let ok = poll_until(Duration::from_secs(15), || {
        read_fired_through(&env).is_some_and(|f| f >= M + 2)
    });
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        daemon.alive(),
        "the daemon must keep running: {}",
        daemon.stderr()
    );
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(ok, "both milestones handled; stderr: {stderr}");
    assert!(status.success(), "stderr: {stderr}");
    assert_reported_once_and_rang(&stderr, expect);
}

#[test]
fn daemon_without_bus_reports_once_and_rings() {
    let Some(faketime) = Faketime::require(&[]) else {
        return;
    };
    daemon_survives_without_notifications(&faketime, &[], "DBUS_SESSION_BUS_ADDRESS is not set");
}

#[test]
fn daemon_without_server_reports_once_and_rings() {
    let Some(ready) = Needs::tools(&[]).faketime().bus().check() else {
        return;
    };
    daemon_survives_without_notifications(
        ready.faketime(),
        &ready.desktop().env(),
        "no notification service",
    );
}

#[test]
fn exec_hook_gets_the_alert_in_its_environment() {
    let Some(faketime) = Faketime::require(&[]) else {
        return;
    };
    let env = TestEnv::new();
    let record = env.path().join("hook-env.txt");
    let hook = env.write_script("hook.sh", "env > \"$1.tmp\" && mv \"$1.tmp\" \"$1\"");
    let args = daemon_on(
        &[M],
        &[
            "--remind",
            "none",
            "--no-notify",
            "--exec",
            hook.to_str().unwrap(),
            record.to_str().unwrap(),
        ],
    );
    let daemon = env.background(&faketime.start_at(M - 1), &args);
    let seen = poll_until(Duration::from_secs(15), || record.exists());
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(seen, "the hook did not run; stderr: {stderr}");
    assert!(status.success(), "stderr: {stderr}");
    let text = std::fs::read_to_string(&record).unwrap();
    for line in [
        "EPOCHWATCH_EPOCH=1234567890",
        "EPOCHWATCH_KIND=milestone",
        "EPOCHWATCH_DUE=1234567890",
        "EPOCHWATCH_LABEL=",
        "EPOCHWATCH_LATE_MS=",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(line)),
            "{line} in {text}"
        );
    }
    assert!(!stderr.contains("exec alerts failed"), "{stderr}");
}

#[test]
fn failing_and_hanging_hooks_are_reported_not_fatal() {
    let Some(faketime) = Faketime::require(&[]) else {
        return;
    };
    for (name, body, expect) in [
        ("fails", "echo nope >&2; exit 3", "exited with status 3"),
        ("hangs", "sleep 60", "was killed"),
    ] {
        let env = TestEnv::new();
        env.write_config("[alerts]\ntimeout = \"1s\"\n");
        let hook = env.write_script(&format!("{name}.sh"), body);
        let args = daemon_on(
            &[M],
            &[
                "--remind",
                "none",
                "--no-notify",
                "--exec",
                hook.to_str().unwrap(),
            ],
        );
        let mut daemon = env.background(&faketime.start_at(M - 1), &args);
        let reported = poll_until(Duration::from_secs(12), || {
            daemon.stderr().contains("exec alerts failed")
        });
        assert!(
            daemon.alive(),
            "{name}: the daemon must keep running: {}",
            daemon.stderr()
        );
        let (status, _, stderr) = daemon.terminate(STOP);
        assert!(reported, "{name}: not reported; stderr: {stderr}");
        assert!(status.success(), "{name}: stderr: {stderr}");
        assert!(stderr.contains(expect), "{name}: {stderr}");
    }
}

#[test]
fn sighup_reloads_the_configuration() {
    let Some(faketime) = Faketime::require(&[]) else {
        return;
    };
    let env = TestEnv::new();
    env.write_config("milestones = [4000000000]\n");
    let record = env.path().join("hook-env.txt");
    let hook = env.write_script("hook.sh", "env > \"$1.tmp\" && mv \"$1.tmp\" \"$1\"");
    let args = [
        "daemon",
        "--remind",
        "none",
        "--no-notify",
        "--exec",
        hook.to_str().unwrap(),
        record.to_str().unwrap(),
    ];
    let daemon = env.background(&faketime.start_at(M - 1), &args);
    let lock = env.state_home().join("epochwatch/daemon.lock");
    let pid = daemon.pid().to_string();
    assert!(poll_until(Duration::from_secs(10), || {
        std::fs::read_to_string(&lock).is_ok_and(|t| t.trim() == pid)
    }));
    env.write_config(&format!("milestones = [{}]\n", M + 4));
    daemon.signal(Signal::SIGHUP);
    let seen = poll_until(Duration::from_secs(12), || record.exists());
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(
        seen,
        "the reloaded milestone did not fire; stderr: {stderr}"
    );
    assert!(status.success(), "stderr: {stderr}");
    assert!(stderr.contains("configuration reloaded"), "{stderr}");
    let text = std::fs::read_to_string(&record).unwrap();
    assert!(
        text.contains(&format!("EPOCHWATCH_EPOCH={}", M + 4)),
        "{text}"
    );
}
