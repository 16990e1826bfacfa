//! `epochwatch bar`: the status-bar segment. Settings in, then the live
//! loop with one output, the segment, at every second boundary; with
//! `--once`, the clock is read once and one update is written.
//! The i3bar format also reads clicks from stdin. No alerts are sent.

use std::io;
use std::path::Path;

use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGTERM};

use crate::bar::{BarFormat, STEPS, Segment, Selection, Target, Writer};
use crate::cli::BarArgs;
use crate::config::AlertSettings;
use crate::engine::Outlook;
use crate::error::{Exit, Result};
use crate::live::bar::{BAR_SIGNALS, BarOutput, spawn_click_reader};
use crate::live::{Cadence, Live, Setup};
use crate::settings::{self, Environment};

pub fn run(config_flag: Option<&Path>, args: &BarArgs) -> Result<Exit> {
    let bar = settings::bar(config_flag, args, &Environment::from_process())?;
    if bar.once {
        return once(bar);
    }
    let mut signals = vec![SIGTERM, SIGINT, SIGHUP];
    signals.extend(BAR_SIGNALS);
    let live = Live::start(&signals)?;
    if bar.format == BarFormat::I3bar {
        spawn_click_reader(live.handle());
    }
    let mut output = BarOutput::new(
        io::stdout(),
        Writer::new(bar.format),
        bar.zone,
        bar.thresholds,
    );
    let setup =
        Setup::new(bar.schedule, silent(), bar.zone, Cadence::EverySecond).with_outlook(STEPS);
    live.run(setup, None, &mut output, None)
}

/// The segment has no alerts of its own (the daemon or `watch` sends them).
fn silent() -> AlertSettings {
    AlertSettings {
        remind: Vec::new(),
        desktop: false,
        bell: false,
        exec: None,
        timeout_ms: 0,
        catch_up: 0,
        countdown: 0,
        sound: false,
    }
}

/// One update: the outlook at the clock's second, as the live loop's engine
/// has it after its first observation (no engine: with no alerts it would
/// only search the schedule once more for the next one due).
fn once(bar: settings::Bar) -> Result<Exit> {
    let now = crate::clock::read_once();
    let outlook = Outlook::at(&bar.schedule, now.secs, 1);
    let target = Selection::default()
        .shown(&outlook, now.secs)
        .map(|m| Target::new(m, bar.zone));
    let segment = Segment::new(now.secs, target.as_ref(), &outlook, bar.thresholds);
    let mut writer = Writer::new(bar.format);
    let mut out = writer.header().as_bytes().to_vec();
    writer.update(&segment, &mut out);
    super::print(&out)
}
