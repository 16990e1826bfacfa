//! The moment around the world: `when --world`, `next --world` and
//! `--share`. Every row is checked against Python's `zoneinfo` (Debian's
//! python3, on the same system tz database) for many seeded instants; the
//! table of 1800000000 is pinned by a snapshot; the `[world]` config table.

use serde_json::{Value, json};

use crate::harness::TestEnv;
use crate::harness::reference::python;

/// Zones beyond the defaults that stress the rules: half and quarter hours,
/// a 30-minute DST, negative DST, the date line, and UTC itself.
const EXTRA_ZONES: &[&str] = &[
    "America/St_Johns",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Europe/Dublin",
    "Africa/Casablanca",
    "America/Santiago",
    "Antarctica/Troll",
    "Pacific/Apia",
    "UTC",
];

/// A small deterministic generator (SplitMix64): seeded, not copied.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Instants from 1901 to 2199: anywhere, on whole hours (where transitions
/// and the marks are), and a second either side of those.
fn instants(seed: u64, count: usize) -> Vec<i64> {
    let mut rng = SplitMix(seed);
    let (low, high) = (-2_177_452_800i64, 7_258_118_399i64);
    (0..count)
        .map(|i| {
            let t = low + (rng.next() % (high - low) as u64) as i64;
            match i % 4 {
                0 => t,
                1 => t - t.rem_euclid(3_600),
                2 => t - t.rem_euclid(1_800) + 1,
                _ => t - t.rem_euclid(86_400) - 1,
            }
        })
        .collect()
}

/// The rows Python's zoneinfo gives, in the same JSON shape.
const ZONEINFO: &str = r#"
import json, sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
data = json.load(sys.stdin)
out = []
for e in data["epochs"]:
    utc = datetime.fromtimestamp(e, timezone.utc)
    rows = []
    for zone, name in data["cities"]:
        d = utc.astimezone(ZoneInfo(zone))
        off = d.utcoffset()
        local = d.isoformat()
        # GNU date (and so epochwatch) writes a zero offset as -00:00 where
        # the zone is abbreviated "-00" (no local time).
        if off.total_seconds() == 0 and d.tzname().startswith("-"):
            local = local[:-6] + "-00:00"
        rows.append({
            "city": name, "zone": zone, "local": local,
            "weekday": d.strftime("%a"), "date": d.strftime("%Y-%m-%d"),
            "time": d.strftime("%H:%M:%S"), "offset_seconds": int(off.total_seconds()),
            "abbreviation": d.tzname(), "day": (d.date() - utc.date()).days,
            "midnight": (d.hour, d.minute, d.second) == (0, 0, 0),
            "on_the_hour": (d.minute, d.second) == (0, 0),
        })
    rows.sort(key=lambda r: r["offset_seconds"])
    out.append(rows)
print(json.dumps(out))
"#;

/// The default cities (from `config show`, which lists them) and the extras.
fn all_cities(env: &TestEnv) -> Vec<(String, String)> {
    let shown = env.stdout_of(&["config", "show"]);
    let mut cities: Vec<(String, String)> = shown
        .lines()
        .skip_while(|l| !l.starts_with("cities = ["))
        .skip(1)
        .take_while(|l| *l != "]")
        .map(|l| {
            let v: toml::Value =
                toml::from_str(&format!("x = {}", l.trim().trim_end_matches(','))).unwrap();
            let t = &v["x"];
            (
                t["zone"].as_str().unwrap().to_string(),
                t["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(cities.len(), 20, "{shown}");
    cities.extend(EXTRA_ZONES.iter().map(|z| {
        (
            z.to_string(),
            z.rsplit('/').next().unwrap().replace('_', " "),
        )
    }));
    cities
}

#[test]
fn every_row_matches_zoneinfo() {
    let env = TestEnv::new();
    let cities = all_cities(&env);
    let list: Vec<Value> = cities
        .iter()
        .map(|(zone, name)| json!({ "zone": zone, "name": name }))
        .collect();
    let inline: Vec<String> = list
        .iter()
        .map(|c| format!("{{ zone = {}, name = {} }}", c["zone"], c["name"]))
        .collect();
    env.write_config(&format!("[world]\ncities = [{}]\n", inline.join(", ")));
    let mut epochs = instants(20_261_125, 400);
    epochs.extend([
        1_800_000_000,
        1_234_567_890,
        0,
        -1,
        2_147_483_647,
        4_294_967_295,
    ]);
    let mut args = vec!["when".to_string(), "--world".into(), "--json".into()];
    args.extend(epochs.iter().map(|e| e.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let ours: Value = env.json_of(&args);
    let input = json!({ "epochs": epochs, "cities": cities }).to_string();
    let Some(theirs) = python(&["zoneinfo"], ZONEINFO, &[], &input) else {
        return;
    };
    let theirs: Value = serde_json::from_str(&theirs).unwrap();
    let mut rows = 0;
    for (i, epoch) in epochs.iter().enumerate() {
        let ours = &ours[i]["world"];
        let theirs = &theirs[i];
        assert_eq!(ours.as_array().unwrap().len(), cities.len());
        for (a, b) in ours
            .as_array()
            .unwrap()
            .iter()
            .zip(theirs.as_array().unwrap())
        {
            for key in [
                "city",
                "zone",
                "local",
                "weekday",
                "date",
                "time",
                "offset_seconds",
                "abbreviation",
                "day",
                "midnight",
                "on_the_hour",
            ] {
                assert_eq!(a[key], b[key], "{key} at {epoch}: ours {a}, zoneinfo {b}");
            }
            rows += 1;
        }
    }
    assert_eq!(rows, epochs.len() * cities.len());
}

#[test]
fn the_table_of_1800000000() {
    let env = TestEnv::new();
    let out = env.stdout_of(&["when", "1800000000", "--world"]);
    // The relative line depends on today; the table below it does not.
    let table: String = out.split("\n\n").nth(1).unwrap().to_string();
    insta::assert_snapshot!("world_table_1800000000", table);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 21);
    let la = lines.iter().find(|l| l.contains("Los Angeles")).unwrap();
    assert!(la.contains("Fri 2027-01-15 00:00:00  midnight"), "{la}");
    let honolulu = lines.iter().find(|l| l.contains("Honolulu")).unwrap();
    assert!(
        honolulu.contains("Thu 2027-01-14 22:00:00  -1 day"),
        "{honolulu}"
    );
}

#[test]
fn share_is_one_line() {
    let env = TestEnv::new();
    assert_eq!(
        env.stdout_of(&["when", "1800000000", "--share"]),
        "Unix time 1,800,000,000: Fri 2027-01-15 08:00:00 UTC, 00:00 Los Angeles, \
         17:00 Tokyo; `date -d @1800000000`\n"
    );
    let berlin = TestEnv::new().tz("Europe/Berlin");
    assert_eq!(
        berlin.stdout_of(&["when", "1234567890", "--share"]),
        "Unix time 1,234,567,890: Fri 2009-02-13 23:31:30 UTC, Sat 00:31:30 Berlin, \
         15:31:30 Los Angeles, Sat 08:31:30 Tokyo; `date -d @1234567890`\n"
    );
    // --tz names the zone of the line; one already among the cities is not repeated.
    let tokyo = env.stdout_of(&["when", "1800000000", "--share", "--tz", "Asia/Tokyo"]);
    assert_eq!(tokyo.matches("Tokyo").count(), 1, "{tokyo}");
    let lines = env.stdout_of(&["next", "--share", "--after", "1795568278", "-n", "3"]);
    assert_eq!(lines.lines().count(), 3);
    assert!(
        lines
            .lines()
            .all(|l| l.starts_with("Unix time ") && l.ends_with('`'))
    );
    env.write_config("[world]\nshare = [\"Asia/Kolkata\", { zone = \"Europe/Paris\", name = \"Paris, France\" }]\n");
    assert_eq!(
        env.stdout_of(&["when", "1800000000", "--share"]),
        "Unix time 1,800,000,000: Fri 2027-01-15 08:00:00 UTC, 13:30 Kolkata, \
         09:00 Paris, France; `date -d @1800000000`\n"
    );
    env.bad_input(&["when", "1", "--share", "--json"]);
}

#[test]
fn next_world_blocks_and_json() {
    let env = TestEnv::new();
    env.write_config(
        "[world]\ncities = [\"Asia/Tokyo\", { zone = \"America/Los_Angeles\", name = \"LA\" }]\n",
    );
    let text = env.stdout_of(&["next", "--world", "--after", "1795568278", "-n", "2"]);
    assert_eq!(
        text,
        "1800000000  1.8 billion  Fri 2027-01-15 08:00:00 UTC  in 51 d 07:02:02\n\
         \x20 OFFSET  ABBR  CITY   LOCAL TIME               NOTE\n\
         \x20 -08:00  PST   LA     Fri 2027-01-15 00:00:00  midnight\n\
         \x20 +09:00  JST   Tokyo  Fri 2027-01-15 17:00:00  on the hour\n\
         \n\
         1900000000  1.9 billion  Sun 2030-03-17 17:46:40 UTC  in 1208 d 16:48:42\n\
         \x20 OFFSET  ABBR  CITY   LOCAL TIME               NOTE\n\
         \x20 -07:00  PDT   LA     Sun 2030-03-17 10:46:40\n\
         \x20 +09:00  JST   Tokyo  Mon 2030-03-18 02:46:40  +1 day\n"
    );
    let items: Value = env.json_of(&[
        "next",
        "--world",
        "--json",
        "--after",
        "1795568278",
        "-n",
        "1",
    ]);
    let world = &items[0]["world"];
    assert_eq!(world[0]["city"], "LA");
    assert_eq!(world[0]["local"], "2027-01-15T00:00:00-08:00");
    assert_eq!(world[0]["midnight"], true);
    assert_eq!(world[1]["day"], 0);
    // Without --world, no world key.
    let plain: Value = env.json_of(&["next", "--json", "--after", "1795568278", "-n", "1"]);
    assert!(plain[0].get("world").is_none());
}

#[test]
fn a_bad_city_is_one_line_with_its_place() {
    let env = TestEnv::new();
    let path = env.write_config(
        "[world]\ncities = [\n  \"Asia/Tokyo\",\n  { zone = \"Asia/Atlantis\" },\n]\n",
    );
    let err = env.bad_input(&["when", "1800000000", "--world"]);
    assert_eq!(
        err,
        format!(
            "epochwatch: error: config file {}:4:12: world.cities: unknown time zone \
             \"Asia/Atlantis\" (expected an IANA name such as Europe/Berlin, UTC or local)",
            path.display()
        )
    );
    // Commands that do not show the world still read the file, and say so.
    assert_eq!(env.bad_input(&["next", "-n", "1"]), err);
    // `config show` writes the lists so that they load back.
    env.write_config(
        "[world]\ncities = [\"Asia/Tokyo\", { zone = \"Asia/Kolkata\", name = \"Mumbai\" }]\n",
    );
    let shown = env.stdout_of(&["config", "show"]);
    assert!(shown.contains("cities = [  # file\n  { zone = \"Asia/Tokyo\", name = \"Tokyo\" },\n  { zone = \"Asia/Kolkata\", name = \"Mumbai\" },\n]"), "{shown}");
    env.write_config(&shown);
    let again = env.stdout_of(&["config", "show"]);
    assert!(
        again.contains("share = [  # file\n  { zone = \"America/Los_Angeles\""),
        "{again}"
    );
    assert_eq!(
        again.split("[world]").nth(1),
        shown
            .split("[world]")
            .nth(1)
            .map(|w| w.replace("# default", "# file"))
            .as_deref()
    );
}
