//! Hostile input, generated: thousands of argument vectors for every
//! subcommand (mutated flags, huge and overflowing numbers, unicode, control
//! characters, empty strings, bytes that are not UTF-8) and hundreds of
//! mutated config files (byte flips, truncations, splices, deep nesting,
//! huge arrays and lines). Seeded (`EPOCHWATCH_DIFF_SEED` replays a run).
//!
//! Each case runs the real binary with a time limit, its stdout closed
//! after 64 KiB (as `| head -c` would). Every run must end by itself with 0,
//! 1 or 2 — no panic ("panicked", status 101), no signal, no hang — and a
//! run that fails says so in exactly one line, `epochwatch: error: …`. The
//! live commands (`watch`, `daemon`, no subcommand) run until stopped when
//! their input is good, so for them a run still going after a short limit
//! counts as running, not as a hang; they must fail at once on bad input.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::time::Duration;

use crate::harness::TestEnv;
use crate::harness::process::{Bounded, run_bounded};
use crate::harness::seeded::{Rng, diff_seed, parallel_map};

/// Argument vectors per run, and config files.
const ARG_CASES: usize = 2400;
const CONFIG_CASES: usize = 600;

/// A command that should end must end within this (a debug binary on two
/// shared cores); a live one is stopped after `LIVE_LIMIT`.
const LIMIT: Duration = Duration::from_secs(30);
const LIVE_LIMIT: Duration = Duration::from_millis(400);
const STDOUT_CAP: usize = 64 * 1024;

const SUBCOMMANDS: &[&str] = &[
    "now",
    "when",
    "at",
    "next",
    "watch",
    "daemon",
    "notify-test",
    "config",
    "completions",
    "man",
    "help",
];

const FLAGS: &[&str] = &[
    "--utc",
    "--tz",
    "-p",
    "--precision",
    "--json",
    "--world",
    "--share",
    "-m",
    "--milestone",
    "--no-defaults",
    "-n",
    "--count",
    "--after",
    "--until",
    "--ics",
    "--remind",
    "-o",
    "--output",
    "--bell",
    "--no-notify",
    "--exec",
    "--plain",
    "--color",
    "--catch-up",
    "--countdown",
    "-v",
    "--verbose",
    "--timeout",
    "--config",
    "--",
    "-",
];

/// Values: what each option accepts, and what it should refuse.
const VALUES: &[&str] = &[
    "",
    " ",
    "0",
    "-0",
    "+0",
    "1",
    "-1",
    "10",
    "2147483647",
    "2147483648",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "99999999999999999999999999999999999999",
    "1e9",
    "0x10",
    "1_000",
    "1.5",
    "NaN",
    "inf",
    "１２３",
    "٣",
    "a\nb",
    "\n",
    "\t",
    "\r",
    "\u{1b}[31mred",
    "\u{7f}",
    "\u{85}",
    "\u{202e}evil",
    "\u{200b}",
    "é",
    "🦀",
    "%",
    "+",
    "+%",
    "+%\n",
    "+%s",
    "+%Y-%m-%d %H:%M:%S %:z",
    "+%-",
    "+%:::::z",
    "+%99999999999Y",
    "+%999999999N",
    "+%_-^#0Y",
    "@",
    "@-1",
    "@1e3",
    "2038-01-19T03:14:08Z",
    "2038-01-19 03:14:08",
    "9999-12-31T23:59:59Z",
    "10000-01-01",
    "-0001-01-01",
    "0000-00-00",
    "2024-02-30",
    "2024-13-01",
    "25:00",
    "now",
    "today",
    "1d",
    "1h30m",
    "0s",
    "-5m",
    "999999999999999999h",
    "none",
    "1d,1h,,",
    "every:0",
    "every:-1",
    "every:1",
    "every:100000000",
    "every:100000000:5",
    "palindrome",
    "repdigit",
    "pow2",
    "y2038",
    "sequence",
    "anniversary:2000-01-01:1y",
    "anniversary::",
    "=",
    "1=",
    "=x",
    "2000000000=label\nwith newline",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Nope/Zone",
    // Paths: `-o` writes where it is told, so only harmless ones.
    "missing/dir/file.ics",
    ".",
    "UTC",
    "local",
    "auto",
    "always",
    "never",
    "bash",
    "zsh",
    "fish",
    "elvish",
    "powershell",
    "path",
    "init",
    "show",
    "foo",
    "-x",
    "--",
];

#[test]
fn generated_argument_vectors_never_panic_hang_or_ramble() {
    let mut rng = Rng::new(diff_seed()).fork("hostile args");
    let cases: Vec<Vec<OsString>> = (0..ARG_CASES).map(|_| argv(&mut rng)).collect();
    let env = TestEnv::new();
    let results = parallel_map(&cases, |args| {
        let mut cmd = env.command();
        cmd.args(args).env("COLUMNS", "80");
        let live = is_live(args);
        let outcome = run_bounded(cmd, if live { LIVE_LIMIT } else { LIMIT }, STDOUT_CAP);
        judge(&format!("{args:?}"), live, &outcome)
    });
    report(&results);
}

#[test]
fn generated_config_files_never_panic_hang_or_ramble() {
    let mut rng = Rng::new(diff_seed()).fork("hostile configs");
    let cases: Vec<(Vec<u8>, &[&str])> = (0..CONFIG_CASES)
        .map(|i| (config_text(&mut rng, i), *rng.pick(CONFIG_COMMANDS)))
        .collect();
    let results = parallel_map(&cases, |(text, args)| {
        let env = TestEnv::new();
        let path = env.path().join("hostile.toml");
        std::fs::write(&path, text).expect("write the config");
        let mut cmd = env.command();
        cmd.args(*args).arg("--config").arg(&path);
        let live = args[0] == "daemon";
        let outcome = run_bounded(cmd, if live { LIVE_LIMIT } else { LIMIT }, STDOUT_CAP);
        let shown = String::from_utf8_lossy(&text[..text.len().min(120)]).into_owned();
        let case = format!("{args:?} with config {shown:?}…");
        match judge(&case, live, &outcome) {
            // A bad file is named with the place: hostile.toml:LINE[:COL].
            Verdict::Ended(2) if !placed(&outcome.stderr) => Verdict::Broken(format!(
                "a config error without a line: {case}: {}",
                outcome.stderr
            )),
            verdict => verdict,
        }
    });
    report(&results);
}

/// What a case did: ran to a good end (status), kept running (live), or
/// broke a rule (the message).
enum Verdict {
    Ended(i32),
    Running,
    Broken(String),
}

fn judge(case: &str, live: bool, out: &Bounded) -> Verdict {
    let stdout: String = out.stdout.chars().take(200).collect();
    let case = &format!("{case} (stdout {stdout:?})");
    let stderr = out.stderr.as_str();
    if stderr.contains("panicked") || out.code == Some(101) {
        return Verdict::Broken(format!("panic: {case}: {stderr}"));
    }
    if let Some(signal) = out.signal {
        return Verdict::Broken(format!("killed by signal {signal}: {case}: {stderr}"));
    }
    let Some(code) = out.code else {
        if live && !stderr.contains("error:") {
            return Verdict::Running;
        }
        return Verdict::Broken(format!("hang (still running): {case}: {stderr}"));
    };
    let lines: Vec<&str> = stderr.lines().collect();
    match code {
        0 if stderr.contains("error:") => {
            Verdict::Broken(format!("an error with status 0: {case}: {stderr}"))
        }
        0 => Verdict::Ended(0),
        1 | 2 if lines.len() == 1 && lines[0].starts_with("epochwatch: error: ") => {
            let escaped = !lines[0].chars().any(|c| c.is_control());
            if escaped {
                Verdict::Ended(code)
            } else {
                Verdict::Broken(format!(
                    "control characters in the error: {case}: {stderr:?}"
                ))
            }
        }
        1 | 2 => Verdict::Broken(format!(
            "status {code} without one error line: {case}: {stderr:?}"
        )),
        _ => Verdict::Broken(format!("status {code}: {case}: {stderr}")),
    }
}

/// Whether a config error names the line: "config file …/hostile.toml:12".
fn placed(stderr: &str) -> bool {
    match stderr.split_once("hostile.toml:") {
        Some((_, rest)) => rest.starts_with(|c: char| c.is_ascii_digit()),
        None => !stderr.contains("config file"),
    }
}

/// Print the tally; fail with the first broken cases.
fn report(results: &[Verdict]) {
    let mut tally = [0usize; 4];
    let mut broken = Vec::new();
    for verdict in results {
        match verdict {
            Verdict::Ended(code) => tally[*code as usize] += 1,
            Verdict::Running => tally[3] += 1,
            Verdict::Broken(why) => broken.push(why.as_str()),
        }
    }
    eprintln!(
        "{} cases: {} exit 0, {} exit 1, {} exit 2, {} live and running, {} broken",
        results.len(),
        tally[0],
        tally[1],
        tally[2],
        tally[3],
        broken.len()
    );
    assert!(
        broken.is_empty(),
        "{} cases broke the rules; the first:\n{}",
        broken.len(),
        broken[..broken.len().min(15)].join("\n")
    );
}

/// `watch`, `daemon`, or no subcommand at all (which is `watch`).
fn is_live(args: &[OsString]) -> bool {
    match args.first().and_then(|a| a.to_str()) {
        Some("watch" | "daemon") => true,
        Some(first) => first.starts_with('-'),
        None => true,
    }
}

/// One argument vector: a subcommand (or none, or a stranger), then a few
/// flags, flags with values and bare values, some of them mutated.
fn argv(rng: &mut Rng) -> Vec<OsString> {
    let mut args: Vec<OsString> = Vec::new();
    match rng.range(0, 9) {
        0 => {}
        1 => {
            let sub = *rng.pick(SUBCOMMANDS);
            args.push(mutated(rng, sub).into());
        }
        _ => args.push((*rng.pick(SUBCOMMANDS)).into()),
    }
    for _ in 0..rng.range(0, 5) {
        match rng.range(0, 9) {
            0..=2 => args.push((*rng.pick(FLAGS)).into()),
            3..=5 => {
                args.push((*rng.pick(FLAGS)).into());
                args.push(value(rng));
            }
            6 => {
                let flag = rng.pick(FLAGS);
                let joined = format!("{flag}={}", value(rng).to_string_lossy());
                args.push(joined.into());
            }
            7 => {
                let flag = *rng.pick(FLAGS);
                args.push(mutated(rng, flag).into());
            }
            _ => args.push(value(rng)),
        }
    }
    bound_counts(&mut args);
    // Live commands run on good input: most get a value they must refuse
    // at once, the rest run until the short limit.
    if is_live(&args) && rng.range(0, 4) > 0 {
        args.push("--remind=never-ever".into());
    }
    args
}

/// A value from [`VALUES`], or a long one, or one that is not UTF-8.
fn value(rng: &mut Rng) -> OsString {
    match rng.range(0, 29) {
        0 => "9".repeat(rng.range(20, 5000) as usize).into(),
        1 => "é".repeat(rng.range(100, 20_000) as usize).into(),
        2 => OsString::from_vec(vec![b'+', b'%', 0xff, b'Y', 0xc3]),
        3 => OsString::from_vec(vec![b'1', 0x80, b'2']),
        _ => (*rng.pick(VALUES)).into(),
    }
}

/// `text` with one change: a character dropped, doubled, replaced or cased.
fn mutated(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return "-".to_string();
    }
    let at = rng.range(0, chars.len() as i64 - 1) as usize;
    match rng.range(0, 3) {
        0 => {
            chars.remove(at);
        }
        1 => chars.insert(at, chars[at]),
        // (No NUL: an argument cannot hold one.)
        2 => chars[at] = *rng.pick(&['-', '=', 'x', '\n', '\u{1}', 'é', '%']),
        _ => chars[at] = chars[at].to_ascii_uppercase(),
    }
    chars.into_iter().collect()
}

/// A valid count that would print billions of rows is still a valid case,
/// but a run of minutes: such `next` runs get an `--until` that ends them
/// (the count itself stays as generated).
fn bound_counts(args: &mut Vec<OsString>) {
    let huge = args.windows(2).any(|w| {
        matches!(w[0].to_str(), Some("-n" | "--count"))
            && w[1].to_str().and_then(|v| v.parse::<u64>().ok()) > Some(100_000)
    });
    if huge {
        args.push("--until".into());
        args.push("2100000000".into());
    }
}

/// Commands that read the config (`daemon` runs on when it is good).
const CONFIG_COMMANDS: &[&[&str]] = &[
    &["next", "-n", "3", "--after", "0"],
    &["next", "--json", "-n", "2"],
    &["config", "show"],
    &["when", "1700000000"],
    &["next", "--ics", "-n", "2"],
    &["next", "--world", "-n", "1"],
    &["when", "1700000000"],
    &["config", "show"],
    &["daemon", "--no-notify"],
];

/// A config file: a good one, then one mutation.
fn config_text(rng: &mut Rng, i: usize) -> Vec<u8> {
    let base = match i % 2 {
        0 => include_str!("../../src/config/starter.toml").to_string(),
        _ => RICH.to_string(),
    };
    let mut bytes = base.into_bytes();
    let len = bytes.len() as i64;
    match rng.range(0, 11) {
        0..=2 => {
            for _ in 0..rng.range(1, 4) {
                let at = rng.range(0, len - 1) as usize;
                bytes[at] = *rng.pick(b"\0\xff\n\r\"'[]{}=.,#\\ 9a\x80");
            }
        }
        3 | 4 => bytes.truncate(rng.range(0, len) as usize),
        5 | 6 => {
            let at = floor_line(&bytes, rng.range(0, len) as usize);
            let piece = rng.pick(SPLICES).as_bytes().to_vec();
            bytes.splice(at..at, piece);
        }
        7 => bytes = deep(rng).into_bytes(),
        8 => bytes = huge(rng).into_bytes(),
        9 => bytes.splice(0..0, b"\xef\xbb\xbf".to_vec()).for_each(drop),
        10 => {
            bytes = String::from_utf8_lossy(&bytes)
                .replace('\n', "\r\n")
                .into_bytes()
        }
        _ => {
            let v = value(rng).into_vec();
            bytes.extend_from_slice(b"\n[display]\nzone = \"");
            bytes.extend_from_slice(&v);
            bytes.extend_from_slice(b"\"\n");
        }
    }
    bytes
}

/// The start of the line `at` is in.
fn floor_line(bytes: &[u8], at: usize) -> usize {
    bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

/// Lines to splice in: each wrong in its own way, or right.
const SPLICES: &[&str] = &[
    "milestones = 5\n",
    "milestones = [\"every:0\"]\n",
    "milestones = [9223372036854775808]\n",
    "milestones = [{ at = \"2024-02-30\" }]\n",
    "milestones = [{ rule = \"palindrome\", label = \"x\" }]\n",
    "milestones = [{ at = 1, rule = \"y2038\" }]\n",
    "milestones = [\"2000000000=a\\nb\\u001b[31m\"]\n",
    "[alerts]\nremind = [\"0s\"]\n",
    "[alerts]\nremind = \"1d,,\"\n",
    "[alerts]\nexec = [\"\"]\n",
    "[alerts]\ntimeout = \"999999999999999999h\"\n",
    "[alerts]\ncatch_up = -1\n",
    "[alerts]\ncountdown = \"999999999999999999h\"\n",
    "[alerts]\ncountdown = -3\n",
    "[alerts]\nsound = \"loud\"\n",
    "[display]\nzone = \"Nope/\\u001bZone\"\n",
    "[display]\ncolor = \"sometimes\"\n",
    "[world]\ncities = [\"Mars/Olympus\"]\n",
    "[world]\nshare = [{ name = \"x\" }]\n",
    "[unknown]\n",
    "\"quoted\\nkey\" = 1\n",
    "a = 1\na = 2\n",
    "[display]\n[display]\n",
    "x = 1979-05-27T07:32:00Z\n",
    "x = \"\"\"\n",
    "x = '''\n",
    "= 1\n",
    "[\n",
    "[[milestones]]\nat = 1\n",
];

/// A good file with every section and every milestone shape.
const RICH: &str = r#"# A little of everything.
milestones = [
  2000000000,
  "every:100000000",
  "2100000000=Label with é and 🦀",
  { at = 2200000000, label = "table", notify = false },
  { at = "2040-01-01 00:00", label = "date" },
  { rule = "palindrome", notify = false },
]

[alerts]
remind = ["1d", "1h", "10s"]
desktop = false
bell = true
exec = ["/bin/echo", "hi"]
timeout = "5s"
catch_up = "1h"

[display]
zone = "Europe/Berlin"
color = "never"

[world]
cities = ["Asia/Tokyo", { zone = "Asia/Kolkata", name = "Mumbai" }]
share = ["UTC"]
"#;

/// Nesting far beyond what the parser reads: dotted headers and keys,
/// arrays and inline tables, thousands deep.
fn deep(rng: &mut Rng) -> String {
    let depth = *rng.pick(&[79usize, 81, 200, 5000, 50_000]);
    match rng.range(0, 4) {
        0 => format!("[{}]\nx = 1\n", vec!["a"; depth].join(".")),
        1 => format!("{} = 1\n", vec!["'k'"; depth].join(" . ")),
        2 => format!("milestones = {}1{}\n", "[".repeat(depth), "]".repeat(depth)),
        3 => format!("x = {}1{}\n", "{ a = ".repeat(depth), " }".repeat(depth)),
        _ => format!(
            "milestones = [{}]\n",
            vec!["{ at = { at = 1 } }"; depth].join(",")
        ),
    }
}

/// Large files: 100,000 milestones on one line, thousands of leads and
/// cities, a label of a megabyte.
fn huge(rng: &mut Rng) -> String {
    match rng.range(0, 3) {
        0 => {
            let list: Vec<String> = (0..100_000i64)
                .map(|i| (1_500_000_000 + i * 997).to_string())
                .collect();
            format!("milestones = [{}]\n", list.join(", "))
        }
        1 => {
            let leads: Vec<String> = (1..=10_000).map(|i| format!("\"{i}s\"")).collect();
            format!("[alerts]\nremind = [{}]\n", leads.join(","))
        }
        2 => format!(
            "[world]\ncities = [{}]\n",
            vec!["\"Asia/Tokyo\""; 5000].join(",")
        ),
        _ => format!("milestones = [\"2000000000={}\"]\n", "x".repeat(1 << 20)),
    }
}
