//! Which alerts an observation fires: reminders, revived milestones reached
//! on time, new milestones reached (on time or late, or summed up), and
//! where the next pending one is. The rule is in the module above.

use super::{
    Engine, Event, How, MAX_LATE_EVENTS, MISSED_COUNT_LIMIT, MissCause, ON_TIME_MS, SEARCH_LIMIT,
    Standing,
};
use crate::clock::WallTime;
use crate::milestone::{Epoch, Milestone};

impl Engine {
    /// Alerts due in `(from, to]`, observed at `now`, appended in order.
    pub(super) fn fire(&mut self, from: Epoch, to: Epoch, now: WallTime, events: &mut Vec<Event>) {
        let mut alerts: Vec<(Epoch, Event)> = Vec::new();
        self.collect_reminders(from, to, now, &mut alerts);
        self.collect_revived(from, to, now, &mut alerts);
        self.collect_new(from, to, now, events, &mut alerts);
        // Stable: at an equal due second, reminders (collected first) come first.
        alerts.sort_by_key(|(due, _)| *due);
        events.extend(alerts.into_iter().map(|(_, e)| e));
    }

    /// Milestones crossed before and ahead again, in `(from, to]`: reached
    /// now if on time; crossed again by a jump, they are not reported twice.
    fn collect_revived(
        &mut self,
        from: Epoch,
        to: Epoch,
        now: WallTime,
        alerts: &mut Vec<(Epoch, Event)>,
    ) {
        let upto = to.min(self.history.fired_through);
        // Only milestones this close to `now` can be on time.
        let mut cursor = to.saturating_sub(ON_TIME_MS / 1_000 + 1).max(from);
        while let Some((start, end)) = self.history.crossed_after(cursor) {
            if start > upto {
                break;
            }
            let end = end.min(upto);
            let reached: Vec<Milestone> = self
                .schedule
                .between(start - 1, end)
                .filter(|m| now.millis_since(m.epoch) < ON_TIME_MS)
                .collect();
            for milestone in reached {
                self.history
                    .remember(milestone.epoch, milestone.epoch, How::OnTime);
                let late_ms = now.millis_since(milestone.epoch);
                alerts.push((milestone.epoch, Event::Reached { milestone, late_ms }));
            }
            cursor = end;
        }
    }

    /// Milestones after the high-water mark, in `(from, to]`: each reported
    /// (on time or late), or the older ones summed up in one `Missed`.
    fn collect_new(
        &mut self,
        from: Epoch,
        to: Epoch,
        now: WallTime,
        events: &mut Vec<Event>,
        alerts: &mut Vec<(Epoch, Event)>,
    ) {
        let lo = from.max(self.history.fired_through);
        if lo >= to {
            return;
        }
        // Milestones due at or before `stale_through` are summed up, not reported.
        let mut stale_through = self
            .catch_up
            .map(|c| to.saturating_sub(c))
            .filter(|s| *s > lo);
        let fresh_from = stale_through.unwrap_or(lo);
        let fresh = self
            .schedule
            .between(fresh_from, to)
            .take(MAX_LATE_EVENTS + 1)
            .count();
        if fresh > MAX_LATE_EVENTS {
            // Report only the last MAX_LATE_EVENTS: sum up everything before them.
            let keep_from = self
                .last_n_start(to, MAX_LATE_EVENTS)
                .unwrap_or(to.saturating_add(1));
            stale_through = Some(keep_from - 1);
        }
        if let Some(stale) = stale_through {
            self.sum_up(lo, stale, events);
        }
        let reported: Vec<Milestone> = self
            .schedule
            .between(stale_through.unwrap_or(lo).max(lo), to)
            .filter(|m| self.history.standing(m.epoch) != Standing::Done)
            .collect();
        for milestone in reported {
            let late_ms = now.millis_since(milestone.epoch);
            let how = if late_ms < ON_TIME_MS {
                How::OnTime
            } else {
                How::Crossed
            };
            self.history.remember(milestone.epoch, milestone.epoch, how);
            alerts.push((milestone.epoch, Event::Reached { milestone, late_ms }));
        }
    }

    /// One `Missed` for the milestones in `(after, through]`, if any.
    fn sum_up(&mut self, after: Epoch, through: Epoch, events: &mut Vec<Event>) {
        let mut iter = self.schedule.between(after, through);
        let Some(first) = iter.next() else { return };
        let mut count = 1u64;
        let mut last = first.clone();
        for m in iter {
            count += 1;
            last = m;
            if count >= MISSED_COUNT_LIMIT {
                if let Some(l) = self.schedule.last_at_or_before(through) {
                    last = l;
                }
                break;
            }
        }
        self.history.remember(first.epoch, last.epoch, How::Crossed);
        let cause = if self.started {
            MissCause::ClockJump
        } else {
            MissCause::NotRunning
        };
        events.push(Event::Missed {
            count,
            first,
            last,
            cause,
        });
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

    /// Reminders due in `(from, to]`.
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
            let mut cursor = lo;
            while let Some(m) = self
                .next_pending_after(cursor, true)
                .filter(|m| m.epoch <= hi)
            {
                cursor = m.epoch;
                let due = m.epoch - lead;
                // A revived milestone's reminders come back only on time.
                let wanted = self.history.standing(m.epoch) == Standing::New
                    || now.millis_since(due) < ON_TIME_MS;
                if !wanted {
                    continue;
                }
                match chosen.iter_mut().find(|(c, _)| c.epoch == m.epoch) {
                    Some(slot) => slot.1 = lead,
                    None => chosen.push((m, lead)),
                }
                if jumped {
                    break;
                }
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

    /// The next milestone after `t` still to alert: a revived one (crossed
    /// before, ahead again) or a new one past the high-water mark; with
    /// `notifiable`, only those that want notifications.
    pub(super) fn next_pending_after(&self, t: Epoch, notifiable: bool) -> Option<Milestone> {
        let wanted = |m: &Milestone| !notifiable || m.notify;
        let mut revived = None;
        let mut cursor = t;
        while let Some((start, end)) = self.history.crossed_after(cursor) {
            if let Some(m) = self
                .schedule
                .between(start - 1, end)
                .take(SEARCH_LIMIT)
                .find(|m| wanted(m))
            {
                revived = Some(m);
                break;
            }
            cursor = end;
        }
        let mut cursor = t.max(self.history.fired_through);
        let mut fresh = None;
        for _ in 0..SEARCH_LIMIT {
            if revived.as_ref().is_some_and(|r| r.epoch <= cursor) {
                break;
            }
            let Some(m) = self.schedule.next_after(cursor) else {
                break;
            };
            cursor = m.epoch;
            if wanted(&m) && self.history.standing(m.epoch) != Standing::Done {
                fresh = Some(m);
                break;
            }
        }
        match (revived, fresh) {
            (Some(r), Some(f)) => Some(if r.epoch <= f.epoch { r } else { f }),
            (r, f) => r.or(f),
        }
    }
}
