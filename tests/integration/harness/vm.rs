//! Real-kernel tests: the release binary in a throwaway QEMU guest whose
//! clock the scenarios step and suspend, without touching the host's clock.
//!
//! How a boot goes (`Vm::boot`):
//! 1. the guest kernel is Debian's `linux-image-cloud-amd64`, fetched once
//!    into `target/vm/kernel/` by `tests/vm/fetch-kernel.sh` (apt-get
//!    download, boot/ unpacked, nothing installed), or `EPOCHWATCH_VM_KERNEL`;
//! 2. `tests/vm/build-initramfs.sh` packs busybox-static, the epochwatch
//!    binary and the shared libraries `ldd` names for it, the static
//!    `clockstep` helper (`tests/vm/clockstep.c`), `/init` and the chosen
//!    `tests/vm/scenarios/*.sh` into a gzip'd newc cpio;
//! 3. `qemu-system-x86_64 -accel tcg` boots it (TCG: the nested KVM of these
//!    machines cannot boot this kernel). The serial console (ttyS0) goes to
//!    a log for failure messages; `/init` runs the scenarios one after the
//!    other and writes their result files, between `@@VM` markers, to a
//!    second serial port (ttyS1), a file on the host; then it powers off.
//!    A boot that does not end in time is killed.
//!
//! The guest's scripts live in `tests/vm/`. When something the guest needs
//! is missing (qemu, busybox-static, cpio, gzip, a C compiler, the kernel),
//! the test skips loudly through [`super::skip`], or fails with `CI=true`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::which;

/// How long a boot may take beyond the scenarios' own time (qemu start,
/// firmware, kernel, result dump). Boot to `/init` takes 2 to 4 s under TCG.
const BOOT_ALLOWANCE: Duration = Duration::from_secs(60);

/// What a scenario may take inside the guest before `/init` stops it (it
/// is also the per-scenario share of the host's timeout).
const SCENARIO_TIMEOUT_SECS: u64 = 60;

/// A line on the test process's real stderr, past libtest's capture (which
/// only takes `eprintln!`), so that a timing shows in any run.
pub fn say(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// `epoch` as the daemon's messages write it, by GNU date (a reference we
/// did not write): `date -u -d @EPOCH '+%a %F %T %:z'`.
pub fn utc_datetime(epoch: i64) -> String {
    let out = Command::new("date")
        .args(["-u", "-d", &format!("@{epoch}"), "+%a %F %T %:z"])
        .env("LC_ALL", "C")
        .output()
        .expect("GNU date runs");
    assert!(out.status.success(), "date -d @{epoch} failed");
    String::from_utf8_lossy(&out.stdout).trim_end().to_string()
}

/// The source tree (where `tests/vm/` lives).
fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn vm_dir() -> PathBuf {
    manifest_dir().join("tests").join("vm")
}

/// The target directory cargo builds into (`target/`, or `CARGO_TARGET_DIR`),
/// found from the binary cargo built for this test.
fn target_dir() -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_epochwatch"));
    bin.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest_dir().join("target"))
}

/// Everything a boot needs, found on this machine.
#[derive(Debug, Clone)]
pub struct Vm {
    pub qemu: PathBuf,
    pub kernel: PathBuf,
    /// The epochwatch binary put into the guest.
    pub binary: PathBuf,
    /// `target/vm`: the kernel, the clockstep helper, the initramfs images.
    pub cache: PathBuf,
}

impl Vm {
    /// Find qemu, busybox-static, cpio, gzip, a C compiler and the kernel
    /// (fetching it once if needed), and build the release binary. `Err`
    /// says what is missing.
    pub fn locate() -> Result<Vm, String> {
        let qemu = which("qemu-system-x86_64")
            .ok_or("qemu-system-x86_64 not found (Debian package qemu-system-x86)")?;
        let busybox =
            which("busybox").ok_or("busybox not found (Debian package busybox-static)")?;
        let dynamic = Command::new("ldd")
            .arg(&busybox)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if dynamic {
            return Err(format!(
                "{} is dynamically linked (install busybox-static)",
                busybox.display()
            ));
        }
        for (tool, package) in [("cpio", "cpio"), ("gzip", "gzip"), ("ldd", "libc-bin")] {
            which(tool).ok_or_else(|| format!("{tool} not found (Debian package {package})"))?;
        }
        let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
        which(&cc).ok_or_else(|| {
            format!("C compiler {cc} not found (Debian packages gcc and libc6-dev)")
        })?;
        let cache = target_dir().join("vm");
        let kernel = match std::env::var_os("EPOCHWATCH_VM_KERNEL") {
            Some(path) => PathBuf::from(path),
            None => fetch_kernel(&cache)?,
        };
        if !kernel.is_file() {
            return Err(format!("no kernel at {}", kernel.display()));
        }
        let binary = release_binary()?;
        Ok(Vm {
            qemu,
            kernel,
            binary,
            cache,
        })
    }

    /// Boot once with `scenarios` (names of `tests/vm/scenarios/NAME.sh`),
    /// run in that order, and return what the guest sent back. `Err` (with
    /// the guest's console) when the boot failed or did not finish in time.
    pub fn boot(&self, scenarios: &[&str]) -> Result<Guest, String> {
        // One guest at a time: the scenarios measure wake-ups in
        // milliseconds, and two TCG guests on two shared cores would skew
        // each other.
        static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let started = Instant::now();
        let dir = tempfile::Builder::new()
            .prefix("epochwatch-vm-")
            .tempdir()
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
        let initrd = dir.path().join("initramfs.cpio.gz");
        let mut build = Command::new(vm_dir().join("build-initramfs.sh"));
        build
            .arg(&initrd)
            .arg(&self.binary)
            .arg(self.cache.join("clockstep"));
        for name in scenarios {
            let script = vm_dir().join("scenarios").join(format!("{name}.sh"));
            if !script.is_file() {
                return Err(format!("no scenario {}", script.display()));
            }
            build.arg(script);
        }
        let out = build
            .output()
            .map_err(|e| format!("cannot run build-initramfs.sh: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "build-initramfs.sh failed ({}):\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let packed = started.elapsed();

        let console_path = dir.path().join("console.txt");
        let results_path = dir.path().join("results.txt");
        let console = std::fs::File::create(&console_path)
            .map_err(|e| format!("cannot create {}: {e}", console_path.display()))?;
        let console_err = console
            .try_clone()
            .map_err(|e| format!("cannot duplicate the console file: {e}"))?;
        let per_scenario = SCENARIO_TIMEOUT_SECS;
        let limit = BOOT_ALLOWANCE + Duration::from_secs(per_scenario * scenarios.len() as u64);
        let mut child = Command::new(&self.qemu)
            .args(["-accel", "tcg", "-m", "512", "-smp", "1"])
            .args([
                "-nographic",
                "-no-reboot",
                "-monitor",
                "none",
                "-nic",
                "none",
            ])
            .arg("-kernel")
            .arg(&self.kernel)
            .arg("-initrd")
            .arg(&initrd)
            .arg("-append")
            .arg(format!(
                "console=ttyS0 quiet panic=-1 epochwatch.timeout={per_scenario}"
            ))
            .args(["-serial", "stdio", "-serial"])
            .arg(format!("file:{}", results_path.display()))
            .stdin(Stdio::null())
            .stdout(console)
            .stderr(console_err)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.qemu.display()))?;
        let boot_started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if boot_started.elapsed() > limit => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(50)),
                Err(e) => return Err(format!("cannot wait for qemu: {e}")),
            }
        };
        let ran = boot_started.elapsed();
        // The firmware clears the screen: keep escape sequences from doing
        // that to the terminal a failure message is printed on.
        let console = String::from_utf8_lossy(&std::fs::read(&console_path).unwrap_or_default())
            .replace('\r', "")
            .replace('\x1b', "^[");
        let results = String::from_utf8_lossy(&std::fs::read(&results_path).unwrap_or_default())
            .replace('\r', "");
        let Some(status) = status else {
            return Err(format!(
                "the guest did not power off within {limit:?}; killed\n{}",
                section("guest console", &console)
            ));
        };
        let guest = Guest::parse(&console, &results);
        if !guest.done {
            return Err(format!(
                "the guest ended ({status}) without writing all its results (no @@VM DONE)\n{}{}",
                section("results port", &results),
                section("guest console", &console)
            ));
        }
        say(&format!(
            "vm: {} scenario(s) {:?}: initramfs {:.1} s, boot and run {:.1} s",
            scenarios.len(),
            scenarios,
            packed.as_secs_f64(),
            ran.as_secs_f64()
        ));
        Ok(guest)
    }
}

/// The cached kernel, fetched by `tests/vm/fetch-kernel.sh` when absent.
fn fetch_kernel(cache: &Path) -> Result<PathBuf, String> {
    let cached = cache.join("kernel").join("vmlinuz");
    if cached.is_file() {
        return Ok(cached);
    }
    say(&format!(
        "vm: fetching the guest kernel into {}",
        cache.display()
    ));
    let out = Command::new(vm_dir().join("fetch-kernel.sh"))
        .arg(cache)
        .output()
        .map_err(|e| format!("cannot run fetch-kernel.sh: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cannot fetch the guest kernel (tests/vm/fetch-kernel.sh): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// The epochwatch binary for the guest: `EPOCHWATCH_VM_BINARY` if set;
/// the one cargo built for this test if that is a release build; else
/// `target/release/epochwatch`, brought up to date with `cargo build
/// --release` (a no-op when it is).
pub fn release_binary() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("EPOCHWATCH_VM_BINARY") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "EPOCHWATCH_VM_BINARY={} is no file",
                path.display()
            ))
        };
    }
    if !cfg!(debug_assertions) {
        return Ok(PathBuf::from(env!("CARGO_BIN_EXE_epochwatch")));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let started = Instant::now();
    let out = Command::new(&cargo)
        .args(["build", "--release", "--bin", "epochwatch"])
        .current_dir(manifest_dir())
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .map_err(|e| format!("cannot run {cargo} build --release: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo build --release failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    if started.elapsed() > Duration::from_secs(5) {
        say(&format!(
            "vm: built the release binary in {:.0} s",
            started.elapsed().as_secs_f64()
        ));
    }
    Ok(target_dir().join("release").join("epochwatch"))
}

fn section(title: &str, body: &str) -> String {
    let body = body.trim_end_matches('\n');
    format!("----- {title} -----\n{body}\n----- end of {title} -----\n")
}

/// What one boot sent back.
#[derive(Debug, Clone)]
pub struct Guest {
    /// The serial console: kernel messages, `/init`'s log, each scenario's output.
    pub console: String,
    pub scenarios: BTreeMap<String, ScenarioOutput>,
    /// `@@VM DONE` came: every result was written.
    pub done: bool,
}

/// One scenario's result files and exit status.
#[derive(Debug, Clone, Default)]
pub struct ScenarioOutput {
    pub files: BTreeMap<String, String>,
    pub status: Option<i32>,
}

impl Guest {
    /// Read the results port: `@@VM BEGIN s f` ... `@@VM END s f`,
    /// `@@VM STATUS s n`, `@@VM DONE`.
    pub fn parse(console: &str, results: &str) -> Guest {
        let mut scenarios: BTreeMap<String, ScenarioOutput> = BTreeMap::new();
        let mut done = false;
        let mut open: Option<(String, String, String)> = None;
        for line in results.lines() {
            if let Some((scenario, file, mut body)) = open.take() {
                if line == format!("@@VM END {scenario} {file}") {
                    scenarios
                        .entry(scenario)
                        .or_default()
                        .files
                        .insert(file, body);
                } else {
                    body.push_str(line);
                    body.push('\n');
                    open = Some((scenario, file, body));
                }
                continue;
            }
            let mut words = line.split(' ');
            match (words.next(), words.next(), words.next(), words.next()) {
                (Some("@@VM"), Some("BEGIN"), Some(scenario), Some(file)) => {
                    open = Some((scenario.to_string(), file.to_string(), String::new()));
                }
                (Some("@@VM"), Some("STATUS"), Some(scenario), Some(status)) => {
                    scenarios.entry(scenario.to_string()).or_default().status =
                        status.trim().parse().ok();
                }
                (Some("@@VM"), Some("DONE"), None, None) => done = true,
                _ => {}
            }
        }
        Guest {
            console: console.to_string(),
            scenarios,
            done,
        }
    }

    /// The results of scenario `name`, with the guest's output at hand for
    /// failure messages. Panics (with the console) if it did not run or
    /// did not exit 0.
    pub fn scenario(&self, name: &str) -> Scenario<'_> {
        let Some((name, output)) = self.scenarios.get_key_value(name) else {
            panic!(
                "scenario {name} sent no results\n{}",
                section("guest console", &self.console)
            );
        };
        let scenario = Scenario {
            name,
            output,
            guest: self,
        };
        scenario.check(
            output.status == Some(0),
            format_args!("the scenario script exited {:?}", output.status),
        );
        scenario
    }
}

/// One scenario's results, parsed on demand.
#[derive(Clone, Copy)]
pub struct Scenario<'a> {
    name: &'a str,
    output: &'a ScenarioOutput,
    guest: &'a Guest,
}

/// One line of the watcher's stdout, with when it reached the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchLine {
    /// CLOCK_MONOTONIC when the read returned it, ns (unaffected by steps).
    pub mono_ns: i64,
    /// CLOCK_REALTIME then, ns since the epoch.
    pub real_ns: i64,
    pub event: WatchEvent,
    pub raw: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchEvent {
    Tick {
        epoch: i64,
    },
    Milestone {
        epoch: i64,
        late_ms: i64,
    },
    /// Milestones summed up in one line: how many, the first and the last.
    Missed {
        count: i64,
        first: i64,
        last: i64,
    },
    /// Any other event (a reminder): these scenarios expect none.
    Other(String),
}

/// One run of the daemon's hook: `KIND EPOCH LATE_MS COUNT` (`-` when the
/// kind has no count).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookAlert {
    pub kind: String,
    pub epoch: i64,
    pub late_ms: i64,
    pub count: Option<u64>,
}

/// A `clockstep step` line: the clock read just before it was set, the
/// value it was set to, and CLOCK_MONOTONIC at the step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub by_secs: i64,
    pub before_ns: i64,
    pub set_to_ns: i64,
    pub mono_ns: i64,
}

/// A `clockstep now` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instants {
    pub real_ns: i64,
    pub mono_ns: i64,
    pub boot_ns: i64,
}

fn key_values(line: &str) -> BTreeMap<&str, &str> {
    line.split_whitespace()
        .filter_map(|word| word.split_once('='))
        .collect()
}

impl<'a> Scenario<'a> {
    /// Everything the guest said about this scenario, for a failure message.
    pub fn dump(&self) -> String {
        let mut text = String::new();
        for (file, body) in &self.output.files {
            text.push_str(&section(&format!("{}/{file}", self.name), body));
        }
        text.push_str(&section("guest console", &self.guest.console));
        text
    }

    /// Fail the test with `message` and everything the guest said.
    #[track_caller]
    pub fn fail(&self, message: impl std::fmt::Display) -> ! {
        panic!("scenario {}: {message}\n{}", self.name, self.dump());
    }

    #[track_caller]
    pub fn check(&self, ok: bool, message: impl std::fmt::Display) {
        if !ok {
            self.fail(message);
        }
    }

    /// `left == right`, or fail showing both.
    #[track_caller]
    pub fn check_eq<T: PartialEq + std::fmt::Debug>(
        &self,
        left: T,
        right: T,
        what: impl std::fmt::Display,
    ) {
        if left != right {
            self.fail(format_args!("{what}:\n   got: {left:?}\nwanted: {right:?}"));
        }
    }

    /// A result file (empty if the scenario wrote it empty); fails if absent.
    #[track_caller]
    pub fn file(&self, name: &str) -> &'a str {
        match self.output.files.get(name) {
            Some(body) => body,
            None => self.fail(format_args!("no result file {name}")),
        }
    }

    /// `meta` as numbers: `key=value` lines.
    #[track_caller]
    pub fn meta(&self, key: &str) -> i64 {
        for line in self.file("meta").lines() {
            if let Some((k, v)) = line.split_once('=')
                && k == key
            {
                return v
                    .trim()
                    .parse()
                    .unwrap_or_else(|_| self.fail(format_args!("meta {key}={v} is no integer")));
            }
        }
        self.fail(format_args!("no meta {key}"))
    }

    /// The `clockstep step` lines, in order.
    #[track_caller]
    pub fn steps(&self) -> Vec<Step> {
        self.file("steps")
            .lines()
            .filter(|line| line.starts_with("step "))
            .map(|line| {
                let kv = key_values(line);
                let num = |key: &str| -> i64 {
                    kv.get(key).and_then(|v| v.parse().ok()).unwrap_or_else(|| {
                        self.fail(format_args!("step line without {key}: {line}"))
                    })
                };
                let before_ns = num("before");
                let by_secs = num("by");
                Step {
                    by_secs,
                    before_ns,
                    set_to_ns: before_ns + by_secs * 1_000_000_000,
                    mono_ns: num("mono"),
                }
            })
            .collect()
    }

    /// The `clockstep now` line labelled `label` in `steps` (`before real=...`).
    #[track_caller]
    pub fn instants(&self, label: &str) -> Instants {
        Instants {
            real_ns: self.labelled(label, "real"),
            mono_ns: self.labelled(label, "mono"),
            boot_ns: self.labelled(label, "boot"),
        }
    }

    /// Whether the kernel said the clock was synchronized, on the
    /// `clockstep ntp-status` line labelled `label` in `steps`.
    #[track_caller]
    pub fn synchronized(&self, label: &str) -> bool {
        match self.labelled(label, "synchronized") {
            0 => false,
            1 => true,
            other => self.fail(format_args!("{label}: synchronized={other}")),
        }
    }

    /// The number `key=N` on the line of `steps` that starts with `label `.
    #[track_caller]
    fn labelled(&self, label: &str, key: &str) -> i64 {
        let prefix = format!("{label} ");
        let Some(line) = self
            .file("steps")
            .lines()
            .find(|line| line.starts_with(&prefix))
        else {
            self.fail(format_args!("no '{label}' line in steps"));
        };
        key_values(line)
            .get(key)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| self.fail(format_args!("no number {key} in: {line}")))
    }

    /// `fired_through` of a state file the scenario kept.
    #[track_caller]
    pub fn fired_through(&self, file: &str) -> i64 {
        self.file(file)
            .lines()
            .find_map(|line| line.strip_prefix("fired_through = ")?.trim().parse().ok())
            .unwrap_or_else(|| self.fail(format_args!("no fired_through in {file}")))
    }

    /// The watcher's lines (`MONO_NS REAL_NS JSON`), parsed.
    #[track_caller]
    pub fn watch(&self) -> Vec<WatchLine> {
        self.file("watch")
            .lines()
            .map(|line| self.watch_line(line))
            .collect()
    }

    #[track_caller]
    fn watch_line(&self, line: &str) -> WatchLine {
        let mut parts = line.splitn(3, ' ');
        let (Some(mono), Some(real), Some(raw)) = (parts.next(), parts.next(), parts.next()) else {
            self.fail(format_args!("watch line without time stamps: {line}"));
        };
        let (Ok(mono_ns), Ok(real_ns)) = (mono.parse(), real.parse()) else {
            self.fail(format_args!("watch line with bad time stamps: {line}"));
        };
        let json = match Json::parse(raw) {
            Ok(json) => json,
            Err(e) => self.fail(format_args!(
                "watch printed a line that is no JSON ({e}): {raw}"
            )),
        };
        let event = match json.get("event").and_then(Json::as_str) {
            Some("tick") => match json.get("epoch").and_then(Json::as_i64) {
                Some(epoch) => WatchEvent::Tick { epoch },
                None => self.fail(format_args!("tick without epoch: {raw}")),
            },
            Some("milestone") => match (
                json.get("epoch").and_then(Json::as_i64),
                json.get("late_ms").and_then(Json::as_i64),
            ) {
                (Some(epoch), Some(late_ms)) => WatchEvent::Milestone { epoch, late_ms },
                _ => self.fail(format_args!("milestone without epoch or late_ms: {raw}")),
            },
            Some("missed") => {
                let epoch_of = |end: &str| json.get(end).and_then(|e| e.get("epoch"))?.as_i64();
                match (
                    json.get("count").and_then(Json::as_i64),
                    epoch_of("first"),
                    epoch_of("last"),
                ) {
                    (Some(count), Some(first), Some(last)) => {
                        WatchEvent::Missed { count, first, last }
                    }
                    _ => self.fail(format_args!("missed without count, first or last: {raw}")),
                }
            }
            _ => WatchEvent::Other(raw.to_string()),
        };
        WatchLine {
            mono_ns,
            real_ns,
            event,
            raw: raw.to_string(),
        }
    }

    /// The daemon hook's lines, in the order they were appended.
    #[track_caller]
    pub fn alerts(&self) -> Vec<HookAlert> {
        self.file("alerts")
            .lines()
            .map(|line| {
                let words: Vec<&str> = line.split(' ').collect();
                let parsed = match words.as_slice() {
                    [kind, epoch, late, count] => match (epoch.parse(), late.parse(), *count) {
                        (Ok(epoch), Ok(late_ms), "-") => Some((kind, epoch, late_ms, None)),
                        (Ok(epoch), Ok(late_ms), count) => {
                            count.parse().ok().map(|c| (kind, epoch, late_ms, Some(c)))
                        }
                        _ => None,
                    },
                    _ => None,
                };
                match parsed {
                    Some((kind, epoch, late_ms, count)) => HookAlert {
                        kind: kind.to_string(),
                        epoch,
                        late_ms,
                        count,
                    },
                    None => self.fail(format_args!("bad hook line: {line}")),
                }
            })
            .collect()
    }

    /// The exit status recorded for `process` (`watch`, `daemon`).
    #[track_caller]
    pub fn exit_status(&self, process: &str) -> i32 {
        self.file("exits")
            .lines()
            .find_map(|line| {
                let (name, status) = line.split_once(' ')?;
                (name == process).then(|| status.trim().parse().ok())?
            })
            .unwrap_or_else(|| self.fail(format_args!("no exit status for {process}")))
    }
}

/// Just enough JSON for the watcher's lines: objects, arrays, strings,
/// numbers, booleans and null.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut parser = JsonParser {
            bytes: text.as_bytes(),
            at: 0,
        };
        let value = parser.value()?;
        parser.space();
        if parser.at != parser.bytes.len() {
            return Err(format!("trailing text at byte {}", parser.at));
        }
        Ok(value)
    }

    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Int(n) => Some(*n),
            _ => None,
        }
    }
}

struct JsonParser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl JsonParser<'_> {
    fn space(&mut self) {
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| b.is_ascii_whitespace())
        {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        self.space();
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at byte {}", byte as char, self.at))
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        self.space();
        match self.bytes.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                let mut fields = Vec::new();
                self.space();
                if self.bytes.get(self.at) == Some(&b'}') {
                    self.at += 1;
                    return Ok(Json::Object(fields));
                }
                loop {
                    self.space();
                    let key = self.string()?;
                    self.expect(b':')?;
                    fields.push((key, self.value()?));
                    self.space();
                    match self.bytes.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b'}') => {
                            self.at += 1;
                            return Ok(Json::Object(fields));
                        }
                        _ => return Err(format!("expected ',' or '}}' at byte {}", self.at)),
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.bytes.get(self.at) == Some(&b']') {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value()?);
                    self.space();
                    match self.bytes.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b']') => {
                            self.at += 1;
                            return Ok(Json::Array(items));
                        }
                        _ => return Err(format!("expected ',' or ']' at byte {}", self.at)),
                    }
                }
            }
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(format!("unexpected byte at {}", self.at)),
        }
    }

    fn word(&mut self, word: &str, value: Json) -> Result<Json, String> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(format!("bad literal at byte {}", self.at))
        }
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.at;
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
        {
            self.at += 1;
        }
        let text = std::str::from_utf8(&self.bytes[start..self.at]).map_err(|e| e.to_string())?;
        if let Ok(n) = text.parse::<i64>() {
            return Ok(Json::Int(n));
        }
        text.parse::<f64>()
            .map(Json::Float)
            .map_err(|_| format!("bad number {text}"))
    }

    fn string(&mut self) -> Result<String, String> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return Err(format!("expected a string at byte {}", self.at));
        }
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let Some(&byte) = self.bytes.get(self.at) else {
                return Err("unterminated string".to_string());
            };
            self.at += 1;
            match byte {
                b'"' => return String::from_utf8(out).map_err(|e| e.to_string()),
                b'\\' => {
                    let Some(&escape) = self.bytes.get(self.at) else {
                        return Err("unterminated escape".to_string());
                    };
                    self.at += 1;
                    match escape {
                        b'"' | b'\\' | b'/' => out.push(escape),
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = self
                                .bytes
                                .get(self.at..self.at + 4)
                                .and_then(|h| std::str::from_utf8(h).ok())
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .ok_or("bad \\u escape")?;
                            self.at += 4;
                            let c = char::from_u32(hex).unwrap_or('\u{fffd}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return Err(format!("bad escape at byte {}", self.at)),
                    }
                }
                _ => out.push(byte),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_reads_watch_lines() {
        let line = r#"{"epoch":1796164674,"event":"milestone","label":"1,796,164,674","late_ms":4501,"rule":"1796164674","utc":"2026-12-01T22:37:54Z"}"#;
        let json = Json::parse(line).unwrap();
        assert_eq!(json.get("event").and_then(Json::as_str), Some("milestone"));
        assert_eq!(json.get("late_ms").and_then(Json::as_i64), Some(4501));
        let nested = Json::parse(r#"{"a":[1,-2.5,"x\"\u00e9"],"b":{"c":null,"d":true}}"#).unwrap();
        assert_eq!(
            nested.get("a"),
            Some(&Json::Array(vec![
                Json::Int(1),
                Json::Float(-2.5),
                Json::Str("x\"é".to_string())
            ]))
        );
        assert!(Json::parse("{\"a\":1} x").is_err());
        assert!(Json::parse("{\"a\":}").is_err());
    }

    #[test]
    fn results_port_is_read_between_markers() {
        let results = "@@VM BEGIN s watch\nline 1\n@@VM BEGIN not a marker here\n@@VM END s watch\n\
                       @@VM BEGIN s empty\n@@VM END s empty\n@@VM STATUS s 0\n@@VM DONE\n";
        let guest = Guest::parse("", results);
        assert!(guest.done);
        let s = &guest.scenarios["s"];
        assert_eq!(s.status, Some(0));
        assert_eq!(s.files["watch"], "line 1\n@@VM BEGIN not a marker here\n");
        assert_eq!(s.files["empty"], "");
    }
}
