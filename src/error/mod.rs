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

mod usage;

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

    /// A usage error from the argument parser, as one line: what is wrong,
    /// with the accepted values or its suggestion appended (see `usage`).
    pub fn usage(err: &clap::Error) -> Error {
        Error::bad_input(usage::one_line(err))
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
        let line = self.to_string();
        let _ = writeln!(io::stderr(), "epochwatch: error: {}", escape(&line));
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

/// `text` safe to print on one line of a terminal: control characters
/// (newlines, tabs, escape sequences, C1 controls) and the invisible
/// characters that reorder or hide text (bidirectional overrides,
/// zero-width and line separators) are written as Rust escapes (`\n`,
/// `\u{1b}`); everything else is kept, quotes and backslashes included.
/// The one escaping of what the user gave that an error echoes.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_keeps_one_line() {
        assert_eq!(escape("plain 'é' \\ \""), "plain 'é' \\ \"");
        assert_eq!(escape("+%\n\t\u{1b}[31m"), "+%\\n\\t\\u{1b}[31m");
        assert_eq!(escape("a\u{202e}b\u{85}c"), "a\\u{202e}b\\u{85}c");
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
