//! Reference programs we did not write, for differential tests: Debian's
//! Python (`/usr/bin/python3`, with `zoneinfo` and `icalendar`), GNU `date`,
//! and the calendar programs `calcurse` and `khal`, each run in a private
//! temporary directory. A missing one skips the test loudly (fails in CI).

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
    use std::io::Write;
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
