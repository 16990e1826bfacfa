//! `epochwatch completions SHELL` and `epochwatch man`, generated from the clap definition.
use crate::cli::CompletionsArgs;
use crate::error::Status;

pub fn run(_args: &CompletionsArgs) -> anyhow::Result<Status> {
    anyhow::bail!("not implemented yet")
}

pub fn man() -> anyhow::Result<Status> {
    anyhow::bail!("not implemented yet")
}
