//! `epochwatch completions SHELL` and `epochwatch man`, generated from the clap definition.
use anyhow::Context;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::commands::now::write_stdout;
use crate::error::Status;

/// Print the completion script for the shell to stdout.
pub fn run(args: &CompletionsArgs) -> anyhow::Result<Status> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "epochwatch", &mut script);
    write_stdout(&script)?;
    Ok(Status::Success)
}

/// Print the man page (roff) to stdout.
pub fn man() -> anyhow::Result<Status> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .context("rendering the man page")?;
    write_stdout(&page)?;
    Ok(Status::Success)
}
