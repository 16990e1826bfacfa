//! `epochwatch watch`: the live counter, full screen or one line per second.
//!
//! Settings in, then the live loop with one output: the screen when stdout
//! is a terminal, else the pipe lines (plain or JSON). The loop also sends
//! the alerts, but only while it runs. SIGTERM, SIGINT and SIGHUP end it
//! with 128+N; on the screen, SIGTSTP and SIGCONT suspend and redraw.

use std::io::{self, IsTerminal};
use std::path::Path;
use std::time::Duration;

use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGTERM};

use crate::cli::WatchArgs;
use crate::display::UPCOMING;
use crate::error::{Exit, Result};
use crate::live::lines::{LineFormat, LineOutput};
use crate::live::screen::{SUSPEND_SIGNALS, Screen};
use crate::live::{Cadence, Live, Setup, Subscriber};
use crate::settings::{self, Environment, WatchMode};

/// How long alerts still in flight get when the watcher quits.
const GRACE: Duration = Duration::from_millis(500);

pub fn run(config_flag: Option<&Path>, args: &WatchArgs) -> Result<Exit> {
    let stdout_is_terminal = io::stdout().is_terminal();
    let watch = settings::watch(
        config_flag,
        args,
        &Environment::from_process(),
        stdout_is_terminal,
    )?;
    let mut signals = vec![SIGTERM, SIGINT, SIGHUP];
    if watch.mode == WatchMode::Screen {
        signals.extend(SUSPEND_SIGNALS);
    }
    let live = Live::start(&signals)?;
    let mut output: Box<dyn Subscriber> = match watch.mode {
        WatchMode::Screen => Box::new(
            Screen::enter(watch.zone, watch.color, live.handle())?.with_cities(watch.cities),
        ),
        WatchMode::Plain => Box::new(LineOutput::new(
            LineFormat::Plain,
            io::stdout(),
            io::stderr(),
        )),
        WatchMode::Json => Box::new(LineOutput::new(
            LineFormat::Json,
            io::stdout(),
            io::stderr(),
        )),
    };
    let outlook = if watch.mode == WatchMode::Screen {
        UPCOMING
    } else {
        0
    };
    let setup = Setup::new(
        watch.schedule,
        watch.alerts,
        watch.zone,
        Cadence::EverySecond,
    )
    .with_outlook(outlook)
    .with_grace(GRACE);
    live.run(setup, None, output.as_mut(), None)
}
