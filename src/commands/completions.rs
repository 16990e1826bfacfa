//! `epochwatch completions SHELL` and `epochwatch man`, generated from the clap definition.
use clap::CommandFactory;

use super::print;
use crate::cli::{Cli, CompletionsArgs};
use crate::error::{Context, Exit, Result};

/// Print the completion script for the shell to stdout.
pub fn run(args: &CompletionsArgs) -> Result<Exit> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "epochwatch", &mut script);
    print(&script)
}

/// Print the man page (roff) to stdout.
pub fn man() -> Result<Exit> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .context("rendering the man page")?;
    print(&page)
}
