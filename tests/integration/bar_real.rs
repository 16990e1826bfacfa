//! Real status bars running the segment as the README's snippets start it,
//! under libfaketime a few seconds before 1800000000: i3bar under i3 in
//! Xvfb. Screenshots show it counting and changing class at the milestone
//! (one colour per class); the bar's log shows no protocol error.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::harness::bars::{
    Classes, Logged, SegmentOnPath, follow_classes, readme_snippet, x_screenshot,
};
use crate::harness::desktop::DesktopSession;
use crate::harness::{Faketime, TestEnv, require_tools};

/// The milestone crossed: 2027-01-15 08:00:00 UTC.
const M: i64 = 1_800_000_000;

/// The segment starts this long before `M`: imminent from the first update.
const LEAD: i64 = 8;

/// From the bar's start to the class after the milestone: LEAD seconds and
/// a slow start on two shared cores.
const FOLLOW: Duration = Duration::from_secs(40);

/// The segment's colours (`Class::color`; the README's Waybar CSS).
const FAR: &str = "#88c0d0";
const IMMINENT: &str = "#d08770";

/// Copies the kept screenshots (`{bar}-{class}.{ext}`) to
/// `$EPOCHWATCH_SCREENSHOTS` as PNG, for `docs/`.
fn export_screenshots(dir: &Path, bar: &str, ext: &str, classes: &[&str]) {
    let Some(out) = std::env::var_os("EPOCHWATCH_SCREENSHOTS") else {
        return;
    };
    for class in classes {
        let _ = Command::new("convert")
            .arg(dir.join(format!("{bar}-{class}.{ext}")))
            .arg(Path::new(&out).join(format!("{bar}-{class}.png")))
            .status();
    }
}

/// The classes in order, the segment counting while imminent, the
/// milestone's own class for about a second, and a clean stderr.
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
    assert!(
        classes.first_frames >= 3,
        "{bar}: the segment's pixels change from second to second ({} frames while {})",
        classes.first_frames,
        order[0]
    );
    let milestone = classes.between(order[1], order[2]).unwrap();
    assert!(
        milestone > Duration::from_millis(400) && milestone < Duration::from_millis(2500),
        "{bar}: the milestone's second shown for {milestone:?}"
    );
    assert_eq!(segment.stderr(), "", "{bar}: the segment's stderr");
    assert_eq!(segment.starts(), 1, "{bar} started the segment once");
}

// ---- i3bar under i3, in Xvfb ----

#[test]
fn i3bar_under_i3_shows_the_segment_and_its_classes() {
    if !require_tools(&["i3", "i3bar", "import", "convert"]) {
        return;
    }
    let Some(faketime) = Faketime::require(&["faketime"]) else {
        return;
    };
    let Some(desktop) = DesktopSession::x_display() else {
        return;
    };
    let display = desktop.display().unwrap().to_string();
    let env = TestEnv::new();
    let dir = env.path().to_path_buf();
    let segment = SegmentOnPath::new(&env, &faketime, M - LEAD);
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
    let mut cmd = Command::new("i3");
    cmd.arg("-c")
        .arg(&config)
        .env_clear()
        .envs(env.env_pairs())
        .env("PATH", segment.path_var())
        .env("DISPLAY", &display);
    let i3 = Logged::spawn(cmd, dir.join("i3.log"));

    // imminent (orange text), then urgent (i3bar's red background), then far.
    let order = ["imminent", "urgent", "far"];
    let shot = dir.join("shot.png");
    let classes = follow_classes(
        FOLLOW,
        &[("imminent", IMMINENT), ("urgent", "#900000"), ("far", FAR)],
        &order,
        || x_screenshot(&display, "540x24+100+0", &shot),
        |name| {
            let _ = std::fs::copy(&shot, dir.join(format!("i3bar-{name}.png")));
        },
    );
    let log = i3.log();
    assert_followed("i3bar", &classes, &order, &segment, &log);
    for bad in ["ERROR", "Could not parse", "status_command", "JSON"] {
        assert!(!log.contains(bad), "{bad:?} in the i3/i3bar log:\n{log}");
    }
    export_screenshots(&dir, "i3bar", "png", &order);
}
