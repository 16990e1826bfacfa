//! Real status bars for the `bar_real` and `bar` tests: the segment as the
//! README's snippets start it (an `epochwatch` on PATH, under libfaketime),
//! the README's snippets themselves, a headless sway for Waybar, screenshots
//! (X: `import`; Wayland: `grim`), and the segment's classes followed
//! through them.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

use super::{Faketime, TestEnv, bin_path, poll_until, require_tools};

/// Generous: two shared cores, and a debug binary.
const READY: Duration = Duration::from_secs(20);

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

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Logged {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// sway on the headless backend (no GPU, no input devices, the pixman
/// renderer), with a private `XDG_RUNTIME_DIR` (mode 0700) under `dir`.
pub struct HeadlessSway {
    sway: Logged,
    runtime: PathBuf,
    socket: String,
}

impl HeadlessSway {
    /// `None` after a loud skip when sway (or, as root, unshare) is missing.
    #[track_caller]
    pub fn start(env: &TestEnv) -> Option<HeadlessSway> {
        // sway refuses to run as root; in a user namespace it is uid 1000
        // (files stay root's outside, so nothing needs chown). The test's
        // own directory says who we are.
        use std::os::unix::fs::MetadataExt;
        let root = std::fs::metadata(env.path()).unwrap().uid() == 0;
        let tools: &[&str] = if root {
            &["sway", "unshare"]
        } else {
            &["sway"]
        };
        if !require_tools(tools) {
            return None;
        }
        let dir = env.path();
        let runtime = dir.join("runtime");
        std::fs::create_dir(&runtime).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
        let config = env.write_file(
            "sway.config",
            "xwayland disable\noutput HEADLESS-1 resolution 640x120\n",
        );
        let mut cmd = if root {
            let mut c = Command::new("unshare");
            c.args(["--user", "--map-user=1000", "--map-group=1000", "sway"]);
            c
        } else {
            Command::new("sway")
        };
        cmd.arg("-c")
            .arg(&config)
            .env_clear()
            .envs(env.env_pairs())
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("WLR_BACKENDS", "headless")
            .env("WLR_LIBINPUT_NO_DEVICES", "1")
            .env("WLR_RENDERER", "pixman");
        let mut sway = Logged::spawn(cmd, dir.join("sway.log"));
        let mut socket = None;
        let up = poll_until(READY, || {
            socket = wayland_socket(&runtime);
            socket.is_some() || !sway.is_running()
        });
        let socket = match socket {
            Some(s) if up && sway.is_running() => s,
            _ => panic!("sway did not come up; its log:\n{}", sway.log()),
        };
        Some(HeadlessSway {
            sway,
            runtime,
            socket,
        })
    }

    /// What a Wayland client needs: `XDG_RUNTIME_DIR`, `WAYLAND_DISPLAY`.
    pub fn client_env(&self) -> Vec<(String, String)> {
        vec![
            (
                "XDG_RUNTIME_DIR".to_string(),
                self.runtime.display().to_string(),
            ),
            ("WAYLAND_DISPLAY".to_string(), self.socket.clone()),
        ]
    }

    pub fn log(&self) -> String {
        self.sway.log()
    }

    /// A binary PPM of `geometry` (`x,y wxh`) of the output, by grim.
    pub fn screenshot(&self, geometry: &str) -> Option<Vec<u8>> {
        let out = Command::new("grim")
            .env_clear()
            .envs(self.client_env())
            .args(["-t", "ppm", "-g", geometry, "-"])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        out.status.success().then_some(out.stdout)
    }
}

/// The first `wayland-N` socket in `runtime` (the compositor picks N).
fn wayland_socket(runtime: &Path) -> Option<String> {
    use std::os::unix::fs::FileTypeExt;
    std::fs::read_dir(runtime).ok()?.flatten().find_map(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        let socket = e.file_type().ok()?.is_socket();
        (socket && name.starts_with("wayland-")).then_some(name)
    })
}

/// The pixels of a binary PPM (P6, maxval 255).
fn ppm_rgb(bytes: &[u8]) -> Option<Vec<u8>> {
    // The header: "P6", width, height, maxval, each ended by one whitespace.
    let mut fields = 0;
    let mut at = 0;
    while fields < 4 {
        while bytes.get(at)?.is_ascii_whitespace() {
            at += 1;
        }
        while !bytes.get(at)?.is_ascii_whitespace() {
            at += 1;
        }
        fields += 1;
    }
    let header = std::str::from_utf8(&bytes[..at]).ok()?;
    let numbers: Vec<usize> = header
        .split_whitespace()
        .skip(1)
        .filter_map(|n| n.parse().ok())
        .collect();
    let [w, h, 255] = numbers[..] else {
        return None;
    };
    let pixels = &bytes[at + 1..];
    (pixels.len() == w * h * 3).then(|| pixels.to_vec())
}

/// A binary PPM of `crop` (`WxH+X+Y`) of an X display, by `import` (one
/// process a screenshot: they must keep up with a second on a loaded
/// machine).
pub fn x_screenshot(display: &str, crop: &str) -> Option<Vec<u8>> {
    let out = Command::new("import")
        .args(["-display", display, "-window", "root", "-crop", crop])
        .args(["-depth", "8", "ppm:-"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
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
    /// When each distinct screenshot was taken while the first class was
    /// shown.
    pub first_frames: Vec<Instant>,
    /// The pixels of the last screenshot.
    pub last: Vec<u8>,
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

/// Take screenshots (`shoot` gives a binary PPM) until the classes
/// (name, the colour that shows it) have appeared in `order`, or `timeout`;
/// the first screenshot of each is kept as `{dir}/{bar}-{class}.ppm`.
pub fn follow_classes(
    timeout: Duration,
    classes: &[(&'static str, &str)],
    order: &[&str],
    mut shoot: impl FnMut() -> Option<Vec<u8>>,
    (dir, bar): (&Path, &str),
) -> Classes {
    let mut out = Classes::default();
    let mut last_frame: Option<Vec<u8>> = None;
    poll_until(timeout, || {
        let Some(ppm) = shoot() else {
            return false;
        };
        let now = Instant::now();
        let Some(rgb) = ppm_rgb(&ppm) else {
            return false;
        };
        for &(name, color) in classes {
            if has_color(&rgb, color) && out.seen.last().map(|s| s.0) != Some(name) {
                out.seen.push((name, now));
                let _ = std::fs::write(dir.join(format!("{bar}-{name}.ppm")), &ppm);
            }
        }
        if out.names() == order[..1] && last_frame.as_ref() != Some(&rgb) {
            out.first_frames.push(now);
            last_frame = Some(rgb.clone());
        }
        out.last = rgb;
        out.names().ends_with(order)
    });
    out
}
