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

use std::fmt::Write as _;

use super::print;
use crate::cli::WhenArgs;
use crate::error::{Exit, Result};
use crate::settings;
use crate::time::{self, Zone};

pub fn run(args: &WhenArgs) -> Result<Exit> {
    let zone = settings::zone(&args.zone)?;
    let epochs = args
        .epochs
        .iter()
        .map(|text| time::parse_epoch(text.trim()).and_then(time::check_range))
        .collect::<std::result::Result<Vec<i64>, _>>()?;
    // The one clock read, for the relative phrases.
    let now = crate::clock::read_once().secs;
    let mut out = if args.json {
        render_json(&epochs, zone, now)
    } else {
        render_text(&epochs, zone, now)
    };
    out.push('\n');
    print(out.as_bytes())
}

/// The text blocks (without the final newline).
pub fn render_text(epochs: &[i64], zone: Zone, now: i64) -> String {
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

/// One JSON array (pretty-printed, without the final newline).
pub fn render_json(epochs: &[i64], zone: Zone, now: i64) -> String {
    let items: Vec<serde_json::Value> = epochs
        .iter()
        .map(|&epoch| {
            // Every value was checked to be in range, so there is an `info`.
            let info = zone.info_at(epoch);
            serde_json::json!({
                "epoch": epoch,
                "utc": time::format_rfc3339_utc(epoch),
                "local": time::format_rfc3339(epoch, zone),
                "zone": zone.name(),
                "abbreviation": info.as_ref().map(|info| &info.abbreviation),
                "offset": info.as_ref().map(time::format_offset),
                "offset_seconds": info.as_ref().map(|info| info.offset),
                "weekday": time::weekday(epoch, zone),
                "relative": time::relative_phrase(epoch, now),
                "seconds_from_now": epoch.saturating_sub(now),
            })
        })
        .collect();
    // Serializing plain JSON values into a String cannot fail.
    serde_json::to_string_pretty(&items).unwrap_or_default()
}
