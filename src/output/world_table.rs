//! The world output of `when --world` and `next --world`: the table of the
//! cities at one instant, and the same as JSON.
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

use serde::Serialize;

use super::columns::Columns;
use crate::time;
use crate::time::world::{City, Local, world_at};

/// The world table of `rows`, each line indented by `indent`, every line
/// ending in a newline.
fn write_table(out: &mut String, rows: &[Local], indent: &str) {
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
    let mut columns = Columns::new(&headers, [false; 5]);
    for row in &cells {
        columns.fit(&row.each_ref().map(String::as_str));
    }
    out.push_str(columns.row(indent, &headers));
    out.push('\n');
    for row in &cells {
        out.push_str(columns.row(indent, &row.each_ref().map(String::as_str)));
        out.push('\n');
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
        .map(|row| {
            // JSON writes years outside 0 to 9999 as ISO 8601 expands them.
            let mut date = row.date.clone();
            time::expand_year(&mut date);
            JsonCity {
                local: format!("{date}T{}{}", row.time, row.offset_text()),
                offset: row.offset_text(),
                city: row.city,
                zone: row.zone,
                weekday: row.weekday,
                date,
                time: row.time,
                offset_seconds: row.offset,
                abbreviation: row.abbreviation,
                day: row.day,
                midnight: row.midnight,
                on_the_hour: row.on_the_hour,
            }
        })
        .collect()
}

/// The table of `cities` at `epoch` (sorted by offset), indented by two.
pub fn table(epoch: i64, cities: &[City]) -> String {
    let mut out = String::new();
    write_table(&mut out, &world_at(epoch, cities), "  ");
    out
}
