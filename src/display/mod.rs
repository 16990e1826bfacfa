//! The full-screen display: its state (`View`), how keys change it, and
//! (in `render`) how it is drawn. Rendering only reads the state, and the
//! state only reads what the engine hands it (an `Outlook`), never the schedule.

pub mod font;
pub mod render;
pub mod screen;
pub mod terminal;
pub mod theme;
pub mod world_view;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::engine::Outlook;
use crate::milestone::{Epoch, Milestone};
use crate::time::Zone;
use crate::time::world::City;

/// How many upcoming milestones `n`/`p` can step through.
pub const UPCOMING: usize = 50;

/// How long the celebration of a reached milestone stays on screen (s).
pub const CELEBRATION_SECS: i64 = 5;

/// The countdown stands out during its last this-many seconds.
pub const FINAL_SECONDS: i64 = 10;

/// Everything the screen shows, and nothing it does not.
#[derive(Clone, Debug)]
pub struct View {
    /// The second being shown.
    pub now: Epoch,
    /// The configured zone (local, or --tz), as named on screen.
    pub zone: Zone,
    /// `t` toggles between `zone` and UTC.
    pub show_utc: bool,
    /// The engine's outlook at `now`: the upcoming milestones and the last
    /// one passed (for the progress bar).
    pub outlook: Outlook,
    /// Which of the upcoming milestones the next-milestone panel shows (`n`/`p`).
    pub selected: usize,
    /// A milestone being celebrated, and the second the celebration ends.
    pub celebrating: Option<(Milestone, Epoch)>,
    /// A one-line status message (alert failures).
    pub status: Option<String>,
    pub show_help: bool,
    /// `w` shows the selected milestone in `cities` instead of the clock.
    pub show_world: bool,
    /// The cities of the world view (`world.cities`).
    pub cities: Vec<City>,
    pub color: bool,
}

/// What a key asks the program to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAction {
    None,
    Redraw,
    /// Quit with exit status 0 (`q`, Esc).
    Quit,
    /// Ctrl-C: quit as if interrupted (exit status 130).
    Interrupt,
    /// Ctrl-Z: suspend to the shell.
    Suspend,
}

impl View {
    pub fn new(zone: Zone, show_utc: bool, color: bool) -> View {
        View {
            now: 0,
            zone,
            show_utc,
            outlook: Outlook::default(),
            selected: 0,
            celebrating: None,
            status: None,
            show_help: false,
            show_world: false,
            cities: Vec::new(),
            color,
        }
    }

    /// The same view with `cities` for the world view.
    pub fn with_cities(mut self, cities: Vec<City>) -> View {
        self.cities = cities;
        self
    }

    /// Move to second `now`, with the engine's outlook there; end a
    /// celebration that is over (or that a backward step undid).
    pub fn set_now(&mut self, now: Epoch, outlook: &Outlook) {
        let selected_epoch = self.selected_milestone().map(|m| m.epoch);
        self.now = now;
        // The outlook changes only when a milestone is passed or the clock
        // steps back: copy it only then, not every second.
        if !self.outlook.same_as(outlook) {
            self.outlook.clone_from(outlook);
        }
        // Keep the user's choice while it is still ahead; else back to the next one.
        self.selected = selected_epoch
            .and_then(|e| self.upcoming().iter().position(|m| m.epoch == e))
            .unwrap_or(0);
        if let Some((m, until)) = &self.celebrating
            && (now >= *until || now < m.epoch)
        {
            self.celebrating = None;
        }
    }

    /// The upcoming milestones `n`/`p` step through.
    pub fn upcoming(&self) -> &[Milestone] {
        &self.outlook.upcoming
    }

    /// A milestone was reached: celebrate it for a few seconds.
    pub fn celebrate(&mut self, milestone: Milestone) {
        let until = milestone.epoch.saturating_add(CELEBRATION_SECS);
        if self.now < until {
            self.celebrating = Some((milestone, until));
        }
    }

    pub fn selected_milestone(&self) -> Option<&Milestone> {
        self.upcoming().get(self.selected)
    }

    /// The zone the date-times are shown in now, as named on screen.
    pub fn primary_zone(&self) -> Zone {
        if self.show_utc { Zone::Utc } else { self.zone }
    }

    /// The styles to draw with.
    pub fn theme(&self) -> &'static theme::Theme {
        theme::Theme::new(self.color)
    }

    /// Seconds left until the selected milestone.
    pub fn countdown(&self) -> Option<i64> {
        self.selected_milestone()
            .map(|m| m.epoch.saturating_sub(self.now))
    }

    /// Progress from the previous milestone to the next one, 0.0 to 1.0.
    pub fn progress(&self) -> Option<f64> {
        self.outlook.progress(self.now)
    }

    /// Apply a key press.
    pub fn on_key(&mut self, key: KeyEvent) -> KeyAction {
        if key.kind == KeyEventKind::Release {
            return KeyAction::None;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('c') if ctrl => KeyAction::Interrupt,
            KeyCode::Char('z') if ctrl => KeyAction::Suspend,
            KeyCode::Char('q') | KeyCode::Esc => {
                if self.show_help && key.code == KeyCode::Esc {
                    self.show_help = false;
                    KeyAction::Redraw
                } else {
                    KeyAction::Quit
                }
            }
            KeyCode::Char('n') | KeyCode::Right | KeyCode::Down => {
                if self.selected + 1 < self.upcoming().len() {
                    self.selected += 1;
                }
                KeyAction::Redraw
            }
            KeyCode::Char('p') | KeyCode::Left | KeyCode::Up => {
                self.selected = self.selected.saturating_sub(1);
                KeyAction::Redraw
            }
            KeyCode::Char('t') | KeyCode::Char('u') => {
                self.show_utc = !self.show_utc;
                KeyAction::Redraw
            }
            KeyCode::Char('w') => {
                self.show_world = !self.show_world;
                KeyAction::Redraw
            }
            KeyCode::Char('?') | KeyCode::Char('h') => {
                self.show_help = !self.show_help;
                KeyAction::Redraw
            }
            _ => KeyAction::None,
        }
    }
}

/// The key help shown by `?`.
pub const KEY_HELP: &[(&str, &str)] = &[
    ("q, Esc", "quit"),
    ("Ctrl-C", "quit (status 130)"),
    ("n / p", "next / previous upcoming milestone"),
    ("t", "toggle local zone / UTC"),
    ("w", "the selected milestone around the world"),
    ("?", "show / hide this help"),
    ("Ctrl-Z", "suspend (fg resumes)"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::milestone::Schedule;
    use crossterm::event::KeyEvent;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    /// The engine's outlook at `now` on the default schedule.
    fn at(now: Epoch) -> Outlook {
        Outlook::at(&Schedule::defaults(), now, UPCOMING)
    }

    fn view() -> View {
        let mut view = View::new(Zone::Utc, false, false);
        view.set_now(1_799_999_990, &at(1_799_999_990));
        view
    }

    #[test]
    fn keys_quit_step_toggle_and_suspend() {
        let mut v = view();
        assert_eq!(v.selected_milestone().map(|m| m.epoch), Some(1_800_000_000));
        assert_eq!(v.on_key(key(KeyCode::Char('n'))), KeyAction::Redraw);
        assert_eq!(v.selected, 1);
        assert_eq!(v.on_key(key(KeyCode::Char('p'))), KeyAction::Redraw);
        assert_eq!(v.on_key(key(KeyCode::Char('p'))), KeyAction::Redraw);
        assert_eq!(v.selected, 0);
        v.on_key(key(KeyCode::Char('t')));
        assert_eq!(v.primary_zone(), Zone::Utc);
        assert!(v.show_utc);
        assert_eq!(v.on_key(key(KeyCode::Char('q'))), KeyAction::Quit);
        assert_eq!(v.on_key(key(KeyCode::Esc)), KeyAction::Quit);
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        assert_eq!(v.on_key(ctrl('c')), KeyAction::Interrupt);
        assert_eq!(v.on_key(ctrl('z')), KeyAction::Suspend);
        v.on_key(key(KeyCode::Char('w')));
        assert!(v.show_world);
        v.on_key(key(KeyCode::Char('w')));
        assert!(!v.show_world);
        v.on_key(key(KeyCode::Char('?')));
        assert!(v.show_help);
        // Esc closes the help before it quits.
        assert_eq!(v.on_key(key(KeyCode::Esc)), KeyAction::Redraw);
        assert!(!v.show_help);
    }

    #[test]
    fn selection_follows_its_milestone_and_resets_when_passed() {
        let mut v = view();
        v.on_key(key(KeyCode::Char('n')));
        let chosen = v.selected_milestone().map(|m| m.epoch);
        v.set_now(1_799_999_995, &at(1_799_999_995));
        assert_eq!(v.selected_milestone().map(|m| m.epoch), chosen);
        assert_eq!(v.countdown(), chosen.map(|c| c - 1_799_999_995));
        // A backward step recomputes the lists.
        v.set_now(1_000_000_000, &at(1_000_000_000));
        assert_eq!(v.upcoming()[0].epoch, 1_073_741_824);
        assert!(v.progress().is_some());
    }
}
