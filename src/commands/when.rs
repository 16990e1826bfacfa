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
//! `super::world`). Only these two read the config file (for `[world]`).

use std::fmt::Write as _;
use std::path::Path;

use super::{print, world};
use crate::cli::WhenArgs;
use crate::error::{Exit, Result};
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
            .map(|&epoch| world::share_line(epoch, zone, &cities.share))
            .collect::<Vec<_>>()
            .join("\n"),
        cities if args.json => render_json(&epochs, zone, now, cities.as_ref()),
        cities => render_text(&epochs, zone, now, cities.as_ref()),
    };
    out.push('\n');
    print(out.as_bytes())
}

/// The text blocks (without the final newline), each with its world table
/// when `world` is given.
pub fn render_text(epochs: &[i64], zone: Zone, now: i64, world: Option<&World>) -> String {
    let mut out = String::new();
    for (i, &epoch) in epochs.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        let _ = writeln!(out, "{epoch}");
        let label = match zone {
            Zone::Utc => None,
            Zone::Local => Some("local"),
            Zone::Named(_) => Some("tz"),
        };
        if let Some(label) = label {
            let _ = writeln!(
                out,
                "  {label:<5}  {} ({})",
                time::format_datetime(epoch, zone),
                zone_description(epoch, zone)
            );
        }
        let _ = writeln!(out, "  utc    {}", time::format_datetime(epoch, Zone::Utc));
        let _ = write!(out, "         {}", time::relative_phrase(epoch, now));
        if let Some(world) = world {
            out.push_str("\n\n");
            out.push_str(world::table(epoch, &world.cities).trim_end());
        }
    }
    out
}

/// "Europe/Berlin, CET", or just "UTC" when name and abbreviation agree.
fn zone_description(epoch: i64, zone: Zone) -> String {
    let name = zone.name();
    match zone.abbreviation_at(epoch) {
        Some(abbr) if abbr != name => format!("{name}, {abbr}"),
        _ => name,
    }
}

/// One JSON array (pretty-printed, without the final newline); each object
/// has a `world` array when `world` is given.
pub fn render_json(epochs: &[i64], zone: Zone, now: i64, world: Option<&World>) -> String {
    let items: Vec<serde_json::Value> = epochs
        .iter()
        .map(|&epoch| {
            let offset = zone.offset_at(epoch).unwrap_or(0);
            let mut item = serde_json::json!({
                "epoch": epoch,
                "utc": time::format_rfc3339_utc(epoch),
                "local": time::format_rfc3339(epoch, zone),
                "zone": zone.name(),
                "abbreviation": zone.abbreviation_at(epoch),
                "offset": time::format_offset(offset),
                "offset_seconds": offset,
                "weekday": time::weekday(epoch, zone),
                "relative": time::relative_phrase(epoch, now),
                "seconds_from_now": epoch.saturating_sub(now),
            });
            if let Some(world) = world {
                item["world"] = serde_json::json!(world::json(epoch, &world.cities));
            }
            item
        })
        .collect();
    // Serializing plain JSON values into a String cannot fail.
    serde_json::to_string_pretty(&items).unwrap_or_default()
}
