//! `epochwatch next` and `epochwatch config path|init|show`, end to end, and
//! the configuration file: precedence, errors, the starter file, big files.
use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::harness::{Background, TestEnv, now_secs};

fn json_of(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let stdout = env.stdout_of(args);
    match serde_json::from_str(&stdout) {
        Ok(Value::Array(items)) => items,
        other => panic!("not a JSON array: {other:?}\n{stdout}"),
    }
}

fn epochs(items: &[Value]) -> Vec<i64> {
    items.iter().map(|i| i["epoch"].as_i64().unwrap()).collect()
}

const AFTER: &str = "1795568278";

// ---------------------------------------------------------------------------
// next: tables

#[test]
fn next_table_utc() {
    let env = TestEnv::new();
    let stdout = env.stdout_of(&["next", "--after", AFTER, "-n", "12"]);
    insta::assert_snapshot!("next_table_utc", stdout);
}

#[test]
fn next_table_berlin() {
    let env = TestEnv::new().tz("Europe/Berlin");
    let stdout = env.stdout_of(&["next", "--after", AFTER, "-n", "12"]);
    insta::assert_snapshot!("next_table_berlin", stdout);
}

#[test]
fn next_table_palindromes_in_tokyo() {
    let env = TestEnv::new().tz("Europe/Berlin");
    let stdout = env.stdout_of(&[
        "next",
        "--after",
        AFTER,
        "--no-defaults",
        "-m",
        "palindrome",
        "-n",
        "5",
        "--tz",
        "Asia/Tokyo",
    ]);
    insta::assert_snapshot!("next_table_palindromes_tokyo", stdout);
}

#[test]
fn next_table_exact() {
    let env = TestEnv::new();
    let stdout = env.stdout_of(&[
        "next",
        "--no-defaults",
        "-m",
        "2000000000=Two billion",
        "-m",
        "-86400",
        "--after",
        "-100000",
    ]);
    let want = [
        "     EPOCH  LABEL        LOCAL (UTC)                     UTC                                 IN",
        "    -86400  -86,400      Wed 1969-12-31 00:00:00 +00:00  1969-12-31T00:00:00Z          03:46:40",
        "2000000000  Two billion  Wed 2033-05-18 03:33:20 +00:00  2033-05-18T03:33:20Z  23149 d 07:20:00",
    ];
    assert_eq!(stdout, want.map(|l| format!("{l}\n")).concat());
}

/// A table longer than what `next` holds in memory (it measures in a first
/// pass and prints in a second) is aligned as one: its last rows, years past
/// 9999, widen every column from the first row on. Checked against the same
/// milestones as JSON (streamed, no widths), row by row.
#[test]
fn a_long_table_is_aligned_as_one() {
    let env = TestEnv::new();
    let args = ["next", "-n", "3000", "--after", "0"];
    let table = env.stdout_of(&args);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3001);
    let width = lines[0].chars().count();
    let utc = lines[0].find("  UTC").expect("a UTC column") + 2;
    for line in &lines[1..] {
        assert_eq!(line.chars().count(), width, "not aligned: {line:?}");
    }
    let json = json_of(&env, &[&args[..], &["--json"]].concat());
    for (line, item) in lines[1..].iter().zip(&json) {
        let utc_text = item["utc"].as_str().unwrap_or("-");
        assert_eq!(&line[utc..utc + utc_text.len()], utc_text, "{line:?}");
        assert!(line.trim_start().starts_with(&item["epoch"].to_string()));
    }
    assert!(lines[3000].contains("+10"), "the last rows pass year 9999");
}

/// `next -n 2147483648 | head -3`: the first rows come at once (they came
/// after a first pass over every row, which took minutes), and the table
/// keeps to constant memory while it streams.
#[test]
fn a_huge_count_shows_its_first_rows_at_once() {
    let env = TestEnv::new();
    let mut cmd = env.command();
    cmd.args(["next", "-n", "2147483648", "--after", "0"]);
    let (mut table, stdout) = Background::spawn_with_stdout(cmd);
    let started = Instant::now();
    let mut stdout = BufReader::new(stdout);
    let mut lines = Vec::new();
    for _ in 0..3 {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        lines.push(line);
    }
    // Generous for a shared machine and a debug build; the rows are out in
    // milliseconds.
    let first = started.elapsed();
    assert!(
        first < Duration::from_secs(20),
        "the first rows took {first:?}"
    );
    assert!(lines[0].trim_start().starts_with("EPOCH"), "{lines:?}");
    assert!(
        lines[1].trim_start().starts_with("2  2^1 = 2  "),
        "{lines:?}"
    );
    // Read on for a while (some hundred thousand rows): the memory stays small.
    let mut rest = vec![0u8; 1 << 20];
    let until = Instant::now() + Duration::from_secs(2);
    while Instant::now() < until {
        stdout.read_exact(&mut rest).unwrap();
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", table.pid())).unwrap();
    let peak_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status");
    assert!(peak_kb < 64 * 1024, "peak memory {peak_kb} kB");
    drop(stdout);
    let status = table
        .wait(Duration::from_secs(10))
        .expect("next ends once the pipe closes");
    assert!(status.success(), "{status:?}: {}", table.stderr());
}

#[test]
fn next_after_datetime_is_strictly_after() {
    let env = TestEnv::new().tz("Europe/Berlin");
    // 1800000000 is 2027-01-15T08:00:00Z, 09:00 in Berlin: not included.
    let items = json_of(
        &env,
        &["next", "--after", "2027-01-15 09:00", "-n", "1", "--json"],
    );
    assert_eq!(epochs(&items), vec![1_900_000_000]);
    let items = json_of(
        &env,
        &[
            "next",
            "--after",
            "2027-01-15 07:59:59",
            "--utc",
            "-n",
            "1",
            "--json",
        ],
    );
    assert_eq!(epochs(&items), vec![1_800_000_000]);
    let items = json_of(
        &env,
        &["next", "--after", "@1799999999", "-n", "1", "--json"],
    );
    assert_eq!(epochs(&items), vec![1_800_000_000]);
}

#[test]
fn next_without_after_counts_from_now() {
    let env = TestEnv::new();
    let items = json_of(&env, &["next", "-n", "2", "--json"]);
    assert_eq!(items.len(), 2);
    let now = now_secs();
    let first = items[0]["epoch"].as_i64().unwrap();
    let in_seconds = items[0]["in_seconds"].as_i64().unwrap();
    assert!(first > now - 5);
    assert!((first - in_seconds - now).abs() < 5, "{items:?}");
}

// ---------------------------------------------------------------------------
// next: JSON

#[test]
fn next_json_exact() {
    let env = TestEnv::new().tz("Europe/Berlin");
    let stdout = env.stdout_of(&["next", "--after", AFTER, "-n", "3", "--json"]);
    assert!(
        stdout.starts_with("[\n  {\"epoch\":1800000000,"),
        "{stdout}"
    );
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        value,
        json!([
            {"epoch": 1800000000i64, "label": "1.8 billion", "rule": "every:100000000",
             "notify": true, "utc": "2027-01-15T08:00:00Z",
             "local": "2027-01-15T09:00:00+01:00", "in_seconds": 4431722},
            {"epoch": 1900000000i64, "label": "1.9 billion", "rule": "every:100000000",
             "notify": true, "utc": "2030-03-17T17:46:40Z",
             "local": "2030-03-17T18:46:40+01:00", "in_seconds": 104431722},
            {"epoch": 2000000000i64, "label": "2 billion", "rule": "every:100000000",
             "notify": true, "utc": "2033-05-18T03:33:20Z",
             "local": "2033-05-18T05:33:20+02:00", "in_seconds": 204431722},
        ])
    );
}

#[test]
fn next_json_negative_epochs() {
    let env = TestEnv::new();
    let items = json_of(
        &env,
        &[
            "next",
            "--no-defaults",
            "-m",
            "-5",
            "-m",
            "0",
            "-m",
            "100",
            "--after",
            "-10",
            "--json",
        ],
    );
    assert_eq!(epochs(&items), vec![-5, 0, 100]);
    assert_eq!(items[0]["utc"], "1969-12-31T23:59:55Z");
    assert_eq!(items[0]["in_seconds"], 5);
    assert_eq!(items[2]["in_seconds"], 110);
}

#[test]
fn next_json_many_palindromes() {
    let env = TestEnv::new();
    let items = json_of(
        &env,
        &[
            "next",
            "--no-defaults",
            "-m",
            "palindrome",
            "-n",
            "10000",
            "--json",
            "--after",
            "0",
        ],
    );
    assert_eq!(items.len(), 10_000);
    let values = epochs(&items);
    assert!(values.windows(2).all(|w| w[0] < w[1]));
    for v in values {
        let s = v.to_string();
        assert_eq!(s, s.chars().rev().collect::<String>());
    }
}

#[test]
fn nothing_left() {
    let env = TestEnv::new();
    let args = ["next", "--no-defaults", "-m", "100", "--after", "100"];
    assert_eq!(
        env.stdout_of(&args),
        "No milestones after 100 (1970-01-01T00:01:40Z).\n"
    );
    let mut with_json = args.to_vec();
    with_json.push("--json");
    assert_eq!(env.stdout_of(&with_json), "[]\n");
}

#[test]
fn count_zero_prints_nothing() {
    let env = TestEnv::new();
    assert_eq!(env.stdout_of(&["next", "-n", "0", "--after", AFTER]), "");
    assert_eq!(
        env.stdout_of(&["next", "-n", "0", "--after", AFTER, "--json"]),
        "[]\n"
    );
}

#[test]
fn closed_pipe_is_not_an_error() {
    let env = TestEnv::new();
    for json in [false, true] {
        let mut cmd = env.command();
        cmd.args(["next", "-n", "100000", "--after", "0"]);
        if json {
            cmd.arg("--json");
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        {
            let mut reader = BufReader::new(child.stdout.take().unwrap());
            reader.read_line(&mut first).unwrap();
        } // stdout closed here
        let output = child.wait_with_output().unwrap();
        assert!(
            if json {
                first == "[\n"
            } else {
                first.contains("EPOCH")
            },
            "{first}"
        );
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "json: {json}");
        assert_eq!(output.status.code(), Some(0), "json: {json}");
    }
}

// ---------------------------------------------------------------------------
// next: milestone selection

#[test]
fn milestone_flags_add_to_the_configured_set() {
    let env = TestEnv::new();
    env.write_config("milestones = [1000, 3000]\n");
    let after = ["next", "--after", "0", "--json"];
    assert_eq!(epochs(&json_of(&env, &after)), vec![1000, 3000]);
    let mut with_m = after.to_vec();
    with_m.extend(["-m", "2000=Two thousand"]);
    let items = json_of(&env, &with_m);
    assert_eq!(epochs(&items), vec![1000, 2000, 3000]);
    assert_eq!(items[1]["label"], "Two thousand");
    with_m.push("--no-defaults");
    assert_eq!(epochs(&json_of(&env, &with_m)), vec![2000]);
}

#[test]
fn no_defaults_needs_a_milestone() {
    let env = TestEnv::new();
    assert_eq!(
        env.bad_input(&["next", "--no-defaults"]),
        "epochwatch: error: --no-defaults leaves no milestones: add at least one -m/--milestone SPEC"
    );
}

#[test]
fn bad_flags_exit_2() {
    let env = TestEnv::new();
    let msg = env.bad_input(&["next", "-m", "every:0"]);
    assert!(
        msg.starts_with("epochwatch: error: -m \"every:0\": "),
        "{msg}"
    );
    let msg = env.bad_input(&["next", "--after", "soon"]);
    assert!(
        msg.starts_with("epochwatch: error: --after \"soon\": invalid date-time"),
        "{msg}"
    );
    let msg = env.bad_input(&["next", "--tz", "Mars/Olympus"]);
    assert!(msg.contains("unknown time zone \"Mars/Olympus\""), "{msg}");
}

#[test]
fn table_entries_and_quiet_milestones() {
    let env = TestEnv::new();
    env.write_config(
        r#"
[display]
zone = "UTC"
milestones = []
"#,
    );
    // `milestones` after [display] belongs to it: an unknown key there.
    let msg = env.bad_input(&["next"]);
    assert!(
        msg.contains("config.toml:4:1: unknown field `milestones`"),
        "{msg}"
    );

    env.write_config(
        r#"milestones = [
  { at = 2222222222, label = "All twos" },
  { at = "2040-01-01" },
  { rule = "5000=five thousand", notify = false },
]
[display]
zone = "Europe/Berlin"
"#,
    );
    let items = json_of(&env, &["next", "--after", "0", "--json"]);
    assert_eq!(epochs(&items), vec![5000, 2208985200, 2222222222]);
    assert_eq!(items[0]["notify"], false);
    assert_eq!(items[0]["label"], "five thousand");
    assert_eq!(items[2]["label"], "All twos");
    assert_eq!(items[1]["local"], "2040-01-01T00:00:00+01:00");
}

// ---------------------------------------------------------------------------
// Configuration: where it comes from

#[test]
fn precedence_flag_over_env_over_file() {
    let default_file = TestEnv::new();
    default_file.write_config("milestones = [111]\n");
    let env_file = default_file.write_file("env.toml", "milestones = [222]\n");
    let flag_file = default_file.write_file("flag.toml", "milestones = [333]\n");
    let query = ["next", "--after", "0", "--json"];

    assert_eq!(epochs(&json_of(&default_file, &query)), vec![111]);

    let env = TestEnv {
        vars: vec![(
            "EPOCHWATCH_CONFIG".to_string(),
            env_file.display().to_string(),
        )],
        ..default_file
    };
    assert_eq!(epochs(&json_of(&env, &query)), vec![222]);

    let flag = flag_file.display().to_string();
    let mut with_flag = query.to_vec();
    with_flag.extend(["--config", &flag]);
    assert_eq!(epochs(&json_of(&env, &with_flag)), vec![333]);
}

#[test]
fn empty_env_var_means_unset() {
    let env = TestEnv::new().var("EPOCHWATCH_CONFIG", "");
    env.write_config("milestones = [111]\n");
    let items = json_of(&env, &["next", "--after", "0", "--json"]);
    assert_eq!(epochs(&items), vec![111]);
}

#[test]
fn missing_default_file_means_defaults() {
    let env = TestEnv::new();
    let items = json_of(&env, &["next", "--after", AFTER, "-n", "1", "--json"]);
    assert_eq!(epochs(&items), vec![1_800_000_000]);
}

#[test]
fn config_path_says_where_it_came_from() {
    let env = TestEnv::new();
    let default = env.config_path().display().to_string();
    assert_eq!(
        env.stdout_of(&["config", "path"]),
        format!("{default}\nsource: default location\nexists: no\n")
    );
    env.write_config("");
    assert_eq!(
        env.stdout_of(&["config", "path"]),
        format!("{default}\nsource: default location\nexists: yes\n")
    );
    assert_eq!(
        env.stdout_of(&["config", "path", "--config", "elsewhere.toml"]),
        "elsewhere.toml\nsource: --config\nexists: no\n"
    );
    let env = env.var("EPOCHWATCH_CONFIG", "/nowhere/e.toml");
    assert_eq!(
        env.stdout_of(&["config", "path"]),
        "/nowhere/e.toml\nsource: EPOCHWATCH_CONFIG\nexists: no\n"
    );
}

// ---------------------------------------------------------------------------
// Configuration: errors

#[test]
fn missing_named_files_are_errors() {
    let env = TestEnv::new();
    assert_eq!(
        env.bad_input(&["next", "--config", "nope.toml"]),
        "epochwatch: error: config file nope.toml (from --config): not found"
    );
    let env = env.var("EPOCHWATCH_CONFIG", "/nowhere/e.toml");
    assert_eq!(
        env.bad_input(&["next"]),
        "epochwatch: error: config file /nowhere/e.toml (from EPOCHWATCH_CONFIG): not found"
    );
    assert_eq!(
        env.bad_input(&["config", "show"]),
        "epochwatch: error: config file /nowhere/e.toml (from EPOCHWATCH_CONFIG): not found"
    );
}

#[test]
fn unknown_key_names_line_and_column() {
    let env = TestEnv::new();
    let path = env.write_config("[alerts]\nbell = true\nremindr = [\"1h\"]\n");
    assert_eq!(
        env.bad_input(&["next"]),
        format!(
            "epochwatch: error: config file {}:3:1: unknown field `remindr`, expected one of \
             `remind`, `desktop`, `bell`, `exec`, `timeout`, `catch_up`, `countdown`, `sound`",
            path.display()
        )
    );
}

#[test]
fn garbage_and_binary_files() {
    let env = TestEnv::new();
    let path = env.write_file("garbage.toml", "this is not toml\n");
    let msg = env.bad_input(&["next", "--config", path.to_str().unwrap()]);
    assert!(
        msg.starts_with(&format!(
            "epochwatch: error: config file {}:1:",
            path.display()
        )),
        "{msg}"
    );
    let path = env.path().join("binary.toml");
    std::fs::write(&path, b"\x7fELF\x02\x01\x01\x00\x00\xff\xfe\n").unwrap();
    let msg = env.bad_input(&["next", "--config", path.to_str().unwrap()]);
    assert_eq!(
        msg,
        format!(
            "epochwatch: error: config file {}:1: not UTF-8 text (invalid byte at offset 9); \
             is this really a config file?",
            path.display()
        )
    );
    let dir = env.path().to_str().unwrap().to_string();
    let msg = env.bad_input(&["next", "--config", &dir]);
    assert!(msg.ends_with("is a directory, not a file"), "{msg}");
}

#[test]
fn bad_types() {
    let env = TestEnv::new();
    let path = env.write_config("[alerts]\ndesktop = \"yes\"\n");
    assert_eq!(
        env.bad_input(&["next"]),
        format!(
            "epochwatch: error: config file {}:2:11: invalid type: string \"yes\", expected a boolean",
            path.display()
        )
    );
    env.write_config("milestones = \"repdigit\"\n");
    let msg = env.bad_input(&["next"]);
    assert!(
        msg.contains("config.toml:1:14: invalid type: string"),
        "{msg}"
    );
    env.write_config("[display]\ncolor = \"blue\"\n");
    let msg = env.bad_input(&["next"]);
    assert!(
        msg.contains("config.toml:2:9: unknown variant `blue`"),
        "{msg}"
    );
    env.write_config("[display]\nzone = \"Mars/Olympus\"\n");
    let msg = env.bad_input(&["next"]);
    assert!(
        msg.contains("config.toml:2:8: display.zone: unknown time zone \"Mars/Olympus\""),
        "{msg}"
    );
}

#[test]
fn bad_spec_names_the_file_and_line() {
    let env = TestEnv::new();
    let path = env.write_config("milestones = [\n  \"repdigit\",\n  \"every:soon\",\n]\n");
    let msg = env.bad_input(&["next"]);
    assert!(
        msg.starts_with(&format!(
            "epochwatch: error: config file {}:3:3: milestone \"every:soon\": ",
            path.display()
        )),
        "{msg}"
    );
    // config show checks the specs as well.
    assert_eq!(env.bad_input(&["config", "show"]), msg);
}

#[test]
fn bad_duration_names_the_file_and_line() {
    let env = TestEnv::new();
    let path = env.write_config("[alerts]\nremind = [\"1d\", \"1 hour\"]\n");
    let msg = env.bad_input(&["next"]);
    assert!(
        msg.starts_with(&format!(
            "epochwatch: error: config file {}:2:17: alerts.remind: invalid duration \"1 hour\"",
            path.display()
        )),
        "{msg}"
    );
    env.write_config("[alerts]\ncatch_up = \"later\"\n");
    let msg = env.bad_input(&["config", "show"]);
    assert!(
        msg.contains("config.toml:2:12: alerts.catch_up: invalid duration"),
        "{msg}"
    );
    let env = TestEnv::new().var("EPOCHWATCH_REMIND", "1h,soon");
    let msg = env.bad_input(&["config", "show"]);
    assert!(
        msg.starts_with(
            "epochwatch: error: EPOCHWATCH_REMIND=\"1h,soon\": invalid duration \"soon\""
        ),
        "{msg}"
    );
}

// ---------------------------------------------------------------------------
// config init and show

#[test]
fn init_writes_a_loadable_starter_and_never_overwrites() {
    let env = TestEnv::new();
    let path = env.config_path();
    assert_eq!(
        env.stdout_of(&["config", "init"]),
        format!("created {}\n", path.display())
    );
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.starts_with("# epochwatch configuration."));
    // It loads, and means the defaults.
    let shown = env.stdout_of(&["config", "show"]);
    assert!(
        shown.contains("remind = [\"1d\", \"1h\", \"1m\", \"10s\"]  # file"),
        "{shown}"
    );
    let items = json_of(&env, &["next", "--after", AFTER, "-n", "3", "--json"]);
    assert_eq!(
        epochs(&items),
        vec![1_800_000_000, 1_900_000_000, 2_000_000_000]
    );

    std::fs::write(&path, "# mine\n").unwrap();
    let out = env.run(&["config", "init"]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        format!(
            "epochwatch: error: config file {} already exists; not overwriting it \
             (remove or rename it first, or pass --config NEWPATH)\n",
            path.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# mine\n");
    // No temporary files left behind.
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("config.toml")]);
}

#[test]
fn init_creates_parent_directories() {
    let env = TestEnv::new();
    let target = env.path().join("a/b/c.toml");
    let target_str = target.to_str().unwrap();
    env.stdout_of(&["config", "init", "--config", target_str]);
    assert!(target.is_file());
    env.stdout_of(&["next", "--config", target_str, "-n", "1"]);
}

#[test]
fn show_reflects_file_env_and_defaults_and_loads_back() {
    let env = TestEnv::new()
        .var("EPOCHWATCH_REMIND", "2h,5m")
        .var("NO_COLOR", "1");
    env.write_config(
        r#"milestones = [2000000000, { rule = "palindrome", notify = false }]
[alerts]
bell = true
exec = ["notify-send", "epoch"]
[display]
zone = "Europe/Berlin"
"#,
    );
    let shown = env.stdout_of(&["config", "show"]);
    let body: String = shown.lines().skip(3).map(|l| format!("{l}\n")).collect();
    let (body, world) = body.split_once("\n[world]\n").expect("a [world] table");
    assert!(
        world.starts_with(
            "cities = [  # default\n  { zone = \"Pacific/Honolulu\", name = \"Honolulu\" },\n"
        ),
        "{world}"
    );
    assert!(world.contains("share = [  # default\n"), "{world}");
    assert_eq!(
        body,
        r#"
# from the file (line numbers as written there)
milestones = [
  "2000000000",  # line 1
  { rule = "palindrome", notify = false },  # line 1
]

[alerts]
remind = ["2h", "5m"]  # EPOCHWATCH_REMIND
desktop = true  # default
bell = true  # file
exec = ["notify-send", "epoch"]  # file
timeout = "5s"  # default
catch_up = "1h"  # default
countdown = "10s"  # default
sound = true  # default

[display]
zone = "Europe/Berlin"  # file
color = "never"  # NO_COLOR
"#
    );
    assert!(
        shown.starts_with(&format!(
            "# Effective epochwatch settings (command line > environment > file > defaults).\n\
             # Config file: {} (default location)\n",
            env.config_path().display()
        )),
        "{shown}"
    );
    // The output is a config file that means the same.
    let again = TestEnv::new();
    let copy = again.write_file("shown.toml", &shown);
    let reshown = again.stdout_of(&["config", "show", "--config", copy.to_str().unwrap()]);
    assert!(
        reshown.contains("remind = [\"2h\", \"5m\"]  # file"),
        "{reshown}"
    );
    assert!(reshown.contains("color = \"never\"  # file"), "{reshown}");
    assert!(
        reshown.contains("  { rule = \"palindrome\", notify = false },"),
        "{reshown}"
    );
}

/// `config show` names the zone database in use: the system's, with the
/// release its `tzdata.zi` names, or the embedded copy where there is none.
#[test]
fn show_names_the_zone_database() {
    let dir = std::env::var("TZDIR").unwrap_or_else(|_| "/usr/share/zoneinfo".to_string());
    let Ok(tzdata) = std::fs::read_to_string(format!("{dir}/tzdata.zi")) else {
        crate::harness::skip("no tzdata.zi in the system zone database");
        return;
    };
    let version = tzdata
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("# version "))
        .expect("tzdata.zi starts with its version");
    let line_of = |env: &TestEnv| {
        let shown = env.stdout_of(&["config", "show"]);
        shown.lines().nth(2).unwrap_or_default().to_string()
    };
    assert_eq!(
        line_of(&TestEnv::new().var("TZDIR", &dir)),
        format!("# Zone database: system {version} ({dir})")
    );
    let env = TestEnv::new();
    let nowhere = env.path().join("no-zoneinfo");
    let line = line_of(&env.var("TZDIR", nowhere.to_str().unwrap()));
    let embedded = format!(" (no system database at {})", nowhere.display());
    let release = line
        .strip_prefix("# Zone database: embedded ")
        .and_then(|rest| rest.strip_suffix(&embedded))
        .unwrap_or_else(|| panic!("{line}"));
    assert!(
        release.len() == 5 && release[..4].parse::<u16>().is_ok_and(|y| y >= 2025),
        "{line}"
    );
    // A database without a release file is still the system's.
    let bare = TestEnv::new();
    std::fs::create_dir_all(bare.path().join("zoneinfo")).unwrap();
    let bare_dir = bare.path().join("zoneinfo").display().to_string();
    assert_eq!(
        line_of(&bare.var("TZDIR", &bare_dir)),
        format!("# Zone database: system of unknown version ({bare_dir})")
    );
}

#[test]
fn show_without_a_file() {
    let env = TestEnv::new();
    let shown = env.stdout_of(&["config", "show"]);
    assert!(
        shown.contains(&format!(
            "# Config file: {} (default location); not present\n",
            env.config_path().display()
        )),
        "{shown}"
    );
    assert!(
        shown.contains("# the embedded defaults (no milestones configured)\nmilestones = [\n  \"every:100000000\",\n"),
        "{shown}"
    );
}

// ---------------------------------------------------------------------------
// Big configurations

/// 100,000 milestones, a third each as integers, "N=label" strings and tables.
fn big_config() -> String {
    let mut text = String::from("# generated\nmilestones = [\n");
    for i in 0..100_000i64 {
        let epoch = 1_000_000_000 + i * 10_007;
        match i % 3 {
            0 => text.push_str(&format!("  {epoch},\n")),
            1 => text.push_str(&format!("  \"{epoch}=Label {i}\",\n")),
            _ => text.push_str(&format!(
                "  {{ at = {epoch}, label = \"Table {i}\", notify = {} }},\n",
                i % 2 == 0
            )),
        }
    }
    text.push_str("]\n");
    text
}

#[test]
fn hundred_thousand_milestones() {
    let env = TestEnv::new();
    env.write_config(&big_config());
    // i = 50_000 is at 1_500_350_000; ask from just before it.
    let items = json_of(
        &env,
        &["next", "--after", "1500349999", "-n", "4", "--json"],
    );
    assert_eq!(
        epochs(&items),
        vec![1_500_350_000, 1_500_360_007, 1_500_370_014, 1_500_380_021]
    );
    // 50000 is a table, 50001 an integer, 50002 a string, 50003 a quiet table.
    assert_eq!(items[0]["label"], "Table 50000");
    assert_eq!(items[0]["notify"], true);
    assert_eq!(items[1]["label"], "1,500,360,007");
    assert_eq!(items[2]["label"], "Label 50002");
    assert_eq!(items[3]["label"], "Table 50003");
    assert_eq!(items[3]["notify"], false);
    // The last one, and then nothing.
    let last = 1_000_000_000 + 99_999 * 10_007i64;
    let items = json_of(
        &env,
        &[
            "next",
            "--after",
            &(last - 1).to_string(),
            "-n",
            "5",
            "--json",
        ],
    );
    assert_eq!(epochs(&items), vec![last]);
    // A bad entry deep inside is found and located.
    let mut text = big_config();
    text = text.replacen("  1000900630,\n", "  \"every:-1\",\n", 1);
    let path = env.write_config(&text);
    let msg = env.bad_input(&["next"]);
    assert!(
        msg.starts_with(&format!(
            "epochwatch: error: config file {}:93:3: milestone \"every:-1\"",
            path.display()
        )),
        "{msg}"
    );
}
