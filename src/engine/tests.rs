//! The delivery rule, story by story (docs/delivery.md), on a tiny schedule.

use super::*;
use crate::milestone::{RuleEntry, Schedule};
use crate::time::Zone;

fn engine(specs: &[&str], remind: &[i64], catch_up: Option<i64>, start: Epoch) -> Engine {
    let entries: Vec<RuleEntry> = specs.iter().map(|s| RuleEntry::notified(*s)).collect();
    let schedule = Schedule::from_entries(&entries, Zone::Utc).unwrap();
    Engine::new(
        schedule,
        EngineOptions {
            remind: remind.to_vec(),
            catch_up,
            fired_through: start,
        },
    )
}

/// The alerts of one observation, as short words.
fn alerts(engine: &mut Engine, secs: i64, millis: u32) -> Vec<String> {
    let now = WallTime {
        secs,
        nanos: millis * 1_000_000,
    };
    engine
        .observe(now)
        .into_iter()
        .filter_map(|e| match e {
            Event::Tick { .. } => None,
            Event::Reached { milestone, late_ms } => {
                Some(format!("reached {} late {late_ms}", milestone.epoch))
            }
            Event::Reminder {
                milestone, lead, ..
            } => Some(format!("remind {} lead {lead}", milestone.epoch)),
            Event::Missed {
                count, last, cause, ..
            } => Some(format!("missed {count} to {} {cause:?}", last.epoch)),
            Event::Countdown { milestone, left } => {
                Some(format!("countdown {} left {left}", milestone.epoch))
            }
        })
        .collect()
}

/// Tick every second from `from` to `to` (inclusive), gathering the alerts.
fn tick(engine: &mut Engine, from: i64, to: i64) -> Vec<String> {
    (from..=to).flat_map(|s| alerts(engine, s, 1)).collect()
}

#[test]
fn on_time_milestones_alert_once_and_a_small_step_back_repeats_nothing() {
    let mut e = engine(&["1000"], &[5], None, 990);
    assert_eq!(
        tick(&mut e, 991, 1000),
        ["remind 1000 lead 5", "reached 1000 late 1"]
    );
    // NTP-sized step back over the milestone, then on again: nothing repeats.
    assert!(tick(&mut e, 960, 1010).is_empty());
}

#[test]
fn a_large_step_back_revives_what_was_only_crossed() {
    let mut e = engine(&["1000", "2000", "20000"], &[10], None, 900);
    // +3 h: both crossed, reported late.
    assert_eq!(
        alerts(&mut e, 900 + 3 * 3_600, 0),
        ["reached 1000 late 10700000", "reached 2000 late 9700000"]
    );
    // Back to the real time: each alerts again when reached, on time, with
    // its reminder.
    assert!(alerts(&mut e, 901, 0).is_empty());
    assert_eq!(
        tick(&mut e, 902, 1000),
        ["remind 1000 lead 10", "reached 1000 late 1"]
    );
    assert_eq!(
        tick(&mut e, 1001, 2000),
        ["remind 2000 lead 10", "reached 2000 late 1"]
    );
    // And only once: back again and forward, nothing.
    assert!(alerts(&mut e, 500, 0).is_empty());
    assert!(tick(&mut e, 501, 2100).is_empty());
}

#[test]
fn a_revived_milestone_crossed_again_is_not_reported_twice() {
    let mut e = engine(&["1000"], &[], None, 900);
    assert_eq!(alerts(&mut e, 5_000, 0), ["reached 1000 late 4000000"]);
    assert!(alerts(&mut e, 900, 0).is_empty());
    assert!(
        alerts(&mut e, 5_001, 0).is_empty(),
        "crossed again: already reported"
    );
}

#[test]
fn a_dead_clock_stepped_forward_floods_nothing() {
    // Alerts handled through 2000; the machine comes up in 1970 and NTP
    // steps it forward a minute later.
    let mut e = engine(&["every:100"], &[], Some(3_600), 2_000);
    assert!(tick(&mut e, 10, 70).is_empty());
    assert_eq!(alerts(&mut e, 2_050, 0), Vec::<String>::new());
    assert_eq!(tick(&mut e, 2_051, 2_100), ["reached 2100 late 1"]);
}

#[test]
fn the_first_observation_sums_up_as_not_running_and_jumps_as_clock_jumps() {
    let mut e = engine(&["every:10"], &[], Some(25), 0);
    assert_eq!(
        alerts(&mut e, 100, 0),
        [
            "missed 7 to 70 NotRunning",
            "reached 80 late 20000",
            "reached 90 late 10000",
            "reached 100 late 0"
        ]
    );
    assert_eq!(alerts(&mut e, 200, 0)[0], "missed 7 to 170 ClockJump");
}

#[test]
fn the_history_goes_on_after_a_restore() {
    let mut e = engine(&["1000", "2000"], &[], None, 900);
    alerts(&mut e, 5_000, 0);
    let saved = e.history().clone();
    let mut again = engine(&["1000", "2000"], &[], None, 0).with_history(History::restore(
        saved.fired_through,
        saved.mark,
        saved.records().copied(),
    ));
    assert!(alerts(&mut again, 900, 0).is_empty());
    assert_eq!(tick(&mut again, 901, 1000), ["reached 1000 late 1"]);
}

#[test]
fn the_countdown_shows_each_second_before_a_notified_milestone() {
    let mut e = engine(&["1000"], &[3], None, 990).with_countdown(4);
    assert_eq!(e.next_countdown_second(990), Some(996));
    assert!(tick(&mut e, 991, 995).is_empty());
    assert_eq!(
        tick(&mut e, 996, 1000),
        [
            "countdown 1000 left 4",
            "remind 1000 lead 3",
            "countdown 1000 left 3",
            "countdown 1000 left 2",
            "countdown 1000 left 1",
            "reached 1000 late 1",
        ]
    );
    assert_eq!(e.next_countdown_second(1000), None);
    // A step back within the allowance shows no countdown for what is done.
    assert!(tick(&mut e, 997, 1000).is_empty());
}

#[test]
fn the_countdown_starts_where_the_clock_is_and_makes_up_no_second() {
    // Started inside the window, and a jump within it: the seconds shown
    // are those observed.
    let mut e = engine(&["1000"], &[], None, 990).with_countdown(10);
    assert_eq!(e.next_countdown_second(993), Some(994));
    assert_eq!(alerts(&mut e, 993, 0), ["countdown 1000 left 7"]);
    assert_eq!(
        alerts(&mut e, 993, 500),
        Vec::<String>::new(),
        "once a second"
    );
    assert_eq!(alerts(&mut e, 998, 0), ["countdown 1000 left 2"]);
    // Jumped over: reported late, no countdown for it.
    assert_eq!(alerts(&mut e, 1_005, 0), ["reached 1000 late 5000"]);
}

#[test]
fn silent_milestones_and_an_off_countdown_count_nothing_down() {
    let entries = [
        RuleEntry::notified("1000"),
        RuleEntry {
            spec: "995".to_string(),
            notify: false,
        },
    ];
    let schedule = Schedule::from_entries(&entries, Zone::Utc).unwrap();
    let options = EngineOptions {
        remind: Vec::new(),
        catch_up: None,
        fired_through: 990,
    };
    let mut e = Engine::new(schedule.clone(), options.clone()).with_countdown(3);
    // 995 is shown, not notified: the countdown is for 1000 only.
    assert_eq!(
        tick(&mut e, 991, 1000),
        [
            "reached 995 late 1",
            "countdown 1000 left 3",
            "countdown 1000 left 2",
            "countdown 1000 left 1",
            "reached 1000 late 1",
        ]
    );
    let mut off = Engine::new(schedule, options);
    assert_eq!(off.next_countdown_second(990), None);
    assert_eq!(
        tick(&mut off, 991, 1000),
        ["reached 995 late 1", "reached 1000 late 1"]
    );
}
