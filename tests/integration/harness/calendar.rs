//! An independent proleptic Gregorian calendar for the tests: days from
//! 1970-01-01 by counting leap days (not the library's method, nor chrono's).

pub fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i64, month: i64) -> i64 {
    let february = if is_leap(year) { 29 } else { 28 };
    [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(month - 1) as usize]
}

/// Leap years in 1..=`year` (negative counts for years before 1).
fn leap_years_through(year: i64) -> i64 {
    year.div_euclid(4) - year.div_euclid(100) + year.div_euclid(400)
}

/// Days from 1970-01-01 to `year-month-day` (negative before it).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let years = 365 * (year - 1970) + leap_years_through(year - 1) - leap_years_through(1969);
    let months: i64 = (1..month).map(|m| days_in_month(year, m)).sum();
    years + months + day - 1
}

/// "Mon" .. "Sun" of a day counted from 1970-01-01 (a Thursday).
pub fn weekday_name(days: i64) -> &'static str {
    ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize]
}

/// A date and time: (year, month, day, hour, minute, second).
pub type Civil = (i64, i64, i64, i64, i64, i64);

/// The UTC date and time of an epoch second.
pub fn civil_from_seconds(secs: i64) -> Civil {
    let days = secs.div_euclid(86_400);
    let time = secs.rem_euclid(86_400);
    let mut year = 1970 + (days * 400).div_euclid(146_097);
    while days_from_civil(year, 1, 1) > days {
        year -= 1;
    }
    while days_from_civil(year + 1, 1, 1) <= days {
        year += 1;
    }
    let mut month = 1;
    while month < 12 && days_from_civil(year, month + 1, 1) <= days {
        month += 1;
    }
    let day = days - days_from_civil(year, month, 1) + 1;
    (year, month, day, time / 3600, time / 60 % 60, time % 60)
}

/// `YYYY-MM-DD HH:MM:SS` of an epoch second in UTC (years 0 to 9999).
pub fn iso_wall(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil_from_seconds(secs);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}
