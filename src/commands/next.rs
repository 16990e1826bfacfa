//! `epochwatch next`: the upcoming milestones as a table, JSON, an
//! iCalendar file (`--ics`, in `super::ics`), world tables (`--world`) or
//! lines to paste (`--share`, both in `super::world`).
//!
//! Which milestones: those after `--after` (else now) and up to `--until`
//! (included), at most `-n` of them (10 unless `--until` is given).
//!
//! The table has one row per milestone: the epoch value, its label, the
//! date-time in the display zone (`--utc`/`--tz`, else `display.zone`, else
//! local), the date-time in UTC, and the countdown from the `--after` instant
//! (else now). Columns are aligned by hand: five fixed columns do not justify
//! a table crate (and one that holds its rows could not stream). With `--world`, each milestone is a line (value, label,
//! UTC date-time, countdown) over its world table instead.
//!
//! `--json` prints one JSON array, one object per line:
//! `{"epoch":…,"label":…,"rule":…,"notify":…,"utc":…,"local":…,"in_seconds":…}`
//! (`utc` and `local` are RFC 3339, `null` outside the calendar range), and
//! with `--world` a `world` array of the cities.
//!
//! Everything is streamed: any count runs in constant memory. A table of
//! more than a thousand rows is measured in a first pass over the schedule
//! (which is pure) and printed in a second, so its columns align as one.
//! `-o FILE` writes any of them to FILE atomically (a temporary file beside
//! it, fsync, rename), so a calendar or script that reads FILE never sees
//! half of it.
//!
//! `-n 0` prints nothing (`[]` with `--json`, an empty calendar with
//! `--ics`). When no milestone is left, the table form says so in one line
//! and the JSON form is `[]`; both exit 0. A closed stdout (`| head -1`)
//! ends the command quietly with status 0.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::Serialize;

use super::ics::{self, IcsOptions};
use super::world;
use crate::atomic::AtomicFile;
use crate::cli::NextArgs;
use crate::error::{Context, Exit, Result};
use crate::milestone::Milestone;
use crate::settings::{self, Environment, Next, NextFormat, World};
use crate::time::{self, Zone};

pub fn run(config_flag: Option<&Path>, args: &NextArgs) -> Result<Exit> {
    let now = crate::clock::read_once().secs;
    let next = settings::next(config_flag, args, &Environment::from_process(), now)?;
    let cut = match &next.output {
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
            let written = write(&mut out, &next, now).and_then(|cut| {
                out.flush()?;
                Ok(cut)
            });
            match written {
                Ok(cut) => cut,
                Err(err) => return Exit::from_output(Err(err)),
            }
        }
        Some(path) => {
            let failed = || format!("cannot write {}", path.display());
            let mut file = AtomicFile::create(path, 0o666).with_context(failed)?;
            let cut = write(&mut file, &next, now).with_context(failed)?;
            file.commit().with_context(failed)?;
            cut
        }
    };
    if cut {
        eprintln!(
            "epochwatch: note: iCalendar cannot write instants after \
             9999-12-31T23:59:59Z; the export ends there"
        );
    }
    Ok(Exit::Success)
}

/// Write `next`'s milestones in its format; true when the iCalendar export
/// ended at year 9999 with milestones left.
fn write(out: &mut impl Write, next: &Next, now: i64) -> io::Result<bool> {
    let after = match next.format {
        NextFormat::Ics => next.after.max(ics::FIRST_ICS_EPOCH - 1),
        _ => next.after,
    };
    // Pure: a second call walks the same milestones again.
    let schedule = || next.schedule.between(after, next.until).take(next.count);
    let milestones = schedule();
    let zone = next.zone;
    match (next.format, &next.world) {
        (NextFormat::Ics, _) => {
            let options = IcsOptions {
                remind: next.remind.clone(),
                stamp: now,
            };
            return ics::write_ics(out, milestones, &options);
        }
        (NextFormat::Json, world) => write_json(out, milestones, next.after, zone, world.as_ref())?,
        (NextFormat::Share, Some(world)) => {
            for m in milestones {
                writeln!(out, "{}", world::share_line(m.epoch, zone, &world.share))?;
            }
        }
        (_, Some(world)) => write_world(out, milestones, next.after, &world.cities)?,
        (_, None) if next.count == 0 => {}
        (_, None) => write_table(out, schedule, next.after, zone)?,
    }
    Ok(false)
}

/// Each milestone's line and world table, a blank line between them.
fn write_world(
    out: &mut impl Write,
    milestones: impl Iterator<Item = Milestone>,
    after: i64,
    cities: &[crate::time::world::City],
) -> io::Result<()> {
    for (i, m) in milestones.enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        writeln!(
            out,
            "{}  {}  {}  in {}",
            m.epoch,
            m.label,
            time::format_strftime(m.epoch, 0, Zone::Utc, "%a %F %T UTC").unwrap_or_default(),
            time::format_countdown(m.epoch.saturating_sub(after))
        )?;
        out.write_all(world::table(m.epoch, cities).as_bytes())?;
    }
    Ok(())
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
    #[serde(skip_serializing_if = "Option::is_none")]
    world: Option<Vec<world::JsonCity>>,
}

fn write_json(
    out: &mut impl Write,
    milestones: impl Iterator<Item = Milestone>,
    after: i64,
    zone: Zone,
    world: Option<&World>,
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
            world: world.map(|w| world::json(m.epoch, &w.cities)),
        };
        out.write_all(if first { b"[\n  " } else { b",\n  " })?;
        first = false;
        // `From` keeps the kind of an underlying I/O error (BrokenPipe).
        serde_json::to_writer(&mut *out, &item).map_err(io::Error::from)?;
    }
    out.write_all(if first { b"[]\n" } else { b"\n]\n" })
}

/// Rows a table holds: one this short is measured and printed from memory;
/// a longer one is measured in a first pass over the (pure) schedule and
/// printed in a second, so a table of any length runs in constant memory.
const HELD_ROWS: usize = 1024;

/// The table: a header and one aligned row per milestone of `milestones()`
/// (called once, or twice for a table longer than [`HELD_ROWS`]).
fn write_table<I: Iterator<Item = Milestone>>(
    out: &mut impl Write,
    milestones: impl Fn() -> I,
    after: i64,
    zone: Zone,
) -> io::Result<()> {
    let zone_header = match zone {
        Zone::Local => format!("LOCAL ({})", zone.name()),
        _ => zone.name(),
    };
    let headers = ["EPOCH", "LABEL", zone_header.as_str(), "UTC", "IN"];
    let mut widths = headers.map(|h| h.chars().count());
    let mut held: Vec<Cells> = Vec::new();
    let mut all_held = true;
    for m in milestones() {
        let cells = cells(&m, after, zone);
        for (width, cell) in widths.iter_mut().zip(&cells) {
            *width = (*width).max(cell.chars().count());
        }
        if held.len() < HELD_ROWS {
            held.push(cells);
        } else {
            all_held = false;
        }
    }
    if held.is_empty() {
        let when = time::format_rfc3339_utc(after).unwrap_or_else(|| format!("@{after}"));
        return writeln!(out, "No milestones after {after} ({when}).");
    }
    let mut line = String::with_capacity(128);
    write_row(out, &mut line, &widths, &headers)?;
    let mut row = |cells: &Cells| {
        write_row(
            out,
            &mut line,
            &widths,
            &cells.each_ref().map(String::as_str),
        )
    };
    if all_held {
        for cells in &held {
            row(cells)?;
        }
    } else {
        drop(held);
        for m in milestones() {
            row(&cells(&m, after, zone))?;
        }
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
        time::format_rfc3339_utc(m.epoch).unwrap_or_else(|| "-".to_string()),
        time::format_countdown(m.epoch.saturating_sub(after)),
    ]
}

/// The epoch and the countdown are right-aligned, the rest left-aligned.
const RIGHT_ALIGNED: [bool; 5] = [true, false, false, false, true];

/// Write `cells` padded to `widths`, two spaces apart, without trailing
/// blanks (`line` is reused from row to row).
fn write_row(
    out: &mut impl Write,
    line: &mut String,
    widths: &[usize; 5],
    cells: &[&str; 5],
) -> io::Result<()> {
    line.clear();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        let pad = widths[i].saturating_sub(cell.chars().count());
        if RIGHT_ALIGNED[i] {
            line.extend(std::iter::repeat_n(' ', pad));
            line.push_str(cell);
        } else {
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', pad));
        }
    }
    out.write_all(line.trim_end().as_bytes())?;
    out.write_all(b"\n")
}
