//! Exit statuses and error reporting, in one place.
//!
//! 0 success, 1 failure, 2 bad input or usage, 128+N killed by signal N.
//! Library modules return their own `thiserror` types; the edge wraps them in
//! `anyhow` with context, and `report` decides the status by looking for an
//! input error anywhere in the chain.

use std::io::Write;
use std::process::ExitCode;

/// Exit status of a command that ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Success,
    /// Stopped by signal N (exit 128+N, as shells do).
    Signal(i32),
}

pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_BAD_INPUT: u8 = 2;

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        match status {
            Status::Success => ExitCode::from(EXIT_OK),
            Status::Signal(n) => ExitCode::from(128u8.saturating_add(n as u8)),
        }
    }
}

/// An error in what the user typed or wrote, as opposed to a failure of the
/// machine. Any error carrying this in its chain exits with status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// True when the error (or something it wraps) is the user's input being wrong.
pub fn is_bad_input(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.is::<BadInput>()
            || cause.is::<crate::time::ParseError>()
            || cause.is::<crate::milestone::SpecError>()
            || cause.is::<crate::config::ConfigError>()
    })
}

/// Print a one-line error to stderr and return the matching exit status.
pub fn report(err: &anyhow::Error) -> ExitCode {
    // `{:#}` joins the context chain on one line: "reading x: No such file".
    let _ = writeln!(std::io::stderr(), "epochwatch: error: {err:#}");
    if is_bad_input(err) {
        ExitCode::from(EXIT_BAD_INPUT)
    } else {
        ExitCode::from(EXIT_FAILURE)
    }
}
