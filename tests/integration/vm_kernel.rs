//! Clock steps and suspend on a real Linux kernel: the release binary in a
//! QEMU guest (see `harness/vm.rs` for how a boot goes, and
//! `tests/vm/scenarios/` for what each scenario does in the guest).
//!
//! Each scenario runs `epochwatch watch --json` and `epochwatch daemon`
//! (with an `--exec` hook) on milestones a few seconds ahead of the guest's
//! clock, then steps or suspends that clock (docs/delivery.md has the
//! stories). Three boots: forward step, backward step and suspend; the
//! "booted in the future" story; and the two stories where the saved state
//! and the clock disagree at start-up (a dead clock set right by NTP, a
//! state ahead of a synchronized clock), which restart the daemon on its
//! state and tell the kernel its clock is synchronized (`adjtimex`).
//!
//! Times: the watcher's lines are stamped by `clockstep stamp` as they
//! arrive (CLOCK_MONOTONIC, which a step does not move), and each step
//! records CLOCK_MONOTONIC too, so "woke at the step" is a difference of
//! two monotonic readings. Steps land at .500 of a second, so a sleeper
//! that only woke at the next boundary would be 500 ms late.

use std::sync::OnceLock;

use crate::harness::internals::PLAUSIBLE_SINCE;
use crate::harness::vm::{self, Guest, HookAlert, Scenario, Vm, WatchEvent, WatchLine};
use crate::harness::{skip, test_name};

/// Bound on how long after a clock step (or a second boundary) the watcher
/// and the daemon see it. Measured under TCG: 1 to 5 ms, once 203 ms on a
/// host loaded by two builds; the bound leaves room for that, and stays at
/// half the 500 ms a sleeper that waited for the boundary would show (the
/// scenarios step the clock half a second before one).
const WAKE_MS: i64 = 250;

/// Bound on the distance between the watcher's (or daemon's) observation at
/// resume and the scenario's own reading of the clock right after
/// `echo mem > /sys/power/state` returned: both run as soon as user space
/// thaws, in either order. Measured: 15 to 25 ms.
const RESUME_MS: i64 = 300;

const NS_PER_S: i64 = 1_000_000_000;
const NS_PER_MS: i64 = 1_000_000;

/// One boot's outcome, shared by the tests that read it.
enum Boot {
    Unavailable(String),
    Failed(String),
    Ran(Guest),
}

fn boot_once(cell: &'static OnceLock<Boot>, scenarios: &[&str]) -> &'static Boot {
    cell.get_or_init(|| match Vm::locate() {
        Err(why) => Boot::Unavailable(why),
        Ok(vm) => match vm.boot(scenarios) {
            Ok(guest) => Boot::Ran(guest),
            Err(e) => Boot::Failed(e),
        },
    })
}

/// The guest of the boot in `cell` (booted by the first test that asks),
/// or `None` after a loud skip (a failure under `CI=true`).
fn guest(cell: &'static OnceLock<Boot>, scenarios: &[&str]) -> Option<&'static Guest> {
    match boot_once(cell, scenarios) {
        Boot::Unavailable(why) => {
            skip(&format!("cannot boot the test VM: {why}"));
            None
        }
        Boot::Failed(e) => panic!("{}: the VM boot failed: {e}", test_name()),
        Boot::Ran(guest) => Some(guest),
    }
}

/// Forward step, backward step and suspend: one boot, run in this order.
static SHARED: OnceLock<Boot> = OnceLock::new();
const SHARED_SCENARIOS: &[&str] = &["forward_step", "back_step", "suspend", "nudged_back_step"];

static FUTURE: OnceLock<Boot> = OnceLock::new();

fn ticks(lines: &[WatchLine]) -> Vec<i64> {
    lines
        .iter()
        .filter_map(|l| match l.event {
            WatchEvent::Tick { epoch } => Some(epoch),
            _ => None,
        })
        .collect()
}

/// (epoch, late_ms, monotonic arrival) of each milestone event, in order.
fn milestones(lines: &[WatchLine]) -> Vec<(i64, i64, i64)> {
    lines
        .iter()
        .filter_map(|l| match l.event {
            WatchEvent::Milestone { epoch, late_ms } => Some((epoch, late_ms, l.mono_ns)),
            _ => None,
        })
        .collect()
}

/// The watcher printed only ticks and milestones (reminders are off) and
/// ended as told (SIGTERM) with nothing on stderr.
fn check_watch_clean(s: &Scenario<'_>, lines: &[WatchLine]) {
    let other: Vec<&str> = lines
        .iter()
        .filter(|l| {
            !matches!(
                l.event,
                WatchEvent::Tick { .. } | WatchEvent::Milestone { .. }
            )
        })
        .map(|l| l.raw.as_str())
        .collect();
    s.check_eq(other, vec![], "watch events other than tick and milestone");
    s.check_eq(
        s.exit_status("watch"),
        143,
        "watch's exit status on SIGTERM",
    );
    s.check_eq(s.file("watch.err"), "", "watch's stderr");
}

/// As [`check_watch_clean`], and the daemon too ended as told (status 0)
/// with nothing on stderr.
fn check_clean(s: &Scenario<'_>, lines: &[WatchLine]) {
    check_watch_clean(s, lines);
    s.check_eq(
        s.exit_status("daemon"),
        0,
        "daemon's exit status on SIGTERM",
    );
    s.check_eq(s.file("daemon.err"), "", "daemon's stderr");
}

/// `late_ms` within `lo..=hi`, or fail naming `what`.
#[track_caller]
fn check_late(s: &Scenario<'_>, what: &str, late_ms: i64, lo: i64, hi: i64) {
    s.check(
        (lo..=hi).contains(&late_ms),
        format_args!("{what}: late_ms {late_ms}, wanted {lo}..={hi}"),
    );
}

/// The first watcher line that arrived after the monotonic instant `mono_ns`.
#[track_caller]
fn first_after<'l>(s: &Scenario<'_>, lines: &'l [WatchLine], mono_ns: i64) -> &'l WatchLine {
    lines
        .iter()
        .find(|l| l.mono_ns > mono_ns)
        .unwrap_or_else(|| s.fail("the watcher printed nothing after the step"))
}

/// The watcher's first line after a step at `mono_ns` is the tick of
/// `epoch`, printed within [`WAKE_MS`] of the step: how many ms after it.
#[track_caller]
fn woke_at_once(s: &Scenario<'_>, lines: &[WatchLine], mono_ns: i64, epoch: i64) -> f64 {
    let woke = first_after(s, lines, mono_ns);
    s.check_eq(
        woke.event.clone(),
        WatchEvent::Tick { epoch },
        "the first line after the step",
    );
    let woke_ms = (woke.mono_ns - mono_ns) as f64 / 1e6;
    s.check(
        woke_ms <= WAKE_MS as f64,
        format_args!("the watcher saw the step {woke_ms:.1} ms after it (bound {WAKE_MS} ms)"),
    );
    woke_ms
}

/// The daemon's hook ran once, for the milestone `m`, on time: that run.
#[track_caller]
fn one_alert_on_time(s: &Scenario<'_>, m: i64) -> HookAlert {
    let alerts = s.alerts();
    s.check_eq(
        kinds_and_epochs(&alerts),
        vec![("milestone", m)],
        "daemon hook runs",
    );
    check_late(s, "daemon milestone", alerts[0].late_ms, 0, WAKE_MS);
    alerts[0].clone()
}

fn kinds_and_epochs(alerts: &[HookAlert]) -> Vec<(&str, i64)> {
    alerts.iter().map(|a| (a.kind.as_str(), a.epoch)).collect()
}

/// Milliseconds from the whole second `epoch` to the instant `ns`.
fn ms_since(ns: i64, epoch: i64) -> i64 {
    (ns - epoch * NS_PER_S).div_euclid(NS_PER_MS)
}

#[test]
fn forward_step_across_two_milestones_reports_each_once_late_and_wakes_at_the_step() {
    let Some(guest) = guest(&SHARED, SHARED_SCENARIOS) else {
        return;
    };
    let s = guest.scenario("forward_step");
    let (t0, m1, m2) = (s.meta("t0"), s.meta("m1"), s.meta("m2"));
    let steps = s.steps();
    s.check_eq(steps.len(), 1, "clock steps");
    let step = steps[0];
    s.check_eq(step.by_secs, 6, "step size");
    let from = step.before_ns.div_euclid(NS_PER_S);
    let to = step.set_to_ns.div_euclid(NS_PER_S);
    s.check(
        from < m1 && to > m2,
        format_args!("the step from {from} to {to} crosses {m1} and {m2}"),
    );

    let lines = s.watch();
    check_clean(&s, &lines);
    // One line per second up to the step, one for the new second at once
    // (not a burst), then one per second until the stop at t0+10.3.
    let ticks = ticks(&lines);
    let first = ticks[0];
    let expected: Vec<i64> = (first..=from).chain(to..=t0 + 10).collect();
    s.check_eq(ticks, expected, "watch ticks");

    let woke_ms = woke_at_once(&s, &lines, step.mono_ns, to);

    // Each crossed milestone exactly once, in order, late by what the step
    // skipped (the clock was set to `set_to`; the watcher read it just after).
    let reached = milestones(&lines);
    let epochs: Vec<i64> = reached.iter().map(|m| m.0).collect();
    s.check_eq(epochs, vec![m1, m2], "watch milestone events");
    for &(epoch, late_ms, mono_ns) in &reached {
        let skipped = ms_since(step.set_to_ns, epoch);
        check_late(
            &s,
            &format!("watch milestone {epoch}"),
            late_ms,
            skipped,
            skipped + WAKE_MS,
        );
        s.check(
            mono_ns - step.mono_ns <= WAKE_MS * NS_PER_MS,
            format_args!(
                "milestone {epoch} printed {} ms after the step",
                (mono_ns - step.mono_ns) / NS_PER_MS
            ),
        );
    }

    // The daemon starts the two hooks in order, but hooks run concurrently,
    // so their lines may land in either order: compare them sorted.
    let mut alerts = s.alerts();
    alerts.sort_by_key(|a| a.epoch);
    s.check_eq(
        kinds_and_epochs(&alerts),
        vec![("milestone", m1), ("milestone", m2)],
        "daemon hook runs (sorted by epoch)",
    );
    for alert in &alerts {
        let skipped = ms_since(step.set_to_ns, alert.epoch);
        check_late(
            &s,
            &format!("daemon milestone {}", alert.epoch),
            alert.late_ms,
            skipped,
            skipped + WAKE_MS,
        );
    }
    vm::say(&format!(
        "forward_step: watcher woke {woke_ms:.1} ms after the +6 s step; late_ms watch {:?}, daemon {:?}",
        reached.iter().map(|m| m.1).collect::<Vec<_>>(),
        alerts.iter().map(|a| a.late_ms).collect::<Vec<_>>()
    ));
}

#[test]
fn back_step_after_a_milestone_repeats_no_alert_and_the_seconds_go_on() {
    let Some(guest) = guest(&SHARED, SHARED_SCENARIOS) else {
        return;
    };
    let s = guest.scenario("back_step");
    let m = s.meta("m");
    let steps = s.steps();
    s.check_eq(steps.len(), 1, "clock steps");
    let step = steps[0];
    s.check_eq(step.by_secs, -2, "step size");
    let from = step.before_ns.div_euclid(NS_PER_S);
    let to = step.set_to_ns.div_euclid(NS_PER_S);
    s.check_eq(
        (from, to),
        (m, m - 2),
        "the step goes from the milestone's second to 2 s before it",
    );

    let lines = s.watch();
    check_clean(&s, &lines);
    // The watcher prints what `date +%s` prints: after the step the clock
    // reads m-2 again, and each second from there comes once, at its
    // boundary, up to the stop at m+2.3. No line for a second twice in a
    // row, no burst, nothing skipped.
    let ticks = ticks(&lines);
    let first = ticks[0];
    let expected: Vec<i64> = (first..=m).chain(m - 2..=m + 2).collect();
    s.check_eq(ticks, expected, "watch ticks");
    let woke_ms = woke_at_once(&s, &lines, step.mono_ns, m - 2);

    // The milestone once, at its boundary, before the step; real time
    // passing its second again after the step reports nothing.
    let reached = milestones(&lines);
    s.check_eq(
        reached.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![m],
        "watch milestone events",
    );
    let (_, late_ms, mono_ns) = reached[0];
    check_late(&s, "watch milestone", late_ms, 0, WAKE_MS);
    s.check(
        mono_ns < step.mono_ns,
        "the milestone was printed before the step",
    );

    let alert = one_alert_on_time(&s, m);
    vm::say(&format!(
        "back_step: watcher woke {woke_ms:.1} ms after the -2 s step; milestone late_ms watch {late_ms}, daemon {}",
        alert.late_ms
    ));
}

#[test]
fn a_back_step_while_nudges_are_tolerated_is_seen_at_the_next_boundary() {
    let Some(guest) = guest(&SHARED, SHARED_SCENARIOS) else {
        return;
    };
    let s = guest.scenario("nudged_back_step");
    let (t0, m) = (s.meta("t0"), s.meta("m"));
    s.check(
        s.meta("sets") >= 25,
        "the clock was set ten times a second for 3 s",
    );
    let steps = s.steps();
    s.check_eq(steps.len(), 1, "clock steps");
    let step = steps[0];
    let from = step.before_ns.div_euclid(NS_PER_S);
    let to = step.set_to_ns.div_euclid(NS_PER_S);
    s.check_eq((from, to), (t0 + 6, t0 - 4), "the step goes 10 s back");

    let lines = s.watch();
    check_clean(&s, &lines);
    // Tolerant, the watcher's timer is not cancelled by the step: the
    // monotonic guard wakes it at what was the next boundary, half a
    // second after the step (a timer on the wall clock alone would have
    // waited the 10 s over again).
    let woke = first_after(&s, &lines, step.mono_ns);
    let woke_ms = (woke.mono_ns - step.mono_ns) as f64 / 1e6;
    s.check(
        woke_ms >= 400.0 && woke_ms <= (500 + WAKE_MS) as f64,
        format_args!(
            "the tolerant watcher saw the step {woke_ms:.1} ms after it (at the next boundary, within {WAKE_MS} ms)"
        ),
    );
    let ticks = ticks(&lines);
    let first = ticks[0];
    let after = ticks[(from - first + 1) as usize];
    s.check(
        after == to || after == to + 1,
        format_args!(
            "the first second after the step is {after}, the clock's ({to} or {})",
            to + 1
        ),
    );
    let expected: Vec<i64> = (first..=from).chain(after..=m + 1).collect();
    s.check_eq(ticks, expected, "watch ticks");

    // The milestone, still ahead after the step, once and on time.
    let reached = milestones(&lines);
    s.check_eq(
        reached.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![m],
        "watch milestone events",
    );
    check_late(&s, "watch milestone", reached[0].1, 0, WAKE_MS);
    let alert = one_alert_on_time(&s, m);
    vm::say(&format!(
        "nudged_back_step: the tolerant watcher woke {woke_ms:.1} ms after the -10 s step; milestone late_ms watch {}, daemon {}",
        reached[0].1, alert.late_ms
    ));
}

#[test]
fn s3_suspend_across_a_milestone_alerts_once_at_resume() {
    let Some(guest) = guest(&SHARED, SHARED_SCENARIOS) else {
        return;
    };
    let s = guest.scenario("suspend");
    let m = s.meta("m");
    s.check_eq(s.meta("suspend_status"), 0, "echo mem > /sys/power/state");
    s.check_eq(
        s.meta("suspend_ok_after"),
        s.meta("suspend_ok_before") + 1,
        "/sys/power/suspend_stats/success after the suspend",
    );
    let before = s.instants("before");
    let after = s.instants("after");
    // A real suspend: the wall clock and CLOCK_BOOTTIME went on for the
    // RTC alarm's 8 s, CLOCK_MONOTONIC did not.
    let slept = after.real_ns - before.real_ns;
    let boot = after.boot_ns - before.boot_ns;
    let mono = after.mono_ns - before.mono_ns;
    s.check(
        slept >= 6 * NS_PER_S && boot >= 6 * NS_PER_S && mono < 2 * NS_PER_S,
        format_args!(
            "a real suspend: realtime +{} ms, boottime +{} ms, monotonic +{} ms",
            slept / NS_PER_MS,
            boot / NS_PER_MS,
            mono / NS_PER_MS
        ),
    );
    s.check(
        before.real_ns < m * NS_PER_S && m * NS_PER_S < after.real_ns,
        "the milestone fell inside the suspend",
    );

    let lines = s.watch();
    check_clean(&s, &lines);
    let ticks = ticks(&lines);
    let asleep = before.real_ns.div_euclid(NS_PER_S);
    let Some(&resumed) = ticks.iter().find(|&&t| t > asleep) else {
        s.fail("no tick after the resume");
    };
    s.check(
        (resumed * NS_PER_S - after.real_ns).abs() < 2 * NS_PER_S && resumed > m,
        format_args!("the first tick after the resume ({resumed}) is the resume's second"),
    );
    let last = *ticks.last().unwrap_or(&resumed);
    s.check(last > resumed, "ticks went on after the resume");
    let expected: Vec<i64> = (ticks[0]..=asleep).chain(resumed..=last).collect();
    s.check_eq(ticks, expected, "watch ticks");

    let at_resume = ms_since(after.real_ns, m);
    let reached = milestones(&lines);
    s.check_eq(
        reached.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![m],
        "watch milestone events",
    );
    let (_, late_ms, mono_ns) = reached[0];
    check_late(
        &s,
        "watch milestone",
        late_ms,
        at_resume - RESUME_MS,
        at_resume + RESUME_MS,
    );
    s.check(
        (mono_ns - after.mono_ns).abs() <= RESUME_MS * NS_PER_MS,
        format_args!(
            "the milestone was printed {} ms from the resume",
            (mono_ns - after.mono_ns) / NS_PER_MS
        ),
    );

    let alerts = s.alerts();
    s.check_eq(
        kinds_and_epochs(&alerts),
        vec![("milestone", m)],
        "daemon hook runs",
    );
    check_late(
        &s,
        "daemon milestone",
        alerts[0].late_ms,
        at_resume - RESUME_MS,
        at_resume + RESUME_MS,
    );
    vm::say(&format!(
        "suspend: slept {} ms (monotonic +{} ms), milestone late_ms watch {late_ms}, daemon {}, shell read the clock at +{at_resume} ms",
        slept / NS_PER_MS,
        mono / NS_PER_MS,
        alerts[0].late_ms
    ));
}

#[test]
fn clock_ahead_by_3h_then_corrected_alerts_crossed_milestones_again_in_real_time() {
    let Some(guest) = guest(&FUTURE, &["future_and_back"]) else {
        return;
    };
    let s = guest.scenario("future_and_back");
    let (m1, m2) = (s.meta("m1"), s.meta("m2"));
    let steps = s.steps();
    s.check_eq(
        steps.iter().map(|st| st.by_secs).collect::<Vec<_>>(),
        vec![10_800, -10_800],
        "clock steps",
    );
    let (ahead, back) = (steps[0], steps[1]);
    let s0 = ahead.before_ns.div_euclid(NS_PER_S);
    let s1 = ahead.set_to_ns.div_euclid(NS_PER_S);
    let s2 = back.before_ns.div_euclid(NS_PER_S);
    let s3 = back.set_to_ns.div_euclid(NS_PER_S);
    s.check(
        s0 < m1 && s3 < m1 && s1 > m2,
        "both milestones are ahead before and after the 3 h",
    );

    // The watcher (catch-up 1 h, the default, as the daemon) sums the 3 h
    // old pair up in one "missed" line at the jump; then, once the clock is
    // right again, real time reaching each milestone alerts it again, on
    // time. The watcher and the daemon are both checked before failing, so
    // that the message says which of them did not.
    let all = s.watch();
    let (missed, lines): (Vec<WatchLine>, Vec<WatchLine>) = all
        .into_iter()
        .partition(|l| matches!(l.event, WatchEvent::Missed { .. }));
    check_clean(&s, &lines);
    let ticks = ticks(&lines);
    let expected: Vec<i64> = (ticks[0]..=s0).chain(s1..=s2).chain(s3..=m2 + 1).collect();
    s.check_eq(ticks, expected, "watch ticks");

    let mut problems: Vec<String> = Vec::new();
    let late = |what: String, late_ms: i64, lo: i64, hi: i64| -> Option<String> {
        (!(lo..=hi).contains(&late_ms))
            .then(|| format!("{what}: late_ms {late_ms}, wanted {lo}..={hi}"))
    };
    let summed: Vec<&WatchEvent> = missed.iter().map(|l| &l.event).collect();
    let wanted_missed = WatchEvent::Missed {
        count: 2,
        first: m1,
        last: m2,
    };
    if summed != [&wanted_missed] {
        problems.push(format!(
            "watch missed lines (one at the jump, for both):\n   got: {summed:?}\nwanted: \
             [{wanted_missed:?}]"
        ));
    } else if missed[0].mono_ns - ahead.mono_ns > WAKE_MS * NS_PER_MS {
        problems.push(format!(
            "watch: the missed line came {} ms after the jump",
            (missed[0].mono_ns - ahead.mono_ns) / NS_PER_MS
        ));
    }
    let reached = milestones(&lines);
    let epochs: Vec<i64> = reached.iter().map(|r| r.0).collect();
    if epochs == [m1, m2] {
        for &(epoch, late_ms, mono_ns) in &reached {
            problems.extend(late(
                format!("watch milestone {epoch} in real time"),
                late_ms,
                0,
                WAKE_MS,
            ));
            if mono_ns < back.mono_ns {
                problems.push(format!("watch milestone {epoch} came before the step back"));
            }
        }
    } else {
        problems.push(format!(
            "watch milestone events (each when real time reaches it):\n   got: {epochs:?}\n\
             wanted: {:?}",
            [m1, m2]
        ));
    }

    // The daemon sums the pair up in one "missed" alert at the jump, then
    // alerts each milestone in real time.
    let alerts = s.alerts();
    let runs = kinds_and_epochs(&alerts);
    let wanted = [("missed", m2), ("milestone", m1), ("milestone", m2)];
    if runs == wanted {
        if alerts[0].count != Some(2) {
            problems.push(format!(
                "daemon: the jump's missed alert counts {:?}, wanted 2",
                alerts[0].count
            ));
        }
        for alert in &alerts[1..] {
            problems.extend(late(
                format!("daemon milestone {} in real time", alert.epoch),
                alert.late_ms,
                0,
                WAKE_MS,
            ));
        }
    } else {
        problems.push(format!(
            "daemon hook runs (missed at the jump, then each milestone when real time reaches \
             it):\n   got: {runs:?}\nwanted: {wanted:?}"
        ));
    }
    s.check(problems.is_empty(), problems.join("\n"));
}

/// The daemon's stderr `file` is one line, its start-up warning `template`
/// (with `{now}` and `{saved}` for the two date-times, written as GNU date
/// writes them), the clock read anywhere between the instants labelled
/// `from` and `to` in `steps`.
#[track_caller]
fn check_warning(
    s: &Scenario<'_>,
    file: &str,
    template: &str,
    (from, to): (&str, &str),
    saved: i64,
) {
    let lines: Vec<&str> = s.file(file).lines().collect();
    s.check_eq(lines.len(), 1, format_args!("lines in {file}"));
    let (from, to) = (s.instants(from).real_ns, s.instants(to).real_ns);
    let candidates: Vec<String> = (from.div_euclid(NS_PER_S)..=to.div_euclid(NS_PER_S))
        .map(|now| {
            template
                .replace("{now}", &vm::utc_datetime(now))
                .replace("{saved}", &vm::utc_datetime(saved))
        })
        .collect();
    s.check(
        candidates.iter().any(|c| c == lines[0]),
        format_args!(
            "the daemon's start-up line in {file}:\n   got: {}\nwanted one of: {candidates:#?}",
            lines[0]
        ),
    );
}

/// The two stories where the saved state and the clock disagree at
/// start-up, which only a kernel whose clock may be set (and whose NTP
/// state may be told) can show: one boot.
static STATE_VS_CLOCK: OnceLock<Boot> = OnceLock::new();
const STATE_VS_CLOCK_SCENARIOS: &[&str] = &["dead_clock", "state_ahead_synchronized"];

#[test]
fn dead_clock_then_ntp_repeats_nothing_floods_nothing_and_alerts_what_is_ahead_on_time() {
    let Some(guest) = guest(&STATE_VS_CLOCK, STATE_VS_CLOCK_SCENARIOS) else {
        return;
    };
    let s = guest.scenario("dead_clock");
    let (m, m2, d, dead) = (s.meta("m"), s.meta("m2"), s.meta("d"), s.meta("dead"));
    s.check(
        !s.synchronized("ntp"),
        "the guest's clock is not synchronized (adjtimex)",
    );
    let steps = s.steps();
    s.check_eq(steps.len(), 2, "clock steps");
    let (back, ntp) = (steps[0], steps[1]);
    s.check_eq(
        ntp.by_secs,
        -back.by_secs,
        "the NTP step undoes the dead clock's",
    );
    let s0 = back.before_ns.div_euclid(NS_PER_S);
    let s1 = back.set_to_ns.div_euclid(NS_PER_S);
    let s2 = ntp.before_ns.div_euclid(NS_PER_S);
    let s3 = ntp.set_to_ns.div_euclid(NS_PER_S);
    s.check(
        s0 >= m && (dead..d).contains(&s1) && s2 > d && s3 < m2,
        format_args!(
            "after the milestone {m}, the clock goes back to {s1} (2000-01-01), passes {d}, \
             and NTP sets it to {s3}, before {m2}"
        ),
    );
    // Eight milestones of every:100000000 (1.0 to 1.7 billion) lie between the two clocks.
    let between = (dead / 100_000_000 + 1..=m / 100_000_000).count();
    s.check(
        between == 8,
        format_args!("{between} milestones between 2000 and now"),
    );

    // The first daemon: the milestone on time, nothing on stderr.
    let alerts = s.alerts();
    s.check_eq(
        kinds_and_epochs(&alerts),
        vec![("milestone", m), ("milestone", m2)],
        "daemon hook runs (both daemons): m on time before, m2 on time after the NTP step",
    );
    for alert in &alerts {
        check_late(
            &s,
            &format!("daemon milestone {}", alert.epoch),
            alert.late_ms,
            0,
            WAKE_MS,
        );
    }
    s.check_eq(
        s.exit_status("daemon-first"),
        0,
        "the first daemon's exit status",
    );
    s.check_eq(s.file("daemon-first.err"), "", "the first daemon's stderr");
    // The second daemon, started on the dead clock: one line, then quiet.
    s.check_eq(
        s.exit_status("daemon"),
        0,
        "the second daemon's exit status",
    );
    check_warning(
        &s,
        "daemon.err",
        "epochwatch: warning: the clock ({now}) is behind the state file ({saved}) and not \
         synchronized: nothing is alerted again until it is set right",
        ("restart", "restarted"),
        s.fired_through("state-first.toml"),
    );

    // The watcher ran through it all, on no state: the seconds as the clock
    // read them, the two milestones on time, and nothing at either step.
    let lines = s.watch();
    check_watch_clean(&s, &lines);
    let ticks = ticks(&lines);
    let expected: Vec<i64> = (ticks[0]..=s0).chain(s1..=s2).chain(s3..=m2 + 1).collect();
    s.check_eq(ticks, expected, "watch ticks");
    let reached = milestones(&lines);
    s.check_eq(
        reached.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![m, m2],
        "watch milestone events",
    );
    for &(epoch, late_ms, _) in &reached {
        check_late(&s, &format!("watch milestone {epoch}"), late_ms, 0, WAKE_MS);
    }
    vm::say(&format!(
        "dead_clock: back {} s to {s1}, NTP +{} s; late_ms daemon {:?}, watch {:?}",
        back.by_secs,
        ntp.by_secs,
        alerts.iter().map(|a| a.late_ms).collect::<Vec<_>>(),
        reached.iter().map(|r| r.1).collect::<Vec<_>>()
    ));
}

#[test]
fn a_state_ahead_of_a_synchronized_implausible_clock_is_said_and_alerts_go_out_on_time() {
    let Some(guest) = guest(&STATE_VS_CLOCK, STATE_VS_CLOCK_SCENARIOS) else {
        return;
    };
    let s = guest.scenario("state_ahead_synchronized");
    let (m, saved) = (s.meta("m"), s.meta("saved"));
    let steps = s.steps();
    s.check_eq(steps.len(), 2, "clock steps (to 2021, and back at the end)");
    let set_to = steps[0].set_to_ns.div_euclid(NS_PER_S);
    s.check(
        set_to < PLAUSIBLE_SINCE && set_to < saved && m > set_to,
        format_args!("the clock ({set_to}) is implausible and behind the state ({saved})"),
    );
    s.check(
        !s.synchronized("unsynchronized"),
        "setting the clock made it unsynchronized",
    );
    s.check(
        s.synchronized("synchronized"),
        "clockstep sync made it synchronized",
    );

    check_warning(
        &s,
        "daemon.err",
        "epochwatch: warning: the state file says alerts were handled through {saved}, ahead \
         of the clock ({now}), which looks right: alerting from now on",
        ("start", "started"),
        saved,
    );
    one_alert_on_time(&s, m);
    s.check_eq(
        s.exit_status("daemon"),
        0,
        "daemon's exit status on SIGTERM",
    );
}
