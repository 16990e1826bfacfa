//! Instants as text: the display format, RFC 3339, weekdays, and
//! `date +FORMAT` as GNU `date` writes it.

use std::sync::OnceLock;

use chrono::{Datelike, FixedOffset, Timelike};

use super::gnu_format::{Fields, Format};
use super::tzdb::Info;
use super::zone::{to_fixed, utc_datetime};
use super::{MAX_EPOCH, MIN_EPOCH, ParseError, Zone, out_of_range};

/// Whole units since the epoch at `precision_digits` sub-second digits
/// (0 = seconds, 3 = ms, 6 = µs, 9 = ns), floored: the true count, so
/// 0.5 s before 1970 is -500 ms (not "-1500" as `date +%s%3N` would print).
pub fn scaled_instant(secs: i64, nanos: u32, precision_digits: u32) -> i128 {
    let digits = precision_digits.min(9);
    let scale = 10i128.pow(digits);
    let sub = i128::from(nanos) / 10i128.pow(9 - digits);
    i128::from(secs) * scale + sub
}

/// `Fri 2009-02-13 23:31:30 +00:00`: weekday, ISO 8601 date and time,
/// offset; as `date '+%a %F %T %:z'` writes it (so a year past 9999 is
/// `+10000`, as GNU's `%F` has it, and the offset of a zone abbreviated
/// "-00" is `-00:00`), with the offset's seconds where it has them (local
/// mean time: `-04:56:02`).
///
/// Outside the supported range: `@EPOCH (out of calendar range)`; never panics.
pub fn format_datetime(epoch: i64, zone: Zone) -> String {
    let Some(offset) = zone.offset_at(epoch) else {
        return format!("@{epoch} (out of calendar range)");
    };
    let mut out = String::with_capacity(32);
    let common = !(offset == 0 && zone != Zone::Utc && negative_zero(epoch, zone));
    if !(common && push_common_datetime(&mut out, epoch, offset)) {
        return gnu_pattern(epoch, zone, Pattern::Display);
    }
    out
}

/// The most characters [`format_datetime`] writes for an instant in
/// `lo..=hi` (`lo <= hi`) in `zone`, without formatting each: its width
/// grows only with the year's digits, the offset's seconds and, outside the
/// calendar, the epoch's digits. The ends are moved by a day and more (no
/// offset is larger) to find the widest year the zone can show; any zone
/// but UTC is given room for an offset with seconds (local mean time).
pub fn datetime_width_bound(lo: i64, hi: i64, zone: Zone) -> usize {
    const MARGIN: i64 = 2 * 86_400;
    let in_calendar =
        widest_in_calendar(lo.saturating_sub(MARGIN), hi.saturating_add(MARGIN), |e| {
            format_datetime(e, Zone::Utc).len()
        });
    let seconds = if zone == Zone::Utc { 0 } else { ":SS".len() };
    let outside = [lo, hi]
        .into_iter()
        .filter(|e| !(MIN_EPOCH..=MAX_EPOCH).contains(e))
        .map(|e| format_datetime(e, Zone::Utc).len());
    outside
        .chain(in_calendar.map(|width| width + seconds))
        .max()
        .unwrap_or(0)
}

/// The most characters of [`format_rfc3339_utc`] for an instant in
/// `lo..=hi`, or of `outside` where the range leaves the calendar.
pub fn rfc3339_utc_width_bound(lo: i64, hi: i64, outside: &str) -> usize {
    let in_calendar = widest_in_calendar(lo, hi, |e| {
        format_rfc3339_utc(e).map_or(0, |text| text.len())
    });
    let leaves = lo < MIN_EPOCH || hi > MAX_EPOCH;
    in_calendar
        .into_iter()
        .chain(leaves.then(|| outside.chars().count()))
        .max()
        .unwrap_or(0)
}

/// `width` at the ends of the part of `lo..=hi` inside the calendar (`None`
/// when none is): the widest of a text whose width grows with the year's
/// distance from year 0.
fn widest_in_calendar(lo: i64, hi: i64, width: impl Fn(i64) -> usize) -> Option<usize> {
    let (lo, hi) = (lo.max(MIN_EPOCH), hi.min(MAX_EPOCH));
    (lo <= hi).then(|| width(lo).max(width(hi)))
}

/// Appends [`format_datetime`]'s text for `epoch` at `info`'s offset and
/// abbreviation, without looking the zone up again (for many instants).
pub fn push_datetime(out: &mut String, epoch: i64, info: &Info) {
    let minus_zero = info.offset == 0 && info.abbreviation.starts_with('-');
    if minus_zero || !push_common_datetime(out, epoch, info.offset) {
        out.push_str(&write_pattern(epoch, info, Pattern::Display));
    }
}

/// Appends the display form in the common case (years 0 to 9999, an
/// offset of whole minutes) and says whether it was one; appends nothing
/// otherwise. Digits pushed directly rather than through `write!`: the live
/// display calls this every second, and `write!`'s machinery is most of the
/// cost when its code is cold.
fn push_common_datetime(out: &mut String, epoch: i64, offset: i32) -> bool {
    let Some(dt) = FixedOffset::east_opt(offset)
        .and_then(|zone| Some(utc_datetime(epoch, 0)?.with_timezone(&zone)))
    else {
        return false;
    };
    let Ok(year) = u32::try_from(dt.year()) else {
        return false;
    };
    if year > 9999 || offset % 60 != 0 {
        return false;
    }
    // "Fri 2009-02-13 23:31:30 +00:00", built in place and copied once.
    let mut text = *b"Mon 0000-00-00 00:00:00 +00:00";
    text[..3].copy_from_slice(WEEKDAYS[dt.weekday().num_days_from_monday() as usize].as_bytes());
    let minutes = offset.unsigned_abs() / 60;
    let fields = [
        (4, year / 100),
        (6, year % 100),
        (9, dt.month()),
        (12, dt.day()),
        (15, dt.hour()),
        (18, dt.minute()),
        (21, dt.second()),
        (25, minutes / 60),
        (28, minutes % 60),
    ];
    for (at, value) in fields {
        // Every field is below 100 here.
        text[at] = b'0' + (value / 10 % 10) as u8;
        text[at + 1] = b'0' + (value % 10) as u8;
    }
    if offset < 0 {
        text[24] = b'-';
    }
    // Only ASCII was written.
    out.push_str(std::str::from_utf8(&text).unwrap_or_default());
    true
}

/// Whether the zone's abbreviation at `epoch` starts with '-' ("-00": no
/// local time, e.g. Antarctic stations before they were staffed), which
/// makes GNU write a zero offset as `-00:00`.
fn negative_zero(epoch: i64, zone: Zone) -> bool {
    zone.info_at(epoch)
        .is_some_and(|info| info.abbreviation.starts_with('-'))
}

/// The GNU formats this module writes its fixed forms with, each parsed
/// once per process: the first of each pair for offsets of whole minutes,
/// the second for offsets with seconds.
#[derive(Clone, Copy)]
enum Pattern {
    /// `%a %F %T %:z`, [`format_datetime`].
    Display,
    /// `%FT%T%:z`, [`format_rfc3339`].
    Rfc3339,
    /// `%FT%TZ`, in UTC.
    Rfc3339Utc,
    /// `%:z`, [`format_offset`].
    Offset,
}

impl Pattern {
    fn format(self, seconds: bool) -> &'static Format {
        static FORMATS: OnceLock<Vec<Format>> = OnceLock::new();
        let formats = FORMATS.get_or_init(|| {
            [
                "%a %F %T %:z",
                "%a %F %T %::z",
                "%FT%T%:z",
                "%FT%T%::z",
                "%FT%TZ",
                "%FT%TZ",
                "%:z",
                "%::z",
            ]
            .iter()
            .filter_map(|pattern| Format::parse(pattern).ok())
            .collect()
        });
        let index = self as usize * 2 + usize::from(seconds);
        // All eight are valid formats, so the index is always there.
        &formats[index.min(formats.len() - 1)]
    }
}

/// `epoch` in `zone` by one of this module's GNU formats.
fn gnu_pattern(epoch: i64, zone: Zone, pattern: Pattern) -> String {
    match zone.info_at(epoch) {
        Some(info) => write_pattern(epoch, &info, pattern),
        None => format!("@{epoch} (out of calendar range)"),
    }
}

/// `epoch` at `info`'s offset by one of this module's GNU formats (empty out of range).
fn write_pattern(epoch: i64, info: &Info, pattern: Pattern) -> String {
    let mut out = String::with_capacity(32);
    if let Some(fields) = fields(epoch, 0, info) {
        pattern
            .format(info.offset % 60 != 0)
            .write(&fields, &mut out);
    }
    out
}

/// A zone's offset (seconds east) as `±HH:MM` (GNU's `%:z`), or
/// `±HH:MM:SS` when it has seconds (local mean time; GNU's `%::z`); with
/// the zone's `abbreviation` at that instant, because GNU writes a zero
/// offset as `-00:00` in a zone abbreviated "-00".
pub fn format_offset(offset: i32, abbreviation: &str) -> String {
    let info = Info {
        offset,
        abbreviation: abbreviation.to_string(),
        is_dst: false,
    };
    write_pattern(0, &info, Pattern::Offset)
}

/// Weekday abbreviations as strftime's `%a` writes them, Monday first.
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// `2009-02-13T23:31:30Z` (`None` outside the supported range; years
/// outside 0 to 9999 in ISO 8601's expanded form, see [`format_rfc3339`]).
pub fn format_rfc3339_utc(epoch: i64) -> Option<String> {
    format_rfc3339(epoch, Zone::Utc)
}

/// RFC 3339 in `zone`: `2009-02-14T00:31:30+01:00`, or with `Z` for UTC; an
/// offset with seconds keeps them (`-03:30:52`), so that it reads back exactly.
/// A year outside 0 to 9999 is written in ISO 8601's expanded form, a sign
/// and four digits or more (`+10000-01-01T…`, `-0001-12-31T…`), as chrono
/// writes it.
pub fn format_rfc3339(epoch: i64, zone: Zone) -> Option<String> {
    let info = zone.info_at(epoch)?;
    let pattern = if zone == Zone::Utc {
        Pattern::Rfc3339Utc
    } else {
        Pattern::Rfc3339
    };
    let mut text = write_pattern(epoch, &info, pattern);
    expand_year(&mut text);
    Some(text)
}

/// The year that starts `text` (a date as GNU's `%F` writes it) in ISO
/// 8601's expanded form: GNU pads a negative year to four characters with
/// its sign (`-001-12-31`), where the expanded form has four digits after
/// it (`-0001-12-31`). A year past 9999 already has its `+` and digits.
pub fn expand_year(text: &mut String) {
    if let Some(date) = text.strip_prefix('-') {
        let digits = date.bytes().take_while(u8::is_ascii_digit).count();
        if digits < 4 {
            text.insert_str(1, &"000"[..4 - digits]);
        }
    }
}

/// The three-letter weekday ("Fri") in `zone`.
pub fn weekday(epoch: i64, zone: Zone) -> Option<String> {
    to_fixed(epoch, 0, zone)
        .map(|dt| WEEKDAYS[dt.weekday().num_days_from_monday() as usize].to_string())
}

/// Format like `date +FORMAT` (the text after the '+'): GNU's whole
/// conversion language, byte for byte as GNU `date` prints it under
/// `LC_ALL=C` (see [`super::gnu_format`]). An unknown or incomplete
/// conversion (`%Q`, a trailing `%`) is a one-line [`ParseError`].
pub fn format_strftime(
    epoch: i64,
    nanos: u32,
    zone: Zone,
    format: &str,
) -> Result<String, ParseError> {
    let format = Format::parse(format).map_err(|err| ParseError::Invalid(err.to_string()))?;
    let info = zone.info_at(epoch).ok_or_else(|| out_of_range(epoch))?;
    let fields = fields(epoch, nanos, &info).ok_or_else(|| out_of_range(epoch))?;
    let mut out = String::with_capacity(32);
    format.write(&fields, &mut out);
    Ok(out)
}

/// The broken-down time GNU's conversions print, for `epoch` at `info`'s offset.
fn fields(epoch: i64, nanos: u32, info: &Info) -> Option<Fields<'_>> {
    let utc = utc_datetime(epoch, nanos)?;
    let local = utc.with_timezone(&FixedOffset::east_opt(info.offset)?);
    Some(Fields {
        epoch,
        year: i64::from(local.year()),
        month: u8::try_from(local.month()).ok()?,
        day: u8::try_from(local.day()).ok()?,
        hour: u8::try_from(local.hour()).ok()?,
        minute: u8::try_from(local.minute()).ok()?,
        second: u8::try_from(local.second()).ok()?,
        nanos,
        weekday: u8::try_from(local.weekday().num_days_from_sunday()).ok()?,
        yday: u16::try_from(local.ordinal0()).ok()?,
        utc_offset: info.offset,
        abbreviation: &info.abbreviation,
    })
}
