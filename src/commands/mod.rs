//! One module per subcommand (a variant of `cli::Command`, checked by
//! `tests/integration/layout.rs`): thin shells that resolve their settings,
//! call the library and write the result (the formats they write are in
//! `crate::output`).

pub mod at;
pub mod bar;
pub mod completions;
pub mod config;
pub mod daemon;
pub mod next;
pub mod notify_test;
pub mod now;
pub mod watch;
pub mod when;

use std::io::Write;

use crate::error::{Exit, Result};

/// Write a command's whole output to stdout and flush it; a reader that
/// went away (`| head`) is not an error.
pub fn print(bytes: &[u8]) -> Result<Exit> {
    let mut out = std::io::stdout().lock();
    Exit::from_output(out.write_all(bytes).and_then(|()| out.flush()))
}
