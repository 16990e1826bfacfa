//! `epochwatch bar`: every format line by line against its documented
//! schema under libfaketime across 1800000000, stepping by SIGUSR1 and by
//! i3bar clicks, SIGSTOP and SIGCONT, `--once` exactly, and bad formats.
//! The real bars are in `bar_real`.

use std::io::Write;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nix::sys::signal::Signal;
use serde_json::Value;

use crate::harness::reference::gnu_date;
use crate::harness::{Background, Faketime, TestEnv, assert_consecutive};

/// Generous: two shared cores, and a debug binary.
const T: Duration = Duration::from_secs(30);

/// The milestone crossed: 2027-01-15 08:00:00 UTC, midnight in Los Angeles.
const M: i64 = 1_800_000_000;

/// The milestone after `after`, as `next` lists it: (epoch, label).
fn next_milestone(env: &TestEnv, after: i64) -> (i64, String) {
    let list = env.json_of(&["next", "--after", &after.to_string(), "-n", "1", "--json"]);
    let first = &list[0];
    (
        first["epoch"].as_i64().unwrap(),
        first["label"].as_str().unwrap().to_string(),
    )
}

/// `epochwatch bar ARGS` under libfaketime from `start`.
fn bar_from(env: &TestEnv, faketime: &Faketime, start: i64, args: &[&str]) -> Background {
    let mut all = vec!["bar"];
    all.extend_from_slice(args);
    env.background(&faketime.start_at(start), &all)
}

/// Lines until `done` holds for one (included), with their arrival times.
fn lines_until(child: &Background, done: impl Fn(&str) -> bool) -> Vec<(String, SystemTime)> {
    let deadline = Instant::now() + T;
    let mut lines = Vec::new();
    loop {
        let (line, at) = child.next_line(deadline);
        let last = done(&line);
        lines.push((line, at));
        if last {
            return lines;
        }
    }
}

/// The default text, `EPOCH · VALUE in COUNTDOWN`, in its parts.
fn text_parts(text: &str) -> (i64, i64, String) {
    let (epoch, rest) = text
        .split_once(" \u{b7} ")
        .unwrap_or_else(|| panic!("{text:?}"));
    let (value, countdown) = rest
        .split_once(" in ")
        .unwrap_or_else(|| panic!("{text:?}"));
    (
        epoch.parse().unwrap(),
        value.parse().unwrap(),
        countdown.to_string(),
    )
}

/// The keys of a JSON object, sorted.
fn keys(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// The class a milestone `left` seconds away has under the default thresholds
/// (imminent within a minute, soon within a day).
fn class_for(left: i64) -> &'static str {
    match left {
        0 => "now",
        1..=60 => "imminent",
        61..=86_400 => "soon",
        _ => "far",
    }
}

fn countdown_under_a_day(left: i64) -> String {
    format!("{:02}:{:02}:{:02}", left / 3600, left / 60 % 60, left % 60)
}

/// Lines about a second apart on average, not a burst.
fn assert_one_a_second(lines: &[(String, SystemTime)]) {
    let span = lines
        .last()
        .unwrap()
        .1
        .duration_since(lines[0].1)
        .unwrap()
        .as_secs_f64();
    let n = lines.len() as f64 - 1.0;
    assert!(
        span > n - 1.0 && span < n + 3.0,
        "{} lines over {span} s",
        lines.len()
    );
}

#[test]
fn waybar_objects_across_a_milestone() {
    let Some(faketime) = Faketime::require(&["faketime", "date"]) else {
        return;
    };
    // libfaketime reads its start in TZ: UTC for the process, the zone by flag.
    let env = TestEnv::new();
    let (after, _) = next_milestone(&env, M);
    let args = ["--format", "waybar", "--tz", "America/Los_Angeles"];
    let mut child = bar_from(&env, &faketime, M - 3, &args);
    let lines = lines_until(&child, |line| {
        serde_json::from_str::<Value>(line)
            .is_ok_and(|v| v["text"].as_str().is_some_and(|t| text_parts(t).0 >= M + 2))
    });
    child.stop(Signal::SIGTERM, T);
    assert_eq!(child.stderr(), "");

    let local = gnu_date("America/Los_Angeles", M, "%a %F %T %:z");
    let utc = gnu_date("UTC", M, "%a %F %T %:z");
    let mut epochs = Vec::new();
    for (line, _) in &lines {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        assert_eq!(keys(&v), ["alt", "class", "percentage", "text", "tooltip"]);
        let (epoch, value, countdown) = text_parts(v["text"].as_str().unwrap());
        let class = v["class"].as_str().unwrap();
        assert_eq!(v["alt"], class);
        let tooltip: Vec<&str> = v["tooltip"].as_str().unwrap().lines().collect();
        let percentage = v["percentage"].as_u64().unwrap();
        epochs.push(epoch);
        if epoch <= M {
            let left = M - epoch;
            assert_eq!((value, class), (M, class_for(left)), "{line}");
            assert_eq!(countdown, countdown_under_a_day(left));
            // The label is escaped for Pango (none here needs it).
            assert_eq!(tooltip[0], "1800000000 \u{b7} 1.8 billion");
            assert_eq!(tooltip[1], format!("local  {local}"));
            assert_eq!(tooltip[2], format!("UTC    {utc}"));
            let words = match left {
                0 => "now".to_string(),
                1 => "in 1 second".to_string(),
                n => format!("in {n} seconds"),
            };
            assert_eq!(tooltip[3], format!("{countdown} ({words})"));
            assert_eq!(percentage, if left == 0 { 100 } else { 99 }, "{line}");
        } else {
            assert_eq!((value, class), (after, "far"), "the next follows: {line}");
            assert_eq!(percentage, 0, "{line}");
            assert!(tooltip[0].starts_with(&format!("{after} \u{b7} ")));
        }
    }
    assert!((M - 3..=M - 2).contains(&epochs[0]), "{epochs:?}");
    assert_consecutive(&epochs);
    assert!(epochs.contains(&M));
    assert_one_a_second(&lines);
}

/// One i3bar status line: the blocks, after checking the separator.
fn i3bar_blocks(line: &str, first: bool) -> Vec<Value> {
    let array = if first {
        line
    } else {
        line.strip_prefix(',')
            .unwrap_or_else(|| panic!("no comma before a later status line: {line:?}"))
    };
    let blocks: Value = serde_json::from_str(array).unwrap_or_else(|e| panic!("{line:?}: {e}"));
    blocks.as_array().expect("an array of blocks").clone()
}

#[test]
fn i3bar_protocol_across_a_milestone() {
    let Some(faketime) = Faketime::require(&["faketime"]) else {
        return;
    };
    let env = TestEnv::new();
    let (after, _) = next_milestone(&env, M);
    let mut child = bar_from(&env, &faketime, M - 2, &["--format", "i3bar"]);
    let lines = lines_until(&child, |line| line.contains(&format!("\"{}", M + 1)));
    child.stop(Signal::SIGTERM, T);

    let header: Value = serde_json::from_str(&lines[0].0).unwrap();
    assert_eq!(
        header,
        serde_json::json!({"version": 1, "click_events": true, "stop_signal": 12, "cont_signal": 18})
    );
    assert_eq!(lines[1].0, "[", "the endless array opens");
    let mut urgent_at = Vec::new();
    for (i, (line, _)) in lines[2..].iter().enumerate() {
        let blocks = i3bar_blocks(line, i == 0);
        assert_eq!(blocks.len(), 1);
        let block = &blocks[0];
        assert_eq!(
            keys(block),
            [
                "color",
                "full_text",
                "instance",
                "name",
                "short_text",
                "urgent"
            ]
        );
        assert_eq!(block["name"], "epochwatch");
        let (epoch, value, countdown) = text_parts(block["full_text"].as_str().unwrap());
        assert_eq!(block["instance"], value.to_string());
        assert_eq!(block["short_text"], countdown.as_str());
        let color = block["color"].as_str().unwrap();
        assert!(
            color.len() == 7 && color.starts_with('#'),
            "a #rrggbb colour: {color}"
        );
        if block["urgent"].as_bool().unwrap() {
            urgent_at.push(epoch);
        }
        let expected = if epoch <= M { M } else { after };
        assert_eq!(value, expected, "{line}");
    }
    assert_eq!(urgent_at, [M], "urgent in the milestone's second only");
}

#[test]
fn line_formats_across_a_milestone() {
    let Some(faketime) = Faketime::require(&["faketime"]) else {
        return;
    };
    let env = TestEnv::new();
    let (after, _) = next_milestone(&env, M);
    let run = |format: &str| {
        let mut child = bar_from(&env, &faketime, M - 1, &["--format", format]);
        let done = format!("{} \u{b7}", M + 1);
        let lines = lines_until(&child, |line| line.contains(&done));
        child.stop(Signal::SIGTERM, T);
        assert_eq!(child.stderr(), "", "{format}");
        lines.into_iter().map(|(line, _)| line).collect::<Vec<_>>()
    };
    // Each line: the style of its class (a background too in the
    // milestone's second), the text, the style's end.
    for (format, open, close, now_open) in [
        ("polybar", "%{F", "%{F-}", "%{B#bf616a}%{F#2e3440}"),
        ("tmux", "#[fg=", "#[default]", "#[fg=#2e3440,bg=#bf616a]"),
    ] {
        for line in run(format) {
            let body = line
                .strip_suffix("%{B-}")
                .unwrap_or(&line)
                .strip_suffix(close)
                .and_then(|l| {
                    if l.starts_with(now_open) {
                        l.strip_prefix(now_open)
                    } else {
                        l.strip_prefix(open)
                            .and_then(|l| l.split_once(['}', ']']).map(|(_, t)| t))
                    }
                })
                .unwrap_or_else(|| panic!("{format}: {line:?}"));
            let (epoch, value, _) = text_parts(body);
            let at_milestone = line.starts_with(now_open);
            assert_eq!(at_milestone, epoch == M, "{format}: {line:?}");
            assert_eq!(value, if epoch <= M { M } else { after }, "{line}");
        }
    }
    for line in run("i3blocks") {
        let (open, text) = line
            .strip_suffix("</span>")
            .and_then(|l| l.split_once('>'))
            .unwrap_or_else(|| panic!("i3blocks: {line:?}"));
        let (epoch, value, _) = text_parts(text);
        let now = format!("<span foreground=\"#2e3440\" background=\"{}\"", "#bf616a");
        assert_eq!(open == now, epoch == M, "{line:?}");
        assert!(open.starts_with("<span foreground=\"#"), "{line:?}");
        assert_eq!(value, if epoch <= M { M } else { after }, "{line}");
    }
    let lines = run("text");
    let epochs: Vec<i64> = lines.iter().map(|l| text_parts(l).0).collect();
    assert_consecutive(&epochs);
}

#[test]
fn templates_across_a_milestone_and_unknown_fields() {
    let Some(faketime) = Faketime::require(&["faketime"]) else {
        return;
    };
    let env = TestEnv::new();
    let (after, after_label) = next_milestone(&env, M);
    let template = "{epoch}|{value}|{label}|{countdown}|{remaining}|{class}|{percentage}|{{x}}";
    let mut child = bar_from(&env, &faketime, M - 2, &["--format", template]);
    let lines = lines_until(&child, |line| line.starts_with(&(M + 1).to_string()));
    child.stop(Signal::SIGTERM, T);
    let tail: Vec<&str> = lines
        .iter()
        .rev()
        .take(2)
        .rev()
        .map(|(l, _)| l.as_str())
        .collect();
    assert_eq!(
        tail,
        [
            format!("{M}|{M}|1.8 billion|00:00:00|0|now|100|{{x}}"),
            format!(
                "{}|{after}|{after_label}|{}|{}|far|0|{{x}}",
                M + 1,
                "1157 d 09:46:39",
                after - M - 1
            ),
        ]
    );

    let line = env.bad_input(&["bar", "--format", "{epoch} {nope}"]);
    assert!(
        line.starts_with(
            "epochwatch: error: --format \"{epoch} {nope}\": unknown field {nope}; \
             the fields are {epoch}, {value}, {label}, "
        ),
        "{line}"
    );
    let line = env.bad_input(&["bar", "--once", "--format", "xml"]);
    assert!(line.contains("unknown format \"xml\""), "{line}");
    env.bad_input(&["bar", "--format", "{epoch"]);
}

#[test]
fn once_prints_one_update_exactly() {
    let Some(faketime) = Faketime::require(&["faketime"]) else {
        return;
    };
    let env = TestEnv::new().tz("America/Los_Angeles");
    let frozen = faketime.frozen_at_instant(M - 90, 250_000_000);
    let once = |format: &str| {
        let out = env
            .cmd()
            .envs(frozen.clone())
            .args(["bar", "--once", "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}: {out:?}");
        assert!(out.stderr.is_empty(), "{format}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let text = "1799999910 \u{b7} 1800000000 in 00:01:30";
    let color = "#ebcb8b";
    assert_eq!(once("text"), format!("{text}\n"));
    assert_eq!(
        once("waybar"),
        format!(
            "{{\"text\":\"{text}\",\"alt\":\"soon\",\"tooltip\":\"1800000000 \u{b7} 1.8 billion\\n\
             local  Fri 2027-01-15 00:00:00 -08:00\\nUTC    Fri 2027-01-15 08:00:00 +00:00\\n\
             00:01:30 (in 1 minute 30 seconds)\",\"class\":\"soon\",\"percentage\":99}}\n"
        )
    );
    assert_eq!(
        once("i3bar"),
        format!(
            "{{\"version\":1,\"click_events\":true,\"stop_signal\":12,\"cont_signal\":18}}\n[\n\
             [{{\"name\":\"epochwatch\",\"instance\":\"1800000000\",\"full_text\":\"{text}\",\
             \"short_text\":\"00:01:30\",\"color\":\"{color}\",\"urgent\":false}}]\n"
        )
    );
    assert_eq!(
        once("i3blocks"),
        format!("<span foreground=\"{color}\">{text}</span>\n")
    );
    assert_eq!(once("polybar"), format!("%{{F{color}}}{text}%{{F-}}\n"));
    assert_eq!(once("tmux"), format!("#[fg={color}]{text}#[default]\n"));
    assert_eq!(
        once("{local} / {utc} / {relative} / {rule}"),
        "Fri 2027-01-15 00:00:00 -08:00 / Fri 2027-01-15 08:00:00 +00:00 / \
         in 1 minute 30 seconds / every:100000000\n"
    );
    // Through clap too (-m is not on the fast path): the same text.
    let out = env
        .cmd()
        .envs(frozen.clone())
        .args([
            "bar",
            "--once",
            "-f",
            "{value} {label}",
            "--no-defaults",
            "-m",
            "1800000090=Soon",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "1800000090 Soon\n");
}

#[test]
fn sigusr1_and_clicks_step_to_the_next_milestone() {
    let env = TestEnv::new();
    let milestones = ["5000000000", "6000000000", "7000000000"];
    let mut args = vec!["bar", "--format", "i3bar", "--no-defaults"];
    for m in &milestones {
        args.extend(["-m", m]);
    }
    let mut cmd = env.command();
    cmd.args(&args);
    let (mut child, mut stdin) = Background::spawn_with_stdin(cmd);
    let deadline = Instant::now() + T;
    let instance = |child: &Background| loop {
        let (line, _) = child.next_line(deadline);
        if let Some(rest) = line.split_once("\"instance\":\"") {
            return rest.1.split('"').next().unwrap().to_string();
        }
    };
    // Wait for a shown instance other than `current` (ticks repeat it).
    let wait_for = |child: &Background, want: &str| {
        while instance(child) != want {}
    };
    assert_eq!(instance(&child), milestones[0]);
    child.signal(Signal::SIGUSR1);
    wait_for(&child, milestones[1]);
    child.signal(Signal::SIGUSR1);
    wait_for(&child, milestones[2]);
    child.signal(Signal::SIGUSR1);
    wait_for(&child, milestones[0]);
    // i3bar's click events: `[`, then one object a line.
    writeln!(stdin, "[").unwrap();
    writeln!(
        stdin,
        "{{\"name\":\"epochwatch\",\"instance\":\"5000000000\",\"button\":1,\"x\":10,\"y\":5}}"
    )
    .unwrap();
    wait_for(&child, milestones[1]);
    writeln!(stdin, ",{{\"name\":\"other\",\"button\":1}}").unwrap();
    writeln!(stdin, ",{{\"name\":\"epochwatch\",\"button\":1}}").unwrap();
    wait_for(&child, milestones[2]);
    writeln!(stdin, ",{{\"name\":\"epochwatch\",\"button\":3}}").unwrap();
    wait_for(&child, milestones[0]);
    drop(stdin);
    let status = child.stop(Signal::SIGTERM, T);
    assert_eq!(status.code(), Some(143));
    assert_eq!(child.stderr(), "");
}

/// The last line that arrives within 700 ms of now (a SIGCONT just sent).
fn after_cont(child: &Background) -> (String, SystemTime) {
    let sent = Instant::now();
    let mut last = None;
    while let Some(left) = Duration::from_millis(700).checked_sub(sent.elapsed()) {
        match child.try_next_line(left) {
            Ok(line) => last = Some(line),
            Err(_) => break,
        }
    }
    last.expect("no line within 700 ms of SIGCONT")
}

/// The second a line arrived in.
fn arrival_second(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

#[test]
fn after_sigstop_and_sigcont_the_current_second_at_once() {
    let env = TestEnv::new();
    let mut child = env.background(&[], &["bar", "--format", "{epoch}"]);
    child.next_line(Instant::now() + T);
    child.signal(Signal::SIGSTOP);
    std::thread::sleep(Duration::from_millis(2600));
    while child.try_next_line(Duration::from_millis(10)).is_ok() {}
    child.signal(Signal::SIGCONT);
    // An update the stop caught half-way may come first; the current
    // second follows at once.
    let (line, at) = after_cont(&child);
    assert_eq!(
        line.parse::<i64>().unwrap(),
        arrival_second(at),
        "the current second, not the one before the stop"
    );

    // SIGUSR2 (the header's stop_signal): nothing while hidden, the clock kept.
    child.signal(Signal::SIGUSR2);
    std::thread::sleep(Duration::from_millis(200));
    while child.try_next_line(Duration::from_millis(10)).is_ok() {}
    assert!(
        child.try_next_line(Duration::from_millis(2200)).is_err(),
        "a line while hidden"
    );
    child.signal(Signal::SIGCONT);
    let (line, at) = after_cont(&child);
    assert_eq!(line.parse::<i64>().unwrap(), arrival_second(at));
    let status = child.stop(Signal::SIGTERM, T);
    assert_eq!(status.code(), Some(143));
}

#[test]
fn config_bar_thresholds_change_the_class() {
    let Some(faketime) = Faketime::require(&["faketime"]) else {
        return;
    };
    let env = TestEnv::new();
    env.write_config("[bar]\nsoon = \"2m\"\nimminent = \"95s\"\n");
    let frozen = faketime.frozen_at_instant(M - 90, 0);
    let out = env
        .cmd()
        .envs(frozen)
        .args(["bar", "--once", "--format", "{class}"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "imminent\n");
    let shown = env.stdout_of(&["config", "show"]);
    assert!(
        shown.contains("[bar]\nsoon = \"2m\"  # file\nimminent = \"1m35s\"  # file\n"),
        "{shown}"
    );
}
