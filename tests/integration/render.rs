//! The full-screen display drawn into an in-memory buffer at many sizes:
//! no size panics, the exact value is always readable, and the layouts are
//! pinned with snapshots.

use crate::harness::internals::{City, Schedule, View, Zone, buffer_text, drawn, set_now};

fn view_at(now: i64) -> View {
    let mut view = View::new(Zone::Utc, false, false);
    set_now(&mut view, now, &Schedule::defaults());
    view
}

/// The buffer as text, one line per row, trailing spaces trimmed.
fn draw(view: &View, width: u16, height: u16) -> String {
    buffer_text(&drawn(view, width, height), true)
}

#[test]
fn every_size_draws_without_panic_and_shows_the_value() {
    let view = view_at(1_795_568_278);
    for width in [1u16, 2, 5, 10, 11, 20, 39, 40, 60, 80, 120, 200] {
        for height in [1u16, 2, 3, 5, 8, 12, 24, 40] {
            let text = draw(&view, width, height);
            if width >= 10 {
                assert!(
                    text.contains("1795568278"),
                    "{width}x{height} lost the value:\n{text}"
                );
            }
        }
    }
}

#[test]
fn one_by_one_shows_the_first_digit() {
    assert_eq!(draw(&view_at(1_795_568_278), 1, 1), "1\n");
}

#[test]
fn twenty_by_five_keeps_value_next_and_countdown() {
    let text = draw(&view_at(1_799_999_990), 20, 5);
    insta::assert_snapshot!("twenty_by_five", text);
}

#[test]
fn single_line_holds_value_and_countdown() {
    let text = draw(&view_at(1_799_999_990), 60, 1);
    assert_eq!(text, "1799999990 -> 1800000000 in 00:00:10\n");
}

#[test]
fn full_screen_layout() {
    let text = draw(&view_at(1_799_999_990), 100, 30);
    insta::assert_snapshot!("full_100x30", text);
}

/// In a zone that is UTC the date-time is shown once (it was shown twice,
/// on the zone's line and on the UTC line); in another zone both lines
/// stay.
#[test]
fn a_zone_that_is_utc_shows_the_date_time_once() {
    let schedule = Schedule::defaults();
    for (zone, lines) in [
        ("UTC", 1),
        ("UTC0", 1),
        ("Etc/UTC", 1),
        // London keeps UTC's time in winter: the same line twice, so once.
        ("Europe/London", 1),
        ("Europe/Berlin", 2),
        ("Asia/Tokyo", 2),
    ] {
        let mut view = View::new(Zone::parse(zone).unwrap(), false, false);
        set_now(&mut view, 1_799_999_990, &schedule);
        let text = draw(&view, 100, 30);
        // The date-time lines: the clock's (the milestone's is at :00:00).
        let shown: Vec<&str> = text.lines().filter(|l| l.contains(":59:50 ")).collect();
        assert_eq!(shown.len(), lines, "{zone}:\n{text}");
        assert!(
            shown
                .iter()
                .any(|l| l.contains("2027-01-15 07:59:50 +00:00")),
            "{zone}: no UTC date-time:\n{text}"
        );
    }
}

#[test]
fn celebration_and_next_milestone() {
    let schedule = Schedule::defaults();
    let mut view = view_at(1_800_000_000);
    view.celebrate(schedule.last_at_or_before(1_800_000_000).unwrap());
    let text = draw(&view, 80, 24);
    assert!(
        text.contains("*** 1,800,000,000 reached! 1.8 billion ***"),
        "{text}"
    );
    assert!(text.contains("Next: 1900000000"), "{text}");
    // The celebration ends a few seconds later.
    set_now(&mut view, 1_800_000_005, &schedule);
    assert!(!draw(&view, 80, 24).contains("reached!"));
}

#[test]
fn help_overlay_lists_the_keys() {
    let mut view = view_at(1_795_568_278);
    view.show_help = true;
    let text = draw(&view, 80, 24);
    for key in ["q, Esc", "n / p", "Ctrl-Z"] {
        assert!(text.contains(key), "{key} missing:\n{text}");
    }
}

fn world_view_at(now: i64) -> View {
    let mut view = view_at(now).with_cities(City::defaults());
    view.show_world = true;
    view
}

#[test]
fn world_view_fits_every_size() {
    let view = world_view_at(1_799_999_990);
    for width in [1u16, 2, 5, 10, 20, 29, 30, 37, 38, 60, 69, 70, 100, 200] {
        for height in [1u16, 2, 3, 5, 8, 12, 24, 40] {
            let text = draw(&view, width, height);
            if width >= 10 && height >= 2 {
                assert!(text.contains("1800000000"), "{width}x{height}:\n{text}");
            }
            if width >= 20 && height >= 5 {
                assert!(text.contains("Honolulu"), "{width}x{height}:\n{text}");
            }
            if height >= 23 && width >= 70 {
                assert!(!text.contains("more cities"), "{width}x{height}:\n{text}");
                assert!(text.contains("Kiritimati"), "{width}x{height}:\n{text}");
            }
        }
    }
}

#[test]
fn world_view_layout() {
    let text = draw(&world_view_at(1_799_999_990), 100, 30);
    insta::assert_snapshot!("world_100x30", text);
    let small = draw(&world_view_at(1_799_999_990), 36, 8);
    insta::assert_snapshot!("world_36x8", small);
}
