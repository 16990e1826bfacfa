//! `epochwatch next`: the upcoming milestones as a table or JSON.
use std::path::Path;

use crate::cli::NextArgs;
use crate::error::Status;

pub fn run(_config_flag: Option<&Path>, _args: &NextArgs) -> anyhow::Result<Status> {
    anyhow::bail!("not implemented yet")
}
