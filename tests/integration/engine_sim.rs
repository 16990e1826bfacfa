//! The engine driven over simulated years of wall-clock time, with random
//! forward and backward jumps: with NTP-sized steps back every milestone
//! fires exactly once, in order; with large ones nothing is lost and only
//! what a jump crossed comes back, once, on time (docs/delivery.md).

use crate::harness::internals::{
    Clock, Engine, EngineOptions, Epoch, Event, ON_TIME_MS, SMALL_STEP_SECS, SimClock, Wake,
    WallTime, schedule,
};
use crate::harness::seeded::Rng;

const YEAR: i64 = 365 * 86_400;

/// `0..n` from the harness's seeded source (a failure replays from its seed).
fn below(rng: &mut Rng, n: u64) -> i64 {
    rng.below(n) as i64
}

/// How far the simulated clock jumps.
#[derive(Clone, Copy)]
struct Jumps {
    /// Forward, at most (a suspend, a step).
    forward: i64,
    /// Backward, at most (a day; or NTP-sized, within the engine's allowance).
    back: i64,
}

/// One simulated step: mostly one second, sometimes a jump forward of up to
/// an hour or up to `jumps.forward`, sometimes back by up to `jumps.back`.
fn step(rng: &mut Rng, now: i64, jumps: Jumps) -> WallTime {
    let nanos = rng.below(1_000_000_000) as u32;
    let secs = match below(rng, 100) {
        0..=85 => now + 1,
        86..=96 => now + 1 + below(rng, 3_600),
        97 => now + 1 + below(rng, jumps.forward as u64),
        _ => now - 1 - below(rng, jumps.back as u64),
    };
    WallTime { secs, nanos }
}

struct Record {
    /// Each milestone reached, with how late.
    reached: Vec<(Epoch, i64)>,
    missed: Vec<(u64, Epoch, Epoch)>,
    reminders: Vec<(Epoch, i64)>,
    ticks: u64,
}

/// Drive `engine` on a `SimClock` from `start` until `end`.
fn drive(engine: &mut Engine, start: i64, end: i64, seed: u8, jumps: Jumps) -> Record {
    let clock = SimClock::new(WallTime::from_secs(start));
    let mut rng = Rng::new(u64::from(seed));
    let mut record = Record {
        reached: Vec::new(),
        missed: Vec::new(),
        reminders: Vec::new(),
        ticks: 0,
    };
    let mut last_tick: Option<Epoch> = None;
    while clock.now().secs < end {
        let now = clock.now();
        for event in engine.observe(now) {
            match event {
                Event::Tick { second } => {
                    assert_ne!(
                        Some(second),
                        last_tick,
                        "a second was ticked twice in a row"
                    );
                    assert_eq!(second, now.secs, "the tick is the observed second");
                    last_tick = Some(second);
                    record.ticks += 1;
                }
                Event::Reached { milestone, late_ms } => {
                    assert!(milestone.epoch <= now.secs, "reached before its time");
                    assert!(late_ms >= 0, "negative lateness");
                    assert_eq!(late_ms, now.millis_since(milestone.epoch));
                    record.reached.push((milestone.epoch, late_ms));
                }
                Event::Missed {
                    count, first, last, ..
                } => {
                    record.missed.push((count, first.epoch, last.epoch));
                }
                Event::Countdown { milestone, left } => {
                    assert!(left >= 1, "a countdown at or after its milestone");
                    assert_eq!(left, milestone.epoch - now.secs, "seconds left");
                    assert!(milestone.notify, "a countdown for a silent milestone");
                }
                Event::Reminder {
                    milestone,
                    lead,
                    due,
                    ..
                } => {
                    assert_eq!(due, milestone.epoch - lead);
                    assert!(due <= now.secs && milestone.epoch > now.secs);
                    record.reminders.push((milestone.epoch, lead));
                }
            }
        }
        let next = step(&mut rng, now.secs, jumps);
        // Exercise both ways the clock reports time passing.
        if next.secs == now.secs + 1 {
            assert_eq!(clock.sleep_until(now.next_second()), Wake::Deadline);
            clock.advance(std::time::Duration::from_nanos(u64::from(next.nanos)));
        } else {
            clock.jump_during_next_sleep(next);
            assert_eq!(clock.sleep_until(now.next_second()), Wake::ClockChanged);
        }
    }
    record
}

const SPECS: [&str; 7] = [
    "every:100000000",
    "repdigit",
    "sequence",
    "pow2",
    "y2038",
    "palindrome",
    "every:7919",
];

/// Ten simulated years on `SPECS` with `jumps`, reminders 1 h, 1 min and
/// 10 s before, no catch-up window: what was recorded, and the milestones
/// from the start to the engine's high-water mark.
fn ten_years(seed: u8, jumps: Jumps) -> (Record, Vec<Epoch>) {
    let schedule = schedule(&SPECS);
    let start = 1_700_000_000;
    let end = start + 10 * YEAR + 86_400;
    let mut engine = Engine::new(
        schedule.clone(),
        EngineOptions {
            remind: vec![3_600, 60, 10],
            catch_up: None,
            fired_through: start,
        },
    );
    let record = drive(&mut engine, start, end, seed, jumps);
    let expected = schedule
        .between(start, engine.fired_through())
        .map(|m| m.epoch)
        .collect();
    (record, expected)
}

#[test]
fn ten_years_with_small_steps_back_fire_every_milestone_once_in_order() {
    // Backward steps within the NTP-sized allowance never bring anything back.
    let jumps = Jumps {
        forward: 30 * 86_400,
        back: SMALL_STEP_SECS,
    };
    for seed in [1u8, 2] {
        let (record, expected) = ten_years(seed, jumps);
        let reached: Vec<Epoch> = record.reached.iter().map(|&(e, _)| e).collect();
        assert!(
            expected.len() > 40_000,
            "the simulation covers many milestones"
        );
        assert!(
            record.missed.is_empty(),
            "no summary without a catch-up window"
        );
        assert_eq!(reached.len(), expected.len(), "each milestone exactly once");
        assert_eq!(reached, expected, "in order, none missing, none repeated");
        assert!(record.ticks > 10_000);
        // No reminder is sent twice for the same milestone and lead.
        let mut reminders = record.reminders.clone();
        reminders.sort_unstable();
        let before = reminders.len();
        reminders.dedup();
        assert_eq!(before, reminders.len(), "a reminder repeated");
    }
}

/// Milestone -> (times reported on time, times reported late).
fn tally(reached: &[(Epoch, i64)]) -> std::collections::BTreeMap<Epoch, (u32, u32)> {
    let mut tally = std::collections::BTreeMap::new();
    for &(epoch, late_ms) in reached {
        let entry = tally.entry(epoch).or_insert((0, 0));
        if late_ms < ON_TIME_MS {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
    }
    tally
}

#[test]
fn ten_years_with_large_steps_back_lose_nothing_and_repeat_only_what_was_crossed() {
    let jumps = Jumps {
        forward: 30 * 86_400,
        back: 86_400,
    };
    for seed in [1u8, 2] {
        let (record, expected) = ten_years(seed, jumps);
        let tally = tally(&record.reached);
        assert_eq!(
            tally.keys().copied().collect::<Vec<_>>(),
            expected,
            "every milestone reported, none that is not one"
        );
        let mut repeated = 0;
        for (epoch, &(on_time, late)) in &tally {
            assert!(on_time <= 1, "{epoch} reached on time twice");
            assert!(late <= 1, "{epoch} reported late twice");
            if on_time + late == 2 {
                repeated += 1;
                // Crossed first, then back ahead and reached on time.
                let first = record.reached.iter().find(|(e, _)| e == epoch).unwrap();
                assert!(first.1 >= ON_TIME_MS, "{epoch}");
            }
        }
        assert!(repeated > 0, "some crossed milestones came back");
        assert!(record.missed.is_empty());
    }
}

#[test]
fn catch_up_window_sums_up_old_milestones_and_covers_each_once() {
    let schedule = schedule(&["every:1000", "palindrome", "repdigit"]);
    let start = 1_800_000_000;
    let end = start + 2 * YEAR;
    let mut engine = Engine::new(
        schedule.clone(),
        EngineOptions {
            remind: vec![60],
            catch_up: Some(3_600),
            fired_through: start,
        },
    );
    let jumps = Jumps {
        forward: 10 * 86_400,
        back: SMALL_STEP_SECS,
    };
    let record = drive(&mut engine, start, end, 7, jumps);
    let expected: Vec<Epoch> = schedule
        .between(start, engine.fired_through())
        .map(|m| m.epoch)
        .collect();
    // Every expected milestone is reached once, or lies in exactly one summary.
    let mut covered: Vec<Epoch> = record.reached.iter().map(|&(e, _)| e).collect();
    for &(count, first, last) in &record.missed {
        let inside: Vec<Epoch> = schedule.between(first - 1, last).map(|m| m.epoch).collect();
        assert_eq!(
            inside.len() as u64,
            count,
            "the summary counts what it spans"
        );
        covered.extend(inside);
    }
    covered.sort_unstable();
    assert!(!record.missed.is_empty(), "long jumps produced summaries");
    assert_eq!(covered, expected);
}

#[test]
fn backward_step_never_fires_again() {
    let schedule = schedule(&["1234567890"]);
    let mut engine = Engine::new(
        schedule,
        EngineOptions {
            remind: vec![5],
            catch_up: None,
            fired_through: 1_234_567_880,
        },
    );
    let at = |secs| WallTime { secs, nanos: 0 };
    assert_eq!(engine.observe(at(1_234_567_884)).len(), 1);
    let events = engine.observe(at(1_234_567_885));
    assert!(matches!(events[1], Event::Reminder { lead: 5, .. }));
    let events = engine.observe(at(1_234_567_890));
    assert!(matches!(events[1], Event::Reached { late_ms: 0, .. }));
    // The clock steps back over the milestone and its reminder, and forward again.
    assert_eq!(
        engine.observe(at(1_234_567_880)),
        vec![Event::Tick {
            second: 1_234_567_880
        }]
    );
    for s in 1_234_567_881..=1_234_567_895 {
        let events = engine.observe(at(s));
        assert_eq!(events, vec![Event::Tick { second: s }], "refired at {s}");
    }
}

#[test]
fn forward_jump_reports_each_crossed_milestone_late_in_order() {
    let schedule = schedule(&["100", "200", "300=three hundred"]);
    let mut engine = Engine::new(
        schedule,
        EngineOptions {
            remind: vec![50, 10],
            catch_up: None,
            fired_through: 0,
        },
    );
    let events = engine.observe(WallTime {
        secs: 295,
        nanos: 500_000_000,
    });
    let summary: Vec<String> = events
        .iter()
        .map(|e| match e {
            Event::Tick { second } => format!("tick {second}"),
            Event::Reached { milestone, late_ms } => {
                format!("reached {} late {late_ms}", milestone.epoch)
            }
            Event::Reminder {
                milestone, lead, ..
            } => {
                format!("remind {} lead {lead}", milestone.epoch)
            }
            Event::Missed { count, .. } => format!("missed {count}"),
            Event::Countdown { left, .. } => format!("countdown {left}"),
        })
        .collect();
    assert_eq!(
        summary,
        [
            "tick 295",
            "reached 100 late 195500",
            "reached 200 late 95500",
            // Of the two crossed reminders of 300, only the nearest fires.
            "remind 300 lead 10",
        ]
    );
    assert_eq!(engine.next_alert_due(), Some(300));
}

#[test]
fn next_alert_due_includes_reminders() {
    let schedule = schedule(&["1000"]);
    let engine = Engine::new(
        schedule,
        EngineOptions {
            remind: vec![60, 10],
            catch_up: Some(3_600),
            fired_through: 500,
        },
    );
    assert_eq!(engine.next_alert_due(), Some(940));
}
