//! `epochwatch watch`: the live counter, full screen or one line per second.
//!
//! One loop for both modes: read the clock, feed the engine, hand its
//! events to the outputs (the screen or the line writer, and the alert
//! dispatcher), then sleep until the next second boundary. Input, signals
//! and alert reports arrive on a channel from their own threads, which wake
//! the sleeping clock; nothing else wakes the process.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use anyhow::Context;
use crossterm::event::Event as InputEvent;
use signal_hook::consts::signal::{SIGCONT, SIGHUP, SIGINT, SIGTERM, SIGTSTP};

use crate::alert::{Alert, Dispatcher, Report};
use crate::cli::WatchArgs;
use crate::clock::{Clock, SystemClock, Waker};
use crate::config::{self, ColorMode, Config};
use crate::display::terminal::Session;
use crate::display::{KeyAction, View};
use crate::engine::{Engine, EngineOptions, Event};
use crate::error::Status;
use crate::milestone::Schedule;
use crate::output::{LineFormat, LineOutput};
use crate::time::Zone;

/// What the helper threads tell the loop.
enum Message {
    Input(InputEvent),
    Signal(i32),
    Report(Report),
}

/// Everything `watch` needs, resolved from flags, environment, file and defaults.
struct Setup {
    schedule: Schedule,
    zone: Zone,
    color: ColorMode,
    alerts: config::AlertSettings,
}

fn resolve(config_flag: Option<&Path>, args: &WatchArgs) -> anyhow::Result<Setup> {
    let config = Config::load(config_flag)?;
    let zone = config::display_zone_for(&config, &args.zone)?;
    let schedule = config::schedule_for(&config, &args.milestones, zone)?;
    let alerts = config::alert_settings_for(&config, &args.alerts)?;
    let color = config::color_for(&config, args.color);
    Ok(Setup {
        schedule,
        zone,
        color,
        alerts,
    })
}

pub fn run(config_flag: Option<&Path>, args: &WatchArgs) -> anyhow::Result<Status> {
    let setup = resolve(config_flag, args)?;
    let stdout_is_tty = io::stdout().is_terminal();
    let format = if args.json {
        Some(LineFormat::Json)
    } else if args.plain || !stdout_is_tty {
        Some(LineFormat::Plain)
    } else {
        None
    };

    let clock = SystemClock::new().context("cannot create the wall-clock timer")?;
    let waker = clock.waker();
    let (tx, rx) = mpsc::channel();
    let full_screen = format.is_none();
    spawn_signal_thread(tx.clone(), waker.clone(), full_screen)?;

    let report_tx = tx.clone();
    let report_waker = waker.clone();
    let dispatcher = Dispatcher::start(
        setup.alerts.clone(),
        setup.zone,
        Box::new(move |report| {
            if report_tx.send(Message::Report(report)).is_ok() {
                report_waker.wake();
            }
        }),
    );

    let engine = Engine::new(
        setup.schedule,
        EngineOptions {
            remind: setup.alerts.remind.clone(),
            catch_up: None,
            fired_through: clock.now().secs,
        },
    );

    let status = match format {
        Some(format) => run_lines(&clock, engine, &dispatcher, &rx, format),
        None => {
            let color = match setup.color {
                ColorMode::Always => true,
                ColorMode::Never => false,
                ColorMode::Auto => stdout_is_tty,
            };
            spawn_input_thread(tx, waker);
            run_screen(&clock, engine, &dispatcher, &rx, setup.zone, color)
        }
    };
    dispatcher.shutdown(Duration::from_millis(500));
    status
}

/// SIGTERM, SIGINT and SIGHUP end the watcher with 128+N; in full-screen
/// mode SIGTSTP and SIGCONT suspend and redraw.
fn spawn_signal_thread(tx: Sender<Message>, waker: Waker, full_screen: bool) -> io::Result<()> {
    let mut wanted = vec![SIGTERM, SIGINT, SIGHUP];
    if full_screen {
        wanted.extend([SIGTSTP, SIGCONT]);
    }
    let mut signals = signal_hook::iterator::Signals::new(&wanted)?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if tx.send(Message::Signal(signal)).is_err() {
                    break;
                }
                waker.wake();
            }
        })?;
    Ok(())
}

fn spawn_input_thread(tx: Sender<Message>, waker: Waker) {
    let _ = std::thread::Builder::new()
        .name("input".into())
        .spawn(move || {
            while let Ok(event) = crossterm::event::read() {
                if tx.send(Message::Input(event)).is_err() {
                    break;
                }
                waker.wake();
            }
        });
}

/// Plain or JSON lines on stdout, one per second, flushed at the boundary.
fn run_lines(
    clock: &SystemClock,
    mut engine: Engine,
    dispatcher: &Dispatcher,
    rx: &Receiver<Message>,
    format: LineFormat,
) -> anyhow::Result<Status> {
    let stdout = io::stdout();
    let mut output = LineOutput::new(format, stdout.lock(), io::stderr());
    let mut events = Vec::new();
    loop {
        let now = clock.now();
        engine.observe_into(now, &mut events);
        for event in events.drain(..) {
            if let Err(err) = output.event(&event) {
                // `watch | head -3`: the reader is gone, which is a normal end.
                if err.kind() == io::ErrorKind::BrokenPipe {
                    return Ok(Status::Success);
                }
                return Err(err).context("cannot write to stdout");
            }
            if let Some(alert) = Alert::from_event(&event, now) {
                dispatcher.send(alert);
            }
        }
        while let Ok(message) = rx.try_recv() {
            match message {
                Message::Signal(signal) => return Ok(Status::Signal(signal)),
                Message::Report(Report::Bell) => output.bell(),
                Message::Report(report) => {
                    if let Some(line) = report.describe() {
                        output.notice(&line);
                    }
                }
                Message::Input(_) => {}
            }
        }
        clock.sleep_until(now.next_second());
    }
}

/// The full-screen display.
fn run_screen(
    clock: &SystemClock,
    mut engine: Engine,
    dispatcher: &Dispatcher,
    rx: &Receiver<Message>,
    zone: Zone,
    color: bool,
) -> anyhow::Result<Status> {
    let mut session = Session::enter().context("cannot set up the terminal")?;
    let mut view = View::new(zone, false, color);
    let mut events = Vec::new();
    loop {
        let now = clock.now();
        let mut dirty = false;
        let mut ring = false;
        engine.observe_into(now, &mut events);
        for event in events.drain(..) {
            match &event {
                Event::Tick { second } => {
                    view.set_now(*second, engine.schedule());
                    dirty = true;
                }
                Event::Reached { milestone, .. } => {
                    view.celebrate(milestone.clone());
                    dirty = true;
                }
                _ => {}
            }
            if let Some(alert) = Alert::from_event(&event, now) {
                dispatcher.send(alert);
            }
        }
        while let Ok(message) = rx.try_recv() {
            match message {
                Message::Input(InputEvent::Key(key)) => match view.on_key(key) {
                    KeyAction::Quit => return Ok(Status::Success),
                    KeyAction::Interrupt => return Ok(Status::Signal(SIGINT)),
                    KeyAction::Suspend => {
                        suspend(&mut session)?;
                        dirty = true;
                    }
                    KeyAction::Redraw => dirty = true,
                    KeyAction::None => {}
                },
                Message::Input(InputEvent::Resize(columns, rows)) => {
                    session.resized(columns, rows);
                    dirty = true;
                }
                Message::Input(_) => {}
                Message::Signal(SIGTSTP) => {
                    suspend(&mut session)?;
                    dirty = true;
                }
                Message::Signal(SIGCONT) => {
                    session.resume().context("cannot restore the terminal")?;
                    dirty = true;
                }
                Message::Signal(signal) => return Ok(Status::Signal(signal)),
                Message::Report(Report::Bell) => ring = true,
                Message::Report(report @ Report::Failed { .. }) => {
                    view.status = report.describe();
                    dirty = true;
                }
                Message::Report(Report::Recovered { .. }) => {
                    view.status = None;
                    dirty = true;
                }
            }
        }
        if dirty {
            session.draw(&view).context("cannot draw")?;
        }
        if ring {
            let mut out = io::stdout();
            let _ = out.write_all(b"\x07");
            let _ = out.flush();
        }
        clock.sleep_until(now.next_second());
    }
}

/// Ctrl-Z: give the terminal back, stop, and take it again on `fg`.
fn suspend(session: &mut Session) -> anyhow::Result<()> {
    session.pause();
    // Stops the process as the default SIGTSTP action would; returns on SIGCONT.
    signal_hook::low_level::emulate_default_handler(SIGTSTP)
        .context("cannot suspend the process")?;
    session.resume().context("cannot restore the terminal")?;
    Ok(())
}
