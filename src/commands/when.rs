//! `epochwatch when`: epoch seconds to calendar time.
//!
//! For each value: the date-time in the chosen zone (local unless `--utc` /
//! `--tz`), in UTC, and relative to now:
//!
//! ```text
//! 1234567890
//!   local  Fri 2009-02-13 23:31:30 +00:00 (UTC)
//!   utc    Fri 2009-02-13 23:31:30 +00:00
//!          17 years ago
//! ```
//!
//! The zone line is labelled `local` or `tz` (for `--tz`); with `--utc` only
//! the `utc` line is shown. Blocks are separated by a blank line. All values
//! are checked before anything is printed.
//!
//! `--world` adds the world table under each block (and a `world` array to
//! each JSON object); `--share` prints one line per value instead (see
//! `crate::output`). Only these two read the config file (for `[world]`).

use std::io::{self, Write};
use std::path::Path;

use super::print;
use crate::cli::WhenArgs;
use crate::error::{Exit, Result};
use crate::output::{share_line, world_table};
use crate::settings::{self, Environment, World};
use crate::time::{self, Zone};

pub fn run(config_flag: Option<&Path>, args: &WhenArgs) -> Result<Exit> {
    let when = settings::when(config_flag, args, &Environment::from_process())?;
    let zone = when.zone;
    let epochs = args
        .epochs
        .iter()
        .map(|text| time::parse_epoch(text.trim()).and_then(time::check_range))
        .collect::<std::result::Result<Vec<i64>, _>>()?;
    // The one clock read, for the relative phrases.
    let now = crate::clock::read_once().secs;
    let mut out = match &when.world {
        Some(cities) if args.share => epochs
            .iter()
            .map(|&epoch| share_line::share_line(epoch, zone, &cities.share))
            .collect::<Vec<_>>()
            .join("\n"),
        cities if args.json => render_json(&epochs, zone, now, cities.as_ref()),
        cities => return print_text(&epochs, zone, now, cities.as_ref()),
    };
    out.push('\n');
    print(out.as_bytes())
}

/// The text form on stdout, as it is written.
fn print_text(epochs: &[i64], zone: Zone, now: i64, world: Option<&World>) -> Result<Exit> {
    let mut stdout = std::io::stdout().lock();
    let written = write_text(epochs, zone, now, world, &mut stdout);
    Exit::from_output(written.and_then(|()| stdout.flush()))
}

/// Bytes of text gathered before they are written: small enough to stay in
/// the caches (10,000 values make 1.6 MB), large enough for few writes.
const CHUNK: usize = 64 * 1024;

/// The text blocks, each with its world table when `world` is given,
/// written straight into a small buffer that goes out whenever it fills:
/// the zone is looked up once per value, its name once in all.
pub fn write_text(
    epochs: &[i64],
    zone: Zone,
    now: i64,
    world: Option<&World>,
    sink: &mut impl Write,
) -> io::Result<()> {
    let label = match zone {
        Zone::Utc => None,
        Zone::Local => Some("\n  local  "),
        Zone::Named(_) => Some("\n  tz     "),
    };
    let name = zone.name();
    let utc = time::Info {
        offset: 0,
        abbreviation: "UTC".to_string(),
        is_dst: false,
    };
    let mut out = String::with_capacity(CHUNK + 512);
    for (i, &epoch) in epochs.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        if out.len() >= CHUNK {
            sink.write_all(out.as_bytes())?;
            out.clear();
        }
        out.push_str(&crate::decimal::to_string(epoch));
        // Every value was checked to be in range, so there is an `info`.
        if let (Some(label), Some(info)) = (label, zone.info_at(epoch)) {
            out.push_str(label);
            time::push_datetime(&mut out, epoch, &info);
            out.push_str(" (");
            out.push_str(&name);
            // "Europe/Berlin, CET", or just "UTC" when name and abbreviation agree.
            if info.abbreviation != name {
                out.push_str(", ");
                out.push_str(&info.abbreviation);
            }
            out.push(')');
        }
        out.push_str("\n  utc    ");
        time::push_datetime(&mut out, epoch, &utc);
        out.push_str("\n         ");
        time::push_relative_phrase(&mut out, epoch, now);
        if let Some(world) = world {
            out.push_str("\n\n");
            out.push_str(world_table::table(epoch, &world.cities).trim_end());
        }
    }
    out.push('\n');
    sink.write_all(out.as_bytes())
}

/// One JSON array (pretty-printed, without the final newline); each object
/// has a `world` array when `world` is given.
pub fn render_json(epochs: &[i64], zone: Zone, now: i64, world: Option<&World>) -> String {
    let items: Vec<serde_json::Value> = epochs
        .iter()
        .map(|&epoch| {
            // Every value was checked to be in range, so there is an `info`.
            let info = zone.info_at(epoch);
            let mut item = serde_json::json!({
                "epoch": epoch,
                "utc": time::format_rfc3339_utc(epoch),
                "local": time::format_rfc3339(epoch, zone),
                "zone": zone.name(),
                "abbreviation": info.as_ref().map(|info| &info.abbreviation),
                "offset": info
                    .as_ref()
                    .map(|info| time::format_offset(info.offset, &info.abbreviation)),
                "offset_seconds": info.as_ref().map(|info| info.offset),
                "weekday": time::weekday(epoch, zone),
                "relative": time::relative_phrase(epoch, now),
                "seconds_from_now": epoch.saturating_sub(now),
            });
            if let Some(world) = world {
                item["world"] = serde_json::json!(world_table::json(epoch, &world.cities));
            }
            item
        })
        .collect();
    // Serializing plain JSON values into a String cannot fail.
    serde_json::to_string_pretty(&items).unwrap_or_default()
}
