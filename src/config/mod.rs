//! Configuration: the TOML file as written (`raw::RawConfig`) turned into typed
//! settings (`Config`), where it was found (`ConfigSource`), and the functions
//! the commands use to combine it with their flags.
//!
//! Precedence: command line, then environment, then file, then defaults.
//!
//! # Where the file is
//! `--config PATH`, else `EPOCHWATCH_CONFIG`, else
//! `$XDG_CONFIG_HOME/epochwatch/config.toml` (the platform config directory
//! when `XDG_CONFIG_HOME` is unset: `~/.config/epochwatch/config.toml` on
//! Linux). A missing file at the default location means defaults; a missing
//! file named by `--config` or `EPOCHWATCH_CONFIG` is an error.
//!
//! # Format
//! See [`STARTER`] (what `epochwatch config init` writes) for every key,
//! commented. Unknown keys and bad values are errors naming the file, line and
//! column; they exit with status 2.
//!
//! # Environment
//! - `EPOCHWATCH_CONFIG`: the config file path (below `--config`).
//! - `EPOCHWATCH_REMIND`: overrides `alerts.remind`, same syntax as `--remind`
//!   (`1d,1h,1m,10s` or `none`); `--remind` overrides it.
//! - `NO_COLOR` (set, not empty): colour `auto` (file or flag) means `never`.
//! - `XDG_CONFIG_HOME`: the base of the default location.
//!
//! Empty variables count as unset.

mod paths;
mod raw;
mod render;

use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use crate::cli::{AlertArgs, ColorChoice, MilestoneArgs, ZoneArgs};
use crate::milestone::{DEFAULT_SPECS, RuleEntry, Schedule};
use crate::time::{
    self, ParseError, Zone, normalize_leads, parse_instant, parse_remind,
};

pub use paths::{EnvVars, default_path, resolve_source};
pub use render::render_effective;

use raw::{RawColor, RawConfig, RawDuration, RawInstant, RawMilestone, RawRemind};

/// The commented starter file written by `epochwatch config init`. It loads
/// without error and says the same as the defaults.
pub const STARTER: &str = include_str!("starter.toml");

/// Files larger than this are refused (a config is text a person writes;
/// this also stops `--config /dev/zero` from eating memory).
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A bad configuration file or value; names the file, line and column where known.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// Where the config file path came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigSource {
    /// `--config PATH`.
    Flag(PathBuf),
    /// `EPOCHWATCH_CONFIG`.
    Env(PathBuf),
    /// The XDG (platform) location; may not exist.
    Default(PathBuf),
    /// No location could be determined (no home directory).
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorMode {
    Auto,
    Always,
    Never,
}

impl ColorMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ColorMode::Auto => "auto",
            ColorMode::Always => "always",
            ColorMode::Never => "never",
        }
    }
}

/// Alert settings shared by `watch` and `daemon`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertSettings {
    /// Reminder lead times in seconds, largest first, no duplicates, all > 0.
    pub remind: Vec<i64>,
    pub desktop: bool,
    pub bell: bool,
    /// Program and arguments (no shell); never an empty vector.
    pub exec: Option<Vec<String>>,
    /// How long a notification or hook may take before it is reported as hung (ms).
    pub timeout_ms: u64,
    /// Missed alerts younger than this fire late; older ones are summed up (s).
    pub catch_up: i64,
}

/// Display settings of `watch` (and the local column of `next`).
#[derive(Clone, Debug)]
pub struct DisplaySettings {
    pub zone: Zone,
    pub color: ColorMode,
}

/// Where one effective value came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Origin {
    #[default]
    Default,
    /// The config file.
    File,
    /// An environment variable.
    Env(&'static str),
}

/// The origin of each setting, for `config show`.
#[derive(Clone, Debug, Default)]
pub struct Origins {
    pub milestones: Origin,
    pub remind: Origin,
    pub desktop: Origin,
    pub bell: Origin,
    pub exec: Origin,
    pub timeout: Origin,
    pub catch_up: Origin,
    pub zone: Origin,
    pub color: Origin,
}

/// A place in the config file, 1-based; the column counts characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub col: usize,
}

/// The effective, typed configuration.
#[derive(Clone, Debug)]
pub struct Config {
    pub source: ConfigSource,
    /// Whether the file was found and read.
    pub loaded: bool,
    /// Milestone rules from the file; empty means the embedded defaults.
    pub milestones: Vec<RuleEntry>,
    /// Where each of `milestones` was written (same length), for error messages.
    pub milestone_positions: Vec<Position>,
    pub alerts: AlertSettings,
    pub display: DisplaySettings,
    /// `NO_COLOR` was set: `--color auto` also means never.
    pub no_color: bool,
    pub origins: Origins,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            source: ConfigSource::None,
            loaded: false,
            milestones: Vec::new(),
            milestone_positions: Vec::new(),
            alerts: AlertSettings {
                remind: vec![86_400, 3_600, 60, 10],
                desktop: true,
                bell: false,
                exec: None,
                timeout_ms: 5_000,
                catch_up: 3_600,
            },
            display: DisplaySettings {
                zone: Zone::Local,
                color: ColorMode::Auto,
            },
            no_color: false,
            origins: Origins::default(),
        }
    }
}

impl Config {
    /// Find and load the configuration (`--config`, then `EPOCHWATCH_CONFIG`,
    /// then XDG), and apply the environment.
    pub fn load(flag: Option<&Path>) -> Result<Config, ConfigError> {
        Config::load_with(flag, &EnvVars::from_process())
    }

    /// [`Config::load`] with the environment given explicitly.
    pub fn load_with(flag: Option<&Path>, env: &EnvVars) -> Result<Config, ConfigError> {
        let source = resolve_source(flag, env);
        let mut config = match source.path() {
            None => Config::default(),
            Some(path) => match read_file(path, &source)? {
                Some(text) => {
                    let mut config = Config::from_toml(&text, path)?;
                    config.loaded = true;
                    config
                }
                None => Config::default(),
            },
        };
        config.source = source;
        config.apply_env(env)?;
        Ok(config)
    }

    /// Parse the text of a config file; `path` is only used in messages.
    /// The result has `source` None and no environment applied.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw = parse_raw(text, path)?;
        Converter { text, path }.convert(raw)
    }

    fn apply_env(&mut self, env: &EnvVars) -> Result<(), ConfigError> {
        if let Some(text) = &env.remind {
            self.alerts.remind = parse_remind(text)
                .map_err(|err| ConfigError(format!("EPOCHWATCH_REMIND={text:?}: {err}")))?;
            self.origins.remind = Origin::Env("EPOCHWATCH_REMIND");
        }
        if env.no_color {
            self.no_color = true;
            if self.display.color == ColorMode::Auto {
                self.display.color = ColorMode::Never;
                self.origins.color = Origin::Env("NO_COLOR");
            }
        }
        Ok(())
    }

    /// The config file path, when one could be determined.
    pub fn path(&self) -> Option<&Path> {
        self.source.path()
    }
}

/// Deserialize `doc`; error positions are computed in `original` (same offsets).
fn parse_raw(text: &str, path: &Path) -> Result<RawConfig, ConfigError> {
    toml::from_str(text).map_err(|err| {
        let message = one_line(err.message());
        match err.span() {
            Some(span) => at(path, text, span.start, &message),
            None => ConfigError(format!("config file {}: {message}", path.display())),
        }
    })
}

/// Read the file; `Ok(None)` when it is absent and that is allowed.
fn read_file(path: &Path, source: &ConfigSource) -> Result<Option<String>, ConfigError> {
    let fail = |what: &str| ConfigError(format!("config file {source}: {what}"));
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return if source.must_exist() {
                Err(fail("not found"))
            } else {
                Ok(None)
            };
        }
        Err(err) => return Err(fail(&format!("cannot open: {}", io_message(&err)))),
    };
    if let Ok(meta) = file.metadata()
        && meta.is_dir()
    {
        return Err(fail("is a directory, not a file"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| fail(&format!("cannot read: {}", io_message(&err))))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(&format!(
            "larger than {} MiB; is this really a config file?",
            MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(err) => {
            let good = err.utf8_error().valid_up_to();
            let bytes = err.as_bytes();
            let line = bytes[..good].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(ConfigError(format!(
                "config file {}:{line}: not UTF-8 text (invalid byte at offset {good}); \
                 is this really a config file?",
                path.display()
            )))
        }
    }
}

/// "No such file or directory" without the "(os error 2)".
fn io_message(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Line and column (1-based, columns in characters) of a byte offset.
pub fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: before.bytes().filter(|&b| b == b'\n').count() + 1,
        col: before[line_start..].chars().count() + 1,
    }
}

fn at(path: &Path, text: &str, offset: usize, message: &str) -> ConfigError {
    let Position { line, col } = position(text, offset);
    ConfigError(format!(
        "config file {}:{line}:{col}: {message}",
        path.display()
    ))
}

/// Turns the raw file into typed settings, with positioned errors.
struct Converter<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Converter<'_> {
    fn err(&self, span: Range<usize>, message: impl std::fmt::Display) -> ConfigError {
        at(self.path, self.text, span.start, &message.to_string())
    }

    fn convert(&self, raw: RawConfig) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        let origins = &mut config.origins;

        // Display first: date-times in milestone tables are read in its zone.
        let display = raw.display.unwrap_or_default();
        if let Some(zone) = display.zone {
            config.display.zone = Zone::parse(zone.get_ref())
                .map_err(|err| self.err(zone.span(), format!("display.zone: {err}")))?;
            origins.zone = Origin::File;
        }
        if let Some(color) = display.color {
            config.display.color = match color {
                RawColor::Auto => ColorMode::Auto,
                RawColor::Always => ColorMode::Always,
                RawColor::Never => ColorMode::Never,
            };
            origins.color = Origin::File;
        }

        let alerts = raw.alerts.unwrap_or_default();
        if let Some(remind) = alerts.remind {
            config.alerts.remind = self.remind(remind)?;
            origins.remind = Origin::File;
        }
        if let Some(desktop) = alerts.desktop {
            config.alerts.desktop = desktop;
            origins.desktop = Origin::File;
        }
        if let Some(bell) = alerts.bell {
            config.alerts.bell = bell;
            origins.bell = Origin::File;
        }
        if let Some(exec) = alerts.exec {
            let span = exec.span();
            let exec = exec.into_inner();
            if exec.first().is_some_and(|program| program.is_empty()) {
                return Err(self.err(span, "alerts.exec: the program name is empty"));
            }
            config.alerts.exec = (!exec.is_empty()).then_some(exec);
            origins.exec = Origin::File;
        }
        if let Some(timeout) = alerts.timeout {
            let span = timeout.span();
            let secs = self.duration(timeout, "alerts.timeout")?;
            if secs <= 0 {
                return Err(self.err(span, "alerts.timeout: must be more than zero"));
            }
            config.alerts.timeout_ms = u64::try_from(secs)
                .ok()
                .and_then(|s| s.checked_mul(1000))
                .ok_or_else(|| self.err(span, "alerts.timeout: too long"))?;
            origins.timeout = Origin::File;
        }
        if let Some(catch_up) = alerts.catch_up {
            let span = catch_up.span();
            let secs = self.duration(catch_up, "alerts.catch_up")?;
            if secs < 0 {
                return Err(self.err(span, "alerts.catch_up: must not be negative"));
            }
            config.alerts.catch_up = secs;
            origins.catch_up = Origin::File;
        }

        if let Some(list) = raw.milestones {
            let zone = config.display.zone;
            let mut entries = Vec::with_capacity(list.len());
            let mut offsets = Vec::with_capacity(list.len());
            for item in list {
                let span = item.span();
                entries.push(self.milestone(item.into_inner(), span.clone(), zone)?);
                offsets.push(span.start);
            }
            config.milestone_positions = positions(self.text, &offsets);
            config.milestones = entries;
            config.origins.milestones = Origin::File;
        }
        Ok(config)
    }

    fn duration(&self, value: Spanned<RawDuration>, key: &str) -> Result<i64, ConfigError> {
        let span = value.span();
        match value.into_inner() {
            RawDuration::Seconds(secs) => Ok(secs),
            RawDuration::Text(text) => {
                time::parse_duration(&text).map_err(|err| self.err(span, format!("{key}: {err}")))
            }
        }
    }

    fn remind(&self, remind: Spanned<RawRemind>) -> Result<Vec<i64>, ConfigError> {
        let span = remind.span();
        match remind.into_inner() {
            RawRemind::Text(text) => {
                parse_remind(&text).map_err(|err| self.err(span, format!("alerts.remind: {err}")))
            }
            RawRemind::List(items) => {
                let mut leads = Vec::with_capacity(items.len());
                for item in items {
                    let span = item.span();
                    let secs = self.duration(item, "alerts.remind")?;
                    if secs <= 0 {
                        return Err(
                            self.err(span, "alerts.remind: lead times must be more than zero")
                        );
                    }
                    leads.push(secs);
                }
                Ok(normalize_leads(leads))
            }
        }
    }

    fn milestone(
        &self,
        raw: RawMilestone,
        span: Range<usize>,
        zone: Zone,
    ) -> Result<RuleEntry, ConfigError> {
        let entry = |spec: String, notify: bool| RuleEntry { spec, notify };
        match raw {
            RawMilestone::Int(n) => Ok(entry(n.to_string(), true)),
            RawMilestone::Spec(spec) => Ok(entry(spec, true)),
            RawMilestone::Table(table) => {
                let table = *table;
                let notify = table.notify.unwrap_or(true);
                match (table.at, table.rule) {
                    (Some(_), Some(_)) => {
                        Err(self.err(span, "milestone: give either `at` or `rule`, not both"))
                    }
                    (None, None) => Err(self.err(
                        span,
                        "milestone: a table needs `at` (an instant) or `rule` (a spec)",
                    )),
                    (None, Some(rule)) => {
                        if table.label.is_some() {
                            return Err(self.err(
                                span,
                                "milestone: `label` goes with `at`; for a rule, write the label \
                                 in the spec if the rule supports one (\"N=LABEL\")",
                            ));
                        }
                        Ok(entry(rule, notify))
                    }
                    (Some(instant), None) => {
                        let at_span = instant.span();
                        let epoch = match instant.into_inner() {
                            RawInstant::Epoch(n) => n,
                            RawInstant::Text(text) => parse_instant(&text, zone)
                                .map_err(|err| self.err(at_span, format!("milestone at: {err}")))?,
                        };
                        let spec = match table.label {
                            Some(label) if !label.is_empty() => format!("{epoch}={label}"),
                            _ => epoch.to_string(),
                        };
                        Ok(entry(spec, notify))
                    }
                }
            }
        }
    }
}

/// Positions of increasing byte offsets, in one pass over the text.
fn positions(text: &str, offsets: &[usize]) -> Vec<Position> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(offsets.len());
    let (mut pos, mut line, mut line_start) = (0usize, 1usize, 0usize);
    for &offset in offsets {
        if offset < pos {
            // Not increasing (should not happen): fall back to a fresh scan.
            out.push(position(text, offset));
            continue;
        }
        let end = offset.min(bytes.len());
        for (i, &b) in bytes[pos..end].iter().enumerate() {
            if b == b'\n' {
                line += 1;
                line_start = pos + i + 1;
            }
        }
        pos = end;
        let col = text
            .get(line_start..end)
            .map_or(end - line_start, |s| s.chars().count())
            + 1;
        out.push(Position { line, col });
    }
    out
}

/// The milestone set of a command: the configured set (or the embedded
/// defaults when none is configured) plus the `-m` specs; with
/// `--no-defaults`, the `-m` specs alone. Local times in specs are read in `zone`.
///
/// Errors name the culprit: the file, line and column of a configured entry,
/// or the `-m` spec.
pub fn schedule_for(
    config: &Config,
    args: &MilestoneArgs,
    zone: Zone,
) -> Result<Schedule, ConfigError> {
    let extra: Vec<RuleEntry> = args
        .milestones
        .iter()
        .map(|spec| RuleEntry {
            spec: spec.clone(),
            notify: true,
        })
        .collect();
    if args.no_defaults {
        if extra.is_empty() {
            return Err(ConfigError(
                "--no-defaults leaves no milestones: add at least one -m/--milestone SPEC".into(),
            ));
        }
        return Schedule::from_entries(&extra, zone)
            .map_err(|err| locate(config, &[], &extra, zone, err));
    }
    if config.milestones.is_empty() {
        if extra.is_empty() {
            return Ok(Schedule::defaults());
        }
        let mut entries: Vec<RuleEntry> = DEFAULT_SPECS
            .iter()
            .map(|spec| RuleEntry {
                spec: (*spec).to_string(),
                notify: true,
            })
            .collect();
        entries.extend(extra.iter().cloned());
        return Schedule::from_entries(&entries, zone)
            .map_err(|err| locate(config, &[], &extra, zone, err));
    }
    let result = if extra.is_empty() {
        Schedule::from_entries(&config.milestones, zone)
    } else {
        let mut entries = config.milestones.clone();
        entries.extend(extra.iter().cloned());
        Schedule::from_entries(&entries, zone)
    };
    result.map_err(|err| locate(config, &config.milestones, &extra, zone, err))
}

/// Find which entry made `Schedule::from_entries` fail (error path only).
fn locate(
    config: &Config,
    configured: &[RuleEntry],
    extra: &[RuleEntry],
    zone: Zone,
    err: crate::milestone::SpecError,
) -> ConfigError {
    let file = config.path().map_or_else(
        || "config file".to_string(),
        |p| format!("config file {}", p.display()),
    );
    for (i, entry) in configured.iter().enumerate() {
        if let Err(err) = Schedule::from_entries(std::slice::from_ref(entry), zone) {
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
        if let Err(err) = Schedule::from_entries(std::slice::from_ref(entry), zone) {
            return ConfigError(format!("-m {:?}: {err}", entry.spec));
        }
    }
    ConfigError(format!("milestones: {err}"))
}

/// The alert settings of `watch`/`daemon`: the configuration, overridden by
/// `--remind`, `--bell`, `--no-notify` and `--exec`.
pub fn alert_settings_for(config: &Config, args: &AlertArgs) -> Result<AlertSettings, ConfigError> {
    let mut alerts = config.alerts.clone();
    if let Some(text) = &args.remind {
        alerts.remind =
            parse_remind(text).map_err(|err| ConfigError(format!("--remind {text:?}: {err}")))?;
    }
    if args.bell {
        alerts.bell = true;
    }
    if args.no_notify {
        alerts.desktop = false;
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
pub fn catch_up_for(config: &Config, flag: Option<&str>) -> Result<i64, ConfigError> {
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

/// The zone to show calendar times in: `--utc`/`--tz`, else `display.zone`.
pub fn display_zone_for(config: &Config, args: &ZoneArgs) -> Result<Zone, ParseError> {
    if args.utc || args.tz.is_some() {
        Zone::from_flags(args.utc, args.tz.as_deref())
    } else {
        Ok(config.display.zone)
    }
}

/// The colour mode: `--color`, else `display.color`; `auto` becomes `never`
/// under `NO_COLOR`. `Auto` left over means "if stdout is a terminal".
pub fn color_for(config: &Config, flag: Option<ColorChoice>) -> ColorMode {
    let mode = match flag {
        Some(ColorChoice::Auto) => ColorMode::Auto,
        Some(ColorChoice::Always) => ColorMode::Always,
        Some(ColorChoice::Never) => ColorMode::Never,
        None => config.display.color,
    };
    if mode == ColorMode::Auto && config.no_color {
        ColorMode::Never
    } else {
        mode
    }
}

#[cfg(test)]
mod tests;
