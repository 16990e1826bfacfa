//! The segment's pure parts: classes, stepping, templates, each format's bytes.

use super::format::{pango_escape, polybar_escape};
use super::*;
use crate::milestone::Schedule;

const THRESHOLDS: BarSettings = BarSettings {
    soon: 86_400,
    imminent: 60,
};

fn schedule() -> Schedule {
    Schedule::from_entries(
        &[
            crate::milestone::RuleEntry::notified("1000=A & <B>"),
            crate::milestone::RuleEntry::notified("2000"),
            crate::milestone::RuleEntry::notified("3000"),
        ],
        Zone::Utc,
    )
    .unwrap()
}

fn update(format: &str, now: Epoch) -> String {
    let outlook = Outlook::at(&schedule(), now, STEPS);
    let target = Selection::default()
        .shown(&outlook, now)
        .map(|m| Target::new(m, Zone::Utc));
    let segment = Segment::new(now, target.as_ref(), &outlook, THRESHOLDS);
    let mut writer = Writer::new(BarFormat::parse(format).unwrap());
    let mut out = Vec::new();
    writer.update(&segment, &mut out);
    String::from_utf8(out).unwrap()
}

#[test]
fn classes_by_the_time_left() {
    let class = |left| Class::of(left, THRESHOLDS).as_str();
    assert_eq!(class(0), "now");
    assert_eq!(class(1), "imminent");
    assert_eq!(class(60), "imminent");
    assert_eq!(class(61), "soon");
    assert_eq!(class(86_400), "soon");
    assert_eq!(class(86_401), "far");
}

#[test]
fn stepping_goes_through_the_outlook_and_back_to_the_nearest() {
    let outlook = Outlook::at(&schedule(), 999, STEPS);
    let mut selection = Selection::default();
    let shown = |s: &Selection| s.shown(&outlook, 999).map(|m| m.epoch);
    assert_eq!(shown(&selection), Some(1000));
    selection.step(&outlook, 999);
    assert_eq!(shown(&selection), Some(2000));
    selection.step(&outlook, 999);
    assert_eq!(shown(&selection), Some(3000));
    selection.step(&outlook, 999);
    assert_eq!(shown(&selection), Some(1000), "after the last, the nearest");
    selection.step(&outlook, 999);
    selection.reset();
    assert_eq!(shown(&selection), Some(1000));
    // In a milestone's second, that milestone is the nearest.
    let at = Outlook::at(&schedule(), 2000, STEPS);
    assert_eq!(
        Selection::default().shown(&at, 2000).map(|m| m.epoch),
        Some(2000)
    );
}

#[test]
fn templates_and_their_errors() {
    assert_eq!(
        update(
            "{{{epoch}}} {label}: {countdown}, {relative}, {remaining} s",
            995
        ),
        "{995} A & <B>: 00:00:05, in 5 seconds, 5 s\n"
    );
    assert_eq!(
        update("{value} {rule} {local} | {utc} {class} {percentage}", 1500),
        "2000 2000 Thu 1970-01-01 00:33:20 +00:00 | Thu 1970-01-01 00:33:20 +00:00 soon 50\n"
    );
    assert_eq!(update("{value}|{countdown}|{epoch}", 4000), "4000\n");
    let err = |text| Template::parse(text).unwrap_err();
    assert!(err("{nope}").starts_with("unknown field {nope}; the fields are {epoch}, "));
    assert_eq!(err("x } y"), "a lone '}' (write '}}' for a brace)");
    assert_eq!(
        err("{epoch"),
        "a '{' without its '}' (write '{{' for a brace)"
    );
    assert!(
        BarFormat::parse("xml")
            .unwrap_err()
            .starts_with("unknown format \"xml\"")
    );
}

#[test]
fn every_format_at_a_milestone_and_before() {
    assert_eq!(
        update("waybar", 999),
        "{\"text\":\"999 \u{b7} 1000 in 00:00:01\",\"alt\":\"imminent\",\
         \"tooltip\":\"1000 \u{b7} A &amp; &lt;B&gt;\\nlocal  Thu 1970-01-01 00:16:40 +00:00\\n\
         UTC    Thu 1970-01-01 00:16:40 +00:00\\n00:00:01 (in 1 second)\",\
         \"class\":\"imminent\",\"percentage\":0}\n"
    );
    assert_eq!(
        update("i3blocks", 1000),
        "<span foreground=\"#2e3440\" background=\"#bf616a\">1000 \u{b7} 1000 in 00:00:00</span>\n"
    );
    assert_eq!(
        update("polybar", 1000),
        "%{B#bf616a}%{F#2e3440}1000 \u{b7} 1000 in 00:00:00%{F-}%{B-}\n"
    );
    assert_eq!(
        update("tmux", 1001),
        "#[fg=#ebcb8b]1001 \u{b7} 2000 in 00:16:39#[default]\n"
    );
    assert_eq!(
        update("{label} #1", 1000).replace('#', "##"),
        "A & <B> ##1\n"
    );
}

#[test]
fn i3bar_writes_a_header_then_an_endless_array() {
    let outlook = Outlook::at(&schedule(), 1000, STEPS);
    let mut writer = Writer::new(BarFormat::I3bar);
    let mut out = writer.header().as_bytes().to_vec();
    for now in [1000, 1001] {
        let target = Selection::default()
            .shown(&outlook, now)
            .map(|m| Target::new(m, Zone::Utc));
        writer.update(
            &Segment::new(now, target.as_ref(), &outlook, THRESHOLDS),
            &mut out,
        );
    }
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "{\"version\":1,\"click_events\":true,\"stop_signal\":12,\"cont_signal\":18}\n[\n\
         [{\"name\":\"epochwatch\",\"instance\":\"1000\",\"full_text\":\"1000 \u{b7} 1000 in 00:00:00\",\
         \"short_text\":\"00:00:00\",\"color\":\"#bf616a\",\"urgent\":true}]\n\
         ,[{\"name\":\"epochwatch\",\"instance\":\"2000\",\"full_text\":\"1001 \u{b7} 2000 in 00:16:39\",\
         \"short_text\":\"00:16:39\",\"color\":\"#ebcb8b\",\"urgent\":false}]\n"
    );
}

#[test]
fn pango_escapes_what_glib_escapes() {
    assert_eq!(
        pango_escape("a&b<c>d'e\"f"),
        "a&amp;b&lt;c&gt;d&#39;e&quot;f"
    );
    assert!(matches!(
        pango_escape("plain"),
        std::borrow::Cow::Borrowed(_)
    ));
}

#[test]
fn polybar_shows_a_literal_tag_opening_as_text() {
    assert_eq!(
        polybar_escape("%{F#f00}a%{F-} 100%"),
        "%%{O0}{F#f00}a%%{O0}{F-} 100%"
    );
    assert_eq!(polybar_escape("%%{"), "%%%{O0}{");
    assert!(matches!(
        polybar_escape("50% {x} %"),
        std::borrow::Cow::Borrowed(_)
    ));
}
