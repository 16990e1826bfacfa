//! `epochwatch now`: the `date +%s` equivalent.
use crate::cli::NowArgs;
use crate::error::Status;

pub fn run(_args: &NowArgs) -> anyhow::Result<Status> {
    anyhow::bail!("not implemented yet")
}
