//! The library internals the tests drive directly (the engine, the
//! milestone rules, the full-screen view and its writer), named in this one
//! place: when a path changes in `src/`, only this file changes here.

pub use epochwatch::bar::format::polybar_escape;
pub use epochwatch::cli::Cli;
pub use epochwatch::clock::{Clock, SimClock, Wake, WallTime};
pub use epochwatch::display::render::{RowCache, layout_cached, render};
pub use epochwatch::display::screen::RowWriter;
pub use epochwatch::display::{UPCOMING, View};
pub use epochwatch::engine::{
    Engine, EngineOptions, Event, ON_TIME_MS, Outlook, PLAUSIBLE_SINCE, SMALL_STEP_SECS,
};
pub use epochwatch::milestone::{Epoch, Rule, RuleEntry, Schedule};
pub use epochwatch::time::Zone;
pub use epochwatch::time::gnu_format::Format;
pub use epochwatch::time::world::City;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// The zone of this IANA name.
pub fn zone(name: &str) -> Zone {
    Zone::parse(name).expect("a known zone")
}

/// Whether epochwatch takes this `date +FORMAT` format (the text after '+').
pub fn format_accepted(format: &str) -> bool {
    Format::parse(format).is_ok()
}

/// A schedule of these spec strings, each notified, local zone UTC.
pub fn schedule(specs: &[&str]) -> Schedule {
    let entries: Vec<RuleEntry> = specs.iter().map(|s| RuleEntry::notified(*s)).collect();
    Schedule::from_entries(&entries, Zone::Utc).expect("valid specs")
}

/// Put the view at `now`, with the engine's outlook of `schedule` there.
pub fn set_now(view: &mut View, now: Epoch, schedule: &Schedule) {
    view.set_now(now, &Outlook::at(schedule, now, UPCOMING));
}

/// The view drawn from scratch into a `width`x`height` buffer.
pub fn drawn(view: &View, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| render(view, frame)).unwrap();
    terminal.backend().buffer().clone()
}

/// The buffer's rows as text, one line each (with its newline), trailing
/// spaces trimmed when `trim`.
pub fn buffer_text(buffer: &Buffer, trim: bool) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(if trim { line.trim_end() } else { &line });
        out.push('\n');
    }
    out
}
