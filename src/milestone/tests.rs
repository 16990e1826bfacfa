//! Unit tests of the merged schedule (rule-level tests live beside each rule).

use super::*;
use crate::time::Zone;

fn entries(specs: &[&str]) -> Vec<RuleEntry> {
    specs.iter().map(|s| RuleEntry::notified(*s)).collect()
}

fn schedule(specs: &[&str]) -> Schedule {
    Schedule::from_entries(&entries(specs), Zone::Utc).unwrap()
}

#[test]
fn defaults_match_default_specs() {
    let parsed = schedule(DEFAULT_SPECS);
    let built = Schedule::defaults();
    assert_eq!(built.rule_specs(), DEFAULT_SPECS);
    for t in [
        -5,
        0,
        1_000,
        1_795_568_278,
        2_147_483_647,
        9_000_000_000_000_000_000,
    ] {
        assert_eq!(parsed.upcoming(t, 20), built.upcoming(t, 20));
    }
}

#[test]
fn defaults_next_after_now() {
    let s = Schedule::defaults();
    let m = s.next_after(1_795_568_278).unwrap();
    assert_eq!(m.epoch, 1_800_000_000);
    assert_eq!(m.label, "1.8 billion");
    assert_eq!(m.rule, "every:100000000");
    assert!(m.notify);
    let later: Vec<_> = s
        .upcoming(1_795_568_278, 7)
        .into_iter()
        .map(|m| (m.epoch, m.label, m.rule))
        .collect();
    let row = |epoch, label: &str, rule: &str| (epoch, label.to_string(), rule.to_string());
    assert_eq!(
        later,
        [
            row(1_800_000_000, "1.8 billion", "every:100000000"),
            row(1_900_000_000, "1.9 billion", "every:100000000"),
            row(2_000_000_000, "2 billion", "every:100000000"),
            row(
                2_085_978_496,
                "NTP era 0 ends: 32-bit NTP time wraps",
                "famous"
            ),
            row(2_100_000_000, "2.1 billion", "every:100000000"),
            row(2_109_876_543, "sequence 2109876543", "sequence"),
            row(
                2_147_483_647,
                "Y2038: last second of signed 32-bit time",
                "y2038, famous"
            ),
        ]
    );
    assert_eq!(
        s.next_after(2_147_483_647).unwrap().label,
        "2^31 = 2147483648"
    );
    let prev = s.last_at_or_before(1_795_568_278).unwrap();
    assert_eq!(prev.epoch, 1_700_000_000);
    assert_eq!(
        s.last_at_or_before(1_234_567_890).unwrap().label,
        "1234567890 day, celebrated around the world"
    );
}

#[test]
fn shared_values_appear_once_with_all_specs() {
    // 2222222222 is a repdigit, a palindrome and a multiple of 1111111111.
    let s = schedule(&["palindrome", "every:1111111111", "repdigit", "2222222222"]);
    let m = s.next_after(2_222_222_221).unwrap();
    assert_eq!(m.epoch, 2_222_222_222);
    assert_eq!(m.rule, "palindrome, every:1111111111, repdigit, 2222222222");
    assert_eq!(m.label, "repdigit 2222222222");
    assert_eq!(s.next_after(2_222_222_222).unwrap().epoch, 2_222_332_222);
    // A user label beats everything.
    let s = schedule(&["repdigit", "2222222222=Twos day", "2222222222"]);
    let m = s.next_after(2_000_000_000).unwrap();
    assert_eq!(
        (m.label.as_str(), m.rule.as_str()),
        ("Twos day", "repdigit, 2222222222=Twos day, 2222222222")
    );
    assert_eq!(s.last_at_or_before(2_222_222_222).unwrap(), m);
    // y2038 beats pow2-adjacent every; every beats a bare number.
    let s = schedule(&["2000000000", "every:1000000000"]);
    assert_eq!(s.next_after(0).unwrap().label, "1 billion");
    assert_eq!(s.next_after(1_000_000_000).unwrap().label, "2 billion");
    let s = schedule(&["every:1", "y2038"]);
    assert_eq!(s.next_after(2_147_483_646).unwrap().label, "Y2038: 2^31-1");
}

#[test]
fn duplicate_entries_collapse() {
    let s = schedule(&["repdigit", "REPDIGIT", "5", "5", "5=five", "5=cinq"]);
    assert_eq!(s.len(), 2);
    let m = s.next_after(0).unwrap();
    assert_eq!(m.epoch, 5);
    assert_eq!(m.label, "five");
    assert_eq!(m.rule, "5, 5=five, 5=cinq");
    assert_eq!(s.next_after(5).unwrap().rule, "repdigit");
}

#[test]
fn notify_if_any_producer_notifies() {
    let e = vec![
        RuleEntry {
            spec: "every:10".into(),
            notify: false,
        },
        RuleEntry {
            spec: "20".into(),
            notify: true,
        },
        RuleEntry {
            spec: "30".into(),
            notify: false,
        },
    ];
    let s = Schedule::from_entries(&e, Zone::Utc).unwrap();
    let got: Vec<_> = s
        .upcoming(0, 3)
        .into_iter()
        .map(|m| (m.epoch, m.notify))
        .collect();
    assert_eq!(got, [(10, false), (20, true), (30, false)]);
    let e = vec![
        RuleEntry {
            spec: "repdigit".into(),
            notify: false,
        },
        RuleEntry {
            spec: "Repdigit".into(),
            notify: true,
        },
    ];
    assert!(
        Schedule::from_entries(&e, Zone::Utc)
            .unwrap()
            .next_after(0)
            .unwrap()
            .notify
    );
}

#[test]
fn explicit_values_and_labels() {
    let s = schedule(&["2000000000=Two billion", "1900000000", "-100"]);
    let all: Vec<_> = s.upcoming(i64::MIN, 10);
    assert_eq!(all.len(), 3);
    assert_eq!((all[0].epoch, all[0].label.as_str()), (-100, "-100"));
    assert_eq!(all[1].label, "1,900,000,000");
    assert_eq!(all[2].label, "Two billion");
    assert_eq!(all[2].rule, "2000000000=Two billion");
    assert_eq!(s.next_after(2_000_000_000), None);
    assert_eq!(s.last_at_or_before(-101), None);
    assert_eq!(s.last_at_or_before(-100).unwrap().epoch, -100);
    assert_eq!(s.last_at_or_before(i64::MAX).unwrap().epoch, 2_000_000_000);
}

#[test]
fn between_is_half_open() {
    let s = schedule(&["every:10"]);
    let got: Vec<_> = s.between(10, 40).map(|m| m.epoch).collect();
    assert_eq!(got, [20, 30, 40]);
    assert_eq!(s.between(40, 40).count(), 0);
    assert_eq!(s.between(50, 10).count(), 0);
    assert_eq!(s.between(i64::MAX - 25, i64::MAX).count(), 2);
    let mut it = s.between(0, 10);
    assert_eq!(it.next().map(|m| m.epoch), Some(10));
    assert_eq!(it.next(), None);
    assert_eq!(it.next(), None);
}

#[test]
fn ends_of_the_range() {
    let s = schedule(&[
        "every:1",
        "palindrome",
        "repdigit",
        "sequence",
        "pow2",
        "y2038",
        "anniversary:@-5:3",
    ]);
    assert_eq!(s.next_after(i64::MAX), None);
    assert_eq!(s.upcoming(i64::MAX - 2, 5).len(), 2);
    assert!(s.last_at_or_before(i64::MIN).is_none());
    assert_eq!(s.next_after(i64::MIN).unwrap().epoch, -2);
    assert_eq!(s.upcoming(i64::MAX - 1, usize::MAX).len(), 1);
}

#[test]
fn empty_schedule() {
    let s = schedule(&[]);
    assert!(s.is_empty());
    assert_eq!(s.next_after(0), None);
    assert_eq!(s.last_at_or_before(0), None);
    assert!(s.upcoming(0, 10).is_empty());
    assert!(Schedule::default().is_empty());
    assert!(!Schedule::defaults().is_empty());
}

#[test]
fn first_bad_spec_is_the_error() {
    let err =
        Schedule::from_entries(&entries(&["repdigit", "every:0", "bogus"]), Zone::Utc).unwrap_err();
    assert!(err.0.contains("every:0"), "{err}");
}

#[test]
fn many_explicit_values() {
    let specs: Vec<String> = (0..100_000i64)
        .rev()
        .map(|i| (1_800_000_000 + i * 7).to_string())
        .collect();
    let e: Vec<RuleEntry> = specs
        .iter()
        .map(|s| RuleEntry::notified(s.as_str()))
        .collect();
    let s = Schedule::from_entries(&e, Zone::Utc).unwrap();
    assert_eq!(s.len(), 100_000);
    assert_eq!(s.next_after(1_800_000_000).unwrap().epoch, 1_800_000_007);
    assert_eq!(s.next_after(1_800_000_001).unwrap().label, "1,800,000,007");
    let got = s.upcoming(1_800_000_000 + 7 * 99_990, 100);
    assert_eq!(got.len(), 9);
}

#[test]
fn milestone_serializes() {
    let m = Schedule::defaults().next_after(1_795_568_278).unwrap();
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(
        json,
        r#"{"epoch":1800000000,"label":"1.8 billion","rule":"every:100000000","notify":true}"#
    );
}
