//! How a run ends, in one place: [`Exit`] for a command that ran to its end,
//! [`Error`] for one that did not. Each owns its exit status:
//! 0 success, 1 failure, 2 bad input or usage, 128+N stopped by signal N.
//!
//! An error type says by its type that it is the user's input being wrong:
//! it implements [`InputError`], and `?` turns it into an [`Error`] with
//! status 2. Everything else is a failure of the machine (status 1).
//! Context added on the way up ([`Context`]) keeps the status.

use std::fmt::{self, Display};
use std::io::{self, Write};
use std::process::ExitCode;

/// How a command that ran to its end finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Success,
    /// Stopped by signal N (exit status 128+N, as shells report it).
    Signal(i32),
}

impl Exit {
    /// The result of writing a command's output: a reader that went away
    /// (`| head`) had what it wanted, so a closed pipe is success too.
    pub fn from_output(written: io::Result<()>) -> Result<Exit> {
        match written {
            Ok(()) => Ok(Exit::Success),
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(Exit::Success),
            Err(err) => Err(Error::from(err).context("cannot write to stdout")),
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        match exit {
            Exit::Success => ExitCode::SUCCESS,
            Exit::Signal(n) => ExitCode::from(128u8.saturating_add(u8::try_from(n).unwrap_or(0))),
        }
    }
}

/// Whose fault an error is, which decides the exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The machine: a file that cannot be written, no notification server (1).
    Machine,
    /// What the user typed or wrote: bad values, files, usage (2).
    Input,
}

/// An error that knows its exit status, with the chain of context that led to it.
#[derive(Debug)]
pub struct Error {
    fault: Fault,
    inner: anyhow::Error,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Marks an error type as the user's input being wrong (exit status 2).
pub trait InputError: std::error::Error + Send + Sync + 'static {}

impl Error {
    /// A failure of the machine, for error types that are not input errors.
    pub fn machine(err: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error {
            fault: Fault::Machine,
            inner: anyhow::Error::new(err),
        }
    }

    /// A failure of the machine, described by `message`.
    pub fn failure(message: impl Display) -> Error {
        Error {
            fault: Fault::Machine,
            inner: anyhow::anyhow!("{message}"),
        }
    }

    /// Bad input, described by `message`.
    pub fn bad_input(message: impl Display) -> Error {
        Error {
            fault: Fault::Input,
            inner: anyhow::anyhow!("{message}"),
        }
    }

    /// A usage error from the argument parser, as one line: clap's first
    /// line, with the accepted values or its suggestion appended.
    pub fn usage(err: &clap::Error) -> Error {
        Error::bad_input(one_line_usage(&err.render().to_string()))
    }

    pub fn fault(&self) -> Fault {
        self.fault
    }

    /// Say what was being done when this happened (kept on the same line).
    pub fn context(self, context: impl Display + Send + Sync + 'static) -> Error {
        Error {
            fault: self.fault,
            inner: self.inner.context(context),
        }
    }

    /// The exit status for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self.fault {
            Fault::Machine => ExitCode::from(1),
            Fault::Input => ExitCode::from(2),
        }
    }

    /// Print the one-line report to stderr and return the exit status.
    pub fn report(&self) -> ExitCode {
        let _ = writeln!(io::stderr(), "epochwatch: error: {self}");
        self.exit_code()
    }
}

/// `{:#}` joins the context chain on one line: "reading x: No such file".
impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.inner)
    }
}

impl<E: InputError> From<E> for Error {
    fn from(err: E) -> Error {
        Error {
            fault: Fault::Input,
            inner: anyhow::Error::new(err),
        }
    }
}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Error {
        Error::machine(err)
    }
}

/// Context for any result whose error becomes an [`Error`].
pub trait Context<T> {
    fn context(self, context: impl Display + Send + Sync + 'static) -> Result<T>;
    fn with_context<C: Display + Send + Sync + 'static>(
        self,
        context: impl FnOnce() -> C,
    ) -> Result<T>;
}

impl<T, E: Into<Error>> Context<T> for std::result::Result<T, E> {
    fn context(self, context: impl Display + Send + Sync + 'static) -> Result<T> {
        self.map_err(|err| err.into().context(context))
    }

    fn with_context<C: Display + Send + Sync + 'static>(
        self,
        context: impl FnOnce() -> C,
    ) -> Result<T> {
        self.map_err(|err| err.into().context(context()))
    }
}

/// The one line of a clap error: its message without the "error: "
/// prefix, then what it accepts or suggests, without the usage lines.
fn one_line_usage(rendered: &str) -> String {
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("invalid arguments");
    let mut out = first.strip_prefix("error: ").unwrap_or(first).to_string();
    for line in lines {
        if let Some(values) = line
            .strip_prefix("[possible values: ")
            .and_then(|v| v.strip_suffix(']'))
        {
            out.push_str(&format!(" (possible values: {values})"));
        } else if let Some(tip) = line.strip_prefix("tip: ") {
            out.push_str(&format!(" ({tip})"));
        } else if line.starts_with("Usage:") || line.starts_with("For more information") {
            continue;
        } else if !line.starts_with(['-', '<', '[']) {
            // A further sentence of the message itself.
            out.push(' ');
            out.push_str(line);
        }
    }
    out.push_str("; see --help");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_errors_become_one_line() {
        let rendered = "error: invalid value 'foo' for '<SHELL>'\n  \
                        [possible values: bash, elvish, fish, powershell, zsh]\n\n\
                        For more information, try '--help'.\n";
        assert_eq!(
            one_line_usage(rendered),
            "invalid value 'foo' for '<SHELL>' (possible values: bash, elvish, fish, \
             powershell, zsh); see --help"
        );
        let rendered = "error: unexpected argument '--colr' found\n\n  \
                        tip: a similar argument exists: '--color'\n\n\
                        Usage: epochwatch watch --color <WHEN>\n\n\
                        For more information, try '--help'.\n";
        assert_eq!(
            one_line_usage(rendered),
            "unexpected argument '--colr' found (a similar argument exists: '--color'); \
             see --help"
        );
    }

    #[test]
    fn context_keeps_the_status() {
        let err: Error = Error::bad_input("bad").context("reading x");
        assert_eq!(err.fault(), Fault::Input);
        assert_eq!(err.to_string(), "reading x: bad");
        let io: Result<()> = Err(io::Error::other("disk")).context("writing y");
        assert_eq!(io.unwrap_err().fault(), Fault::Machine);
    }
}
