//! Writing a conversion for one instant: names, offsets, the composite
//! conversions and the padding and case rules gnulib and glibc apply.

use super::Fields;
use super::numbers::{Digits, push_field, push_glibc_year, push_year};
use super::spec::{Case, Conv, Pad, Spec, YearField};

const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Spec {
    /// Appends this conversion's text for `f`.
    pub(super) fn write(&self, f: &Fields, out: &mut String) {
        match self.conv {
            Conv::WeekdayName { .. }
            | Conv::MonthName { .. }
            | Conv::AmPm
            | Conv::Zone
            | Conv::Char(_) => self.write_text(f, out),
            Conv::LocaleDateTime
            | Conv::LocaleDate
            | Conv::LocaleTime
            | Conv::LocaleTime12
            | Conv::SlashDate
            | Conv::IsoDate
            | Conv::HourMinute
            | Conv::HourMinuteSecond => self.write_composite(f, out),
            _ => self.write_number(f, out),
        }
    }

    /// Names, the zone and `%n` `%t` with a width.
    fn write_text(&self, f: &Fields, out: &mut String) {
        let (conv, pad, width, case) = (self.conv, self.pad, self.width, self.case);
        match conv {
            Conv::WeekdayName { full } => {
                let name = WEEKDAYS.get(usize::from(f.weekday)).copied();
                push_text(out, name_form(name, full), width, pad, case);
            }
            Conv::MonthName { full } => {
                let name = MONTHS.get(usize::from(f.month).wrapping_sub(1)).copied();
                push_text(out, name_form(name, full), width, pad, case);
            }
            Conv::AmPm => push_text(out, am_pm(f), width, pad, case),
            Conv::Zone => push_text(out, f.abbreviation, width, pad, case),
            Conv::Char(c) => {
                let mut buf = [0; 4];
                push_text(out, c.encode_utf8(&mut buf), width, pad, case);
            }
            _ => {}
        }
    }

    /// The numbers: epoch, nanoseconds, fields, years and offsets.
    fn write_number(&self, f: &Fields, out: &mut String) {
        let (conv, pad, width, case) = (self.conv, self.pad, self.width, self.case);
        match conv {
            Conv::Epoch => {
                let digits = Digits::new(f.epoch.unsigned_abs());
                let sign = (f.epoch < 0).then_some('-');
                push_number(
                    out,
                    sign,
                    digits.as_str(),
                    1,
                    width,
                    pad.unwrap_or(Pad::Zeros),
                );
            }
            Conv::Nanos => push_nanos(out, f.nanos, width, pad),
            Conv::Number(field) => push_field(out, field, field.value(f), width, pad),
            Conv::AltNumber(field) => {
                let value = field.value(f);
                match u64::try_from(value) {
                    Ok(value) => {
                        let fill = if field.space_padded() { b' ' } else { b'0' };
                        let digits = Digits::padded(value, field.digits(), fill);
                        push_text(out, digits.as_str(), width, pad, case);
                    }
                    Err(_) => push_field(out, field, value, width, pad),
                }
            }
            Conv::Year(field) => push_year(out, field, f, width, pad, None),
            Conv::AltYear(field) => {
                if field.gnulib(f).negative {
                    push_year(out, field, f, width, pad, None);
                } else {
                    with_padding(out, width, pad, case, |out| push_glibc_year(out, field, f));
                }
            }
            Conv::EraYear(field) => {
                with_padding(out, width, pad, case, |out| push_glibc_year(out, field, f));
            }
            Conv::Offset { colons } => push_offset(out, f, colons, width, pad),
            Conv::AltOffset => {
                if offset_is_negative(f) {
                    push_offset(out, f, 0, width, pad);
                } else {
                    // glibc's `%z`: minutes east, seconds dropped.
                    let minutes = i64::from(f.utc_offset) / 60;
                    let hhmm = (minutes / 60 * 100 + minutes % 60).unsigned_abs();
                    with_padding(out, width, pad, case, |out| {
                        out.push('+');
                        out.push_str(Digits::padded(hhmm, 4, b'0').as_str());
                    });
                }
            }
            _ => {}
        }
    }

    /// The conversions made of others: `%c %x %X %r %D %F %R %T`.
    fn write_composite(&self, f: &Fields, out: &mut String) {
        let (conv, pad, width, case) = (self.conv, self.pad, self.width, self.case);
        match conv {
            Conv::LocaleDateTime => {
                with_padding(out, width, pad, case, |out| push_locale_date_time(out, f));
            }
            Conv::LocaleDate => with_padding(out, width, pad, case, |out| {
                push_two(out, f.month.into());
                out.push('/');
                push_two(out, f.day.into());
                out.push('/');
                push_two(out, f.year.rem_euclid(100).unsigned_abs());
            }),
            Conv::LocaleTime => {
                with_padding(out, width, pad, case, |out| push_hms(out, f.hour.into(), f));
            }
            Conv::LocaleTime12 => with_padding(out, width, pad, case, |out| {
                push_hms(out, hour12(f), f);
                out.push(' ');
                out.push_str(am_pm(f));
            }),
            Conv::SlashDate => with_padding(out, width, pad, Case::Keep, |out| {
                push_two(out, f.month.into());
                out.push('/');
                push_two(out, f.day.into());
                out.push('/');
                // gnulib hands `%D`'s flag on to its `%y` (and only to it).
                push_year(out, YearField::YearOfCentury, f, None, None, pad);
            }),
            Conv::IsoDate => {
                // gnulib's `%F` is `%+4Y-%m-%d` unless a flag or width is
                // given; then the flag goes to `%Y` with the width less 6.
                let (year_pad, year_width) = match (pad, width) {
                    (None, None) => (Some(Pad::Plus), 4),
                    (_, width) => (pad, width.map_or(0, |w| w.saturating_sub(6))),
                };
                with_padding(out, width, pad, Case::Keep, |out| {
                    push_year(out, YearField::Year, f, Some(year_width), None, year_pad);
                    out.push('-');
                    push_two(out, f.month.into());
                    out.push('-');
                    push_two(out, f.day.into());
                });
            }
            Conv::HourMinute => with_padding(out, width, pad, Case::Keep, |out| {
                push_two(out, f.hour.into());
                out.push(':');
                push_two(out, f.minute.into());
            }),
            Conv::HourMinuteSecond => {
                with_padding(out, width, pad, Case::Keep, |out| {
                    push_hms(out, f.hour.into(), f)
                });
            }
            _ => {}
        }
    }
}

/// A weekday or month name, abbreviated to three letters unless `full`, or
/// glibc's `?` for one out of range.
fn name_form(name: Option<&'static str>, full: bool) -> &'static str {
    match name {
        Some(name) if full => name,
        Some(name) => name.get(..3).unwrap_or(name),
        None => "?",
    }
}

fn am_pm(f: &Fields) -> &'static str {
    if f.hour > 11 { "PM" } else { "AM" }
}

pub(super) fn hour12(f: &Fields) -> u64 {
    match f.hour {
        0 => 12,
        h if h > 12 => u64::from(h - 12),
        h => u64::from(h),
    }
}

/// `%c` as glibc writes it in the C locale.
fn push_locale_date_time(out: &mut String, f: &Fields) {
    out.push_str(name_form(
        WEEKDAYS.get(usize::from(f.weekday)).copied(),
        false,
    ));
    out.push(' ');
    out.push_str(name_form(
        MONTHS.get(usize::from(f.month).wrapping_sub(1)).copied(),
        false,
    ));
    out.push(' ');
    out.push_str(Digits::padded(f.day.into(), 2, b' ').as_str());
    out.push(' ');
    push_hms(out, f.hour.into(), f);
    out.push(' ');
    push_glibc_year(out, YearField::Year, f);
}

/// `HH:MM:SS` with the given hour.
fn push_hms(out: &mut String, hour: u64, f: &Fields) {
    push_two(out, hour);
    out.push(':');
    push_two(out, f.minute.into());
    out.push(':');
    push_two(out, f.second.into());
}

/// At least two digits, zero-padded.
fn push_two(out: &mut String, value: u64) {
    if value < 100 {
        // The hot path of every date and time: two digits, no buffer.
        out.push(char::from(b'0' + (value / 10) as u8));
        out.push(char::from(b'0' + (value % 10) as u8));
    } else {
        out.push_str(Digits::new(value).as_str());
    }
}

/// GNU's `%N`: the first `width` digits (default 9) of the nanoseconds, with
/// trailing zeros dropped and then padded back per the flag (so `%-3N` drops
/// them and `%_3N` blanks them).
fn push_nanos(out: &mut String, nanos: u32, width: Option<usize>, pad: Option<Pad>) {
    let width = match width {
        None | Some(0) => 9,
        Some(w) => w,
    };
    let mut n = u64::from(nanos.min(999_999_999));
    let mut ndigits = 9;
    while width < ndigits || (ndigits > 1 && n % 10 == 0) {
        ndigits -= 1;
        n /= 10;
    }
    out.push_str(Digits::padded(n, ndigits, b'0').as_str());
    let fill = match pad.unwrap_or(Pad::Zeros) {
        Pad::Omit => return,
        Pad::Zeros | Pad::Plus => b'0',
        Pad::Spaces => b' ',
    };
    push_fill(out, width - ndigits, fill);
}

/// Whether gnulib prints the offset with a minus: below zero, or zero in a
/// zone whose abbreviation starts with `-` (`TZ='<-00>0'` prints `-0000`).
fn offset_is_negative(f: &Fields) -> bool {
    f.utc_offset < 0 || (f.utc_offset == 0 && f.abbreviation.starts_with('-'))
}

/// `%z` (`colons` = 0), `%:z`, `%::z`, `%:::z`, the gnulib way: hours,
/// minutes and seconds each truncated toward zero, always signed.
fn push_offset(out: &mut String, f: &Fields, colons: u8, width: Option<usize>, pad: Option<Pad>) {
    let offset = i64::from(f.utc_offset);
    let (hours, minutes, seconds) = (offset / 3600, offset / 60 % 60, offset % 60);
    // gnulib's colon mask: bit i set puts a colon before the i-th digit from
    // the right.
    let (value, mask, digits) = match colons {
        0 => (hours * 100 + minutes, 0, 5),
        1 => (hours * 100 + minutes, 0b100, 6),
        3 if seconds == 0 && minutes == 0 => (hours, 0, 3),
        3 if seconds == 0 => (hours * 100 + minutes, 0b100, 6),
        _ => (hours * 10_000 + minutes * 100 + seconds, 0b10100, 9),
    };
    let text = Digits::with_colons(value.unsigned_abs(), mask);
    let sign = if offset_is_negative(f) { '-' } else { '+' };
    push_number(
        out,
        Some(sign),
        text.as_str(),
        digits,
        width,
        pad.unwrap_or(Pad::Zeros),
    );
}

/// gnulib's number layout: `digits` (with its `sign`) padded to `width`
/// (default `default_width`, counting the sign): spaces go before the sign,
/// zeros after it.
pub(super) fn push_number(
    out: &mut String,
    sign: Option<char>,
    digits: &str,
    default_width: usize,
    width: Option<usize>,
    pad: Pad,
) {
    let width = width.unwrap_or(default_width);
    let shortage = width.saturating_sub(digits.len() + usize::from(sign.is_some()));
    match pad {
        Pad::Omit => {}
        Pad::Spaces => push_fill(out, shortage, b' '),
        Pad::Zeros | Pad::Plus => {
            if let Some(sign) = sign {
                out.push(sign);
            }
            push_fill(out, shortage, b'0');
            out.push_str(digits);
            return;
        }
    }
    if let Some(sign) = sign {
        out.push(sign);
    }
    out.push_str(digits);
}

/// The fill byte gnulib pads text with for a flag: none for `-`, zeros for
/// `0` and `+`, else spaces.
fn text_fill(pad: Option<Pad>) -> Option<u8> {
    match pad {
        Some(Pad::Omit) => None,
        Some(Pad::Zeros | Pad::Plus) => Some(b'0'),
        Some(Pad::Spaces) | None => Some(b' '),
    }
}

/// Text padded on the left to `width` bytes, in the given case.
fn push_text(out: &mut String, text: &str, width: Option<usize>, pad: Option<Pad>, case: Case) {
    if let (Some(width), Some(fill)) = (width, text_fill(pad)) {
        push_fill(out, width.saturating_sub(text.len()), fill);
    }
    let start = out.len();
    out.push_str(text);
    recase(out, start, case);
}

/// Text produced by `render`, then cased and padded on the left to `width`
/// bytes: for the conversions gnulib renders as a whole before padding.
fn with_padding(
    out: &mut String,
    width: Option<usize>,
    pad: Option<Pad>,
    case: Case,
    render: impl FnOnce(&mut String),
) {
    let start = out.len();
    render(out);
    recase(out, start, case);
    if let (Some(width), Some(fill)) = (width, text_fill(pad)) {
        let len = out.len() - start;
        if width > len {
            insert_fill(out, start, width - len, fill);
        }
    }
}

/// Changes the case of `out[start..]`, ASCII only (as `toupper` in the C
/// locale).
fn recase(out: &mut String, start: usize, case: Case) {
    let Some(tail) = out.as_mut_str().get_mut(start..) else {
        return;
    };
    match case {
        Case::Keep => {}
        Case::Upper => tail.make_ascii_uppercase(),
        Case::Lower => tail.make_ascii_lowercase(),
    }
}

const SPACES: &str = "                                                                ";
const ZEROS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn fill_chunk(fill: u8) -> &'static str {
    if fill == b'0' { ZEROS } else { SPACES }
}

fn push_fill(out: &mut String, mut count: usize, fill: u8) {
    let chunk = fill_chunk(fill);
    while count > 0 {
        let n = count.min(chunk.len());
        out.push_str(&chunk[..n]);
        count -= n;
    }
}

fn insert_fill(out: &mut String, at: usize, mut count: usize, fill: u8) {
    let chunk = fill_chunk(fill);
    while count > 0 {
        let n = count.min(chunk.len());
        out.insert_str(at, &chunk[..n]);
        count -= n;
    }
}
