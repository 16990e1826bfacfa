//! The library internals the tests drive directly (the engine, the
//! milestone rules, the full-screen view and its writer), named in this one
//! place: when a path changes in `src/`, only this file changes here.

pub use epochwatch::calendar::Zone;
pub use epochwatch::clock::{Clock, SimClock, Wake, WallTime};
pub use epochwatch::display::View;
pub use epochwatch::display::render::{RowCache, layout_cached, render};
pub use epochwatch::display::screen::RowWriter;
pub use epochwatch::engine::{Engine, EngineOptions, Event};
pub use epochwatch::milestone::{Epoch, Rule, RuleEntry, Schedule};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// The zone of this IANA name.
pub fn zone(name: &str) -> Zone {
    Zone::parse(name).expect("a known zone")
}

/// A schedule of these spec strings, each notified, local zone UTC.
pub fn schedule(specs: &[&str]) -> Schedule {
    let entries: Vec<RuleEntry> = specs
        .iter()
        .map(|s| RuleEntry {
            spec: s.to_string(),
            notify: true,
        })
        .collect();
    Schedule::from_entries(&entries, Zone::Utc).expect("valid specs")
}

/// Put the view at `now`, with `schedule`'s milestones around it.
pub fn set_now(view: &mut View, now: Epoch, schedule: &Schedule) {
    view.set_now(now, schedule);
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
