//! `epochwatch next --ics`: the iCalendar export read back by a real parser
//! (Python's `icalendar`), imported by real calendar programs (`calcurse`,
//! `khal`) that must list each milestone at the right local time, a second
//! export that updates instead of duplicating, and the bytes themselves
//! (CRLF, folding at 75 octets on character boundaries, escaping). Also
//! `--until` and `-o FILE`.

use serde_json::Value;

use crate::harness::TestEnv;
use crate::harness::reference::{Calcurse, Khal, gnu_date, python};

const AFTER: &str = "1795568278";

/// A config whose labels need every kind of escaping and folding: commas,
/// semicolons, backslashes and non-ASCII, long enough to fold inside a
/// multi-byte character.
const TRICKY: &str = r#"
milestones = [
  "every:100000000",
  { at = 1850000000, label = "Ünïcödé; «1,85 milliard» \\ 半分 — tea, coffee; ☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕" },
  { at = 1811111111, label = "a,b;c\\d" },
  { rule = "hex", notify = false },
]
[alerts]
remind = ["1d", "1h", "10s"]
"#;

/// `next --json` and `next --ics` of the same arguments.
fn both(env: &TestEnv, args: &[&str]) -> (Vec<Value>, String) {
    let mut json_args = vec!["next", "--json"];
    json_args.extend_from_slice(args);
    let json: Value = env.json_of(&json_args);
    let mut ics_args = vec!["next", "--ics"];
    ics_args.extend_from_slice(args);
    (json.as_array().unwrap().clone(), env.stdout_of(&ics_args))
}

/// What Python's icalendar reads from the file on stdin: one JSON object per event.
const PARSE: &str = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
print(json.dumps({k: str(cal.get(k)) for k in ("VERSION", "PRODID", "CALSCALE")}))
for ev in cal.walk("VEVENT"):
    alarms = [{"action": str(a.get("ACTION")),
               "trigger": a.decoded("TRIGGER").total_seconds(),
               "description": str(a.get("DESCRIPTION"))} for a in ev.walk("VALARM")]
    print(json.dumps({
        "uid": str(ev.get("UID")),
        "start": int(ev.decoded("DTSTART").timestamp()),
        "utc": ev.decoded("DTSTART").tzname(),
        "duration": ev.decoded("DURATION").total_seconds(),
        "summary": str(ev.get("SUMMARY")),
        "description": str(ev.get("DESCRIPTION")),
        "stamp": ev.decoded("DTSTAMP").tzname(),
        "alarms": alarms,
    }, ensure_ascii=False))
"#;

#[test]
fn python_icalendar_reads_back_every_event() {
    let env = TestEnv::new();
    env.write_config(TRICKY);
    let (items, ics) = both(&env, &["--after", AFTER, "-n", "40"]);
    let Some(parsed) = python(&["icalendar"], PARSE, &[], &ics) else {
        return;
    };
    let mut lines = parsed.lines();
    let calendar: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(calendar["VERSION"], "2.0");
    assert_eq!(calendar["CALSCALE"], "GREGORIAN");
    assert!(calendar["PRODID"].as_str().unwrap().contains("epochwatch"));
    let events: Vec<Value> = lines.map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.len(), items.len());
    assert_eq!(items.len(), 40);
    let mut silent = 0;
    for (event, item) in events.iter().zip(&items) {
        let epoch = item["epoch"].as_i64().unwrap();
        let label = item["label"].as_str().unwrap();
        assert_eq!(event["uid"], format!("unix-time-{epoch}@epochwatch"));
        assert_eq!(event["start"], epoch);
        assert_eq!(event["utc"], "UTC");
        assert_eq!(event["stamp"], "UTC");
        assert_eq!(event["duration"], 1.0);
        let summary = event["summary"].as_str().unwrap();
        assert!(summary.starts_with("Unix time "), "{summary}");
        assert!(
            summary.ends_with(&format!("({label})")),
            "{summary} / {label}"
        );
        let description = event["description"].as_str().unwrap();
        assert_eq!(description.lines().next(), Some(label));
        assert!(
            description
                .lines()
                .any(|l| l == format!("See it with: date -d @{epoch}")),
            "{description}"
        );
        let triggers: Vec<f64> = event["alarms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                assert_eq!(a["action"], "DISPLAY");
                a["trigger"].as_f64().unwrap()
            })
            .collect();
        if item["notify"].as_bool().unwrap() {
            assert_eq!(triggers, [0.0, -86_400.0, -3_600.0, -10.0], "{event}");
        } else {
            assert!(triggers.is_empty(), "a silent milestone has no alarm");
            silent += 1;
        }
    }
    assert!(silent > 0, "the hexadecimal ones are there, without alarms");
}

/// The physical lines of an export: CRLF-terminated, none over 75 octets,
/// each valid UTF-8 on its own (so no fold split a character).
fn physical_lines(ics: &[u8]) -> Vec<String> {
    let body = ics.strip_suffix(b"\n").expect("ends with a line end");
    body.split(|&b| b == b'\n')
        .map(|line| {
            let line = line.strip_suffix(b"\r").expect("every LF follows a CR");
            assert!(!line.contains(&b'\r'), "bare CR");
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
            String::from_utf8(line.to_vec()).expect("a fold inside a UTF-8 character")
        })
        .collect()
}

/// 1800000000 as "1,800,000,000".
fn grouped(epoch: i64) -> String {
    epoch
        .to_string()
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(",")
}

/// Undo RFC 5545 folding (a CRLF and one space) and TEXT escaping, written
/// here from the RFC, not taken from either side.
fn unfold(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        match line.strip_prefix(' ') {
            Some(rest) => out.last_mut().unwrap().push_str(rest),
            None => out.push(line.clone()),
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

#[test]
fn bytes_are_crlf_folded_and_escaped() {
    let env = TestEnv::new();
    env.write_config(TRICKY);
    let (items, ics) = both(&env, &["--after", AFTER, "-n", "12"]);
    let lines = physical_lines(ics.as_bytes());
    assert!(lines.iter().any(|l| l.starts_with(' ')), "some lines fold");
    let logical = unfold(&lines);
    for item in &items {
        let epoch = item["epoch"].as_i64().unwrap();
        let label = item["label"].as_str().unwrap();
        let grouped = grouped(epoch);
        let summary = format!(
            "SUMMARY:{}",
            escape(&format!("Unix time {grouped} ({label})"))
        );
        assert!(logical.contains(&summary), "{summary} not in\n{ics}");
        let rule = item["rule"].as_str().unwrap();
        let when = gnu_date("UTC", epoch, "%a %F %T UTC");
        let description = format!(
            "DESCRIPTION:{}",
            escape(&format!(
                "{label}\nUnix time {epoch} is {when}.\nSee it with: date -d @{epoch}\nRule: {rule}"
            ))
        );
        assert!(
            logical.contains(&description),
            "{description} not in\n{ics}"
        );
        let start = format!("DTSTART:{}", gnu_date("UTC", epoch, "%Y%m%dT%H%M%SZ"));
        assert!(logical.contains(&start), "{start}");
    }
    let tricky = logical
        .iter()
        .find(|l| l.starts_with("SUMMARY:Unix time 1\\,850"))
        .unwrap();
    assert!(
        tricky.contains("Ünïcödé\\; «1\\,85 milliard» \\\\ 半分"),
        "{tricky}"
    );
    // The same file twice: only DTSTAMP differs.
    let again = env.stdout_of(&["next", "--ics", "--after", AFTER, "-n", "12"]);
    let strip = |text: &str| {
        unfold(&physical_lines(text.as_bytes()))
            .into_iter()
            .filter(|l| !l.starts_with("DTSTAMP:"))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&ics), strip(&again));
}

#[test]
fn calcurse_lists_each_milestone_at_its_local_time() {
    let tz = "America/New_York";
    let env = TestEnv::new().tz(tz);
    env.write_config(TRICKY);
    let Some(calcurse) = Calcurse::new(env.path(), tz) else {
        return;
    };
    let file = env.path().join("milestones.ics");
    let path = file.display().to_string();
    let args = ["next", "--ics", "--after", AFTER, "-n", "25", "-o", &path];
    assert_eq!(env.stdout_of(&args), "");
    let report = calcurse.import(&file);
    assert!(report.contains("25 apps"), "{report}");
    let items: Value = env.json_of(&["next", "--json", "--after", AFTER, "-n", "25"]);
    let listed = calcurse.appointments("11/25/2026", 40000);
    assert_eq!(listed.len(), 25, "{listed:#?}");
    let apts = calcurse.apts();
    for (line, item) in listed.iter().zip(items.as_array().unwrap()) {
        let epoch = item["epoch"].as_i64().unwrap();
        // calcurse keeps minutes: the local minute GNU date gives.
        let local = gnu_date(tz, epoch, "%Y-%m-%d %H:%M");
        let parts: Vec<&str> = line.split('|').collect();
        assert_eq!(parts[0], local, "{line} for {epoch}");
        assert!(
            parts[2].starts_with(&format!("Unix time {} ", grouped(epoch))),
            "{line}"
        );
        // The alarm flag `!` exactly on the notified ones.
        let stored = apts
            .lines()
            .find(|l| l.contains(parts[2]))
            .unwrap_or_else(|| panic!("{line} not in apts:\n{apts}"));
        let notify = item["notify"].as_bool().unwrap();
        assert_eq!(stored.contains(" !"), notify, "{stored}");
    }
    // A second export, imported again: calcurse keeps no UIDs, so it adds
    // the items again, but as the very same items (same hashes).
    env.stdout_of(&args);
    calcurse.import(&file);
    let twice = calcurse.appointments("11/25/2026", 40000);
    assert_eq!(twice.len(), 50);
    for line in &listed {
        assert_eq!(twice.iter().filter(|l| *l == line).count(), 2, "{line}");
    }
}

#[test]
fn khal_updates_instead_of_duplicating() {
    let tz = "Asia/Kolkata";
    let env = TestEnv::new().tz(tz);
    let Some(khal) = Khal::new(env.path(), tz) else {
        return;
    };
    let file = env.path().join("m.ics");
    let path = file.display().to_string();
    env.stdout_of(&["next", "--ics", "--after", AFTER, "-n", "5", "-o", &path]);
    khal.import(&file);
    assert_eq!(khal.stored(), 5);
    // Later: one more milestone, and a label of the user's own on 1800000000.
    env.stdout_of(&[
        "next",
        "--ics",
        "--after",
        AFTER,
        "-n",
        "6",
        "-o",
        &path,
        "-m",
        "1800000000=Party",
    ]);
    khal.import(&file);
    assert_eq!(khal.stored(), 6, "updated in place, one more added");
    let events = khal.events("2026-11-25", 7000);
    let items: Value = env.json_of(&[
        "next",
        "--json",
        "--after",
        AFTER,
        "-n",
        "6",
        "-m",
        "1800000000=Party",
    ]);
    assert_eq!(events.len(), 6, "{events:#?}");
    for (event, item) in events.iter().zip(items.as_array().unwrap()) {
        let epoch = item["epoch"].as_i64().unwrap();
        let parts: Vec<&str> = event.split('|').collect();
        assert_eq!(
            parts[0],
            gnu_date(tz, epoch, "%Y-%m-%d %H:%M:%S"),
            "{event}"
        );
        assert_eq!(parts[1], gnu_date(tz, epoch + 1, "%Y-%m-%d %H:%M:%S"));
        assert_eq!(parts[3], format!("unix-time-{epoch}@epochwatch"));
    }
    assert!(
        events[0].contains("Unix time 1,800,000,000 (Party)"),
        "{events:#?}"
    );
}

#[test]
fn until_counts_and_output_files() {
    let env = TestEnv::new();
    let list = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["next", "--json", "--after", AFTER];
        all.extend_from_slice(args);
        let v: Value = env.json_of(&all);
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["epoch"].as_i64().unwrap())
            .collect()
    };
    // --until is included, and lifts the default count of 10.
    assert_eq!(
        list(&["--until", "2000000000"]),
        [1_800_000_000, 1_900_000_000, 2_000_000_000]
    );
    assert_eq!(list(&["--until", "2036-02-07T06:28:15Z"]).len(), 3);
    assert_eq!(list(&["--until", "2100-01-01", "-n", "4"]).len(), 4);
    let many = list(&[
        "--until",
        "2200-01-01",
        "--no-defaults",
        "-m",
        "every:1000000",
    ]);
    assert!(many.len() > 10 && many.last() < Some(&7_258_118_400));
    assert_eq!(list(&["--until", "1700000000"]), Vec::<i64>::new());

    // -o FILE replaces the file whole; "-" is stdout.
    let file = env.write_file("out.json", "old contents");
    let path = file.display().to_string();
    assert_eq!(
        env.stdout_of(&["next", "--json", "--after", AFTER, "-n", "2", "-o", &path]),
        ""
    );
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        written,
        env.stdout_of(&["next", "--json", "--after", AFTER, "-n", "2", "-o", "-"])
    );
    let table = env.path().join("table.txt");
    env.stdout_of(&[
        "next",
        "--after",
        AFTER,
        "-n",
        "1",
        "-o",
        &table.display().to_string(),
    ]);
    assert!(
        std::fs::read_to_string(&table)
            .unwrap()
            .starts_with("     EPOCH  LABEL")
    );
    let leftovers: Vec<_> = std::fs::read_dir(env.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
    let out = env.run(&["next", "--ics", "-o", "/nonexistent/dir/m.ics"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("epochwatch: error: cannot write /nonexistent/dir/m.ics: ")
    );

    // Bad flags: one line, status 2.
    assert!(
        env.bad_input(&["next", "--until", "someday"])
            .contains("--until \"someday\"")
    );
    env.bad_input(&["next", "--ics", "--json"]);
    env.bad_input(&["next", "--remind", "1h"]);
    assert!(
        env.bad_input(&["next", "--ics", "--remind", "1x"])
            .contains("--remind")
    );
}

#[test]
fn the_export_ends_at_year_9999() {
    let env = TestEnv::new();
    let out = env.run(&[
        "next",
        "--ics",
        "--after",
        "253402300000",
        "--no-defaults",
        "-m",
        "every:100",
        "-n",
        "20",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.matches("BEGIN:VEVENT").count(), 7);
    assert!(out.stdout.contains("DTSTART:99991231T235820Z"));
    assert!(out.stdout.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(
        out.stderr,
        "epochwatch: note: iCalendar cannot write instants after 9999-12-31T23:59:59Z; \
         the export ends there\n"
    );
    let empty = env.stdout_of(&["next", "--ics", "-n", "0"]);
    assert!(empty.ends_with("X-WR-CALNAME:Unix time milestones\r\nEND:VCALENDAR\r\n"));
}
