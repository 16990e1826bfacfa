//! A pure state machine from observed instants to events: ticks, reminders
//! due, milestones reached (late by how much). No clock, terminal or I/O.
//!
//! Exactly-once rests on one number, `fired_through`: every alert due at or
//! before it has been handled. An observation at second `s > fired_through`
//! handles the alerts due in `(fired_through, s]` and moves the mark to `s`;
//! an observation at or before the mark (a backward clock step) fires
//! nothing. The daemon persists the mark, so restarts never repeat.
//!
//! Policies (documented in the README):
//! - a forward jump reports each milestone it crossed as reached late, in
//!   order; milestones older than the catch-up window (daemon) or beyond
//!   `MAX_LATE_EVENTS` in one jump are summed up in a single `Missed`;
//! - reminders whose milestone was crossed by the same jump are dropped (the
//!   milestone itself is reported); of several reminders of one milestone
//!   crossed together, only the nearest (smallest lead) fires; a jump fires
//!   reminders only for the next upcoming milestone;
//! - milestones with `notify == false` are reached and shown, never reminded.

use crate::clock::WallTime;
use crate::milestone::{Epoch, Milestone, Schedule};

/// At most this many milestones are reported one by one after one jump.
pub const MAX_LATE_EVENTS: usize = 10_000;

/// How many milestones a `Missed` summary counts exactly before it stops counting.
const MISSED_COUNT_LIMIT: u64 = 1_000_000;

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
    /// `count` milestones from `first` to `last` passed too long ago to report one by one.
    /// `count` stops at 1,000,000.
    Missed {
        count: u64,
        first: Milestone,
        last: Milestone,
    },
}

/// What the outputs show of the schedule around the second last observed:
/// the next milestones and the last one passed. Kept by the engine, so that
/// no output queries the schedule itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outlook {
    /// Upcoming milestones after the second observed, in order.
    pub upcoming: Vec<Milestone>,
    /// The last milestone at or before the second observed.
    pub previous: Option<Milestone>,
    /// Changes whenever `upcoming` or `previous` do, so that a reader can
    /// copy them only then.
    pub revision: u64,
}

impl Outlook {
    /// The outlook from second `now`: the next `count` milestones and the last one passed.
    pub fn at(schedule: &Schedule, now: Epoch, count: usize) -> Outlook {
        Outlook {
            upcoming: schedule.upcoming(now, count),
            previous: schedule.last_at_or_before(now),
            revision: 0,
        }
    }

    /// Whether the outlook from `then` no longer holds at `now`: a
    /// milestone was passed, or the clock went back past the last one.
    fn stale(&self, then: Option<Epoch>, now: Epoch) -> bool {
        then.is_none_or(|then| now < then)
            || self.upcoming.first().is_none_or(|m| now >= m.epoch)
            || self.previous.as_ref().is_some_and(|m| now < m.epoch)
    }

    /// Whether `other` says the same (cheap: the revision and the ends,
    /// not every milestone).
    pub fn same_as(&self, other: &Outlook) -> bool {
        let ends = |o: &Outlook| {
            (
                o.revision,
                o.upcoming.len(),
                o.upcoming.first().map(|m| m.epoch),
                o.upcoming.last().map(|m| m.epoch),
                o.previous.as_ref().map(|m| m.epoch),
            )
        };
        ends(self) == ends(other)
    }

    /// Progress at `now` from the previous milestone to the next one, 0.0 to 1.0.
    pub fn progress(&self, now: Epoch) -> Option<f64> {
        let next = self.upcoming.first()?;
        let prev = self.previous.as_ref()?;
        let span = next.epoch.checked_sub(prev.epoch)? as f64;
        if span <= 0.0 {
            return None;
        }
        let done = now.saturating_sub(prev.epoch) as f64;
        Some((done / span).clamp(0.0, 1.0))
    }
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
    fired_through: Epoch,
    shown: Option<Epoch>,
    /// Cache of `schedule.next_after(fired_through)`.
    next_milestone: Option<Milestone>,
    /// Cache of `next_alert_due()`: until then an observation only ticks.
    next_due: Option<Epoch>,
    /// How many upcoming milestones the outlook lists (0: none kept).
    outlook_len: usize,
    outlook: Outlook,
}

impl Engine {
    pub fn new(schedule: Schedule, options: EngineOptions) -> Engine {
        let mut leads: Vec<i64> = options.remind.into_iter().filter(|l| *l > 0).collect();
        leads.sort_unstable_by(|a, b| b.cmp(a));
        leads.dedup();
        let next_milestone = schedule.next_after(options.fired_through);
        let mut engine = Engine {
            schedule,
            leads,
            catch_up: options.catch_up.map(|c| c.max(0)),
            fired_through: options.fired_through,
            shown: None,
            next_milestone,
            next_due: None,
            outlook_len: 0,
            outlook: Outlook::default(),
        };
        engine.next_due = engine.next_alert_due();
        engine
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

    /// Every alert due at or before this second has been handled.
    pub fn fired_through(&self) -> Epoch {
        self.fired_through
    }

    /// The next milestone not yet reached (after `fired_through`).
    pub fn next_milestone(&self) -> Option<&Milestone> {
        self.next_milestone.as_ref()
    }

    /// The earliest instant at which an alert (reminder or milestone) is due
    /// after `fired_through`: the daemon sleeps until then.
    pub fn next_alert_due(&self) -> Option<Epoch> {
        let mut best = self.next_milestone.as_ref().map(|m| m.epoch);
        for &lead in &self.leads {
            let Some(after) = self.fired_through.checked_add(lead) else {
                continue;
            };
            if let Some(m) = self.next_notifiable_after(after) {
                let due = m.epoch - lead;
                best = Some(best.map_or(due, |b| b.min(due)));
            }
        }
        best
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
        if self.shown != Some(second) {
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
        if second > self.fired_through {
            // Nothing is due before `next_due`: most seconds stop here.
            if self.next_due.is_some_and(|due| due <= second) {
                self.fire(self.fired_through, second, now, events);
                self.fired_through = second;
                self.next_due = self.next_alert_due();
            } else {
                self.fired_through = second;
            }
        }
    }

    /// Alerts due in `(from, to]`, observed at `now`, appended in order.
    fn fire(&mut self, from: Epoch, to: Epoch, now: WallTime, events: &mut Vec<Event>) {
        let mut alerts: Vec<(Epoch, Event)> = Vec::new();
        self.collect_reminders(from, to, now, &mut alerts);
        self.collect_reached(to, now, events, &mut alerts);
        // Stable: at an equal due second, reminders (collected first) come first.
        alerts.sort_by_key(|(due, _)| *due);
        events.extend(alerts.into_iter().map(|(_, e)| e));
    }

    fn collect_reached(
        &mut self,
        to: Epoch,
        now: WallTime,
        events: &mut Vec<Event>,
        alerts: &mut Vec<(Epoch, Event)>,
    ) {
        // Milestones due at or before `stale_through` are summed up, not reported.
        let mut stale_through = self.catch_up.map(|c| to.saturating_sub(c));
        // Bound the one-by-one reports of a huge jump.
        let mut peek = self.next_milestone.clone();
        let mut crossed = 0usize;
        while let Some(m) = peek.as_ref().filter(|m| m.epoch <= to) {
            if stale_through.is_some_and(|s| m.epoch <= s) {
                peek = self.schedule.next_after(m.epoch);
                continue;
            }
            crossed += 1;
            if crossed > MAX_LATE_EVENTS {
                break;
            }
            peek = self.schedule.next_after(m.epoch);
        }
        if crossed > MAX_LATE_EVENTS {
            // Report only the last MAX_LATE_EVENTS: sum up everything before them.
            let keep_from = self
                .last_n_start(to, MAX_LATE_EVENTS)
                .unwrap_or(to.saturating_add(1));
            stale_through = Some(stale_through.map_or(keep_from - 1, |s| s.max(keep_from - 1)));
        }

        if let Some(stale) = stale_through
            && let Some(first) = self.next_milestone.clone().filter(|m| m.epoch <= stale)
        {
            let mut count = 0u64;
            let mut last = first.clone();
            let mut cursor = Some(first.clone());
            while let Some(m) = cursor.filter(|m| m.epoch <= stale) {
                count += 1;
                last = m;
                if count >= MISSED_COUNT_LIMIT {
                    if let Some(l) = self.schedule.last_at_or_before(stale) {
                        last = l;
                    }
                    break;
                }
                cursor = self.schedule.next_after(last.epoch);
            }
            events.push(Event::Missed { count, first, last });
            self.next_milestone = self.schedule.next_after(stale);
        }

        while let Some(m) = self.next_milestone.take() {
            if m.epoch > to {
                self.next_milestone = Some(m);
                break;
            }
            self.next_milestone = self.schedule.next_after(m.epoch);
            let late_ms = now.millis_since(m.epoch);
            alerts.push((
                m.epoch,
                Event::Reached {
                    milestone: m,
                    late_ms,
                },
            ));
        }
    }

    /// The epoch of the `n`-th milestone counted back from `to` (inclusive).
    fn last_n_start(&self, to: Epoch, n: usize) -> Option<Epoch> {
        let mut cursor = self.schedule.last_at_or_before(to)?;
        for _ in 1..n {
            cursor = self
                .schedule
                .last_at_or_before(cursor.epoch.checked_sub(1)?)?;
        }
        Some(cursor.epoch)
    }

    fn collect_reminders(
        &self,
        from: Epoch,
        to: Epoch,
        now: WallTime,
        alerts: &mut Vec<(Epoch, Event)>,
    ) {
        if self.leads.is_empty() {
            return;
        }
        let jumped = to - from > 1;
        // Leads are largest first, so a later (smaller) lead replaces an
        // earlier one for the same milestone.
        let mut chosen: Vec<(Milestone, i64)> = Vec::new();
        for &lead in &self.leads {
            // Reminders due in (from, to] belong to milestones in
            // (from + lead, to + lead]; those at or before `to` are reached, not reminded.
            let lo = from.saturating_add(lead).max(to);
            let hi = to.saturating_add(lead);
            let mut cursor = self.next_notifiable_after(lo);
            while let Some(m) = cursor.filter(|m| m.epoch <= hi) {
                let next_from = m.epoch;
                match chosen.iter_mut().find(|(c, _)| c.epoch == m.epoch) {
                    Some(slot) => slot.1 = lead,
                    None => chosen.push((m, lead)),
                }
                if jumped {
                    break;
                }
                cursor = self.next_notifiable_after(next_from);
            }
        }
        if jumped && let Some(first) = chosen.iter().map(|(m, _)| m.epoch).min() {
            chosen.retain(|(m, _)| m.epoch == first);
        }
        for (milestone, lead) in chosen {
            let due = milestone.epoch - lead;
            let late_ms = now.millis_since(due);
            alerts.push((
                due,
                Event::Reminder {
                    milestone,
                    lead,
                    due,
                    late_ms,
                },
            ));
        }
    }

    /// The next milestone after `t` that wants notifications.
    fn next_notifiable_after(&self, t: Epoch) -> Option<Milestone> {
        let mut cursor = t;
        // Bounded: a schedule of only silent milestones would otherwise scan forever.
        for _ in 0..10_000 {
            let m = self.schedule.next_after(cursor)?;
            if m.notify {
                return Some(m);
            }
            cursor = m.epoch;
        }
        None
    }
}
