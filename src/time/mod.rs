//! Time as people read and write it: zones, parsing, formatting,
//! daylight-saving resolution, durations, and every phrase about time
//! (relative, countdown, lateness). The one place that turns instants into
//! text and text into instants. Pure: the clock is read in `crate::clock`.
//!
//! # Conventions
//!
//! - Instants are `i64` epoch seconds (and nanoseconds where needed).
//! - Date-times are shown as `Fri 2009-02-13 23:31:30 +00:00`: weekday, ISO 8601
//!   date, 24-hour time, UTC offset ([`format_datetime`]). Years outside
//!   0000..=9999 carry a sign (`+12345-01-01`).
//! - The supported range is [`MIN_EPOCH`]..=[`MAX_EPOCH`] (about ±262,000 years):
//!   chrono's range, less one day at each end so that every UTC offset fits.
//! - Local times are resolved by [`local_to_epoch`]: a time that occurs twice
//!   (DST overlap) means the earlier instant; a time that does not occur
//!   (DST gap) is read with the offset in effect just before the gap, i.e. it
//!   is shifted forward by the length of the gap (02:30 on a spring-forward
//!   night in New York is 03:30 EDT).
//!
//! # Files
//! - `zone`: which zone, its offsets and abbreviations, local time to instant;
//! - `tzdb`: the system tz database and `TZ`, read as glibc reads them (jiff
//!   as the TZif and POSIX engine), the embedded copy as the fallback;
//! - `gnu_format`: GNU `date`'s +FORMAT language;
//! - `format`: instants to text (the display format, RFC 3339, strftime);
//! - `parse`: text to instants, epochs and durations;
//! - `phrase`: relative phrases, countdowns and durations in words;
//! - `world`: one instant in a list of cities (the world table).

mod format;
pub mod gnu_format;
mod parse;
mod phrase;
mod tzdb;
pub mod world;
mod zone;

pub use format::{
    datetime_width_bound, expand_year, format_datetime, format_offset, format_rfc3339,
    format_rfc3339_utc, format_strftime, push_datetime, rfc3339_utc_width_bound, scaled_instant,
    weekday,
};
pub use parse::{
    normalize_leads, parse_datetime, parse_duration, parse_epoch, parse_instant, parse_remind,
};
pub use phrase::{
    duration_words, format_countdown, format_duration, format_duration_short, late_phrase,
    push_countdown, push_relative_phrase, relative_phrase, seconds_phrase,
};
pub use tzdb::{Info, Source};
pub use zone::{Named, Zone, database, local_to_epoch, to_fixed};

/// The earliest epoch second shown or accepted as a calendar time
/// (-262143-01-02T00:00:00Z).
pub const MIN_EPOCH: i64 = -8_334_601_142_400;
/// The latest epoch second shown or accepted as a calendar time
/// (+262142-12-30T23:59:59Z).
pub const MAX_EPOCH: i64 = 8_210_266_790_399;

/// Something the user typed that is not a valid instant, zone, format or duration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("unknown time zone {0:?} (expected an IANA name such as Europe/Berlin, UTC or local)")]
    UnknownZone(String),
    #[error("{0}")]
    Invalid(String),
}

impl crate::error::InputError for ParseError {}

/// The error for an epoch outside [`MIN_EPOCH`]..=[`MAX_EPOCH`].
pub fn out_of_range(epoch: i64) -> ParseError {
    ParseError::Invalid(format!(
        "epoch {epoch} is outside the supported range {MIN_EPOCH} to {MAX_EPOCH} \
         (years -262143 to 262142)"
    ))
}

/// Check that an epoch can be shown as a calendar time.
pub fn check_range(epoch: i64) -> Result<i64, ParseError> {
    if (MIN_EPOCH..=MAX_EPOCH).contains(&epoch) {
        Ok(epoch)
    } else {
        Err(out_of_range(epoch))
    }
}

#[cfg(test)]
mod tests;
