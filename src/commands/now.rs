//! `epochwatch now`: the `date +%s` equivalent.
//!
//! Start-up matters here (scripts call it in loops): no config is loaded, the
//! clock is read once with `SystemTime::now()` ([`crate::clock::read_once`]),
//! and the plain form formats one integer. `--precision` applies to the plain
//! form; with `+FORMAT` use `%N` / `%3N` instead.

use super::print;
use crate::cli::{NowArgs, Precision};
use crate::error::{Error, Exit, Result};
use crate::settings;
use crate::time;

pub fn run(args: &NowArgs) -> Result<Exit> {
    // Checked even when unused, so a typo in --tz never passes silently.
    let zone = settings::zone(&args.zone)?;
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
            print(format!("{value}\n").as_bytes())
        }
        Some(format) => {
            let Some(format) = format.strip_prefix('+') else {
                return Err(Error::bad_input(format!(
                    "unexpected argument {format:?}: a format must start with '+', \
                     as for date (e.g. epochwatch now +%Y-%m-%d)"
                )));
            };
            let mut text = time::format_strftime(secs, nanos, zone, format)?;
            text.push('\n');
            print(text.as_bytes())
        }
    }
}
