//! `epochwatch daemon`: headless alerts that never miss or repeat.
//!
//! One wake per alert, not per second: the live loop sleeps until the
//! engine's next alert is due (or the clock is stepped, or a signal comes).
//! What was delivered is kept in the state file (`live::record`; the
//! contract is docs/delivery.md). SIGTERM and SIGINT stop it cleanly (exit
//! status 0); SIGHUP reloads the configuration, keeping what was fired. A
//! second daemon on the same state directory refuses to start (exit 1).
//! The state lives in `$XDG_STATE_HOME/epochwatch/`.

use std::path::Path;
use std::time::Duration;

use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGTERM};

use crate::cli::DaemonArgs;
use crate::engine::{Reconciled, SMALL_STEP_SECS};
use crate::error::{Exit, Result};
use crate::live::daemon::{DaemonOutput, resend_and_ahead, saved_state};
use crate::live::{Cadence, Live, Resume, Setup};
use crate::settings::{self, Environment};
use crate::state::StateDir;
use crate::{clock, time};

/// How long a stopping daemon gives in-flight alerts.
const GRACE: Duration = Duration::from_secs(2);

pub fn run(config_flag: Option<&Path>, args: &DaemonArgs) -> Result<Exit> {
    // Signals first, so that a SIGHUP or SIGTERM sent right after the start
    // (systemctl reload) is never met by the default action.
    let live = Live::start(&[SIGTERM, SIGINT, SIGHUP])?;
    let setup = || -> Result<Setup> {
        let daemon = settings::daemon(config_flag, args, &Environment::from_process())?;
        Ok(Setup::new(
            daemon.schedule,
            daemon.alerts,
            daemon.zone,
            Cadence::WhenDue,
        )
        .with_grace(GRACE))
    };
    let first = setup()?;
    let dir = StateDir::locate()?;
    let _lock = dir.lock()?;
    let now = clock::read_once().secs;
    let mut state = saved_state(&dir, now)?;
    // Split by the saved `fired_through`, before the clock is reconciled.
    let (resend, ahead) = resend_and_ahead(&state);
    let mut history = state.history();
    say(
        history.reconcile(now, clock::synchronized(), SMALL_STEP_SECS),
        now,
    );
    state.set_history(&history);
    let mut output = DaemonOutput::new(dir, state, args.verbose, ahead);
    output.save_now();
    let resume = Resume { history, resend };
    live.run(first, Some(resume), &mut output, Some(&setup))
}

/// One line when the saved state and the clock disagree.
fn say(reconciled: Reconciled, now: i64) {
    let when = |epoch: i64| time::format_datetime(epoch, time::Zone::Utc);
    match reconciled {
        Reconciled::AsSaved => {}
        Reconciled::StateAhead { saved_through } => eprintln!(
            "epochwatch: warning: the state file says alerts were handled through {}, \
             ahead of the clock ({}), which looks right: alerting from now on",
            when(saved_through),
            when(now)
        ),
        Reconciled::ClockBehind { saved_through } => eprintln!(
            "epochwatch: warning: the clock ({}) is behind the state file ({}) and not \
             synchronized: nothing is alerted again until it is set right",
            when(now),
            when(saved_through)
        ),
    }
}
