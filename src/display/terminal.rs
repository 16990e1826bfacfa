//! Terminal set-up and restoration: raw mode, alternate screen, hidden
//! cursor, and the guarantee that every exit path puts them back.
//!
//! `Session::enter` installs a panic hook that restores the terminal before
//! the panic message is printed; dropping the session restores it too, so
//! `q`, signals and errors all leave the terminal as they found it.

use std::io::{self, Stdout, Write};
use std::sync::Once;

use crossterm::cursor::{Hide, Show};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// The terminal in full-screen mode; restored on drop.
pub struct Session {
    pub terminal: Tui,
    active: bool,
}

static PANIC_HOOK: Once = Once::new();

/// Put the terminal back as it was: cursor shown, main screen, cooked mode.
/// Safe to call more than once.
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(out, Show, LeaveAlternateScreen);
    let _ = disable_raw_mode();
    let _ = out.flush();
}

fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

fn setup() -> io::Result<()> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, Hide)
}

impl Session {
    pub fn enter() -> io::Result<Session> {
        install_panic_hook();
        if let Err(err) = setup() {
            restore();
            return Err(err);
        }
        let terminal = match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(t) => t,
            Err(err) => {
                restore();
                return Err(err);
            }
        };
        Ok(Session {
            terminal,
            active: true,
        })
    }

    /// Leave full-screen mode for a while (Ctrl-Z).
    pub fn pause(&mut self) {
        if self.active {
            restore();
            self.active = false;
        }
    }

    /// Come back after `pause`; the next draw repaints everything.
    pub fn resume(&mut self) -> io::Result<()> {
        if !self.active {
            setup()?;
            self.active = true;
        }
        self.repaint()
    }

    /// Clear the screen and forget what was on it, so the next draw paints
    /// every cell. (`Terminal::clear` would ask the terminal for the cursor
    /// position, which waits for the input thread's reader: a 2 s stall.)
    pub fn repaint(&mut self) -> io::Result<()> {
        execute!(io::stdout(), Clear(ClearType::All))?;
        self.terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        Ok(())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        restore();
    }
}
