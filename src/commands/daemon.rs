//! `epochwatch daemon`: headless alerts that never miss or repeat.
//!
//! One wake per alert, not per second: the loop sleeps on the clock until
//! the engine's next alert is due (or the clock is stepped, or a signal
//! comes), observes the time, saves the new `fired_through` atomically and
//! only then dispatches the alerts, so a crash or restart never repeats one.
//!
//! Signals: SIGTERM and SIGINT stop it cleanly (exit status 0); SIGHUP
//! reloads the configuration (schedule and alert settings; `fired_through`
//! is kept). A second daemon on the same state directory refuses to start
//! (exit 1). The state lives in `$XDG_STATE_HOME/epochwatch/`.
use std::io::Write;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context;
use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::alert::{Alert, Dispatcher, Report, text};
use crate::cli::DaemonArgs;
use crate::clock::{Clock, SystemClock, WallTime};
use crate::config::{self, AlertSettings, Config};
use crate::engine::{Engine, EngineOptions};
use crate::error::Status;
use crate::milestone::Schedule;
use crate::state::{FiredRecord, State, StateDir};
use crate::time::Zone;

/// How long a stopping daemon gives in-flight alerts.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// With no alert ahead, wake this often anyway (cheap, and bounds any drift).
const IDLE_WAKE_SECS: i64 = 86_400;

/// Everything the configuration decides.
struct Settings {
    schedule: Schedule,
    alerts: AlertSettings,
    catch_up: i64,
    zone: Zone,
}

fn load_settings(config_flag: Option<&Path>, args: &DaemonArgs) -> anyhow::Result<Settings> {
    let config = Config::load(config_flag)?;
    let zone = config.display.zone;
    let schedule = config::schedule_for(&config, &args.milestones, zone)?;
    let alerts = config::alert_settings_for(&config, &args.alerts)?;
    let catch_up = config::catch_up_for(&config, args.catch_up.as_deref())?;
    Ok(Settings {
        schedule,
        alerts,
        catch_up,
        zone,
    })
}

fn engine_for(settings: &Settings, fired_through: i64) -> Engine {
    Engine::new(
        settings.schedule.clone(),
        EngineOptions {
            remind: settings.alerts.remind.clone(),
            catch_up: Some(settings.catch_up),
            fired_through,
        },
    )
}

fn dispatcher_for(settings: &Settings) -> Dispatcher {
    Dispatcher::start(
        settings.alerts.clone(),
        settings.zone,
        Box::new(|report| {
            let mut err = std::io::stderr().lock();
            match report {
                Report::Bell => {
                    let _ = err.write_all(b"\x07");
                }
                other => {
                    if let Some(line) = other.describe() {
                        let _ = writeln!(err, "epochwatch: warning: {line}");
                    }
                }
            }
            let _ = err.flush();
        }),
    )
}

enum Control {
    Stop,
    Reload,
}

pub fn run(config_flag: Option<&Path>, args: &DaemonArgs) -> anyhow::Result<Status> {
    // Signals first, so that a SIGHUP or SIGTERM sent right after the start
    // (systemctl reload) is never met by the default action.
    let mut signals =
        Signals::new([SIGTERM, SIGINT, SIGHUP]).context("cannot install signal handlers")?;
    let signals_handle = signals.handle();
    let mut settings = load_settings(config_flag, args)?;
    let state_dir = StateDir::locate()?;
    let _lock = state_dir.lock()?;
    let saved = state_dir.load()?;

    let clock = SystemClock::new().context("cannot create the clock's timer")?;
    let waker = clock.waker();

    // Signals become messages; the clock's sleep is interrupted for them.
    let (control_tx, control_rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("epochwatch-signals".to_string())
        .spawn(move || {
            for signal in signals.forever() {
                let control = if signal == SIGHUP {
                    Control::Reload
                } else {
                    Control::Stop
                };
                if control_tx.send(control).is_err() {
                    break;
                }
                waker.wake();
            }
        })
        .context("cannot start the signal thread")?;

    let now = clock.now();
    // First start ever: begin from now, never firing what came before.
    let mut state = saved.unwrap_or_else(|| State::new(now.secs));
    state_dir.save(&state)?;
    let mut engine = engine_for(&settings, state.fired_through);
    let mut dispatcher = dispatcher_for(&settings);
    let verbose = args.verbose;

    let result = (|| -> anyhow::Result<()> {
        loop {
            // Signals first.
            let mut stop = false;
            let mut reload = false;
            while let Ok(control) = control_rx.try_recv() {
                match control {
                    Control::Stop => stop = true,
                    Control::Reload => reload = true,
                }
            }
            if stop {
                return Ok(());
            }
            if reload {
                match load_settings(config_flag, args) {
                    Ok(new) => {
                        settings = new;
                        engine = engine_for(&settings, engine.fired_through());
                        let old = std::mem::replace(&mut dispatcher, dispatcher_for(&settings));
                        old.shutdown(SHUTDOWN_GRACE);
                        eprintln!("epochwatch: configuration reloaded");
                    }
                    Err(err) => {
                        eprintln!(
                            "epochwatch: warning: configuration not reloaded, keeping the old one: {err:#}"
                        );
                    }
                }
            }

            let now = clock.now();
            let alerts: Vec<Alert> = engine
                .observe(now)
                .into_iter()
                .filter_map(|event| Alert::from_event(&event, now))
                .collect();
            if engine.fired_through() != state.fired_through {
                state.fired_through = engine.fired_through();
                for alert in &alerts {
                    state.record(FiredRecord {
                        kind: text::kind_name(&alert.kind).to_string(),
                        epoch: alert.milestone.epoch,
                        label: alert.milestone.label.clone(),
                        due: alert.due,
                        late_ms: alert.late_ms,
                    });
                }
                // Saved before dispatching: a crash now loses an alert at
                // worst, never repeats one.
                state_dir.save(&state)?;
            }
            for alert in alerts {
                if !alert.milestone.notify {
                    continue;
                }
                if verbose {
                    let mut out = std::io::stdout().lock();
                    let _ = writeln!(out, "{}", text::log_line(&alert, settings.zone));
                    let _ = out.flush();
                }
                dispatcher.send(alert);
            }

            let due = engine
                .next_alert_due()
                .unwrap_or_else(|| now.secs.saturating_add(IDLE_WAKE_SECS))
                .min(now.secs.saturating_add(IDLE_WAKE_SECS));
            let deadline = WallTime::from_secs(due);
            // Every wake (deadline, clock change, signal) re-reads the clock.
            clock.sleep_until(deadline);
        }
    })();

    signals_handle.close();
    dispatcher.shutdown(SHUTDOWN_GRACE);
    result?;
    Ok(Status::Success)
}
