//! Tests of the time module: formats, parsing, phrases, zones, and
//! properties against an independent calendar.

use chrono::{DateTime, Utc};
use proptest::prelude::*;

use super::*;
use crate::time;

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
    // chrono's %f is not GNU's: `date +%3f` prints it back, epochwatch refuses it.
    assert!(f("%3f").is_err());
    let b = format_strftime(1_234_567_890, 0, berlin(), "%H %Z").unwrap();
    assert_eq!(b, "00 CET");
    for bad in ["%Q", "%", "abc%", "%E", "%3"] {
        assert!(f(bad).is_err(), "{bad}");
    }
}

#[test]
fn instants_floor_before_1970() {
    use std::time::{Duration, UNIX_EPOCH};
    let instant_from_system_time = |t| {
        let wall = crate::clock::WallTime::from_system_time(t);
        (wall.secs, wall.nanos)
    };
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

#[test]
fn words_for_durations() {
    assert_eq!(duration_words(3_600), "1 hour");
    assert_eq!(duration_words(10), "10 seconds");
    assert_eq!(duration_words(86_400 + 7_200), "1 day 2 hours");
    assert_eq!(duration_words(86_400 + 5), "1 day");
    assert_eq!(duration_words(-5), "0 seconds");
}

#[test]
fn durations_round_trip() {
    for secs in [0, 1, 59, 60, 3_600, 5_400, 86_400, 90_061, 604_800] {
        assert_eq!(time::parse_duration(&format_duration(secs)).unwrap(), secs);
    }
    assert_eq!(format_duration(90_061), "1d1h1m1s");
}

// ---------------------------------------------------------------------------
// Issue 11: one test per bug found side by side with GNU date, named after
// what it guards (tests/integration/time_exact/ checks the same against
// GNU date itself, in every zone).

fn zone(name: &str) -> Zone {
    Zone::parse(name).unwrap()
}

#[test]
fn dst_goes_on_after_2099() {
    let ny = new_york();
    // 2100-07-01T12:00:00Z, past the end of the old embedded table.
    assert_eq!(
        format_datetime(4_118_126_400, ny),
        "Thu 2100-07-01 08:00:00 -04:00"
    );
    assert_eq!(ny.abbreviation_at(4_118_126_400).as_deref(), Some("EDT"));
    // The last second of unsigned 32-bit time, in February 2106: EST.
    assert_eq!(ny.offset_at(4_294_967_295), Some(-5 * 3600));
    // Year 9999, and beyond it (jiff's range, folded by 400-year cycles).
    for text in ["9999-07-01T12:00:00Z", "+12345-07-01T12:00:00Z"] {
        let july = parse_datetime(text, Zone::Utc).unwrap();
        assert_eq!(ny.abbreviation_at(july).as_deref(), Some("EDT"), "{text}");
        assert_eq!(berlin().abbreviation_at(july).as_deref(), Some("CEST"));
    }
    assert_eq!(
        parse_datetime("2100-07-01 08:00", ny),
        Ok(4_118_126_400),
        "at reads it back"
    );
}

#[test]
fn the_first_second_after_an_overlap_happens_once() {
    // New York, 2024-11-03: 01:00:00-01:59:59 twice, then 02:00:00 EST once.
    let ny = new_york();
    assert_eq!(parse_datetime("2024-11-03 02:00:00", ny), Ok(1_730_617_200));
    assert_eq!(parse_datetime("2024-11-03 01:59:59", ny), Ok(1_730_613_599));
    assert_eq!(parse_datetime("2024-11-03 00:59:59", ny), Ok(1_730_609_999));
    // A zone named by a path resolves alike.
    let by_path = zone("/usr/share/zoneinfo/America/New_York");
    assert_eq!(
        parse_datetime("2024-11-03 02:00:00", by_path),
        Ok(1_730_617_200)
    );
}

#[test]
fn abbreviations_are_spelled_as_the_database_spells_them() {
    // Numeric ones as tzdata writes them, far-future ones, and those of
    // POSIX TZ strings as --tz (and TZ) take them.
    for (name, epoch, abbreviation) in [
        ("Asia/Kathmandu", 1_700_000_000, "+0545"),
        ("Australia/Lord_Howe", 1_700_000_000, "+11"),
        ("America/New_York", 9_000_000_000, "EDT"),
        ("EST5EDT,M3.2.0,M11.1.0", 1_720_000_000, "EDT"),
        ("JST-9", 1_700_000_000, "JST"),
        ("<+0545>-5:45", 1_700_000_000, "+0545"),
    ] {
        let found = zone(name).abbreviation_at(epoch);
        assert_eq!(found.as_deref(), Some(abbreviation), "{name} @{epoch}");
    }
    let kathmandu = zone("Asia/Kathmandu");
    assert_eq!(
        format_strftime(1_700_000_000, 0, kathmandu, "%Z %z").unwrap(),
        "+0545 +0545"
    );
}

#[test]
fn offsets_keep_their_seconds_and_agree_everywhere() {
    let st_johns = zone("America/St_Johns");
    let info = st_johns.info_at(-2_500_000_000).unwrap();
    assert_eq!(info.offset, -(3 * 3600 + 30 * 60 + 52));
    assert_eq!(format_offset(info.offset, &info.abbreviation), "-03:30:52");
    let local = format_rfc3339(-2_500_000_000, st_johns).unwrap();
    assert_eq!(local, "1890-10-11T16:02:28-03:30:52");
    assert_eq!(parse_datetime(&local, Zone::Utc), Ok(-2_500_000_000));
    assert_eq!(
        format_datetime(-2_500_000_000, st_johns),
        "Sat 1890-10-11 16:02:28 -03:30:52"
    );
    // GNU truncates %z and %:z, and %::z and %:::z show the seconds.
    assert_eq!(
        format_strftime(-2_500_000_000, 0, st_johns, "%z %:z %::z %:::z").unwrap(),
        "-0330 -03:30 -03:30:52 -03:30:52"
    );
}

#[test]
fn local_year_10000_has_century_100() {
    // 9999-12-31T23:59:59Z is 10000-01-01 00:59:59 in Berlin.
    let epoch = 253_402_300_799;
    assert_eq!(
        format_strftime(epoch, 0, berlin(), "%C %Y %F %y").unwrap(),
        "100 10000 +10000-01-01 00"
    );
    assert_eq!(
        format_datetime(epoch, berlin()),
        "Sat +10000-01-01 00:59:59 +01:00"
    );
    let local = format_rfc3339(epoch, berlin()).unwrap();
    assert_eq!(parse_datetime(&local, Zone::Utc), Ok(epoch));
}

#[test]
fn gnu_flags_are_taken_as_gnu_takes_them() {
    // 2023-11-15 03:58:20.12 in Kathmandu (+05:45), a Wednesday.
    let kathmandu = zone("Asia/Kathmandu");
    assert_eq!(
        format_strftime(
            1_700_000_000,
            120_000_000,
            kathmandu,
            "%^a %^b %#Z %_5m %010s %-N %Ey %Od %:::z"
        )
        .unwrap(),
        "WED NOV +0545    11 1700000000 120000000 23 15 +05:45"
    );
    // `%+` is incomplete: GNU prints it back, epochwatch refuses it.
    let refused = format_strftime(0, 0, Zone::Utc, "%+").unwrap_err();
    assert!(refused.to_string().contains("incomplete conversion"));
}

#[test]
fn an_overlap_is_the_earlier_instant_where_gnu_takes_the_later() {
    // Berlin 2024-10-27 02:30 is first CEST (00:30Z), then CET (01:30Z):
    // GNU date answers 01:30Z; the rule says 00:30Z, as zoneinfo's fold=0.
    assert_eq!(
        parse_datetime("2024-10-27 02:30", berlin()),
        Ok(1_729_989_000)
    );
    let dublin = zone("Europe/Dublin");
    // Dublin's winter time is its "negative DST": 01:30 on 2024-10-27
    // is first IST (00:30Z), then GMT (01:30Z).
    assert_eq!(
        parse_datetime("2024-10-27 01:30", dublin),
        Ok(1_729_989_000)
    );
}

#[test]
fn a_zone_abbreviated_minus_00_shows_minus_00_00() {
    // Cambridge Bay before it had local time: "-00", as GNU's %:z writes it.
    let bay = zone("America/Cambridge_Bay");
    let epoch = -1_577_923_201;
    let info = bay.info_at(epoch).unwrap();
    assert_eq!((info.offset, info.abbreviation.as_str()), (0, "-00"));
    assert_eq!(format_offset(info.offset, &info.abbreviation), "-00:00");
    assert_eq!(
        format_datetime(epoch, bay),
        "Wed 1919-12-31 23:59:59 -00:00"
    );
    let local = format_rfc3339(epoch, bay).unwrap();
    assert_eq!(local, "1919-12-31T23:59:59-00:00");
    assert_eq!(parse_datetime(&local, Zone::Utc), Ok(epoch));
}

#[test]
fn posix_strings_before_1970_are_read_as_glibc_reads_them() {
    // glibc puts the rule's changes of the instant's year in 1970, with
    // that year's weekdays: here DST (J143 to the 4th Sunday of May) spans
    // the new year in 1881 and 1960, and not in 1900 or 1965.
    let odd = zone("<STD>4:00:20<DST>2:15:14,J143,M5.4.0/11");
    for (year, dst) in [(1881, true), (1900, false), (1960, true), (1965, false)] {
        let august = parse_datetime(&format!("{year}-08-01T00:00:00Z"), Zone::Utc).unwrap();
        let info = odd.info_at(august).unwrap();
        assert_eq!(info.is_dst, dst, "{year}");
        let wall = format_rfc3339(august, odd).unwrap();
        let wall = &wall[..19];
        assert_eq!(parse_datetime(wall, odd), Ok(august), "{year}: at {wall}");
    }
    // An ordinary rule has no DST before 1970.
    let eastern = zone("EST5EDT,M3.2.0,M11.1.0");
    assert_eq!(
        parse_datetime("1960-07-01 12:00", eastern),
        Ok(-299_833_200)
    );
}
