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
//! Written here, not by a crate: TEXT values are escaped (backslash, `;`,
//! `,`, newline), content lines folded at 75 octets on UTF-8 character
//! boundaries and ended with CRLF, in some forty lines. The `icalendar`
//! crate does all of this right, but builds maps and strings for every
//! property (some forty allocations an event with its alarms): 10,000
//! events took 180 ms against the target of 100 ms (see the dependency
//! notes in docs/architecture.md). The output is checked byte by byte, and
//! read back by Python's `icalendar`, calcurse and khal
//! (`tests/integration/cli_ics.rs`).
//!
//! iCalendar writes years with four digits, so instants after
//! 9999-12-31T23:59:59Z (and before year 0) cannot be exported: the
//! export ends there and says so on stderr.

use std::io::{self, Write};

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
    let stamp = basic_utc(options.stamp);
    let mut cut = false;
    let mut text = String::with_capacity(4096);
    for m in milestones {
        if m.epoch > LAST_ICS_EPOCH {
            cut = true;
            break;
        }
        text.clear();
        event(&mut text, &m, &stamp, &options.remind);
        out.write_all(text.as_bytes())?;
    }
    out.write_all(b"END:VCALENDAR\r\n")?;
    Ok(cut)
}

/// `20270115T080000Z`: an RFC 5545 DATE-TIME in UTC.
fn basic_utc(epoch: i64) -> String {
    time::format_strftime(epoch, 0, Zone::Utc, "%Y%m%dT%H%M%SZ").unwrap_or_default()
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

/// The `VEVENT` of one milestone (its epoch is within the iCalendar range).
fn event(out: &mut String, m: &Milestone, stamp: &str, remind: &[i64]) {
    let summary = summary(m);
    let when = time::format_strftime(m.epoch, 0, Zone::Utc, "%a %F %T UTC").unwrap_or_default();
    let description = format!(
        "{}\nUnix time {} is {when}.\nSee it with: date -d @{}\nRule: {}",
        m.label, m.epoch, m.epoch, m.rule
    );
    content_line(out, "BEGIN", "VEVENT");
    content_line(out, "UID", &format!("unix-time-{}@epochwatch", m.epoch));
    content_line(out, "DTSTAMP", stamp);
    content_line(out, "DTSTART", &basic_utc(m.epoch));
    content_line(out, "DURATION", "PT1S");
    text_line(out, "SUMMARY", &summary);
    text_line(out, "DESCRIPTION", &description);
    content_line(out, "TRANSP", "TRANSPARENT");
    if m.notify {
        for &lead in std::iter::once(&0).chain(remind) {
            let text = if lead == 0 {
                format!("{summary}: now")
            } else {
                format!("{summary} in {}", time::duration_words(lead))
            };
            content_line(out, "BEGIN", "VALARM");
            // RFC 9074 names alarms by UID, so that a client can update them too.
            let uid = format!("unix-time-{}-alarm-{lead}@epochwatch", m.epoch);
            content_line(out, "UID", &uid);
            content_line(out, "ACTION", "DISPLAY");
            content_line(out, "TRIGGER", &trigger(lead));
            text_line(out, "DESCRIPTION", &text);
            content_line(out, "END", "VALARM");
        }
    }
    content_line(out, "END", "VEVENT");
}

/// Longest content line, in octets without the CRLF (RFC 5545, 3.1).
const FOLD_AT: usize = 75;

/// `NAME:value` with `value` escaped as TEXT (RFC 5545, 3.3.11): backslash,
/// semicolon, comma and newline get a backslash (a newline becomes `\n`).
fn text_line(out: &mut String, name: &str, value: &str) {
    let mut escaped = String::with_capacity(value.len() + 16);
    for c in value.chars() {
        match c {
            '\\' | ';' | ',' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '\n' => escaped.push_str("\\n"),
            // Labels are one line of printable text; a stray CR is dropped.
            '\r' => {}
            c => escaped.push(c),
        }
    }
    content_line(out, name, &escaped);
}

/// `NAME:value` and CRLF, folded (RFC 5545, 3.1): a line longer than 75
/// octets continues on the next after CRLF and one space, each physical
/// line at most 75 octets with that space, and never inside a UTF-8
/// character.
fn content_line(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push(':');
    let mut octets = name.len() + 1;
    for c in value.chars() {
        if octets + c.len_utf8() > FOLD_AT {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(c);
        octets += c.len_utf8();
    }
    out.push_str("\r\n");
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
        assert_eq!(text.matches("DTSTAMP:20261125T005758Z").count(), 1);
        assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
    }

    #[test]
    fn folds_on_characters_and_escapes() {
        let mut out = String::new();
        text_line(&mut out, "SUMMARY", &format!("{}é;\n,\\", "x".repeat(70)));
        assert_eq!(
            out,
            format!("SUMMARY:{}\r\n {}é\\;\\n\\,\\\\\r\n", "x".repeat(67), "xxx")
        );
        let mut out = String::new();
        content_line(&mut out, "X", &"€".repeat(60));
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= FOLD_AT, "{} octets", line.len());
        }
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("X:{}\r\n", "€".repeat(60))
        );
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
