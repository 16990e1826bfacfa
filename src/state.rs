//! The daemon's state: `$XDG_STATE_HOME/epochwatch/state.toml`, and its lock.
//!
//! `fired_through` is the epoch second through which every alert has been
//! handled (when the daemon last looked). It is written before an alert is
//! dispatched, so a crash or a restart never repeats one. The file is
//! replaced atomically: a temporary file in the same directory is written,
//! fsynced and renamed over the old one, then the directory is fsynced.
//!
//! `daemon.lock` in the same directory is held (an exclusive `flock`) by the
//! running daemon for its whole life and names its pid.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::milestone::Epoch;

/// How many fired alerts the file keeps, for humans.
pub const RECENT_KEPT: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(
        "cannot find the state directory: set XDG_STATE_HOME or HOME (or pass an absolute XDG_STATE_HOME)"
    )]
    NoStateDir,
    #[error(
        "state file {path} is not valid ({detail}); it was left untouched: fix it, or move it aside to start afresh"
    )]
    Garbage { path: PathBuf, detail: String },
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("another epochwatch daemon is already running (lock {path} held by {holder})")]
    Locked { path: PathBuf, holder: String },
}

impl From<StateError> for crate::error::Error {
    fn from(err: StateError) -> crate::error::Error {
        crate::error::Error::machine(err)
    }
}

fn io_err(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> StateError + use<> {
    let path = path.to_path_buf();
    move |source| StateError::Io {
        action,
        path,
        source,
    }
}

/// One alert the daemon fired, as recorded for humans.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiredRecord {
    /// `milestone`, `reminder` or `missed`.
    pub kind: String,
    pub epoch: Epoch,
    pub label: String,
    pub due: Epoch,
    pub late_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Every alert due at or before this second has been handled.
    pub fired_through: Epoch,
    /// The last few fired alerts, oldest first.
    #[serde(default)]
    pub recent: Vec<FiredRecord>,
}

impl State {
    pub fn new(fired_through: Epoch) -> State {
        State {
            fired_through,
            recent: Vec::new(),
        }
    }

    /// Remember a fired alert, keeping only the last `RECENT_KEPT`.
    pub fn record(&mut self, record: FiredRecord) {
        self.recent.push(record);
        if self.recent.len() > RECENT_KEPT {
            let extra = self.recent.len() - RECENT_KEPT;
            self.recent.drain(..extra);
        }
    }
}

/// Where the state lives.
#[derive(Clone, Debug)]
pub struct StateDir {
    dir: PathBuf,
}

impl StateDir {
    /// `$XDG_STATE_HOME/epochwatch` (when set and absolute), else the
    /// platform's state directory (`~/.local/state/epochwatch`).
    pub fn locate() -> Result<StateDir, StateError> {
        let xdg = std::env::var_os("XDG_STATE_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute());
        let base = match xdg {
            Some(base) => base,
            None => directories::BaseDirs::new()
                .and_then(|b| b.state_dir().map(Path::to_path_buf))
                .ok_or(StateError::NoStateDir)?,
        };
        Ok(StateDir {
            dir: base.join("epochwatch"),
        })
    }

    pub fn at(dir: impl Into<PathBuf>) -> StateDir {
        StateDir { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn state_path(&self) -> PathBuf {
        self.dir.join("state.toml")
    }

    pub fn lock_path(&self) -> PathBuf {
        self.dir.join("daemon.lock")
    }

    fn ensure_dir(&self) -> Result<(), StateError> {
        fs::create_dir_all(&self.dir).map_err(io_err("cannot create", &self.dir))
    }

    /// The saved state, or `None` when there is none yet (first start).
    pub fn load(&self) -> Result<Option<State>, StateError> {
        let path = self.state_path();
        let text = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_err("cannot read", &path)(e)),
        };
        let garbage = |detail: String| StateError::Garbage {
            path: path.clone(),
            detail,
        };
        let text = String::from_utf8(text).map_err(|_| garbage("not UTF-8 text".to_string()))?;
        let state: State = toml::from_str(&text).map_err(|e| garbage(e.message().to_string()))?;
        Ok(Some(state))
    }

    /// Replace the state file atomically and durably.
    pub fn save(&self, state: &State) -> Result<(), StateError> {
        self.ensure_dir()?;
        let path = self.state_path();
        let mut text = String::from(
            "# epochwatch daemon state: written by the daemon, safe to delete\n\
             # (it then starts afresh and alerts only from the time it starts).\n",
        );
        text.push_str(&toml::to_string(state).map_err(|e| StateError::Io {
            action: "cannot encode",
            path: path.clone(),
            source: std::io::Error::other(e.to_string()),
        })?);
        let mut tmp = tempfile::Builder::new()
            .prefix(".state.")
            .suffix(".tmp")
            .tempfile_in(&self.dir)
            .map_err(io_err("cannot create a temporary file in", &self.dir))?;
        tmp.write_all(text.as_bytes())
            .map_err(io_err("cannot write", tmp.path()))?;
        tmp.as_file()
            .sync_all()
            .map_err(io_err("cannot sync", &path))?;
        tmp.persist(&path)
            .map_err(|e| io_err("cannot replace", &path)(e.error))?;
        // Make the rename itself durable.
        File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(io_err("cannot sync", &self.dir))?;
        Ok(())
    }

    /// Take the daemon lock for the life of the returned guard.
    pub fn lock(&self) -> Result<DaemonLock, StateError> {
        self.ensure_dir()?;
        let path = self.lock_path();
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err("cannot open", &path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let holder = match text.trim().parse::<u32>() {
                    Ok(pid) => format!("pid {pid}"),
                    Err(_) => "another process".to_string(),
                };
                return Err(StateError::Locked { path, holder });
            }
            Err(TryLockError::Error(e)) => return Err(io_err("cannot lock", &path)(e)),
        }
        let write_pid = |file: &mut File| -> std::io::Result<()> {
            file.set_len(0)?;
            file.seek(SeekFrom::Start(0))?;
            writeln!(file, "{}", std::process::id())?;
            file.sync_all()
        };
        write_pid(&mut file).map_err(io_err("cannot write", &path))?;
        Ok(DaemonLock { _file: file, path })
    }
}

/// Held while the daemon runs; the lock is released when the file is closed.
#[derive(Debug)]
pub struct DaemonLock {
    _file: File,
    path: PathBuf,
}

impl DaemonLock {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_missing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = StateDir::at(tmp.path().join("epochwatch"));
        assert_eq!(dir.load().unwrap(), None);
        let mut state = State::new(1_234_567_000);
        for i in 0..15 {
            state.record(FiredRecord {
                kind: "milestone".to_string(),
                epoch: i,
                label: format!("m{i}"),
                due: i,
                late_ms: 0,
            });
        }
        assert_eq!(state.recent.len(), RECENT_KEPT);
        assert_eq!(state.recent[0].epoch, 5);
        dir.save(&state).unwrap();
        dir.save(&state).unwrap();
        assert_eq!(dir.load().unwrap(), Some(state));
        // No temporary files left behind.
        let names: Vec<_> = fs::read_dir(dir.dir()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn garbage_is_an_error_naming_the_file_and_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = StateDir::at(tmp.path());
        fs::write(dir.state_path(), "fired_through = \"soon\"\n").unwrap();
        let err = dir.load().unwrap_err().to_string();
        assert!(err.contains("state.toml"), "{err}");
        assert!(err.contains("not valid"), "{err}");
        assert_eq!(
            fs::read_to_string(dir.state_path()).unwrap(),
            "fired_through = \"soon\"\n"
        );
    }

    #[test]
    fn second_lock_names_the_holder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = StateDir::at(tmp.path());
        let held = dir.lock().unwrap();
        let err = dir.lock().unwrap_err().to_string();
        assert!(
            err.contains(&format!("held by pid {}", std::process::id())),
            "{err}"
        );
        assert!(err.starts_with("another epochwatch daemon is already running"));
        drop(held);
        dir.lock().unwrap();
    }
}
