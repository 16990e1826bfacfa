//! The merged schedule: any number of rules plus explicit values, yielding
//! milestones in order without duplicates.
//!
//! Explicit values live in one sorted, deduplicated `Vec` (binary search, so
//! 100,000 of them cost nothing per query); the generated rules are merged by
//! a k-way merge that keeps each rule's next value and takes the minimum
//! (rules are few, so a linear minimum beats a heap).
//!
//! When several entries produce the same epoch it appears once:
//! - `rule` lists every producing spec (canonical form, entry order, no repeats), joined by ", ";
//! - `label` comes from the highest [`Rule::label_priority`] (a user's own label,
//!   then famous > y2038 > anniversary > sequence > repdigit > pow2 > hex >
//!   palindrome > every > bare explicit number); ties go to the earlier entry;
//! - `notify` is true if ANY producing entry wants notification.

use std::borrow::Cow;
use std::collections::HashMap;

use super::rules::{PRIORITY_BARE_VALUE, PRIORITY_USER_LABEL, Rule};
use super::{Epoch, Milestone, RuleEntry, SpecError};
use crate::time::Zone;

/// Any number of rules and explicit values, merged.
#[derive(Clone, Debug, Default)]
pub struct Schedule {
    /// Generated (non-explicit) rules, one per canonical spec, in entry order.
    rules: Vec<Source>,
    /// Explicit values, sorted by epoch, one per epoch.
    values: Vec<Explicit>,
}

#[derive(Clone, Debug)]
struct Source {
    rule: Rule,
    /// Borrowed for the embedded defaults, whose specs are constants.
    spec: Cow<'static, str>,
    notify: bool,
    /// Index of the first entry that gave this rule.
    order: usize,
}

/// All explicit entries for one epoch.
#[derive(Clone, Debug)]
struct Explicit {
    epoch: Epoch,
    /// The first user label given for this epoch, in entry order.
    label: Option<String>,
    /// (entry index, canonical spec) of each entry naming this epoch, in entry order.
    specs: Vec<(usize, String)>,
    notify: bool,
}

/// One contributor to a milestone while it is being assembled.
struct Contribution<'a> {
    order: usize,
    spec: &'a str,
    notify: bool,
    priority: u8,
    label: Label<'a>,
}

enum Label<'a> {
    Rule(&'a Rule),
    Text(&'a str),
    Grouped,
}

impl Schedule {
    /// Parse and merge rule specs; local times in specs are read in `zone`.
    /// The first bad spec is the error.
    pub fn from_entries(entries: &[RuleEntry], zone: Zone) -> Result<Schedule, SpecError> {
        let rules = entries
            .iter()
            .map(|e| Ok((Rule::parse(&e.spec, zone)?, e.notify)))
            .collect::<Result<Vec<_>, SpecError>>()?;
        Ok(Schedule::from_rules(rules))
    }

    /// Merge already parsed rules, each with its notify switch, in entry order.
    pub fn from_rules(rules: impl IntoIterator<Item = (Rule, bool)>) -> Schedule {
        let mut sources: Vec<Source> = Vec::new();
        let mut by_spec: HashMap<String, usize> = HashMap::new();
        let mut raw: Vec<(Epoch, usize, Option<String>, bool)> = Vec::new();
        for (order, (rule, notify)) in rules.into_iter().enumerate() {
            match rule {
                Rule::Value { epoch, label } => raw.push((epoch, order, label, notify)),
                rule => {
                    let spec = rule.spec();
                    if let Some(&i) = by_spec.get(&spec) {
                        if let Some(source) = sources.get_mut(i) {
                            source.notify |= notify;
                        }
                    } else {
                        by_spec.insert(spec.clone(), sources.len());
                        sources.push(Source {
                            rule,
                            spec: Cow::Owned(spec),
                            notify,
                            order,
                        });
                    }
                }
            }
        }
        // Sort by epoch then entry order, so each group is already in entry order.
        raw.sort_unstable_by_key(|&(epoch, order, ..)| (epoch, order));
        let mut values: Vec<Explicit> = Vec::with_capacity(raw.len());
        for (epoch, order, label, notify) in raw {
            let spec = Rule::Value {
                epoch,
                label: label.clone(),
            }
            .spec();
            match values.last_mut() {
                Some(last) if last.epoch == epoch => {
                    if !last.specs.iter().any(|(_, s)| *s == spec) {
                        last.specs.push((order, spec));
                    }
                    last.notify |= notify;
                    if last.label.is_none() {
                        last.label = label;
                    }
                }
                _ => values.push(Explicit {
                    epoch,
                    label,
                    specs: vec![(order, spec)],
                    notify,
                }),
            }
        }
        Schedule {
            rules: sources,
            values,
        }
    }

    /// The embedded default set ([`super::DEFAULT_SPECS`]), all notifying.
    pub fn defaults() -> Schedule {
        // Distinct rules and no values: nothing to merge, so no hash table
        // (whose random keys cost a syscall at every start of `bar --once`),
        // and their specs are the constants (not formatted again).
        let rules = [
            Rule::Every(100_000_000),
            Rule::Repdigit,
            Rule::Sequence,
            Rule::Pow2,
            Rule::Y2038,
            Rule::Famous,
        ];
        Schedule {
            rules: rules
                .into_iter()
                .zip(super::DEFAULT_SPECS)
                .enumerate()
                .map(|(order, (rule, spec))| Source {
                    rule,
                    spec: Cow::Borrowed(spec),
                    notify: true,
                    order,
                })
                .collect(),
            values: Vec::new(),
        }
    }

    /// True when the schedule can never produce a milestone.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.values.is_empty()
    }

    /// Number of distinct generated rules and distinct explicit epochs.
    pub fn len(&self) -> usize {
        self.rules.len() + self.values.len()
    }

    /// At least as many characters as the label of any milestone in
    /// `lo..=hi` (`lo <= hi`), without walking them: the widest each rule
    /// and explicit value there could give.
    pub fn label_width_bound(&self, lo: Epoch, hi: Epoch) -> usize {
        let first = self.values.partition_point(|e| e.epoch < lo);
        let last = self.values.partition_point(|e| e.epoch <= hi);
        let explicit = self.values[first..last.max(first)].iter().map(|e| {
            e.label.as_ref().map_or_else(
                || super::group_thousands(e.epoch).len(),
                |l| l.chars().count(),
            )
        });
        self.rules
            .iter()
            .map(|s| s.rule.label_width_bound(lo, hi))
            .chain(explicit)
            .max()
            .unwrap_or(0)
    }

    /// An epoch the `n`th milestone after `t` is not later than (`n` >= 1),
    /// without walking to it: a rule with a step has one every step
    /// (`Epoch::MAX` when no rule has a step).
    pub fn nth_after_bound(&self, t: Epoch, n: usize) -> Epoch {
        let n = i128::try_from(n).unwrap_or(i128::MAX);
        self.rules
            .iter()
            .filter_map(|s| match s.rule {
                // The positive multiples: the first after t is at most max(t, 0) + step.
                Rule::Every(step) | Rule::Hex(step) => Some((t.max(0), step)),
                Rule::Anniversary { base, step, .. } => Some((t.max(base), step)),
                _ => None,
            })
            .map(|(from, step)| {
                let bound = i128::from(from).saturating_add(n.saturating_mul(i128::from(step)));
                Epoch::try_from(bound).unwrap_or(Epoch::MAX)
            })
            .min()
            .unwrap_or(Epoch::MAX)
    }

    /// The canonical specs of the generated rules, in entry order (explicit values left out).
    pub fn rule_specs(&self) -> Vec<String> {
        self.rules.iter().map(|s| s.spec.to_string()).collect()
    }

    /// The first milestone strictly after `t`.
    pub fn next_after(&self, t: Epoch) -> Option<Milestone> {
        self.iter_after(t).next()
    }

    /// The last milestone at or before `t`.
    pub fn last_at_or_before(&self, t: Epoch) -> Option<Milestone> {
        let prevs: Vec<Option<Epoch>> = self
            .rules
            .iter()
            .map(|s| s.rule.prev_at_or_before(t))
            .collect();
        let vi = self.values.partition_point(|e| e.epoch <= t);
        let explicit = vi.checked_sub(1).and_then(|i| self.values.get(i));
        let best = prevs
            .iter()
            .flatten()
            .copied()
            .chain(explicit.map(|e| e.epoch))
            .max()?;
        Some(self.assemble(best, &prevs, explicit.filter(|e| e.epoch == best)))
    }

    /// The next `count` milestones strictly after `t`, in order.
    pub fn upcoming(&self, t: Epoch, count: usize) -> Vec<Milestone> {
        let mut out = Vec::with_capacity(count.min(1 << 16));
        out.extend(self.iter_after(t).take(count));
        out
    }

    /// All milestones in `(after_exclusive, upto_inclusive]`, in order (for
    /// catching up after a clock jump). Empty when the range is empty.
    pub fn between(&self, after_exclusive: Epoch, upto_inclusive: Epoch) -> Iter<'_> {
        let mut iter = self.iter_after(after_exclusive);
        iter.upto = upto_inclusive;
        iter
    }

    /// All milestones strictly after `t`, in order, lazily.
    pub fn iter_after(&self, t: Epoch) -> Iter<'_> {
        Iter {
            schedule: self,
            heads: self.rules.iter().map(|s| s.rule.next_after(t)).collect(),
            vi: self.values.partition_point(|e| e.epoch <= t),
            upto: Epoch::MAX,
            done: false,
        }
    }

    /// Build the milestone at `v` from the rules whose entry in `hits` is
    /// `Some(v)` and the explicit entry, if any.
    fn assemble(&self, v: Epoch, hits: &[Option<Epoch>], explicit: Option<&Explicit>) -> Milestone {
        let mut parts: Vec<Contribution<'_>> = self
            .rules
            .iter()
            .zip(hits)
            .filter(|(_, hit)| **hit == Some(v))
            .map(|(s, _)| Contribution {
                order: s.order,
                spec: &s.spec,
                notify: s.notify,
                priority: s.rule.label_priority(),
                label: Label::Rule(&s.rule),
            })
            .collect();
        if let Some(e) = explicit {
            for (i, (order, spec)) in e.specs.iter().enumerate() {
                // Only the first explicit entry carries the label, so the
                // others never win a tie.
                let (priority, label) = match (&e.label, i) {
                    (Some(text), 0) => (PRIORITY_USER_LABEL, Label::Text(text)),
                    (None, 0) => (PRIORITY_BARE_VALUE, Label::Grouped),
                    _ => (0, Label::Grouped),
                };
                parts.push(Contribution {
                    order: *order,
                    spec,
                    notify: e.notify,
                    priority,
                    label,
                });
            }
        }
        parts.sort_by_key(|p| p.order);
        // Parts are in entry order; `rev` makes `max_by_key` pick the earliest of equals.
        let label = match parts
            .iter()
            .rev()
            .max_by_key(|p| p.priority)
            .map(|p| &p.label)
        {
            Some(Label::Rule(rule)) => rule.label(v),
            Some(Label::Text(text)) => (*text).to_string(),
            Some(Label::Grouped) | None => super::group_thousands(v),
        };
        let rule = parts.iter().map(|p| p.spec).collect::<Vec<_>>().join(", ");
        let notify = parts.iter().any(|p| p.notify);
        Milestone {
            epoch: v,
            label,
            rule,
            notify,
        }
    }
}

/// Milestones in order from [`Schedule::iter_after`] or [`Schedule::between`].
#[derive(Clone, Debug)]
pub struct Iter<'a> {
    schedule: &'a Schedule,
    /// Each rule's next value not yet yielded.
    heads: Vec<Option<Epoch>>,
    /// Index of the next explicit value not yet yielded.
    vi: usize,
    upto: Epoch,
    done: bool,
}

impl Iterator for Iter<'_> {
    type Item = Milestone;

    fn next(&mut self) -> Option<Milestone> {
        if self.done {
            return None;
        }
        let explicit = self.schedule.values.get(self.vi);
        let best = self
            .heads
            .iter()
            .flatten()
            .copied()
            .chain(explicit.map(|e| e.epoch))
            .min();
        let Some(v) = best.filter(|&v| v <= self.upto) else {
            self.done = true;
            return None;
        };
        let explicit = explicit.filter(|e| e.epoch == v);
        let milestone = self.schedule.assemble(v, &self.heads, explicit);
        if explicit.is_some() {
            self.vi += 1;
        }
        for (head, source) in self.heads.iter_mut().zip(&self.schedule.rules) {
            if *head == Some(v) {
                *head = source.rule.next_after(v);
            }
        }
        Some(milestone)
    }
}

impl std::iter::FusedIterator for Iter<'_> {}
