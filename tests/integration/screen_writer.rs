//! The live display writes only what changed since the last frame (rows,
//! parts of rows, single big digits). These tests replay those bytes on a
//! terminal emulator (vt100) through long runs of frames (ticks, milestones
//! and celebrations, keys, resizes, clock steps, colour changes) and check
//! that after every frame the terminal shows exactly what drawing that
//! frame from scratch shows: the same characters, and the same colours,
//! bold and reverse video in every cell.

use proptest::prelude::*;
use ratatui::style::{Color, Modifier};

use crate::harness::internals::{
    RowCache, RowWriter, Schedule, View, Zone, buffer_text, drawn, layout_cached, set_now, zone,
};

/// One thing that can happen between two frames.
#[derive(Clone, Debug)]
enum Step {
    /// The next second (a milestone reached on it is celebrated).
    Tick,
    /// The clock moves by this many seconds.
    Jump(i64),
    Key(char),
    Resize(u16, u16),
    ToggleColor,
}

/// The live display's state and writer, with the terminal it writes to.
struct Live {
    schedule: Schedule,
    view: View,
    cache: RowCache,
    writer: RowWriter,
    size: (u16, u16),
    terminal: vt100::Parser,
}

impl Live {
    fn new(now: i64, zone: Zone, size: (u16, u16)) -> Live {
        let schedule = Schedule::defaults();
        let mut view = View::new(zone, false, true);
        set_now(&mut view, now, &schedule);
        Live {
            schedule,
            view,
            cache: RowCache::default(),
            writer: RowWriter::default(),
            size,
            terminal: vt100::Parser::new(nonzero(size.1), nonzero(size.0), 0),
        }
    }

    fn apply(&mut self, step: &Step) {
        match *step {
            Step::Tick => {
                let now = self.view.now + 1;
                set_now(&mut self.view, now, &self.schedule);
                if let Some(m) = self.schedule.last_at_or_before(now)
                    && m.epoch == now
                {
                    self.view.celebrate(m);
                }
            }
            Step::Jump(by) => {
                let now = self.view.now + by;
                set_now(&mut self.view, now, &self.schedule);
            }
            Step::Key(c) => {
                let key = crossterm::event::KeyEvent::new(
                    crossterm::event::KeyCode::Char(c),
                    crossterm::event::KeyModifiers::NONE,
                );
                self.view.on_key(key);
            }
            Step::Resize(columns, rows) => {
                self.size = (columns, rows);
                self.terminal
                    .screen_mut()
                    .set_size(nonzero(rows), nonzero(columns));
            }
            Step::ToggleColor => self.view.color = !self.view.color,
        }
    }

    /// Draw a frame the way the live display does, onto the emulator.
    fn draw(&mut self) {
        let (width, height) = self.size;
        let mut placed = layout_cached(&self.view, width, height, &mut self.cache);
        let mut bytes = Vec::new();
        self.writer
            .draw(&mut bytes, self.size, &mut placed)
            .unwrap();
        self.cache.recycle(placed);
        self.terminal.process(&bytes);
    }

    /// The first cell where the emulator differs from a fresh drawing.
    fn first_difference(&self) -> Option<String> {
        let (width, height) = self.size;
        let fresh = drawn(&self.view, width, height);
        let expected = &fresh;
        let screen = self.terminal.screen();
        for y in 0..height {
            for x in 0..width {
                let want = &expected[(x, y)];
                let Some(got) = screen.cell(y, x) else {
                    return Some(format!("no cell at {x},{y}"));
                };
                let got_text = match got.contents() {
                    "" => " ",
                    text => text,
                };
                let want_style = (
                    want.symbol(),
                    want.modifier.contains(Modifier::BOLD),
                    want.modifier.contains(Modifier::REVERSED),
                    vt_color(want.fg),
                    vt_color(want.bg),
                );
                let got_style = (
                    got_text,
                    got.bold(),
                    got.inverse(),
                    got.fgcolor(),
                    got.bgcolor(),
                );
                if want_style != got_style {
                    return Some(format!(
                        "cell {x},{y}: want {want_style:?}, got {got_style:?}\nwant:\n{}\ngot:\n{}",
                        buffer_text(expected, false),
                        screen.contents()
                    ));
                }
            }
        }
        None
    }
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("the test uses sizes of at least 1x1")
}

/// How the terminal records a ratatui colour written by crossterm.
fn vt_color(color: Color) -> vt100::Color {
    match color {
        Color::Reset => vt100::Color::Default,
        Color::Black => vt100::Color::Idx(0),
        Color::Red => vt100::Color::Idx(1),
        Color::Green => vt100::Color::Idx(2),
        Color::Yellow => vt100::Color::Idx(3),
        Color::Blue => vt100::Color::Idx(4),
        Color::Magenta => vt100::Color::Idx(5),
        Color::Cyan => vt100::Color::Idx(6),
        Color::Gray => vt100::Color::Idx(7),
        Color::DarkGray => vt100::Color::Idx(8),
        Color::Indexed(i) => vt100::Color::Idx(i),
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
        other => panic!("colour {other:?} not mapped in this test"),
    }
}

/// Run `steps`, drawing after each, and check every frame.
fn check(mut live: Live, steps: &[Step]) -> Result<(), String> {
    live.draw();
    if let Some(diff) = live.first_difference() {
        return Err(format!("first frame: {diff}"));
    }
    for (i, step) in steps.iter().enumerate() {
        live.apply(step);
        live.draw();
        if let Some(diff) = live.first_difference() {
            return Err(format!(
                "after step {i} ({step:?}) at {}: {diff}",
                live.view.now
            ));
        }
    }
    Ok(())
}

#[test]
fn a_milestone_keys_resizes_and_steps_replay_exactly() {
    let mut steps = vec![Step::Tick; 20]; // through 1800000000 and its celebration
    steps.extend([
        Step::Key('n'),
        Step::Tick,
        Step::Key('p'),
        Step::Key('t'),
        Step::Tick,
        Step::Key('t'),
        Step::Key('?'),
        Step::Tick,
        Step::Key('?'),
        Step::Tick,
        Step::Resize(80, 24),
        Step::Tick,
        Step::Resize(78, 12),
        Step::Tick,
        Step::Resize(60, 20),
        Step::Tick,
        Step::Resize(100, 30),
        Step::Jump(-565_432_130), // back to 1234567887
        Step::Tick,
        Step::Tick,
        Step::Tick,
        Step::ToggleColor,
        Step::Tick,
        Step::Jump(8_765_432_100), // 9999999998: the value gains a digit
        Step::Tick,
        Step::Tick,
        Step::Tick,
    ]);
    let berlin = zone("Europe/Berlin");
    check(Live::new(1_799_999_985, berlin, (100, 30)), &steps).unwrap();
    check(Live::new(1_799_999_985, Zone::Utc, (100, 30)), &steps).unwrap();
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => Just(Step::Tick),
        1 => (-100_000i64..100_000).prop_map(Step::Jump),
        1 => prop::sample::select(vec!['n', 'p', 't', '?']).prop_map(Step::Key),
        // Wide enough that no line overflows: vt100 cannot turn line
        // wrapping off, as the live display does.
        1 => (60u16..140, 1u16..40).prop_map(|(w, h)| Step::Resize(w, h)),
        1 => Just(Step::ToggleColor),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random runs near milestones (1234567890, 1.8 billion, 2000000000,
    /// repdigits) replay exactly, whatever happens between frames.
    #[test]
    fn random_runs_replay_exactly(
        start in prop::sample::select(vec![
            1_234_567_870i64, 1_799_999_980, 1_999_999_990, 1_111_111_100, 999_999_990,
        ]),
        steps in prop::collection::vec(step(), 1..60),
    ) {
        let live = Live::new(start, Zone::Utc, (100, 30));
        if let Err(diff) = check(live, &steps) {
            prop_assert!(false, "{}", diff);
        }
    }
}
