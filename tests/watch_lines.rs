//! `epochwatch watch` into pipes: `--plain` lines exactly like `date +%s`,
//! `--json` events, a reader that goes away (`| head -3`), agreement with the
//! system clock, and bad input. Faked time comes from libfaketime preloaded
//! into the binary itself, so signals and exit statuses are its own.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{TestEnv, bin_path};
use serde_json::Value;

/// Generous: two shared cores, and a debug binary.
const T: Duration = Duration::from_secs(30);

const SEQ: i64 = 1_234_567_890;
const SEQ_NOTICE: &str = "epochwatch: milestone 1234567890 reached: sequence 1234567890";

fn faketime_lib(test: &str) -> Option<PathBuf> {
    common::require_libfaketime(test, &["faketime"])
}

/// The binary with the test environment, `args` and `--no-notify`, stdout
/// and stderr piped; under libfaketime from `start` when given.
fn spawn(env: &TestEnv, fake: Option<(&PathBuf, i64)>, args: &[&str]) -> Child {
    let mut cmd = Command::new(bin_path());
    cmd.env_clear()
        .envs(env.env_pairs())
        .current_dir(env.path());
    if let Some((lib, start)) = fake {
        cmd.envs(common::faketime_env(lib, start));
    }
    cmd.arg("watch")
        .args(args)
        .arg("--no-notify")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.spawn().expect("cannot start epochwatch")
}

/// Lines of stdout as they arrive, each with its arrival time.
fn lines_of(child: &mut Child) -> Receiver<(String, SystemTime)> {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send((line, SystemTime::now())).is_err() {
                break;
            }
        }
    });
    rx
}

/// All of stderr, collected on a thread (joined after the process ends).
fn stderr_of(child: &mut Child) -> std::thread::JoinHandle<String> {
    let mut stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    })
}

fn next_line(rx: &Receiver<(String, SystemTime)>, deadline: Instant) -> (String, SystemTime) {
    match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(x) => x,
        Err(RecvTimeoutError::Timeout) => panic!("no line within the time limit"),
        Err(RecvTimeoutError::Disconnected) => panic!("stdout closed early"),
    }
}

/// Send `signal` and expect the exit within the time limit.
fn stop_with(child: &mut Child, signal: nix::sys::signal::Signal) -> ExitStatus {
    common::stop_with(child, signal, T)
        .unwrap_or_else(|| panic!("epochwatch did not exit after {signal}"))
}

fn assert_consecutive(values: &[i64]) {
    for pair in values.windows(2) {
        assert_eq!(
            pair[1],
            pair[0] + 1,
            "skipped or repeated second in {values:?}"
        );
    }
}

#[test]
fn plain_lines_are_consecutive_seconds_with_one_notice() {
    let test = "plain_lines_are_consecutive_seconds_with_one_notice";
    let Some(lib) = faketime_lib(test) else {
        return;
    };
    let env = TestEnv::new();
    let mut child = spawn(&env, Some((&lib, SEQ - 5)), &["--plain"]);
    let rx = lines_of(&mut child);
    let err = stderr_of(&mut child);

    let deadline = Instant::now() + T;
    let mut values = Vec::new();
    let mut arrivals = Vec::new();
    while values.last().is_none_or(|&v| v < SEQ + 2) {
        let (line, at) = next_line(&rx, deadline);
        // Exactly what `date +%s` prints: digits only.
        assert!(
            !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()),
            "not a date +%s line: {line:?}"
        );
        values.push(line.parse::<i64>().unwrap());
        arrivals.push(at);
    }
    let status = stop_with(&mut child, nix::sys::signal::Signal::SIGTERM);
    assert_eq!(status.code(), Some(143), "SIGTERM status");
    let stderr = err.join().unwrap();

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
    let test = "json_ticks_milestone_and_reminder";
    let Some(lib) = faketime_lib(test) else {
        return;
    };
    let env = TestEnv::new();
    let mut child = spawn(&env, Some((&lib, SEQ - 5)), &["--json", "--remind", "3s"]);
    let rx = lines_of(&mut child);
    let err = stderr_of(&mut child);

    let deadline = Instant::now() + T;
    let mut events: Vec<Value> = Vec::new();
    loop {
        let (line, _) = next_line(&rx, deadline);
        let v: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("not one JSON object per line: {line:?}: {e}"));
        assert!(v.is_object(), "{line}");
        let done = v["event"] == "tick" && v["epoch"].as_i64().unwrap() >= SEQ + 2;
        events.push(v);
        if done {
            break;
        }
    }
    let status = stop_with(&mut child, nix::sys::signal::Signal::SIGINT);
    assert_eq!(status.code(), Some(130), "SIGINT status");
    let stderr = err.join().unwrap();
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
    assert_eq!(m["label"], "sequence 1234567890");
    assert_eq!(m["rule"], "sequence");
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
    assert_eq!(r["label"], "sequence 1234567890");
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
    let mut watch = spawn(&env, None, &[]);
    let err = stderr_of(&mut watch);
    let mut head = Command::new("head")
        .arg("-3")
        .stdin(Stdio::from(watch.stdout.take().unwrap()))
        .stdout(Stdio::piped())
        .spawn()
        .expect("cannot start head");
    let head_status = common::wait_timeout(&mut head, T).expect("head -3 did not finish");
    let head_done = Instant::now();
    assert!(head_status.success());
    let mut out = String::new();
    head.stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();

    let status = common::wait_timeout(&mut watch, T);
    let took = head_done.elapsed();
    let Some(status) = status else {
        let _ = watch.kill();
        panic!("epochwatch still running after the reader closed");
    };
    assert_eq!(status.code(), Some(0), "status after the reader closed");
    // The next line (within a second) finds the pipe closed.
    assert!(
        took < Duration::from_millis(2500),
        "took {took:?} to notice the closed pipe"
    );
    let stderr = err.join().unwrap();
    assert!(stderr.is_empty(), "stderr: {stderr:?}");

    let values: Vec<i64> = out.lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(values.len(), 3, "{out:?}");
    assert_consecutive(&values);
}

#[test]
fn values_agree_with_the_system_clock() {
    let env = TestEnv::new();
    let mut child = spawn(&env, None, &["--plain"]);
    let rx = lines_of(&mut child);
    let deadline = Instant::now() + T;
    let mut values = Vec::new();
    for _ in 0..5 {
        let (line, at) = next_line(&rx, deadline);
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
    let status = stop_with(&mut child, nix::sys::signal::Signal::SIGHUP);
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
