//! Real status bars running the segment as the README's snippets start it,
//! under libfaketime a few seconds before 1800000000: i3bar under i3 in
//! Xvfb, Waybar in a headless sway, polybar in Xvfb. Screenshots show it
//! counting and changing class at the milestone (one colour per class);
//! the bars' logs show no protocol or parse error. polybar also shows a
//! label's `%{` escaped as text.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::harness::bars::{
    Classes, HeadlessSway, Logged, SegmentOnPath, follow_classes, has_color, readme_snippet,
    x_screenshot,
};
use crate::harness::internals::polybar_escape;
use crate::harness::{Faketime, Needs, TestEnv};

/// The milestone crossed: 2027-01-15 08:00:00 UTC.
const M: i64 = 1_800_000_000;

/// The segment starts this long before `M`: imminent from the first update.
const LEAD: i64 = 8;

/// Milestones at `M` and the seconds after it, so that the `now` class
/// stays NOW_RUN seconds: a screenshot a second is not sure on a loaded
/// machine, and one missed second is not a failure of the bar.
const NOW_RUN: i64 = 4;

/// The config of every test here: the default set (`M` is in
/// `every:100000000`) and the run of milestones after `M`.
fn write_milestone_run(env: &TestEnv) {
    let run: Vec<String> = (1..NOW_RUN).map(|i| (M + i).to_string()).collect();
    env.write_config(&format!(
        "milestones = [\"every:100000000\", \"repdigit\", \"sequence\", \"pow2\", \"y2038\", \"famous\", {}]\n",
        run.join(", ")
    ));
}

/// What every bar here runs on: the test's environment with the milestone
/// run configured, and the segment on PATH, under libfaketime from `M - LEAD`.
struct Stage {
    env: TestEnv,
    dir: PathBuf,
    segment: SegmentOnPath,
}

impl Stage {
    fn new(faketime: &Faketime) -> Stage {
        let env = TestEnv::new();
        write_milestone_run(&env);
        let segment = SegmentOnPath::new(&env, faketime, M - LEAD);
        Stage {
            dir: env.path().to_path_buf(),
            env,
            segment,
        }
    }

    /// `program` with the test's environment only, the segment first on PATH.
    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .envs(self.env.env_pairs())
            .env("PATH", self.segment.path_var());
        cmd
    }
}

/// From the bar's start to the class after the milestone: LEAD seconds and
/// a slow start on two shared cores.
const FOLLOW: Duration = Duration::from_secs(40);

/// The segment's colours (`Class::color`; the README's Waybar CSS).
const FAR: &str = "#88c0d0";
const IMMINENT: &str = "#d08770";
const NOW: &str = "#bf616a";

/// Copies the kept screenshots (`{bar}-{class}.ppm`) to
/// `$EPOCHWATCH_SCREENSHOTS` as PNG, for `docs/`.
fn export_screenshots(dir: &Path, bar: &str, classes: &[&str]) {
    let Some(out) = std::env::var_os("EPOCHWATCH_SCREENSHOTS") else {
        return;
    };
    for class in classes {
        let _ = Command::new("convert")
            .arg(dir.join(format!("{bar}-{class}.ppm")))
            .arg(Path::new(&out).join(format!("{bar}-{class}.png")))
            .status();
    }
}

/// The classes in order, the segment counting while in the first, the
/// milestones' class for their NOW_RUN seconds, and a clean stderr.
fn assert_followed(
    bar: &str,
    classes: &Classes,
    order: &[&str],
    segment: &SegmentOnPath,
    log: &str,
) {
    assert!(
        classes.names().ends_with(order),
        "{bar}: classes seen {:?}, not {order:?}; its log:\n{log}\nthe segment's stderr:\n{}",
        classes.names(),
        segment.stderr()
    );
    // Counting: a new picture about once a second.
    let frames = &classes.first_frames;
    assert!(
        frames.len() >= 3,
        "{bar}: {} distinct pictures while {}",
        frames.len(),
        order[0]
    );
    let span = frames.last().unwrap().duration_since(frames[0]);
    let mean = span.as_secs_f64() / (frames.len() - 1) as f64;
    assert!(
        (0.5..2.5).contains(&mean),
        "{bar}: a new picture every {mean:.2} s while {}",
        order[0]
    );
    let milestones = classes.between(order[1], order[2]).unwrap().as_secs_f64();
    let run = NOW_RUN as f64;
    assert!(
        (run - 1.5..run + 2.0).contains(&milestones),
        "{bar}: the milestones' {NOW_RUN} seconds shown for {milestones:.2} s"
    );
    assert_eq!(segment.stderr(), "", "{bar}: the segment's stderr");
    assert_eq!(segment.starts(), 1, "{bar} started the segment once");
}

// ---- i3bar under i3, in Xvfb ----

#[test]
fn i3bar_under_i3_shows_the_segment_and_its_classes() {
    let needs = Needs::tools(&["i3", "i3bar", "import", "faketime"]);
    let Some(ready) = needs.faketime().x_display().check() else {
        return;
    };
    let display = ready.display();
    let stage = Stage::new(ready.faketime());
    let Stage { env, dir, segment } = &stage;
    // The README's snippet, with the bar on top (where the screenshot is).
    let snippet = readme_snippet("**i3 or sway**").replacen(
        "bar {\n",
        "bar {\n    position top\n    tray_output none\n",
        1,
    );
    let config = env.write_file(
        "i3.config",
        &format!(
            "# i3 config file (v4)\nfont pango:DejaVu Sans Mono 12\nipc-socket {}/ipc.sock\n{snippet}",
            dir.display()
        ),
    );
    let mut cmd = stage.command("i3");
    cmd.arg("-c").arg(&config).env("DISPLAY", &display);
    let i3 = Logged::spawn(cmd, dir.join("i3.log"));

    // imminent (orange text), then urgent (i3bar's red background), then far.
    let order = ["imminent", "urgent", "far"];
    let classes = follow_classes(
        FOLLOW,
        &[("imminent", IMMINENT), ("urgent", "#900000"), ("far", FAR)],
        &order,
        || x_screenshot(&display, "540x24+100+0"),
        (dir, "i3bar"),
    );
    let log = i3.log();
    assert_followed("i3bar", &classes, &order, segment, &log);
    for bad in ["ERROR", "Could not parse", "status_command", "JSON"] {
        assert!(!log.contains(bad), "{bad:?} in the i3/i3bar log:\n{log}");
    }
    export_screenshots(dir, "i3bar", &order);
}

// ---- Waybar in a headless sway ----

/// Only for a screenshot that is the same everywhere: the font and the
/// bar's background. The README's rules follow.
const WAYBAR_BASE_CSS: &str = "* { font-family: \"DejaVu Sans Mono\"; font-size: 14px; }\n\
     window#waybar { background: #2e3440; }\n";

/// Waybar's `[error]`, `[warning]` and `[critical]` lines and uncaught
/// exceptions: a line of the module's that is not JSON is an `[error]`
/// (`custom/epoch: * Line 1, Column 33`). (Its bare `basic_string::_M_create`
/// line is its own, for any headless output: no "(name)" in the
/// description.)
fn waybar_complaints(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| {
            l.contains("[error]")
                || l.contains("[warning]")
                || l.contains("[critical]")
                || l.contains("exception")
        })
        .collect()
}

#[test]
fn waybar_in_headless_sway_shows_the_segment_and_its_classes() {
    let Some(ready) = Needs::tools(&["waybar", "grim", "faketime"])
        .faketime()
        .check()
    else {
        return;
    };
    let stage = Stage::new(ready.faketime());
    let Some(sway) = HeadlessSway::start(&stage.env) else {
        return;
    };
    let Stage { env, dir, segment } = &stage;
    // The README's module, in a bar of its own.
    let config = env.write_file(
        "waybar.json",
        &format!(
            "{{\n\"position\": \"top\",\n\"height\": 24,\n\"modules-right\": [\"custom/epoch\"],\n{}}}\n",
            readme_snippet("**Waybar**")
        ),
    );
    let style = env.write_file(
        "style.css",
        &format!(
            "{WAYBAR_BASE_CSS}{}",
            readme_snippet("Waybar's `style.css`")
        ),
    );
    let mut cmd = stage.command("waybar");
    cmd.arg("-c")
        .arg(&config)
        .arg("-s")
        .arg(&style)
        .args(["--log-level", "debug"])
        .envs(sway.client_env())
        .env("NO_AT_BRIDGE", "1");
    let waybar = Logged::spawn(cmd, dir.join("waybar.log"));

    let order = ["imminent", "now", "far"];
    let classes = follow_classes(
        FOLLOW,
        &[("imminent", IMMINENT), ("now", NOW), ("far", FAR)],
        &order,
        || sway.screenshot("0,0 640x24"),
        (dir, "waybar"),
    );
    let log = waybar.log();
    let context = format!("{log}\nsway's log:\n{}", sway.log());
    assert_followed("waybar", &classes, &order, segment, &context);
    assert!(log.contains("Bar configured"), "waybar's log:\n{context}");
    let complaints = waybar_complaints(&log);
    assert!(complaints.is_empty(), "waybar complained: {complaints:#?}");
    export_screenshots(dir, "waybar", &order);
}

// ---- polybar in Xvfb ----

/// A label that would be a red background if polybar read it as a tag
/// (short: the bar is 640 pixels wide, the segment takes 420).
const TAGGED_LABEL: &str = "%{B#ff0000}";

#[test]
fn polybar_shows_the_segment_its_classes_and_escaped_labels() {
    let needs = Needs::tools(&["polybar", "import", "faketime"]);
    let Some(ready) = needs.faketime().x_display().check() else {
        return;
    };
    let display = ready.display();
    let stage = Stage::new(ready.faketime());
    let Stage { env, dir, segment } = &stage;
    // Beside the README's module: the label escaped as the segment escapes
    // it, and raw (polybar does read tags from a script: green).
    let raw = TAGGED_LABEL.replace("#ff0000", "#00ff00") + "x";
    for (name, text) in [
        ("escaped", polybar_escape(TAGGED_LABEL).into_owned()),
        ("raw", raw),
    ] {
        env.write_file(&format!("{name}.txt"), &format!("{text}\n"));
        env.write_script(
            &format!("{name}.sh"),
            // Again each second: the write fails once polybar is gone (it
            // is killed, so it ends no child), and the script ends.
            &format!("while cat '{}/{name}.txt'; do sleep 1; done", dir.display()),
        );
    }
    let scripts: String = ["escaped", "raw"]
        .iter()
        .map(|m| {
            format!(
                "\n[module/{m}]\ntype = custom/script\nexec = {}/{m}.sh\ntail = true\n",
                dir.display()
            )
        })
        .collect();
    let config = env.write_file(
        "polybar.ini",
        &format!(
            "[bar/test]\nwidth = 100%\nheight = 24\nbackground = #2e3440\nforeground = #eceff1\n\
             font-0 = DejaVu Sans Mono:size=12;2\nmodules-left = epoch escaped raw\n\n{}{scripts}",
            readme_snippet("**polybar**")
        ),
    );
    let mut cmd = stage.command("polybar");
    cmd.arg("-c")
        .arg(&config)
        .args(["-l", "info", "test"])
        .env("DISPLAY", &display);
    let polybar = Logged::spawn(cmd, dir.join("polybar.log"));

    let order = ["imminent", "now", "far"];
    let classes = follow_classes(
        FOLLOW,
        &[("imminent", IMMINENT), ("now", NOW), ("far", FAR)],
        &order,
        || x_screenshot(&display, "640x24+0+0"),
        (dir, "polybar"),
    );
    let log = format!("{}\n(display {display})", polybar.log());
    assert_followed("polybar", &classes, &order, segment, &log);
    assert!(
        has_color(&classes.last, "#00ff00"),
        "the raw label's tags are read"
    );
    assert!(
        !has_color(&classes.last, "#ff0000"),
        "the escaped label's tags are not"
    );
    let errors: Vec<&str> = log.lines().filter(|l| l.contains("error")).collect();
    assert!(errors.is_empty(), "polybar's errors: {errors:#?}");
    export_screenshots(dir, "polybar", &order);
}
