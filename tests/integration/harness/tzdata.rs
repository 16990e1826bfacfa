//! The system's zone database as the differential tests see it, read
//! independently of the library: every zone name under `/usr/share/zoneinfo`
//! (or `TZDIR`), its TZif file parsed here (version 2+ data and footer), and
//! the transitions of any year, from the file's table and then from its
//! POSIX footer ([`PosixTz`], also used for `TZ` strings). Only where the
//! clock changes matters here (to aim tests at those instants); what is
//! shown there comes from the reference programs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::calendar::{days_from_civil, days_in_month, is_leap};

/// The database's directory: `$TZDIR` if set and not empty, as for glibc.
pub fn tzdir() -> PathBuf {
    match std::env::var_os("TZDIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from("/usr/share/zoneinfo"),
    }
}

/// One zone name of the system database.
pub struct SystemZone {
    /// "Europe/Berlin".
    pub name: String,
    pub path: PathBuf,
    pub tzif: Tzif,
    /// The first name (in sorted order) with the same file contents, when
    /// this one is not it: a link such as US/Eastern for America/New_York.
    pub same_as: Option<String>,
}

/// Every zone name of the database: each TZif file (or link to one) under
/// it, without `posix/` and `right/` (copies, and leap-second variants date
/// does not use), sorted by name.
pub fn system_zones() -> Vec<SystemZone> {
    let dir = tzdir();
    let mut paths = Vec::new();
    walk(&dir, &mut paths);
    paths.sort();
    let mut first_with: HashMap<Vec<u8>, String> = HashMap::new();
    let mut zones = Vec::new();
    for path in paths {
        let Ok(data) = std::fs::read(&path) else {
            continue;
        };
        let Some(tzif) = Tzif::parse(&data) else {
            continue;
        };
        let name = path
            .strip_prefix(&dir)
            .expect("walked under the directory")
            .to_string_lossy()
            .into_owned();
        let same_as = match first_with.get(&data) {
            Some(first) => Some(first.clone()),
            None => {
                first_with.insert(data, name.clone());
                None
            }
        };
        zones.push(SystemZone {
            name,
            path,
            tzif,
            same_as,
        });
    }
    zones
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "posix" && name != "right" {
                walk(&path, out);
            }
        } else {
            out.push(path);
        }
    }
}

/// A change of the wall clock: at `at`, the offset goes from `before` to
/// `after` (seconds east of UTC; the two may be equal when only the name
/// or the DST flag changes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub at: i64,
    pub before: i32,
    pub after: i32,
}

/// The parts of a TZif file (RFC 8536) that say when the clock changes.
#[derive(Clone, Debug)]
pub struct Tzif {
    /// Transition instants and the offset in force from each.
    pub table: Vec<(i64, i32)>,
    /// The offset before the first transition (glibc: the first
    /// standard-time type).
    pub initial: i32,
    /// The POSIX TZ string for instants after the table, when there is one.
    pub footer: Option<PosixTz>,
}

/// Big-endian readers over a byte slice.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8_at(&self, at: usize) -> Option<u8> {
        self.0.get(at).copied()
    }
    fn i32_at(&self, at: usize) -> Option<i32> {
        Some(i32::from_be_bytes(self.0.get(at..at + 4)?.try_into().ok()?))
    }
    fn i64_at(&self, at: usize) -> Option<i64> {
        Some(i64::from_be_bytes(self.0.get(at..at + 8)?.try_into().ok()?))
    }
    fn count(&self, header: usize, index: usize) -> Option<usize> {
        usize::try_from(self.i32_at(header + 20 + 4 * index)?).ok()
    }
}

impl Tzif {
    /// A version 2+ TZif file; `None` for anything else.
    pub fn parse(data: &[u8]) -> Option<Tzif> {
        let b = Bytes(data);
        if !data.starts_with(b"TZif") || b.u8_at(4)? < b'2' {
            return None;
        }
        // Skip the version 1 block: its counts, then 4-byte times.
        let [isut, isstd, leap, time, types, chars] = [0, 1, 2, 3, 4, 5].map(|i| b.count(0, i));
        let v1 = 44 + time? * 5 + types? * 6 + chars? + leap? * 8 + isstd? + isut?;
        let [isut, isstd, leap, time, types, chars] = [0, 1, 2, 3, 4, 5].map(|i| b.count(v1, i));
        let (time, types) = (time?, types?);
        let times = v1 + 44;
        let indices = times + time * 8;
        let infos = indices + time;
        let offset_of = |t: usize| b.i32_at(infos + 6 * t);
        let is_dst = |t: usize| b.u8_at(infos + 6 * t + 4).map(|d| d != 0);
        let mut table = Vec::with_capacity(time);
        for i in 0..time {
            let index = usize::from(b.u8_at(indices + i)?);
            table.push((b.i64_at(times + 8 * i)?, offset_of(index)?));
        }
        let first_standard = (0..types).find(|&t| is_dst(t) == Some(false)).unwrap_or(0);
        let footer_at = infos + types * 6 + chars? + leap? * 12 + isstd? + isut?;
        let footer = std::str::from_utf8(data.get(footer_at..)?)
            .ok()
            .and_then(|text| text.strip_prefix('\n')?.split('\n').next())
            .filter(|text| !text.is_empty())
            .and_then(PosixTz::parse);
        Some(Tzif {
            table,
            initial: offset_of(first_standard)?,
            footer,
        })
    }

    /// Every transition of the table, then those of the footer in the
    /// given years after it (ascending).
    pub fn transitions(&self, footer_years: &[i64]) -> Vec<Transition> {
        let mut out = Vec::new();
        let mut before = self.initial;
        for &(at, after) in &self.table {
            out.push(Transition { at, before, after });
            before = after;
        }
        let last = self.table.last().map_or(i64::MIN, |&(at, _)| at);
        if let Some(footer) = &self.footer {
            for &year in footer_years {
                out.extend(footer.transitions(year).into_iter().filter(|t| t.at > last));
            }
        }
        out.sort_by_key(|t| t.at);
        out
    }
}

/// A POSIX TZ string (`EST5EDT,M3.2.0,M11.1.0`, `<+0545>-5:45`, `JST-9`),
/// as far as transitions go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PosixTz {
    /// Standard time, seconds east of UTC (the string's sign is the other way).
    pub standard: i32,
    pub dst: Option<DstRule>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DstRule {
    pub offset: i32,
    pub start: RuleDay,
    pub end: RuleDay,
}

/// A day of the year and a local time on it (seconds, -167 h ..= 167 h).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleDay {
    pub day: DayOfYear,
    pub time: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayOfYear {
    /// `Jn`: 1 ..= 365, February 29th never counted.
    Julian(i64),
    /// `n`: 0 ..= 365, February 29th counted.
    Zero(i64),
    /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (5 = the last) of month `m`.
    Month { month: i64, week: i64, weekday: i64 },
}

/// A cursor over a POSIX TZ string.
struct Scan<'a> {
    text: &'a [u8],
    at: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        let found = self.peek() == Some(c);
        self.at += usize::from(found);
        found
    }
    fn number(&mut self) -> Option<i64> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        std::str::from_utf8(&self.text[start..self.at])
            .ok()?
            .parse()
            .ok()
    }
    /// `EST` or `<+0545>`.
    fn name(&mut self) -> Option<()> {
        if self.eat(b'<') {
            while self.peek()? != b'>' {
                self.at += 1;
            }
            self.at += 1;
            return Some(());
        }
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.at += 1;
        }
        (self.at - start >= 3).then_some(())
    }
    /// `[+-]h[h][:mm[:ss]]` in seconds, with its sign.
    fn hms(&mut self) -> Option<i32> {
        let sign = if self.eat(b'-') {
            -1
        } else {
            self.eat(b'+');
            1
        };
        let mut seconds = self.number()? * 3600;
        if self.eat(b':') {
            seconds += self.number()? * 60;
            if self.eat(b':') {
                seconds += self.number()?;
            }
        }
        i32::try_from(sign * seconds).ok()
    }
    fn rule_day(&mut self) -> Option<RuleDay> {
        let day = if self.eat(b'J') {
            DayOfYear::Julian(self.number()?)
        } else if self.eat(b'M') {
            let month = self.number()?;
            self.eat(b'.').then_some(())?;
            let week = self.number()?;
            self.eat(b'.').then_some(())?;
            DayOfYear::Month {
                month,
                week,
                weekday: self.number()?,
            }
        } else {
            DayOfYear::Zero(self.number()?)
        };
        let time = if self.eat(b'/') { self.hms()? } else { 7200 };
        Some(RuleDay { day, time })
    }
}

impl PosixTz {
    /// `None` for a string this reader does not follow (no rule after a DST
    /// name is one: glibc then falls back to `posixrules`).
    pub fn parse(text: &str) -> Option<PosixTz> {
        let mut s = Scan {
            text: text.as_bytes(),
            at: 0,
        };
        s.name()?;
        let standard = -s.hms()?;
        if s.peek().is_none() {
            return Some(PosixTz {
                standard,
                dst: None,
            });
        }
        s.name()?;
        let offset = if s.peek() == Some(b',') {
            standard + 3600
        } else {
            -s.hms()?
        };
        s.eat(b',').then_some(())?;
        let start = s.rule_day()?;
        s.eat(b',').then_some(())?;
        let end = s.rule_day()?;
        s.peek().is_none().then_some(PosixTz {
            standard,
            dst: Some(DstRule { offset, start, end }),
        })
    }

    /// The two changes the rule makes in `year` (none without DST).
    pub fn transitions(&self, year: i64) -> Vec<Transition> {
        let Some(dst) = &self.dst else {
            return Vec::new();
        };
        let instant = |rule: RuleDay, offset: i32| {
            day_of(year, rule.day) * 86_400 + i64::from(rule.time) - i64::from(offset)
        };
        vec![
            Transition {
                at: instant(dst.start, self.standard),
                before: self.standard,
                after: dst.offset,
            },
            Transition {
                at: instant(dst.end, dst.offset),
                before: dst.offset,
                after: self.standard,
            },
        ]
    }
}

/// Days from 1970-01-01 to the rule's day in `year`.
fn day_of(year: i64, day: DayOfYear) -> i64 {
    let january_first = days_from_civil(year, 1, 1);
    match day {
        DayOfYear::Julian(n) => {
            let leap_day = i64::from(is_leap(year) && n >= 60);
            january_first + n - 1 + leap_day
        }
        DayOfYear::Zero(n) => january_first + n,
        DayOfYear::Month {
            month,
            week,
            weekday,
        } => {
            let first = days_from_civil(year, month, 1);
            // 1970-01-01 was a Thursday (4).
            let first_weekday = (first + 4).rem_euclid(7);
            let mut day = (weekday - first_weekday).rem_euclid(7) + 7 * (week - 1);
            while day >= days_in_month(year, month) {
                day -= 7;
            }
            first + day
        }
    }
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
