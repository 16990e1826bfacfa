//! Milestones: the rules that produce them and the merged schedule.
//!
//! Pure and analytic: every rule answers "next after t" by construction,
//! never by stepping through seconds.

use serde::Serialize;

use crate::calendar::Zone;

/// Seconds since 1970-01-01T00:00:00Z.
pub type Epoch = i64;

/// One instant worth celebrating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Milestone {
    pub epoch: Epoch,
    /// What people read: "1.8 billion", "repdigit 2222222222".
    pub label: String,
    /// The spec(s) of the rule(s) that produced it, e.g. "every:100000000".
    pub rule: String,
    /// False when the config says to show it but not to notify it.
    pub notify: bool,
}

/// A bad milestone spec.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SpecError(pub String);

/// A rule as the user gave it, with its per-rule switches.
#[derive(Clone, Debug)]
pub struct RuleEntry {
    pub spec: String,
    pub notify: bool,
}

/// Any number of rules and explicit values, merged.
#[derive(Clone, Debug, Default)]
pub struct Schedule {}

impl Schedule {
    /// Parse and merge rule specs; local times in specs are read in `zone`.
    pub fn from_entries(_entries: &[RuleEntry], _zone: Zone) -> Result<Schedule, SpecError> {
        Ok(Schedule {})
    }

    /// The embedded default set.
    pub fn defaults() -> Schedule {
        Schedule {}
    }

    /// The first milestone strictly after `t`.
    pub fn next_after(&self, _t: Epoch) -> Option<Milestone> {
        None
    }

    /// The last milestone at or before `t`.
    pub fn last_at_or_before(&self, _t: Epoch) -> Option<Milestone> {
        None
    }

    /// The next `count` milestones strictly after `t`, in order.
    pub fn upcoming(&self, t: Epoch, count: usize) -> Vec<Milestone> {
        let mut out = Vec::with_capacity(count.min(1 << 16));
        let mut cursor = t;
        while out.len() < count {
            match self.next_after(cursor) {
                Some(m) => {
                    cursor = m.epoch;
                    out.push(m);
                }
                None => break,
            }
        }
        out
    }
}

/// The specs of the embedded default set.
pub const DEFAULT_SPECS: &[&str] = &["every:100000000", "repdigit", "sequence", "pow2", "y2038"];
