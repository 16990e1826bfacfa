//! One module per subcommand: thin shells that resolve settings, call the
//! library and write the result.

pub mod at;
pub mod completions;
pub mod config;
pub mod daemon;
pub mod next;
pub mod notify_test;
pub mod now;
pub mod watch;
pub mod when;

use crate::error::{EXIT_BAD_INPUT, EXIT_OK, Status};

/// Let clap print help, version or a usage error; map it to our statuses.
pub fn clap_exit(err: clap::Error) -> anyhow::Result<Status> {
    let _ = err.print();
    let code = if err.use_stderr() {
        EXIT_BAD_INPUT
    } else {
        EXIT_OK
    };
    std::process::exit(i32::from(code));
}
