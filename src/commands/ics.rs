//! `next --ics`: the milestones as an iCalendar file (RFC 5545), streamed
//! one event at a time, so any count runs in constant memory.
//!
//! Each milestone is one `VEVENT`:
//! - `UID:unix-time-1800000000@epochwatch`: from the epoch alone, so that an
//!   export made later, or with more rules, names the same milestone the
//!   same way and a calendar that imports it again updates the event instead
//!   of adding a second one (a milestone is its instant: the merged schedule
//!   has one per epoch whatever rules produced it);
//! - `DTSTART` the milestone's second in UTC (`20270115T080000Z`) and
//!   `DURATION:PT1S`: the event is the one second the count shows the
//!   number (a duration rather than `DTEND`, which could not be written for
//!   the last second of year 9999); `TRANSP:TRANSPARENT`, it blocks no time;
//! - `DTSTAMP` the time of the export;
//! - `SUMMARY` "Unix time 1,800,000,000 (1.8 billion)", `DESCRIPTION` the
//!   label, the UTC date-time, the `date -d @N` command that shows it, and
//!   the producing rules;
//! - for milestones that notify: one `VALARM` (`ACTION:DISPLAY`) at the
//!   milestone (`TRIGGER:PT0S`, as the daemon alerts at it) and one per
//!   reminder lead (`TRIGGER:-PT1H`, …): `alerts.remind`, or `--remind`.
//!
//! The `icalendar` crate writes each event: it escapes TEXT values
//! (backslash, `;`, `,`, newline), folds content lines at 75 octets on UTF-8
//! character boundaries and ends every line with CRLF. The few fixed lines
//! of the calendar around the events are written here, because the crate
//! writes a calendar only whole (every event in memory first).
//!
//! iCalendar writes years with four digits, so instants after
//! 9999-12-31T23:59:59Z (and before year 0) cannot be exported: the
//! export ends there and says so on stderr.

use std::io::{self, Write};

use chrono::{DateTime, TimeDelta, Utc};
use icalendar::{Alarm, Component, Event, EventLike};

use crate::milestone::{Milestone, group_thousands};
use crate::time::{self, Zone};

/// The last instant iCalendar can write: 9999-12-31T23:59:59Z.
pub const LAST_ICS_EPOCH: i64 = 253_402_300_799;
/// The first: 0000-01-01T00:00:00Z.
pub const FIRST_ICS_EPOCH: i64 = -62_167_219_200;

/// The calendar's own lines, before the first event.
fn header() -> String {
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        concat!(
            "PRODID:-//epochwatch//epochwatch ",
            env!("CARGO_PKG_VERSION"),
            "//EN"
        ),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Unix time milestones",
        "",
    ]
    .join("\r\n")
}

/// What the export is made of besides the milestones.
pub struct IcsOptions {
    /// Reminder lead times in seconds (an alarm each, besides the one at the milestone).
    pub remind: Vec<i64>,
    /// When the export is made (`DTSTAMP`).
    pub stamp: i64,
}

/// Write the whole calendar of `milestones`; returns whether milestones
/// after year 9999 were left out.
pub fn write_ics(
    out: &mut impl Write,
    milestones: impl Iterator<Item = Milestone>,
    options: &IcsOptions,
) -> io::Result<bool> {
    out.write_all(header().as_bytes())?;
    let stamp = utc(options.stamp).unwrap_or_default();
    let mut cut = false;
    let mut text = String::with_capacity(2048);
    for m in milestones {
        if m.epoch > LAST_ICS_EPOCH {
            cut = true;
            break;
        }
        text.clear();
        event(&m, stamp, &options.remind)
            .fmt_write(&mut text)
            .map_err(io::Error::other)?;
        out.write_all(text.as_bytes())?;
    }
    out.write_all(b"END:VCALENDAR\r\n")?;
    Ok(cut)
}

fn utc(epoch: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(epoch, 0)
}

/// "Unix time 1,800,000,000 (1.8 billion)"; without the parenthesis when
/// the label is the number itself.
pub fn summary(m: &Milestone) -> String {
    let grouped = group_thousands(m.epoch);
    if m.label == grouped || m.label == m.epoch.to_string() {
        format!("Unix time {grouped}")
    } else {
        format!("Unix time {grouped} ({})", m.label)
    }
}

/// The event of one milestone (its epoch is within the iCalendar range).
fn event(m: &Milestone, stamp: DateTime<Utc>, remind: &[i64]) -> Event {
    let start = utc(m.epoch).unwrap_or_default();
    let summary = summary(m);
    let when = time::format_strftime(m.epoch, 0, Zone::Utc, "%a %F %T UTC").unwrap_or_default();
    let description = format!(
        "{}\nUnix time {} is {when}.\nSee it with: date -d @{}\nRule: {}",
        m.label, m.epoch, m.epoch, m.rule
    );
    let mut event = Event::new();
    event
        .uid(&format!("unix-time-{}@epochwatch", m.epoch))
        .timestamp(stamp)
        .starts(start)
        .add_property("DURATION", "PT1S")
        .summary(&summary)
        .description(&description)
        .add_property("TRANSP", "TRANSPARENT");
    if m.notify {
        for &lead in std::iter::once(&0).chain(remind) {
            let text = if lead == 0 {
                format!("{summary}: now")
            } else {
                format!("{summary} in {}", time::duration_words(lead))
            };
            let mut alarm = Alarm::display(&text, -TimeDelta::seconds(lead));
            // The crate writes a duration in seconds (-PT3600S); the same in
            // the largest units reads better (-PT1H). It also gives every
            // component a DTSTAMP and a UID, random unless set: set, so that
            // two exports differ only in DTSTAMP (RFC 9074 names alarms by UID).
            alarm
                .add_property("TRIGGER", trigger(lead))
                .uid(&format!("unix-time-{}-alarm-{lead}@epochwatch", m.epoch))
                .timestamp(stamp);
            event.alarm(alarm);
        }
    }
    event.done()
}

/// An RFC 5545 duration `lead` seconds before the start: `PT0S`, `-PT10S`,
/// `-PT1H30M`, `-P1D`, `-P1DT2H`, `-P1W`.
pub fn trigger(lead: i64) -> String {
    if lead == 0 {
        return "PT0S".to_string();
    }
    let secs = lead.unsigned_abs();
    let sign = if lead > 0 { "-" } else { "" };
    if secs.is_multiple_of(604_800) {
        return format!("{sign}P{}W", secs / 604_800);
    }
    let mut out = format!("{sign}P");
    if secs >= 86_400 {
        out.push_str(&format!("{}D", secs / 86_400));
    }
    let (h, m, s) = (secs / 3_600 % 24, secs / 60 % 60, secs % 60);
    if h + m + s > 0 {
        out.push('T');
        for (n, unit) in [(h, 'H'), (m, 'M'), (s, 'S')] {
            if n > 0 {
                out.push_str(&format!("{n}{unit}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn milestone(epoch: i64, label: &str, notify: bool) -> Milestone {
        Milestone {
            epoch,
            label: label.into(),
            rule: "every:100000000".into(),
            notify,
        }
    }

    #[test]
    fn triggers_in_the_largest_units() {
        let cases = [
            (0, "PT0S"),
            (10, "-PT10S"),
            (60, "-PT1M"),
            (3_600, "-PT1H"),
            (5_400, "-PT1H30M"),
            (86_400, "-P1D"),
            (93_600, "-P1DT2H"),
            (90_061, "-P1DT1H1M1S"),
            (604_800, "-P1W"),
            (1_209_600, "-P2W"),
        ];
        for (lead, want) in cases {
            assert_eq!(trigger(lead), want, "{lead}");
        }
    }

    #[test]
    fn one_event_with_its_alarms() {
        let mut out = Vec::new();
        let options = IcsOptions {
            remind: vec![3_600, 10],
            stamp: 1_795_568_278,
        };
        let ms = [milestone(1_800_000_000, "1.8 billion", true)];
        assert!(!write_ics(&mut out, ms.into_iter(), &options).unwrap());
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        for line in [
            "UID:unix-time-1800000000@epochwatch",
            "DTSTAMP:20261125T005758Z",
            "DTSTART:20270115T080000Z",
            "DURATION:PT1S",
            "SUMMARY:Unix time 1\\,800\\,000\\,000 (1.8 billion)",
            "TRIGGER:PT0S",
            "TRIGGER:-PT1H",
            "TRIGGER:-PT10S",
            "UID:unix-time-1800000000-alarm-3600@epochwatch",
        ] {
            assert!(text.contains(&format!("\r\n{line}\r\n")), "{line}:\n{text}");
        }
        assert_eq!(text.matches("BEGIN:VALARM").count(), 3);
        assert_eq!(text.matches("DTSTAMP:20261125T005758Z").count(), 4);
        assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
    }

    #[test]
    fn silent_milestones_get_no_alarm_and_year_10000_ends_it() {
        let mut out = Vec::new();
        let options = IcsOptions {
            remind: vec![60],
            stamp: 0,
        };
        let ms = [
            milestone(LAST_ICS_EPOCH, "last", false),
            milestone(LAST_ICS_EPOCH + 1, "too late", true),
        ];
        assert!(write_ics(&mut out, ms.into_iter(), &options).unwrap());
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 1);
        assert!(text.contains("DTSTART:99991231T235959Z"));
        assert!(!text.contains("VALARM"));
        assert_eq!(
            summary(&milestone(5, "5", true)),
            "Unix time 5",
            "no label in parentheses when it is the number"
        );
    }
}
