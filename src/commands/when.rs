//! `epochwatch when`: epoch seconds to calendar time.
use crate::cli::WhenArgs;
use crate::error::Status;

pub fn run(_args: &WhenArgs) -> anyhow::Result<Status> {
    anyhow::bail!("not implemented yet")
}
