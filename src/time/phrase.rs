//! Phrases about time for people: "in 6 years 173 days", countdowns,
//! durations in words or compact, and how late an alert is.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::zone::utc_datetime;
use crate::decimal::push_padded;

/// "in 6 years 173 days", "17 years ago", "in 5 seconds", "now".
///
/// The largest non-zero unit and the next one (if not zero), truncated.
/// Years are calendar years counted in UTC (2009-02-13 to 2026-02-13 is
/// exactly 17 years); the rest is days, hours, minutes, seconds.
pub fn relative_phrase(target: i64, now: i64) -> String {
    let mut out = String::with_capacity(24);
    push_relative_phrase(&mut out, target, now);
    out
}

/// Appends [`relative_phrase`] to `out` (for many instants: no allocation).
pub fn push_relative_phrase(out: &mut String, target: i64, now: i64) {
    if target == now {
        out.push_str("now");
        return;
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
    if target > now {
        out.push_str("in ");
    }
    if let Some(first) = units.iter().position(|&(n, _)| n != 0) {
        push_unit(out, units[first].0, units[first].1);
        if let Some(&(n, unit)) = units.get(first + 1)
            && n != 0
        {
            out.push(' ');
            push_unit(out, n, unit);
        }
    }
    if target < now {
        out.push_str(" ago");
    }
}

fn push_unit(out: &mut String, n: u128, unit: &str) {
    // Years and days of an i64 span fit in 64 bits.
    crate::decimal::push_padded(out, u64::try_from(n).unwrap_or(u64::MAX), 1);
    out.push(' ');
    out.push_str(unit);
    if n != 1 {
        out.push('s');
    }
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
/// Seconds as the shortest duration text [`super::parse_duration`] reads
/// back: `90061` → `1d1h1m1s`, `0` → `0s` (what `config show` writes).
pub fn format_duration(secs: i64) -> String {
    if secs == 0 {
        return "0s".to_string();
    }
    let mut out = String::new();
    if secs < 0 {
        out.push('-');
    }
    let mut rest = secs.unsigned_abs();
    for (unit, size) in [("d", 86_400u64), ("h", 3_600), ("m", 60), ("s", 1)] {
        let n = rest / size;
        rest %= size;
        if n > 0 {
            push_padded(&mut out, n, 1);
            out.push_str(unit);
        }
    }
    out
}

/// A duration in words, at most two adjacent units: "1 hour",
/// "1 day 2 hours", "10 seconds" (what notifications say).
pub fn duration_words(secs: i64) -> String {
    const UNITS: [(i64, &str); 5] = [
        (7 * 86_400, "week"),
        (86_400, "day"),
        (3_600, "hour"),
        (60, "minute"),
        (1, "second"),
    ];
    let mut rest = secs.max(0);
    if rest == 0 {
        return "0 seconds".to_string();
    }
    let mut parts = Vec::new();
    for (size, name) in UNITS {
        if parts.len() == 2 {
            break;
        }
        let n = rest / size;
        if n > 0 {
            parts.push(format!("{n} {name}{}", if n == 1 { "" } else { "s" }));
            rest -= n * size;
        } else if !parts.is_empty() {
            // Keep the two units adjacent: "1 day 3 hours", never "1 day 5 seconds".
            break;
        }
    }
    parts.join(" ")
}

/// How late an alert is, when it matters (a second or more): "12 s" under
/// two minutes, else in words ("3 hours 20 minutes").
pub fn late_phrase(late_ms: i64) -> Option<String> {
    (late_ms >= 1_000).then(|| seconds_phrase(late_ms / 1_000))
}

/// A short span that changes by the second (the countdown's, a delay):
/// "9 s" under two minutes, else in words ("3 hours 20 minutes").
pub fn seconds_phrase(secs: i64) -> String {
    if secs < 120 {
        format!("{secs} s")
    } else {
        duration_words(secs)
    }
}
