//! Real status bars for the `bar_real` tests: the segment as the README's
//! snippets start it (an `epochwatch` on PATH, under libfaketime), the
//! README's snippets themselves, screenshots read back as RGB (`import`,
//! `convert`), and the segment's classes followed through them.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

use super::{Faketime, TestEnv, bin_path, poll_until};

/// The fenced block after the README line starting with `lead` (the
/// snippets are tested as pasted).
pub fn readme_snippet(lead: &str) -> String {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let text = std::fs::read_to_string(readme).expect("README.md");
    let after = text
        .lines()
        .skip_while(|l| !l.starts_with(lead))
        .skip_while(|l| !l.starts_with("```"))
        .skip(1);
    let lines: Vec<&str> = after.take_while(|l| !l.starts_with("```")).collect();
    assert!(!lines.is_empty(), "no snippet after {lead:?} in README.md");
    lines.join("\n") + "\n"
}

/// An `epochwatch` on PATH that starts the real binary under libfaketime
/// from a chosen instant, so a bar runs the README's command line as it is.
/// Each start records its pid (killed on drop) and appends its stderr.
pub struct SegmentOnPath {
    dir: PathBuf,
}

impl SegmentOnPath {
    pub fn new(env: &TestEnv, faketime: &Faketime, start: i64) -> SegmentOnPath {
        let dir = env.path().join("segment");
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        let fake: String = faketime
            .start_at(start)
            .iter()
            .map(|(k, v)| format!("{k}='{v}' "))
            .collect();
        let script = dir.join("bin/epochwatch");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\necho $$ >> '{dir}/pids'\nexec env {fake}'{bin}' \"$@\" 2>>'{dir}/stderr'\n",
                dir = dir.display(),
                bin = bin_path().display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        SegmentOnPath { dir }
    }

    /// PATH with this `epochwatch` first.
    pub fn path_var(&self) -> String {
        format!(
            "{}:{}",
            self.dir.join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    /// What the segment wrote to stderr, over all its starts.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir.join("stderr")).unwrap_or_default()
    }

    /// How many times the bar started it.
    pub fn starts(&self) -> usize {
        self.pids().len()
    }

    fn pids(&self) -> Vec<i32> {
        std::fs::read_to_string(self.dir.join("pids"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect()
    }
}

impl Drop for SegmentOnPath {
    fn drop(&mut self) {
        for pid in self.pids() {
            let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), Signal::SIGTERM);
        }
    }
}

/// A bar (or window manager) process with its log in a file; killed on drop.
pub struct Logged {
    child: Child,
    log: PathBuf,
}

impl Logged {
    /// Start `cmd` with stdout and stderr to `log`.
    pub fn spawn(mut cmd: Command, log: PathBuf) -> Logged {
        let file = std::fs::File::create(&log).unwrap();
        let child = cmd
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .unwrap_or_else(|e| panic!("start {cmd:?}: {e}"));
        Logged { child, log }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Logged {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The RGB bytes of `crop` (`WxH+X+Y`) of an X display, by `import` and
/// `convert`; `shot` keeps the PNG.
pub fn x_screenshot(display: &str, crop: &str, shot: &Path) -> Option<Vec<u8>> {
    let ok = Command::new("import")
        .args(["-display", display, "-window", "root", "-crop", crop])
        .arg(shot)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        return None;
    }
    let out = Command::new("convert")
        .arg(shot)
        .arg("rgb:-")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

/// Whether any pixel is exactly `#rrggbb`.
pub fn has_color(rgb: &[u8], hex: &str) -> bool {
    let want: Vec<u8> = (1..7)
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    rgb.chunks_exact(3).any(|pixel| pixel == want.as_slice())
}

/// What screenshots showed of a segment's classes.
#[derive(Debug, Default)]
pub struct Classes {
    /// Each class as it first appeared after another, with when.
    pub seen: Vec<(&'static str, Instant)>,
    /// Distinct screenshots while the first class was shown.
    pub first_frames: usize,
}

impl Classes {
    pub fn names(&self) -> Vec<&'static str> {
        self.seen.iter().map(|(n, _)| *n).collect()
    }

    /// The time from `a` first appearing to `b` first appearing after it.
    pub fn between(&self, a: &str, b: &str) -> Option<Duration> {
        let i = self.seen.iter().position(|(n, _)| *n == a)?;
        let (_, at_b) = self.seen[i..].iter().find(|(n, _)| *n == b)?;
        Some(at_b.duration_since(self.seen[i].1))
    }
}

/// Take screenshots (`shoot` gives the RGB bytes) until the classes
/// (name, the colour that shows it) have appeared in `order`, or `timeout`;
/// `keep(name)` is called at the first screenshot of each.
pub fn follow_classes(
    timeout: Duration,
    classes: &[(&'static str, &str)],
    order: &[&str],
    mut shoot: impl FnMut() -> Option<Vec<u8>>,
    mut keep: impl FnMut(&str),
) -> Classes {
    let mut out = Classes::default();
    let mut last_frame: Option<Vec<u8>> = None;
    poll_until(timeout, || {
        let Some(rgb) = shoot() else {
            return false;
        };
        let now = Instant::now();
        for &(name, color) in classes {
            if has_color(&rgb, color) && out.seen.last().map(|s| s.0) != Some(name) {
                out.seen.push((name, now));
                keep(name);
            }
        }
        if out.names() == order[..1] && last_frame.as_ref() != Some(&rgb) {
            out.first_frames += 1;
            last_frame = Some(rgb);
        }
        out.names().ends_with(order)
    });
    out
}
