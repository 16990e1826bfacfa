//! Configuration: the TOML file as written (`raw::RawConfig`) turned into typed
//! values with the defaults (`Config`), and where it was found
//! (`ConfigSource`). It knows nothing of the command line: `crate::settings`
//! puts flags and environment on top (command line, then environment, then
//! file, then defaults).
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
//! - `XDG_CONFIG_HOME`: the base of the default location.
//!
//! Empty variables count as unset. The variables that change values
//! (`EPOCHWATCH_REMIND`, `NO_COLOR`) are applied by `crate::settings`.

mod bar;
mod cities;
mod deep_key;
mod paths;
mod raw;
mod render;

use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use crate::milestone::RuleEntry;
use crate::time::{self, Zone, normalize_leads, parse_instant, parse_remind};

pub use bar::BarSettings;
pub use cities::WorldSettings;
pub use paths::{EnvVars, default_path, resolve_source};
pub use render::render_effective;

use raw::{RawAlerts, RawConfig, RawDuration, RawMilestone, RawRemind, Scalar};

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

impl crate::error::InputError for ConfigError {}

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

/// When to use colours: the one colour setting of the file and `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ColorMode {
    /// When stdout is a terminal (and `NO_COLOR` is not set).
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
    /// The final countdown: one notification this many seconds before each
    /// notified milestone, updated each second (0: none).
    pub countdown: i64,
    /// The `sound-name` hint on a milestone's notification.
    pub sound: bool,
}

/// The longest countdown: one update a second for an hour.
pub const MAX_COUNTDOWN_SECS: i64 = 3_600;

/// A countdown length as written (seconds), or why it cannot be one.
pub fn check_countdown(secs: i64) -> Result<i64, String> {
    if secs < 0 {
        Err("must not be negative".to_string())
    } else if secs > MAX_COUNTDOWN_SECS {
        Err("at most 1h (one update a second)".to_string())
    } else {
        Ok(secs)
    }
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
    pub countdown: Origin,
    pub sound: Origin,
    pub zone: Origin,
    pub color: Origin,
    pub world_cities: Origin,
    pub world_share: Origin,
    pub bar_soon: Origin,
    pub bar_imminent: Origin,
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
    pub world: WorldSettings,
    pub bar: BarSettings,
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
                countdown: 10,
                sound: true,
            },
            display: DisplaySettings {
                zone: Zone::Local,
                color: ColorMode::Auto,
            },
            world: WorldSettings::default(),
            bar: BarSettings::default(),
            origins: Origins::default(),
        }
    }
}

impl Config {
    /// Find and load the configuration file: `--config` (`flag`), then
    /// `EPOCHWATCH_CONFIG`, then XDG; the defaults where there is none.
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
        Ok(config)
    }

    /// Parse the text of a config file; `path` is only used in messages.
    /// The result has `source` None and no environment applied.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw = parse_raw(text, path)?;
        Converter { text, path }.convert(raw)
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
            // toml names no place for a key deeper than it reads.
            None => match deep_key::deepest(text) {
                Some((offset, parts)) if message == "recursion limit" => at(
                    path,
                    text,
                    offset,
                    &format!("a dotted key of {parts} parts is nested too deeply to read"),
                ),
                _ => ConfigError(format!("config file {}: {message}", path.display())),
            },
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
    let before = &text[..floor_char_boundary(text, offset)];
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
            config.display.color = color;
            origins.color = Origin::File;
        }

        self.alerts(raw.alerts.unwrap_or_default(), &mut config)?;

        if let Some(world) = raw.world {
            config.world = self.world(world, &mut config.origins)?;
        }

        if let Some(bar) = raw.bar {
            config.bar = self.bar(bar, &mut config.origins)?;
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

    /// The `[alerts]` table into `config`.
    fn alerts(&self, alerts: RawAlerts, config: &mut Config) -> Result<(), ConfigError> {
        let origins = &mut config.origins;
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
        if let Some(countdown) = alerts.countdown {
            let span = countdown.span();
            let secs = self.duration(countdown, "alerts.countdown")?;
            config.alerts.countdown = check_countdown(secs)
                .map_err(|why| self.err(span, format!("alerts.countdown: {why}")))?;
            origins.countdown = Origin::File;
        }
        if let Some(sound) = alerts.sound {
            config.alerts.sound = sound;
            origins.sound = Origin::File;
        }
        Ok(())
    }

    fn duration(&self, value: Spanned<RawDuration>, key: &str) -> Result<i64, ConfigError> {
        let span = value.span();
        match value.into_inner().value {
            Scalar::Int(secs) => Ok(secs),
            Scalar::Text(text) => {
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
            RawMilestone::Int(n) => Ok(RuleEntry::notified(n.to_string())),
            RawMilestone::Spec(spec) => Ok(RuleEntry::notified(spec)),
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
                        let epoch = match instant.into_inner().value {
                            Scalar::Int(n) => n,
                            Scalar::Text(text) => parse_instant(&text, zone)
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

/// Positions of increasing byte offsets, in one pass over the text: the
/// column is carried along the line, so 100,000 entries on one line cost
/// what they cost on as many lines.
fn positions(text: &str, offsets: &[usize]) -> Vec<Position> {
    let mut out = Vec::with_capacity(offsets.len());
    let (mut pos, mut line, mut col) = (0usize, 1usize, 1usize);
    for &offset in offsets {
        let end = floor_char_boundary(text, offset);
        if end < pos {
            // Not increasing (should not happen): fall back to a fresh scan.
            out.push(position(text, offset));
            continue;
        }
        let segment = &text[pos..end];
        match segment.rfind('\n') {
            Some(i) => {
                line += segment.bytes().filter(|&b| b == b'\n').count();
                col = segment[i + 1..].chars().count() + 1;
            }
            None => col += segment.chars().count(),
        }
        pos = end;
        out.push(Position { line, col });
    }
    out
}

/// The largest char boundary at or before `offset` (clamped to the text).
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests;
