//! `epochwatch watch`: the live counter, full screen or one line per second.
use std::path::Path;

use crate::cli::WatchArgs;
use crate::error::Status;

pub fn run(_config_flag: Option<&Path>, _args: &WatchArgs) -> anyhow::Result<Status> {
    anyhow::bail!("not implemented yet")
}
