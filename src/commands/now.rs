//! `epochwatch now`: the `date +%s` equivalent.
//!
//! Start-up matters here (scripts call it in loops): no config is loaded, the
//! clock is read once with `SystemTime::now()` ([`crate::clock::read_once`]),
//! and the plain form formats one integer. `--precision` applies to the plain
//! form; with `+FORMAT` use `%N` / `%3N` instead.

use std::io::Write;

use anyhow::Context;

use crate::cli::{NowArgs, Precision};
use crate::error::{BadInput, Status};
use crate::time::{self, Zone};

pub fn run(args: &NowArgs) -> anyhow::Result<Status> {
    // Checked even when unused, so a typo in --tz never passes silently.
    let zone = Zone::from_flags(args.zone.utc, args.zone.tz.as_deref())?;
    let crate::clock::WallTime { secs, nanos } = crate::clock::read_once();
    match &args.format {
        None => {
            let digits = match args.precision {
                Precision::S => 0,
                Precision::Ms => 3,
                Precision::Us => 6,
                Precision::Ns => 9,
            };
            let value = time::scaled_instant(secs, nanos, digits);
            write_stdout(format!("{value}\n").as_bytes())?;
        }
        Some(format) => {
            let Some(format) = format.strip_prefix('+') else {
                return Err(BadInput(format!(
                    "unexpected argument {format:?}: a format must start with '+', \
                     as for date (e.g. epochwatch now +%Y-%m-%d)"
                ))
                .into());
            };
            let mut text = time::format_strftime(secs, nanos, zone, format)?;
            text.push('\n');
            write_stdout(text.as_bytes())?;
        }
    }
    Ok(Status::Success)
}

/// Write everything to stdout and flush. A closed pipe (`| head`) is not an
/// error: the reader has what it wanted.
pub(crate) fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing to stdout"),
    }
}
