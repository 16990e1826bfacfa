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
//! # Files
//!
//! `spec.rs` the parsed form of a format; `parse.rs` reading it; `write.rs`
//! writing each conversion with GNU's padding and case rules; `numbers.rs`
//! the numbers (fields, ISO weeks, GNU's signed years) and their digits.
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
//! In what is rejected, and in one value. Where GNU prints a conversion back
//! (literally, padded to its width, or in part), this module refuses the
//! format with a [`FormatError`]. Precisely:
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
//! And `%s` is [`Fields::epoch`]: gnulib recomputes it from the broken-down
//! local time with `mktime`, which in a repeated hour (a DST overlap, or any
//! step back of a zone's clock with the same DST flag) can give the other
//! instant of that wall-clock time.
//!
//! Values GNU can never be given are printed without panicking: a weekday or
//! month out of range prints as `?` where a name is due, `nanos` above
//! 999,999,999 counts as 999,999,999, and years beyond GNU's `int` range print
//! in full. A NUL in the format is literal text (no command line can hold one;
//! GNU's C string would end there).

mod numbers;
mod parse;
mod spec;
mod write;

use std::fmt;
use std::str::FromStr;

use parse::{accepted_after, flush_literal, parse_conversion};
use spec::{Item, Piece, Problem};

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

#[cfg(test)]
mod tests;
