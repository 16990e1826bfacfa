//! `next`'s table: a header and one aligned row per milestone, streamed.
//!
//! ```text
//!      EPOCH  LABEL        Europe/Berlin                   UTC                                IN
//! 1800000000  1.8 billion  Fri 2027-01-15 09:00:00 +01:00  2027-01-15T08:00:00Z         00:00:10
//! 1900000000  1.9 billion  Sun 2030-03-17 18:46:40 +01:00  2030-03-17T17:46:40Z  1157 d 09:46:50
//! ```
//!
//! Each row: the epoch value, its label, the date-time in the display zone,
//! in UTC, and the countdown from the `--after` instant (else now).
//!
//! The columns are laid out before the rows are written, and the first
//! rows go out at once for any count, in constant memory: the first
//! [`HELD_ROWS`] rows are measured and held; when the schedule has more,
//! the columns are widened to the widest text the rest could have, bounded
//! from the schedule without walking it (its range, its rules' labels), and
//! the rest is written as it comes. A table longer than that may so be a
//! little wider than its rows need; a shorter one is exactly as wide.

use std::io::{self, Write};

use super::columns::Columns;
use crate::milestone::{Milestone, Schedule};
use crate::time::{self, Zone};

/// Rows measured exactly before the first is written: enough for every
/// table a person reads, few enough to be at once.
pub const HELD_ROWS: usize = 1024;

/// The epoch and the countdown are right-aligned, the rest left-aligned.
const RIGHT_ALIGNED: [bool; 5] = [true, false, false, false, true];

/// The text of an instant outside the calendar in the UTC column.
const NO_DATE: &str = "-";

/// The table of the first `count` milestones of `schedule` in
/// `(after, until]`, date-times in `zone`, countdowns from `after`.
pub fn write(
    out: &mut impl Write,
    schedule: &Schedule,
    (after, until): (i64, i64),
    count: usize,
    zone: Zone,
) -> io::Result<()> {
    let rows = schedule.between(after, until).take(count);
    let left = count.saturating_sub(HELD_ROWS);
    let rest = |last: i64| {
        let lo = last.saturating_add(1);
        let hi = until.min(schedule.nth_after_bound(last, left)).max(lo);
        let countdown = |e: i64| time::format_countdown(e.saturating_sub(after)).len();
        [
            lo.to_string().len().max(hi.to_string().len()),
            schedule.label_width_bound(lo, hi),
            time::datetime_width_bound(lo, hi, zone),
            time::rfc3339_utc_width_bound(lo, hi, NO_DATE),
            countdown(lo).max(countdown(hi)),
        ]
    };
    write_rows(out, rows, rest, after, zone)
}

/// The table of `rows`: the first [`HELD_ROWS`] measured, and the columns
/// widened to `rest(last epoch held)` when there are more.
fn write_rows(
    out: &mut impl Write,
    rows: impl Iterator<Item = Milestone>,
    rest: impl FnOnce(i64) -> [usize; 5],
    after: i64,
    zone: Zone,
) -> io::Result<()> {
    let zone_header = match zone {
        Zone::Local => format!("LOCAL ({})", zone.name()),
        _ => zone.name(),
    };
    let headers = ["EPOCH", "LABEL", zone_header.as_str(), "UTC", "IN"];
    let mut columns = Columns::new(&headers, RIGHT_ALIGNED);
    let mut rows = rows.peekable();
    let mut held: Vec<Cells> = Vec::with_capacity(rows.size_hint().0.min(HELD_ROWS));
    let mut last = None;
    for m in rows.by_ref().take(HELD_ROWS) {
        let cells = cells(&m, after, zone);
        columns.fit(&texts(&cells));
        held.push(cells);
        last = Some(m.epoch);
    }
    let Some(last) = last else {
        let when = time::format_rfc3339_utc(after).unwrap_or_else(|| format!("@{after}"));
        return writeln!(out, "No milestones after {after} ({when}).");
    };
    if rows.peek().is_some() {
        columns.widen(rest(last));
    }
    let mut line = |cells: &[&str; 5]| {
        out.write_all(columns.row("", cells).as_bytes())?;
        out.write_all(b"\n")
    };
    line(&headers)?;
    for cells in &held {
        line(&texts(cells))?;
    }
    drop(held);
    for m in rows {
        line(&texts(&cells(&m, after, zone)))?;
    }
    Ok(())
}

/// One row's text: epoch, label, date-time in `zone`, UTC, countdown.
type Cells = [String; 5];

fn cells(m: &Milestone, after: i64, zone: Zone) -> Cells {
    [
        m.epoch.to_string(),
        m.label.clone(),
        time::format_datetime(m.epoch, zone),
        time::format_rfc3339_utc(m.epoch).unwrap_or_else(|| NO_DATE.to_string()),
        time::format_countdown(m.epoch.saturating_sub(after)),
    ]
}

fn texts(cells: &Cells) -> [&str; 5] {
    cells.each_ref().map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that takes `lines` lines, then fails as a closed pipe does.
    struct Head {
        lines: usize,
        text: String,
    }

    impl Write for Head {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.text.matches('\n').count() >= self.lines {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            self.text.push_str(&String::from_utf8_lossy(buf));
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// The table asks for its rows as it writes them: given endless rows
    /// that may be read only a little past the held ones, it writes its
    /// first lines and stops at the closed pipe.
    #[test]
    fn the_first_rows_go_out_before_the_rest_is_read() {
        let limit = HELD_ROWS + 10;
        let rows = (1..).map(|i: i64| {
            assert!(
                i <= limit as i64,
                "row {i} read before the first were written"
            );
            Milestone {
                epoch: 1_000_000 + i,
                label: format!("row {i}"),
                rule: "every:1".into(),
                notify: true,
            }
        });
        let mut out = Head {
            lines: 3,
            text: String::new(),
        };
        let written = write_rows(&mut out, rows, |_| [0; 5], 1_000_000, Zone::Utc);
        assert_eq!(written.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
        let lines: Vec<&str> = out.text.lines().collect();
        assert_eq!(lines.len(), 3, "{}", out.text);
        assert!(lines[1].starts_with("1000001  row 1 "), "{}", out.text);
    }

    /// Past the held rows, the columns are as wide as the rest may need.
    #[test]
    fn the_columns_hold_the_rest_of_a_long_table() {
        let schedule = Schedule::from_entries(
            &[crate::milestone::RuleEntry::notified("every:1")],
            Zone::Utc,
        )
        .unwrap();
        // 8001 to 11000: five digits from row 2000 on, after the held rows.
        let mut out = Vec::new();
        write(&mut out, &schedule, (8_000, i64::MAX), 3_000, Zone::Utc).unwrap();
        let text = String::from_utf8(out).unwrap();
        let widths: Vec<usize> = text.lines().map(|l| l.chars().count()).collect();
        assert_eq!(widths.len(), 3_001);
        assert!(widths.iter().all(|&w| w == widths[0]), "{:?}", &text[..400]);
        assert!(
            text.ends_with(
                "11000  11,000  Thu 1970-01-01 03:03:20 +00:00  1970-01-01T03:03:20Z  00:50:00\n"
            ),
            "{}",
            &text[text.len() - 200..]
        );
    }
}
