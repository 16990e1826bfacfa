//! The settings each command runs on: the command line over the environment
//! over the config file over the defaults.
//!
//! `cli` is what was typed and `config` what the file says; this is the one
//! place where they and the environment meet. Every bad value gets the same
//! kind of one-line error, naming the flag, the variable or the file's line.
//!
//! Environment: `EPOCHWATCH_REMIND` (over `alerts.remind`, under `--remind`)
//! and `NO_COLOR` (set, not empty: colour `auto` means `never`, from the file
//! or from `--color auto`). Empty variables count as unset.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::bar::BarFormat;
use crate::cli::{
    AlertArgs, BarArgs, DaemonArgs, MilestoneArgs, NextArgs, WatchArgs, WhenArgs, ZoneArgs,
};
use crate::config::{
    self, AlertSettings, BarSettings, ColorMode, Config, ConfigError, EnvVars, Origin, Position,
};
use crate::error::{Context, Result};
use crate::milestone::{DEFAULT_SPECS, RuleEntry, Schedule, SpecError};
use crate::time::world::{City, DEFAULT_SHARE};
use crate::time::{self, ParseError, Zone};

/// The variables that change values (the ones that locate the file are in
/// [`EnvVars`]), captured once so that resolution is a pure function.
#[derive(Clone, Debug, Default)]
pub struct Environment {
    /// Where the config file is: `EPOCHWATCH_CONFIG`, `XDG_CONFIG_HOME`.
    pub paths: EnvVars,
    /// `EPOCHWATCH_REMIND`: overrides `alerts.remind` (same syntax as `--remind`).
    pub remind: Option<String>,
    /// `NO_COLOR` is set and not empty: colour `auto` means `never`.
    pub no_color: bool,
}

impl Environment {
    pub fn from_process() -> Environment {
        let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        Environment {
            paths: EnvVars::from_process(),
            // A value that is not UTF-8 cannot be a valid list; keep it lossy so
            // that the parse error shows what was there.
            remind: non_empty("EPOCHWATCH_REMIND").map(|v| v.to_string_lossy().into_owned()),
            no_color: non_empty("NO_COLOR").is_some(),
        }
    }
}

/// The configuration as it applies: the file (or the defaults) with the
/// environment on top, each value knowing where it came from.
pub fn configuration(flag: Option<&Path>, env: &Environment) -> Result<Config, ConfigError> {
    let mut config = Config::load_with(flag, &env.paths)?;
    if let Some(text) = &env.remind {
        config.alerts.remind = time::parse_remind(text)
            .map_err(|err| ConfigError(format!("EPOCHWATCH_REMIND={text:?}: {err}")))?;
        config.origins.remind = Origin::Env("EPOCHWATCH_REMIND");
    }
    if env.no_color && config.display.color == ColorMode::Auto {
        config.display.color = ColorMode::Never;
        config.origins.color = Origin::Env("NO_COLOR");
    }
    Ok(config)
}

/// How `watch` shows the time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatchMode {
    /// The full-screen display (stdout is a terminal).
    Screen,
    /// One line per second, like `date +%s` each second.
    Plain,
    /// One JSON object per line.
    Json,
}

/// What `watch` runs on.
#[derive(Clone, Debug)]
pub struct Watch {
    pub schedule: Schedule,
    pub zone: Zone,
    pub alerts: AlertSettings,
    pub mode: WatchMode,
    /// Whether the screen uses colours.
    pub color: bool,
    /// The cities of the world view (key `w`).
    pub cities: Vec<City>,
}

/// Settings of `watch`; `stdout_is_terminal` decides between the screen and lines.
pub fn watch(
    flag: Option<&Path>,
    args: &WatchArgs,
    env: &Environment,
    stdout_is_terminal: bool,
) -> Result<Watch> {
    let config = configuration(flag, env)?;
    let zone = display_zone(&config, &args.zone)?;
    let mode = if args.json {
        WatchMode::Json
    } else if args.plain || !stdout_is_terminal {
        WatchMode::Plain
    } else {
        WatchMode::Screen
    };
    let color = match color(&config, args.color, env) {
        ColorMode::Always => true,
        ColorMode::Never => false,
        ColorMode::Auto => stdout_is_terminal,
    };
    Ok(Watch {
        schedule: schedule(&config, &args.milestones, zone)?,
        alerts: alerts(&config, &args.alerts)?,
        zone,
        mode,
        color,
        cities: if mode == WatchMode::Screen {
            world(&config).cities
        } else {
            Vec::new()
        },
    })
}

/// What `bar` runs on.
#[derive(Clone, Debug)]
pub struct Bar {
    pub schedule: Schedule,
    /// The zone of the milestone's local date-time.
    pub zone: Zone,
    pub format: BarFormat,
    /// `--once`: one update, then exit.
    pub once: bool,
    /// `[bar]`: the class thresholds.
    pub thresholds: BarSettings,
}

/// Settings of `bar`: the format named or written in `--format`, the
/// milestones and zone as for `watch`, the thresholds of `[bar]`.
pub fn bar(flag: Option<&Path>, args: &BarArgs, env: &Environment) -> Result<Bar> {
    let format = match &args.format {
        Some(text) => BarFormat::parse(text)
            .map_err(|err| ConfigError(format!("--format {text:?}: {err}")))?,
        None => BarFormat::parse("text").map_err(ConfigError)?,
    };
    let config = configuration(flag, env)?;
    let zone = display_zone(&config, &args.zone)?;
    Ok(Bar {
        schedule: schedule(&config, &args.milestones, zone)?,
        zone,
        format,
        once: args.once,
        thresholds: config.bar,
    })
}

/// What `daemon` runs on.
#[derive(Clone, Debug)]
pub struct Daemon {
    pub schedule: Schedule,
    /// With `--catch-up` resolved into `catch_up`.
    pub alerts: AlertSettings,
    /// The zone of the date-times in notifications.
    pub zone: Zone,
}

pub fn daemon(flag: Option<&Path>, args: &DaemonArgs, env: &Environment) -> Result<Daemon> {
    let config = configuration(flag, env)?;
    let zone = config.display.zone;
    let alerts = AlertSettings {
        catch_up: catch_up(&config, args.catch_up.as_deref())?,
        ..alerts(&config, &args.alerts)?
    };
    Ok(Daemon {
        schedule: schedule(&config, &args.milestones, zone)?,
        alerts,
        zone,
    })
}

/// How `next` writes its milestones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextFormat {
    /// Aligned columns (and with `--world`, each milestone's world table).
    Table,
    /// One JSON array.
    Json,
    /// An iCalendar file.
    Ics,
    /// One line to paste per milestone.
    Share,
}

/// What `next` runs on.
#[derive(Clone, Debug)]
pub struct Next {
    pub schedule: Schedule,
    pub zone: Zone,
    /// List the milestones after this instant.
    pub after: i64,
    /// ... and up to this one, included.
    pub until: i64,
    pub count: usize,
    pub format: NextFormat,
    /// The cities, with `--world` or `--share`.
    pub world: Option<World>,
    /// The lead times of the reminder alarms of `--ics` (seconds, largest first).
    pub remind: Vec<i64>,
    /// `-o FILE`; `None` is stdout.
    pub output: Option<PathBuf>,
}

/// How many milestones `next` lists unless told (without `--until`).
pub const NEXT_COUNT: usize = 10;

/// Settings of `next`; `now` is the instant `--after` defaults to.
pub fn next(flag: Option<&Path>, args: &NextArgs, env: &Environment, now: i64) -> Result<Next> {
    let config = configuration(flag, env)?;
    let zone = display_zone(&config, &args.zone)?;
    let instant = |flag: &str, text: &Option<String>| -> Result<Option<i64>> {
        text.as_ref()
            .map(|text| time::parse_instant(text, zone).with_context(|| format!("{flag} {text:?}")))
            .transpose()
    };
    let after = instant("--after", &args.after)?.unwrap_or(now);
    let until = instant("--until", &args.until)?;
    let format = if args.ics {
        NextFormat::Ics
    } else if args.json {
        NextFormat::Json
    } else if args.share {
        NextFormat::Share
    } else {
        NextFormat::Table
    };
    let remind = match &args.remind {
        Some(text) => time::parse_remind(text)
            .map_err(|err| ConfigError(format!("--remind {text:?}: {err}")))?,
        None => config.alerts.remind.clone(),
    };
    Ok(Next {
        schedule: schedule(&config, &args.milestones, zone)?,
        zone,
        after,
        until: until.unwrap_or(i64::MAX),
        count: args.count.unwrap_or(if until.is_some() {
            usize::MAX
        } else {
            NEXT_COUNT
        }),
        format,
        world: (args.world || args.share).then(|| world(&config)),
        remind,
        output: args.output.clone().filter(|path| path.as_os_str() != "-"),
    })
}

/// The cities of the world table and of the share line.
#[derive(Clone, Debug)]
pub struct World {
    /// `world.cities`, else the built-in twenty.
    pub cities: Vec<City>,
    /// `world.share`, else Los Angeles and Tokyo.
    pub share: Vec<City>,
}

/// The configured cities, or the built-in ones.
pub fn world(config: &Config) -> World {
    World {
        cities: config.world.cities.clone().unwrap_or_else(City::defaults),
        share: config
            .world
            .share
            .clone()
            .unwrap_or_else(|| City::list(DEFAULT_SHARE)),
    }
}

/// What `when` runs on.
#[derive(Clone, Debug)]
pub struct When {
    pub zone: Zone,
    /// The cities, with `--world` or `--share` (the only time `when` reads the config).
    pub world: Option<World>,
}

pub fn when(flag: Option<&Path>, args: &WhenArgs, env: &Environment) -> Result<When> {
    let world = if args.world || args.share {
        Some(world(&configuration(flag, env)?))
    } else {
        None
    };
    Ok(When {
        zone: zone(&args.zone)?,
        world,
    })
}

/// `--utc` / `--tz ZONE`, else the local zone (the commands that read no config).
pub fn zone(args: &ZoneArgs) -> Result<Zone, ParseError> {
    Zone::from_flags(args.utc, args.tz.as_deref())
}

/// The zone to show calendar times in: `--utc`/`--tz`, else `display.zone`.
pub fn display_zone(config: &Config, args: &ZoneArgs) -> Result<Zone, ParseError> {
    if args.utc || args.tz.is_some() {
        zone(args)
    } else {
        Ok(config.display.zone)
    }
}

/// The colour mode: `--color`, else `display.color`; `auto` becomes `never`
/// under `NO_COLOR`. `Auto` left over means "if stdout is a terminal".
pub fn color(config: &Config, flag: Option<ColorMode>, env: &Environment) -> ColorMode {
    let mode = flag.unwrap_or(config.display.color);
    if mode == ColorMode::Auto && env.no_color {
        ColorMode::Never
    } else {
        mode
    }
}

/// The milestone set of a command: the configured set (or the embedded
/// defaults when none is configured) plus the `-m` specs; with
/// `--no-defaults`, the `-m` specs alone. Local times in specs are read in `zone`.
///
/// Errors name the culprit: the file, line and column of a configured entry,
/// or the `-m` spec.
pub fn schedule(
    config: &Config,
    args: &MilestoneArgs,
    zone: Zone,
) -> Result<Schedule, ConfigError> {
    let extra: Vec<RuleEntry> = args
        .milestones
        .iter()
        .map(|spec| RuleEntry::notified(spec.as_str()))
        .collect();
    let configured: &[RuleEntry] = if args.no_defaults {
        if extra.is_empty() {
            return Err(ConfigError(
                "--no-defaults leaves no milestones: add at least one -m/--milestone SPEC".into(),
            ));
        }
        &[]
    } else {
        &config.milestones
    };
    if configured.is_empty() && extra.is_empty() {
        return Ok(Schedule::defaults());
    }
    // A large configured set is used as it is when nothing is added to it.
    let entries: Cow<[RuleEntry]> = if extra.is_empty() {
        Cow::Borrowed(configured)
    } else {
        let base: Vec<RuleEntry> = if args.no_defaults {
            Vec::new()
        } else if configured.is_empty() {
            DEFAULT_SPECS
                .iter()
                .copied()
                .map(RuleEntry::notified)
                .collect()
        } else {
            configured.to_vec()
        };
        Cow::Owned(base.into_iter().chain(extra.iter().cloned()).collect())
    };
    Schedule::from_entries(&entries, zone)
        .map_err(|err| locate(config, configured, &extra, zone, err))
}

/// Find which entry made `Schedule::from_entries` fail (error path only).
fn locate(
    config: &Config,
    configured: &[RuleEntry],
    extra: &[RuleEntry],
    zone: Zone,
    err: SpecError,
) -> ConfigError {
    let file = config.path().map_or_else(
        || "config file".to_string(),
        |p| format!("config file {}", p.display()),
    );
    let fails = |entry: &RuleEntry| Schedule::from_entries(std::slice::from_ref(entry), zone).err();
    for (i, entry) in configured.iter().enumerate() {
        if let Some(err) = fails(entry) {
            return match config.milestone_positions.get(i) {
                Some(Position { line, col }) => ConfigError(format!(
                    "{file}:{line}:{col}: milestone {:?}: {err}",
                    entry.spec
                )),
                None => ConfigError(format!("{file}: milestone {:?}: {err}", entry.spec)),
            };
        }
    }
    for entry in extra {
        if let Some(err) = fails(entry) {
            return ConfigError(format!("-m {:?}: {err}", entry.spec));
        }
    }
    ConfigError(format!("milestones: {err}"))
}

/// The alert settings of `watch`/`daemon`: the configuration, overridden by
/// `--remind`, `--bell`, `--no-notify`, `--countdown` and `--exec`.
pub fn alerts(config: &Config, args: &AlertArgs) -> Result<AlertSettings, ConfigError> {
    let mut alerts = config.alerts.clone();
    if let Some(text) = &args.remind {
        alerts.remind = time::parse_remind(text)
            .map_err(|err| ConfigError(format!("--remind {text:?}: {err}")))?;
    }
    if args.bell {
        alerts.bell = true;
    }
    if args.no_notify {
        alerts.desktop = false;
    }
    if let Some(text) = &args.countdown {
        alerts.countdown = time::parse_duration(text)
            .map_err(|err| err.to_string())
            .and_then(config::check_countdown)
            .map_err(|why| ConfigError(format!("--countdown {text:?}: {why}")))?;
    }
    if let Some(exec) = &args.exec {
        match exec.first() {
            None => alerts.exec = None,
            Some(program) if program.is_empty() => {
                return Err(ConfigError("--exec: the program name is empty".into()));
            }
            Some(_) => alerts.exec = Some(exec.clone()),
        }
    }
    Ok(alerts)
}

/// `daemon --catch-up DURATION`, else the configured `alerts.catch_up` (seconds).
pub fn catch_up(config: &Config, flag: Option<&str>) -> Result<i64, ConfigError> {
    match flag {
        None => Ok(config.alerts.catch_up),
        Some(text) => match time::parse_duration(text) {
            Ok(secs) if secs >= 0 => Ok(secs),
            Ok(_) => Err(ConfigError(format!(
                "--catch-up {text:?}: must not be negative"
            ))),
            Err(err) => Err(ConfigError(format!("--catch-up {text:?}: {err}"))),
        },
    }
}

#[cfg(test)]
mod tests;
