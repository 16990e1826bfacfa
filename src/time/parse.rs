//! Text to instants: epoch seconds, calendar date-times (RFC 3339 and
//! friends, in a zone when they carry no offset), durations and reminder
//! lead lists.

use chrono::{Datelike, NaiveDate, NaiveTime};

use super::{ParseError, Zone, local_to_epoch};

pub fn parse_duration(text: &str) -> Result<i64, ParseError> {
    let invalid = |why: &str| {
        ParseError::Invalid(format!(
            "invalid duration {text:?}{why} (expected whole seconds or numbers with units \
             s, m, h, d, w, e.g. 10s, 1m, 1h, 1d, 1w, 1h30m)"
        ))
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(invalid(""));
    }
    if trimmed.starts_with('-') {
        return Err(invalid(": negative durations are not allowed"));
    }
    if trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return trimmed.parse::<i64>().map_err(|_| invalid(": too large"));
    }
    let bytes = trimmed.as_bytes();
    let mut total: i64 = 0;
    let mut pos = 0;
    while pos < bytes.len() {
        let start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        if start == pos {
            return Err(invalid(""));
        }
        let number: i64 = trimmed[start..pos]
            .parse()
            .map_err(|_| invalid(": too large"))?;
        let unit: i64 = match bytes.get(pos) {
            Some(b's') => 1,
            Some(b'm') => 60,
            Some(b'h') => 3_600,
            Some(b'd') => 86_400,
            Some(b'w') => 604_800,
            _ => return Err(invalid("")),
        };
        pos += 1;
        total = number
            .checked_mul(unit)
            .and_then(|part| total.checked_add(part))
            .ok_or_else(|| invalid(": too large"))?;
    }
    Ok(total)
}

/// Parse epoch seconds as typed: optional sign, decimal digits.
pub fn parse_epoch(text: &str) -> Result<i64, ParseError> {
    text.parse::<i64>().map_err(|_| {
        ParseError::Invalid(format!(
            "invalid epoch {text:?} (expected whole seconds, e.g. 1234567890 or -86400)"
        ))
    })
}

const ACCEPTED_DATETIMES: &str = "expected RFC 3339 such as 2009-02-13T23:31:30Z or \
     2009-02-13T23:31:30+02:00, YYYY-MM-DD, \"YYYY-MM-DD HH:MM[:SS]\" or @EPOCH";

/// Parse a calendar time: RFC 3339, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`
/// (in `zone` when it has no offset) or `@EPOCH`.
///
/// Details: 'T', 't' or a space between date and time; seconds may carry a
/// fraction (dropped: the result is the whole second it falls in); `:60` is
/// a leap second, read as the next second; offsets are `Z`, `z`, `±HH:MM`,
/// `±HHMM` or `±HH`. Local times in a DST gap or overlap follow
/// [`local_to_epoch`].
pub fn parse_datetime(text: &str, zone: Zone) -> Result<i64, ParseError> {
    let fail = |why: String| {
        ParseError::Invalid(if why.is_empty() {
            format!("invalid date-time {text:?} ({ACCEPTED_DATETIMES})")
        } else {
            format!("invalid date-time {text:?}: {why} ({ACCEPTED_DATETIMES})")
        })
    };
    if let Some(rest) = text.strip_prefix('@') {
        return rest
            .parse::<i64>()
            .map_err(|_| fail(format!("{rest:?} is not whole epoch seconds")));
    }
    let parsed = scan_datetime(text.trim()).ok_or_else(|| fail(String::new()))?;
    let date = NaiveDate::from_ymd_opt(parsed.year, parsed.month, parsed.day).ok_or_else(|| {
        fail(format!(
            "{:04}-{:02}-{:02} is not a calendar date",
            parsed.year, parsed.month, parsed.day
        ))
    })?;
    if parsed.second > 60 {
        return Err(fail(format!(
            "{:02}:{:02}:{:02} is not a time of day",
            parsed.hour, parsed.minute, parsed.second
        )));
    }
    let leap = parsed.second == 60;
    let time = NaiveTime::from_hms_opt(parsed.hour, parsed.minute, parsed.second.min(59))
        .ok_or_else(|| {
            fail(format!(
                "{:02}:{:02}:{:02} is not a time of day",
                parsed.hour, parsed.minute, parsed.second
            ))
        })?;
    if let Some(written) = parsed.weekday
        && written != date.weekday().num_days_from_monday()
    {
        return Err(fail(format!(
            "{} is a {}, not a {}",
            date,
            date.weekday(),
            chrono::Weekday::try_from(u8::try_from(written).unwrap_or(0))
                .map_or_else(|_| "day".to_string(), |w| w.to_string())
        )));
    }
    let naive = date.and_time(time);
    let epoch = match parsed.offset {
        Some(offset) => {
            if offset.abs() >= 86_400 {
                return Err(fail("the UTC offset must be under 24 hours".to_string()));
            }
            naive.and_utc().timestamp() - i64::from(offset)
        }
        None => local_to_epoch(naive, zone)
            .ok_or_else(|| fail(format!("cannot place this local time in {}", zone.name())))?,
    };
    Ok(epoch + i64::from(leap))
}

struct ScannedDateTime {
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// Seconds east of UTC, when written.
    offset: Option<i32>,
    /// The weekday written before the date ("Fri"), Monday = 0.
    weekday: Option<u32>,
}

/// Weekday names as `%a` writes them, Monday first.
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A position in the text being scanned.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, wanted: u8) -> Option<()> {
        (self.peek() == Some(wanted)).then(|| self.pos += 1)
    }

    fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }

    /// Exactly `len` decimal digits.
    fn digits(&mut self, len: usize) -> Option<u32> {
        let part = self.bytes.get(self.pos..self.pos + len)?;
        let value = part.iter().try_fold(0u32, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })?;
        self.pos += len;
        Some(value)
    }

    /// A year as `date +%F` writes it: four digits or more, or a sign and
    /// three or more (`-001` is 2 BC, `+10000` after 9999).
    fn year(&mut self) -> Option<i32> {
        let negative = match self.peek() {
            Some(b'+') => Some(false),
            Some(b'-') => Some(true),
            _ => None,
        };
        if negative.is_some() {
            self.pos += 1;
        }
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let len = self.pos - start;
        let shortest = if negative.is_some() { 3 } else { 4 };
        if len < shortest || len > 7 {
            return None;
        }
        let value: i32 = std::str::from_utf8(&self.bytes[start..self.pos])
            .ok()?
            .parse()
            .ok()?;
        Some(if negative == Some(true) {
            -value
        } else {
            value
        })
    }

    /// `Z`, `±HH`, `±HHMM`, `±HH:MM` or `±HH:MM:SS` to the end of the text.
    fn offset(&mut self) -> Option<i32> {
        if matches!(self.peek(), Some(b'Z' | b'z')) {
            self.pos += 1;
            return self.done().then_some(0);
        }
        let sign = match self.peek()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        self.pos += 1;
        let hours = self.digits(2)?;
        let colon = self.eat(b':').is_some();
        let minutes = if self.done() { 0 } else { self.digits(2)? };
        let seconds = if colon && self.eat(b':').is_some() {
            self.digits(2)?
        } else {
            0
        };
        if minutes > 59 || seconds > 59 || !self.done() {
            return None;
        }
        i32::try_from(hours * 3_600 + minutes * 60 + seconds)
            .ok()
            .map(|secs| sign * secs)
    }
}

/// The text without a weekday before it ("Fri ") and a comment after it
/// (" (Europe/Berlin, CET)"), as `when` writes them; and that weekday.
fn strip_decorations(text: &str) -> (&str, Option<u32>) {
    let text = match text.rfind(" (") {
        Some(at) if text.ends_with(')') => text[..at].trim_end(),
        _ => text,
    };
    let weekday = text.get(..3).and_then(|name| {
        WEEKDAYS
            .iter()
            .position(|w| w.eq_ignore_ascii_case(name))
            .filter(|_| text.as_bytes().get(3) == Some(&b' '))
    });
    match weekday {
        Some(day) => (text[4..].trim_start(), u32::try_from(day).ok()),
        None => (text, None),
    }
}

/// The shape of a date-time, without checking the ranges of its fields.
fn scan_datetime(text: &str) -> Option<ScannedDateTime> {
    let (text, weekday) = strip_decorations(text);
    let mut c = Cursor {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let year = c.year()?;
    c.eat(b'-')?;
    let month = c.digits(2)?;
    c.eat(b'-')?;
    let day = c.digits(2)?;
    let mut out = ScannedDateTime {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        offset: None,
        weekday,
    };
    if c.done() {
        return Some(out);
    }
    matches!(c.peek(), Some(b'T' | b't' | b' ')).then(|| c.pos += 1)?;
    out.hour = c.digits(2)?;
    c.eat(b':')?;
    out.minute = c.digits(2)?;
    if c.eat(b':').is_some() {
        out.second = c.digits(2)?;
        if c.eat(b'.').is_some() || c.eat(b',').is_some() {
            let start = c.pos;
            while c.peek().is_some_and(|d| d.is_ascii_digit()) {
                c.pos += 1;
            }
            (c.pos > start).then_some(())?;
        }
    }
    if c.peek() == Some(b' ') && c.pos + 1 < c.bytes.len() {
        c.pos += 1;
    }
    if !c.done() {
        out.offset = Some(c.offset()?);
    }
    Some(out)
}

/// An instant as typed: epoch seconds, or anything [`parse_datetime`] accepts.
pub fn parse_instant(text: &str, zone: Zone) -> Result<i64, ParseError> {
    let trimmed = text.trim();
    let digits = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        parse_epoch(trimmed.strip_prefix('+').unwrap_or(trimmed))
    } else {
        parse_datetime(trimmed, zone)
    }
}

/// `1d,1h,1m,10s` (commas or spaces) or `none` into lead times in seconds,
/// largest first, without repeats. The syntax of `--remind` and `EPOCHWATCH_REMIND`.
pub fn parse_remind(text: &str) -> Result<Vec<i64>, ParseError> {
    let trimmed = text.trim();
    if trimmed.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    let mut leads = Vec::new();
    for part in trimmed.split([',', ' ']).filter(|p| !p.is_empty()) {
        let secs = parse_duration(part)?;
        if secs <= 0 {
            return Err(ParseError::Invalid(format!(
                "reminder lead time {part:?} must be more than zero"
            )));
        }
        leads.push(secs);
    }
    if leads.is_empty() {
        return Err(ParseError::Invalid(format!(
            "no reminder lead times in {text:?} (expected e.g. 1d,1h,1m,10s or none)"
        )));
    }
    Ok(normalize_leads(leads))
}

/// Lead times largest first, without repeats.
pub fn normalize_leads(mut leads: Vec<i64>) -> Vec<i64> {
    leads.sort_unstable_by(|a, b| b.cmp(a));
    leads.dedup();
    leads
}
