//! Milestones: the rules that produce them and the merged schedule.
//!
//! Pure and analytic: every rule answers "next after t" by construction,
//! never by stepping through seconds.
//!
//! # Spec strings
//!
//! Rule names are case-insensitive (`Repdigit`, `EVERY:10` work); the
//! canonical spec reported in [`Milestone::rule`] is lower-case.
//!
//! | spec | values |
//! |------|--------|
//! | `2000000000`, `2000000000=Two billion`, `-86400` | that epoch (negative allowed), labelled if given |
//! | `every:N` (N >= 1) | N, 2N, 3N, … (positive multiples only); `every:0x10000` takes a hexadecimal step and labels in hexadecimal |
//! | `hex` | the multiples of 0x10000000: 0x70000000 (1879048192), 0x80000000, … labelled "0x70000000" |
//! | `repdigit` | 11, 22, …, 99, 111, …, 2222222222, … |
//! | `sequence` | digits +1 or -1 mod 10: 12, 890, 1234567890, 9876543210, 109, … |
//! | `palindrome` | 11, 22, …, 101, …, 1795665971, … |
//! | `pow2` | 2^k for k >= 1: 2, 4, 8, …, 2^62 (1 = 2^0 is left out) |
//! | `y2038` | 2147483647 (2^31 - 1) |
//! | `famous` | the instants of time-keeping history, labelled with their stories (`famous.rs`, each with its source) |
//! | `anniversary:DATETIME:STEP` | DATETIME + k·STEP for k >= 1 (STEP in whole seconds) |
//!
//! The digit rules are defined on positive integers with two digits or more.
//! Every rule stays within `i64` and returns `None` past the end of it.
//!
//! # Merging
//!
//! See [`schedule`]: one milestone per epoch; `rule` lists every producing
//! spec; the label comes from the most specific rule (user label > famous >
//! y2038 > anniversary > sequence > repdigit > pow2 > hex > palindrome >
//! every > bare explicit number); `notify` is true if any producing entry
//! notifies.

mod digits;
mod famous;
mod label;
mod label_width;
pub mod rules;
pub mod schedule;

use serde::{Deserialize, Serialize};

pub use label::{group_thousands, human_number};
pub use rules::{ACCEPTED, HEX_STEP, Rule, Y2038};
pub use schedule::{Iter, Schedule};

/// Seconds since 1970-01-01T00:00:00Z.
pub type Epoch = i64;

/// One instant worth celebrating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub epoch: Epoch,
    /// What people read: "1.8 billion", "repdigit 2222222222".
    pub label: String,
    /// The spec(s) of the rule(s) that produced it, e.g. "every:100000000",
    /// or "every:1000, repdigit" when several did (entry order).
    pub rule: String,
    /// False when the config says to show it but not to notify it.
    pub notify: bool,
}

/// A bad milestone spec.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SpecError(pub String);

impl crate::error::InputError for SpecError {}

/// A rule as the user gave it, with its per-rule switches.
#[derive(Clone, Debug)]
pub struct RuleEntry {
    pub spec: String,
    pub notify: bool,
}

impl RuleEntry {
    /// A rule whose milestones are notified (the default for every entry).
    pub fn notified(spec: impl Into<String>) -> RuleEntry {
        RuleEntry {
            spec: spec.into(),
            notify: true,
        }
    }
}

/// The specs of the embedded default set. `famous` is among them: it adds
/// few rows to `next` (two in the next eighty years: 2036's NTP rollover and
/// 2106's end of unsigned 32-bit time), each a story worth a notification,
/// and gives 2147483647 its story.
pub const DEFAULT_SPECS: &[&str] = &[
    "every:100000000",
    "repdigit",
    "sequence",
    "pow2",
    "y2038",
    "famous",
];

#[cfg(test)]
mod tests;
