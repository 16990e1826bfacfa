//! What the engine remembers of the milestones it has passed: how far it
//! has looked (`fired_through`), where it looks from now (`mark`, behind `fired_through`
//! after a large backward step), and for each recent milestone how it was
//! delivered: on time (done for good) or only crossed by a clock jump
//! (it comes back when a large backward step puts it ahead again).
//!
//! Pure data with small queries; the daemon saves and restores it.

use std::collections::BTreeMap;

use crate::milestone::Epoch;

/// How a milestone was delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// Reached within a moment of its second: done for good.
    OnTime,
    /// Only crossed by a jump (reported late, or summed up as missed).
    Crossed,
}

/// One delivered milestone, or a run of them summed up together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Delivered {
    /// The first milestone of the run.
    pub from: Epoch,
    /// The last one (`from` for a single milestone).
    pub to: Epoch,
    pub how: How,
}

/// At most this many delivery records are kept (the oldest go first).
pub const RECORDS_KEPT: usize = 4_096;

/// Records this far behind `fired_through` are forgotten: a backward step further
/// than this does not bring back what was crossed before it.
pub const RETAIN_SECS: i64 = 400 * 86_400;

/// Before this instant no clock reading is right (2026-12-01T00:00:00Z,
/// before this release): a clock that reads earlier has lost its time, as
/// after a dead RTC battery.
pub const PLAUSIBLE_SINCE: Epoch = 1_796_083_200;

/// What a saved history said against the clock at start-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reconciled {
    /// The clock is at or after where the history left off (or behind it
    /// by no more than a small step).
    AsSaved,
    /// The history is ahead of a clock that is known right (synchronized,
    /// or at least plausible): it was written under a wrong clock. Alerts
    /// go on from the clock, and what was reached on time stays done.
    StateAhead { saved_through: Epoch },
    /// The clock is behind the history and cannot be right: nothing is
    /// alerted again until it catches up (a dead RTC that NTP will fix).
    ClockBehind { saved_through: Epoch },
}

/// What the engine has passed, in a form that can be saved and restored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// Every alert due at or before this second has been handled once.
    pub fired_through: Epoch,
    /// Alerts due after this second are looked at; equal to `fired_through` unless a
    /// large backward step moved it back.
    pub mark: Epoch,
    /// Recent deliveries, by first epoch.
    records: BTreeMap<Epoch, Delivered>,
}

/// What is to be done with a milestone that comes due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Not passed before: alert, on time or late.
    New,
    /// Crossed by a jump before and ahead again: alert if reached on time.
    Revived,
    /// Handled already.
    Done,
}

impl History {
    /// Nothing passed yet; alerts are due after `now`.
    pub fn starting_at(now: Epoch) -> History {
        History {
            fired_through: now,
            mark: now,
            records: BTreeMap::new(),
        }
    }

    /// A saved history (records in any order).
    pub fn restore(
        fired_through: Epoch,
        mark: Epoch,
        records: impl IntoIterator<Item = Delivered>,
    ) -> History {
        History {
            fired_through,
            mark: mark.min(fired_through),
            records: records.into_iter().map(|r| (r.from, r)).collect(),
        }
    }

    /// The records, oldest first.
    pub fn records(&self) -> impl Iterator<Item = &Delivered> {
        self.records.values()
    }

    /// Whether a backward step could bring something back: a crossed run
    /// is remembered (a clock that sees every step at once is then needed).
    pub fn revivable(&self) -> bool {
        self.records.values().any(|r| r.how == How::Crossed)
    }

    /// The record covering `epoch`, if any.
    fn record(&self, epoch: Epoch) -> Option<&Delivered> {
        self.records
            .range(..=epoch)
            .next_back()
            .map(|(_, r)| r)
            .filter(|r| r.to >= epoch)
    }

    /// How a milestone at `epoch` stands.
    pub fn standing(&self, epoch: Epoch) -> Standing {
        match self.record(epoch).map(|r| r.how) {
            Some(How::OnTime) => Standing::Done,
            Some(How::Crossed) if epoch <= self.fired_through => Standing::Revived,
            Some(How::Crossed) => Standing::Done,
            None if epoch > self.fired_through => Standing::New,
            None => Standing::Done,
        }
    }

    /// The first crossed run that reaches past `t`, clipped to start after `t`:
    /// where revived milestones may lie.
    pub fn crossed_after(&self, t: Epoch) -> Option<(Epoch, Epoch)> {
        // A run starting at or before `t` may still reach past it.
        let before = self.records.range(..=t).next_back().map(|(_, r)| *r);
        let after = self.records.range(t.saturating_add(1)..).map(|(_, r)| *r);
        before
            .into_iter()
            .chain(after)
            .filter(|r| r.how == How::Crossed && r.to > t && r.from <= self.fired_through)
            .map(|r| {
                (
                    r.from.max(t.saturating_add(1)),
                    r.to.min(self.fired_through),
                )
            })
            .find(|(from, to)| from <= to)
    }

    /// Remember how `from..=to` was delivered, then forget what is too old.
    /// Records never overlap: an on-time delivery replaces what covered its
    /// milestones, and a crossed run never covers one delivered on time.
    pub fn remember(&mut self, from: Epoch, to: Epoch, how: How) {
        let overlapping: Vec<Delivered> = self
            .records
            .range(..=to)
            .rev()
            .map(|(_, r)| *r)
            .take_while(|r| r.to >= from)
            .collect();
        let (mut lo, mut hi) = (from, to);
        let mut kept_on_time = Vec::new();
        for old in overlapping {
            if how == How::Crossed && old.how == How::OnTime {
                kept_on_time.push(old);
                continue;
            }
            self.records.remove(&old.from);
            if old.how == how {
                // The same kind: one run over both.
                lo = lo.min(old.from);
                hi = hi.max(old.to);
            } else {
                // Keep the parts of the old run outside the new one.
                if old.from < from {
                    self.insert(old.from, from - 1, old.how);
                }
                if old.to > to {
                    self.insert(to + 1, old.to, old.how);
                }
            }
        }
        // The new run, around the on-time records it must not cover.
        kept_on_time.sort_by_key(|r| r.from);
        for done in kept_on_time {
            if done.from > lo {
                self.insert(lo, done.from - 1, how);
            }
            lo = done.to.saturating_add(1);
        }
        if lo <= hi {
            self.insert(lo, hi, how);
        }
        self.prune();
    }

    fn insert(&mut self, from: Epoch, to: Epoch, how: How) {
        self.records.insert(from, Delivered { from, to, how });
    }

    fn prune(&mut self) {
        let horizon = self.fired_through.saturating_sub(RETAIN_SECS);
        while let Some((&first, record)) = self.records.iter().next() {
            if record.to < horizon || self.records.len() > RECORDS_KEPT {
                self.records.remove(&first);
            } else {
                break;
            }
        }
    }

    /// The clock went back to `now` by more than the small-step allowance:
    /// look again from there (what was crossed since comes back).
    pub fn step_back_to(&mut self, now: Epoch) {
        self.mark = now.min(self.fired_through);
    }

    /// Observed up to `now` (after the alerts due by then were handled).
    pub fn advance_to(&mut self, now: Epoch) {
        self.mark = now;
        self.fired_through = self.fired_through.max(now);
        self.prune();
    }

    /// At start-up: the saved history against the clock reading `now`.
    /// Behind by more than `small_step`, the clock is trusted when the
    /// kernel says it is synchronized or when it reads a plausible time.
    pub fn reconcile(&mut self, now: Epoch, synchronized: bool, small_step: i64) -> Reconciled {
        if now >= self.mark.saturating_sub(small_step) {
            return Reconciled::AsSaved;
        }
        let saved_through = self.fired_through;
        if synchronized || now >= PLAUSIBLE_SINCE {
            // What was reached on time stays done (its records are kept).
            self.fired_through = now;
            self.mark = now;
            Reconciled::StateAhead { saved_through }
        } else {
            self.step_back_to(now);
            Reconciled::ClockBehind { saved_through }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standings_follow_the_rule() {
        let mut h = History::starting_at(100);
        h.remember(50, 60, How::Crossed);
        h.remember(70, 70, How::OnTime);
        assert_eq!(h.standing(55), Standing::Revived);
        assert_eq!(h.standing(70), Standing::Done);
        assert_eq!(h.standing(80), Standing::Done, "passed, no record: done");
        assert_eq!(h.standing(101), Standing::New);
        assert_eq!(h.crossed_after(40), Some((50, 60)));
        assert_eq!(h.crossed_after(55), Some((56, 60)));
        assert_eq!(h.crossed_after(60), None);
        // A revived milestone reached on time splits its run.
        h.remember(55, 55, How::OnTime);
        assert_eq!(h.standing(55), Standing::Done);
        assert_eq!(h.standing(54), Standing::Revived);
        assert_eq!(h.standing(56), Standing::Revived);
        assert_eq!(h.records().count(), 4);
        // A crossed run over them keeps the on-time ones and merges the rest.
        h.remember(40, 75, How::Crossed);
        let runs: Vec<_> = h.records().map(|r| (r.from, r.to, r.how)).collect();
        assert_eq!(
            runs,
            [
                (40, 54, How::Crossed),
                (55, 55, How::OnTime),
                (56, 69, How::Crossed),
                (70, 70, How::OnTime),
                (71, 75, How::Crossed),
            ]
        );
    }

    #[test]
    fn old_records_are_forgotten() {
        let mut h = History::starting_at(0);
        h.remember(-10, -5, How::Crossed);
        h.advance_to(RETAIN_SECS + 100);
        assert_eq!(h.records().count(), 0);
        for i in 0..(RECORDS_KEPT as i64 + 10) {
            h.remember(RETAIN_SECS + i, RETAIN_SECS + i, How::OnTime);
        }
        assert_eq!(h.records().count(), RECORDS_KEPT);
    }
}
