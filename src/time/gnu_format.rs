//! GNU `date +FORMAT`, byte for byte: the conversion language of GNU coreutils
//! `date` 9.x under `LC_ALL=C`, as a formatter that parses a format once and
//! then writes many instants cheaply.
//!
//! The caller breaks an instant down into [`Fields`] (civil date and time in
//! some zone, its UTC offset and abbreviation); [`Format::parse`] reads the
//! text after `date`'s `+`; [`Format::write`] appends what `date` would print
//! (without `date`'s trailing newline):
//!
//! ```
//! use epochwatch::time::gnu_format::{Fields, Format};
//!
//! let format = Format::parse("%a %Y-%m-%d %H:%M:%S %:z").unwrap();
//! let fields = Fields {
//!     epoch: 1_234_567_890, year: 2009, month: 2, day: 13,
//!     hour: 23, minute: 31, second: 30, nanos: 0,
//!     weekday: 5, yday: 43, utc_offset: 0, abbreviation: "UTC",
//! };
//! let mut out = String::new();
//! format.write(&fields, &mut out);
//! assert_eq!(out, "Fri 2009-02-13 23:31:30 +00:00");
//! ```
//!
//! # Where GNU's behaviour comes from
//!
//! `date` (coreutils 9.1) formats with gnulib's `nstrftime`, and gnulib hands
//! a few conversions to the C library's own `strftime` (glibc 2.36 here). The
//! two layers explain every oddity this module reproduces:
//!
//! - gnulib renders the numbers itself, with its flags (`-` none, `_` spaces,
//!   `0` zeros, `+` zeros and a sign on years that need one), a field width,
//!   and signed years (`%Y` of 1 BC is `0000`, of 2 BC `-001`; `%C` of 2 BC is
//!   `-0`; `%F` is `+10000-01-01` past 9999).
//! - glibc renders `%a %A %b %B %h %p %P %c %x %X %r`, the `E` forms `%Ec %EC
//!   %Ex %EX %Ey %EY`, and the `O` forms of the numbers (`%Od`, `%Oe`, `%OH`,
//!   …, `%Oz`). gnulib passes it the bare conversion, so glibc ignores the
//!   flags and prints its own way: `%-Od` is still `03`, `%EY` of year 5 is
//!   `5`, `%c` ends in a year that is never padded, and `%x` ends in the year
//!   modulo 100 (`99` for 2 BC, where `%D` says `01`). gnulib then pads glibc's
//!   text to the field width (with zeros for `0` and `+`, else spaces) and
//!   applies `^` and `#`.
//! - `%O` numbers go to glibc only when gnulib sees them as non-negative: `%OC`
//!   and `%OG` of negative years, and `%Oz` of negative offsets, are gnulib's.
//! - `date` itself rewrites exactly `%-N` to `%9N` (nine being the digits of
//!   the system clock's resolution on Linux) before formatting; every other
//!   `%N` with `-` (`%-3N`, `%--N`) or `_` drops or blanks trailing zeros.
//!
//! # Differences from GNU `date`
//!
//! Only in what is rejected: where GNU prints a conversion back literally,
//! this module refuses the format with a [`FormatError`]. Precisely:
//!
//! 1. An unknown conversion (`%Q`, `%i`, `%é`): GNU prints it back.
//! 2. An incomplete conversion at the end of the format (`%`, `%-`, `%5`,
//!    `%E`, `%_^`): GNU prints it back.
//! 3. `%%` with a flag, width or modifier (`%-%`, `%5%`, `%E%`): GNU prints
//!    the part before the second `%` back.
//! 4. `E` or `O` before a conversion that does not take it (`%Ed`, `%Oa`,
//!    `%OY`, `%EF`, …, and `%Oq`, which gnulib passes to glibc and glibc does
//!    not know): GNU prints it back. [`FormatError`] lists the letters that do
//!    take the modifier.
//! 5. `:` other than in `%:z`, `%::z`, `%:::z` (`%:y`, `%::::z`): GNU prints it
//!    back.
//! 6. `%O:z`, `%O::z`, `%O:::z`: GNU prints `%O:` and drops the `z` when the
//!    offset is positive or zero, and the offset when it is negative.
//! 7. A field width over [`MAX_WIDTH`] (4096): GNU accepts up to 2³¹−1 and
//!    writes that many bytes.
//! 8. `%-N` is always `%9N`; GNU's digit count follows the clock resolution of
//!    the machine it runs on (nine on Linux).
//!
//! Values GNU can never be given are printed without panicking: a weekday or
//! month out of range prints as `?` where a name is due, `nanos` above
//! 999,999,999 counts as 999,999,999, and years beyond GNU's `int` range print
//! in full. A NUL in the format is literal text (no command line can hold one;
//! GNU's C string would end there).

use std::fmt;
use std::str::FromStr;

/// The widest field width [`Format::parse`] accepts (`%4096Y` is fine,
/// `%4097Y` is an error), so that no format can make one conversion write
/// gigabytes of padding as GNU would.
pub const MAX_WIDTH: usize = 4096;

/// Everything a conversion can print, already computed by the caller for one
/// instant in one zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fields<'a> {
    /// Seconds since 1970-01-01T00:00:00Z (`%s`).
    pub epoch: i64,
    /// Proleptic Gregorian year, astronomical numbering (0 = 1 BC, -1 = 2 BC).
    pub year: i64,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, 1..=31.
    pub day: u8,
    /// Hour, 0..=23.
    pub hour: u8,
    /// Minute, 0..=59.
    pub minute: u8,
    /// Second, 0..=59 (60 is printed as given).
    pub second: u8,
    /// Nanoseconds within the second, 0..=999,999,999 (`%N`).
    pub nanos: u32,
    /// Day of the week, 0 = Sunday ..= 6 = Saturday.
    pub weekday: u8,
    /// Day of the year, 0-based (0 = January 1st).
    pub yday: u16,
    /// Offset from UTC in seconds east (`-12652` is -03:30:52).
    pub utc_offset: i32,
    /// The zone's abbreviation as the zone database spells it (`%Z`):
    /// `"EDT"`, `"+0545"`, `"LMT"`. One starting with `-` makes a zero offset
    /// print as `-0000`, as in GNU.
    pub abbreviation: &'a str,
}

/// A parsed `date +FORMAT` format, ready to be written for many instants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Format {
    items: Vec<Item>,
}

/// Why a format was refused: an unknown or incomplete conversion, or one that
/// GNU would only print back. Its message is one line whatever the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    problem: Problem,
    /// The offending conversion, from its `%`.
    conversion: String,
    /// Byte offset of the conversion's `%` in the format.
    position: usize,
    /// The whole format, to be echoed.
    format: String,
}

impl Format {
    /// Parses `format`, the text after `date`'s `+` (a leading `+` here is
    /// literal text, as it would be for GNU's `strftime`).
    ///
    /// # Errors
    ///
    /// A conversion that GNU does not accept (see the module documentation for
    /// the exact list), or a field width over [`MAX_WIDTH`].
    pub fn parse(format: &str) -> Result<Format, FormatError> {
        let mut items = Vec::new();
        let mut literal = String::new();
        let mut pos = 0;
        while let Some(found) = format[pos..].find('%') {
            let start = pos + found;
            literal.push_str(&format[pos..start]);
            let (piece, end) = parse_conversion(format, start)?;
            match piece {
                Piece::Text(text) => literal.push_str(text),
                Piece::Spec(spec) => {
                    flush_literal(&mut literal, &mut items);
                    items.push(Item::Spec(spec));
                }
            }
            pos = end;
        }
        literal.push_str(&format[pos..]);
        flush_literal(&mut literal, &mut items);
        Ok(Format { items })
    }

    /// Appends what `date +FORMAT` prints for `fields` (without the newline
    /// `date` adds after it).
    pub fn write(&self, fields: &Fields, out: &mut String) {
        for item in &self.items {
            match item {
                Item::Literal(text) => out.push_str(text),
                Item::Spec(spec) => spec.write(fields, out),
            }
        }
    }

    /// Returns what `date +FORMAT` prints for `fields`, as a new string.
    #[must_use]
    pub fn format(&self, fields: &Fields) -> String {
        let mut out = String::new();
        self.write(fields, &mut out);
        out
    }
}

impl FromStr for Format {
    type Err = FormatError;

    fn from_str(format: &str) -> Result<Format, FormatError> {
        Format::parse(format)
    }
}

impl FormatError {
    /// The offending conversion as written, from its `%` (e.g. `"%Q"`).
    #[must_use]
    pub fn conversion(&self) -> &str {
        &self.conversion
    }

    /// Byte offset of the offending conversion's `%` in the format.
    #[must_use]
    pub fn position(&self) -> usize {
        self.position
    }
}

/// What is said after every refused conversion.
const EXPECTED: &str =
    "expected a conversion as for GNU date, e.g. +%Y-%m-%dT%H:%M:%S%:z; use %% for a literal %";

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let conversion = escape(&self.conversion);
        let format = escape(&self.format);
        match self.problem {
            Problem::Incomplete => write!(
                f,
                "incomplete conversion \"{conversion}\" at the end of format \"+{format}\" ({EXPECTED})"
            ),
            Problem::WidthTooLarge => write!(
                f,
                "field width too large in conversion \"{conversion}\" in format \"+{format}\" \
                 (at most {MAX_WIDTH})"
            ),
            problem => {
                write!(
                    f,
                    "invalid conversion \"{conversion}\" in format \"+{format}\" ("
                )?;
                match problem {
                    Problem::Modifier(modifier) => {
                        let letter = modifier.letter();
                        write!(f, "GNU date takes %{letter} only before one of")?;
                        for conversion in accepted_after(modifier) {
                            write!(f, " {conversion}")?;
                        }
                        f.write_str("; ")?;
                    }
                    Problem::FlaggedPercent => {
                        f.write_str("%% takes no flag, width or modifier; ")?;
                    }
                    Problem::Colons => {
                        f.write_str("colons go only in %:z, %::z and %:::z; ")?;
                    }
                    Problem::AltColonOffset => {
                        f.write_str("%O does not combine with %:z, %::z or %:::z; ")?;
                    }
                    Problem::Unknown | Problem::Incomplete | Problem::WidthTooLarge => {}
                }
                write!(f, "{EXPECTED})")
            }
        }
    }
}

impl std::error::Error for FormatError {}

/// Escapes `text` for quoting in a one-line message: quotes, backslashes,
/// control characters and line separators come out as escapes (`\n`, `\"`,
/// `\u{2028}`), everything printable as itself.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            // `escape_debug` would write `\'`, needlessly inside "…".
            '\'' => escaped.push(c),
            _ => escaped.extend(c.escape_debug()),
        }
    }
    escaped
}

// ---------------------------------------------------------------------------
// The parsed representation
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// Text copied as is (including `%%`, and `%n`/`%t` without a width).
    Literal(Box<str>),
    Spec(Spec),
}

/// One conversion with its flags and width, resolved at parse time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Spec {
    conv: Conv,
    /// The last of the `_ - 0 +` flags, if any.
    pad: Option<Pad>,
    /// The field width, if given (at most [`MAX_WIDTH`]).
    width: Option<usize>,
    /// The case change `^` and `#` ask of this conversion's text.
    case: Case,
}

/// A padding flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pad {
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
enum Case {
    Keep,
    Upper,
    Lower,
}

/// The `E` and `O` modifiers ("alternative era" and "alternative digits",
/// which in the C locale change only who renders the field: see the module
/// documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Modifier {
    E,
    O,
}

impl Modifier {
    fn letter(self) -> char {
        match self {
            Modifier::E => 'E',
            Modifier::O => 'O',
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Conv {
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
enum Field {
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
enum YearField {
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
enum Piece<'f> {
    Text(&'f str),
    Spec(Spec),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    Unknown,
    Incomplete,
    Modifier(Modifier),
    FlaggedPercent,
    Colons,
    AltColonOffset,
    WidthTooLarge,
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

fn flush_literal(literal: &mut String, items: &mut Vec<Item>) {
    if !literal.is_empty() {
        items.push(Item::Literal(std::mem::take(literal).into_boxed_str()));
    }
}

/// Parses the conversion whose `%` is at byte `start`, in GNU's order: flags,
/// width, modifier, conversion. Returns it and the offset just past it.
fn parse_conversion(format: &str, start: usize) -> Result<(Piece<'_>, usize), FormatError> {
    let bytes = format.as_bytes();
    let error = |problem, end: usize| FormatError {
        problem,
        conversion: format[start..end].to_owned(),
        position: start,
        format: format.to_owned(),
    };
    // One past the character at `at` (the conversion characters are ASCII,
    // but an unknown one may not be).
    let char_end = |at: usize| at + format[at..].chars().next().map_or(0, char::len_utf8);

    let mut i = start + 1;
    let mut pad = None;
    let mut upper = false;
    let mut swap_case = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'_' => pad = Some(Pad::Spaces),
            b'-' => pad = Some(Pad::Omit),
            b'0' => pad = Some(Pad::Zeros),
            b'+' => pad = Some(Pad::Plus),
            b'^' => upper = true,
            b'#' => swap_case = true,
            _ => break,
        }
        i += 1;
    }
    let mut width: Option<usize> = None;
    while let Some(&b) = bytes.get(i)
        && b.is_ascii_digit()
    {
        let so_far = width.unwrap_or(0);
        width = Some(
            so_far
                .saturating_mul(10)
                .saturating_add(usize::from(b - b'0')),
        );
        i += 1;
    }
    let modifier = match bytes.get(i) {
        Some(b'E') => Some(Modifier::E),
        Some(b'O') => Some(Modifier::O),
        _ => None,
    };
    if modifier.is_some() {
        i += 1;
    }
    let Some(&c) = bytes.get(i) else {
        return Err(error(Problem::Incomplete, format.len()));
    };

    let (conv, end) = if c == b':' {
        let colons = bytes[i..].iter().take_while(|&&b| b == b':').count();
        let after = i + colons;
        match bytes.get(after) {
            None => return Err(error(Problem::Incomplete, format.len())),
            Some(b'z') if colons <= 3 => {
                if modifier == Some(Modifier::O) {
                    return Err(error(Problem::AltColonOffset, after + 1));
                }
                // At most three colons, so this never saturates.
                let colons = u8::try_from(colons).unwrap_or(u8::MAX);
                (Conv::Offset { colons }, after + 1)
            }
            Some(_) => return Err(error(Problem::Colons, char_end(after))),
        }
    } else {
        let end = char_end(i);
        if c == b'%' {
            // GNU takes `%%` only bare; `%-%` prints `%-` back.
            return if end == start + 2 {
                Ok((Piece::Text("%"), end))
            } else {
                Err(error(Problem::FlaggedPercent, end))
            };
        }
        match resolve(c, modifier) {
            Ok(conv) => (conv, end),
            Err(problem) => return Err(error(problem, end)),
        }
    };

    if width.is_some_and(|w| w > MAX_WIDTH) {
        return Err(error(Problem::WidthTooLarge, end));
    }
    // `date` itself turns exactly `%-N` into `%9N` (the clock's resolution).
    if &format[start..end] == "%-N" {
        pad = None;
        width = Some(9);
    }
    if let Conv::Char(c) = conv
        && width.is_none()
    {
        // Without a width, flags do nothing to `%n` and `%t`.
        let text = if c == '\n' { "\n" } else { "\t" };
        return Ok((Piece::Text(text), end));
    }
    let case = resolve_case(conv, c, upper, swap_case);
    Ok((
        Piece::Spec(Spec {
            conv,
            pad,
            width,
            case,
        }),
        end,
    ))
}

/// The conversion that `%` + modifier + `c` stands for in GNU date, or why GNU
/// would print it back instead.
fn resolve(c: u8, modifier: Option<Modifier>) -> Result<Conv, Problem> {
    use Modifier::{E, O};
    let number = |field| match modifier {
        None => Ok(Conv::Number(field)),
        Some(O) => Ok(Conv::AltNumber(field)),
        Some(E) => Err(Problem::Modifier(E)),
    };
    let bad = |modifier| Err(Problem::Modifier(modifier));
    match (c, modifier) {
        (b'a' | b'A', Some(m)) => bad(m),
        (b'a', None) => Ok(Conv::WeekdayName { full: false }),
        (b'A', None) => Ok(Conv::WeekdayName { full: true }),
        (b'b' | b'h' | b'B', Some(E)) => bad(E),
        // In the C locale the alternative (`O`) month names are the names.
        (b'b' | b'h', _) => Ok(Conv::MonthName { full: false }),
        (b'B', _) => Ok(Conv::MonthName { full: true }),
        (b'c' | b'x' | b'X', Some(O)) => bad(O),
        (b'c', _) => Ok(Conv::LocaleDateTime),
        (b'x', _) => Ok(Conv::LocaleDate),
        (b'X', _) => Ok(Conv::LocaleTime),
        (b'C', None) => Ok(Conv::Year(YearField::Century)),
        (b'C', Some(E)) => Ok(Conv::EraYear(YearField::Century)),
        (b'C', Some(O)) => Ok(Conv::AltYear(YearField::Century)),
        (b'Y', None) => Ok(Conv::Year(YearField::Year)),
        (b'Y', Some(E)) => Ok(Conv::EraYear(YearField::Year)),
        (b'Y', Some(O)) => bad(O),
        (b'y', None) => Ok(Conv::Year(YearField::YearOfCentury)),
        (b'y', Some(E)) => Ok(Conv::EraYear(YearField::YearOfCentury)),
        (b'y', Some(O)) => Ok(Conv::AltYear(YearField::YearOfCentury)),
        (b'G' | b'g', Some(E)) => bad(E),
        (b'G', None) => Ok(Conv::Year(YearField::IsoYear)),
        (b'G', Some(O)) => Ok(Conv::AltYear(YearField::IsoYear)),
        (b'g', None) => Ok(Conv::Year(YearField::IsoYearOfCentury)),
        (b'g', Some(O)) => Ok(Conv::AltYear(YearField::IsoYearOfCentury)),
        (b'D' | b'F', Some(m)) => bad(m),
        (b'D', None) => Ok(Conv::SlashDate),
        (b'F', None) => Ok(Conv::IsoDate),
        (b'd', _) => number(Field::Day),
        (b'e', _) => number(Field::DaySpaced),
        (b'H', _) => number(Field::Hour),
        (b'k', _) => number(Field::HourSpaced),
        (b'I', _) => number(Field::Hour12),
        (b'l', _) => number(Field::Hour12Spaced),
        (b'j', _) => number(Field::DayOfYear),
        (b'm', _) => number(Field::Month),
        (b'M', _) => number(Field::Minute),
        (b'S', _) => number(Field::Second),
        (b'U', _) => number(Field::WeekFromSunday),
        (b'W', _) => number(Field::WeekFromMonday),
        (b'V', _) => number(Field::IsoWeek),
        (b'w', _) => number(Field::WeekdayFromSunday),
        // gnulib checks no modifier on `%u`, so `%Eu` is `%u`.
        (b'u', Some(E)) => Ok(Conv::Number(Field::WeekdayFromMonday)),
        (b'u', _) => number(Field::WeekdayFromMonday),
        // `%Oq` reaches glibc, which knows no `%q` and prints it back.
        (b'q', Some(O)) => bad(O),
        (b'q', _) => Ok(Conv::Number(Field::Quarter)),
        (b'N', Some(E)) => bad(E),
        (b'N', _) => Ok(Conv::Nanos),
        (b'z', Some(O)) => Ok(Conv::AltOffset),
        (b'z', _) => Ok(Conv::Offset { colons: 0 }),
        // These take either modifier and ignore it.
        (b'n', _) => Ok(Conv::Char('\n')),
        (b't', _) => Ok(Conv::Char('\t')),
        (b'p' | b'P', _) => Ok(Conv::AmPm),
        (b'r', _) => Ok(Conv::LocaleTime12),
        (b'R', _) => Ok(Conv::HourMinute),
        (b'T', _) => Ok(Conv::HourMinuteSecond),
        (b's', _) => Ok(Conv::Epoch),
        (b'Z', _) => Ok(Conv::Zone),
        _ => Err(Problem::Unknown),
    }
}

/// The conversions GNU date accepts after `%E` or `%O`, for error messages.
fn accepted_after(modifier: Modifier) -> impl Iterator<Item = &'static str> {
    const CANDIDATES: [&str; 43] = [
        "a", "A", "b", "B", "c", "C", "d", "D", "e", "F", "g", "G", "h", "H", "I", "j", "k", "l",
        "m", "M", "n", "N", "p", "P", "q", "r", "R", "s", "S", "t", "T", "u", "U", "V", "w", "W",
        "x", "X", "y", "Y", "z", "Z", ":z",
    ];
    CANDIDATES.into_iter().filter(move |candidate| {
        let c = candidate.as_bytes()[candidate.len() - 1];
        let colons = candidate.len() > 1;
        resolve(c, Some(modifier)).is_ok() && !(colons && modifier == Modifier::O)
    })
}

/// The case change `^` (upper) and `#` (swap) ask of a conversion, as gnulib
/// decides it: `#` makes names upper case, but `%p` and `%Z` lower case, and
/// `%P` is always lower case.
fn resolve_case(conv: Conv, c: u8, upper: bool, swap_case: bool) -> Case {
    let lower = match conv {
        Conv::WeekdayName { .. } | Conv::MonthName { .. } => false,
        Conv::AmPm => c == b'P' || swap_case,
        Conv::Zone => swap_case,
        _ => false,
    };
    let upper =
        upper || (swap_case && matches!(conv, Conv::WeekdayName { .. } | Conv::MonthName { .. }));
    if lower {
        Case::Lower
    } else if upper {
        Case::Upper
    } else {
        Case::Keep
    }
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

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
    fn write(&self, f: &Fields, out: &mut String) {
        let Spec {
            conv,
            pad,
            width,
            case,
        } = *self;
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

fn hour12(f: &Fields) -> u64 {
    match f.hour {
        0 => 12,
        h if h > 12 => u64::from(h - 12),
        h => u64::from(h),
    }
}

impl Field {
    /// The value as gnulib computes it from `struct tm` (C integer
    /// arithmetic, so garbage in gives the same garbage out as GNU).
    fn value(self, f: &Fields) -> i64 {
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
    fn digits(self) -> usize {
        match self {
            Field::DayOfYear => 3,
            Field::WeekdayFromMonday | Field::WeekdayFromSunday | Field::Quarter => 1,
            _ => 2,
        }
    }

    /// Padded with spaces by default (`%e %k %l`), not zeros.
    fn space_padded(self) -> bool {
        matches!(
            self,
            Field::DaySpaced | Field::HourSpaced | Field::Hour12Spaced
        )
    }
}

/// A plain number the gnulib way.
fn push_field(out: &mut String, field: Field, value: i64, width: Option<usize>, pad: Option<Pad>) {
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
struct IsoWeek {
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
struct Yearish {
    negative: bool,
    magnitude: u64,
    /// The default width: 2 or 4.
    digits: usize,
}

impl YearField {
    /// The number gnulib prints, with gnulib's signs: `%C` and `%Y` and `%G`
    /// of negative years are negative (`%C` of 1 BC is `00`, of 2 BC `-0`),
    /// `%y` and `%g` never.
    fn gnulib(self, f: &Fields) -> Yearish {
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
    fn glibc(self, f: &Fields) -> (i64, usize) {
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
fn push_year(
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
fn push_glibc_year(out: &mut String, field: YearField, f: &Fields) {
    let (value, digits) = field.glibc(f);
    if value < 0 {
        out.push('-');
    }
    out.push_str(Digits::padded(value.unsigned_abs(), digits, b'0').as_str());
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
fn push_number(
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

/// The decimal digits of a number (and, for offsets, colons), built right to
/// left in a stack buffer: no allocation and no `format!` on the hot path.
struct Digits {
    buf: [u8; 32],
    start: usize,
}

impl Digits {
    /// At least one digit.
    fn new(value: u64) -> Digits {
        Digits::padded(value, 1, b'0')
    }

    /// At least `min` characters (at most 32), `fill` on the left.
    fn padded(mut value: u64, min: usize, fill: u8) -> Digits {
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
    fn with_colons(mut value: u64, mut mask: u32) -> Digits {
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

    fn as_str(&self) -> &str {
        // Only ASCII digits, spaces and colons are ever stored.
        std::str::from_utf8(&self.buf[self.start..]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
        let (m, d) = (i64::from(month), i64::from(day));
        let y = if m <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
        era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }

    /// The fields of a UTC date and time.
    fn at(year: i64, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Fields<'static> {
        let days = days_from_civil(year, month, day);
        let seconds = i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
        Fields {
            epoch: days * 86_400 + seconds,
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos: 0,
            weekday: (days + 4).rem_euclid(7) as u8,
            yday: (days - days_from_civil(year, 1, 1)) as u16,
            utc_offset: 0,
            abbreviation: "UTC",
        }
    }

    /// 2023-11-14 22:13:20.12 UTC, a Tuesday: epoch 1,700,000,000.
    fn sample() -> Fields<'static> {
        Fields {
            nanos: 120_000_000,
            ..at(2023, 11, 14, 22, 13, 20)
        }
    }

    /// 2024-03-05 07:08:09 UTC: small numbers, to see padding.
    fn morning() -> Fields<'static> {
        Fields {
            nanos: 5,
            ..at(2024, 3, 5, 7, 8, 9)
        }
    }

    fn with_offset(
        fields: Fields<'static>,
        utc_offset: i32,
        abbreviation: &'static str,
    ) -> Fields<'static> {
        Fields {
            utc_offset,
            abbreviation,
            ..fields
        }
    }

    fn fmt(format: &str, fields: &Fields) -> String {
        match Format::parse(format) {
            Ok(parsed) => parsed.format(fields),
            Err(e) => panic!("{format:?} refused: {e}"),
        }
    }

    /// Checks `(format, expected)` pairs for one instant.
    fn check(fields: &Fields, cases: &[(&str, &str)]) {
        for &(format, expected) in cases {
            assert_eq!(fmt(format, fields), expected, "format {format:?}");
        }
    }

    fn error(format: &str) -> FormatError {
        match Format::parse(format) {
            Ok(_) => panic!("{format:?} accepted"),
            Err(e) => e,
        }
    }

    #[test]
    fn every_plain_conversion() {
        check(
            &sample(),
            &[
                ("%a", "Tue"),
                ("%A", "Tuesday"),
                ("%b", "Nov"),
                ("%B", "November"),
                ("%h", "Nov"),
                ("%c", "Tue Nov 14 22:13:20 2023"),
                ("%C", "20"),
                ("%d", "14"),
                ("%D", "11/14/23"),
                ("%e", "14"),
                ("%F", "2023-11-14"),
                ("%g", "23"),
                ("%G", "2023"),
                ("%H", "22"),
                ("%I", "10"),
                ("%j", "318"),
                ("%k", "22"),
                ("%l", "10"),
                ("%m", "11"),
                ("%M", "13"),
                ("%n", "\n"),
                ("%N", "120000000"),
                ("%p", "PM"),
                ("%P", "pm"),
                ("%q", "4"),
                ("%r", "10:13:20 PM"),
                ("%R", "22:13"),
                ("%s", "1700000000"),
                ("%S", "20"),
                ("%t", "\t"),
                ("%T", "22:13:20"),
                ("%u", "2"),
                ("%U", "46"),
                ("%V", "46"),
                ("%w", "2"),
                ("%W", "46"),
                ("%x", "11/14/23"),
                ("%X", "22:13:20"),
                ("%y", "23"),
                ("%Y", "2023"),
                ("%z", "+0000"),
                ("%:z", "+00:00"),
                ("%::z", "+00:00:00"),
                ("%:::z", "+00"),
                ("%Z", "UTC"),
                ("%%", "%"),
            ],
        );
    }

    #[test]
    fn small_values_and_their_default_padding() {
        check(
            &morning(),
            &[
                (
                    "%d %e %H %k %I %l %j %m %M %S",
                    "05  5 07  7 07  7 065 03 08 09",
                ),
                ("%u %w %U %W %V %q %p %r", "2 2 09 10 10 1 AM 07:08:09 AM"),
                ("%c", "Tue Mar  5 07:08:09 2024"),
                ("%N", "000000005"),
                ("%I %l %p", "07  7 AM"),
            ],
        );
        check(
            &at(2024, 1, 1, 0, 0, 0),
            &[("%I %l %p %H %k", "12 12 AM 00  0")],
        );
        check(&at(2024, 1, 1, 12, 0, 0), &[("%I %l %p", "12 12 PM")]);
    }

    #[test]
    fn padding_flags_on_numbers() {
        check(
            &morning(),
            &[
                ("%-d|%_d|%0d|%+d", "5| 5|05|05"),
                ("%-e|%_e|%0e|%+e", "5| 5|05|05"),
                (
                    "%5d|%_5d|%-5d|%+5d|%05e|%5e",
                    "00005|    5|5|00005|00005|    5",
                ),
                ("%-j|%_j|%_5j|%2j", "65| 65|   65|65"),
                ("%-k|%0k|%-l|%0l", "7|07|7|07"),
                // The last padding flag wins; case flags mean nothing here.
                ("%-_d|%_-d|%0_d|%^#d", " 5|5| 5|05"),
            ],
        );
    }

    #[test]
    fn epoch_seconds() {
        let before = Fields {
            epoch: -5,
            ..sample()
        };
        check(
            &before,
            &[(
                "%s|%_5s|%05s|%-5s|%5s|%+5s",
                "-5|   -5|-0005|-5|-0005|-0005",
            )],
        );
        check(
            &sample(),
            &[(
                "%012s|%_12s|%Es|%Os",
                "001700000000|  1700000000|1700000000|1700000000",
            )],
        );
    }

    #[test]
    fn case_flags() {
        check(
            &sample(),
            &[
                ("%^a|%#a|%^A|%#A", "TUE|TUE|TUESDAY|TUESDAY"),
                ("%^b|%#b|%^B|%#h", "NOV|NOV|NOVEMBER|NOV"),
                // `#` lowers %p and %Z; %P is lower case whatever else.
                ("%p|%#p|%^p|%^#p|%P|%^P|%#P", "PM|pm|PM|pm|pm|pm|pm"),
                ("%Z|%^Z|%#Z|%^#Z", "UTC|UTC|utc|utc"),
                (
                    "%^c|%#c",
                    "TUE NOV 14 22:13:20 2023|Tue Nov 14 22:13:20 2023",
                ),
                ("%^r|%#r", "10:13:20 PM|10:13:20 PM"),
            ],
        );
        check(&with_offset(sample(), 0, "Lmt"), &[("%^Z|%#Z", "LMT|lmt")]);
    }

    #[test]
    fn widths_on_text() {
        check(
            &sample(),
            &[
                (
                    "%10a|%010a|%-10a|%_10a|%+10a|%2a",
                    "       Tue|0000000Tue|Tue|       Tue|0000000Tue|Tue",
                ),
                ("%10Z|%-10Z|%^010Z", "       UTC|UTC|0000000UTC"),
                ("%5p|%#5p", "   PM|   pm"),
                ("%3n|%-3n|%03t", "  \n|\n|00\t"),
                ("%26c", "  Tue Nov 14 22:13:20 2023"),
                ("%10x|%010X|%-12r", "  11/14/23|0022:13:20|10:13:20 PM"),
            ],
        );
    }

    #[test]
    fn subformats_and_their_flags() {
        check(
            &sample(),
            &[
                (
                    "%10D|%010D|%-10D|%3D",
                    "  11/14/23|0011/14/23|11/14/23|11/14/23",
                ),
                (
                    "%8R|%08R|%10T|%_10T",
                    "   22:13|00022:13|  22:13:20|  22:13:20",
                ),
                (
                    "%12F|%+12F|%_12F|%-12F|%9F",
                    "002023-11-14|+02023-11-14|  2023-11-14|2023-11-14|2023-11-14",
                ),
            ],
        );
        // `%D` passes its flag to its `%y`, `%F` to its `%Y`.
        check(
            &at(2005, 4, 19, 9, 46, 40),
            &[
                (
                    "%D|%-D|%_D|%0D|%+D",
                    "04/19/05|04/19/5|04/19/ 5|04/19/05|04/19/05",
                ),
                (
                    "%F|%-F|%_F|%0F|%+F",
                    "2005-04-19|2005-04-19|2005-04-19|2005-04-19|2005-04-19",
                ),
            ],
        );
        check(
            &at(5, 4, 19, 9, 46, 40),
            &[(
                "%F|%-F|%_F|%+F|%10F|%11F|%_11F",
                "0005-04-19|5-04-19|5-04-19|5-04-19|0005-04-19|00005-04-19|    5-04-19",
            )],
        );
    }

    #[test]
    fn years_beyond_9999() {
        check(
            &at(10_000, 1, 1, 0, 0, 0),
            &[
                ("%Y|%C|%y|%G|%g|%V", "10000|100|00|9999|99|52"),
                ("%F|%D|%x", "+10000-01-01|01/01/00|01/01/00"),
                ("%c", "Sat Jan  1 00:00:00 10000"),
                (
                    "%+Y|%+C|%+y|%_Y|%-F|%+F|%10F",
                    "+10000|+100|00|10000|10000-01-01|+10000-01-01|10000-01-01",
                ),
            ],
        );
        check(
            &at(262_000, 6, 30, 0, 0, 0),
            &[("%Y|%C|%F|%EY", "262000|2620|+262000-06-30|262000")],
        );
    }

    #[test]
    fn the_plus_flag_signs_wide_years() {
        check(
            &sample(),
            &[(
                "%+Y|%+4Y|%+5Y|%+6Y|%+2C|%+3C|%+3y|%+G|%+6G",
                "2023|2023|+2023|+02023|20|+20|+23|2023|+02023",
            )],
        );
    }

    #[test]
    fn years_zero_and_negative() {
        // Year 0 is 1 BC.
        check(
            &at(0, 1, 1, 0, 0, 0),
            &[(
                "%Y|%C|%y|%G|%g|%F|%D|%x|%EY|%EC|%OC|%Oy",
                "0000|00|00|-001|01|0000-01-01|01/01/00|01/01/00|0|0|0|00",
            )],
        );
        // Year -1 is 2 BC: gnulib truncates %C toward zero and keeps the sign
        // ("-0"); glibc's %EC floors (-1) and its %x year is -1 mod 100.
        check(
            &at(-1, 1, 1, 0, 0, 0),
            &[
                (
                    "%Y|%C|%y|%G|%g|%F|%D|%x",
                    "-001|-0|01|-002|02|-001-01-01|01/01/01|01/01/99",
                ),
                (
                    "%c|%EY|%EC|%Ey|%OC|%Oy|%OG|%Og",
                    "Fri Jan  1 00:00:00 -1|-1|-1|99|-0|99|-002|98",
                ),
                (
                    "%_Y|%-Y|%_6Y|%06Y|%+Y|%-C|%_3C",
                    "  -1|-1|    -1|-00001|-001|-0| -0",
                ),
            ],
        );
        check(
            &at(-251_540, 2, 3, 9, 46, 40),
            &[(
                "%Y|%C|%y|%F|%x|%EC|%Ey|%OC|%Oy",
                "-251540|-2515|40|-251540-02-03|02/03/60|-2516|60|-2515|60",
            )],
        );
        check(
            &at(-100, 6, 1, 0, 0, 0),
            &[("%C|%EC|%y|%Ey", "-1|-1|00|00")],
        );
        check(
            &at(-101, 6, 1, 0, 0, 0),
            &[("%C|%EC|%y|%Ey", "-1|-2|01|99")],
        );
    }

    #[test]
    fn iso_week_years_at_year_boundaries() {
        // 2021-01-01 is a Friday of 2020's week 53.
        check(
            &at(2021, 1, 1, 0, 0, 0),
            &[("%G|%g|%V|%U|%W|%j", "2020|20|53|00|00|001")],
        );
        // 2024-12-30 is the Monday of 2025's week 1.
        check(
            &at(2024, 12, 30, 0, 0, 0),
            &[("%G|%g|%V|%U|%W", "2025|25|01|52|53")],
        );
        // 2026-01-01, a Thursday, begins 2026's week 1.
        check(&at(2026, 1, 1, 0, 0, 0), &[("%G|%V", "2026|01")]);
        // In -200 (a Monday, Dec 29th) the ISO year is -199, and gnulib's
        // arithmetic makes %g 01, not 99; glibc's %Og says 01 too (-199 mod 100).
        check(
            &at(-200, 12, 29, 0, 0, 0),
            &[("%G|%g|%V|%OG|%Og", "-199|01|01|-199|01")],
        );
    }

    #[test]
    fn nanoseconds() {
        check(
            &sample(),
            &[
                (
                    "%N|%3N|%1N|%12N|%012N|%_12N",
                    "120000000|120|1|120000000000|120000000000|12          ",
                ),
                // `date` makes exactly `%-N` into `%9N`; other `-` and `_`
                // drop or blank trailing zeros.
                (
                    "%-N|%--N|%0-N|%-3N|%_3N|%_N|%-9N",
                    "120000000|12|12|12|12 |12       |12",
                ),
                ("%ON|%+N|%^N", "120000000|120000000|120000000"),
            ],
        );
        check(
            &Fields {
                nanos: 0,
                ..sample()
            },
            &[("%N|%3N|%-3N|%_3N|%-N", "000000000|000|0|0  |000000000")],
        );
        check(
            &Fields {
                nanos: 999_999_999,
                ..sample()
            },
            &[("%N|%3N|%-N", "999999999|999|999999999")],
        );
        check(
            &Fields {
                nanos: u32::MAX,
                ..sample()
            },
            &[("%N", "999999999")],
        );
    }

    #[test]
    fn offsets_with_seconds_and_minutes() {
        let west = with_offset(sample(), -12_652, "XYZ");
        check(
            &west,
            &[
                ("%z|%:z|%::z|%:::z", "-0330|-03:30|-03:30:52|-03:30:52"),
                (
                    "%-z|%_z|%10z|%_10:z|%-::z",
                    "-330| -330|-000000330|     -3:30|-3:30:52",
                ),
                (
                    "%Oz|%-Oz|%10Oz|%Ez|%E:z",
                    "-0330|-330|-000000330|-0330|-03:30",
                ),
            ],
        );
        let east = with_offset(sample(), 20_700, "+0545");
        check(
            &east,
            &[
                (
                    "%z|%:z|%::z|%:::z|%Z",
                    "+0545|+05:45|+05:45:00|+05:45|+0545",
                ),
                // glibc renders %Oz when the offset is not negative: flags
                // are lost, the width kept (with spaces).
                (
                    "%-z|%_z|%Oz|%-Oz|%10Oz|%010Oz",
                    "+545| +545|+0545|+0545|     +0545|00000+0545",
                ),
            ],
        );
        check(
            &with_offset(sample(), 5 * 3600, "E5"),
            &[("%:::z|%-:::z|%_5:::z", "+05|+5|   +5")],
        );
        check(
            &with_offset(sample(), 14 * 3600, "+14"),
            &[("%z|%-z", "+1400|+1400")],
        );
        check(
            &with_offset(sample(), -30, "NEG"),
            &[("%z|%:z|%::z|%:::z", "-0000|-00:00|-00:00:30|-00:00:30")],
        );
        check(
            &sample(),
            &[("%-z|%_z|%-:z|%-::z", "+0|   +0|+0:00|+0:00:00")],
        );
        // A zero offset prints as -0000 in a zone abbreviated "-00".
        check(
            &with_offset(sample(), 0, "-00"),
            &[("%z|%:::z|%Oz|%Z", "-0000|-00|-0000|-00")],
        );
    }

    #[test]
    fn the_o_modifier_is_glibc_digits_without_flags() {
        check(
            &morning(),
            &[
                (
                    "%Od|%-Od|%_Od|%_3Od|%3Od|%03Od|%-3Od",
                    "05|05|05| 05| 05|005|05",
                ),
                ("%Oe|%-Oe|%0Oe|%_4Oe|%04Oe", " 5| 5| 5|   5|00 5"),
                (
                    "%OH|%OI|%Ok|%Ol|%Oj|%Om|%OM|%OS",
                    "07|07| 7| 7|065|03|08|09",
                ),
                (
                    "%Ou|%Ow|%OU|%OW|%OV|%Oy|%OC|%OG|%Og",
                    "2|2|09|10|10|24|20|2024|24",
                ),
                ("%Ob|%OB|%Oh|%^Ob", "Mar|March|Mar|MAR"),
                (
                    "%Op|%OP|%Or|%OR|%OT|%On|%Ot|%OZ|%Os",
                    "AM|am|07:08:09 AM|07:08|07:08:09|\n|\t|UTC|1709622489",
                ),
            ],
        );
        check(
            &at(5, 4, 19, 0, 0, 0),
            &[("%OC|%C|%OG|%G|%-OG|%6OG", "0|00|5|0005|5|     5")],
        );
    }

    #[test]
    fn the_e_modifier() {
        check(
            &at(5, 4, 19, 9, 46, 40),
            &[
                (
                    "%Ec|%Ex|%EX|%EC|%Ey|%EY",
                    "Tue Apr 19 09:46:40 5|04/19/05|09:46:40|0|05|5",
                ),
                (
                    "%-EY|%_5EY|%05EY|%^Ec",
                    "5|    5|00005|TUE APR 19 09:46:40 5",
                ),
                (
                    "%Eu|%Eq|%Es|%EZ|%Ez|%En|%Et|%Ep|%EP|%Er|%ER|%ET",
                    "2|2|-62000000000|UTC|+0000|\n|\t|AM|am|09:46:40 AM|09:46|09:46:40",
                ),
            ],
        );
    }

    #[test]
    fn literal_text_is_copied_byte_for_byte() {
        check(
            &sample(),
            &[
                ("", ""),
                ("plain", "plain"),
                ("é%Y日本 🕰", "é2023日本 🕰"),
                ("100%% %%Y %%%Y", "100% %Y %2023"),
                ("a\nb\tc\\d\"e", "a\nb\tc\\d\"e"),
                ("+%Y", "+2023"),
            ],
        );
    }

    #[test]
    fn write_appends_and_a_format_is_reusable() {
        let format = Format::parse("%a %Y-%m-%d %H:%M:%S %z").unwrap();
        let mut out = String::from(">");
        format.write(&sample(), &mut out);
        out.push('|');
        format.write(&morning(), &mut out);
        assert_eq!(
            out,
            ">Tue 2023-11-14 22:13:20 +0000|Tue 2024-03-05 07:08:09 +0000"
        );
        assert_eq!("%Y".parse::<Format>().unwrap().format(&sample()), "2023");
    }

    #[test]
    fn widths_up_to_the_limit() {
        let padded = fmt(&format!("%{MAX_WIDTH}Y"), &sample());
        assert_eq!(padded.len(), MAX_WIDTH);
        assert!(padded.ends_with("2023") && padded.starts_with("000"));
        assert_eq!(fmt("%_100Z", &sample()).trim_start(), "UTC");
        let e = error(&format!("%{}Y", MAX_WIDTH + 1));
        assert!(
            e.to_string()
                .starts_with("field width too large in conversion \"%4097Y\""),
            "{e}"
        );
        let e = error("%99999999999999999999999999d");
        assert!(e.to_string().contains("at most 4096"), "{e}");
    }

    #[test]
    fn the_documented_error_message() {
        assert_eq!(
            error("%Q").to_string(),
            "invalid conversion \"%Q\" in format \"+%Q\" (expected a conversion as for GNU date, \
             e.g. +%Y-%m-%dT%H:%M:%S%:z; use %% for a literal %)"
        );
        let e = error("%Y-%m-%Q!");
        assert_eq!((e.conversion(), e.position()), ("%Q", 6));
    }

    #[test]
    fn what_gnu_only_prints_back_is_an_error() {
        let cases: &[(&str, &str, &str)] = &[
            // (format, conversion named, words the message must hold)
            ("%Q", "%Q", "invalid conversion"),
            ("%i", "%i", "invalid conversion"),
            ("x%é", "%é", "invalid conversion"),
            ("%", "%", "incomplete conversion \"%\" at the end"),
            ("%Y%-", "%-", "incomplete conversion"),
            ("%5", "%5", "incomplete conversion"),
            ("%E", "%E", "incomplete conversion"),
            ("%_^", "%_^", "incomplete conversion"),
            ("%-%", "%-%", "%% takes no flag"),
            ("%5%", "%5%", "%% takes no flag"),
            ("%E%", "%E%", "%% takes no flag"),
            (
                "%Ed",
                "%Ed",
                "%E only before one of c C n p P q r R s t T u x X y Y z Z :z",
            ),
            (
                "%Oa",
                "%Oa",
                "%O only before one of b B C d e g G h H I j k l m M n N p P r R s S t T u U V w W y z Z;",
            ),
            ("%OY", "%OY", "%O only before"),
            ("%EF", "%EF", "%E only before"),
            ("%OD", "%OD", "%O only before"),
            ("%Oq", "%Oq", "%O only before"),
            ("%EN", "%EN", "%E only before"),
            ("%Ex%Oc", "%Oc", "%O only before"),
            ("%O:z", "%O:z", "%O does not combine"),
            ("%_O::z", "%_O::z", "%O does not combine"),
            ("%:y", "%:y", "colons go only in"),
            ("%::::z", "%::::z", "colons go only in"),
            ("%:", "%:", "incomplete conversion"),
            ("%::é", "%::é", "colons go only in"),
        ];
        for &(format, conversion, words) in cases {
            let e = error(format);
            assert_eq!(e.conversion(), conversion, "{format:?}");
            let message = e.to_string();
            assert!(message.contains(words), "{format:?}: {message}");
            assert!(
                message.contains(&format!("\"{conversion}\"")),
                "{format:?}: {message}"
            );
        }
    }

    #[test]
    fn error_messages_stay_on_one_line() {
        for format in [
            "a\nb%Q",
            "\r%Q",
            "%\n",
            "x\u{2028}y\u{85}z\u{1b}%",
            "say \"hi\" \\ %Q",
            "%\t",
        ] {
            let message = error(format).to_string();
            assert!(
                !message.chars().any(|c| c.is_control() || c == '\u{2028}'),
                "{message:?}"
            );
        }
        let message = error("a\nb\t\"%Q").to_string();
        assert!(message.contains(r#"in format "+a\nb\t\"%Q""#), "{message}");
        let message = error("%\n").to_string();
        assert!(
            message.starts_with(r#"invalid conversion "%\n""#),
            "{message}"
        );
    }

    #[test]
    fn modifiers_listed_in_messages_are_exactly_those_accepted() {
        for modifier in [Modifier::E, Modifier::O] {
            let listed: Vec<&str> = accepted_after(modifier).collect();
            for c in (b'!'..=b'~').map(char::from) {
                let format = format!("%{}{c}", modifier.letter());
                let accepted = Format::parse(&format).is_ok();
                assert_eq!(
                    accepted,
                    listed.contains(&c.to_string().as_str()),
                    "{format}"
                );
            }
            let colon = Format::parse(&format!("%{}:z", modifier.letter())).is_ok();
            assert_eq!(colon, listed.contains(&":z"));
        }
    }

    #[test]
    fn garbage_fields_never_panic() {
        let conversions = "aAbBcCdDeFgGhHIjklmMnNpPqrRsStTuUVwWxXyYzZ";
        let mut formats = Vec::new();
        for prefix in ["", "-", "_", "0", "+", "^#", "+40", "_40", "-40"] {
            for modifier in ["", "E", "O"] {
                for c in conversions.chars() {
                    formats.push(format!("%{prefix}{modifier}{c}"));
                }
                for colons in [":", "::", ":::"] {
                    formats.push(format!("%{prefix}{modifier}{colons}z"));
                }
            }
        }
        let formats: Vec<Format> = formats
            .iter()
            .filter_map(|f| Format::parse(f).ok())
            .collect();
        assert!(formats.len() > 600, "{}", formats.len());
        let extremes = [
            Fields {
                epoch: i64::MIN,
                year: i64::MIN,
                month: 0,
                day: 0,
                hour: 255,
                minute: 255,
                second: 255,
                nanos: u32::MAX,
                weekday: 255,
                yday: u16::MAX,
                utc_offset: i32::MIN,
                abbreviation: "",
            },
            Fields {
                epoch: i64::MAX,
                year: i64::MAX,
                month: 13,
                weekday: 7,
                yday: 400,
                utc_offset: i32::MAX,
                abbreviation: "-é",
                ..sample()
            },
            Fields {
                year: i64::MIN + 1,
                month: 255,
                utc_offset: 0,
                abbreviation: "-",
                ..sample()
            },
        ];
        let mut out = String::new();
        for fields in &extremes {
            for format in &formats {
                out.clear();
                format.write(fields, &mut out);
            }
        }
        check(
            &extremes[1],
            &[("%a|%b|%B|%c", "?|?|?|? ? 14 22:13:20 9223372036854775807")],
        );
    }
}
