//! The delivery contract (docs/delivery.md) against faults: the daemon
//! killed at random instants, a full disk, an immutable state file, a state
//! from the future, two daemons racing. Alerts are counted where they land:
//! a hook appends each one to a log, and hooks run in their own process
//! group, so they outlive a daemon killed right after starting them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nix::sys::signal::Signal;

use crate::harness::seeded::Rng;
use crate::harness::{Faketime, TestEnv, daemon_on, now_secs, poll_until, require_tools, skip};

const STOP: Duration = Duration::from_secs(10);

/// A hook that appends "KIND EPOCH NANOS" (the wall time it ran at) to `log`.
fn logging_hook(env: &TestEnv, log: &Path) -> PathBuf {
    env.write_script(
        "log-alert.sh",
        &format!(
            "echo \"$EPOCHWATCH_KIND $EPOCHWATCH_EPOCH $(date +%s%N)\" >> '{}'",
            log.display()
        ),
    )
}

/// The daemon's arguments: `specs` as the only milestones, no reminders, no
/// desktop, the hook.
fn daemon_args(specs: &[&str], hook: &Path) -> Vec<String> {
    let hook = hook.to_str().unwrap();
    daemon_on(specs, &["--remind", "none", "--no-notify", "--exec", hook])
}

/// The hook log: (kind, epoch, when the hook ran).
fn logged(log: &Path) -> Vec<(String, i64, i128)> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let kind = parts.next()?.to_string();
            let epoch = parts.next()?.parse().ok()?;
            let at = parts.next()?.parse().ok()?;
            Some((kind, epoch, at))
        })
        .collect()
}

fn nanos_now() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// The epochs of the alerts the state file lists as pending (sent, their
/// delivery not recorded).
fn pending(state: &Path) -> Vec<i64> {
    let Ok(text) = std::fs::read_to_string(state) else {
        return Vec::new();
    };
    let Ok(value) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    value
        .get("pending")
        .and_then(|p| p.as_array())
        .into_iter()
        .flatten()
        .filter_map(|alert| alert.get("milestone")?.get("epoch")?.as_integer())
        .collect()
}

/// The state file's modification time, if it exists.
fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[test]
fn random_kills_lose_nothing() {
    let env = TestEnv::new();
    let log = env.path().join("alerts.log");
    let hook = logging_hook(&env, &log);
    let state = env.state_home().join("epochwatch/state.toml");
    // A milestone every second: every run of the daemon has alerts to make.
    let args = daemon_args(&["every:1"], &hook);
    let seed = std::env::var("EPOCHWATCH_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_201u64);
    eprintln!("random_kills_lose_nothing: seed {seed}");
    let mut rng = Rng::new(seed);
    let first_start = now_secs();
    // When each kill came, and what the state file said was pending then.
    let mut kills: Vec<(i128, Vec<i64>)> = Vec::new();
    for round in 0..100 {
        let mut daemon = env.background(&[], &args);
        if round % 2 == 0 {
            // At a random instant.
            std::thread::sleep(Duration::from_millis(50 + rng.below(700)));
        } else {
            // Right after the state file changes (the alert recorded as
            // pending, or its delivery recorded).
            let before = modified(&state);
            let limit = Instant::now() + Duration::from_millis(1_500);
            while modified(&state) == before && Instant::now() < limit {
                std::thread::sleep(Duration::from_micros(200));
            }
            std::thread::sleep(Duration::from_micros(rng.below(3_000)));
        }
        let at = nanos_now();
        daemon.signal(Signal::SIGKILL);
        assert!(daemon.wait(STOP).is_some(), "killed daemon did not exit");
        kills.push((at, pending(&state)));
    }
    // A last run that is left to finish its work, then stopped cleanly.
    let daemon = env.background(&[], &args);
    std::thread::sleep(Duration::from_millis(2_500));
    let last_second = now_secs() - 1;
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(status.success(), "stderr: {stderr}");
    std::thread::sleep(Duration::from_millis(300)); // the last hooks finish
    let alerts = logged(&log);
    let mut seen: BTreeMap<i64, Vec<i128>> = BTreeMap::new();
    for (kind, epoch, at) in &alerts {
        assert_eq!(kind, "milestone", "{alerts:?}");
        seen.entry(*epoch).or_default().push(*at);
    }
    let lost: Vec<i64> = (first_start + 1..=last_second)
        .filter(|e| !seen.contains_key(e))
        .collect();
    // A duplicate may only come from a kill between a delivery and its
    // record: a kill before the second copy found it still pending (the
    // hook stamps its copy when it runs, which may be after the kill).
    let duplicates: Vec<(i64, Vec<i128>)> = seen
        .iter()
        .filter(|(_, times)| times.len() > 1)
        .map(|(e, t)| (*e, t.clone()))
        .collect();
    for (epoch, times) in &duplicates {
        let in_the_window = kills
            .iter()
            .any(|(at, pending)| *at < times[1] && pending.contains(epoch));
        assert!(
            in_the_window,
            "{epoch} delivered twice ({times:?}) though no kill before the second found it pending"
        );
    }
    eprintln!(
        "random_kills_lose_nothing: {} milestones from {} to {last_second}, 100 kills, \
         {} lost, {} delivered twice {duplicates:?}",
        last_second - first_start,
        first_start + 1,
        lost.len(),
        duplicates.len(),
    );
    assert!(lost.is_empty(), "lost milestones: {lost:?}");
    assert!(last_second - first_start > 20, "the test ran long enough");
}

/// Root can mount a small tmpfs (CI runs as root); else skip loudly.
struct Tmpfs {
    at: PathBuf,
}

impl Tmpfs {
    #[track_caller]
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            skip("cannot mount a tmpfs (needs root)");
            return None;
        }
        Some(Tmpfs {
            at: at.to_path_buf(),
        })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.at).status();
    }
}

/// Fill the file system holding `dir` to the last byte.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 4096];
    while file.write_all(&block).is_ok() {}
    while file.write_all(&[0]).is_ok() {}
    let _ = file.sync_all();
    path
}

/// A daemon started at `m - 2` with milestones `m` and `m + 4`: the hook
/// log and the daemon's stderr once both came.
fn two_milestones(
    env: &TestEnv,
    faketime: &Faketime,
    m: i64,
    between: impl FnOnce(),
) -> (Vec<(String, i64, i128)>, String) {
    let log = env.path().join("alerts.log");
    let hook = logging_hook(env, &log);
    let (first, second) = (m.to_string(), (m + 4).to_string());
    let specs = [first.as_str(), second.as_str()];
    let args = daemon_args(&specs, &hook);
    let daemon = env.background(&faketime.start_at(m - 2), &args);
    let came = poll_until(Duration::from_secs(10), || logged(&log).len() == 1);
    between();
    let both = poll_until(Duration::from_secs(10), || logged(&log).len() == 2);
    let (status, _, stderr) = daemon.terminate(STOP);
    assert!(
        came && both,
        "both alerts on time; log {:?}; stderr: {stderr}",
        logged(&log)
    );
    assert!(status.success(), "stderr: {stderr}");
    (logged(&log), stderr)
}

#[test]
fn a_full_disk_delays_no_alert_and_destroys_nothing() {
    let Some(faketime) = Faketime::require(&[]) else {
        return;
    };
    let env = TestEnv::new();
    let Some(_tmpfs) = Tmpfs::mount(&env.state_home(), "256k") else {
        return;
    };
    let m = 1_900_000_000;
    let dir = env.state_home().join("epochwatch");
    std::fs::create_dir_all(&dir).unwrap();
    let saved = format!("fired_through = {}\n", m - 10);
    std::fs::write(dir.join("state.toml"), &saved).unwrap();
    let filler = fill(&env.state_home());
    let (alerts, stderr) = two_milestones(&env, &faketime, m, || {
        // The state is as it was while the disk is full.
        assert_eq!(
            std::fs::read_to_string(dir.join("state.toml")).unwrap(),
            saved
        );
        std::fs::remove_file(&filler).unwrap();
    });
    assert_eq!(alerts.iter().map(|a| a.1).collect::<Vec<_>>(), [m, m + 4]);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "one line for the failure, one for the recovery: {stderr}"
    );
    assert!(
        lines[0].starts_with("epochwatch: warning: cannot save the state file ")
            && lines[0].contains("No space left on device")
            && lines[0].matches("state.toml").count() == 1,
        "{stderr}"
    );
    assert_eq!(
        lines[1],
        "epochwatch: warning: the state file is saved again"
    );
    let now_saved = std::fs::read_to_string(dir.join("state.toml")).unwrap();
    assert!(
        now_saved.contains(&format!("fired_through = {}", m + 4)),
        "{now_saved}"
    );
}

#[test]
fn an_immutable_state_delays_no_alert_and_destroys_nothing() {
    let Some(faketime) = Faketime::require(&[]) else {
        return;
    };
    if !require_tools(&["chattr"]) {
        return;
    }
    let env = TestEnv::new();
    let m = 1_900_000_000;
    let dir = env.state_home().join("epochwatch");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.toml");
    let saved = format!("fired_through = {}\n", m - 10);
    std::fs::write(&path, &saved).unwrap();
    let chattr = |flag: &str| {
        Command::new("chattr")
            .args([flag, path.to_str().unwrap()])
            .status()
            .is_ok_and(|s| s.success())
    };
    if !chattr("+i") {
        skip("chattr +i failed (needs root and a file system that has the flag)");
        return;
    }
    let (alerts, stderr) = two_milestones(&env, &faketime, m, || {});
    assert!(chattr("-i"));
    assert_eq!(alerts.iter().map(|a| a.1).collect::<Vec<_>>(), [m, m + 4]);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "said once: {stderr}");
    assert!(
        lines[0].starts_with("epochwatch: warning: cannot save the state file ")
            && lines[0].contains("Operation not permitted"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), saved);
}

#[test]
fn a_state_from_the_future_is_said_and_the_alert_goes_out_on_time() {
    let Some(faketime) = Faketime::require(&[]) else {
        return;
    };
    let env = TestEnv::new();
    let m = 1_900_000_000;
    let dir = env.state_home().join("epochwatch");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("state.toml"), "fired_through = 3000000000\n").unwrap();
    let (alerts, stderr) = two_milestones(&env, &faketime, m, || {});
    assert_eq!(alerts.iter().map(|a| a.1).collect::<Vec<_>>(), [m, m + 4]);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0]
            .starts_with("epochwatch: warning: the state file says alerts were handled through ")
            && lines[0].contains("2065-01-24"),
        "{stderr}"
    );
}

#[test]
fn two_daemons_race_and_the_loser_names_the_holder() {
    for round in 0..20 {
        let env = TestEnv::new();
        let args = ["daemon", "--no-defaults", "-m", "4000000000", "--no-notify"];
        let mut a = env.background(&[], &args);
        let mut b = env.background(&[], &args);
        let (mut winner, loser_status, loser_stderr) = loop {
            if let Some(status) = a.wait(Duration::from_millis(20)) {
                break (b, status, a.stderr());
            }
            if let Some(status) = b.wait(Duration::from_millis(20)) {
                break (a, status, b.stderr());
            }
        };
        assert!(winner.alive(), "round {round}: the other one runs");
        let lock = env.state_home().join("epochwatch/daemon.lock");
        let expected = format!(
            "epochwatch: error: another epochwatch daemon is already running (lock {} held by pid {})\n",
            lock.display(),
            winner.pid()
        );
        assert_eq!(
            loser_status.code(),
            Some(1),
            "round {round}: {loser_stderr}"
        );
        assert_eq!(loser_stderr, expected, "round {round}");
        winner.stop(Signal::SIGTERM, STOP);
    }
}
