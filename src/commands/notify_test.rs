//! `epochwatch notify-test`: send a test notification and say which server
//! answered, or why none did (exit 1).
//!
//! Checks `DBUS_SESSION_BUS_ADDRESS` first; the D-Bus calls run on a thread
//! and are given at most `--timeout` each.
use std::time::{Duration, Instant};

use crate::alert::desktop::{self, Timed};
use crate::alert::text::Message;
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

    let started = Instant::now();
    let info = match desktop::call_with_timeout(desktop::server_information, timeout) {
        Timed::Done(Ok(info)) => info,
        Timed::Done(Err(reason)) | Timed::Failed(reason) => {
            return Err(Error::failure(format!(
                "no desktop notifications: {reason}"
            )));
        }
        Timed::TimedOut(_) => {
            return Err(Error::failure(format!(
                "no desktop notifications: the session bus or the notification server did not \
                 answer within {}",
                args.timeout
            )));
        }
    };
    let message = Message {
        summary: "epochwatch test notification".to_string(),
        body: "If you can read this, epochwatch can alert you at milestones.".to_string(),
    };
    let left = timeout
        .saturating_sub(started.elapsed())
        .max(Duration::from_millis(100));
    let sent = desktop::call_with_timeout(
        move || desktop::show(&message, notify_rust::Urgency::Normal),
        left,
    );
    match sent {
        Timed::Done(Ok(())) => {}
        Timed::Done(Err(reason)) | Timed::Failed(reason) => {
            return Err(Error::failure(format!(
                "the notification server {:?} did not take the notification: {reason}",
                info.name
            )));
        }
        Timed::TimedOut(_) => {
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
