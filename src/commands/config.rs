//! `epochwatch config path|init|show`.
use std::path::Path;

use crate::cli::ConfigArgs;
use crate::error::Status;

pub fn run(_config_flag: Option<&Path>, _args: &ConfigArgs) -> anyhow::Result<Status> {
    anyhow::bail!("not implemented yet")
}
