//! `epochwatch at`: calendar time to epoch seconds, one integer per line.
//!
//! All arguments are parsed before anything is printed, so a bad one leaves
//! stdout empty. Times without an offset are read in the local zone (or
//! `--utc` / `--tz`); DST gaps and overlaps follow [`time::local_to_epoch`].

use std::fmt::Write as _;

use super::print;
use crate::cli::AtArgs;
use crate::error::{Exit, Result};
use crate::settings;
use crate::time;

pub fn run(args: &AtArgs) -> Result<Exit> {
    let zone = settings::zone(&args.zone)?;
    let mut out = String::new();
    for text in &args.datetimes {
        let epoch = time::parse_datetime(text, zone)?;
        let _ = writeln!(out, "{epoch}");
    }
    print(out.as_bytes())
}
