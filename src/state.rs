//! The daemon's state: `$XDG_STATE_HOME/epochwatch/state.toml`, and its lock.
//!
//! - `fired_through`, `mark` and `delivered`: the engine's history (how far it has
//!   looked, and how each recent milestone was delivered).
//! - `pending`: alerts handed to the channels whose delivery is not yet
//!   confirmed. Each is recorded before it is sent and removed once sent,
//!   so a restart re-sends what a crash interrupted (the delivery contract
//!   in docs/delivery.md).
//! - `recent`: the last few alerts, for humans.
//!
//! The file is replaced atomically: a temporary file in the same directory
//! is written, fsynced and renamed over the old one, then the directory is
//! fsynced. A damaged file is moved aside, never destroyed.
//!
//! `daemon.lock` in the same directory is held (an exclusive `flock`) by the
//! running daemon for its whole life and names its pid.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::alert::Alert;
use crate::engine::{Delivered, History};
use crate::milestone::Epoch;

/// How many fired alerts the file keeps, for humans.
pub const RECENT_KEPT: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(
        "cannot find the state directory: set XDG_STATE_HOME or HOME (or pass an absolute XDG_STATE_HOME)"
    )]
    NoStateDir,
    #[error("state file {path} is not valid ({detail})")]
    Garbage { path: PathBuf, detail: String },
    #[error("cannot save the state file {path}: {}", io_message(cause))]
    Save {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{action} {path}: {}", io_message(cause))]
    Io {
        action: &'static str,
        path: PathBuf,
        cause: std::io::Error,
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
    move |cause| StateError::Io {
        action,
        path,
        cause,
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
    /// Every alert due at or before this second has been handled once.
    pub fired_through: Epoch,
    /// Alerts due after this second are still to be looked at (behind
    /// `fired_through` after a large backward step of the clock); absent means `fired_through`.
    #[serde(default)]
    pub mark: Option<Epoch>,
    /// How each recent milestone was delivered.
    #[serde(default)]
    pub delivered: Vec<Delivered>,
    /// Alerts sent whose delivery is not confirmed yet: re-sent at start.
    #[serde(default)]
    pub pending: Vec<Alert>,
    /// The last few fired alerts, oldest first.
    #[serde(default)]
    pub recent: Vec<FiredRecord>,
}

impl State {
    pub fn new(fired_through: Epoch) -> State {
        State {
            fired_through,
            mark: None,
            delivered: Vec::new(),
            pending: Vec::new(),
            recent: Vec::new(),
        }
    }

    /// The engine's history as saved.
    pub fn history(&self) -> History {
        History::restore(
            self.fired_through,
            self.mark.unwrap_or(self.fired_through),
            self.delivered.iter().copied(),
        )
    }

    /// Take the engine's history; true when the change must be saved:
    /// anything but `fired_through` moving on. Saved with the next change instead:
    /// `fired_through` passes no alert without one (each alert is saved as it goes
    /// out), so a restart from an older `fired_through` finds nothing due between,
    /// and the daemon writes nothing on the wakes between alerts (a host
    /// that sets the clock often wakes it often).
    pub fn set_history(&mut self, history: &History) -> bool {
        let mark = (history.mark != history.fired_through).then_some(history.mark);
        let changed = history.fired_through < self.fired_through
            || self.mark != mark
            || !self.delivered.iter().eq(history.records());
        self.fired_through = history.fired_through;
        if changed {
            self.mark = mark;
            self.delivered = history.records().copied().collect();
        }
        changed
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
        let path = self.state_path();
        let failed = |cause: std::io::Error| StateError::Save {
            path: path.clone(),
            cause,
        };
        let mut text = String::from(
            "# epochwatch daemon state: written by the daemon, safe to delete\n\
             # (it then starts afresh and alerts only from the time it starts).\n",
        );
        let encoded = toml::to_string(state).map_err(|e| failed(std::io::Error::other(e)))?;
        text.push_str(&encoded);
        fs::create_dir_all(&self.dir).map_err(failed)?;
        crate::atomic::write(&path, text.as_bytes(), 0o600).map_err(failed)
    }

    /// Move a damaged state file aside, keeping it next to where it was
    /// (`state.toml.damaged-<epoch>`); returns where it went.
    pub fn set_aside(&self, now: Epoch) -> Result<PathBuf, StateError> {
        let path = self.state_path();
        let mut kept = self.dir.join(format!("state.toml.damaged-{now}"));
        let mut n = 1;
        while kept.exists() {
            kept = self.dir.join(format!("state.toml.damaged-{now}.{n}"));
            n += 1;
        }
        fs::rename(&path, &kept).map_err(io_err("cannot move aside", &path))?;
        Ok(kept)
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
                let holder = match holder_pid(&mut file) {
                    Some(pid) => format!("pid {pid}"),
                    None => "another process".to_string(),
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
        // The pid is for the message of a second daemon; the lock itself is
        // held without it (a full disk must not stop the alerts).
        let _ = write_pid(&mut file);
        Ok(DaemonLock { _file: file, path })
    }
}

/// The pid the lock's holder wrote. A daemon that has just taken the lock
/// may not have written it yet: look again for up to a second.
fn holder_pid(file: &mut File) -> Option<u32> {
    for _ in 0..100 {
        let mut text = String::new();
        if file.seek(SeekFrom::Start(0)).is_ok()
            && file.read_to_string(&mut text).is_ok()
            && let Ok(pid) = text.trim().parse::<u32>()
        {
            return Some(pid);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    None
}

/// "No space left on device" without the "(os error 28)".
fn io_message(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
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
