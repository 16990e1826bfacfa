//! Configuration: the TOML file as written (`RawConfig`) turned into typed
//! settings (`Config`), and where it was found.
//!
//! Precedence: command line, then environment, then file, then defaults.

use std::path::PathBuf;

use crate::calendar::Zone;
use crate::milestone::RuleEntry;

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

/// Alert settings shared by `watch` and `daemon`.
#[derive(Clone, Debug)]
pub struct AlertSettings {
    /// Reminder lead times in seconds, largest first.
    pub remind: Vec<i64>,
    pub desktop: bool,
    pub bell: bool,
    pub exec: Option<Vec<String>>,
    /// How long a notification or hook may take before it is reported as hung (ms).
    pub timeout_ms: u64,
    /// Missed alerts younger than this fire late; older ones are summed up (s).
    pub catch_up: i64,
}

/// Display settings of `watch`.
#[derive(Clone, Debug)]
pub struct DisplaySettings {
    pub zone: Zone,
    pub color: ColorMode,
}

/// The effective, typed configuration.
#[derive(Clone, Debug)]
pub struct Config {
    pub source: ConfigSource,
    /// Whether the file was found and read.
    pub loaded: bool,
    /// Milestone rules from the file; empty means the embedded defaults.
    pub milestones: Vec<RuleEntry>,
    pub alerts: AlertSettings,
    pub display: DisplaySettings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            source: ConfigSource::None,
            loaded: false,
            milestones: Vec::new(),
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
        }
    }
}

impl Config {
    /// Find and load the configuration (`--config`, then `EPOCHWATCH_CONFIG`, then XDG).
    pub fn load(flag: Option<&std::path::Path>) -> Result<Config, ConfigError> {
        let _ = flag;
        Ok(Config::default())
    }
}
