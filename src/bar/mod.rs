//! The status-bar segment (`epochwatch bar`), pure: which milestone it
//! shows (the nearest, or the one the user stepped to), its class by the
//! time left, and the text of each bar's format (`format`, with the
//! templates of `template`). It reads the engine's [`Outlook`], never the
//! schedule. The live side (stdout, clicks on stdin, signals) is
//! `crate::live::bar`.
//!
//! # Classes
//! `now` in the second of the milestone shown, `imminent` when it is at
//! most `bar.imminent` away, `soon` at most `bar.soon`, else `far`.

pub mod format;
pub mod template;

use std::cell::OnceCell;

use crate::config::BarSettings;
use crate::engine::Outlook;
use crate::milestone::{Epoch, Milestone};
use crate::time::{self, Zone};

pub use format::{BarFormat, Writer};
pub use template::Template;

/// How many upcoming milestones the segment can step through.
pub const STEPS: usize = 10;

/// The segment's class by the time left to the milestone shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Far,
    Soon,
    Imminent,
    /// The milestone's own second.
    Now,
}

impl Class {
    /// The class of a milestone `remaining` seconds away.
    pub fn of(remaining: i64, thresholds: BarSettings) -> Class {
        if remaining <= 0 {
            Class::Now
        } else if remaining <= thresholds.imminent {
            Class::Imminent
        } else if remaining <= thresholds.soon {
            Class::Soon
        } else {
            Class::Far
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Far => "far",
            Class::Soon => "soon",
            Class::Imminent => "imminent",
            Class::Now => "now",
        }
    }

    /// The colour of the text in the bars that take one (`#rrggbb`).
    pub fn color(self) -> &'static str {
        match self {
            Class::Far => "#88c0d0",
            Class::Soon => "#ebcb8b",
            Class::Imminent => "#d08770",
            Class::Now => "#bf616a",
        }
    }
}

/// Which milestone the segment shows: the nearest, unless the user
/// stepped to a later one (SIGUSR1, a click) that is still ahead.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    stepped: Option<Epoch>,
}

/// The milestones the segment can show at `now`: the one whose second it
/// is, then the upcoming ones.
fn candidates(outlook: &Outlook, now: Epoch) -> impl Iterator<Item = &Milestone> {
    let reached = outlook.previous.as_ref().filter(|m| m.epoch == now);
    reached.into_iter().chain(outlook.upcoming.iter())
}

impl Selection {
    /// The milestone shown at `now`.
    pub fn shown<'a>(&self, outlook: &'a Outlook, now: Epoch) -> Option<&'a Milestone> {
        let stepped = self
            .stepped
            .and_then(|epoch| candidates(outlook, now).find(|m| m.epoch == epoch));
        stepped.or_else(|| candidates(outlook, now).next())
    }

    /// Show the milestone after the one shown; after the last one kept,
    /// the nearest again.
    pub fn step(&mut self, outlook: &Outlook, now: Epoch) {
        let shown = self.shown(outlook, now).map(|m| m.epoch);
        let mut after = candidates(outlook, now).skip_while(|m| Some(m.epoch) != shown);
        self.stepped = after.nth(1).map(|m| m.epoch);
    }

    /// Show the nearest milestone again.
    pub fn reset(&mut self) {
        self.stepped = None;
    }
}

/// The milestone shown, with the texts that change only with it (made
/// when first asked for: a format that shows no date-time reads no zone).
#[derive(Clone, Debug)]
pub struct Target {
    pub milestone: Milestone,
    zone: Zone,
    local: OnceCell<String>,
    utc: OnceCell<String>,
}

impl Target {
    pub fn new(milestone: &Milestone, zone: Zone) -> Target {
        Target {
            milestone: milestone.clone(),
            zone,
            local: OnceCell::new(),
            utc: OnceCell::new(),
        }
    }

    /// Its date-time in the display zone (`Fri 2027-01-15 08:00:00 +00:00`).
    pub fn local(&self) -> &str {
        self.local
            .get_or_init(|| time::format_datetime(self.milestone.epoch, self.zone))
    }

    /// Its date-time in UTC.
    pub fn utc(&self) -> &str {
        self.utc
            .get_or_init(|| time::format_datetime(self.milestone.epoch, Zone::Utc))
    }
}

/// One update of the segment: everything a format shows.
#[derive(Clone, Copy, Debug)]
pub struct Segment<'a> {
    /// The current second.
    pub now: Epoch,
    /// The milestone shown; `None` when none is ahead.
    pub target: Option<&'a Target>,
    /// Seconds from `now` to the target (0 in its second).
    pub remaining: i64,
    pub class: Class,
    /// Progress from the previous milestone to the next one, 0 to 100
    /// (100 in a milestone's second; 0 when there is no previous one).
    pub percentage: u8,
}

impl<'a> Segment<'a> {
    pub fn new(
        now: Epoch,
        target: Option<&'a Target>,
        outlook: &Outlook,
        thresholds: BarSettings,
    ) -> Segment<'a> {
        let remaining = target.map_or(0, |t| t.milestone.epoch.saturating_sub(now));
        let class = match target {
            Some(_) => Class::of(remaining, thresholds),
            None => Class::Far,
        };
        let percentage = if class == Class::Now {
            100
        } else {
            // Floored, so 100 only in the milestone's second.
            outlook
                .progress(now)
                .map_or(0, |p| (p * 100.0).floor().clamp(0.0, 99.0) as u8)
        };
        Segment {
            now,
            target,
            remaining,
            class,
            percentage,
        }
    }
}

#[cfg(test)]
mod tests;
