//! The command line as clap sees it: flags and subcommands, nothing resolved.
//!
//! Values stay as typed here (strings for zones, specs and dates);
//! `settings` turns them into typed settings, so that every bad value gets
//! the same one-line error whether it came from a flag or the file.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::ColorMode;

/// Watch Unix time count up, and celebrate the numbers worth celebrating.
#[derive(Debug, Parser)]
#[command(
    name = "epochwatch",
    version,
    about,
    long_about = "Watch the Unix epoch seconds count up live, print them for scripts, \
                  and get alerted when the count reaches a number worth celebrating.\n\n\
                  With no subcommand, `epochwatch` runs `epochwatch watch`.",
    subcommand_negates_reqs = true
)]
pub struct Cli {
    /// Read the configuration from PATH instead of the XDG location
    /// (also: EPOCHWATCH_CONFIG).
    #[arg(long = "config", value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Options of `watch`, for when no subcommand is given.
    #[command(flatten)]
    pub watch: WatchArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the seconds since the epoch, like `date +%s` (or `date +FORMAT`).
    Now(NowArgs),
    /// Turn epoch seconds into calendar time, like `date -d @N`.
    When(WhenArgs),
    /// Turn calendar time into epoch seconds, like `date -d ... +%s`.
    At(AtArgs),
    /// List the upcoming milestones.
    Next(NextArgs),
    /// Show the epoch counting live (the default command).
    Watch(WatchArgs),
    /// A status-bar segment: the epoch and the next milestone's countdown, each second.
    Bar(BarArgs),
    /// Run headless and send alerts, for a login session or a systemd user service.
    Daemon(DaemonArgs),
    /// Send a test notification and report the server that answered.
    NotifyTest(NotifyTestArgs),
    /// Where the configuration is read from; write a starter file; show the effective settings.
    // A missing action is a one-line usage error naming the actions, not the help on stderr.
    #[command(arg_required_else_help = false)]
    Config(ConfigArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff) to stdout.
    Man,
}

impl Cli {
    /// The command line as clap would read it, for the few that scripts and
    /// bars start many times a second, without building clap's definition
    /// (most of a bare `epochwatch now`'s start-up): `now` alone; `bar
    /// --once` with at most `--format NAME` or `--format=NAME`; `when` with
    /// nothing but epochs as typed (an optional sign, digits, in range), for
    /// which clap's bookkeeping costs as much as the conversion. `None` for
    /// anything else, which clap then reads (`args` starts with the program
    /// name). `tests/integration/cli_fast_path.rs` checks that clap reads
    /// every line answered here the same.
    pub fn fast_path(args: &[OsString]) -> Option<Cli> {
        let command = match args.get(1)?.to_str()? {
            "now" if args.len() == 2 => Command::Now(NowArgs::default()),
            "bar" => Command::Bar(plain_bar(&args[2..])?),
            "when" => Command::When(plain_when(&args[2..])?),
            _ => return None,
        };
        Some(Cli {
            config: None,
            command: Some(command),
            watch: WatchArgs::default(),
        })
    }
}

/// `bar`'s arguments when they are only `--once` and `--format NAME` (or
/// `--format=NAME`), each at most once, and a value that clap would not
/// read as an option.
fn plain_bar(args: &[OsString]) -> Option<BarArgs> {
    let mut bar = BarArgs::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let arg = arg.to_str()?;
        if arg == "--once" && !bar.once {
            bar.once = true;
        } else if bar.format.is_some() {
            return None;
        } else if arg == "--format" {
            let value = rest.next()?.to_str()?;
            if value.starts_with('-') {
                return None;
            }
            bar.format = Some(value.to_string());
        } else if let Some(value) = arg.strip_prefix("--format=") {
            bar.format = Some(value.to_string());
        } else {
            return None;
        }
    }
    bar.once.then_some(bar)
}

/// `when`'s arguments when there are some and every one is an epoch in
/// range as typed (an optional sign, digits): nothing clap could read as an
/// option, nothing to report.
fn plain_when(args: &[OsString]) -> Option<WhenArgs> {
    if args.is_empty() {
        return None;
    }
    let epochs = args
        .iter()
        .map(|arg| {
            let text = arg.to_str()?;
            let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let epoch = crate::time::parse_epoch(text).ok()?;
            crate::time::check_range(epoch).ok()?;
            Some(text.to_string())
        })
        .collect::<Option<Vec<String>>>()?;
    Some(WhenArgs {
        epochs,
        zone: ZoneArgs::default(),
        json: false,
        world: false,
        share: false,
    })
}

/// `--utc` / `--tz ZONE`: which zone to show or read calendar times in.
#[derive(Debug, Args, Clone, Default, PartialEq, Eq)]
pub struct ZoneArgs {
    /// Use UTC instead of the local zone.
    #[arg(long = "utc", conflicts_with = "tz")]
    pub utc: bool,
    /// Use the named IANA zone (e.g. Europe/Berlin) instead of the local zone.
    #[arg(long = "tz", value_name = "ZONE")]
    pub tz: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Precision {
    /// Whole seconds (like `date +%s`).
    #[default]
    S,
    /// Milliseconds (like `date +%s%3N`).
    Ms,
    /// Microseconds (like `date +%s%6N`).
    Us,
    /// Nanoseconds (like `date +%s%N`).
    Ns,
}

/// `Default` is what a bare `epochwatch now` means (clap's defaults).
#[derive(Debug, Args, Default)]
pub struct NowArgs {
    /// `+FORMAT`: strftime format, as for `date +FORMAT`.
    #[arg(value_name = "+FORMAT")]
    pub format: Option<String>,
    /// Sub-second digits to append to the seconds.
    #[arg(long = "precision", short = 'p', value_enum, default_value_t)]
    pub precision: Precision,
    #[command(flatten)]
    pub zone: ZoneArgs,
}

#[derive(Debug, Args)]
pub struct WhenArgs {
    /// Epoch seconds; negative values work as typed (`when -86400`).
    #[arg(value_name = "EPOCH", required = true, allow_negative_numbers = true)]
    pub epochs: Vec<String>,
    #[command(flatten)]
    pub zone: ZoneArgs,
    /// One JSON array on stdout.
    #[arg(long = "json")]
    pub json: bool,
    /// Also show each instant in the world's cities (`world.cities` of the config).
    #[arg(long = "world")]
    pub world: bool,
    /// One line per instant to paste: UTC, the local zone and the `world.share` cities.
    #[arg(long = "share", conflicts_with = "json")]
    pub share: bool,
}

#[derive(Debug, Args)]
pub struct AtArgs {
    /// RFC 3339, YYYY-MM-DD, "YYYY-MM-DD HH:MM[:SS]" or @EPOCH.
    #[arg(value_name = "DATETIME", required = true)]
    pub datetimes: Vec<String>,
    /// Zone for date-times written without an offset.
    #[command(flatten)]
    pub zone: ZoneArgs,
}

/// Which milestones: the configured set (or the embedded defaults), plus `-m`.
#[derive(Debug, Args, Clone, Default, PartialEq, Eq)]
pub struct MilestoneArgs {
    /// Add a milestone rule (repeatable): N, N=LABEL, every:N, repdigit, sequence,
    /// palindrome, pow2, y2038, anniversary:DATETIME:STEP.
    #[arg(
        short = 'm',
        long = "milestone",
        value_name = "SPEC",
        allow_hyphen_values = true
    )]
    pub milestones: Vec<String>,
    /// Use only the -m milestones: drop the configured and default sets.
    #[arg(long = "no-defaults")]
    pub no_defaults: bool,
}

#[derive(Debug, Args)]
pub struct NextArgs {
    /// How many milestones to list [default: 10, or all up to --until].
    #[arg(short = 'n', long = "count", value_name = "COUNT")]
    pub count: Option<usize>,
    /// List milestones after this instant (EPOCH or DATETIME) instead of now.
    #[arg(
        long = "after",
        value_name = "EPOCH|DATETIME",
        allow_hyphen_values = true
    )]
    pub after: Option<String>,
    /// List milestones up to this instant (EPOCH or DATETIME), included.
    #[arg(
        long = "until",
        value_name = "EPOCH|DATETIME",
        allow_hyphen_values = true
    )]
    pub until: Option<String>,
    #[command(flatten)]
    pub milestones: MilestoneArgs,
    #[command(flatten)]
    pub zone: ZoneArgs,
    /// One JSON array on stdout.
    #[arg(long = "json", conflicts_with_all = ["ics", "share"])]
    pub json: bool,
    /// An iCalendar file (RFC 5545): one event per milestone, alarms at the reminder leads.
    #[arg(long = "ics", conflicts_with_all = ["world", "share"])]
    pub ics: bool,
    /// The alarms of --ics: lead times such as 1d,1h ("none": only the one at the milestone)
    /// [default: alerts.remind].
    #[arg(long = "remind", value_name = "LEADS", requires = "ics")]
    pub remind: Option<String>,
    /// Also show each milestone in the world's cities (`world.cities` of the config).
    #[arg(long = "world")]
    pub world: bool,
    /// One line per milestone to paste: UTC, the local zone and the `world.share` cities.
    #[arg(long = "share")]
    pub share: bool,
    /// Write to FILE instead of stdout, atomically (a temporary file beside it,
    /// renamed when complete); "-" is stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// How alerts reach the user: shared by `watch` and `daemon`.
#[derive(Debug, Args, Clone, Default, PartialEq, Eq)]
pub struct AlertArgs {
    /// Reminder lead times before each milestone, e.g. 1d,1h,1m,10s ("none" for none).
    #[arg(long = "remind", value_name = "LEADS")]
    pub remind: Option<String>,
    /// Ring the terminal bell at each alert.
    #[arg(long = "bell")]
    pub bell: bool,
    /// Do not send desktop notifications.
    #[arg(long = "no-notify")]
    pub no_notify: bool,
    /// Show one notification this long before each milestone, counting the
    /// seconds down, that becomes the milestone's ("0s": none) [default: alerts.countdown].
    #[arg(long = "countdown", value_name = "DURATION")]
    pub countdown: Option<String>,
    /// Run PROGRAM with ARGs at each alert (no shell). Put it last, or end it with `;`.
    #[arg(
        long = "exec",
        value_name = "PROGRAM [ARG]...",
        num_args = 1..,
        allow_hyphen_values = true,
        value_terminator = ";"
    )]
    pub exec: Option<Vec<String>>,
}

#[derive(Debug, Args, Clone, Default, PartialEq, Eq)]
pub struct WatchArgs {
    #[command(flatten)]
    pub milestones: MilestoneArgs,
    #[command(flatten)]
    pub zone: ZoneArgs,
    #[command(flatten)]
    pub alerts: AlertArgs,
    /// One line per second, like `date +%s` each second (the default when stdout is not a terminal).
    #[arg(long = "plain", conflicts_with = "json")]
    pub plain: bool,
    /// One JSON object per line: ticks and milestone events.
    #[arg(long = "json")]
    pub json: bool,
    /// When to use colours (NO_COLOR is honoured with auto).
    #[arg(long = "color", value_enum, value_name = "WHEN")]
    pub color: Option<ColorMode>,
}

/// `Default` is what a bare `epochwatch bar` means.
#[derive(Debug, Args, Clone, Default, PartialEq, Eq)]
pub struct BarArgs {
    /// text, waybar, i3bar, i3blocks, polybar, tmux, or a template such as
    /// '{epoch} {label} in {countdown}' (fields: epoch, value, label, rule,
    /// countdown, relative, remaining, local, utc, class, percentage) [default: text].
    #[arg(long = "format", short = 'f', value_name = "FORMAT")]
    pub format: Option<String>,
    /// Print one update and exit (for bars that poll, e.g. tmux's #(...)).
    #[arg(long = "once")]
    pub once: bool,
    #[command(flatten)]
    pub milestones: MilestoneArgs,
    #[command(flatten)]
    pub zone: ZoneArgs,
}

#[derive(Debug, Args)]
pub struct DaemonArgs {
    #[command(flatten)]
    pub milestones: MilestoneArgs,
    #[command(flatten)]
    pub alerts: AlertArgs,
    /// Alerts missed by less than this fire late on wake or restart; older ones are summed up (e.g. 1h, 30m).
    #[arg(long = "catch-up", value_name = "DURATION")]
    pub catch_up: Option<String>,
    /// Also print each alert to stdout, one line each.
    #[arg(long = "verbose", short = 'v')]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct NotifyTestArgs {
    /// How long to wait for the notification server (e.g. 5s).
    #[arg(long = "timeout", value_name = "DURATION", default_value = "5s")]
    pub timeout: String,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub action: ConfigAction,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print where the configuration is read from, and why.
    Path,
    /// Write a commented starter file (never overwrites an existing one).
    Init,
    /// Show the effective settings, after flags, environment, file and defaults.
    Show,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
