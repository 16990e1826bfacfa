//! `epochwatch watch` full screen, in a real terminal: each test runs the
//! binary inside its own tmux server (a private `-L` socket, killed on drop)
//! and reads the screen back with `capture-pane`. Time is driven by
//! libfaketime (LD_PRELOAD, so the watched process is the binary itself and
//! signals reach it directly) where the values matter.
//!
//! After every exit path the tests check that the terminal is handed back:
//! alternate screen off, cursor visible, the shell's earlier output visible
//! again, and `stty -a` in the pane showing cooked mode (icanon, echo).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::harness::pty::Pty;
use crate::harness::tmux::{Tmux, env_command, sq, wait_file};
use crate::harness::{Faketime, TestEnv, bin_path, now_secs};

/// Generous: two shared cores, and a debug binary.
const T: Duration = Duration::from_secs(20);

/// The sequence milestone the faketime tests count down to.
const SEQ: i64 = 1_234_567_890;

/// tmux and libfaketime available (else skip loudly, or fail in CI).
fn ready() -> Option<Faketime> {
    Faketime::require(&["tmux", "faketime"])
}

/// The command line that starts the binary with `args` (`--no-notify` added),
/// under libfaketime from `start` when given. It writes its pid to `pidfile`
/// first and then execs, so the pid is the watcher's own.
fn program(faketime: &Faketime, start: Option<i64>, args: &str, pidfile: &Path) -> String {
    let fake = start
        .map(|epoch| faketime.start_at(epoch))
        .unwrap_or_default();
    let inner = format!(
        "echo $$ > {}; exec {} {args}",
        sq(&pidfile.display().to_string()),
        env_command(&fake, &["--no-notify"])
    );
    format!("sh -c {}", sq(&inner))
}

/// An interactive bash (job control on) in a `width`x`height` tmux pane,
/// with the test environment and a known prompt.
fn shell(env: &TestEnv, width: u16, height: u16) -> Tmux {
    let rc = env.write_file("bashrc", "PS1='ew$ '\nunset HISTFILE\n");
    let t = Tmux::start(
        width,
        height,
        &env.env_pairs(),
        env.path(),
        &format!(
            "exec bash --noprofile --rcfile {} -i",
            sq(&rc.display().to_string())
        ),
    );
    t.wait_text("ew$", T);
    t
}

/// Start the watcher from the shell: a marker line first, then the program,
/// then its exit status into `rc`. Waits for the full screen to be up.
fn launch(
    t: &Tmux,
    env: &TestEnv,
    faketime: &Faketime,
    start: Option<i64>,
    args: &str,
) -> Launched {
    let marker = format!("MARKER-{}", std::process::id());
    let rc = env.path().join("rc");
    let pid = env.path().join("pid");
    let _ = std::fs::remove_file(&rc);
    let _ = std::fs::remove_file(&pid);
    // Typed as MARK''ER so that only the echo's output matches the marker,
    // wherever the shell wraps the long command line.
    let typed = marker.replacen("MARKER", "MARK''ER", 1);
    t.run_line(&format!(
        "echo {typed}; {}; echo $? > {}",
        program(faketime, start, args, &pid),
        sq(&rc.display().to_string())
    ));
    t.wait_display("#{alternate_on}", "1", T);
    t.wait_text("Next: ", T);
    let pid: i32 = wait_file(&pid, T).parse().expect("pid");
    Launched { marker, rc, pid }
}

struct Launched {
    marker: String,
    rc: PathBuf,
    pid: i32,
}

impl Launched {
    fn status(&self) -> String {
        wait_file(&self.rc, T)
    }

    fn signal(&self, signal: nix::sys::signal::Signal) {
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(self.pid), signal)
            .expect("cannot signal the watcher");
    }
}

/// The terminal is as the shell left it: main screen (with the marker line
/// printed before the program started), cursor shown, cooked mode.
fn assert_restored(t: &Tmux, env: &TestEnv, marker: &str) {
    t.wait_display("#{alternate_on}", "0", T);
    assert!(t.cursor_visible(), "cursor hidden after exit");
    let screen = t.wait_for("the marker line", T, |s| s.contains(marker));
    assert!(
        !screen.contains("Next: "),
        "the watcher's screen is still visible:\n{screen}"
    );
    let out = env.path().join("stty.txt");
    let tmp = env.path().join("stty.tmp");
    // Written whole, then renamed, so the wait sees all of it or nothing.
    t.run_line(&format!(
        "stty -a > {} 2>&1; mv {} {}",
        sq(&tmp.display().to_string()),
        sq(&tmp.display().to_string()),
        sq(&out.display().to_string())
    ));
    let stty = wait_file(&out, T);
    let flags: Vec<&str> = stty.split_whitespace().collect();
    for flag in ["icanon", "echo", "isig", "icrnl", "opost"] {
        assert!(
            flags.contains(&flag),
            "terminal left with -{flag} (raw mode?):\n{stty}"
        );
    }
}

/// The exact value as a plain text line: a line that is only a 10-digit number.
fn value_on(screen: &str) -> Option<i64> {
    screen.lines().find_map(|l| {
        let l = l.trim();
        (l.len() == 10 && l.bytes().all(|b| b.is_ascii_digit())).then(|| l.parse().unwrap())
    })
}

/// The epoch after "Next: " and the "(i/N)" position.
fn next_on(screen: &str) -> Option<(i64, String)> {
    let line = screen.lines().find(|l| l.contains("Next: "))?;
    let rest = &line[line.find("Next: ")? + 6..];
    let epoch: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let pos = line[line.rfind('(')?..].trim().to_string();
    Some((epoch.parse().ok()?, pos))
}

#[test]
fn countdown_reach_next_then_q_restores_terminal() {
    let Some(faketime) = ready() else { return };
    let env = TestEnv::new();
    let t = shell(&env, 100, 30);
    let run = launch(&t, &env, &faketime, Some(SEQ - 5), "");
    assert!(!t.cursor_visible(), "cursor shown in full-screen mode");

    // The countdown to 1234567890, with its exact value and position.
    let screen = t.wait_for("the countdown to 1234567890", T, |s| {
        s.contains("Next: 1234567890  1234567890 day, celebrated around the world  (1/")
            && (1..=5).any(|n| s.contains(&format!("in 00:00:0{n}")))
    });
    let shown = value_on(&screen).expect("value line");
    assert!(
        (SEQ - 5..SEQ).contains(&shown),
        "value {shown} during the countdown:\n{screen}"
    );
    assert!(
        screen.contains("Fri 2009-02-13 23:31:2"),
        "date-time missing:\n{screen}"
    );

    // The celebration, then the next milestone of the default set.
    let screen = t.wait_text(
        "*** 1,234,567,890 reached! 1234567890 day, celebrated around the world ***",
        T,
    );
    let shown = value_on(&screen).expect("value line");
    assert!(
        (SEQ..SEQ + 5).contains(&shown),
        "value {shown} during the celebration:\n{screen}"
    );
    let screen = t.wait_text("Next: 1300000000", T);
    assert!(screen.contains("(1/"), "{screen}");

    // The celebration ends after 5 s.
    let screen = t.wait_for("the celebration to end", T, |s| !s.contains("reached!"));
    assert!(value_on(&screen).unwrap() >= SEQ + 5, "{screen}");

    t.keys(&["q"]);
    assert_eq!(run.status(), "0");
    assert_restored(&t, &env, &run.marker);
}

#[test]
fn sigterm_exits_143_and_restores_terminal() {
    let Some(faketime) = ready() else { return };
    let env = TestEnv::new();
    let t = shell(&env, 100, 30);
    let run = launch(&t, &env, &faketime, Some(SEQ - 3), "");
    t.wait_text("Next: 1234567890", T);
    run.signal(nix::sys::signal::Signal::SIGTERM);
    assert_eq!(run.status(), "143");
    assert_restored(&t, &env, &run.marker);
}

#[test]
fn sighup_exits_129_and_restores_terminal() {
    let Some(faketime) = ready() else { return };
    let env = TestEnv::new();
    let t = shell(&env, 100, 30);
    let run = launch(&t, &env, &faketime, Some(SEQ - 3), "");
    t.wait_text("Next: 1234567890", T);
    run.signal(nix::sys::signal::Signal::SIGHUP);
    assert_eq!(run.status(), "129");
    assert_restored(&t, &env, &run.marker);
}

/// Run the watcher as the pane's only process at `width`x`height`.
fn direct(env: &TestEnv, faketime: &Faketime, width: u16, height: u16) -> (Tmux, PathBuf) {
    let rc = env.path().join("rc");
    let err = env.path().join("stderr.txt");
    let cmd = format!(
        "{} 2> {}; echo $? > {}; sleep 30",
        program(faketime, Some(SEQ - 5), "", &env.path().join("pid")),
        sq(&err.display().to_string()),
        sq(&rc.display().to_string())
    );
    let t = Tmux::start(width, height, &env.env_pairs(), env.path(), &cmd);
    (t, rc)
}

fn assert_quits_cleanly(t: &Tmux, env: &TestEnv, rc: &Path) {
    t.keys(&["q"]);
    assert_eq!(wait_file(rc, T), "0");
    let err = std::fs::read_to_string(env.path().join("stderr.txt")).unwrap();
    assert!(err.is_empty(), "stderr: {err}");
}

#[test]
fn small_panes_show_the_value() {
    let Some(faketime) = ready() else { return };
    for (width, height) in [(20u16, 5u16), (10, 1)] {
        let env = TestEnv::new();
        let (t, rc) = direct(&env, &faketime, width, height);
        assert_eq!(t.size(), (width, height));
        t.wait_display("#{alternate_on}", "1", T);
        let screen = t.wait_for("the value", T, |s| value_on(s).is_some());
        let shown = value_on(&screen).unwrap();
        assert!(
            (SEQ - 5..SEQ + 10).contains(&shown),
            "{width}x{height}: value {shown}:\n{screen}"
        );
        // Still alive and counting a few seconds later.
        let later = t.wait_for("the value to advance", T, |s| {
            value_on(s).is_some_and(|v| v >= shown + 2)
        });
        assert!(value_on(&later).unwrap() < SEQ + 30, "{later}");
        if height > 1 {
            // The countdown line is the next thing kept as rows run out.
            assert!(
                later.contains("Next: ") || later.contains(" in "),
                "{width}x{height}: no milestone line:\n{later}"
            );
        }
        assert_quits_cleanly(&t, &env, &rc);
    }
}

/// Wait for the value to change, so the next second is about 1 s away.
fn just_after_tick(t: &Tmux) -> i64 {
    let first = value_on(&t.wait_for("the value", T, |s| value_on(s).is_some())).unwrap();
    let screen = t.wait_for("the next second", T, |s| {
        value_on(s).is_some_and(|v| v != first)
    });
    value_on(&screen).unwrap()
}

#[test]
fn resize_redraws_at_once() {
    let Some(faketime) = ready() else { return };
    let env = TestEnv::new();
    let (t, rc) = direct(&env, &faketime, 100, 30);
    t.wait_display("#{alternate_on}", "1", T);
    t.wait_text("Next: ", T);
    assert!(t.screen().contains('█'), "no big digits at 100x30");

    // Resize right after a tick, and see the new layout with the same value:
    // it was redrawn for the resize, not by the next tick. (Waiting for a
    // tick first also leaves ~1 s before the next, even on a loaded box.)
    for (width, height, big) in [(30u16, 6u16, false), (100, 30, true), (30, 6, false)] {
        let value = just_after_tick(&t);
        let asked = Instant::now();
        t.resize(width, height);
        let screen = t.wait_for(&format!("a {width}x{height} redraw"), T, |s| {
            let lines: Vec<&str> = s.lines().collect();
            value_on(s).is_some()
                && lines.iter().all(|l| l.chars().count() <= width as usize)
                // Big digits fill several rows; one row of blocks is the
                // progress bar, which a small screen shows where no UTC
                // line takes its row (TZ=UTC).
                && (s.lines().filter(|l| l.contains('█')).count() > 1) == big
                && (big || s.contains("Next: "))
        });
        let took = asked.elapsed();
        assert_eq!(t.size(), (width, height));
        let shown = value_on(&screen).unwrap();
        assert_eq!(
            shown, value,
            "{width}x{height}: redrawn only by the next tick ({took:?} after the resize):\n{screen}"
        );
    }
    assert_quits_cleanly(&t, &env, &rc);
}

#[test]
fn keys_step_help_zone_and_ctrl_c() {
    let Some(faketime) = ready() else { return };
    // A zone that is not UTC, so the toggle is visible in the offsets too.
    let env = TestEnv::new().tz("Asia/Tokyo");
    let t = shell(&env, 100, 30);
    let run = launch(&t, &env, &faketime, None, "");

    let screen = t.wait_text("(1/", T);
    let (first, pos) = next_on(&screen).expect("Next line");
    assert!(first > now_secs() - 5, "{screen}");
    assert!(pos.starts_with("(1/"), "{pos}");

    t.keys(&["n"]);
    let screen = t.wait_text("(2/", T);
    let (second, _) = next_on(&screen).unwrap();
    assert!(second > first, "n: {second} not after {first}:\n{screen}");
    t.keys(&["n"]);
    t.wait_text("(3/", T);
    t.keys(&["p"]);
    t.wait_text("(2/", T);
    t.keys(&["p"]);
    let screen = t.wait_text("(1/", T);
    assert_eq!(next_on(&screen).unwrap().0, first, "{screen}");
    // p at the first stays there.
    t.keys(&["p"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(t.screen().contains("(1/"));

    // ? shows the key help, ? again hides it.
    t.keys(&["?"]);
    let screen = t.wait_text("show / hide this help", T);
    assert!(
        screen.contains(" keys ") && screen.contains("suspend"),
        "{screen}"
    );
    t.keys(&["?"]);
    t.wait_for("the help to close", T, |s| {
        !s.contains("show / hide this help") && s.contains("Next: ")
    });

    // t: the primary date-time line goes from local (+09:00) to UTC.
    let local = t.wait_text("+09:00  local", T);
    assert!(local.contains("+00:00  UTC"), "{local}");
    t.keys(&["t"]);
    let utc = t.wait_for("the zone toggle", T, |s| !s.contains("local"));
    let value_row = utc
        .lines()
        .position(|l| value_on(l).is_some())
        .expect("value line");
    let primary = utc.lines().nth(value_row + 1).unwrap();
    assert!(
        primary.trim_end().ends_with("+00:00  UTC"),
        "primary zone line after t: {primary:?}\n{utc}"
    );
    assert!(!utc.contains("+09:00"), "{utc}");
    t.keys(&["t"]);
    t.wait_text("+09:00  local", T);

    t.keys(&["C-c"]);
    assert_eq!(run.status(), "130");
    assert_restored(&t, &env, &run.marker);
}

#[test]
fn ctrl_z_suspends_and_fg_redraws() {
    let Some(_faketime) = ready() else { return };
    let env = TestEnv::new();
    let t = shell(&env, 100, 30);
    let marker = format!("MARKER-{}", std::process::id());
    let typed = marker.replacen("MARKER", "MARK''ER", 1);
    // Run by the shell itself (no `; echo $?` list), so `fg` owns its status.
    t.run_line(&format!(
        "echo {typed}; {} --no-notify",
        sq(&bin_path().display().to_string())
    ));
    t.wait_display("#{alternate_on}", "1", T);
    t.wait_for("the value", T, |s| {
        value_on(s).is_some() && s.contains("Next: ")
    });

    t.keys(&["C-z"]);
    t.wait_display("#{alternate_on}", "0", T);
    let screen = t.wait_for("the job to stop", T, |s| {
        s.contains("Stopped")
            && s.lines()
                .rfind(|l| !l.trim().is_empty())
                .is_some_and(|l| l.starts_with("ew$"))
    });
    assert!(t.cursor_visible(), "cursor hidden while suspended");
    assert!(screen.contains(&marker), "shell output not back:\n{screen}");

    t.run_line("fg");
    t.wait_display("#{alternate_on}", "1", T);
    let screen = t.wait_for("an intact redraw", T, |s| {
        value_on(s).is_some() && s.contains("Next: ") && s.contains("q quit") && s.contains('█')
    });
    let shown = value_on(&screen).unwrap();
    assert!(
        (now_secs() - 5..=now_secs() + 1).contains(&shown),
        "{screen}"
    );
    // And it keeps counting.
    t.wait_for("the value to advance", T, |s| {
        value_on(s).is_some_and(|v| v > shown)
    });

    t.keys(&["q"]);
    t.wait_display("#{alternate_on}", "0", T);
    let rc = env.path().join("rc");
    t.run_line(&format!("echo $? > {}", sq(&rc.display().to_string())));
    assert_eq!(wait_file(&rc, T), "0");
    assert_restored(&t, &env, &marker);
}

#[test]
fn w_shows_the_selected_milestone_around_the_world() {
    let Some(faketime) = ready() else { return };
    let env = TestEnv::new();
    env.write_config(
        "[world]\ncities = [\"Pacific/Honolulu\", \"America/Los_Angeles\", \
         { zone = \"Asia/Tokyo\", name = \"Tokyo (party)\" }]\n",
    );
    let t = shell(&env, 100, 30);
    let run = launch(&t, &env, &faketime, Some(1_799_999_000), "");
    t.wait_text("Next: 1800000000", T);
    t.keys(&["w"]);
    let screen = t.wait_text("Tokyo (party)", T);
    for row in [
        "-10:00  Honolulu          Thu 2027-01-14 22:00:00  -1 day, on the hour",
        "-08:00  Los Angeles       Fri 2027-01-15 00:00:00  midnight",
        "+09:00  Tokyo (party)     Fri 2027-01-15 17:00:00  on the hour",
        "Fri 2027-01-15 08:00:00 UTC",
        "1800000000  1.8 billion  in 00:",
    ] {
        assert!(screen.contains(row), "{row:?} missing:\n{screen}");
    }
    // The countdown goes on; n steps to the next milestone's world.
    t.keys(&["n"]);
    t.wait_text("Sun 2030-03-17 17:46:40 UTC", T);
    t.wait_text("Mon 2030-03-18 02:46:40  +1 day", T);
    // A small pane still shows the cities it can, and what it leaves out.
    t.resize(30, 4);
    let small = t.wait_text("more cities", T);
    assert!(small.lines().all(|l| l.chars().count() <= 30), "{small}");
    t.resize(100, 30);
    t.keys(&["?"]);
    t.wait_text("the selected milestone around the world", T);
    t.keys(&["Escape", "w"]);
    t.wait_text("Next: 1900000000", T);
    t.keys(&["q"]);
    assert_eq!(run.status(), "0");
    assert_restored(&t, &env, &run.marker);
}

/// A pty whose size was never set reports 0x0; the watcher draws at
/// `$COLUMNS` x `$LINES`, else 80x24, instead of a blank screen, and `q`
/// still quits.
#[test]
fn a_terminal_of_size_zero_is_drawn_at_the_fallback_size() {
    if !crate::harness::require_tools(&["setsid", "stty"]) {
        return;
    }
    for (vars, size) in [
        (vec![], (80u16, 24u16)),
        (vec![("COLUMNS", "100"), ("LINES", "30")], (100, 30)),
    ] {
        let env = TestEnv::new();
        let mut pty = Pty::spawn(&env, &vars, &["watch", "--no-notify"], (200, 60));
        assert_eq!(pty.kernel_size(), "0 0", "the pty should report no size");
        let screen = pty.wait_screen(T, |s| s.contains("Next: ") && value_on(s).is_some());
        let value = value_on(&screen).unwrap_or_else(|| panic!("no value drawn:\n{screen}"));
        assert!((value - now_secs()).abs() <= 5, "{value} is not now");
        // Drawn at `size` (read on a larger screen): centred in it, the
        // value across its width and everything drawn down its height.
        let rows: Vec<&str> = screen.lines().collect();
        let used: Vec<usize> = (0..rows.len())
            .filter(|&i| !rows[i].trim().is_empty())
            .collect();
        let (top, bottom) = (used[0], used[used.len() - 1]);
        let digits = value.to_string();
        let column = rows
            .iter()
            .find_map(|r| r.find(&digits))
            .unwrap_or_default();
        let centre = (column + digits.len() / 2, (top + bottom).div_ceil(2));
        let want = (usize::from(size.0) / 2, usize::from(size.1) / 2);
        assert!(
            centre.0.abs_diff(want.0) <= 1 && centre.1.abs_diff(want.1) <= 1,
            "{vars:?}: drawn around {centre:?}, not {want:?}:\n{screen}"
        );
        pty.send(b"q");
        let status = pty.wait(T).expect("the watcher did not quit on q");
        assert_eq!(status.code(), Some(0));
    }
}
