//! `epochwatch daemon`: headless alerts that never miss or repeat.
use std::path::Path;

use crate::cli::DaemonArgs;
use crate::error::Status;

pub fn run(_config_flag: Option<&Path>, _args: &DaemonArgs) -> anyhow::Result<Status> {
    anyhow::bail!("not implemented yet")
}
