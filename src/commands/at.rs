//! `epochwatch at`: calendar time to epoch seconds.
use crate::cli::AtArgs;
use crate::error::Status;

pub fn run(_args: &AtArgs) -> anyhow::Result<Status> {
    anyhow::bail!("not implemented yet")
}
