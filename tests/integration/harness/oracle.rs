//! The reference programs of the differential tests, each run once for many
//! cases: GNU `date` (`date -f FILE` reads one `@N` or date-time per line)
//! and Python's `zoneinfo` (`/usr/bin/python3`, one process for any number
//! of wall times); a TZif file written for a POSIX TZ string so that
//! `zoneinfo` can read it too; the seeded random source of the cases; and a
//! parallel map over zones.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Debian's Python, which has `zoneinfo` and reads the system database
/// (the `python3` first on PATH may be another one).
pub const PYTHON: &str = "/usr/bin/python3";

/// Ends each instant's output in a batch, so that formats may hold newlines.
const END: &str = "\u{1e}";

/// GNU `date` and Python's `zoneinfo` are there; else a loud skip (a failure
/// with CI=true) and false.
#[track_caller]
pub fn require_references() -> bool {
    let gnu = super::stdout_if_ok(Command::new("date").arg("--version"))
        .is_some_and(|text| text.contains("GNU coreutils"));
    if !gnu {
        super::skip("GNU date (coreutils) not found");
        return false;
    }
    let zoneinfo = super::stdout_if_ok(Command::new(PYTHON).args(["-c", "import zoneinfo"]));
    if zoneinfo.is_none() {
        super::skip("/usr/bin/python3 with zoneinfo not found (package python3)");
        return false;
    }
    true
}

/// The value of `TZ` for a reference run: unset, or this text.
pub type TzVar<'a> = Option<&'a str>;

/// `date ARGS -f LINES +FORMAT` under `LC_ALL=C` and `tz`: what it prints
/// for each line, in order (without the newline). Every line must be one
/// `date` accepts.
pub fn gnu_date(tz: TzVar, args: &[&str], lines: &[String], format: &str) -> Vec<String> {
    if lines.is_empty() {
        return Vec::new();
    }
    let mut input = tempfile::NamedTempFile::new().expect("a temporary file");
    input
        .write_all(lines.join("\n").as_bytes())
        .and_then(|()| input.write_all(b"\n"))
        .expect("writing the input");
    let mut cmd = Command::new("date");
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LC_ALL", "C")
        .args(args)
        .arg("-f")
        .arg(input.path())
        .arg(format!("+{format}{END}"));
    if let Some(dir) = std::env::var_os("TZDIR") {
        cmd.env("TZDIR", dir);
    }
    if let Some(tz) = tz {
        cmd.env("TZ", tz);
    }
    let output = cmd.stdin(Stdio::null()).output().expect("running date");
    let stdout = String::from_utf8(output.stdout).expect("date prints UTF-8 here");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stderr.is_empty(),
        "date {args:?} -f (TZ={tz:?}, format {format:?}) failed: {stderr}"
    );
    let mut out: Vec<String> = stdout
        .split(&format!("{END}\n"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        out.pop().as_deref(),
        Some(""),
        "date's output ends each case"
    );
    assert_eq!(out.len(), lines.len(), "one output per line");
    out
}

/// `@N.NNNNNNNNN`, the instant `secs` + `nanos` as `date -d` reads it.
pub fn at_sign(secs: i64, nanos: u32) -> String {
    if nanos == 0 {
        format!("@{secs}")
    } else if secs >= 0 {
        format!("@{secs}.{nanos:09}")
    } else {
        // -2 s + 0.25 s is -1.75 s.
        format!("@-{}.{:09}", -(secs + 1), 1_000_000_000 - nanos)
    }
}

/// A wall-clock time to look up: the zone's TZif file and the date-time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wall {
    pub file: PathBuf,
    pub civil: (i64, i64, i64, i64, i64, i64),
}

/// What `zoneinfo` makes of a wall time: the instant with `fold=0` and with
/// `fold=1` (equal when the time happens once; `fold0 < fold1` when it
/// happens twice; `fold0 > fold1` when the clock skipped it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Folds {
    pub fold0: i64,
    pub fold1: i64,
}

impl Folds {
    pub fn is_single(self) -> bool {
        self.fold0 == self.fold1
    }
    pub fn is_overlap(self) -> bool {
        self.fold0 < self.fold1
    }
}

/// Reads "file year month day hour minute second" lines; prints the epoch
/// second of each with fold=0 and fold=1, in integers (no float rounding).
const ZONEINFO_SCRIPT: &str = r#"
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
zones = {}
epoch = datetime(1970, 1, 1)
second = timedelta(seconds=1)
out = []
for line in sys.stdin:
    path, *fields = line.split("\t")
    zone = zones.get(path)
    if zone is None:
        with open(path, "rb") as f:
            zone = zones[path] = ZoneInfo.from_file(f)
    wall = datetime(*map(int, fields))
    base = (wall - epoch) // second
    folds = [base - wall.replace(tzinfo=zone, fold=f).utcoffset() // second for f in (0, 1)]
    out.append("%d %d" % tuple(folds))
print("\n".join(out))
"#;

/// Python's `zoneinfo` (PEP 495) on each wall time (years 1 to 9999).
pub fn zoneinfo_folds(walls: &[Wall]) -> Vec<Folds> {
    if walls.is_empty() {
        return Vec::new();
    }
    let mut input = String::new();
    for wall in walls {
        let (y, mo, d, h, mi, s) = wall.civil;
        let file = wall.file.display();
        input.push_str(&format!("{file}\t{y}\t{mo}\t{d}\t{h}\t{mi}\t{s}\n"));
    }
    let mut child = Command::new(PYTHON)
        .args(["-c", ZONEINFO_SCRIPT])
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting python3");
    let mut stdin = child.stdin.take().expect("a stdin pipe");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("running python3");
    writer
        .join()
        .expect("the writer")
        .expect("writing to python3");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "zoneinfo failed: {stderr}");
    let stdout = String::from_utf8(output.stdout).expect("digits");
    let folds: Vec<Folds> = stdout
        .lines()
        .map(|line| {
            let (fold0, fold1) = line.split_once(' ').expect("two numbers");
            Folds {
                fold0: fold0.parse().expect("an epoch"),
                fold1: fold1.parse().expect("an epoch"),
            }
        })
        .collect();
    assert_eq!(folds.len(), walls.len(), "one answer per wall time");
    folds
}

/// A version 2 TZif file with no transitions and `posix` as its footer
/// (RFC 8536), so that `zoneinfo` applies the string to every instant.
pub fn write_posix_tzif(dir: &Path, name: &str, posix: &str, standard_offset: i32) -> PathBuf {
    // The one local time type, named by the one abbreviation "STD".
    let block = |with_data: bool| {
        let mut b = b"TZif2".to_vec();
        b.extend([0u8; 15]);
        for count in [0u32, 0, 0, 0, 1, 4] {
            b.extend(count.to_be_bytes());
        }
        if with_data {
            b.extend(standard_offset.to_be_bytes());
            b.extend([0u8, 0]);
            b.extend(b"STD\0");
        }
        b
    };
    let mut data = block(true);
    data.extend(block(true));
    data.extend(format!("\n{posix}\n").bytes());
    let path = dir.join(name);
    std::fs::write(&path, data).expect("writing a TZif file");
    path
}

/// A deterministic random source (splitmix64), so that a seed replays a run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `low..=high`.
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        let span = high.abs_diff(low).saturating_add(1);
        low.wrapping_add_unsigned(self.next_u64() % span)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as i64 - 1) as usize]
    }

    /// A new source for one part of the run, so that parts do not depend on
    /// each other's draws.
    pub fn fork(&mut self, salt: &str) -> Rng {
        let hash = salt.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
        });
        Rng(self.next_u64() ^ hash)
    }
}

/// The seed of the differential tests: `EPOCHWATCH_DIFF_SEED`, else a fixed
/// one; printed, so that a failing run can be replayed.
pub fn diff_seed() -> u64 {
    let seed = match std::env::var("EPOCHWATCH_DIFF_SEED") {
        Ok(text) => text
            .trim()
            .parse()
            .expect("EPOCHWATCH_DIFF_SEED is a number"),
        Err(_) => 20_261_125,
    };
    eprintln!("{}: EPOCHWATCH_DIFF_SEED={seed}", super::test_name());
    seed
}

/// `work` on every item, on a few threads (the machine is shared: at most
/// four), results in the items' order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    let slots = std::sync::Mutex::new(&mut results);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else {
                        break;
                    };
                    let result = work(item);
                    slots.lock().unwrap()[i] = Some(result);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every item done"))
        .collect()
}
