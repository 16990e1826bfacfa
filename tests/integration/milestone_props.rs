//! Property tests of the milestone rules and schedule against brute force.
//!
//! The oracles here are deliberately naive and independent of the
//! implementation: string predicates on the decimal digits, scans over
//! windows of seconds, sets built by string construction, and a closed-form
//! palindrome count; the `famous` instants as their sources give them
//! (UTC date-times), turned into epochs by GNU `date`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use proptest::prelude::*;

use crate::harness::internals::{Epoch, Rule, RuleEntry, Schedule, Zone};

const WINDOW: i64 = 3000;

// ---------- independent predicates ----------

fn digits(v: Epoch) -> Option<Vec<u8>> {
    (v >= 10).then(|| v.to_string().into_bytes())
}

fn is_repdigit(v: Epoch) -> bool {
    digits(v).is_some_and(|d| d.iter().all(|&c| c == d[0]))
}

fn is_sequence(v: Epoch) -> bool {
    digits(v).is_some_and(|d| {
        let steps: Vec<u8> = d.windows(2).map(|w| (w[1] + 10 - w[0]) % 10).collect();
        steps.iter().all(|&s| s == 1) || steps.iter().all(|&s| s == 9)
    })
}

fn is_palindrome(v: Epoch) -> bool {
    digits(v).is_some_and(|d| d.iter().eq(d.iter().rev()))
}

/// The oracle predicate for a rule.
fn holds(rule: &Rule, v: Epoch) -> bool {
    match rule {
        Rule::Value { epoch, .. } => v == *epoch,
        Rule::Every(n) | Rule::Hex(n) => v > 0 && v % n == 0,
        Rule::Repdigit => is_repdigit(v),
        Rule::Sequence => is_sequence(v),
        Rule::Palindrome => is_palindrome(v),
        Rule::Pow2 => v >= 2 && v & (v - 1) == 0,
        Rule::Y2038 => v == 2_147_483_647,
        Rule::Famous => famous_oracle().contains(&v),
        Rule::Anniversary { base, step, .. } => {
            let d = i128::from(v) - i128::from(*base);
            d > 0 && d % i128::from(*step) == 0
        }
    }
}

/// The UTC date-times of the `famous` instants, as each source names them
/// (see the comments in `src/milestone/famous.rs`).
const FAMOUS_SOURCES: &[&str] = &[
    "1970-01-01 00:00:00",
    "1980-01-06 00:00:00",
    "1999-08-21 23:59:47",
    "2000-01-01 00:00:00",
    "2001-09-09 01:46:40",
    "2009-02-13 23:31:30",
    "2019-04-06 23:59:42",
    "2036-02-07 06:28:16",
    "2038-01-19 03:14:07",
    "2106-02-07 06:28:15",
    "10000-01-01 00:00:00",
];

/// `FAMOUS_SOURCES` as epochs, by GNU `date -u -d TEXT +%s`.
fn famous_oracle() -> &'static BTreeSet<Epoch> {
    static SET: OnceLock<BTreeSet<Epoch>> = OnceLock::new();
    SET.get_or_init(|| {
        FAMOUS_SOURCES
            .iter()
            .map(|text| {
                let out = std::process::Command::new("date")
                    .env_clear()
                    .env("TZ", "UTC")
                    .args(["-u", "-d", text, "+%s"])
                    .output()
                    .expect("GNU date runs");
                assert!(out.status.success(), "date -d {text:?} failed");
                String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
            })
            .collect()
    })
}

// ---------- window comparisons ----------

/// Members in (t, t + WINDOW] by scanning every second.
fn scan(rule: &Rule, t: Epoch) -> Vec<Epoch> {
    let end = t.saturating_add(WINDOW);
    (t.saturating_add(1)..=end)
        .filter(|&v| v > t && holds(rule, v))
        .collect()
}

/// Members in (t, t + WINDOW] by chaining `next_after`.
fn chain_next(rule: &Rule, t: Epoch) -> Vec<Epoch> {
    let end = t.saturating_add(WINDOW);
    let mut out = Vec::new();
    let mut cursor = t;
    while let Some(v) = rule.next_after(cursor) {
        assert!(v > cursor, "{rule:?}: next_after({cursor}) = {v}");
        if v > end {
            break;
        }
        out.push(v);
        cursor = v;
    }
    out
}

/// Members in (t, t + WINDOW] by chaining `prev_at_or_before` downwards.
fn chain_prev(rule: &Rule, t: Epoch) -> Vec<Epoch> {
    let mut out = Vec::new();
    let mut cursor = t.saturating_add(WINDOW);
    while let Some(v) = rule.prev_at_or_before(cursor) {
        assert!(v <= cursor, "{rule:?}: prev_at_or_before({cursor}) = {v}");
        if v <= t {
            break;
        }
        out.push(v);
        match v.checked_sub(1) {
            Some(c) => cursor = c,
            None => break,
        }
    }
    out.reverse();
    out
}

fn check_window(rule: &Rule, t: Epoch) -> Result<(), TestCaseError> {
    let expected = scan(rule, t);
    prop_assert_eq!(
        &chain_next(rule, t),
        &expected,
        "next_after, {:?}, t={}",
        rule,
        t
    );
    prop_assert_eq!(
        &chain_prev(rule, t),
        &expected,
        "prev_at_or_before, {:?}, t={}",
        rule,
        t
    );
    Ok(())
}

/// Properties that hold at any scale, where a scan is impossible.
fn check_sandwich(rule: &Rule, t: Epoch) -> Result<(), TestCaseError> {
    if let Some(n) = rule.next_after(t) {
        prop_assert!(
            n > t && holds(rule, n),
            "{:?} next_after({}) = {}",
            rule,
            t,
            n
        );
        prop_assert_eq!(rule.prev_at_or_before(n), Some(n));
        prop_assert!(rule.prev_at_or_before(n - 1).is_none_or(|p| p <= t));
    }
    if let Some(p) = rule.prev_at_or_before(t) {
        prop_assert!(p <= t && holds(rule, p), "{:?} prev({}) = {}", rule, t, p);
        let n = rule.next_after(p);
        prop_assert!(
            n.is_none_or(|n| n > t),
            "{:?}: next_after({}) = {:?} <= {}",
            rule,
            p,
            n,
            t
        );
    } else {
        prop_assert!(rule.next_after(i64::MIN).is_none_or(|n| n > t));
    }
    Ok(())
}

// ---------- strategies ----------

/// Instants of many magnitudes: anywhere, small, around powers of ten, near the ends.
fn instant() -> impl Strategy<Value = Epoch> {
    prop_oneof![
        any::<i64>(),
        -20_000i64..2_000_000,
        (0u32..=18, -5000i64..5000).prop_map(|(k, d)| 10i64.pow(k).saturating_add(d)),
        (1u32..=19, any::<u64>()).prop_map(|(k, r)| (r % 10u64.pow(k)) as i64),
        (0i64..10_000).prop_map(|d| i64::MAX - d),
        (0i64..10_000).prop_map(|d| i64::MIN + d),
    ]
}

fn step() -> impl Strategy<Value = i64> {
    prop_oneof![
        1i64..=20,
        1i64..=5000,
        1i64..=1_000_000_000_000,
        1i64..=i64::MAX
    ]
}

fn rule() -> impl Strategy<Value = Rule> {
    prop_oneof![
        Just(Rule::Repdigit),
        Just(Rule::Sequence),
        Just(Rule::Palindrome),
        Just(Rule::Pow2),
        Just(Rule::Y2038),
        Just(Rule::Famous),
        Just(Rule::Hex(0x1000_0000)),
        step().prop_map(Rule::Every),
        step().prop_map(Rule::Hex),
        (instant(), step()).prop_map(|(base, step)| Rule::Anniversary {
            base,
            step,
            base_text: format!("@{base}")
        }),
        instant().prop_map(|epoch| Rule::Value { epoch, label: None }),
    ]
}

/// An instant just before or after a member of `rule`, or anywhere.
fn near(rule: &Rule, t0: Epoch, offset: i64) -> Epoch {
    match rule.next_after(t0) {
        Some(m) => m.saturating_add(offset),
        None => t0,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn rules_match_a_scan(rule in rule(), t0 in instant(), offset in -WINDOW..WINDOW, use_near in any::<bool>()) {
        let t = if use_near { near(&rule, t0, offset) } else { t0 };
        check_window(&rule, t)?;
        check_sandwich(&rule, t)?;
        check_sandwich(&rule, t0)?;
    }

    #[test]
    fn palindromes_are_counted(t in instant()) {
        if let Some(n) = Rule::Palindrome.next_after(t) {
            prop_assert!(is_palindrome(n));
            prop_assert_eq!(palindromes_at_or_below(n), palindromes_at_or_below(t) + 1);
        } else {
            prop_assert_eq!(palindromes_at_or_below(t), palindromes_at_or_below(i64::MAX));
        }
        let p = Rule::Palindrome.prev_at_or_before(t);
        prop_assert_eq!(p.map_or(0, palindromes_at_or_below), palindromes_at_or_below(t));
    }

    #[test]
    fn schedule_is_the_union(
        rules in prop::collection::vec(rule(), 0..6),
        values in prop::collection::vec((-50i64..50, any::<bool>(), any::<bool>()), 0..6),
        notifies in prop::collection::vec(any::<bool>(), 12),
        t0 in instant(),
        offset in -WINDOW..WINDOW,
    ) {
        // Explicit values close to t so that they mix with the rules' values.
        let t = rules.first().map_or(t0, |r| near(r, t0, offset));
        let mut all: Vec<Rule> = rules;
        for (d, labelled, _) in &values {
            let epoch = t.saturating_add(*d);
            let label = labelled.then(|| format!("label {epoch}"));
            all.push(Rule::Value { epoch, label });
        }
        let entries: Vec<(Rule, bool)> = all.iter().cloned().zip(notifies.iter().copied().cycle()).collect();
        let schedule = Schedule::from_rules(entries.clone());
        // The same through spec text.
        let via_text = Schedule::from_entries(
            &entries.iter().map(|(r, n)| RuleEntry { spec: r.spec(), notify: *n }).collect::<Vec<_>>(),
            Zone::Utc,
        ).unwrap();

        const K: usize = 40;
        let got = schedule.upcoming(t, K);
        prop_assert_eq!(&via_text.upcoming(t, K), &got);

        // Oracle: the first K of each rule, merged.
        let mut union: BTreeMap<Epoch, ()> = BTreeMap::new();
        for rule in &all {
            let mut cursor = t;
            for _ in 0..K {
                match rule.next_after(cursor) {
                    Some(v) => { union.insert(v, ()); cursor = v; }
                    None => break,
                }
            }
        }
        let expected: Vec<Epoch> = union.keys().copied().take(K).collect();
        let epochs: Vec<Epoch> = got.iter().map(|m| m.epoch).collect();
        prop_assert_eq!(&epochs, &expected);
        prop_assert!(epochs.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(epochs.iter().all(|&e| e > t));

        for m in &got {
            let producers: Vec<usize> = (0..all.len()).filter(|&i| holds(&all[i], m.epoch)).collect();
            prop_assert!(!producers.is_empty());
            let mut specs: Vec<String> = Vec::new();
            for &i in &producers {
                let s = all[i].spec();
                if !specs.contains(&s) { specs.push(s); }
            }
            let mut listed: Vec<&str> = m.rule.split(", ").collect();
            listed.sort_unstable();
            let mut wanted: Vec<&str> = specs.iter().map(String::as_str).collect();
            wanted.sort_unstable();
            prop_assert_eq!(listed, wanted, "{:?}", m);
            prop_assert_eq!(m.notify, producers.iter().any(|&i| entries[i].1));
            let top = producers.iter().map(|&i| all[i].label_priority()).max().unwrap_or(0);
            let winner = producers.iter().find(|&&i| all[i].label_priority() == top).copied().unwrap_or(0);
            prop_assert_eq!(&m.label, &all[winner].label(m.epoch));
        }

        // between(a, b] is the same stream, cut.
        if let Some(last) = epochs.last() {
            let cut: Vec<Epoch> = schedule.between(t, *last).map(|m| m.epoch).collect();
            prop_assert_eq!(&cut, &epochs);
        }

        // last_at_or_before is the largest of the rules' previous values.
        let prev = all.iter().filter_map(|r| r.prev_at_or_before(t)).max();
        let last = schedule.last_at_or_before(t);
        prop_assert_eq!(last.as_ref().map(|m| m.epoch), prev);
        // (At i64::MIN there is no instant before it to ask from.)
        if let Some(m) = last
            && let Some(before) = m.epoch.checked_sub(1)
        {
            prop_assert_eq!(schedule.next_after(before), Some(m));
        }
    }
}

// ---------- whole-set comparisons for the sparse rules ----------

/// Every member of `rule`, from chaining `next_after` from the bottom.
fn enumerate(rule: &Rule) -> Vec<Epoch> {
    let mut out = Vec::new();
    let mut cursor = i64::MIN;
    while let Some(v) = rule.next_after(cursor) {
        out.push(v);
        cursor = v;
    }
    out
}

fn sorted(mut v: Vec<Epoch>) -> Vec<Epoch> {
    v.sort_unstable();
    v.dedup();
    v
}

#[test]
fn repdigits_are_all_there() {
    let built = (2..=19usize)
        .flat_map(|len| (1..=9u8).map(move |d| d.to_string().repeat(len)))
        .filter_map(|s| s.parse::<i64>().ok())
        .collect();
    assert_eq!(enumerate(&Rule::Repdigit), sorted(built));
}

#[test]
fn sequences_are_all_there() {
    let mut built = Vec::new();
    for len in 2..=19u32 {
        for first in 1..=9u32 {
            for step in [1, 9] {
                let s: String = (0..len)
                    .map(|i| char::from_digit((first + step * i) % 10, 10).unwrap())
                    .collect();
                if let Ok(v) = s.parse::<i64>() {
                    built.push(v);
                }
            }
        }
    }
    assert_eq!(enumerate(&Rule::Sequence), sorted(built));
}

#[test]
fn famous_instants_are_their_sources() {
    let built: Vec<Epoch> = famous_oracle().iter().copied().collect();
    assert_eq!(enumerate(&Rule::Famous), built);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Hexadecimal labels read back as the value; `every:0x…` is the same
    /// set as the decimal step.
    #[test]
    fn hex_labels_are_the_value_in_hex(step in step(), t in instant()) {
        let hex = Rule::Hex(step);
        if let Some(v) = hex.next_after(t) {
            let label = hex.label(v);
            let digits = label.strip_prefix("0x").expect("0x prefix");
            prop_assert!(!digits.chars().any(|c| c.is_ascii_lowercase()), "{}", label);
            prop_assert_eq!(i64::from_str_radix(digits, 16).ok(), Some(v));
            prop_assert_eq!(Rule::Every(step).next_after(t), Some(v));
        }
        let text = format!("every:{step:#x}");
        let parsed = Rule::parse(&text, Zone::Utc).unwrap();
        prop_assert_eq!(parsed, hex);
    }
}

#[test]
fn powers_of_two_are_all_there() {
    let built = (1..=62).map(|k| 2i64.pow(k)).collect::<Vec<_>>();
    assert_eq!(enumerate(&Rule::Pow2), built);
}

#[test]
fn small_numbers_exhaustively() {
    // Every second from -1000 to 300,000 for the digit rules.
    for rule in [Rule::Repdigit, Rule::Sequence, Rule::Palindrome, Rule::Pow2] {
        let expected: Vec<Epoch> = (-1000..=300_000).filter(|&v| holds(&rule, v)).collect();
        let mut got = Vec::new();
        let mut cursor = -1001;
        while let Some(v) = rule.next_after(cursor) {
            if v > 300_000 {
                break;
            }
            got.push(v);
            cursor = v;
        }
        assert_eq!(got, expected, "{rule:?}");
    }
}

/// Count of palindromes with two or more digits in [11, x], by formula:
/// all shorter ones, plus the same-length ones whose left half is smaller,
/// plus the one mirroring x's own left half if it is not above x.
fn palindromes_at_or_below(x: Epoch) -> u128 {
    if x < 11 {
        return 0;
    }
    let s = x.to_string();
    let len = s.len() as u32;
    let mut count: u128 = (2..len).map(|l| 9 * 10u128.pow(l.div_ceil(2) - 1)).sum();
    let half_len = len.div_ceil(2) as usize;
    let half: u128 = s[..half_len].parse().unwrap();
    count += half - 10u128.pow(half_len as u32 - 1);
    let left = &s[..half_len];
    let right: String = s[..(len as usize / 2)].chars().rev().collect();
    let mirrored: u128 = format!("{left}{right}").parse().unwrap();
    if mirrored <= x as u128 {
        count += 1;
    }
    count
}

#[test]
fn palindrome_count_oracle_is_sane() {
    let brute = (0..=20_000).filter(|&v| is_palindrome(v)).count() as u128;
    assert_eq!(palindromes_at_or_below(20_000), brute);
    assert_eq!(palindromes_at_or_below(11), 1);
    assert_eq!(palindromes_at_or_below(99), 9);
    assert_eq!(palindromes_at_or_below(100), 9);
    assert_eq!(palindromes_at_or_below(101), 10);
}
