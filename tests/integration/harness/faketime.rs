//! libfaketime preloaded into the binary itself (so signals and exit
//! statuses are its own): its wall clock started at a chosen instant, or
//! frozen at one.

use std::path::PathBuf;

/// The libfaketime preload library.
pub struct Faketime {
    lib: PathBuf,
}

impl Faketime {
    /// libfaketime, with `tools` also on PATH; else a loud skip (a failure
    /// when CI=true) and `None`.
    #[track_caller]
    pub fn require(tools: &[&str]) -> Option<Faketime> {
        if !super::require_tools(tools) {
            return None;
        }
        match libfaketime() {
            Some(lib) => Some(Faketime { lib }),
            None => {
                super::skip("libfaketime.so.1 not found (package libfaketime)");
                None
            }
        }
    }

    /// The variables that start the binary's wall clock at `start` (it then
    /// runs). `FAKETIME` takes a date, `@YYYY-MM-DD hh:mm:ss`, read in TZ,
    /// which is UTC in the test environment. Only the wall clock is faked:
    /// the alert timeouts (mpsc `recv_timeout`) wait on the real monotonic
    /// clock.
    pub fn start_at(&self, start: i64) -> Vec<(String, String)> {
        let when =
            chrono::DateTime::<chrono::Utc>::from_timestamp(start, 0).expect("epoch in range");
        vec![
            ("LD_PRELOAD".to_string(), self.lib.display().to_string()),
            (
                "FAKETIME".to_string(),
                when.format("@%Y-%m-%d %H:%M:%S").to_string(),
            ),
            ("FAKETIME_DONT_RESET".to_string(), "1".to_string()),
            ("DONT_FAKE_MONOTONIC".to_string(), "1".to_string()),
        ]
    }

    /// The variables that stop the binary's clock at the instant `secs` +
    /// `nanos`. libfaketime reads no negative epoch, so an instant before
    /// 1970 is given as a date, which it reads in TZ: the command's TZ must
    /// then be UTC. It reads even an epoch through the local time of TZ
    /// (`strptime` and `mktime`), so an instant in TZ's repeated hour may
    /// come out as the other one: freeze those with TZ=UTC too. It reads the fraction as a double and truncates it to
    /// nanoseconds, so the fraction is given half a nanosecond more.
    pub fn frozen_at_instant(&self, secs: i64, nanos: u32) -> Vec<(String, String)> {
        if secs >= 0 {
            let mut vars = self.frozen_at(&format!("{secs}.{nanos:09}5"));
            vars.push(("FAKETIME_FMT".to_string(), "%s".to_string()));
            vars
        } else {
            self.frozen_at(&format!("{}.{nanos:09}5", super::calendar::iso_wall(secs)))
        }
    }

    /// The variables that stop the binary's clock at `local`
    /// (`YYYY-MM-DD hh:mm:ss`, read in the local zone, TZ).
    pub fn frozen_at(&self, local: &str) -> Vec<(String, String)> {
        vec![
            ("LD_PRELOAD".to_string(), self.lib.display().to_string()),
            ("FAKETIME".to_string(), local.to_string()),
        ]
    }
}

/// The libfaketime preload library, if installed.
fn libfaketime() -> Option<PathBuf> {
    [
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/faketime/libfaketime.so.1",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}
