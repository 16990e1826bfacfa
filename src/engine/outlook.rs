//! What the outputs show of the schedule around the present: the next
//! milestones, the last one passed, and the progress between them.

use crate::milestone::{Epoch, Milestone, Schedule};

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
    pub(super) fn stale(&self, then: Option<Epoch>, now: Epoch) -> bool {
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
