//! The parsed form of a format: literal text and conversions, each with
//! its flags, width and case change resolved once at parse time.

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Item {
    /// Text copied as is (including `%%`, and `%n`/`%t` without a width).
    Literal(Box<str>),
    Spec(Spec),
}

/// One conversion with its flags and width, resolved at parse time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Spec {
    pub(super) conv: Conv,
    /// The last of the `_ - 0 +` flags, if any.
    pub(super) pad: Option<Pad>,
    /// The field width, if given (at most [`MAX_WIDTH`]).
    pub(super) width: Option<usize>,
    /// The case change `^` and `#` ask of this conversion's text.
    pub(super) case: Case,
}

/// A padding flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pad {
    /// `_`: pad with spaces.
    Spaces,
    /// `-`: do not pad.
    Omit,
    /// `0`: pad with zeros.
    Zeros,
    /// `+`: pad with zeros, and give years that need it a `+`.
    Plus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Case {
    Keep,
    Upper,
    Lower,
}

/// The `E` and `O` modifiers ("alternative era" and "alternative digits",
/// which in the C locale change only who renders the field: see the module
/// documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Modifier {
    E,
    O,
}

impl Modifier {
    pub(super) fn letter(self) -> char {
        match self {
            Modifier::E => 'E',
            Modifier::O => 'O',
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Conv {
    /// `%a` (`full: false`), `%A`.
    WeekdayName { full: bool },
    /// `%b` `%h` `%Ob` (`full: false`), `%B` `%OB`.
    MonthName { full: bool },
    /// `%p`, `%P` (the latter with [`Case::Lower`]).
    AmPm,
    /// `%Z`.
    Zone,
    /// `%n` or `%t` with a width.
    Char(char),
    /// `%s`.
    Epoch,
    /// `%N`.
    Nanos,
    /// A number rendered by gnulib: `%d`, `%e`, `%H`, ….
    Number(Field),
    /// A number rendered by glibc when non-negative: `%Od`, `%Oe`, ….
    AltNumber(Field),
    /// A year-like number rendered by gnulib: `%C`, `%Y`, `%y`, `%G`, `%g`.
    Year(YearField),
    /// `%OC`, `%Oy`, `%OG`, `%Og`: by glibc when gnulib sees them as
    /// non-negative, else as [`Conv::Year`].
    AltYear(YearField),
    /// `%EC`, `%Ey`, `%EY`: always by glibc.
    EraYear(YearField),
    /// `%z` (0 colons), `%:z`, `%::z`, `%:::z`.
    Offset { colons: u8 },
    /// `%Oz`: glibc's `+hhmm` when non-negative, else as `%z`.
    AltOffset,
    /// `%c`, by glibc: `%a %b %e %H:%M:%S %Y`, its year unpadded.
    LocaleDateTime,
    /// `%x`, by glibc: `%m/%d/%y`, its year modulo 100.
    LocaleDate,
    /// `%X`, by glibc: `%H:%M:%S`.
    LocaleTime,
    /// `%r`, by glibc: `%I:%M:%S %p`.
    LocaleTime12,
    /// `%D`: gnulib's `%m/%d/%y`, its flag passed on to `%y`.
    SlashDate,
    /// `%F`: gnulib's `%+4Y-%m-%d`, its flag and width passed on to `%Y`.
    IsoDate,
    /// `%R`: `%H:%M`.
    HourMinute,
    /// `%T`: `%H:%M:%S`.
    HourMinuteSecond,
}

/// The plain numeric fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    /// `%d`
    Day,
    /// `%e`
    DaySpaced,
    /// `%H`
    Hour,
    /// `%k`
    HourSpaced,
    /// `%I`
    Hour12,
    /// `%l`
    Hour12Spaced,
    /// `%j`
    DayOfYear,
    /// `%m`
    Month,
    /// `%M`
    Minute,
    /// `%S`
    Second,
    /// `%u`: 1 = Monday ..= 7 = Sunday.
    WeekdayFromMonday,
    /// `%w`: 0 = Sunday ..= 6.
    WeekdayFromSunday,
    /// `%U`: weeks starting on Sunday.
    WeekFromSunday,
    /// `%W`: weeks starting on Monday.
    WeekFromMonday,
    /// `%V`: ISO 8601 week.
    IsoWeek,
    /// `%q`: quarter.
    Quarter,
}

/// The year-like numeric fields, which GNU signs and pads its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum YearField {
    /// `%C`
    Century,
    /// `%Y`
    Year,
    /// `%y`
    YearOfCentury,
    /// `%G`
    IsoYear,
    /// `%g`
    IsoYearOfCentury,
}

/// What the parser makes of one `%…`.
pub(super) enum Piece<'f> {
    Text(&'f str),
    Spec(Spec),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Problem {
    Unknown,
    Incomplete,
    Modifier(Modifier),
    FlaggedPercent,
    Colons,
    AltColonOffset,
    WidthTooLarge,
}
