//! What a test needs before it can run, asked for in one statement: tools
//! on PATH, libfaketime, a private session bus or an X display. Each is
//! checked in that order through [`super::require_tools`] and the starters
//! built on it, so a missing one is the same loud `SKIPPED` line (a failure
//! under `CI=true`), located at the test:
//!
//! ```ignore
//! let Some(ready) = Needs::tools(&["polybar"]).faketime().x_display().check() else {
//!     return;
//! };
//! ```

use super::Faketime;
use super::desktop::DesktopSession;

/// The needs of one test, gathered before [`Needs::check`].
#[must_use = "nothing is checked before .check()"]
pub struct Needs {
    tools: Vec<&'static str>,
    faketime: bool,
    desktop: Desktop,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Desktop {
    None,
    /// A session bus, no notification server.
    Bus,
    /// A session bus and Xvfb, no notification server.
    X,
}

/// What [`Needs::check`] started: each part there when it was asked for.
pub struct Ready {
    faketime: Option<Faketime>,
    desktop: Option<DesktopSession>,
}

impl Needs {
    /// These tools on PATH (none: `&[]`).
    pub fn tools(tools: &[&'static str]) -> Needs {
        Needs {
            tools: tools.to_vec(),
            faketime: false,
            desktop: Desktop::None,
        }
    }

    /// libfaketime, to start or freeze the binary's clock.
    pub fn faketime(mut self) -> Needs {
        self.faketime = true;
        self
    }

    /// A private session bus with no notification server.
    pub fn bus(mut self) -> Needs {
        self.desktop = Desktop::Bus;
        self
    }

    /// A private session bus and an X display (Xvfb).
    pub fn x_display(mut self) -> Needs {
        self.desktop = Desktop::X;
        self
    }

    /// Everything asked for, started; `None` after a loud skip when
    /// something is missing (the test then returns).
    #[track_caller]
    pub fn check(self) -> Option<Ready> {
        if !super::require_tools(&self.tools) {
            return None;
        }
        let faketime = match self.faketime {
            true => Some(Faketime::require(&[])?),
            false => None,
        };
        let desktop = match self.desktop {
            Desktop::None => None,
            Desktop::Bus => Some(DesktopSession::bus_only()?),
            Desktop::X => Some(DesktopSession::x_display()?),
        };
        Some(Ready { faketime, desktop })
    }
}

impl Ready {
    /// libfaketime (asked for with [`Needs::faketime`]).
    pub fn faketime(&self) -> &Faketime {
        self.faketime
            .as_ref()
            .expect("Needs::faketime() was asked for")
    }

    /// The bus or display (asked for with [`Needs::bus`] or [`Needs::x_display`]).
    pub fn desktop(&self) -> &DesktopSession {
        self.desktop
            .as_ref()
            .expect("Needs::bus() or x_display() was asked for")
    }

    /// The X display (`:N`) of [`Needs::x_display`].
    pub fn display(&self) -> String {
        self.desktop()
            .display()
            .expect("Needs::x_display() was asked for")
            .to_string()
    }
}
