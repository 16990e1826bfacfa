//! Instants, zones and durations: parsing what people type and formatting what they read.
//!
//! Pure functions over `i64` epoch seconds (and nanoseconds where needed);
//! nothing here reads the clock.

use chrono_tz::Tz;

/// Which zone calendar times are shown or read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// The process's local zone (`TZ`, else /etc/localtime).
    Local,
    Utc,
    Named(Tz),
}

impl Zone {
    /// Resolve `--utc` / `--tz ZONE` (no flag: local).
    pub fn from_flags(utc: bool, tz: Option<&str>) -> Result<Zone, ParseError> {
        match (utc, tz) {
            (true, _) => Ok(Zone::Utc),
            (false, Some(name)) => Zone::parse(name),
            (false, None) => Ok(Zone::Local),
        }
    }

    /// An IANA zone name, "UTC", or "local".
    pub fn parse(name: &str) -> Result<Zone, ParseError> {
        match name {
            "local" => Ok(Zone::Local),
            "UTC" | "utc" | "Z" => Ok(Zone::Utc),
            _ => name
                .parse::<Tz>()
                .map(Zone::Named)
                .map_err(|_| ParseError::UnknownZone(name.to_string())),
        }
    }
}

/// Something the user typed that is not a valid instant, zone, format or duration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("unknown time zone {0:?} (expected an IANA name such as Europe/Berlin, UTC or local)")]
    UnknownZone(String),
    #[error("{0}")]
    Invalid(String),
}

/// Parse epoch seconds as typed: optional sign, decimal digits.
pub fn parse_epoch(text: &str) -> Result<i64, ParseError> {
    text.parse::<i64>().map_err(|_| {
        ParseError::Invalid(format!(
            "invalid epoch {text:?} (expected whole seconds, e.g. 1234567890 or -86400)"
        ))
    })
}

/// Parse a calendar time: RFC 3339, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`
/// (in `zone` when it has no offset) or `@EPOCH`.
pub fn parse_datetime(text: &str, _zone: Zone) -> Result<i64, ParseError> {
    if let Some(rest) = text.strip_prefix('@') {
        return parse_epoch(rest);
    }
    Err(ParseError::Invalid(format!("not implemented: {text}")))
}

/// Parse a duration such as `10s`, `1m`, `1h`, `1d`, `1w` or `1h30m` into seconds.
pub fn parse_duration(text: &str) -> Result<i64, ParseError> {
    Err(ParseError::Invalid(format!("not implemented: {text}")))
}
