//! Instants as text: the display format, RFC 3339, weekdays, and
//! strftime as `date +FORMAT` writes it.

use std::fmt::Write as _;

use chrono::format::{Item, StrftimeItems};
use chrono::{Datelike, Timelike};

use super::zone::to_fixed;
use super::{ParseError, Zone, out_of_range};
use crate::decimal::push_padded;

/// Whole units since the epoch at `precision_digits` sub-second digits
/// (0 = seconds, 3 = ms, 6 = µs, 9 = ns), floored: the true count, so
/// 0.5 s before 1970 is -500 ms (not "-1500" as `date +%s%3N` would print).
pub fn scaled_instant(secs: i64, nanos: u32, precision_digits: u32) -> i128 {
    let digits = precision_digits.min(9);
    let scale = 10i128.pow(digits);
    let sub = i128::from(nanos) / 10i128.pow(9 - digits);
    i128::from(secs) * scale + sub
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
                push_offset(&mut out, offset);
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

/// A UTC offset as `±HH:MM` (seconds east of UTC; any seconds are dropped).
pub fn format_offset(offset: i32) -> String {
    let mut out = String::with_capacity(6);
    push_offset(&mut out, offset);
    out
}

/// Append `format_offset(offset)` to `out`.
fn push_offset(out: &mut String, offset: i32) {
    let abs = offset.unsigned_abs();
    out.push(if offset < 0 { '-' } else { '+' });
    push_padded(out, abs / 3_600, 2);
    out.push(':');
    push_padded(out, abs / 60 % 60, 2);
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
