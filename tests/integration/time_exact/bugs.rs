//! One test per bug of issue 11, each named after what it guards, through
//! the real binary and against GNU `date` at run time (no value copied
//! from it).

use serde_json::Value;

use crate::harness::reference::{gnu_date, gnu_date_lines, require_gnu_date_and_zoneinfo};
use crate::harness::tzdata::{SystemZone, system_zones};
use crate::harness::{Faketime, TestEnv};

/// What `TZ=tz date -d 'wall' +%s` says.
fn date_of_wall(tz: &str, wall: &str) -> String {
    gnu_date_lines(Some(tz), &[], &[wall.to_string()], "%s").remove(0)
}

/// `epochwatch ARGS` with `TZ=tz` (the harness's UTC when `None`), its stdout.
fn ours(tz: Option<&str>, extra: &[(String, String)], args: &[&str]) -> String {
    let env = match tz {
        Some(tz) => TestEnv::new().tz(tz),
        None => TestEnv::new(),
    };
    let mut cmd = env.cmd();
    cmd.envs(extra.iter().cloned()).args(args);
    crate::harness::run(&mut cmd).succeeded_quietly()
}

fn when_json(tz: Option<&str>, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["when", "--json"];
    all.extend(args);
    let text = ours(tz, &[], &all);
    serde_json::from_str::<Value>(&text)
        .expect("JSON")
        .as_array()
        .expect("an array")
        .clone()
}

/// `epochwatch now ARGS +FORMAT` frozen at `epoch` (TZ=UTC, so any instant).
fn now_at(epoch: i64, args: &[&str]) -> Option<String> {
    let faketime = Faketime::require(&[])?;
    let out = ours(None, &faketime.frozen_at_instant(epoch, 0), args);
    Some(out.trim_end_matches('\n').to_string())
}

fn zone(name: &str) -> SystemZone {
    system_zones()
        .into_iter()
        .find(|z| z.name == name)
        .unwrap_or_else(|| panic!("{name} is not in the system database"))
}

/// Bug 1: with `--tz`, daylight saving went on only to 2099.
#[test]
fn dst_goes_on_after_2099_with_tz() {
    if !require_gnu_date_and_zoneinfo() {
        return;
    }
    // Mid-July and mid-January of 2100, 2106 (past u32 time) and 2400.
    let instants = [
        4_118_126_400i64,
        4_294_967_295,
        4_102_444_800 + 15 * 86_400,
        13_569_465_600,
    ];
    for name in [
        "America/New_York",
        "Europe/Berlin",
        "Australia/Sydney",
        "America/Santiago",
    ] {
        let args: Vec<String> = ["--tz".to_string(), name.to_string()]
            .into_iter()
            .chain(instants.iter().map(i64::to_string))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        for (item, &epoch) in when_json(None, &args).iter().zip(&instants) {
            assert_eq!(
                item["local"],
                gnu_date(name, epoch, "%FT%T%:z"),
                "{name} @{epoch}"
            );
            assert_eq!(
                item["abbreviation"],
                gnu_date(name, epoch, "%Z"),
                "{name} @{epoch}"
            );
        }
        let wall = "2100-07-01 08:00:00";
        assert_eq!(
            ours(None, &[], &["at", "--tz", name, wall]).trim(),
            date_of_wall(name, wall),
            "{name}"
        );
        if let Some(now) = now_at(4_294_967_295, &["now", "--tz", name, "+%F %T %Z %z"]) {
            assert_eq!(now, gnu_date(name, 4_294_967_295, "%F %T %Z %z"), "{name}");
        }
        let next = ours(
            None,
            &[],
            &[
                "next",
                "--tz",
                name,
                "--no-defaults",
                "-m",
                "4118126400",
                "--after",
                "0",
                "--json",
            ],
        );
        let next: Value = serde_json::from_str(&next).expect("JSON");
        assert_eq!(
            next[0]["local"],
            gnu_date(name, 4_118_126_400, "%FT%T%:z"),
            "{name}"
        );
    }
}

/// Bug 2: with `TZ=`, the first second after a fall-back overlap was read
/// an hour early; it must be what `--tz` and GNU say, in every zone with DST.
#[test]
fn first_second_after_an_overlap_is_the_same_with_tz_env_and_flag() {
    if !require_gnu_date_and_zoneinfo() {
        return;
    }
    for name in [
        "America/New_York",
        "Europe/Berlin",
        "Australia/Lord_Howe",
        "Europe/Dublin",
    ] {
        let tzif = zone(name).tzif;
        let overlaps: Vec<_> = tzif
            .transitions(&[])
            .into_iter()
            .filter(|t| t.after < t.before && (1_577_836_800..2_000_000_000).contains(&t.at))
            .collect();
        assert!(!overlaps.is_empty(), "{name} has no overlap in 2020-2033");
        for t in overlaps {
            // The first wall time after the repeated span.
            let wall = super::wall_text(t.at + i64::from(t.before));
            let by_env = ours(Some(name), &[], &["at", &wall]);
            let by_flag = ours(None, &[], &["at", "--tz", name, &wall]);
            assert_eq!(by_env, by_flag, "{name} {wall}");
            assert_eq!(by_env.trim(), date_of_wall(name, &wall), "{name} {wall}");
        }
    }
}

/// Bug 3: abbreviations were lost (null, or numeric offsets in their place).
#[test]
fn abbreviations_are_the_databases() {
    if !require_gnu_date_and_zoneinfo() {
        return;
    }
    // Far future with TZ=, numeric abbreviations, POSIX strings.
    let cases: &[(&str, i64)] = &[
        ("America/New_York", 9_000_000_000),
        ("Asia/Kathmandu", 1_700_000_000),
        ("Australia/Lord_Howe", 1_700_000_000),
        ("America/Sao_Paulo", 1_700_000_000),
        ("EST5EDT,M3.2.0,M11.1.0", 1_720_000_000),
        ("JST-9", 1_700_000_000),
        ("<+0545>-5:45", 1_700_000_000),
    ];
    for &(tz, epoch) in cases {
        let expected = gnu_date(tz, epoch, "%Z");
        let by_env = when_json(Some(tz), &[&epoch.to_string()]);
        assert_eq!(by_env[0]["abbreviation"], expected, "TZ={tz}");
        let by_flag = when_json(None, &["--tz", tz, &epoch.to_string()]);
        assert_eq!(by_flag[0]["abbreviation"], expected, "--tz {tz}");
        if let Some(now) = now_at(epoch, &["now", "--tz", tz, "+%Z"]) {
            assert_eq!(now, expected, "now --tz {tz}");
        }
    }
}

/// Bug 4: offsets with seconds were rounded, and the JSON contradicted itself.
#[test]
fn offsets_keep_their_seconds_and_the_json_agrees_with_itself() {
    if !require_gnu_date_and_zoneinfo() {
        return;
    }
    for (tz, epoch) in [
        ("America/St_Johns", -2_500_000_000i64),
        ("America/New_York", -3_000_000_000),
        ("Europe/Amsterdam", -1_300_000_000),
        ("Africa/Monrovia", -1_000_000_000),
    ] {
        let item = &when_json(None, &["--tz", tz, &epoch.to_string()])[0];
        assert_eq!(item["offset"], gnu_date(tz, epoch, "%::z"), "{tz}");
        assert_eq!(item["local"], gnu_date(tz, epoch, "%FT%T%::z"), "{tz}");
        super::when::json_consistent(item).unwrap_or_else(|why| panic!("{tz}: {why}"));
        // %z and %:z truncate as GNU's do.
        if let Some(now) = now_at(epoch, &["now", "--tz", tz, "+%z %:z %::z %:::z"]) {
            assert_eq!(now, gnu_date(tz, epoch, "%z %:z %::z %:::z"), "{tz}");
        }
        let local = item["local"].as_str().expect("local");
        let back = ours(None, &[], &["at", local]);
        assert_eq!(back.trim(), epoch.to_string(), "at {local}");
    }
}

/// Bug 5: local year 10000 (9999-12-31T23:59:59Z east of UTC) printed `:0`
/// as its century.
#[test]
fn local_year_10000_has_century_100() {
    if !require_gnu_date_and_zoneinfo() {
        return;
    }
    let epoch = 253_402_300_799;
    for tz in ["Europe/Berlin", "Asia/Tokyo", "Pacific/Kiritimati"] {
        let format = "%C %Y %F %G %g %y %c";
        if let Some(now) = now_at(epoch, &["now", "--tz", tz, &format!("+{format}")]) {
            assert_eq!(now, gnu_date(tz, epoch, format), "{tz}");
        }
        let item = &when_json(None, &["--tz", tz, &epoch.to_string()])[0];
        assert_eq!(item["local"], gnu_date(tz, epoch, "%FT%T%:z"), "{tz}");
    }
}

/// Bug 6: GNU's flags were refused, `%:::z` and `%+` differed. `%+` is an
/// incomplete conversion that GNU prints back: epochwatch refuses it.
#[test]
fn gnu_flags_print_as_gnu_prints_them() {
    if !require_gnu_date_and_zoneinfo() {
        return;
    }
    let format = "%^a %^b %#Z %_5m %010s %-N %Ey %Od %:::z";
    for tz in ["Asia/Kathmandu", "America/St_Johns", "Europe/Berlin", "UTC"] {
        if let Some(now) = now_at(1_700_000_000, &["now", "--tz", tz, &format!("+{format}")]) {
            assert_eq!(now, gnu_date(tz, 1_700_000_000, format), "{tz}");
        }
    }
    assert_eq!(gnu_date("UTC0", 0, "%+"), "%+", "GNU prints %+ back");
    let line = TestEnv::new().bad_input(&["now", "+%+"]);
    assert!(line.contains("incomplete conversion \"%+\""), "{line}");
}

/// Bug 7: the README said the earlier instant of an overlap is what GNU
/// date picks. It names zones where GNU picks the later one and one where
/// it picks the earlier: both claims are checked here, and that epochwatch
/// picks the earlier one in all of them.
#[test]
fn readme_says_truly_which_instant_gnu_picks_in_an_overlap() {
    if !require_gnu_date_and_zoneinfo() {
        return;
    }
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let later = [
        "Europe/Berlin",
        "Europe/Dublin",
        "Pacific/Chatham",
        "Australia/Lord_Howe",
        "Africa/Casablanca",
        "Asia/Tehran",
    ];
    for (name, gnu_picks_later) in later
        .iter()
        .map(|n| (*n, true))
        .chain([("America/New_York", false)])
    {
        assert!(readme.contains(name), "README.md does not name {name}");
        let tzif = zone(name).tzif;
        // The middle of the latest overlap before 2030.
        let t = tzif
            .transitions(&[])
            .into_iter()
            .rev()
            .find(|t| t.after < t.before && t.at < 1_893_456_000)
            .unwrap_or_else(|| panic!("{name} has no overlap"));
        let back = i64::from(t.before - t.after);
        let wall = super::wall_text(t.at + i64::from(t.after) + back / 2);
        let (earlier, later) = (t.at - back / 2 - back % 2, t.at + back / 2);
        let gnu: i64 = date_of_wall(name, &wall).parse().expect("an epoch");
        let expected = if gnu_picks_later { later } else { earlier };
        assert_eq!(
            gnu, expected,
            "GNU date in {name} at {wall} (earlier {earlier}, later {later})"
        );
        let ours = ours(None, &[], &["at", "--tz", name, &wall]);
        assert_eq!(
            ours.trim(),
            earlier.to_string(),
            "epochwatch in {name} at {wall}"
        );
    }
}
