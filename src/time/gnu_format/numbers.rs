//! The numbers of a conversion, computed as gnulib and glibc compute them
//! from `struct tm`: plain fields, ISO weeks, years with GNU's signs, and
//! their digits without allocation.

use super::Fields;
use super::spec::{Field, Pad, YearField};
use super::write::{hour12, push_number};

impl Field {
    /// The value as gnulib computes it from `struct tm` (C integer
    /// arithmetic, so garbage in gives the same garbage out as GNU).
    pub(super) fn value(self, f: &Fields) -> i64 {
        let yday = i64::from(f.yday);
        let wday = i64::from(f.weekday);
        match self {
            Field::Day | Field::DaySpaced => f.day.into(),
            Field::Hour | Field::HourSpaced => f.hour.into(),
            Field::Hour12 | Field::Hour12Spaced => hour12(f).try_into().unwrap_or(0),
            Field::DayOfYear => yday + 1,
            Field::Month => f.month.into(),
            Field::Minute => f.minute.into(),
            Field::Second => f.second.into(),
            Field::WeekdayFromMonday => (wday - 1 + 7) % 7 + 1,
            Field::WeekdayFromSunday => wday,
            Field::WeekFromSunday => (yday - wday + 7) / 7,
            Field::WeekFromMonday => (yday - (wday - 1 + 7) % 7 + 7) / 7,
            Field::IsoWeek => iso_week(f).week,
            Field::Quarter => (((i64::from(f.month) - 1) * 11) >> 5) + 1,
        }
    }

    /// The default width.
    pub(super) fn digits(self) -> usize {
        match self {
            Field::DayOfYear => 3,
            Field::WeekdayFromMonday | Field::WeekdayFromSunday | Field::Quarter => 1,
            _ => 2,
        }
    }

    /// Padded with spaces by default (`%e %k %l`), not zeros.
    pub(super) fn space_padded(self) -> bool {
        matches!(
            self,
            Field::DaySpaced | Field::HourSpaced | Field::Hour12Spaced
        )
    }
}

/// A plain number the gnulib way.
pub(super) fn push_field(
    out: &mut String,
    field: Field,
    value: i64,
    width: Option<usize>,
    pad: Option<Pad>,
) {
    let default_pad = if field.space_padded() {
        Pad::Spaces
    } else {
        Pad::Zeros
    };
    let digits = Digits::new(value.unsigned_abs());
    let sign = (value < 0).then_some('-');
    push_number(
        out,
        sign,
        digits.as_str(),
        field.digits(),
        width,
        pad.unwrap_or(default_pad),
    );
}

/// ISO 8601 week-numbering facts: the week, and whether its year is the
/// calendar year's predecessor (-1), the calendar year (0) or its successor.
pub(super) struct IsoWeek {
    year_adjust: i64,
    week: i64,
}

/// gnulib's ISO week computation, step for step.
fn iso_week(f: &Fields) -> IsoWeek {
    let yday = i64::from(f.yday);
    let wday = i64::from(f.weekday);
    let mut year_adjust = 0;
    let mut days = iso_week_days(yday, wday);
    if days < 0 {
        year_adjust = -1;
        days = iso_week_days(
            yday + 365 + i64::from(is_leap(f.year.wrapping_sub(1))),
            wday,
        );
    } else {
        let next = iso_week_days(yday - 365 - i64::from(is_leap(f.year)), wday);
        if next >= 0 {
            year_adjust = 1;
            days = next;
        }
    }
    IsoWeek {
        year_adjust,
        week: days / 7 + 1,
    }
}

/// Days from the first day (a Monday) of the ISO year's first week (the one
/// with the year's first Thursday) to day `yday` of weekday `wday`; negative
/// before it. `yday` may be as small as -366.
fn iso_week_days(yday: i64, wday: i64) -> i64 {
    // 378 is a multiple of 7 big enough to keep the remainder's operand
    // non-negative for any real `yday` and `wday`, as in gnulib.
    yday - (yday - wday + 4 + 378) % 7 + 3
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// A year-like number as gnulib holds it before printing.
pub(super) struct Yearish {
    pub(super) negative: bool,
    magnitude: u64,
    /// The default width: 2 or 4.
    digits: usize,
}

impl YearField {
    /// The number gnulib prints, with gnulib's signs: `%C` and `%Y` and `%G`
    /// of negative years are negative (`%C` of 1 BC is `00`, of 2 BC `-0`),
    /// `%y` and `%g` never.
    pub(super) fn gnulib(self, f: &Fields) -> Yearish {
        let year = f.year;
        let (negative, magnitude, digits) = match self {
            // For years >= 0 this is floor(year / 100); for negative years,
            // gnulib truncates toward zero and keeps the sign apart.
            YearField::Century => (year < 0, year.unsigned_abs() / 100, 2),
            YearField::Year => (year < 0, year.unsigned_abs(), 4),
            YearField::YearOfCentury => (false, year.unsigned_abs() % 100, 2),
            YearField::IsoYear => {
                let iso = year.saturating_add(iso_week(f).year_adjust);
                (iso < 0, iso.unsigned_abs(), 4)
            }
            YearField::IsoYearOfCentury => {
                // gnulib's exact arithmetic on tm_year (year - 1900): it is
                // |ISO year| mod 100, except that when a year divisible by 100
                // and below -100 ends in the next ISO year, that ISO year
                // (-199 for -200) prints as 01, not 99.
                let year_adjust = iso_week(f).year_adjust;
                let tm_year = year.saturating_sub(1900);
                let yy = (tm_year % 100 + year_adjust) % 100;
                let value = if yy >= 0 {
                    yy
                } else if tm_year < -1900 - year_adjust {
                    -yy
                } else {
                    yy + 100
                };
                (false, value.unsigned_abs(), 2)
            }
        };
        Yearish {
            negative,
            magnitude,
            digits,
        }
    }

    /// The number glibc prints: floor of the century, the year and the ISO
    /// year unpadded and signed; the two-digit years modulo 100.
    pub(super) fn glibc(self, f: &Fields) -> (i64, usize) {
        let iso = || f.year.saturating_add(iso_week(f).year_adjust);
        match self {
            YearField::Century => (f.year.div_euclid(100), 1),
            YearField::Year => (f.year, 1),
            YearField::YearOfCentury => (f.year.rem_euclid(100), 2),
            YearField::IsoYear => (iso(), 1),
            YearField::IsoYearOfCentury => (iso().rem_euclid(100), 2),
        }
    }
}

/// A year-like number the gnulib way. `inherited` is the flag of an
/// enclosing `%D` or `%F`, used when this conversion has none of its own.
pub(super) fn push_year(
    out: &mut String,
    field: YearField,
    f: &Fields,
    width: Option<usize>,
    pad: Option<Pad>,
    inherited: Option<Pad>,
) {
    let Yearish {
        negative,
        magnitude,
        digits,
    } = field.gnulib(f);
    let pad = pad.or(inherited);
    // `+` signs a year too wide for its default width, or one given more
    // width than that.
    let limit = if digits == 2 { 99 } else { 9999 };
    let plus = pad == Some(Pad::Plus) && (magnitude > limit || width.is_some_and(|w| w > digits));
    let sign = if negative {
        Some('-')
    } else {
        plus.then_some('+')
    };
    let text = Digits::new(magnitude);
    push_number(
        out,
        sign,
        text.as_str(),
        digits,
        width,
        pad.unwrap_or(Pad::Zeros),
    );
}

/// A year-like number the glibc way (no flags reach glibc).
pub(super) fn push_glibc_year(out: &mut String, field: YearField, f: &Fields) {
    let (value, digits) = field.glibc(f);
    if value < 0 {
        out.push('-');
    }
    out.push_str(Digits::padded(value.unsigned_abs(), digits, b'0').as_str());
}

/// The decimal digits of a number (and, for offsets, colons), built right to
/// left in a stack buffer: no allocation and no `format!` on the hot path.
pub(super) struct Digits {
    buf: [u8; 32],
    start: usize,
}

impl Digits {
    /// At least one digit.
    pub(super) fn new(value: u64) -> Digits {
        Digits::padded(value, 1, b'0')
    }

    /// At least `min` characters (at most 32), `fill` on the left.
    pub(super) fn padded(mut value: u64, min: usize, fill: u8) -> Digits {
        let mut digits = Digits {
            buf: [fill; 32],
            start: 32,
        };
        loop {
            digits.start -= 1;
            digits.buf[digits.start] = b'0' + (value % 10) as u8;
            value /= 10;
            if value == 0 {
                break;
            }
        }
        // u64 has at most 20 digits, so `start` stays at 12 or more.
        digits.start = digits.start.min(32 - min.min(32));
        digits
    }

    /// gnulib's offset digits: a colon before the i-th digit from the right
    /// for each bit i of `mask`, and digits as far as the mask reaches.
    pub(super) fn with_colons(mut value: u64, mut mask: u32) -> Digits {
        let mut digits = Digits {
            buf: [0; 32],
            start: 32,
        };
        loop {
            if mask & 1 != 0 {
                digits.start -= 1;
                digits.buf[digits.start] = b':';
            }
            mask >>= 1;
            digits.start -= 1;
            digits.buf[digits.start] = b'0' + (value % 10) as u8;
            value /= 10;
            if value == 0 && mask == 0 {
                break;
            }
        }
        digits
    }

    pub(super) fn as_str(&self) -> &str {
        // Only ASCII digits, spaces and colons are ever stored.
        std::str::from_utf8(&self.buf[self.start..]).unwrap_or_default()
    }
}
