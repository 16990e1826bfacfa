//! The one harness of the integration tests. Every test module uses it; no
//! module keeps helpers of its own for what is here.
//!
//! | module | what |
//! |---|---|
//! | [`env`] | [`TestEnv`]: temporary `XDG_CONFIG_HOME`, `XDG_STATE_HOME` and `HOME`, a fixed `TZ`, nothing inherited but `PATH`; the built binary in it |
//! | [`process`] | running the binary: [`Outcome`] (status, stdout, stderr of a finished run) and [`Background`] (a running one: stdout lines as they arrive, stderr, signals) |
//! | [`faketime`] | libfaketime: start the binary's wall clock at an instant, or freeze it |
//! | [`seeded`] | the seeded random source of the differential tests, and a parallel map over their cases |
//! | [`tzdata`] | the system's zone database read independently: zone names, TZif transitions, POSIX TZ rules; a TZif file for a POSIX string |
//! | [`calendar`] | an independent proleptic Gregorian calendar |
//! | [`bars`] | real status bars: the segment as the README's snippets start it, those snippets, a headless sway, screenshots (X, Wayland) and the classes followed through them |
//! | [`desktop`] | a private D-Bus session bus, Xvfb and dunst, and dunst's history |
//! | [`needs`] | [`Needs`]: what a test needs (tools, libfaketime, a bus, an X display), asked for and started in one statement |
//! | [`monitor`] | the `Notify` calls on that bus, as dbus-monitor sees them |
//! | [`hung_server`] | a notification server that never answers (dunst under SIGSTOP) |
//! | [`tmux`] | a real terminal: a private tmux server per test |
//! | [`pty`] | a bare pty whose size is never set (0x0), read into a vt100 screen |
//! | [`internals`] | the library internals the tests drive, named in this one place |
//! | [`reference`] | programs we did not write, to compare with: Debian's python (`zoneinfo`, `icalendar`), GNU `date`, `calcurse`, `khal`; GNU `date -f` and `zoneinfo` in batches |
//! | [`vm`] | a throwaway QEMU guest running the release binary, for real clock steps and suspend |
//!
//! A test that needs an external tool asks for it through [`require_tools`]
//! (or the starters built on it: [`Faketime::require`],
//! `DesktopSession::start`, `NotifyMonitor::start`, and [`Needs`] for
//! several at once): when the tool is
//! missing the test prints a loud `SKIPPED` line and returns, and with
//! `CI=true` it fails instead. The line names the test by [`test_name`], so
//! no test types its own name.

pub mod bars;
pub mod calendar;
pub mod desktop;
pub mod env;
pub mod faketime;
pub mod hung_server;
pub mod internals;
pub mod monitor;
pub mod needs;
pub mod process;
pub mod pty;
pub mod reference;
pub mod seeded;
pub mod tmux;
pub mod tzdata;
pub mod vm;

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub use env::{TestEnv, bin_path};
pub use faketime::Faketime;
pub use needs::Needs;
pub use process::{Background, assert_consecutive, run, wait_timeout};

/// The running test's name, as libtest gives it (`module::test`).
///
/// libtest runs each test on a thread of its own named after the test, with
/// `--test-threads=1` too (since Rust 1.67, rust-lang/rust#103681; it falls
/// back to the calling thread only where it cannot spawn one). On any other
/// thread this says so instead of naming a test.
pub fn test_name() -> String {
    match std::thread::current().name() {
        Some(name) if name != "main" => name.to_string(),
        _ => "<not on a test thread>".to_string(),
    }
}

/// True when running in CI, where a missing tool is a failure, not a skip.
pub fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

/// Skip the running test: a loud `SKIPPED` line naming it and `reason`, or
/// a panic when CI=true (located at the test's call). The caller returns
/// from the test after this.
#[track_caller]
pub fn skip(reason: &str) {
    let msg = format!("SKIPPED {}: {reason}", test_name());
    if in_ci() {
        panic!("{msg}; CI=true, so this is a failure");
    }
    eprintln!("\n*** {msg} ***\n");
}

/// Returns true when every tool is on PATH; otherwise [`skip`]s and returns
/// false.
#[track_caller]
pub fn require_tools(tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|tool| which(tool).is_none())
        .collect();
    if missing.is_empty() {
        return true;
    }
    skip(&format!(
        "missing tool(s) {} (install them, e.g. via .ci/run)",
        missing.join(", ")
    ));
    false
}

pub fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|candidate| candidate.is_file())
}

/// A helper program (a bus, a notification server, a monitor) with nothing
/// inherited but PATH, no stdin, and stdout and stderr discarded (set them
/// again to read them).
pub fn quiet_tool(program: &str) -> std::process::Command {
    use std::process::Stdio;
    let mut cmd = std::process::Command::new(program);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// The stdout of a helper program that succeeded; `None` when it could not
/// start or failed.
pub fn stdout_if_ok(cmd: &mut std::process::Command) -> Option<String> {
    let out = cmd.stdin(std::process::Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Call `get` every 50 ms until `done` holds for what it returns or
/// `timeout` passes; returns the last value either way.
pub fn poll_for<T>(timeout: Duration, mut get: impl FnMut() -> T, done: impl Fn(&T) -> bool) -> T {
    let mut last = None;
    poll_until(timeout, || {
        let value = get();
        let finished = done(&value);
        last = Some(value);
        finished
    });
    last.expect("polled at least once")
}

/// Call `check` every 50 ms until it is true or `timeout` passes; returns
/// whether it became true.
pub fn poll_until(timeout: Duration, check: impl FnMut() -> bool) -> bool {
    poll_every(Duration::from_millis(50), timeout, check)
}

/// Call `check` every `interval` until it is true or `timeout` passes.
pub fn poll_every(interval: Duration, timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if check() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(interval);
    }
}

/// The system clock's seconds since the epoch.
pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// `daemon --no-defaults`, a `-m` for each of `milestones` (epochs or
/// specs), then `rest`.
pub fn daemon_on<M: ToString>(milestones: &[M], rest: &[&str]) -> Vec<String> {
    let mut args = vec!["daemon".to_string(), "--no-defaults".to_string()];
    for m in milestones {
        args.extend(["-m".to_string(), m.to_string()]);
    }
    args.extend(rest.iter().map(|s| s.to_string()));
    args
}
