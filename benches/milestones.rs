//! Benchmarks of the milestone rules and schedules: one `next_after`, the next
//! 100 milestones (with `Milestone` structs built), 10,000 palindromes in a row,
//! and building a schedule from 100,000 explicit specs.
//!
//! Run: `cargo bench --bench milestones -- --warm-up-time 1 --measurement-time 2`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use epochwatch::milestone::{Rule, RuleEntry, Schedule};
use epochwatch::time::Zone;

/// A recent instant, so the digit rules work at today's magnitude.
const NOW: i64 = 1_795_568_278;

fn rules() -> Vec<Rule> {
    [
        "every:100000000",
        "repdigit",
        "sequence",
        "palindrome",
        "pow2",
        "y2038",
        "anniversary:@641520000:1000000000",
    ]
    .iter()
    .filter_map(|s| Rule::parse(s, Zone::Utc).ok())
    .collect()
}

fn explicit_entries() -> Vec<RuleEntry> {
    // Spread over the next ~22 years, given in reverse to exercise the sort.
    (0..100_000i64)
        .rev()
        .map(|i| RuleEntry {
            spec: (NOW + i * 7_001).to_string(),
            notify: true,
        })
        .collect()
}

fn schedules() -> Vec<(String, Schedule)> {
    let mut out: Vec<(String, Schedule)> = rules()
        .into_iter()
        .map(|rule| (rule.spec(), Schedule::from_rules([(rule, true)])))
        .collect();
    out.push(("defaults".into(), Schedule::defaults()));
    if let Ok(s) = Schedule::from_entries(&explicit_entries(), Zone::Utc) {
        out.push(("explicit-100k".into(), s));
    }
    out
}

fn bench_rules(c: &mut Criterion) {
    let mut group = c.benchmark_group("rule_next_after");
    for rule in rules() {
        group.bench_with_input(
            BenchmarkId::from_parameter(rule.spec()),
            &rule,
            |b, rule| b.iter(|| rule.next_after(black_box(NOW))),
        );
    }
    group.finish();
}

fn bench_schedules(c: &mut Criterion) {
    let schedules = schedules();
    let mut group = c.benchmark_group("schedule_next_after");
    for (name, schedule) in &schedules {
        group.bench_with_input(BenchmarkId::from_parameter(name), schedule, |b, s| {
            b.iter(|| s.next_after(black_box(NOW)))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("schedule_next_100");
    for (name, schedule) in &schedules {
        group.bench_with_input(BenchmarkId::from_parameter(name), schedule, |b, s| {
            b.iter(|| s.upcoming(black_box(NOW), 100))
        });
    }
    group.finish();
}

fn bench_palindromes(c: &mut Criterion) {
    let schedule = Schedule::from_rules([(Rule::Palindrome, true)]);
    c.bench_function("palindromes_10000_milestones", |b| {
        b.iter(|| schedule.upcoming(black_box(NOW), 10_000))
    });
    c.bench_function("palindromes_10000_rule_chain", |b| {
        b.iter(|| {
            let mut t = black_box(NOW);
            for _ in 0..10_000 {
                t = Rule::Palindrome.next_after(t).unwrap_or(t);
            }
            t
        })
    });
}

fn bench_build(c: &mut Criterion) {
    let entries = explicit_entries();
    c.bench_function("build_explicit_100k", |b| {
        b.iter(|| Schedule::from_entries(black_box(&entries), Zone::Utc).map(|s| s.len()))
    });
    c.bench_function("build_defaults", |b| b.iter(Schedule::defaults));
}

criterion_group!(
    benches,
    bench_rules,
    bench_schedules,
    bench_palindromes,
    bench_build
);
criterion_main!(benches);
