//! Instants, zones and durations: parsing what people type and formatting what they read.
//!
//! Pure functions over `i64` epoch seconds (and nanoseconds where needed).
//! The one exception is [`now_instant`], the one-shot clock read behind
//! `epochwatch now` (the live watcher reads the time through `crate::clock`).
//!
//! # Conventions
//!
//! - Date-times are shown as `Fri 2009-02-13 23:31:30 +00:00`: weekday, ISO 8601
//!   date, 24-hour time, UTC offset ([`format_datetime`]). Years outside
//!   0000..=9999 carry a sign (`+12345-01-01`).
//! - The supported range is [`MIN_EPOCH`]..=[`MAX_EPOCH`] (about ±262,000 years):
//!   chrono's range, less one day at each end so that every UTC offset fits.
//! - Local times are resolved by [`local_to_epoch`]: a time that occurs twice
//!   (DST overlap) means the earlier instant, as GNU date does; a time that
//!   does not occur (DST gap) is read with the offset in effect just before
//!   the gap, i.e. it is shifted forward by the length of the gap
//!   (02:30 on a spring-forward night in New York is 03:30 EDT).

use std::fmt::Write as _;

use chrono::format::{Item, StrftimeItems};
use chrono::{
    DateTime, Datelike, FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::{OffsetName, Tz};

use crate::decimal::push_padded;

/// The earliest epoch second shown or accepted as a calendar time
/// (-262143-01-02T00:00:00Z).
pub const MIN_EPOCH: i64 = -8_334_601_142_400;
/// The latest epoch second shown or accepted as a calendar time
/// (+262142-12-30T23:59:59Z).
pub const MAX_EPOCH: i64 = 8_210_266_790_399;

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
            Zone::Utc => "UTC".to_string(),
            Zone::Named(tz) => tz.name().to_string(),
            Zone::Local => local_zone_name().unwrap_or_else(|| "local".to_string()),
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

/// Something the user typed that is not a valid instant, zone, format or duration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("unknown time zone {0:?} (expected an IANA name such as Europe/Berlin, UTC or local)")]
    UnknownZone(String),
    #[error("{0}")]
    Invalid(String),
}

// ---------------------------------------------------------------------------
// Reading the clock (for `epochwatch now` only)

/// The current instant as (seconds, nanoseconds) since the epoch, floored:
/// `nanos` is always in 0..1_000_000_000, so 0.5 s before 1970 is `(-1, 500_000_000)`.
///
/// A one-shot read of `SystemTime::now()` (clock_gettime through libc, so
/// libfaketime applies) for `epochwatch now`; everything that watches or
/// sleeps reads the time through `crate::clock` instead.
pub fn now_instant() -> (i64, u32) {
    instant_from_system_time(std::time::SystemTime::now())
}

/// (seconds, nanoseconds) since the epoch for a `SystemTime`, floored as in [`now_instant`].
pub fn instant_from_system_time(time: std::time::SystemTime) -> (i64, u32) {
    match time.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => (
            i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
            after.subsec_nanos(),
        ),
        Err(before) => {
            let before = before.duration();
            let secs = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            match before.subsec_nanos() {
                0 => (-secs, 0),
                nanos => (-secs - 1, 1_000_000_000 - nanos),
            }
        }
    }
}

/// Whole units since the epoch at `precision_digits` sub-second digits
/// (0 = seconds, 3 = ms, 6 = µs, 9 = ns), floored: the true count, so
/// 0.5 s before 1970 is -500 ms (not "-1500" as `date +%s%3N` would print).
pub fn scaled_instant(secs: i64, nanos: u32, precision_digits: u32) -> i128 {
    let digits = precision_digits.min(9);
    let scale = 10i128.pow(digits);
    let sub = i128::from(nanos) / 10i128.pow(9 - digits);
    i128::from(secs) * scale + sub
}

// ---------------------------------------------------------------------------
// Epoch seconds to calendar time

fn utc_datetime(epoch: i64, nanos: u32) -> Option<DateTime<Utc>> {
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

/// The error for an epoch outside [`MIN_EPOCH`]..=[`MAX_EPOCH`].
pub fn out_of_range(epoch: i64) -> ParseError {
    ParseError::Invalid(format!(
        "epoch {epoch} is outside the supported range {MIN_EPOCH} to {MAX_EPOCH} \
         (years -262143 to 262142)"
    ))
}

/// Check that an epoch can be shown as a calendar time.
pub fn check_range(epoch: i64) -> Result<i64, ParseError> {
    if (MIN_EPOCH..=MAX_EPOCH).contains(&epoch) {
        Ok(epoch)
    } else {
        Err(out_of_range(epoch))
    }
}

/// `Fri 2009-02-13 23:31:30 +00:00`: weekday, ISO 8601 date and time, offset.
///
/// Outside the supported range: `@EPOCH (out of calendar range)`; never panics.
pub fn format_datetime(epoch: i64, zone: Zone) -> String {
    match to_fixed(epoch, 0, zone) {
        Some(dt) => {
            let offset = dt.offset().local_minus_utc();
            if (0..=9999).contains(&dt.year()) && offset % 60 == 0 {
                // The common case, written directly: the live display calls
                // this every second, and a strftime pattern is parsed anew
                // on each call.
                let (sign, abs) = if offset < 0 {
                    ('-', offset.unsigned_abs())
                } else {
                    ('+', offset.unsigned_abs())
                };
                // Digits pushed directly rather than through `write!`, whose
                // machinery is most of this function's cost when its code
                // is cold (the live display calls it once or twice a second).
                let mut out = String::with_capacity(32);
                out.push_str(WEEKDAYS[dt.weekday().num_days_from_monday() as usize]);
                out.push(' ');
                push_padded(&mut out, dt.year().unsigned_abs(), 4);
                out.push('-');
                push_padded(&mut out, dt.month(), 2);
                out.push('-');
                push_padded(&mut out, dt.day(), 2);
                out.push(' ');
                push_padded(&mut out, dt.hour(), 2);
                out.push(':');
                push_padded(&mut out, dt.minute(), 2);
                out.push(':');
                push_padded(&mut out, dt.second(), 2);
                out.push(' ');
                out.push(sign);
                push_padded(&mut out, abs / 3600, 2);
                out.push(':');
                push_padded(&mut out, abs / 60 % 60, 2);
                return out;
            }
            // Local mean time can be off by seconds: show them rather than mislead.
            let pattern = if offset % 60 == 0 {
                "%a %Y-%m-%d %H:%M:%S %:z"
            } else {
                "%a %Y-%m-%d %H:%M:%S %::z"
            };
            let mut out = String::with_capacity(32);
            let _ = write!(out, "{}", dt.format(pattern));
            out
        }
        None => format!("@{epoch} (out of calendar range)"),
    }
}

/// Weekday abbreviations as chrono and strftime's `%a` write them, Monday first.
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// `2009-02-13T23:31:30Z` (`None` outside the supported range; years beyond
/// 9999 or before 0 carry a sign, as ISO 8601 expanded years).
pub fn format_rfc3339_utc(epoch: i64) -> Option<String> {
    format_rfc3339(epoch, Zone::Utc)
}

/// RFC 3339 in `zone`: `2009-02-14T00:31:30+01:00`, or with `Z` for UTC.
pub fn format_rfc3339(epoch: i64, zone: Zone) -> Option<String> {
    let dt = to_fixed(epoch, 0, zone)?;
    let mut out = String::with_capacity(26);
    let pattern = if zone == Zone::Utc {
        "%Y-%m-%dT%H:%M:%SZ"
    } else {
        "%Y-%m-%dT%H:%M:%S%:z"
    };
    write!(out, "{}", dt.format(pattern)).ok()?;
    Some(out)
}

/// The three-letter weekday ("Fri") in `zone`.
pub fn weekday(epoch: i64, zone: Zone) -> Option<String> {
    to_fixed(epoch, 0, zone).map(|dt| dt.weekday().to_string())
}

/// Format like `date +FORMAT` (strftime, without the '+').
///
/// Beyond chrono's specifiers: `%N` (nanoseconds, 9 digits) and `%1N`..`%9N`
/// (that many leading digits, as GNU date), and `%Z` gives the abbreviation
/// ("CET") when known, else the numeric offset. An invalid specifier (`%Q`,
/// a trailing `%`) is a [`ParseError`], never a panic.
pub fn format_strftime(
    epoch: i64,
    nanos: u32,
    zone: Zone,
    format: &str,
) -> Result<String, ParseError> {
    let dt = to_fixed(epoch, nanos, zone).ok_or_else(|| out_of_range(epoch))?;
    let needs_abbreviation = format.contains("%Z");
    let abbreviation = if needs_abbreviation {
        zone.abbreviation_at(epoch)
    } else {
        None
    };
    let expanded = expand_gnu_specifiers(format, nanos, abbreviation.as_deref());
    let items: Vec<Item<'_>> = StrftimeItems::new(&expanded).collect();
    if items.iter().any(|item| matches!(item, Item::Error)) {
        return Err(ParseError::Invalid(format!(
            "invalid format \"+{format}\" (expected strftime specifiers as for date, \
             e.g. +%Y-%m-%dT%H:%M:%S%:z; use %% for a literal %)"
        )));
    }
    let mut out = String::with_capacity(expanded.len() + 16);
    write!(out, "{}", dt.format_with_items(items.iter())).map_err(|_| {
        ParseError::Invalid(format!("cannot format this instant with \"+{format}\""))
    })?;
    Ok(out)
}

/// Replace `%N`, `%<d>N` and (when given) `%Z` by their text; `%%` stays.
fn expand_gnu_specifiers(format: &str, nanos: u32, abbreviation: Option<&str>) -> String {
    let mut out = String::with_capacity(format.len() + 16);
    let mut chars = format.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.peek().map(|&(_, next)| next) {
            Some('%') => {
                chars.next();
                out.push_str("%%");
            }
            Some('N') => {
                chars.next();
                let _ = write!(out, "{nanos:09}");
            }
            Some(digit @ '1'..='9')
                if format[chars.peek().map_or(0, |&(i, _)| i)..].chars().nth(1) == Some('N') =>
            {
                chars.next();
                chars.next();
                let width = digit.to_digit(10).unwrap_or(9) as usize;
                let all = format!("{nanos:09}");
                out.push_str(&all[..width]);
            }
            Some('Z') if abbreviation.is_some() => {
                chars.next();
                if let Some(abbr) = abbreviation {
                    out.push_str(&abbr.replace('%', "%%"));
                }
            }
            _ => out.push('%'),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Relative phrases and durations

/// "in 6 years 173 days", "17 years ago", "in 5 seconds", "now".
///
/// The largest non-zero unit and the next one (if not zero), truncated.
/// Years are calendar years counted in UTC (2009-02-13 to 2026-02-13 is
/// exactly 17 years); the rest is days, hours, minutes, seconds.
pub fn relative_phrase(target: i64, now: i64) -> String {
    if target == now {
        return "now".to_string();
    }
    let (earlier, later) = if target < now {
        (target, now)
    } else {
        (now, target)
    };
    let (years, rest) = split_years(earlier, later);
    let units = [
        (years, "year"),
        (rest / 86_400, "day"),
        (rest / 3_600 % 24, "hour"),
        (rest / 60 % 60, "minute"),
        (rest % 60, "second"),
    ];
    let mut text = String::new();
    if let Some(first) = units.iter().position(|&(n, _)| n != 0) {
        push_unit(&mut text, units[first].0, units[first].1);
        if let Some(&(n, unit)) = units.get(first + 1)
            && n != 0
        {
            text.push(' ');
            push_unit(&mut text, n, unit);
        }
    }
    if target > now {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

fn push_unit(out: &mut String, n: u128, unit: &str) {
    let _ = write!(out, "{n} {unit}{}", if n == 1 { "" } else { "s" });
}

/// Whole calendar years from `earlier` to `later` and the seconds left over.
fn split_years(earlier: i64, later: i64) -> (u128, u128) {
    let diff = (i128::from(later) - i128::from(earlier)).unsigned_abs();
    let calendar = (|| {
        let e = utc_datetime(earlier, 0)?.naive_utc();
        let l = utc_datetime(later, 0)?.naive_utc();
        let mut years = l.year() - e.year();
        let mut anchor = add_years(e, years)?;
        if anchor > l {
            years -= 1;
            anchor = add_years(e, years)?;
        }
        let rest = (l - anchor).num_seconds();
        Some((u128::try_from(years).ok()?, u128::try_from(rest).ok()?))
    })();
    // Beyond the calendar: mean Gregorian years of 365.2425 days.
    calendar.unwrap_or((diff / 31_556_952, diff % 31_556_952))
}

/// The same month, day and time `years` later (29 February becomes the 28th).
fn add_years(from: NaiveDateTime, years: i32) -> Option<NaiveDateTime> {
    let year = from.year().checked_add(years)?;
    let date = NaiveDate::from_ymd_opt(year, from.month(), from.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, from.month(), from.day() - 1))?;
    Some(date.and_time(from.time()))
}

/// A live countdown: `49 d 12:03:04`, or `00:00:09` under a day; negative
/// values get a leading '-'.
pub fn format_countdown(secs: i64) -> String {
    let mut out = String::with_capacity(24);
    push_countdown(&mut out, secs);
    out
}

/// Append `format_countdown(secs)` to `out`.
pub fn push_countdown(out: &mut String, secs: i64) {
    let sign = if secs < 0 { "-" } else { "" };
    let abs = secs.unsigned_abs();
    let (days, h, m, s) = (abs / 86_400, abs / 3_600 % 24, abs / 60 % 60, abs % 60);
    // Pushed directly, not formatted: the live display calls this every second.
    out.push_str(sign);
    if days > 0 {
        push_padded(out, days, 1);
        out.push_str(" d ");
    }
    push_padded(out, h, 2);
    out.push(':');
    push_padded(out, m, 2);
    out.push(':');
    push_padded(out, s, 2);
}

/// A short duration for reminders: a single unit in words ("1 day",
/// "10 seconds", "3 hours"), mixed units compact ("2 h 30 min", "1 d 6 h",
/// "1 min 5 s"). Zero is "0 seconds"; negative values get a leading '-'.
pub fn format_duration_short(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let abs = secs.unsigned_abs();
    let parts = [
        (abs / 86_400, "d", "day"),
        (abs / 3_600 % 24, "h", "hour"),
        (abs / 60 % 60, "min", "minute"),
        (abs % 60, "s", "second"),
    ];
    let nonzero: Vec<_> = parts.iter().filter(|(n, _, _)| *n != 0).collect();
    match nonzero.as_slice() {
        [] => "0 seconds".to_string(),
        [(n, _, word)] => format!("{sign}{n} {word}{}", if *n == 1 { "" } else { "s" }),
        many => {
            let mut out = sign.to_string();
            for (i, (n, short, _)) in many.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{n} {short}");
            }
            out
        }
    }
}

/// Parse a duration such as `10s`, `1m`, `1h`, `1d`, `1w` or `1h30m` into seconds.
///
/// A plain integer is seconds. Units: s, m (minutes), h, d, w; parts add up
/// (`1h30m` is 5400). Zero is allowed; signs, fractions and spaces inside are not.
pub fn parse_duration(text: &str) -> Result<i64, ParseError> {
    let invalid = |why: &str| {
        ParseError::Invalid(format!(
            "invalid duration {text:?}{why} (expected whole seconds or numbers with units \
             s, m, h, d, w, e.g. 10s, 1m, 1h, 1d, 1w, 1h30m)"
        ))
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(invalid(""));
    }
    if trimmed.starts_with('-') {
        return Err(invalid(": negative durations are not allowed"));
    }
    if trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return trimmed.parse::<i64>().map_err(|_| invalid(": too large"));
    }
    let bytes = trimmed.as_bytes();
    let mut total: i64 = 0;
    let mut pos = 0;
    while pos < bytes.len() {
        let start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        if start == pos {
            return Err(invalid(""));
        }
        let number: i64 = trimmed[start..pos]
            .parse()
            .map_err(|_| invalid(": too large"))?;
        let unit: i64 = match bytes.get(pos) {
            Some(b's') => 1,
            Some(b'm') => 60,
            Some(b'h') => 3_600,
            Some(b'd') => 86_400,
            Some(b'w') => 604_800,
            _ => return Err(invalid("")),
        };
        pos += 1;
        total = number
            .checked_mul(unit)
            .and_then(|part| total.checked_add(part))
            .ok_or_else(|| invalid(": too large"))?;
    }
    Ok(total)
}

// ---------------------------------------------------------------------------
// Calendar time to epoch seconds

/// Parse epoch seconds as typed: optional sign, decimal digits.
pub fn parse_epoch(text: &str) -> Result<i64, ParseError> {
    text.parse::<i64>().map_err(|_| {
        ParseError::Invalid(format!(
            "invalid epoch {text:?} (expected whole seconds, e.g. 1234567890 or -86400)"
        ))
    })
}

const ACCEPTED_DATETIMES: &str = "expected RFC 3339 such as 2009-02-13T23:31:30Z or \
     2009-02-13T23:31:30+02:00, YYYY-MM-DD, \"YYYY-MM-DD HH:MM[:SS]\" or @EPOCH";

/// Parse a calendar time: RFC 3339, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`
/// (in `zone` when it has no offset) or `@EPOCH`.
///
/// Details: 'T', 't' or a space between date and time; seconds may carry a
/// fraction (dropped: the result is the whole second it falls in); `:60` is
/// a leap second, read as the next second; offsets are `Z`, `z`, `±HH:MM`,
/// `±HHMM` or `±HH`. Local times in a DST gap or overlap follow
/// [`local_to_epoch`].
pub fn parse_datetime(text: &str, zone: Zone) -> Result<i64, ParseError> {
    let fail = |why: String| {
        ParseError::Invalid(if why.is_empty() {
            format!("invalid date-time {text:?} ({ACCEPTED_DATETIMES})")
        } else {
            format!("invalid date-time {text:?}: {why} ({ACCEPTED_DATETIMES})")
        })
    };
    if let Some(rest) = text.strip_prefix('@') {
        return rest
            .parse::<i64>()
            .map_err(|_| fail(format!("{rest:?} is not whole epoch seconds")));
    }
    let parsed = scan_datetime(text.trim()).ok_or_else(|| fail(String::new()))?;
    let date = NaiveDate::from_ymd_opt(parsed.year, parsed.month, parsed.day).ok_or_else(|| {
        fail(format!(
            "{:04}-{:02}-{:02} is not a calendar date",
            parsed.year, parsed.month, parsed.day
        ))
    })?;
    if parsed.second > 60 {
        return Err(fail(format!(
            "{:02}:{:02}:{:02} is not a time of day",
            parsed.hour, parsed.minute, parsed.second
        )));
    }
    let leap = parsed.second == 60;
    let time = NaiveTime::from_hms_opt(parsed.hour, parsed.minute, parsed.second.min(59))
        .ok_or_else(|| {
            fail(format!(
                "{:02}:{:02}:{:02} is not a time of day",
                parsed.hour, parsed.minute, parsed.second
            ))
        })?;
    let naive = date.and_time(time);
    let epoch = match parsed.offset {
        Some(offset) => {
            if offset.abs() >= 86_400 {
                return Err(fail("the UTC offset must be under 24 hours".to_string()));
            }
            naive.and_utc().timestamp() - i64::from(offset)
        }
        None => local_to_epoch(naive, zone)
            .ok_or_else(|| fail(format!("cannot place this local time in {}", zone.name())))?,
    };
    Ok(epoch + i64::from(leap))
}

struct ScannedDateTime {
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// Seconds east of UTC, when written.
    offset: Option<i32>,
}

/// The shape of a date-time, without checking the ranges of its fields.
fn scan_datetime(text: &str) -> Option<ScannedDateTime> {
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        part.iter()
            .try_fold(0u32, |acc, d| Some(acc * 10 + u32::from(d - b'0')))
    };
    let at = |i: usize| b.get(i).copied();
    let year = i32::try_from(num(0, 4)?).ok()?;
    (at(4) == Some(b'-') && at(7) == Some(b'-')).then_some(())?;
    let (month, day) = (num(5, 2)?, num(8, 2)?);
    let mut out = ScannedDateTime {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        offset: None,
    };
    if b.len() == 10 {
        return Some(out);
    }
    matches!(at(10), Some(b'T' | b't' | b' ')).then_some(())?;
    out.hour = num(11, 2)?;
    (at(13) == Some(b':')).then_some(())?;
    out.minute = num(14, 2)?;
    let mut pos = 16;
    if at(pos) == Some(b':') {
        out.second = num(pos + 1, 2)?;
        pos += 3;
        if at(pos) == Some(b'.') || at(pos) == Some(b',') {
            pos += 1;
            let start = pos;
            while at(pos).is_some_and(|c| c.is_ascii_digit()) {
                pos += 1;
            }
            (pos > start).then_some(())?;
        }
    }
    if at(pos) == Some(b' ') && pos + 1 < b.len() {
        pos += 1;
    }
    match at(pos) {
        None => {}
        Some(b'Z' | b'z') if pos + 1 == b.len() => out.offset = Some(0),
        Some(sign @ (b'+' | b'-')) => {
            let hours = num(pos + 1, 2)?;
            let minutes = match b.len() - (pos + 3) {
                0 => 0,
                2 => num(pos + 3, 2)?,
                3 if at(pos + 3) == Some(b':') => num(pos + 4, 2)?,
                _ => return None,
            };
            if minutes > 59 {
                return None;
            }
            let secs = i32::try_from(hours * 3_600 + minutes * 60).ok()?;
            out.offset = Some(if sign == b'-' { -secs } else { secs });
        }
        Some(_) => return None,
    }
    Some(out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn berlin() -> Zone {
        Zone::parse("Europe/Berlin").unwrap()
    }
    fn new_york() -> Zone {
        Zone::parse("America/New_York").unwrap()
    }

    /// Howard Hinnant's days_from_civil: an independent calendar.
    fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
        let y = if m <= 2 { y - 1 } else { y };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn days_in_month(y: i64, m: i64) -> i64 {
        match m {
            2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    #[test]
    fn range_constants_match_chrono() {
        assert_eq!(MIN_EPOCH, DateTime::<Utc>::MIN_UTC.timestamp() + 86_400);
        assert_eq!(MAX_EPOCH, DateTime::<Utc>::MAX_UTC.timestamp() - 86_400);
        assert!(format_datetime(MIN_EPOCH, Zone::Utc).contains(" -262143-01-02 00:00:00 +00:00"));
        assert!(format_datetime(MAX_EPOCH, berlin()).contains("+262142-12-3"));
        assert_eq!(
            format_datetime(MAX_EPOCH + 1, Zone::Utc),
            format!("@{} (out of calendar range)", MAX_EPOCH + 1)
        );
        assert_eq!(format_rfc3339_utc(i64::MIN), None);
    }

    #[test]
    fn formats() {
        assert_eq!(
            format_datetime(1_234_567_890, Zone::Utc),
            "Fri 2009-02-13 23:31:30 +00:00"
        );
        assert_eq!(
            format_datetime(1_234_567_890, berlin()),
            "Sat 2009-02-14 00:31:30 +01:00"
        );
        assert_eq!(
            format_rfc3339_utc(1_234_567_890).as_deref(),
            Some("2009-02-13T23:31:30Z")
        );
        assert_eq!(
            format_rfc3339(1_234_567_890, new_york()).as_deref(),
            Some("2009-02-13T18:31:30-05:00")
        );
        assert_eq!(
            format_rfc3339_utc(-1).as_deref(),
            Some("1969-12-31T23:59:59Z")
        );
        assert_eq!(
            format_rfc3339_utc(253_402_300_800).as_deref(),
            Some("+10000-01-01T00:00:00Z")
        );
        assert_eq!(weekday(0, Zone::Utc).as_deref(), Some("Thu"));
        // Local mean time in New York was -4:56:02.
        assert_eq!(
            format_datetime(-3_000_000_000, new_york()),
            "Mon 1874-12-07 13:43:58 -04:56:02"
        );
        assert_eq!(
            berlin().abbreviation_at(1_234_567_890).as_deref(),
            Some("CET")
        );
        assert_eq!(
            berlin().abbreviation_at(1_250_000_000).as_deref(),
            Some("CEST")
        );
    }

    #[test]
    fn strftime() {
        let f = |fmt: &str| format_strftime(1_234_567_890, 123_456_789, Zone::Utc, fmt);
        assert_eq!(f("%Y-%m-%d %H:%M:%S").unwrap(), "2009-02-13 23:31:30");
        assert_eq!(f("%s").unwrap(), "1234567890");
        assert_eq!(f("%s%N").unwrap(), "1234567890123456789");
        assert_eq!(f("%s.%3N").unwrap(), "1234567890.123");
        assert_eq!(f("%6N|%1N|%9N").unwrap(), "123456|1|123456789");
        assert_eq!(f("%%N %%%N").unwrap(), "%N %123456789");
        assert_eq!(f("%Z %z").unwrap(), "UTC +0000");
        assert_eq!(f("").unwrap(), "");
        assert_eq!(f("%3f").unwrap(), "123");
        let b = format_strftime(1_234_567_890, 0, berlin(), "%H %Z").unwrap();
        assert_eq!(b, "00 CET");
        for bad in ["%Q", "%", "abc%", "%E", "%3"] {
            assert!(f(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn instants_floor_before_1970() {
        use std::time::{Duration, UNIX_EPOCH};
        let t = UNIX_EPOCH - Duration::from_millis(500);
        assert_eq!(instant_from_system_time(t), (-1, 500_000_000));
        let t = UNIX_EPOCH - Duration::from_secs(2);
        assert_eq!(instant_from_system_time(t), (-2, 0));
        assert_eq!(scaled_instant(-1, 500_000_000, 3), -500);
        assert_eq!(scaled_instant(1_234_567_890, 123_456_789, 0), 1_234_567_890);
        assert_eq!(
            scaled_instant(1_234_567_890, 123_456_789, 6),
            1_234_567_890_123_456
        );
    }

    #[test]
    fn relative() {
        assert_eq!(relative_phrase(5, 5), "now");
        assert_eq!(relative_phrase(10, 5), "in 5 seconds");
        assert_eq!(relative_phrase(0, 1), "1 second ago");
        assert_eq!(relative_phrase(3_600 + 120, 0), "in 1 hour 2 minutes");
        assert_eq!(relative_phrase(0, 86_400 * 2 + 5), "2 days ago");
        // 2009-02-13 to 2026-02-13 is 17 calendar years, even with leap days.
        let t2026 = parse_datetime("2026-02-13T23:31:30Z", Zone::Utc).unwrap();
        assert_eq!(relative_phrase(1_234_567_890, t2026), "17 years ago");
        assert_eq!(relative_phrase(t2026, 1_234_567_890), "in 17 years");
        assert_eq!(
            relative_phrase(t2026 + 173 * 86_400 + 7, 1_234_567_890),
            "in 17 years 173 days"
        );
        // Out of the calendar: mean years, no panic.
        assert!(relative_phrase(i64::MAX, i64::MIN).starts_with("in "));
        assert!(relative_phrase(i64::MIN, i64::MAX).ends_with(" ago"));
    }

    #[test]
    fn countdown_and_short() {
        assert_eq!(format_countdown(9), "00:00:09");
        assert_eq!(
            format_countdown(49 * 86_400 + 12 * 3_600 + 3 * 60 + 4),
            "49 d 12:03:04"
        );
        assert_eq!(format_countdown(-61), "-00:01:01");
        assert_eq!(format_countdown(i64::MIN).chars().next(), Some('-'));
        assert_eq!(format_duration_short(86_400), "1 day");
        assert_eq!(format_duration_short(3_600), "1 hour");
        assert_eq!(format_duration_short(10), "10 seconds");
        assert_eq!(format_duration_short(9_000), "2 h 30 min");
        assert_eq!(format_duration_short(604_800), "7 days");
        assert_eq!(format_duration_short(0), "0 seconds");
        assert_eq!(format_duration_short(65), "1 min 5 s");
        assert_eq!(format_duration_short(-60), "-1 minute");
    }

    #[test]
    fn durations() {
        for (text, secs) in [
            ("10s", 10),
            ("1m", 60),
            ("1h", 3_600),
            ("1d", 86_400),
            ("1w", 604_800),
            ("1h30m", 5_400),
            ("90", 90),
            ("0", 0),
            ("0s", 0),
            (" 5m ", 300),
        ] {
            assert_eq!(parse_duration(text), Ok(secs), "{text}");
        }
        for bad in [
            "",
            "-5",
            "-1h",
            "1x",
            "h",
            "1.5h",
            "1 h",
            "99999999999999999999",
            "9999999999999999w",
            "1h-",
        ] {
            let err = parse_duration(bad).unwrap_err().to_string();
            assert!(err.contains("expected whole seconds"), "{bad}: {err}");
        }
    }

    #[test]
    fn datetimes() {
        let utc = |t: &str| parse_datetime(t, Zone::Utc);
        for t in [
            "2009-02-13T23:31:30Z",
            "2009-02-13t23:31:30z",
            "2009-02-13 23:31:30Z",
            "2009-02-14T00:31:30+01:00",
            "2009-02-14T00:31:30+0100",
            "2009-02-14T00:31:30+01",
            "2009-02-13T18:31:30-05:00",
            "2009-02-13T23:31:30.999Z",
            "2009-02-13 23:31:30",
            "2009-02-13T23:31:30",
            "2009-02-13 23:31:30 +00:00",
            "@1234567890",
        ] {
            assert_eq!(utc(t), Ok(1_234_567_890), "{t}");
        }
        assert_eq!(utc("2009-02-13 23:31"), Ok(1_234_567_860));
        assert_eq!(utc("1970-01-01"), Ok(0));
        assert_eq!(utc("1969-12-31"), Ok(-86_400));
        assert_eq!(utc("2016-12-31T23:59:60Z"), Ok(1_483_228_800));
        assert_eq!(parse_datetime("2009-02-14", berlin()), Ok(1_234_566_000));
        for bad in [
            "2023-02-30",
            "2023-13-01",
            "2023-01-01 25:00",
            "2023-01-01 12:60",
            "2023-01-01T12:00:61Z",
            "garbage",
            "",
            "2023-1-1",
            "2023-01-01T",
            "2023-01-01T12:00+25:00",
            "2023-01-01T12:00+01:99",
            "2023-01-01T12:00:00ZZ",
            "@12x",
            "@",
            "١٢٣٤-01-01",
        ] {
            let err = utc(bad).unwrap_err().to_string();
            assert!(err.contains(&format!("{bad:?}")), "{bad}: {err}");
            assert!(err.contains("expected"), "{bad}: {err}");
        }
    }

    #[test]
    fn dst_gap_and_overlap() {
        // New York, 2021-03-14: 02:00 EST jumps to 03:00 EDT.
        let gap = parse_datetime("2021-03-14 02:30", new_york()).unwrap();
        assert_eq!(
            format_rfc3339(gap, new_york()).unwrap(),
            "2021-03-14T03:30:00-04:00"
        );
        // 2021-11-07: 01:30 happens twice; the first (EDT) wins.
        let overlap = parse_datetime("2021-11-07 01:30", new_york()).unwrap();
        assert_eq!(
            format_rfc3339(overlap, new_york()).unwrap(),
            "2021-11-07T01:30:00-04:00"
        );
        // Berlin, 2021-03-28 02:30 does not exist; 2021-10-31 02:30 twice.
        let gap = parse_datetime("2021-03-28T02:30:00", berlin()).unwrap();
        assert_eq!(format_rfc3339_utc(gap).unwrap(), "2021-03-28T01:30:00Z");
        let overlap = parse_datetime("2021-10-31T02:30:00", berlin()).unwrap();
        assert_eq!(format_rfc3339_utc(overlap).unwrap(), "2021-10-31T00:30:00Z");
        // Samoa skipped 2011-12-30 entirely.
        let apia = Zone::parse("Pacific/Apia").unwrap();
        let skipped = parse_datetime("2011-12-30 12:00", apia).unwrap();
        assert_eq!(
            format_rfc3339(skipped, apia).unwrap(),
            "2011-12-31T12:00:00+14:00"
        );
    }

    #[test]
    fn zones() {
        assert_eq!(Zone::from_flags(true, Some("Nowhere/Else")), Ok(Zone::Utc));
        assert_eq!(Zone::from_flags(false, None), Ok(Zone::Local));
        assert!(matches!(
            Zone::from_flags(false, Some("Nowhere/Else")),
            Err(ParseError::UnknownZone(_))
        ));
        assert_eq!(berlin().name(), "Europe/Berlin");
        assert_eq!(Zone::Utc.name(), "UTC");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The hand-written `format_datetime` says what chrono's strftime says.
        #[test]
        fn format_datetime_matches_strftime(epoch in -62_167_219_200i64..=253_402_300_799) {
            for zone in [Zone::Utc, berlin(), new_york(), Zone::Local] {
                let Some(dt) = to_fixed(epoch, 0, zone) else { continue };
                let pattern = if dt.offset().local_minus_utc() % 60 == 0 {
                    "%a %Y-%m-%d %H:%M:%S %:z"
                } else {
                    "%a %Y-%m-%d %H:%M:%S %::z"
                };
                prop_assert_eq!(format_datetime(epoch, zone), dt.format(pattern).to_string());
            }
        }

        /// `parse_datetime` agrees with the independent calendar, 1812..=9900.
        #[test]
        fn at_agrees_with_days_from_civil(
            y in 1812i64..=9900, m in 1i64..=12, d in 1i64..=31,
            hh in 0i64..24, mm in 0i64..60, ss in 0i64..60,
            off in -(14 * 60i64)..=(14 * 60),
        ) {
            let d = d.min(days_in_month(y, m));
            let expected = days_from_civil(y, m, d) * 86_400 + hh * 3_600 + mm * 60 + ss;
            let text = format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z");
            prop_assert_eq!(parse_datetime(&text, berlin()), Ok(expected));
            let sign = if off < 0 { '-' } else { '+' };
            let text = format!(
                "{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}{sign}{:02}:{:02}",
                off.abs() / 60, off.abs() % 60
            );
            prop_assert_eq!(parse_datetime(&text, Zone::Utc), Ok(expected - off * 60));
            let text = format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}");
            prop_assert_eq!(parse_datetime(&text, Zone::Utc), Ok(expected));
        }

        /// `format_datetime` agrees with the independent calendar, 1812..=9900.
        #[test]
        fn when_agrees_with_days_from_civil(
            epoch in days_from_civil(1812, 1, 1) * 86_400..days_from_civil(9901, 1, 1) * 86_400,
        ) {
            let days = epoch.div_euclid(86_400);
            let secs = epoch.rem_euclid(86_400);
            // Find the civil date by counting from the year's start (independent search).
            let mut y = 1970 + days.div_euclid(366) - 1;
            while days_from_civil(y + 1, 1, 1) <= days { y += 1; }
            while days_from_civil(y, 1, 1) > days { y -= 1; }
            let mut m = 1;
            while m < 12 && days_from_civil(y, m + 1, 1) <= days { m += 1; }
            let d = days - days_from_civil(y, m, 1) + 1;
            let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
            let expected = format!(
                "{wd} {y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} +00:00",
                secs / 3_600, secs / 60 % 60, secs % 60
            );
            prop_assert_eq!(format_datetime(epoch, Zone::Utc), expected);
            let rfc = format_rfc3339_utc(epoch).unwrap();
            prop_assert_eq!(parse_datetime(&rfc, Zone::Utc), Ok(epoch));
        }

        /// Round trip through a zone with DST: a wall time that exists once maps back.
        #[test]
        fn round_trip_in_zones(epoch in -2_000_000_000i64..20_000_000_000) {
            for zone in [berlin(), new_york(), Zone::Utc] {
                let local = format_rfc3339(epoch, zone).unwrap();
                prop_assert_eq!(parse_datetime(&local, Zone::Utc), Ok(epoch));
                let wall = &local[..19];
                let back = parse_datetime(wall, zone).unwrap();
                // Equal, or the earlier twin of an overlap (at most 1 hour before).
                prop_assert!(back == epoch || (epoch - 3_600..epoch).contains(&back), "{wall}");
            }
        }

        /// No input panics; every error is one line.
        #[test]
        fn never_panics(text in "\\PC{0,30}", epoch in any::<i64>(), nanos in 0u32..1_000_000_000) {
            for zone in [Zone::Utc, berlin(), Zone::Local] {
                if let Err(err) = parse_datetime(&text, zone) {
                    prop_assert!(!err.to_string().contains('\n'));
                }
                let _ = format_datetime(epoch, zone);
                let _ = format_strftime(epoch, nanos, zone, &text);
                let _ = format_rfc3339(epoch, zone);
            }
            let _ = parse_duration(&text);
            let _ = relative_phrase(epoch, 0);
            let _ = format_countdown(epoch);
            let _ = format_duration_short(epoch);
        }

        /// The digit-pushing `format_countdown` writes what `format!` would.
        #[test]
        fn format_countdown_matches_format(secs in any::<i64>()) {
            let sign = if secs < 0 { "-" } else { "" };
            let abs = secs.unsigned_abs();
            let (days, h, m, s) = (abs / 86_400, abs / 3_600 % 24, abs / 60 % 60, abs % 60);
            let expected = if days > 0 {
                format!("{sign}{days} d {h:02}:{m:02}:{s:02}")
            } else {
                format!("{sign}{h:02}:{m:02}:{s:02}")
            };
            prop_assert_eq!(format_countdown(secs), expected);
        }

        #[test]
        fn datetime_shapes_never_panic(
            text in "[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,3})?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?)?",
        ) {
            for zone in [Zone::Utc, new_york(), Zone::Local] {
                let _ = parse_datetime(&text, zone);
            }
        }

        #[test]
        fn extremes_in_every_zone(
            epoch in prop_oneof![MIN_EPOCH..MIN_EPOCH + 10_000_000_000, MAX_EPOCH - 10_000_000_000..=MAX_EPOCH],
        ) {
            for zone in [Zone::Utc, new_york(), berlin(), Zone::Local] {
                let text = format_datetime(epoch, zone);
                prop_assert!(!text.contains("out of"), "{}", text);
                prop_assert!(format_rfc3339(epoch, zone).is_some());
            }
        }
    }
}
