//! `epochwatch notify-test`: send a test notification and say which server
//! answered, or why none did (exit 1).
//!
//! Checks `DBUS_SESSION_BUS_ADDRESS` first; then asks the server who it is
//! (notify-rust's `get_server_information`) and shows a notification the
//! way alerts are shown (`alert::desktop`), each call given at most
//! `--timeout`.
use std::time::Duration;

use crate::alert::desktop::{self, Desktop, Failure, Note, Urgency};
use crate::cli::NotifyTestArgs;
use crate::error::{Context, Error, Exit, Result};
use crate::time;

pub fn run(args: &NotifyTestArgs) -> Result<Exit> {
    let secs = time::parse_duration(&args.timeout)
        .with_context(|| format!("--timeout {:?}", args.timeout))?;
    if secs <= 0 {
        return Err(Error::bad_input(format!(
            "--timeout {:?}: must be positive",
            args.timeout
        )));
    }
    let timeout = Duration::from_secs(secs.unsigned_abs());

    if let Some(reason) = desktop::missing_bus_reason() {
        return Err(Error::failure(format!(
            "no desktop notifications: {reason}"
        )));
    }

    let bus = Desktop::start();
    let info = match bus.server_information().wait(timeout) {
        Ok(info) => info,
        Err(Failure::Error(reason)) => {
            return Err(Error::failure(format!(
                "no desktop notifications: {reason}"
            )));
        }
        Err(Failure::NoAnswer) => {
            return Err(Error::failure(format!(
                "no desktop notifications: the session bus or the notification server did not \
                 answer within {}",
                args.timeout
            )));
        }
    };
    let note = Note {
        summary: "epochwatch test notification".to_string(),
        body: "If you can read this, epochwatch can alert you at milestones.".to_string(),
        urgency: Urgency::Normal,
        sound: false,
        transient: false,
    };
    match bus.notify(note, None).wait(timeout) {
        Ok(()) => {}
        Err(Failure::Error(reason)) => {
            return Err(Error::failure(format!(
                "the notification server {:?} did not take the notification: {reason}",
                info.name
            )));
        }
        Err(Failure::NoAnswer) => {
            return Err(Error::failure(format!(
                "the notification server {:?} did not answer the notification within {}",
                info.name, args.timeout
            )));
        }
    }
    let report = format!(
        "sent a test notification\nserver:  {}\nvendor:  {}\nversion: {}\nspec:    {}\n",
        info.name, info.vendor, info.version, info.spec_version
    );
    super::print(report.as_bytes())
}
