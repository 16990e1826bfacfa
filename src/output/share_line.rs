//! The one line to paste of `when --share` and `next --share`: UTC in full,
//! then the local zone (unless it says the same as UTC, or is one of the
//! share cities), then the `world.share` cities (Los Angeles and Tokyo by
//! default, the two ends of the Pacific):
//! `Unix time 1,800,000,000: Fri 2027-01-15 08:00:00 UTC, 00:00 Los Angeles,
//! 17:00 Tokyo; `date -d @1800000000``.

use std::fmt::Write as _;

use crate::milestone::group_thousands;
use crate::time::world::{City, Local};
use crate::time::{self, Zone};

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
