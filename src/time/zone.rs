//! Which zone calendar times are shown or read in: the process's local
//! zone, UTC or a named IANA zone; offsets and abbreviations at an instant,
//! and local wall time back to an instant (daylight-saving gaps and overlaps).

use chrono::{
    DateTime, FixedOffset, MappedLocalTime, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc,
};
use chrono_tz::{OffsetName, Tz};

use super::{MAX_EPOCH, MIN_EPOCH, ParseError};

/// Which zone calendar times are shown or read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// The process's local zone (`TZ`, else /etc/localtime).
    Local,
    Utc,
    Named(Tz),
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

    /// An IANA zone name, "UTC", or "local".
    pub fn parse(name: &str) -> Result<Zone, ParseError> {
        match name {
            "local" => Ok(Zone::Local),
            "UTC" | "utc" | "Z" => Ok(Zone::Utc),
            _ => name
                .parse::<Tz>()
                .map(Zone::Named)
                .map_err(|_| ParseError::UnknownZone(name.to_string())),
        }
    }

    /// A name for people: "UTC", the IANA name, or for the local zone the
    /// `TZ` variable (else the /etc/localtime link target, else "local").
    pub fn name(&self) -> String {
        match self {
            Zone::Local => local_zone_name().unwrap_or_else(|| "local".to_string()),
            _ => self.setting().to_string(),
        }
    }

    /// The zone as the setting `display.zone` (and `--tz`) names it:
    /// "local", "UTC" or the IANA name; [`Zone::parse`] reads it back.
    pub fn setting(&self) -> &'static str {
        match self {
            Zone::Local => "local",
            Zone::Utc => "UTC",
            Zone::Named(tz) => tz.name(),
        }
    }

    /// For a long-running display: the local zone as the IANA zone it names
    /// (`TZ`, else the /etc/localtime link) when that agrees with the system
    /// now; otherwise, and for other zones, `self`. chrono's `Local` re-reads
    /// the zone file about once a second, which would be most of the
    /// watcher's per-second cost. The name shown stays the caller's.
    pub fn resolved(self) -> Zone {
        let Zone::Local = self else { return self };
        let Some(tz) = local_zone_name().and_then(|name| name.parse::<Tz>().ok()) else {
            return self;
        };
        let now = chrono::Utc::now().naive_utc();
        let named = tz.offset_from_utc_datetime(&now).fix().local_minus_utc();
        if named == offset_of(Zone::Local, &now) {
            Zone::Named(tz)
        } else {
            self
        }
    }

    /// The zone's offset from UTC at `epoch`, in seconds east of Greenwich
    /// (`None` outside [`MIN_EPOCH`]..=[`MAX_EPOCH`]).
    pub fn offset_at(&self, epoch: i64) -> Option<i32> {
        let utc = utc_datetime(epoch, 0)?;
        Some(offset_of(*self, &utc.naive_utc()))
    }

    /// The zone's abbreviation at `epoch` ("CET", "EDT", "UTC"), when known.
    ///
    /// For the local zone it is known when `TZ` (or /etc/localtime) names an
    /// IANA zone whose offset agrees with the system's at that instant.
    pub fn abbreviation_at(&self, epoch: i64) -> Option<String> {
        let utc = utc_datetime(epoch, 0)?;
        match self {
            Zone::Utc => Some("UTC".to_string()),
            Zone::Named(tz) => tz_abbreviation(*tz, &utc.naive_utc()),
            Zone::Local => {
                let tz: Tz = local_zone_name()?.parse().ok()?;
                let named = tz.offset_from_utc_datetime(&utc.naive_utc()).fix();
                if named.local_minus_utc() == offset_of(Zone::Local, &utc.naive_utc()) {
                    tz_abbreviation(tz, &utc.naive_utc())
                } else {
                    None
                }
            }
        }
    }
}

fn tz_abbreviation(tz: Tz, utc: &NaiveDateTime) -> Option<String> {
    tz.offset_from_utc_datetime(utc)
        .abbreviation()
        .map(str::to_string)
}

/// The local zone's name from `TZ` (a leading ':' and a zoneinfo directory
/// are dropped), else from the /etc/localtime symlink.
fn local_zone_name() -> Option<String> {
    fn strip(name: &str) -> &str {
        let name = name.strip_prefix(':').unwrap_or(name);
        match name.find("zoneinfo/") {
            Some(at) => &name[at + "zoneinfo/".len()..],
            None => name,
        }
    }
    match std::env::var("TZ") {
        Ok(tz) if !tz.is_empty() => Some(strip(&tz).to_string()),
        Ok(_) => Some("UTC".to_string()),
        Err(_) => {
            let target = std::fs::read_link("/etc/localtime").ok()?;
            let target = target.to_str()?;
            target
                .contains("zoneinfo/")
                .then(|| strip(target).to_string())
        }
    }
}

// ---------------------------------------------------------------------------
// Epoch seconds to calendar time

pub(super) fn utc_datetime(epoch: i64, nanos: u32) -> Option<DateTime<Utc>> {
    if !(MIN_EPOCH..=MAX_EPOCH).contains(&epoch) {
        return None;
    }
    DateTime::from_timestamp(epoch, nanos)
}

fn offset_of(zone: Zone, utc: &NaiveDateTime) -> i32 {
    match zone {
        Zone::Utc => 0,
        Zone::Named(tz) => tz.offset_from_utc_datetime(utc).fix().local_minus_utc(),
        Zone::Local => chrono::Local
            .offset_from_utc_datetime(utc)
            .local_minus_utc(),
    }
}

/// The instant as a date-time with the zone's offset (`None` out of range).
pub fn to_fixed(epoch: i64, nanos: u32, zone: Zone) -> Option<DateTime<FixedOffset>> {
    let utc = utc_datetime(epoch, nanos)?;
    let offset = FixedOffset::east_opt(offset_of(zone, &utc.naive_utc()))?;
    Some(utc.with_timezone(&offset))
}

/// The epoch second of a wall-clock time in `zone`.
///
/// - One instant: that one.
/// - Two (the clock went back, DST overlap): the earlier, as GNU date does.
/// - None (the clock jumped forward, DST gap): the time read with the offset
///   in effect just before the gap, i.e. shifted forward by the gap length
///   (2021-03-14 02:30 in America/New_York is 03:30 EDT, 07:30Z).
///
/// `None` only when the zone data cannot place the time at all.
pub fn local_to_epoch(naive: NaiveDateTime, zone: Zone) -> Option<i64> {
    match zone {
        Zone::Utc => Some(naive.and_utc().timestamp()),
        Zone::Named(tz) => resolve_local(&tz, naive),
        Zone::Local => resolve_local(&chrono::Local, naive),
    }
}

fn resolve_local<Z: TimeZone>(tz: &Z, naive: NaiveDateTime) -> Option<i64> {
    match tz.from_local_datetime(&naive) {
        MappedLocalTime::Single(dt) => Some(dt.timestamp()),
        MappedLocalTime::Ambiguous(a, b) => Some(a.timestamp().min(b.timestamp())),
        MappedLocalTime::None => {
            // The offset just before the gap: look back until the wall clock exists.
            for hours in [1, 2, 3, 6, 12, 24, 48] {
                let before = naive.checked_sub_signed(TimeDelta::hours(hours))?;
                let offset = match tz.from_local_datetime(&before) {
                    MappedLocalTime::Single(dt) => dt.offset().fix(),
                    MappedLocalTime::Ambiguous(a, b) => {
                        if a.timestamp() > b.timestamp() {
                            a.offset().fix()
                        } else {
                            b.offset().fix()
                        }
                    }
                    MappedLocalTime::None => continue,
                };
                return Some(naive.and_utc().timestamp() - i64::from(offset.local_minus_utc()));
            }
            None
        }
    }
}
