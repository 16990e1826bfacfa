//! `now`, `when`, `at`, `completions` and `man` through the real binary:
//! exact stdout, stderr and status, with a fixed TZ.
use proptest::prelude::*;

use crate::harness::calendar::{Civil, days_in_month, is_leap};
use crate::harness::{Faketime, TestEnv, run};

/// A frozen clock for the relative phrases: 2026-02-13 23:31:30 UTC
/// (1771025490). libfaketime reads FAKETIME in the local zone.
fn frozen(env: &TestEnv) -> Option<assert_cmd::Command> {
    let faketime = Faketime::require(&["faketime"])?;
    let local = match env.tz.as_str() {
        "UTC" => "2026-02-13 23:31:30",
        "Europe/Berlin" => "2026-02-14 00:31:30",
        other => panic!("no frozen time for TZ={other}"),
    };
    let mut cmd = env.cmd();
    cmd.envs(faketime.frozen_at(local));
    Some(cmd)
}

/// Run and compare stdout, stderr and status exactly.
fn check(mut cmd: assert_cmd::Command, args: &[&str], stdout: &str, stderr: &str, code: i32) {
    run(cmd.args(args)).assert_exact(stdout, stderr, code);
}

/// Run, expect success, return stdout.
fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    run(cmd).succeeded()
}

// ---------------------------------------------------------------------------
// now

#[test]
fn now_agrees_with_date() {
    let env = TestEnv::new();
    let ours: i64 = stdout_of(env.cmd().arg("now")).trim().parse().unwrap();
    let date = std::process::Command::new("date")
        .arg("+%s")
        .output()
        .unwrap();
    let theirs: i64 = String::from_utf8(date.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!((ours - theirs).abs() <= 1, "now {ours} vs date {theirs}");
}

#[test]
fn now_precision_digit_counts() {
    let env = TestEnv::new();
    for (precision, digits) in [("s", 10), ("ms", 13), ("us", 16), ("ns", 19)] {
        let out = stdout_of(env.cmd().args(["now", "--precision", precision]));
        let value = out.strip_suffix('\n').unwrap();
        assert_eq!(value.len(), digits, "{precision}: {value:?}");
        assert!(value.bytes().all(|b| b.is_ascii_digit()), "{value:?}");
    }
    let short = stdout_of(env.cmd().args(["now", "-p", "ms"]));
    assert_eq!(short.trim().len(), 13);
}

#[test]
fn now_precision_is_exact_under_faketime() {
    let env = TestEnv::new();
    let cases = [
        ("s", "1771025490\n"),
        ("ms", "1771025490000\n"),
        ("us", "1771025490000000\n"),
        ("ns", "1771025490000000000\n"),
    ];
    for (precision, expected) in cases {
        let Some(cmd) = frozen(&env) else {
            return;
        };
        check(cmd, &["now", "-p", precision], expected, "", 0);
    }
}

#[test]
fn now_before_1970_is_floored() {
    let env = TestEnv::new();
    let Some(faketime) = Faketime::require(&["faketime"]) else {
        return;
    };
    let run = |precision: &str| {
        let mut cmd = env.cmd();
        cmd.envs(faketime.frozen_at("1969-12-31 23:59:58"))
            .args(["now", "-p", precision]);
        stdout_of(&mut cmd)
    };
    assert_eq!(run("s"), "-2\n");
    assert_eq!(run("ms"), "-2000\n");
}

#[test]
fn now_format_exact() {
    let env = TestEnv::new();
    let cases: &[(&[&str], &str)] = &[
        (&["now", "+%Y-%m-%d %H:%M:%S"], "2026-02-13 23:31:30\n"),
        (&["now", "+%s"], "1771025490\n"),
        (&["now", "+%s.%3N"], "1771025490.000\n"),
        (&["now", "+%a %Z %z"], "Fri UTC +0000\n"),
        (&["now", "+100%%"], "100%\n"),
        (&["now", "+"], "\n"),
        (
            &["now", "--tz", "Europe/Berlin", "+%H:%M %Z %:z"],
            "00:31 CET +01:00\n",
        ),
        (
            &["now", "--tz", "America/New_York", "+%F %T %Z"],
            "2026-02-13 18:31:30 EST\n",
        ),
        (&["now", "--utc", "+%F"], "2026-02-13\n"),
    ];
    for (args, expected) in cases {
        let Some(cmd) = frozen(&env) else {
            return;
        };
        check(cmd, args, expected, "", 0);
    }
    let berlin = TestEnv::new().tz("Europe/Berlin");
    if let Some(cmd) = frozen(&berlin) {
        check(
            cmd,
            &["now", "+%F %T %Z"],
            "2026-02-14 00:31:30 CET\n",
            "",
            0,
        );
    }
}

#[test]
fn now_format_agrees_with_date() {
    let env = TestEnv::new().tz("Europe/Berlin");
    let ours = stdout_of(env.cmd().args(["now", "+%Y-%m-%d %Z"]));
    let date = std::process::Command::new("date")
        .env("TZ", "Europe/Berlin")
        .arg("+%Y-%m-%d %Z")
        .output()
        .unwrap();
    assert_eq!(ours, String::from_utf8(date.stdout).unwrap());
}

#[test]
fn now_nanoseconds_digits() {
    let env = TestEnv::new();
    for (format, len) in [("+%N", 9), ("+%3N", 3), ("+%6N", 6), ("+%s%N", 19)] {
        let out = stdout_of(env.cmd().args(["now", format]));
        assert_eq!(out.trim_end().len(), len, "{format}: {out:?}");
    }
}

// ---------------------------------------------------------------------------
// when

#[test]
fn when_in_utc() {
    let env = TestEnv::new();
    let Some(cmd) = frozen(&env) else {
        return;
    };
    check(
        cmd,
        &["when", "1234567890", "-86400"],
        "1234567890\n\
         \x20 local  Fri 2009-02-13 23:31:30 +00:00 (UTC)\n\
         \x20 utc    Fri 2009-02-13 23:31:30 +00:00\n\
         \x20        17 years ago\n\
         \n\
         -86400\n\
         \x20 local  Wed 1969-12-31 00:00:00 +00:00 (UTC)\n\
         \x20 utc    Wed 1969-12-31 00:00:00 +00:00\n\
         \x20        56 years 44 days ago\n",
        "",
        0,
    );
}

#[test]
fn when_in_named_zones() {
    let env = TestEnv::new().tz("Europe/Berlin");
    let Some(cmd) = frozen(&env) else {
        return;
    };
    check(
        cmd,
        &["when", "1234567890", "2000000000"],
        "1234567890\n\
         \x20 local  Sat 2009-02-14 00:31:30 +01:00 (Europe/Berlin, CET)\n\
         \x20 utc    Fri 2009-02-13 23:31:30 +00:00\n\
         \x20        17 years ago\n\
         \n\
         2000000000\n\
         \x20 local  Wed 2033-05-18 05:33:20 +02:00 (Europe/Berlin, CEST)\n\
         \x20 utc    Wed 2033-05-18 03:33:20 +00:00\n\
         \x20        in 7 years 93 days\n",
        "",
        0,
    );
    let Some(cmd) = frozen(&env) else {
        return;
    };
    check(
        cmd,
        &["when", "--tz", "America/New_York", "1771025495"],
        "1771025495\n\
         \x20 tz     Fri 2026-02-13 18:31:35 -05:00 (America/New_York, EST)\n\
         \x20 utc    Fri 2026-02-13 23:31:35 +00:00\n\
         \x20        in 5 seconds\n",
        "",
        0,
    );
    let Some(cmd) = frozen(&env) else {
        return;
    };
    check(
        cmd,
        &["when", "--utc", "1771025490"],
        "1771025490\n\
         \x20 utc    Fri 2026-02-13 23:31:30 +00:00\n\
         \x20        now\n",
        "",
        0,
    );
}

#[test]
fn when_tz_utc_shows_the_classic_instant() {
    let out = stdout_of(TestEnv::new().cmd().args(["when", "1234567890"]));
    assert!(
        out.contains("  local  Fri 2009-02-13 23:31:30 +00:00 (UTC)\n"),
        "{out}"
    );
    assert!(
        out.contains("  utc    Fri 2009-02-13 23:31:30 +00:00\n"),
        "{out}"
    );
    assert!(out.trim_end().ends_with(" ago"), "{out}");
}

#[test]
fn when_json() {
    let env = TestEnv::new().tz("Europe/Berlin");
    let Some(mut cmd) = frozen(&env) else {
        return;
    };
    let out = stdout_of(cmd.args(["when", "--json", "1234567890", "-1"]));
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let expected = serde_json::json!([
        {
            "epoch": 1234567890,
            "utc": "2009-02-13T23:31:30Z",
            "local": "2009-02-14T00:31:30+01:00",
            "zone": "Europe/Berlin",
            "abbreviation": "CET",
            "offset": "+01:00",
            "offset_seconds": 3600,
            "weekday": "Sat",
            "relative": "17 years ago",
            "seconds_from_now": 1234567890 - 1771025490i64,
        },
        {
            "epoch": -1,
            "utc": "1969-12-31T23:59:59Z",
            "local": "1970-01-01T00:59:59+01:00",
            "zone": "Europe/Berlin",
            "abbreviation": "CET",
            "offset": "+01:00",
            "offset_seconds": 3600,
            "weekday": "Thu",
            "relative": "56 years 43 days ago",
            "seconds_from_now": -1 - 1771025490i64,
        }
    ]);
    assert_eq!(value, expected);
}

/// JSON's years outside 1 to 9999 in ISO 8601's expanded form (a sign and
/// four digits or more), against a writer we did not write: chrono's
/// `NaiveDateTime` display, for the last second of every year from -9999 to
/// 0, and of some years beyond, to the ends of the supported range. In UTC
/// (`utc` and `local`), and in a zone west of UTC (`local` a year earlier
/// than `utc` at each new year).
#[test]
fn when_json_writes_every_year_as_chrono_does() {
    let years = (-9_999..=0).chain([-262_143, -100_000, -10_000, 9_999, 10_000, 99_999, 262_142]);
    let mut args = vec!["when".to_string(), "--json".to_string()];
    let mut expected = Vec::new();
    for year in years {
        let last = chrono::NaiveDate::from_ymd_opt(year, 12, 30)
            .unwrap()
            .and_hms_opt(23, 59, 59)
            .unwrap();
        let first = chrono::NaiveDate::from_ymd_opt(year, 1, 2)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        for instant in [first, last] {
            args.push(instant.and_utc().timestamp().to_string());
            expected.push(instant);
        }
    }
    // chrono writes a space between the date and the time.
    let iso = |t: chrono::NaiveDateTime| t.to_string().replacen(' ', "T", 1);
    for (tz, suffix, hours) in [("UTC", "+00:00", 0), ("Etc/GMT+5", "-05:00", -5)] {
        let env = TestEnv::new().tz(tz);
        let out = stdout_of(env.cmd().args(&args));
        let items: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
        assert_eq!(items.len(), expected.len());
        for (item, &utc) in items.iter().zip(&expected) {
            let local = utc + chrono::Duration::hours(hours);
            assert_eq!(
                item["utc"].as_str(),
                Some(format!("{}Z", iso(utc)).as_str())
            );
            let local = format!("{}{suffix}", iso(local));
            assert_eq!(item["local"].as_str(), Some(local.as_str()), "{item}");
        }
    }
}

#[test]
fn when_covers_chronos_range() {
    let env = TestEnv::new();
    let out = stdout_of(
        env.cmd()
            .args(["when", "--utc", "8210266790399", "-8334601142400"]),
    );
    assert!(
        out.contains("  utc    Sun +262142-12-30 23:59:59 +00:00\n"),
        "{out}"
    );
    assert!(
        out.contains("  utc    Fri -262143-01-02 00:00:00 +00:00\n"),
        "{out}"
    );
    check(
        env.cmd(),
        &["when", "8210266790400"],
        "",
        "epochwatch: error: epoch 8210266790400 is outside the supported range \
         -8334601142400 to 8210266790399 (years -262143 to 262142)\n",
        2,
    );
}

// ---------------------------------------------------------------------------
// at

#[test]
fn at_forms() {
    let env = TestEnv::new();
    check(
        env.cmd(),
        &[
            "at",
            "2009-02-13T23:31:30Z",
            "2009-02-13t23:31:30z",
            "2009-02-13 23:31:30Z",
            "2009-02-14T00:31:30+01:00",
            "2009-02-13T23:31:30.75Z",
            "2009-02-13 23:31:30",
            "2009-02-13T23:31",
            "2009-02-13",
            "@1234567890",
            "@-5",
            "1969-12-31",
        ],
        "1234567890\n1234567890\n1234567890\n1234567890\n1234567890\n1234567890\n\
         1234567860\n1234483200\n1234567890\n-5\n-86400\n",
        "",
        0,
    );
}

#[test]
fn at_local_zone_and_flags() {
    let berlin = TestEnv::new().tz("Europe/Berlin");
    check(
        berlin.cmd(),
        &["at", "2009-02-14 00:31:30", "2009-02-14T00:31:30Z"],
        "1234567890\n1234571490\n",
        "",
        0,
    );
    check(
        berlin.cmd(),
        &["at", "--utc", "2009-02-13 23:31:30"],
        "1234567890\n",
        "",
        0,
    );
    check(
        berlin.cmd(),
        &["at", "--tz", "America/New_York", "2009-02-13 18:31:30"],
        "1234567890\n",
        "",
        0,
    );
}

/// Gap: shifted forward by the gap. Overlap: the earlier instant.
#[test]
fn at_dst_gap_and_overlap() {
    let new_york = TestEnv::new().tz("America/New_York");
    check(
        new_york.cmd(),
        &[
            "at",
            "2021-03-14 01:59:59",
            "2021-03-14 02:30",
            "2021-03-14 03:30",
            "2021-11-07 01:30",
            "2021-11-07 02:30",
        ],
        // 02:30 does not exist: 03:30 EDT. 01:30 happens twice: EDT (first).
        "1615705199\n1615707000\n1615707000\n1636263000\n1636270200\n",
        "",
        0,
    );
    let berlin = TestEnv::new().tz("Europe/Berlin");
    check(
        berlin.cmd(),
        &["at", "2021-03-28 02:30", "2021-10-31 02:30"],
        "1616895000\n1635640200\n",
        "",
        0,
    );
    // The same through --tz, whatever TZ says.
    check(
        TestEnv::new().cmd(),
        &[
            "at",
            "--tz",
            "Europe/Berlin",
            "2021-03-28 02:30",
            "2021-10-31 02:30",
        ],
        "1616895000\n1635640200\n",
        "",
        0,
    );
}

// ---------------------------------------------------------------------------
// Agreement with an independent calendar: days counted year by year and
// month by month from 1970-01-01 (a different method from the one in the
// library and from the closed form its unit tests use).

/// Days from 1970-01-01 to `y-m-d` (negative before it).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let year_length = |year| if is_leap(year) { 366 } else { 365 };
    let years: i64 = if y >= 1970 {
        (1970..y).map(year_length).sum()
    } else {
        -(y..1970).map(year_length).sum::<i64>()
    };
    let months: i64 = (1..m).map(|month| days_in_month(y, month)).sum();
    years + months + d - 1
}

fn civil() -> impl Strategy<Value = Civil> {
    (
        1812i64..=9900,
        1i64..=12,
        1i64..=31,
        0i64..24,
        0i64..60,
        0i64..60,
    )
        .prop_map(|(y, m, d, hh, mm, ss)| (y, m, d.min(days_in_month(y, m)), hh, mm, ss))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]

    /// 100 random date-times per run of the binary, against the independent calendar.
    #[test]
    fn at_agrees_with_independent_calendar(values in prop::collection::vec(civil(), 100)) {
        let mut args = vec!["at".to_string()];
        let mut expected = String::new();
        for (y, m, d, hh, mm, ss) in &values {
            args.push(format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z"));
            let epoch = days_from_civil(*y, *m, *d) * 86_400 + hh * 3_600 + mm * 60 + ss;
            expected.push_str(&format!("{epoch}\n"));
        }
        let out = stdout_of(TestEnv::new().cmd().args(&args));
        prop_assert_eq!(out, expected);
    }

    /// 100 random epochs per run of `when --json`, against the independent calendar.
    #[test]
    fn when_agrees_with_independent_calendar(values in prop::collection::vec(civil(), 100)) {
        let mut args = vec!["when".to_string(), "--utc".to_string(), "--json".to_string()];
        let mut expected = Vec::new();
        for (y, m, d, hh, mm, ss) in &values {
            let days = days_from_civil(*y, *m, *d);
            args.push((days * 86_400 + hh * 3_600 + mm * 60 + ss).to_string());
            let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
            expected.push((format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z"), weekday));
        }
        let out = stdout_of(TestEnv::new().cmd().args(&args));
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        let items = value.as_array().unwrap();
        prop_assert_eq!(items.len(), expected.len());
        for (item, (utc, weekday)) in items.iter().zip(&expected) {
            prop_assert_eq!(item["utc"].as_str(), Some(utc.as_str()));
            prop_assert_eq!(item["local"].as_str(), Some(utc.as_str()));
            prop_assert_eq!(item["weekday"].as_str(), Some(*weekday));
        }
    }
}

// ---------------------------------------------------------------------------
// Bad input: exit 2, one line on stderr, nothing on stdout, no panic

const ACCEPTED: &str = "(expected RFC 3339 such as 2009-02-13T23:31:30Z or \
     2009-02-13T23:31:30+02:00, YYYY-MM-DD, \"YYYY-MM-DD HH:MM[:SS]\" or @EPOCH)";

#[test]
fn bad_input_messages() {
    let env = TestEnv::new();
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["now", "%Y"],
            "unexpected argument \"%Y\": a format must start with '+', as for date \
             (e.g. epochwatch now +%Y-%m-%d)"
                .to_string(),
        ),
        (
            vec!["now", "+%Q"],
            // The message names the conversion (issue 11: GNU's language).
            "invalid conversion \"%Q\" in format \"+%Q\" (expected a conversion as for \
             GNU date, e.g. +%Y-%m-%dT%H:%M:%S%:z; use %% for a literal %)"
                .to_string(),
        ),
        (
            vec!["now", "--tz", "Mars/Olympus", "+%F"],
            "unknown time zone \"Mars/Olympus\" (expected an IANA name such as \
             Europe/Berlin, UTC or local)"
                .to_string(),
        ),
        (
            vec!["now", "--tz", "Nowhere"],
            "unknown time zone \"Nowhere\" (expected an IANA name such as \
             Europe/Berlin, UTC or local)"
                .to_string(),
        ),
        (
            vec!["when", "12x"],
            "invalid epoch \"12x\" (expected whole seconds, e.g. 1234567890 or -86400)".to_string(),
        ),
        (
            vec!["when", "1", "99999999999999999999"],
            "invalid epoch \"99999999999999999999\" (expected whole seconds, \
             e.g. 1234567890 or -86400)"
                .to_string(),
        ),
        (
            vec!["at", "2023-02-30"],
            format!(
                "invalid date-time \"2023-02-30\": 2023-02-30 is not a calendar date {ACCEPTED}"
            ),
        ),
        (
            vec!["at", "2023-01-01 25:00"],
            format!(
                "invalid date-time \"2023-01-01 25:00\": 25:00:00 is not a time of day {ACCEPTED}"
            ),
        ),
        (
            vec!["at", "2009-02-13", "garbage"],
            format!("invalid date-time \"garbage\" {ACCEPTED}"),
        ),
        (
            vec!["at", "@soon"],
            format!("invalid date-time \"@soon\": \"soon\" is not whole epoch seconds {ACCEPTED}"),
        ),
        (
            vec!["at", "2023-01-01T00:00+24:00"],
            format!(
                "invalid date-time \"2023-01-01T00:00+24:00\": the UTC offset must be \
                 under 24 hours {ACCEPTED}"
            ),
        ),
        (
            vec!["at", "--tz", "Nowhere", "2023-01-01"],
            "unknown time zone \"Nowhere\" (expected an IANA name such as \
             Europe/Berlin, UTC or local)"
                .to_string(),
        ),
    ];
    for (args, message) in cases {
        check(
            env.cmd(),
            &args,
            "",
            &format!("epochwatch: error: {message}\n"),
            2,
        );
    }
}

#[test]
fn bad_input_never_panics() {
    let env = TestEnv::new();
    let cases: &[&[&str]] = &[
        &["now", "+%"],
        &["now", "+abc%"],
        &["now", "+%E"],
        &["now", "+%3"],
        &["now", "+%-Q"],
        &["now", "+%.10f"],
        &["now", "--utc", "+%Q%Z"],
        &["when", ""],
        &["when", "-9223372036854775808"],
        &["when", "9223372036854775807"],
        &["when", "--json", "1e9"],
        &["when", "--tz", "", "1"],
        &["at", ""],
        &["at", "2023-02-29"],
        &["at", "2024-02-30T00:00:00Z"],
        &["at", "2023-01-01T12:60"],
        &["at", "2023-01-01T12:00:61Z"],
        &["at", "9999-99-99"],
        &["at", "2023-01-01T00:00:00+99:99"],
        &["at", "@"],
        &["at", "@99999999999999999999"],
        &["at", "٢٠٢٣-01-01"],
        &["at", "2023-01-01T00:00:00Zjunk"],
    ];
    for args in cases {
        let output = env.cmd().args(*args).output().unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(err.starts_with("epochwatch: error: "), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
    // Usage errors from clap: status 2, nothing on stdout.
    for args in [
        &["now", "--precision", "ps"][..],
        &["when"],
        &["at"],
        &["completions", "tcsh"],
    ] {
        let output = env.cmd().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    }
}

// ---------------------------------------------------------------------------
// completions and man

#[test]
fn completions_and_man() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = stdout_of(env.cmd().args(["completions", shell]));
        assert!(out.contains("epochwatch"), "{shell}");
    }
    let man = stdout_of(env.cmd().arg("man"));
    assert!(man.starts_with(".ie") || man.contains(".TH"), "{man}");
    assert!(man.contains(".TH epochwatch"), "{man}");
}
