//! The world outputs of `when` and `next`: the table of the cities at one
//! instant, the same as JSON, and the one line to paste (`--share`).
//!
//! The table, indented under its instant:
//!
//! ```text
//!   OFFSET  ABBR  CITY             LOCAL TIME               NOTE
//!   -10:00  HST   Honolulu         Thu 2027-01-14 22:00:00  -1 day, on the hour
//!   -08:00  PST   Los Angeles      Fri 2027-01-15 00:00:00  midnight
//! ```
//!
//! NOTE says where the local date is not UTC's (`-1 day`, `+1 day`) and
//! where the moment falls exactly on a local hour (`midnight`, `on the hour`).
//!
//! The share line names UTC in full, then the local zone (unless it says
//! the same as UTC, or is one of the share cities), then the `world.share`
//! cities (Los Angeles and Tokyo by default, the two ends of the Pacific):
//! `Unix time 1,800,000,000: Fri 2027-01-15 08:00:00 UTC, 00:00 Los Angeles,
//! 17:00 Tokyo; `date -d @1800000000``.

use std::fmt::Write as _;

use serde::Serialize;

use crate::milestone::group_thousands;
use crate::time::world::{City, Local, world_at};
use crate::time::{self, Zone};

/// The world table of `rows`, each line indented by `indent`, every line
/// ending in a newline.
pub fn write_table(out: &mut String, rows: &[Local], indent: &str) {
    let headers = ["OFFSET", "ABBR", "CITY", "LOCAL TIME", "NOTE"];
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|row| {
            [
                row.offset_text(),
                row.abbreviation.clone(),
                row.city.clone(),
                format!("{} {} {}", row.weekday, row.date, row.time),
                row.marks().join(", "),
            ]
        })
        .collect();
    let mut widths = headers.map(|h| h.chars().count());
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut line = String::with_capacity(96);
    let mut emit = |out: &mut String, cells: [&str; 5]| {
        line.clear();
        line.push_str(indent);
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            let pad = widths[i].saturating_sub(cell.chars().count());
            line.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    };
    emit(out, headers);
    for row in &cells {
        emit(out, [&row[0], &row[1], &row[2], &row[3], &row[4]]);
    }
}

/// One city in JSON.
#[derive(Serialize)]
pub struct JsonCity {
    city: String,
    zone: String,
    /// RFC 3339 with the local offset.
    local: String,
    weekday: String,
    date: String,
    time: String,
    offset: String,
    offset_seconds: i32,
    abbreviation: String,
    /// The local date minus UTC's: -1, 0 or 1.
    day: i64,
    midnight: bool,
    on_the_hour: bool,
}

/// The cities at `epoch`, sorted by offset, as JSON objects.
pub fn json(epoch: i64, cities: &[City]) -> Vec<JsonCity> {
    world_at(epoch, cities)
        .into_iter()
        .map(|row| JsonCity {
            local: format!("{}T{}{}", row.date, row.time, row.offset_text()),
            offset: row.offset_text(),
            city: row.city,
            zone: row.zone,
            weekday: row.weekday,
            date: row.date,
            time: row.time,
            offset_seconds: row.offset,
            abbreviation: row.abbreviation,
            day: row.day,
            midnight: row.midnight,
            on_the_hour: row.on_the_hour,
        })
        .collect()
}

/// The one line to paste: UTC, then `local` (when it says something UTC
/// does not and is not among `share`), then the `share` cities.
pub fn share_line(epoch: i64, local: Zone, share: &[City]) -> String {
    let mut line = format!(
        "Unix time {}: {}",
        group_thousands(epoch),
        time::format_strftime(epoch, 0, Zone::Utc, "%a %F %T UTC").unwrap_or_default()
    );
    let own = local_city(epoch, local, share);
    for city in own.iter().chain(share) {
        if let Some(row) = Local::at(epoch, city) {
            let _ = write!(line, ", {} {}", row.short_time(), row.city);
        }
    }
    let _ = write!(line, "; `date -d @{epoch}`");
    line
}

/// The local zone as a city of the share line, unless it reads as UTC at
/// `epoch` or is one of `share` already.
fn local_city(epoch: i64, local: Zone, share: &[City]) -> Option<City> {
    if local == Zone::Utc {
        return None;
    }
    let info = local.info_at(epoch)?;
    if info.offset == 0 && info.abbreviation == "UTC" {
        return None;
    }
    let name = local.name();
    if share.iter().any(|c| c.zone.name() == name) {
        return None;
    }
    Some(City {
        zone: local,
        name: time::world::city_name(&name),
    })
}

/// The table of `cities` at `epoch` (sorted by offset), indented by two.
pub fn table(epoch: i64, cities: &[City]) -> String {
    let mut out = String::new();
    write_table(&mut out, &world_at(epoch, cities), "  ");
    out
}
