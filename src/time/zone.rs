//! Which zone calendar times are shown or read in: the process's local
//! zone (`TZ`, as `date` reads it), UTC, or a zone a person named (an IANA
//! name, a TZif path or a POSIX TZ string); offsets and abbreviations at an
//! instant, and local wall time back to an instant under one written rule
//! for daylight-saving gaps and overlaps. The data comes from `tzdb`.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDateTime, Timelike, Utc};

use super::tzdb::{Info, Local, TzZone};
use super::{MAX_EPOCH, MIN_EPOCH, ParseError};

/// Which zone calendar times are shown or read in. Cheap to copy: a named
/// zone's data is loaded once per process and shared.
#[derive(Clone, Copy, Debug)]
pub enum Zone {
    /// The process's local zone (`TZ`, else /etc/localtime), as glibc reads it.
    Local,
    Utc,
    /// A zone named by `--tz` or `display.zone`.
    Named(&'static Named),
}

/// A zone named by a setting, with the text that named it.
#[derive(Debug)]
pub struct Named {
    setting: String,
    zone: TzZone,
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        match (self, other) {
            (Zone::Local, Zone::Local) | (Zone::Utc, Zone::Utc) => true,
            (Zone::Named(a), Zone::Named(b)) => a.setting == b.setting,
            _ => false,
        }
    }
}

impl Eq for Zone {}

/// The process's zone, read once.
fn local() -> &'static TzZone {
    static LOCAL: OnceLock<TzZone> = OnceLock::new();
    LOCAL.get_or_init(TzZone::from_env)
}

fn utc() -> &'static TzZone {
    static UTC: OnceLock<TzZone> = OnceLock::new();
    UTC.get_or_init(TzZone::utc)
}

/// Named zones, loaded once each per process (a daemon's reload, or the
/// same zone in several places, reads the file once).
fn named(setting: &str) -> Option<&'static Named> {
    static NAMED: OnceLock<Mutex<HashMap<String, &'static Named>>> = OnceLock::new();
    let mut table = NAMED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(found) = table.get(setting) {
        return Some(found);
    }
    let zone = TzZone::from_setting(setting)?;
    // Leaked on purpose: zones live as long as the process, and are few.
    let named: &'static Named = Box::leak(Box::new(Named {
        setting: setting.to_string(),
        zone,
    }));
    table.insert(setting.to_string(), named);
    Some(named)
}

impl Zone {
    /// Resolve `--utc` / `--tz ZONE` (no flag: local).
    pub fn from_flags(utc: bool, tz: Option<&str>) -> Result<Zone, ParseError> {
        match (utc, tz) {
            (true, _) => Ok(Zone::Utc),
            (false, Some(name)) => Zone::parse(name),
            (false, None) => Ok(Zone::Local),
        }
    }

    /// "local", "UTC", an IANA zone name of the system database, the path
    /// of a TZif file, or a POSIX TZ string (`EST5EDT,M3.2.0,M11.1.0`).
    pub fn parse(name: &str) -> Result<Zone, ParseError> {
        match name {
            "local" => Ok(Zone::Local),
            "UTC" | "utc" | "Z" => Ok(Zone::Utc),
            _ => named(name)
                .map(Zone::Named)
                .ok_or_else(|| ParseError::UnknownZone(name.to_string())),
        }
    }

    fn data(&self) -> &'static TzZone {
        match self {
            Zone::Local => local(),
            Zone::Utc => utc(),
            Zone::Named(named) => &named.zone,
        }
    }

    /// A name for people: "UTC", the IANA name, or for the local zone the
    /// name `TZ` or the /etc/localtime link gives (else the `TZ` text, else
    /// "local").
    pub fn name(&self) -> String {
        match self {
            Zone::Local => local()
                .name
                .clone()
                .or_else(|| std::env::var("TZ").ok().filter(|tz| !tz.is_empty()))
                .unwrap_or_else(|| "local".to_string()),
            _ => self.setting().to_string(),
        }
    }

    /// The zone as the setting `display.zone` (and `--tz`) names it:
    /// "local", "UTC" or the text given; [`Zone::parse`] reads it back.
    pub fn setting(&self) -> &'static str {
        match self {
            Zone::Local => "local",
            Zone::Utc => "UTC",
            Zone::Named(named) => &named.setting,
        }
    }

    /// The zone's offset from UTC at `epoch`, in seconds east of Greenwich
    /// (`None` outside [`MIN_EPOCH`]..=[`MAX_EPOCH`]).
    pub fn offset_at(&self, epoch: i64) -> Option<i32> {
        in_range(epoch).map(|epoch| self.data().offset(epoch))
    }

    /// Offset, abbreviation ("CET", "EDT", "+0545") and DST at `epoch`.
    pub fn info_at(&self, epoch: i64) -> Option<Info> {
        in_range(epoch).map(|epoch| self.data().info(epoch))
    }

    /// The zone's abbreviation at `epoch`, as the zone database spells it.
    pub fn abbreviation_at(&self, epoch: i64) -> Option<String> {
        self.info_at(epoch).map(|info| info.abbreviation)
    }
}

fn in_range(epoch: i64) -> Option<i64> {
    (MIN_EPOCH..=MAX_EPOCH).contains(&epoch).then_some(epoch)
}

pub(super) fn utc_datetime(epoch: i64, nanos: u32) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(in_range(epoch)?, nanos)
}

/// The instant as a date-time with the zone's offset (`None` out of range).
pub fn to_fixed(epoch: i64, nanos: u32, zone: Zone) -> Option<DateTime<FixedOffset>> {
    let utc = utc_datetime(epoch, nanos)?;
    let offset = FixedOffset::east_opt(zone.data().offset(epoch))?;
    Some(utc.with_timezone(&offset))
}

/// The epoch second of a wall-clock time in `zone`, by one rule in every
/// zone, with `TZ` as with `--tz`:
///
/// - One instant: that one.
/// - Two (the clock went back, a DST overlap): the earlier one, the first
///   time the wall clock shows it (Python's `zoneinfo` with `fold=0`).
/// - None (the clock jumped forward, a DST gap): the time read with the
///   offset in force just before the gap, so it lands as far after the gap
///   as it was typed into it (2021-03-14 02:30 in America/New_York is
///   03:30 EDT, 07:30Z; `zoneinfo` with `fold=0` agrees).
///
/// `None` only when the date-time cannot be placed in the supported range.
pub fn local_to_epoch(naive: NaiveDateTime, zone: Zone) -> Option<i64> {
    let placed = match zone {
        Zone::Utc => Local::Single(naive.and_utc().timestamp()),
        _ => zone.data().resolve_local(
            i64::from(naive.year()),
            i8::try_from(naive.month()).ok()?,
            i8::try_from(naive.day()).ok()?,
            (
                i8::try_from(naive.hour()).ok()?,
                i8::try_from(naive.minute()).ok()?,
                i8::try_from(naive.second()).ok()?,
            ),
        )?,
    };
    let epoch = match placed {
        Local::Single(at) => at,
        Local::Fold { earlier, .. } => earlier,
        Local::Gap { before, .. } => before,
    };
    in_range(epoch)
}

/// Which zone database is in use (for `config show`).
pub fn database() -> String {
    super::tzdb::database()
}
