//! `epochwatch config path|init|show`.
//!
//! - `path` prints three lines: the path alone (so `| head -1` gives it to
//!   scripts), `source: --config|EPOCHWATCH_CONFIG|default location`, and
//!   `exists: yes|no`. It does not read the file. With no location at all (no
//!   home directory) it fails with status 1.
//! - `init` writes the commented starter file at that path, creating parent
//!   directories; the write is atomic (temporary file in the same directory,
//!   then a no-clobber rename). It never overwrites an existing file: that is
//!   an error, status 1. On success it prints `created PATH`.
//! - `show` loads the file (errors exit 2, as everywhere), checks the
//!   milestone specs, and prints the effective settings as TOML that loads
//!   back, with a comment on each value saying where it came from.

use std::io::{self, Write};
use std::path::Path;

use crate::cli::{ConfigAction, ConfigArgs, MilestoneArgs};
use crate::config::{self, ConfigSource, EnvVars, STARTER};
use crate::error::{Context, Error, Exit, Result};
use crate::settings::{self, Environment};

pub fn run(config_flag: Option<&Path>, args: &ConfigArgs) -> Result<Exit> {
    match args.action {
        ConfigAction::Path => path(config_flag),
        ConfigAction::Init => init(config_flag),
        ConfigAction::Show => show(config_flag),
    }
}

fn located(config_flag: Option<&Path>) -> Result<ConfigSource> {
    let source = config::resolve_source(config_flag, &EnvVars::from_process());
    if source.path().is_none() {
        return Err(Error::failure(
            "no configuration location: no home directory found; \
             use --config PATH or EPOCHWATCH_CONFIG",
        ));
    }
    Ok(source)
}

fn path(config_flag: Option<&Path>) -> Result<Exit> {
    let source = located(config_flag)?;
    let Some(path) = source.path() else {
        return Ok(Exit::Success);
    };
    let exists = if path.exists() { "yes" } else { "no" };
    let text = format!(
        "{}\nsource: {}\nexists: {exists}\n",
        path.display(),
        source.origin()
    );
    super::print(text.as_bytes())
}

fn init(config_flag: Option<&Path>) -> Result<Exit> {
    let source = located(config_flag)?;
    let Some(path) = source.path() else {
        return Ok(Exit::Success);
    };
    let refuse = || {
        Error::failure(format!(
            "config file {} already exists; not overwriting it \
             (remove or rename it first, or pass --config NEWPATH)",
            path.display()
        ))
    };
    if path.exists() {
        return Err(refuse());
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".config.toml.")
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    temp.write_all(STARTER.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("writing {}", temp.path().display()))?;
    if let Err(err) = temp.persist_noclobber(path) {
        if err.error.kind() == io::ErrorKind::AlreadyExists {
            return Err(refuse());
        }
        return Err(err.error).with_context(|| format!("writing {}", path.display()));
    }
    super::print(format!("created {}\n", path.display()).as_bytes())
}

fn show(config_flag: Option<&Path>) -> Result<Exit> {
    let config = settings::configuration(config_flag, &Environment::from_process())?;
    // Check the milestone specs too, so that `config show` is a full check.
    settings::schedule(&config, &MilestoneArgs::default(), config.display.zone)?;
    super::print(config::render_effective(&config).as_bytes())
}
