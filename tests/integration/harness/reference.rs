//! Reference programs we did not write, for differential tests: Debian's
//! Python (`/usr/bin/python3`, with `zoneinfo` and `icalendar`), GNU `date`,
//! and the calendar programs `calcurse` and `khal`, each run in a private
//! temporary directory; and GNU `date` and `zoneinfo` in batches, for the
//! differential time tests. A missing one skips the test loudly (fails in CI).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{quiet_tool, require_tools, skip};

/// Debian's python, which has `icalendar` (the first `python3` on PATH may not).
pub const PYTHON: &str = "/usr/bin/python3";

/// Run `script` with Debian's python3, `args` after it, `input` on stdin;
/// its stdout. `None` (after a loud skip) when python or one of `modules`
/// is missing.
#[track_caller]
pub fn python(modules: &[&str], script: &str, args: &[&str], input: &str) -> Option<String> {
    let probe = modules
        .iter()
        .map(|m| format!("import {m}"))
        .collect::<Vec<_>>()
        .join("; ");
    let ok = Command::new(PYTHON)
        .args(["-c", &probe])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        skip(&format!(
            "{PYTHON} with {modules:?} is missing (Debian: python3, python3-icalendar)"
        ));
        return None;
    }
    let mut child = Command::new(PYTHON)
        .arg("-c")
        .arg(script)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

/// GNU `date -d @EPOCH +FORMAT` in zone `tz`.
pub fn gnu_date(tz: &str, epoch: i64, format: &str) -> String {
    let out = Command::new("date")
        .env_clear()
        .env("TZ", tz)
        .env("LC_ALL", "C")
        .args(["-d", &format!("@{epoch}"), &format!("+{format}")])
        .output()
        .expect("GNU date runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .to_string()
}

/// A calcurse with its own data and configuration directories.
pub struct Calcurse {
    data: PathBuf,
    conf: PathBuf,
    tz: String,
}

impl Calcurse {
    /// In `dir`, reading and showing local times in `tz`; `None` (after a
    /// loud skip) without calcurse.
    #[track_caller]
    pub fn new(dir: &Path, tz: &str) -> Option<Calcurse> {
        if !require_tools(&["calcurse"]) {
            return None;
        }
        let (data, conf) = (dir.join("calcurse-data"), dir.join("calcurse-conf"));
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(&conf).unwrap();
        Some(Calcurse {
            data,
            conf,
            tz: tz.to_string(),
        })
    }

    fn command(&self) -> Command {
        let mut cmd = quiet_tool("calcurse");
        cmd.env("TZ", &self.tz)
            .env("HOME", &self.data)
            .arg("-D")
            .arg(&self.data)
            .arg("-C")
            .arg(&self.conf);
        cmd
    }

    /// `calcurse -i FILE`: its import report.
    pub fn import(&self, file: &Path) -> String {
        let out = self
            .command()
            .arg("-i")
            .arg(file)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "calcurse -i: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The appointments from `from` (MM/DD/YYYY) for `days` days, one
    /// `START|END|DESCRIPTION|HASH` line each (`%Y-%m-%d %H:%M` local).
    pub fn appointments(&self, from: &str, days: u32) -> Vec<String> {
        let out = self
            .command()
            .args(["-Q", "--filter-type", "apt", "--from", from])
            .args(["--days", &days.to_string()])
            .args([
                "--format-apt",
                "%(start:%Y-%m-%d %H:%M)|%(end:%Y-%m-%d %H:%M)|%m|%(hash)\\n",
            ])
            .stdout(Stdio::piped())
            .output()
            .unwrap();
        assert!(out.status.success(), "calcurse -Q failed");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains('|'))
            .map(str::to_string)
            .collect()
    }

    /// The appointments file as calcurse keeps it (flags: `!` = alarm).
    pub fn apts(&self) -> String {
        std::fs::read_to_string(self.data.join("apts")).unwrap_or_default()
    }
}

/// A khal with one calendar (a vdir) of its own, showing times in `tz`.
pub struct Khal {
    dir: PathBuf,
    calendar: PathBuf,
}

impl Khal {
    #[track_caller]
    pub fn new(dir: &Path, tz: &str) -> Option<Khal> {
        if !require_tools(&["khal"]) {
            return None;
        }
        let calendar = dir.join("khal-calendar");
        std::fs::create_dir_all(&calendar).unwrap();
        let config = format!(
            "[calendars]\n[[milestones]]\npath = {}\ntype = calendar\n\
             [locale]\ntimeformat = %H:%M:%S\ndateformat = %Y-%m-%d\n\
             longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M:%S\n\
             longdatetimeformat = %Y-%m-%d %H:%M:%S\n\
             local_timezone = {tz}\ndefault_timezone = {tz}\n",
            calendar.display()
        );
        std::fs::write(dir.join("khal.conf"), config).unwrap();
        Some(Khal {
            dir: dir.to_path_buf(),
            calendar,
        })
    }

    fn command(&self) -> Command {
        let mut cmd = quiet_tool("khal");
        cmd.env("HOME", &self.dir)
            .env("XDG_DATA_HOME", self.dir.join("khal-data"))
            .env("XDG_CACHE_HOME", self.dir.join("khal-cache"))
            .env("LC_ALL", "C.UTF-8")
            .arg("-c")
            .arg(self.dir.join("khal.conf"));
        cmd
    }

    /// `khal import --batch`: the events of FILE into the calendar.
    pub fn import(&self, file: &Path) {
        let out = self
            .command()
            .args(["import", "--batch", "-a", "milestones"])
            .arg(file)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "khal import: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The events from `from` (YYYY-MM-DD) for `days` days, one
    /// `START|END|TITLE|UID` line each.
    pub fn events(&self, from: &str, days: u32) -> Vec<String> {
        let out = self
            .command()
            .args(["list", "--format", "{start}|{end}|{title}|{uid}", from])
            .arg(format!("{days}d"))
            .stdout(Stdio::piped())
            .output()
            .unwrap();
        assert!(out.status.success(), "khal list failed");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains('|'))
            .map(str::to_string)
            .collect()
    }

    /// How many event files the calendar holds.
    pub fn stored(&self) -> usize {
        std::fs::read_dir(&self.calendar).unwrap().count()
    }
}

// ---------------------------------------------------------------------------
// In batches, for the differential time tests: GNU `date -f FILE` reads one
// `@N` or date-time per line; one Python process answers any number of
// wall times.

/// GNU `date` and Python's `zoneinfo` are there; else a loud skip (a failure
/// with CI=true) and false.
#[track_caller]
pub fn require_gnu_date_and_zoneinfo() -> bool {
    let gnu = super::stdout_if_ok(Command::new("date").arg("--version"))
        .is_some_and(|text| text.contains("GNU coreutils"));
    if !gnu {
        skip("GNU date (coreutils) not found");
        return false;
    }
    python(&["zoneinfo"], "", &[], "").is_some()
}

/// The value of `TZ` for a batch: unset, or this text.
pub type TzVar<'a> = Option<&'a str>;

/// `date ARGS -f LINES +FORMAT` under `LC_ALL=C` and `tz`: what it prints
/// for each line, in order (without the newline). Every line must be one
/// `date` accepts.
pub fn gnu_date_lines(tz: TzVar, args: &[&str], lines: &[String], format: &str) -> Vec<String> {
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
    pub civil: super::calendar::Civil,
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

/// Ends each instant's output in a batch, so that formats may hold newlines.
const END: &str = "\u{1e}";

/// Python's `zoneinfo` (PEP 495) on each wall time (years 1 to 9999);
/// `None` (after a loud skip) without it.
#[track_caller]
pub fn zoneinfo_folds(walls: &[Wall]) -> Option<Vec<Folds>> {
    let mut input = String::new();
    for wall in walls {
        let (y, mo, d, h, mi, s) = wall.civil;
        let file = wall.file.display();
        input.push_str(&format!("{file}\t{y}\t{mo}\t{d}\t{h}\t{mi}\t{s}\n"));
    }
    let stdout = python(&["zoneinfo"], ZONEINFO_SCRIPT, &[], &input)?;
    let folds: Vec<Folds> = stdout
        .lines()
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (fold0, fold1) = line.split_once(' ').expect("two numbers");
            Folds {
                fold0: fold0.parse().expect("an epoch"),
                fold1: fold1.parse().expect("an epoch"),
            }
        })
        .collect();
    assert_eq!(folds.len(), walls.len(), "one answer per wall time");
    Some(folds)
}
