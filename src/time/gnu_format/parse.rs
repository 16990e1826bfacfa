//! Reading a format: each conversion in GNU's order (flags, width,
//! modifier, conversion), or the reason GNU would only print it back.

use super::spec::{Case, Conv, Field, Item, Modifier, Pad, Piece, Problem, Spec, YearField};
use super::{FormatError, MAX_WIDTH};

pub(super) fn flush_literal(literal: &mut String, items: &mut Vec<Item>) {
    if !literal.is_empty() {
        items.push(Item::Literal(std::mem::take(literal).into_boxed_str()));
    }
}

/// Parses the conversion whose `%` is at byte `start`, in GNU's order: flags,
/// width, modifier, conversion. Returns it and the offset just past it.
pub(super) fn parse_conversion(
    format: &str,
    start: usize,
) -> Result<(Piece<'_>, usize), FormatError> {
    let bytes = format.as_bytes();
    let error = |problem, end: usize| FormatError {
        problem,
        conversion: format[start..end].to_owned(),
        position: start,
        format: format.to_owned(),
    };
    let Prefix {
        mut pad,
        upper,
        swap_case,
        mut width,
        modifier,
        end: i,
    } = prefix(bytes, start + 1);
    let (conv, end) = match letter(format, start, i, modifier) {
        Ok(Letter::Conv(conv, end)) => (conv, end),
        Ok(Letter::Percent(end)) => return Ok((Piece::Text("%"), end)),
        Err((problem, end)) => return Err(error(problem, end)),
    };
    let c = bytes[i];

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

/// What the letters after the prefix name.
enum Letter {
    /// A conversion, and the offset just past it.
    Conv(Conv, usize),
    /// `%%`, and the offset just past it.
    Percent(usize),
}

/// Reads the conversion letter (or the colons of `%:z`) at byte `i` of the
/// conversion that starts at `start`: what it names, or the problem and
/// where the conversion ends.
fn letter(
    format: &str,
    start: usize,
    i: usize,
    modifier: Option<Modifier>,
) -> Result<Letter, (Problem, usize)> {
    let bytes = format.as_bytes();
    // One past the character at `at` (the conversion characters are ASCII,
    // but an unknown one may not be).
    let char_end = |at: usize| at + format[at..].chars().next().map_or(0, char::len_utf8);
    let Some(&c) = bytes.get(i) else {
        return Err((Problem::Incomplete, format.len()));
    };
    if c == b':' {
        let colons = bytes[i..].iter().take_while(|&&b| b == b':').count();
        let after = i + colons;
        return match bytes.get(after) {
            None => Err((Problem::Incomplete, format.len())),
            Some(b'z') if colons <= 3 => {
                if modifier == Some(Modifier::O) {
                    return Err((Problem::AltColonOffset, after + 1));
                }
                // At most three colons, so this never saturates.
                let colons = u8::try_from(colons).unwrap_or(u8::MAX);
                Ok(Letter::Conv(Conv::Offset { colons }, after + 1))
            }
            Some(_) => Err((Problem::Colons, char_end(after))),
        };
    }
    let end = char_end(i);
    if c == b'%' {
        // GNU takes `%%` only bare; `%-%` prints `%-` back.
        return if end == start + 2 {
            Ok(Letter::Percent(end))
        } else {
            Err((Problem::FlaggedPercent, end))
        };
    }
    resolve(c, modifier)
        .map(|conv| Letter::Conv(conv, end))
        .map_err(|problem| (problem, end))
}

/// What comes between a conversion's `%` and its letter.
struct Prefix {
    /// The last of the `_ - 0 +` flags.
    pad: Option<Pad>,
    upper: bool,
    swap_case: bool,
    width: Option<usize>,
    modifier: Option<Modifier>,
    /// Where the conversion letter is.
    end: usize,
}

/// Reads flags, width and modifier from byte `i`, in GNU's order.
fn prefix(bytes: &[u8], mut i: usize) -> Prefix {
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
    Prefix {
        pad,
        upper,
        swap_case,
        width,
        modifier,
        end: i,
    }
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
pub(super) fn accepted_after(modifier: Modifier) -> impl Iterator<Item = &'static str> {
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
