//! A pure state machine from observed instants to events: ticks, reminders
//! due, milestones reached (late by how much), milestones missed. No clock,
//! terminal or I/O; the daemon saves its [`History`] so that restarts go on
//! where it left off.
//!
//! # The delivery rule (docs/delivery.md tells the stories)
//!
//! - Alerts due after the mark and up to the observed second are handled;
//!   the mark then moves to that second, and so does the high-water mark
//!   (`fired_through`) when it is further.
//! - A milestone observed within [`ON_TIME_MS`] of its second is reached on
//!   time: done for good. One observed later (a suspend, a clock step) was
//!   only crossed by a jump: it is reported once, late (or, beyond the
//!   catch-up window, summed up in one `Missed`).
//! - A backward step of at most the small-step allowance (NTP-sized, 60 s by
//!   default) changes nothing: nothing comes back, nothing repeats. A larger
//!   one moves the mark back to the new second: what was only crossed since
//!   comes back and alerts when reached on time; what was reached on time
//!   does not. A revived milestone crossed again by a jump is not reported
//!   twice.
//! - Reminders follow their milestone: none for what is done; one whose
//!   milestone is crossed by the same jump is dropped; of several reminders
//!   of one milestone crossed together only the nearest fires; a jump fires
//!   reminders only for the next upcoming milestone.
//! - Milestones with `notify == false` are reached and shown, never reminded.
//! - The countdown (when on) is no alert: each new second observed within
//!   it before the next notifying milestone still to come gives one
//!   `Countdown`; nothing is recorded, and a second skipped is not made up.

mod fire;
mod history;
mod outlook;

pub use history::{
    Delivered, History, How, PLAUSIBLE_SINCE, RECORDS_KEPT, RETAIN_SECS, Reconciled, Standing,
};
pub use outlook::Outlook;

use crate::clock::WallTime;
use crate::milestone::{Epoch, Milestone, Schedule};

/// At most this many milestones are reported one by one after one jump.
pub const MAX_LATE_EVENTS: usize = 10_000;

/// How many milestones a `Missed` summary counts exactly before it stops counting.
const MISSED_COUNT_LIMIT: u64 = 1_000_000;

/// A milestone observed less than this long after its second was reached on time.
pub const ON_TIME_MS: i64 = 2_000;

/// Backward steps up to this many seconds are NTP-sized corrections (the default).
pub const SMALL_STEP_SECS: i64 = 60;

/// A search through silent (never notified) milestones gives up after this many.
const SEARCH_LIMIT: usize = 10_000;

/// Why milestones were summed up instead of reported one by one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissCause {
    /// They passed before this engine's first observation (the daemon was stopped).
    NotRunning,
    /// The clock jumped ahead over them (a suspend, or the clock being set).
    ClockJump,
}

/// What happened, in the order it should be shown or sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A new second to show.
    Tick { second: Epoch },
    /// `lead` seconds before `milestone` (due at `due`), `late_ms` after it was due.
    Reminder {
        milestone: Milestone,
        lead: i64,
        due: Epoch,
        late_ms: i64,
    },
    /// `milestone`'s second came; `late_ms` is how long after its boundary it was observed.
    Reached { milestone: Milestone, late_ms: i64 },
    /// A new second `left` seconds before a notifying `milestone` that is
    /// still to come, within the countdown (see [`Engine::with_countdown`]).
    Countdown { milestone: Milestone, left: i64 },
    /// `count` milestones from `first` to `last` passed too long ago to report one by one.
    /// `count` stops at 1,000,000.
    Missed {
        count: u64,
        first: Milestone,
        last: Milestone,
        cause: MissCause,
    },
}

/// How the engine treats alerts.
#[derive(Clone, Debug)]
pub struct EngineOptions {
    /// Reminder lead times in seconds (any order; non-positive ones are ignored).
    pub remind: Vec<i64>,
    /// Milestones reached more than this many seconds late are summed up in
    /// `Missed` instead of reported one by one. `None`: report them all
    /// (up to `MAX_LATE_EVENTS`).
    pub catch_up: Option<i64>,
    /// Every alert due at or before this second has been handled already.
    pub fired_through: Epoch,
}

/// The state machine.
#[derive(Clone, Debug)]
pub struct Engine {
    schedule: Schedule,
    /// Distinct positive leads, largest first.
    leads: Vec<i64>,
    catch_up: Option<i64>,
    history: History,
    small_step: i64,
    shown: Option<Epoch>,
    /// Whether an observation was made (the first one covers the time the
    /// program was not running).
    started: bool,
    /// Cache of `next_alert_due()`: until then an observation only ticks.
    next_due: Option<Epoch>,
    /// The countdown's length in seconds (0: none).
    countdown: i64,
    /// The notifying milestone the countdown is for (cached with `next_due`).
    countdown_to: Option<Milestone>,
    /// How many upcoming milestones the outlook lists (0: none kept).
    outlook_len: usize,
    outlook: Outlook,
}

impl Engine {
    pub fn new(schedule: Schedule, options: EngineOptions) -> Engine {
        let mut leads: Vec<i64> = options.remind.into_iter().filter(|l| *l > 0).collect();
        leads.sort_unstable_by(|a, b| b.cmp(a));
        leads.dedup();
        let mut engine = Engine {
            schedule,
            leads,
            catch_up: options.catch_up.map(|c| c.max(0)),
            history: History::starting_at(options.fired_through),
            small_step: SMALL_STEP_SECS,
            shown: None,
            started: false,
            next_due: None,
            countdown: 0,
            countdown_to: None,
            outlook_len: 0,
            outlook: Outlook::default(),
        };
        engine.refresh_due();
        engine
    }

    /// Go on from a saved history (instead of `fired_through` alone).
    pub fn with_history(mut self, history: History) -> Engine {
        self.history = history;
        self.refresh_due();
        self
    }

    /// Count down the last `secs` seconds before each notifying milestone
    /// still to come: one [`Event::Countdown`] each new second (0: none).
    pub fn with_countdown(mut self, secs: i64) -> Engine {
        self.countdown = secs.max(0);
        self.refresh_due();
        self
    }

    /// Where the next alert is due, and which milestone a countdown is
    /// for: known again after every change of the history.
    fn refresh_due(&mut self) {
        self.next_due = self.next_alert_due();
        self.countdown_to = if self.countdown > 0 {
            self.next_pending_after(self.history.mark, true)
        } else {
            None
        };
    }

    /// The next second after `now` that the countdown shows, when one is
    /// ahead: a daemon wakes then.
    pub fn next_countdown_second(&self, now: Epoch) -> Option<Epoch> {
        let target = self.countdown_to.as_ref()?.epoch;
        let second = now
            .saturating_add(1)
            .max(target.saturating_sub(self.countdown));
        (second < target).then_some(second)
    }

    /// Backward steps up to `secs` bring nothing back (default [`SMALL_STEP_SECS`]).
    pub fn with_small_step(mut self, secs: i64) -> Engine {
        self.small_step = secs.max(0);
        self
    }

    /// Keep an [`Outlook`] of the next `count` milestones for the outputs.
    pub fn with_outlook(mut self, count: usize) -> Engine {
        self.outlook_len = count;
        self
    }

    /// The schedule around the second last observed (empty unless kept,
    /// see [`Engine::with_outlook`]).
    pub fn outlook(&self) -> &Outlook {
        &self.outlook
    }

    /// Every alert due at or before this second has been handled once.
    pub fn fired_through(&self) -> Epoch {
        self.history.fired_through
    }

    /// What has been passed and how, to save.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Take in an observation of the wall clock.
    pub fn observe(&mut self, now: WallTime) -> Vec<Event> {
        let mut events = Vec::new();
        self.observe_into(now, &mut events);
        events
    }

    /// `observe`, appending to `events`: a live loop reuses one vector
    /// instead of allocating one every second.
    pub fn observe_into(&mut self, now: WallTime, events: &mut Vec<Event>) {
        let second = now.secs;
        let new_second = self.shown != Some(second);
        if new_second {
            if self.outlook_len > 0 && self.outlook.stale(self.shown, second) {
                let revision = self.outlook.revision.wrapping_add(1);
                self.outlook = Outlook {
                    revision,
                    ..Outlook::at(&self.schedule, second, self.outlook_len)
                };
            }
            self.shown = Some(second);
            events.push(Event::Tick { second });
        }
        let mark = self.history.mark;
        if second < mark {
            if mark - second > self.small_step {
                self.history.step_back_to(second);
                self.refresh_due();
            }
        } else if second > mark {
            // Nothing is due before `next_due`: most seconds stop here.
            if self.next_due.is_some_and(|due| due <= second) {
                self.fire(mark, second, now, events);
                self.history.advance_to(second);
                self.refresh_due();
            } else {
                self.history.advance_to(second);
            }
        }
        if new_second && let Some(milestone) = &self.countdown_to {
            let left = milestone.epoch.saturating_sub(second);
            if left > 0 && left <= self.countdown {
                events.push(Event::Countdown {
                    milestone: milestone.clone(),
                    left,
                });
            }
        }
        self.started = true;
    }

    /// The earliest instant at which an alert (reminder or milestone) is due
    /// after the mark: the daemon sleeps until then.
    pub fn next_alert_due(&self) -> Option<Epoch> {
        let mark = self.history.mark;
        let mut best = self.next_pending_after(mark, false).map(|m| m.epoch);
        for &lead in &self.leads {
            let Some(after) = mark.checked_add(lead) else {
                continue;
            };
            if let Some(m) = self.next_pending_after(after, true) {
                let due = m.epoch - lead;
                best = Some(best.map_or(due, |b| b.min(due)));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests;
