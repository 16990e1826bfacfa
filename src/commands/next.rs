//! `epochwatch next`: the upcoming milestones as a table (in
//! `output::milestone_table`), JSON, an iCalendar file (`--ics`, in
//! `output::ics`), world tables (`--world`, `output::world_table`) or lines
//! to paste (`--share`, `output::share_line`).
//!
//! Which milestones: those after `--after` (else now) and up to `--until`
//! (included), at most `-n` of them (10 unless `--until` is given).
//!
//! The table has one row per milestone: the epoch value, its label, the
//! date-time in the display zone (`--utc`/`--tz`, else `display.zone`, else
//! local), the date-time in UTC, and the countdown from the `--after` instant
//! (else now). Columns are aligned by hand: five fixed columns do not justify
//! a table crate (and one that holds its rows could not stream). With
//! `--world`, each milestone is a line (value, label, UTC date-time,
//! countdown) over its world table instead.
//!
//! `--json` prints one JSON array, one object per line:
//! `{"epoch":…,"label":…,"rule":…,"notify":…,"utc":…,"local":…,"in_seconds":…}`
//! (`utc` and `local` are RFC 3339, `null` outside the calendar range), and
//! with `--world` a `world` array of the cities.
//!
//! Everything is streamed: any count runs in constant memory, and the first
//! rows go out at once. A table of more than a thousand rows is laid out
//! from its first rows and from bounds on the rest taken from the schedule
//! without walking it, so its columns align as one.
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

use crate::atomic::AtomicFile;
use crate::cli::NextArgs;
use crate::error::{Context, Exit, Result};
use crate::milestone::Milestone;
use crate::output::ics::{self, IcsOptions};
use crate::output::{milestone_table, share_line, world_table};
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
    let milestones = next.schedule.between(after, next.until).take(next.count);
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
                writeln!(
                    out,
                    "{}",
                    share_line::share_line(m.epoch, zone, &world.share)
                )?;
            }
        }
        (_, Some(world)) => write_world(out, milestones, next.after, &world.cities)?,
        (_, None) if next.count == 0 => {}
        (_, None) => milestone_table::write(
            out,
            &next.schedule,
            (next.after, next.until),
            next.count,
            zone,
        )?,
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
        out.write_all(world_table::table(m.epoch, cities).as_bytes())?;
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
    world: Option<Vec<world_table::JsonCity>>,
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
            world: world.map(|w| world_table::json(m.epoch, &w.cities)),
        };
        out.write_all(if first { b"[\n  " } else { b",\n  " })?;
        first = false;
        // `From` keeps the kind of an underlying I/O error (BrokenPipe).
        serde_json::to_writer(&mut *out, &item).map_err(io::Error::from)?;
    }
    out.write_all(if first { b"[]\n" } else { b"\n]\n" })
}
