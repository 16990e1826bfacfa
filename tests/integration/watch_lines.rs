//! `epochwatch watch` into pipes: `--plain` lines exactly like `date +%s`,
//! `--json` events, a reader that goes away (`| head -3`), agreement with the
//! system clock, and bad input. Faked time comes from libfaketime preloaded
//! into the binary itself, so signals and exit statuses are its own.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, UNIX_EPOCH};

use nix::sys::signal::Signal;
use serde_json::Value;

use crate::harness::{Background, Faketime, TestEnv, assert_consecutive, wait_timeout};

/// Generous: two shared cores, and a debug binary.
const T: Duration = Duration::from_secs(30);

const SEQ: i64 = 1_234_567_890;
const SEQ_NOTICE: &str =
    "epochwatch: milestone 1234567890 reached: 1234567890 day, celebrated around the world";

/// `epochwatch watch ARGS --no-notify` in the background; under
/// libfaketime from `start` when given.
fn watch(env: &TestEnv, fake: Option<(&Faketime, i64)>, args: &[&str]) -> Background {
    let fake = fake.map_or_else(Vec::new, |(faketime, start)| faketime.start_at(start));
    let mut all = vec!["watch"];
    all.extend_from_slice(args);
    all.push("--no-notify");
    env.background(&fake, &all)
}

#[test]
fn plain_lines_are_consecutive_seconds_with_one_notice() {
    let Some(faketime) = Faketime::require(&["faketime"]) else {
        return;
    };
    let env = TestEnv::new();
    let mut child = watch(&env, Some((&faketime, SEQ - 5)), &["--plain"]);

    let deadline = Instant::now() + T;
    let mut values = Vec::new();
    let mut arrivals = Vec::new();
    while values.last().is_none_or(|&v| v < SEQ + 2) {
        let (line, at) = child.next_line(deadline);
        // Exactly what `date +%s` prints: digits only.
        assert!(
            !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()),
            "not a date +%s line: {line:?}"
        );
        values.push(line.parse::<i64>().unwrap());
        arrivals.push(at);
    }
    let status = child.stop(Signal::SIGTERM, T);
    assert_eq!(status.code(), Some(143), "SIGTERM status");
    let stderr = child.stderr();

    assert!(
        (SEQ - 5..=SEQ - 4).contains(&values[0]),
        "first value {} (faked start {})",
        values[0],
        SEQ - 5
    );
    assert_consecutive(&values);
    assert!(values.contains(&SEQ));
    // One line per second, not a burst: ~1 s apart on average.
    let span = arrivals
        .last()
        .unwrap()
        .duration_since(arrivals[0])
        .unwrap();
    let n = values.len() as f64 - 1.0;
    assert!(
        span.as_secs_f64() > n - 1.0 && span.as_secs_f64() < n + 3.0,
        "{} lines over {span:?}",
        values.len()
    );

    let notices = stderr.lines().filter(|l| *l == SEQ_NOTICE).count();
    assert_eq!(notices, 1, "milestone notice count; stderr:\n{stderr}");
    for line in stderr.lines() {
        assert!(line.starts_with("epochwatch: "), "stray stderr: {line:?}");
    }
}

#[test]
fn json_ticks_milestone_and_reminder() {
    let Some(faketime) = Faketime::require(&["faketime"]) else {
        return;
    };
    let env = TestEnv::new();
    let mut child = watch(
        &env,
        Some((&faketime, SEQ - 5)),
        &["--json", "--remind", "3s"],
    );

    let deadline = Instant::now() + T;
    let mut events: Vec<Value> = Vec::new();
    loop {
        let (line, _) = child.next_line(deadline);
        let v: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("not one JSON object per line: {line:?}: {e}"));
        assert!(v.is_object(), "{line}");
        let done = v["event"] == "tick" && v["epoch"].as_i64().unwrap() >= SEQ + 2;
        events.push(v);
        if done {
            break;
        }
    }
    let status = child.stop(Signal::SIGINT, T);
    assert_eq!(status.code(), Some(130), "SIGINT status");
    let stderr = child.stderr();
    assert!(stderr.is_empty(), "stderr in JSON mode: {stderr}");

    let ticks: Vec<i64> = events
        .iter()
        .filter(|v| v["event"] == "tick")
        .map(|v| {
            assert_eq!(v.as_object().unwrap().len(), 2, "tick fields: {v}");
            v["epoch"].as_i64().unwrap()
        })
        .collect();
    assert!((SEQ - 5..=SEQ - 4).contains(&ticks[0]), "{ticks:?}");
    assert_consecutive(&ticks);

    // Where an event sits: the last tick before it.
    let tick_before = |i: usize| {
        events[..i]
            .iter()
            .rev()
            .find(|v| v["event"] == "tick")
            .map(|v| v["epoch"].as_i64().unwrap())
    };

    let milestones: Vec<usize> = (0..events.len())
        .filter(|&i| events[i]["event"] == "milestone")
        .collect();
    assert_eq!(milestones.len(), 1, "milestone events: {events:?}");
    let m = &events[milestones[0]];
    assert_eq!(m["epoch"], SEQ);
    assert_eq!(m["label"], "1234567890 day, celebrated around the world");
    assert_eq!(m["rule"], "sequence, famous");
    assert_eq!(m["utc"], "2009-02-13T23:31:30Z");
    let late = m["late_ms"].as_i64().expect("late_ms");
    assert!((0..1000).contains(&late), "late_ms {late}");
    assert_eq!(tick_before(milestones[0]), Some(SEQ), "milestone placement");

    let reminders: Vec<usize> = (0..events.len())
        .filter(|&i| events[i]["event"] == "reminder")
        .collect();
    assert_eq!(reminders.len(), 1, "reminder events: {events:?}");
    let r = &events[reminders[0]];
    assert_eq!(r["epoch"], SEQ);
    assert_eq!(r["label"], "1234567890 day, celebrated around the world");
    assert_eq!(r["lead"], 3);
    assert_eq!(r["due"], SEQ - 3);
    assert_eq!(
        tick_before(reminders[0]),
        Some(SEQ - 3),
        "reminder placement"
    );

    let others: Vec<&Value> = events
        .iter()
        .filter(|v| !["tick", "milestone", "reminder"].contains(&v["event"].as_str().unwrap()))
        .collect();
    assert!(others.is_empty(), "unexpected events: {others:?}");
}

#[test]
fn reader_closing_ends_quietly_with_status_0() {
    let env = TestEnv::new();
    let mut cmd = env.command();
    cmd.args(["watch", "--no-notify"]);
    let (mut watch, stdout) = Background::spawn_with_stdout(cmd);
    let mut head = Command::new("head")
        .arg("-3")
        .stdin(Stdio::from(stdout))
        .stdout(Stdio::piped())
        .spawn()
        .expect("cannot start head");
    let head_status = wait_timeout(&mut head, T).expect("head -3 did not finish");
    let head_done = Instant::now();
    assert!(head_status.success());
    let mut out = String::new();
    head.stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();

    let status = watch.wait(T);
    let took = head_done.elapsed();
    let Some(status) = status else {
        panic!("epochwatch still running after the reader closed");
    };
    assert_eq!(status.code(), Some(0), "status after the reader closed");
    // The next line (within a second) finds the pipe closed.
    assert!(
        took < Duration::from_millis(2500),
        "took {took:?} to notice the closed pipe"
    );
    let stderr = watch.stderr();
    assert!(stderr.is_empty(), "stderr: {stderr:?}");

    let values: Vec<i64> = out.lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(values.len(), 3, "{out:?}");
    assert_consecutive(&values);
}

#[test]
fn values_agree_with_the_system_clock() {
    let env = TestEnv::new();
    let mut child = watch(&env, None, &["--plain"]);
    let deadline = Instant::now() + T;
    let mut values = Vec::new();
    for _ in 0..5 {
        let (line, at) = child.next_line(deadline);
        let value: i64 = line.parse().unwrap();
        let now = at.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        // Printed at the boundary of `value`: read in that second, or (on a
        // loaded machine) just after the next one began; never early.
        assert!(
            value == now || value == now - 1,
            "printed {value}, read at {now}"
        );
        values.push(value);
    }
    let status = child.stop(Signal::SIGHUP, T);
    assert_eq!(status.code(), Some(129), "SIGHUP status");
    assert_consecutive(&values);
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let env = TestEnv::new();
    for args in [
        &["watch", "--tz", "Nowhere/Zone", "--plain"][..],
        &["watch", "-m", "every:0", "--plain"],
        &["watch", "--remind", "soon", "--plain"],
    ] {
        let out = env
            .cmd()
            .args(args)
            .arg("--no-notify")
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: stderr {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: stdout {:?}", out.stdout);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: stderr {stderr:?}");
        assert!(stderr.starts_with("epochwatch: "), "{args:?}: {stderr:?}");
    }
    let out = env
        .cmd()
        .args(["watch", "--tz", "Nowhere/Zone", "--plain", "--no-notify"])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Nowhere/Zone"),
        "the error names the zone"
    );
}
