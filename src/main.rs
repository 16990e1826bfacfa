//! Thin entry point: parse nothing here, run the library, map the outcome to an exit status.
use std::process::ExitCode;

fn main() -> ExitCode {
    match epochwatch::run(std::env::args_os()) {
        Ok(status) => status.into(),
        Err(err) => epochwatch::error::report(&err),
    }
}
