//! Where the configuration file is: `--config`, then `EPOCHWATCH_CONFIG`,
//! then the XDG (platform) location. Paths say where they came from.

use std::fmt;
use std::path::{Path, PathBuf};

use super::ConfigSource;

/// The environment variables the configuration reads, captured once so that
/// resolution is a pure function (and testable without touching the process
/// environment). Empty values count as unset.
#[derive(Clone, Debug, Default)]
pub struct EnvVars {
    /// `EPOCHWATCH_CONFIG`: the config file path.
    pub config: Option<PathBuf>,
    /// `EPOCHWATCH_REMIND`: overrides `alerts.remind` (same syntax as `--remind`).
    pub remind: Option<String>,
    /// `NO_COLOR` is set and not empty: colour `auto` means `never`.
    pub no_color: bool,
    /// `XDG_CONFIG_HOME`, honoured on every platform when set to an absolute path.
    pub xdg_config_home: Option<PathBuf>,
}

fn non_empty(name: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

impl EnvVars {
    /// Read the variables from the process environment.
    pub fn from_process() -> EnvVars {
        EnvVars {
            config: non_empty("EPOCHWATCH_CONFIG").map(PathBuf::from),
            // A value that is not UTF-8 cannot be a valid list; keep it lossy so
            // that the parse error shows what was there.
            remind: non_empty("EPOCHWATCH_REMIND").map(|v| v.to_string_lossy().into_owned()),
            no_color: non_empty("NO_COLOR").is_some(),
            xdg_config_home: non_empty("XDG_CONFIG_HOME").map(PathBuf::from),
        }
    }
}

/// The default location: `$XDG_CONFIG_HOME/epochwatch/config.toml`, else the
/// platform's config directory (`~/.config/epochwatch/config.toml` on Linux).
pub fn default_path(env: &EnvVars) -> Option<PathBuf> {
    if let Some(xdg) = env.xdg_config_home.as_deref().filter(|p| p.is_absolute()) {
        return Some(xdg.join("epochwatch").join("config.toml"));
    }
    directories::ProjectDirs::from("", "", "epochwatch")
        .map(|dirs| dirs.config_dir().join("config.toml"))
}

/// Decide which file to read, and why.
pub fn resolve_source(flag: Option<&Path>, env: &EnvVars) -> ConfigSource {
    if let Some(path) = flag {
        return ConfigSource::Flag(path.to_path_buf());
    }
    if let Some(path) = &env.config {
        return ConfigSource::Env(path.clone());
    }
    match default_path(env) {
        Some(path) => ConfigSource::Default(path),
        None => ConfigSource::None,
    }
}

impl ConfigSource {
    /// The file path, if any location could be determined.
    pub fn path(&self) -> Option<&Path> {
        match self {
            ConfigSource::Flag(p) | ConfigSource::Env(p) | ConfigSource::Default(p) => Some(p),
            ConfigSource::None => None,
        }
    }

    /// Whether a missing file is an error (it is when the user named it).
    pub fn must_exist(&self) -> bool {
        matches!(self, ConfigSource::Flag(_) | ConfigSource::Env(_))
    }

    /// Short origin phrase: "--config", "EPOCHWATCH_CONFIG", "default location".
    pub fn origin(&self) -> &'static str {
        match self {
            ConfigSource::Flag(_) => "--config",
            ConfigSource::Env(_) => "EPOCHWATCH_CONFIG",
            ConfigSource::Default(_) => "default location",
            ConfigSource::None => "none",
        }
    }
}

/// `/path/config.toml (from --config)`.
impl fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigSource::Flag(p) => write!(f, "{} (from --config)", p.display()),
            ConfigSource::Env(p) => write!(f, "{} (from EPOCHWATCH_CONFIG)", p.display()),
            ConfigSource::Default(p) => write!(f, "{} (default location)", p.display()),
            ConfigSource::None => f.write_str("(no configuration location: no home directory)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_beats_env_beats_xdg() {
        let env = EnvVars {
            config: Some(PathBuf::from("/env/c.toml")),
            xdg_config_home: Some(PathBuf::from("/xdg")),
            ..EnvVars::default()
        };
        assert_eq!(
            resolve_source(Some(Path::new("/flag.toml")), &env),
            ConfigSource::Flag(PathBuf::from("/flag.toml"))
        );
        assert_eq!(
            resolve_source(None, &env),
            ConfigSource::Env(PathBuf::from("/env/c.toml"))
        );
        let env = EnvVars {
            xdg_config_home: Some(PathBuf::from("/xdg")),
            ..EnvVars::default()
        };
        assert_eq!(
            resolve_source(None, &env),
            ConfigSource::Default(PathBuf::from("/xdg/epochwatch/config.toml"))
        );
    }

    #[test]
    fn relative_xdg_is_ignored() {
        let env = EnvVars {
            xdg_config_home: Some(PathBuf::from("relative")),
            ..EnvVars::default()
        };
        let path = default_path(&env);
        assert!(path.is_none_or(|p| !p.starts_with("relative")));
    }
}
