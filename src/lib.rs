//! epochwatch: watch Unix time count up and celebrate its milestones.
//!
//! Data flows one way: `clock` → `engine` → outputs, driven by `live`.
//! - `cli`: the command line as typed; `config`: the file and the defaults;
//!   `settings`: the two (and the environment) resolved into what each
//!   command runs on.
//! - `time`: zones, parsing and formatting of instants, durations and phrases.
//! - `milestone`: the rules and the merged schedule (pure).
//! - `clock`: the only place that reads the time or sleeps.
//! - `engine`: a pure state machine from observed instants to events.
//! - `live`: the one live loop and its subscribers (the screen, pipe lines,
//!   the status-bar segment, the daemon's record, the alert sinks).
//! - `bar`: the status-bar segment's content and formats (pure).
//! - `display`, `alert`, `state`: the screen, the alert channels, the daemon's state file.
//! - `commands`: one module per subcommand, the thin shells around the rest;
//!   `output`: the formats they write (tables, iCalendar, the share line).
//! - `error`: how a run ends (exit statuses).

pub mod alert;
pub mod atomic;
pub mod bar;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod decimal;
pub mod display;
pub mod engine;
pub mod error;
pub mod live;
pub mod milestone;
pub mod output;
pub mod settings;
pub mod state;
pub mod time;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::error::{Error, Exit, Result};

/// Run epochwatch with these arguments (the first is the program name) and
/// say how it ended: the exit status, after the one-line error if any.
pub fn main<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    match run(args) {
        Ok(exit) => exit.into(),
        Err(err) => err.report(),
    }
}

/// Parse the command line and run the chosen command.
pub fn run<I, T>(args: I) -> Result<Exit>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // The command lines that scripts and bars run in loops skip clap's
    // definition (see `Cli::fast_path`); the rest go through clap.
    let cli = match Cli::fast_path(&args) {
        Some(cli) => cli,
        None => match Cli::try_parse_from(args) {
            Ok(cli) => cli,
            Err(err) => return clap_outcome(&err),
        },
    };
    // `watch`'s options are accepted without a subcommand; with another
    // subcommand they would be silently ignored, so they are an error.
    // (clap's args_conflicts_with_subcommands would also reject the global
    // --config before a subcommand.)
    if cli.command.is_some() && cli.watch != cli::WatchArgs::default() {
        let err = <Cli as clap::CommandFactory>::command().error(
            clap::error::ErrorKind::ArgumentConflict,
            "watch options go after `watch` (or use no subcommand); \
             put other options after their subcommand",
        );
        return clap_outcome(&err);
    }
    let config_flag = cli.config.as_deref();
    match cli.command {
        Some(Command::Now(args)) => commands::now::run(&args),
        Some(Command::When(args)) => commands::when::run(config_flag, &args),
        Some(Command::At(args)) => commands::at::run(&args),
        Some(Command::Next(args)) => commands::next::run(config_flag, &args),
        Some(Command::Watch(args)) => commands::watch::run(config_flag, &args),
        Some(Command::Bar(args)) => commands::bar::run(config_flag, &args),
        Some(Command::Daemon(args)) => commands::daemon::run(config_flag, &args),
        Some(Command::NotifyTest(args)) => commands::notify_test::run(&args),
        Some(Command::Config(args)) => commands::config::run(config_flag, &args),
        Some(Command::Completions(args)) => commands::completions::run(&args),
        Some(Command::Man) => commands::completions::man(),
        None => commands::watch::run(config_flag, &cli.watch),
    }
}

/// What clap stopped at: `--help` and `--version` are printed and succeed;
/// anything else is a usage error (status 2).
fn clap_outcome(err: &clap::Error) -> Result<Exit> {
    if err.use_stderr() {
        Err(Error::usage(err))
    } else {
        Exit::from_output(err.print())
    }
}
