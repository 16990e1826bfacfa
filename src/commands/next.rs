//! `epochwatch next`: the upcoming milestones as a table or JSON.
//!
//! The table has one row per milestone: the epoch value, its label, the
//! date-time in the display zone (`--utc`/`--tz`, else `display.zone`, else
//! local), the date-time in UTC, and the countdown from the `--after` instant
//! (else now). Columns are aligned by hand: five fixed columns do not justify
//! a table crate.
//!
//! `--json` prints one JSON array, one object per line:
//! `{"epoch":…,"label":…,"rule":…,"notify":…,"utc":…,"local":…,"in_seconds":…}`
//! (`utc` and `local` are RFC 3339, `null` outside the calendar range).
//!
//! `-n 0` prints nothing (`[]` with `--json`). When no milestone is left, the
//! table form says so in one line and the JSON form is `[]`; both exit 0.
//! A closed stdout (`| head -1`) ends the command quietly with status 0.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::Serialize;

use crate::cli::NextArgs;
use crate::error::{Exit, Result};
use crate::milestone::Milestone;
use crate::settings::{self, Environment};
use crate::time::{self, Zone};

pub fn run(config_flag: Option<&Path>, args: &NextArgs) -> Result<Exit> {
    let now = crate::clock::read_once().secs;
    let next = settings::next(config_flag, args, &Environment::from_process(), now)?;
    let (schedule, after, zone) = (&next.schedule, next.after, next.zone);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let written = if next.json {
        // Streamed: any count costs constant memory.
        write_json(
            &mut out,
            schedule.iter_after(after).take(next.count),
            after,
            zone,
        )
    } else if next.count == 0 {
        Ok(())
    } else {
        // Materialized: the column widths depend on every row.
        let milestones = schedule.upcoming(after, next.count);
        write_table(&mut out, &milestones, after, zone)
    };
    Exit::from_output(written.and_then(|()| out.flush()))
}

#[derive(Serialize)]
struct JsonItem<'a> {
    epoch: i64,
    label: &'a str,
    rule: &'a str,
    notify: bool,
    utc: Option<String>,
    local: Option<String>,
    in_seconds: i128,
}

fn write_json(
    out: &mut impl Write,
    milestones: impl Iterator<Item = Milestone>,
    after: i64,
    zone: Zone,
) -> io::Result<()> {
    let mut first = true;
    for m in milestones {
        let item = JsonItem {
            epoch: m.epoch,
            label: &m.label,
            rule: &m.rule,
            notify: m.notify,
            utc: time::format_rfc3339_utc(m.epoch),
            local: time::format_rfc3339(m.epoch, zone),
            in_seconds: i128::from(m.epoch) - i128::from(after),
        };
        out.write_all(if first { b"[\n  " } else { b",\n  " })?;
        first = false;
        // `From` keeps the kind of an underlying I/O error (BrokenPipe).
        serde_json::to_writer(&mut *out, &item).map_err(io::Error::from)?;
    }
    out.write_all(if first { b"[]\n" } else { b"\n]\n" })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

fn write_table(
    out: &mut impl Write,
    milestones: &[Milestone],
    after: i64,
    zone: Zone,
) -> io::Result<()> {
    if milestones.is_empty() {
        let when = time::format_rfc3339_utc(after).unwrap_or_else(|| format!("@{after}"));
        return writeln!(out, "No milestones after {after} ({when}).");
    }
    let zone_header = match zone {
        Zone::Local => format!("LOCAL ({})", zone.name()),
        _ => zone.name(),
    };
    let headers = ["EPOCH", "LABEL", zone_header.as_str(), "UTC", "IN"];
    let aligns = [
        Align::Right,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Right,
    ];
    let rows: Vec<[String; 5]> = milestones
        .iter()
        .map(|m| {
            let secs = m.epoch.saturating_sub(after);
            [
                m.epoch.to_string(),
                m.label.clone(),
                time::format_datetime(m.epoch, zone),
                time::format_rfc3339_utc(m.epoch).unwrap_or_else(|| "-".to_string()),
                time::format_countdown(secs),
            ]
        })
        .collect();
    let mut widths = headers.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut line = String::with_capacity(128);
    let mut emit = |out: &mut dyn Write, cells: &[&str; 5]| -> io::Result<()> {
        line.clear();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = widths[i].saturating_sub(cell.chars().count());
            if aligns[i] == Align::Right {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        let trimmed = line.trim_end();
        out.write_all(trimmed.as_bytes())?;
        out.write_all(b"\n")
    };
    emit(out, &headers)?;
    for row in &rows {
        let cells = [
            row[0].as_str(),
            row[1].as_str(),
            row[2].as_str(),
            row[3].as_str(),
            row[4].as_str(),
        ];
        emit(out, &cells)?;
    }
    Ok(())
}
