//! `epochwatch at`: calendar time to epoch seconds, one integer per line.
//!
//! All arguments are parsed before anything is printed, so a bad one leaves
//! stdout empty. Times without an offset are read in the local zone (or
//! `--utc` / `--tz`); DST gaps and overlaps follow [`time::local_to_epoch`].

use std::fmt::Write as _;

use crate::cli::AtArgs;
use crate::commands::now::write_stdout;
use crate::error::Status;
use crate::time::{self, Zone};

pub fn run(args: &AtArgs) -> anyhow::Result<Status> {
    let zone = Zone::from_flags(args.zone.utc, args.zone.tz.as_deref())?;
    let mut out = String::new();
    for text in &args.datetimes {
        let epoch = time::parse_datetime(text, zone)?;
        let _ = writeln!(out, "{epoch}");
    }
    write_stdout(out.as_bytes())?;
    Ok(Status::Success)
}
