//! `epochwatch notify-test`: send a test notification.
use crate::cli::NotifyTestArgs;
use crate::error::Status;

pub fn run(_args: &NotifyTestArgs) -> anyhow::Result<Status> {
    anyhow::bail!("not implemented yet")
}
