//! `epochwatch daemon`: headless alerts that never miss or repeat.
//!
//! One wake per alert, not per second: the live loop sleeps until the
//! engine's next alert is due (or the clock is stepped, or a signal comes);
//! the state file is saved before each wake's alerts are sent (see
//! `live::record`). SIGTERM and SIGINT stop it cleanly (exit status 0);
//! SIGHUP reloads the configuration, keeping what was fired. A second
//! daemon on the same state directory refuses to start (exit 1). The state
//! lives in `$XDG_STATE_HOME/epochwatch/`.

use std::path::Path;
use std::time::Duration;

use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGTERM};

use crate::cli::DaemonArgs;
use crate::error::{Exit, Result};
use crate::live::record::Record;
use crate::live::{Cadence, Live, Setup};
use crate::settings::{self, Environment};
use crate::state::{State, StateDir};

/// How long a stopping daemon gives in-flight alerts.
const GRACE: Duration = Duration::from_secs(2);

pub fn run(config_flag: Option<&Path>, args: &DaemonArgs) -> Result<Exit> {
    // Signals first, so that a SIGHUP or SIGTERM sent right after the start
    // (systemctl reload) is never met by the default action.
    let live = Live::start(&[SIGTERM, SIGINT, SIGHUP])?;
    let setup = || -> Result<Setup> {
        let daemon = settings::daemon(config_flag, args, &Environment::from_process())?;
        Ok(Setup {
            schedule: daemon.schedule,
            alerts: daemon.alerts,
            zone: daemon.zone,
            catch_up: Some(daemon.catch_up),
            fired_through: None,
            outlook: 0,
            cadence: Cadence::WhenDue,
            grace: GRACE,
        })
    };
    let first = setup()?;
    let dir = StateDir::locate()?;
    let _lock = dir.lock()?;
    // First start ever: begin from now, never firing what came before.
    let state = match dir.load()? {
        Some(state) => state,
        None => State::new(crate::clock::read_once().secs),
    };
    dir.save(&state)?;
    let first = Setup {
        fired_through: Some(state.fired_through),
        ..first
    };
    let record = Record::new(dir, state, args.verbose);
    live.run(first, vec![Box::new(record)], Some(&setup))
}
