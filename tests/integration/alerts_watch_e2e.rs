//! `epochwatch watch` with real desktop alerts: the built binary on a
//! private session bus with Xvfb and dunst (harness/desktop.rs),
//! the Notify calls seen by dbus-monitor (harness/monitor.rs), and a
//! notification server that never answers (dunst under SIGSTOP,
//! harness/hung_server.rs). The clock is libfaketime's where the
//! test is about what is sent, and the real one where it is about time
//! being kept while alerts fail.
//!
//! Missing tools skip loudly locally and fail when CI=true.

use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nix::sys::signal::Signal;

use crate::harness::desktop::{
    DesktopSession, Notification, assert_reported_once_and_rang, milestone_notes, summaries,
};
use crate::harness::hung_server::HungServer;
use crate::harness::monitor::NotifyMonitor;
use crate::harness::tmux::{self, Tmux, env_command, sq};
use crate::harness::{Background, Faketime, TestEnv, assert_consecutive, now_secs, poll_until};

const M: i64 = 1_234_567_890;
const LABEL: &str = "Sequence day";
/// `-m` for M with its label.
const SPEC: &str = "1234567890=Sequence day";
/// The line-mode watcher on the milestone, reminded 3 s before, with no
/// countdown (which would take the reminder's place: `countdown`).
const PLAIN_WATCH: [&str; 9] = [
    "watch",
    "--plain",
    "--no-defaults",
    "-m",
    SPEC,
    "--remind",
    "3s",
    "--countdown",
    "0s",
];

/// Generous limits: two shared cores, a debug binary, other tests running.
const T: Duration = Duration::from_secs(20);

/// The longest a gap between two consecutive lines may be. A watcher held
/// up by the notification timeout (5 s by default) would blow it clearly.
const MAX_GAP: Duration = Duration::from_millis(1500);
/// How late after its second's boundary a line may arrive.
const MAX_LATE: Duration = Duration::from_millis(1000);

/// A `watch` process and every stdout line read from it so far.
struct Watch {
    process: Background,
    /// Every stdout line read so far: (value, arrival).
    seen: Vec<(i64, SystemTime)>,
}

impl Watch {
    /// `epochwatch ARGS` in `env` with the extra variables.
    fn spawn(env: &TestEnv, extra: &[(String, String)], args: &[&str]) -> Watch {
        Watch {
            process: env.background(extra, args),
            seen: Vec::new(),
        }
    }

    fn stderr(&self) -> String {
        self.process.stderr()
    }

    fn values(&self) -> Vec<i64> {
        self.seen.iter().map(|(v, _)| *v).collect()
    }

    /// Read lines until `done(self)` holds; panics at `deadline`.
    fn read_until(&mut self, deadline: Instant, mut done: impl FnMut(&Watch) -> bool) {
        while !done(self) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self
                .process
                .try_next_line(left.min(Duration::from_millis(200)))
            {
                Ok((line, at)) => {
                    assert!(
                        !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()),
                        "not a date +%s line: {line:?}; stderr: {}",
                        self.stderr()
                    );
                    self.seen.push((line.parse().unwrap(), at));
                }
                Err(RecvTimeoutError::Timeout) if Instant::now() < deadline => {}
                Err(RecvTimeoutError::Timeout) => panic!(
                    "timed out; lines {:?}; stderr: {:?}",
                    self.values(),
                    self.stderr()
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "stdout closed early (alive {}); lines {:?}; stderr: {:?}",
                    self.process.alive(),
                    self.values(),
                    self.stderr()
                ),
            }
        }
    }

    /// SIGTERM, wait for the exit (at most `T`), then read what is left.
    fn stop(&mut self) -> (std::process::ExitStatus, String) {
        let status = self.process.stop(Signal::SIGTERM, T);
        for (line, at) in self.process.rest_of_lines() {
            if let Ok(v) = line.parse() {
                self.seen.push((v, at));
            }
        }
        (status, self.stderr())
    }
}

/// Every line after the first arrives soon after its own second's boundary
/// (the first is printed at start-up, somewhere inside its second), and no
/// two lines are far apart. Against the real clock: no libfaketime.
fn assert_on_time(seen: &[(i64, SystemTime)]) {
    let ms = |t: SystemTime| t.duration_since(UNIX_EPOCH).unwrap().as_millis() as i64;
    let (first, first_at) = seen[0];
    let offset = ms(first_at) - first * 1000;
    assert!(
        (-100..1000 + MAX_LATE.as_millis() as i64).contains(&offset),
        "the first line {first} arrived at {} ms",
        ms(first_at)
    );
    let mut worst = 0;
    for &(v, at) in &seen[1..] {
        let late = ms(at) - v * 1000;
        // Written at the boundary, so never before it (100 ms for clock granularity).
        assert!(late > -100, "line {v} arrived {late} ms before its second");
        assert!(
            late < MAX_LATE.as_millis() as i64,
            "line {v} arrived {late} ms after its second: {:?}",
            lateness(seen)
        );
        worst = worst.max(late);
    }
    for pair in seen.windows(2) {
        let gap = pair[1].1.duration_since(pair[0].1).unwrap_or_default();
        assert!(
            gap < MAX_GAP,
            "{gap:?} between lines {} and {}: {:?}",
            pair[0].0,
            pair[1].0,
            lateness(seen)
        );
    }
    eprintln!("lines on time: worst {worst} ms after the boundary");
}

/// (value, ms after its boundary) for messages.
fn lateness(seen: &[(i64, SystemTime)]) -> Vec<(i64, i64)> {
    seen.iter()
        .map(|&(v, at)| {
            let ms = at.duration_since(UNIX_EPOCH).unwrap().as_millis() as i64;
            (v, ms - v * 1000)
        })
        .collect()
}

/// The reminder (3 s before) and then the milestone, each exactly once, with
/// their text, as dunst recorded them.
fn assert_reminder_then_milestone(notes: &[Notification], context: &str) {
    assert_eq!(notes.len(), 2, "{:?}\n{context}", summaries(notes));
    let reminder = &notes[0];
    assert_eq!(reminder.appname, "epochwatch", "{reminder:?}");
    assert_eq!(
        reminder.summary, "Unix time 1,234,567,890 in 3 seconds",
        "{reminder:?}"
    );
    assert!(
        reminder
            .body
            .starts_with(&format!("{LABEL}: 1,234,567,890 at ")),
        "{reminder:?}"
    );
    let reached = &notes[1];
    assert_eq!(reached.appname, "epochwatch", "{reached:?}");
    assert_eq!(
        reached.summary,
        format!("Unix time 1,234,567,890 ({LABEL})"),
        "{reached:?}"
    );
    assert!(
        reached.body.starts_with("1,234,567,890 reached at "),
        "on time, so no lateness: {reached:?}"
    );
    assert!(reached.body.contains("2009-02-13 23:31:30"), "{reached:?}");
    assert_eq!(
        milestone_notes(notes, "1,234,567,890"),
        1,
        "{:?}",
        summaries(notes)
    );
}

/// What was really sent (dunst stacks identical notifications, so its
/// history alone would hide a duplicate): the reminder, then the milestone,
/// one Notify call each. Waits half a second for a late extra call.
fn assert_sent_once(monitor: &NotifyMonitor, context: &str) {
    poll_until(Duration::from_millis(500), || monitor.calls().len() > 2);
    let calls = monitor.calls();
    let summaries: Vec<&str> = calls.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(
        summaries,
        [
            "Unix time 1,234,567,890 in 3 seconds".to_string(),
            format!("Unix time 1,234,567,890 ({LABEL})"),
        ],
        "one Notify call each; {context}"
    );
}

/// libfaketime (and `tools`), a session bus with dunst, and a monitor of the
/// Notify calls on it; None when one is missing (said loudly by each).
fn notify_session(tools: &[&str]) -> Option<(Faketime, DesktopSession, NotifyMonitor)> {
    let faketime = Faketime::require(tools)?;
    let desktop = DesktopSession::start()?;
    let monitor = NotifyMonitor::start(desktop.bus_address())?;
    Some((faketime, desktop, monitor))
}

#[test]
fn watch_plain_notifies_the_reminder_and_the_milestone_once() {
    let Some((faketime, desktop, monitor)) = notify_session(&[]) else {
        return;
    };
    let env = TestEnv::new();
    let mut extra = desktop.env();
    extra.extend(faketime.start_at(M - 5));
    let mut watch = Watch::spawn(&env, &extra, &PLAIN_WATCH);
    // About eight seconds: from M-5 to M+3.
    watch.read_until(Instant::now() + T, |w| {
        w.values().last().is_some_and(|&v| v >= M + 3)
    });
    let notes = desktop.wait_for_history(2, Duration::from_secs(10));
    let (status, stderr) = watch.stop();
    assert_eq!(status.code(), Some(143), "SIGTERM status; stderr: {stderr}");

    // Read again after the watcher is gone: nothing came late or twice.
    let after = desktop.history();
    assert_eq!(after, notes, "stderr: {stderr}");
    assert_reminder_then_milestone(&notes, &format!("stderr: {stderr}"));
    assert_sent_once(&monitor, &format!("stderr: {stderr}"));

    let values = watch.values();
    assert_consecutive(&values);
    assert!(
        (M - 5..=M - 3).contains(&values[0]),
        "starts near M-5: {values:?}"
    );
    assert!(values.contains(&M), "{values:?}");
    assert!(!stderr.contains("alerts failed"), "{stderr}");
    assert_eq!(
        stderr
            .matches(&format!("milestone {M} reached: {LABEL}"))
            .count(),
        1,
        "{stderr}"
    );
    assert_eq!(
        stderr
            .matches(&format!("reminder: milestone {M} ({LABEL}) in 3 seconds"))
            .count(),
        1,
        "{stderr}"
    );
}

#[test]
fn full_screen_watch_in_tmux_notifies_once() {
    let Some((faketime, desktop, monitor)) = notify_session(&["tmux"]) else {
        return;
    };
    let env = TestEnv::new();
    let errfile = env.path().join("watch.err");
    let mut vars = [desktop.env(), faketime.start_at(M - 5)].concat();
    vars.sort();
    // The shell waits for the watcher and records its status (tmux's own
    // pane status proved unreliable: once in a few runs the pane died and
    // tmux never reaped the process).
    let rcfile = env.path().join("watch.rc");
    let inner = format!(
        "{} 2> {}; echo $? > {}",
        env_command(
            &vars,
            &[
                "watch",
                "--no-defaults",
                "-m",
                SPEC,
                "--remind",
                "3s",
                "--countdown",
                "0s"
            ]
        ),
        sq(&errfile.display().to_string()),
        sq(&rcfile.display().to_string())
    );
    let t = Tmux::start(
        100,
        30,
        &env.env_pairs(),
        env.path(),
        &format!("sh -c {}", sq(&inner)),
    );
    t.wait_display("#{alternate_on}", "1", T);

    let notes = desktop.wait_for_history(2, T);
    // A second more on the clock after the milestone: still only one.
    std::thread::sleep(Duration::from_millis(1500));
    let screen = t.screen();
    t.keys(&["q"]);
    let status = tmux::wait_file(&rcfile, T);
    let stderr = std::fs::read_to_string(&errfile).unwrap_or_default();
    assert_eq!(status, "0", "quit with q; stderr: {stderr}\n{screen}");
    let after = desktop.history();
    assert_eq!(after, notes, "stderr: {stderr}");
    assert_reminder_then_milestone(&notes, &format!("stderr: {stderr}\nscreen:\n{screen}"));
    assert_sent_once(&monitor, &format!("stderr: {stderr}"));
    assert!(!screen.contains("alerts failed"), "{screen}");
}

#[test]
fn notify_calls_carry_app_name_and_urgency() {
    let Some((faketime, desktop, monitor)) = notify_session(&[]) else {
        return;
    };
    let env = TestEnv::new();
    let mut extra = desktop.env();
    extra.extend(faketime.start_at(M - 4));
    let mut watch = Watch::spawn(&env, &extra, &PLAIN_WATCH);
    watch.read_until(Instant::now() + T, |w| {
        w.values().last().is_some_and(|&v| v > M)
    });
    let calls = monitor.wait_for_calls(2, Duration::from_secs(10));
    let (status, stderr) = watch.stop();
    assert_eq!(status.code(), Some(143), "stderr: {stderr}");
    let calls_after = monitor.calls();
    assert_eq!(calls_after, calls, "nothing more was sent");
    assert_eq!(
        calls.len(),
        2,
        "{calls:#?}\nmonitor: {}\nstderr: {stderr}",
        monitor.output()
    );
    for call in &calls {
        assert_eq!(call.app_name, "epochwatch", "{call:?}");
    }
    assert_eq!(calls[0].summary, "Unix time 1,234,567,890 in 3 seconds");
    assert_eq!(
        calls[0].urgency,
        Some(1),
        "reminder: normal; {:?}",
        calls[0]
    );
    assert_eq!(
        calls[1].summary,
        format!("Unix time 1,234,567,890 ({LABEL})")
    );
    assert_eq!(
        calls[1].urgency,
        Some(2),
        "milestone: critical; {:?}",
        calls[1]
    );
    // dunst agrees.
    let notes = desktop.wait_for_history(2, Duration::from_secs(10));
    let urgencies: Vec<String> = notes.iter().map(|n| n.urgency.to_uppercase()).collect();
    if urgencies.iter().all(|u| !u.is_empty()) {
        assert_eq!(urgencies, ["NORMAL", "CRITICAL"], "{notes:?}");
    }
}

/// The watcher against the real clock with a reminder at `m - 2` and the
/// milestone `m` a few seconds ahead, while desktop alerts fail in some
/// way: every second on time, the failure said once on stderr (`expect` in
/// it), the bell standing in for both alerts, exit 143 on SIGTERM.
/// `settle` is how long after the milestone to keep reading (for a hung
/// server, until the 5 s timeout of the first call has passed). No
/// countdown: with one, see `countdown::a_server_hung_*`.
fn keeps_time_while_alerts_fail(extra: &[(String, String)], expect: &str, settle: i64) {
    let env = TestEnv::new();
    let m = now_secs() + 4;
    let spec = m.to_string();
    let args = [
        "watch",
        "--plain",
        "--no-defaults",
        "-m",
        &spec,
        "--remind",
        "2s",
        "--countdown",
        "0s",
    ];
    let mut watch = Watch::spawn(&env, extra, &args);
    watch.read_until(Instant::now() + T, |w| {
        w.values().last().is_some_and(|&v| v >= m + settle)
            && w.stderr().contains("desktop alerts failed")
    });
    let (status, stderr) = watch.stop();
    assert_eq!(status.code(), Some(143), "SIGTERM status; stderr: {stderr}");
    let values = watch.values();
    assert_consecutive(&values);
    assert!(
        values[0] < m - 2,
        "started before the reminder: {values:?} (m = {m})"
    );
    assert_on_time(&watch.seen);
    assert!(
        stderr.contains(&format!("reminder: milestone {m} ")),
        "the reminder came: {stderr:?}"
    );
    assert!(
        stderr.contains(&format!("milestone {m} reached")),
        "the milestone came: {stderr:?}"
    );
    let report = assert_reported_once_and_rang(&stderr, expect);
    assert!(
        report.starts_with("epochwatch: desktop alerts failed: "),
        "{stderr:?}"
    );
}

#[test]
fn hung_notification_server_does_not_hold_up_the_seconds() {
    let Some(desktop) = DesktopSession::start() else {
        return;
    };
    let hung = HungServer::stop(&desktop);
    // The reminder's call hangs for the 5 s timeout (reported then); the
    // milestone's is skipped while it still hangs (the bell rings at once).
    keeps_time_while_alerts_fail(
        &desktop.env(),
        "the notification server did not answer within 5000 ms",
        4,
    );
    drop(hung);
    assert!(
        poll_until(Duration::from_secs(10), || desktop
            .has_notification_server()),
        "dunst runs again after SIGCONT"
    );
}

#[test]
fn no_notification_server_does_not_hold_up_the_seconds() {
    let Some(bus) = DesktopSession::bus_only() else {
        return;
    };
    keeps_time_while_alerts_fail(&bus.env(), "no notification service", 1);
}

#[test]
fn no_session_bus_does_not_hold_up_the_seconds() {
    keeps_time_while_alerts_fail(&[], "DBUS_SESSION_BUS_ADDRESS is not set", 1);
}

#[test]
fn notify_test_with_a_hung_server_gives_up_in_time() {
    let Some(desktop) = DesktopSession::start() else {
        return;
    };
    let _hung = HungServer::stop(&desktop);
    let env = TestEnv::new();
    let started = Instant::now();
    let output = env
        .cmd()
        .envs(desktop.env())
        .args(["notify-test", "--timeout", "2s"])
        .timeout(T)
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(output.stdout.is_empty(), "{output:?}");
    assert!(
        stderr.contains("did not answer within 2s"),
        "says no answer in time: {stderr}"
    );
    assert!(
        elapsed >= Duration::from_secs(2),
        "gave up before the timeout: {elapsed:?}"
    );
    // 2 s and a generous slack for starting a debug binary on a loaded machine.
    assert!(
        elapsed < Duration::from_secs(6),
        "took {elapsed:?} for --timeout 2s"
    );
}
