//! Terminal set-up and restoration: raw mode, alternate screen, hidden
//! cursor, and the guarantee that every exit path puts them back.
//!
//! `Session::enter` installs a panic hook that restores the terminal before
//! the panic message is printed; dropping the session restores it too, so
//! `q`, signals and errors all leave the terminal as they found it.

use std::io::{self, Write};
use std::sync::Once;

use crossterm::cursor::{Hide, Show};
use crossterm::execute;
use crossterm::terminal::{
    DisableLineWrap, EnableLineWrap, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode,
    enable_raw_mode,
};

use super::View;
use super::render::{RowCache, layout_cached};
use super::screen::RowWriter;

/// The terminal in full-screen mode; restored on drop.
pub struct Session {
    writer: RowWriter,
    rows: RowCache,
    size: (u16, u16),
    active: bool,
}

static PANIC_HOOK: Once = Once::new();

/// Put the terminal back as it was: cursor shown, line wrapping on, main
/// screen, cooked mode. Safe to call more than once.
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(out, Show, EnableLineWrap, LeaveAlternateScreen);
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
    // No wrapping: a line wider than the terminal is clipped, not wrapped.
    execute!(io::stdout(), EnterAlternateScreen, Hide, DisableLineWrap)
}

impl Session {
    pub fn enter() -> io::Result<Session> {
        install_panic_hook();
        let size = match setup().and_then(|()| crossterm::terminal::size()) {
            Ok(size) => size,
            Err(err) => {
                restore();
                return Err(err);
            }
        };
        Ok(Session {
            writer: RowWriter::default(),
            rows: RowCache::default(),
            size,
            active: true,
        })
    }

    /// Show `view`, rewriting only the rows that changed.
    pub fn draw(&mut self, view: &View) -> io::Result<()> {
        let mut placed = layout_cached(view, self.size.0, self.size.1, &mut self.rows);
        let written = self.writer.draw(&mut RawStdout, self.size, &mut placed);
        self.rows.recycle(placed);
        written
    }

    /// The terminal is now `columns` x `rows` (from a resize event).
    pub fn resized(&mut self, columns: u16, rows: u16) {
        self.size = (columns, rows);
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

    /// Forget what is on screen (and re-read its size), so the next draw
    /// paints every row.
    pub fn repaint(&mut self) -> io::Result<()> {
        self.size = crossterm::terminal::size()?;
        self.writer.invalidate();
        Ok(())
    }
}

/// Standard output without std's line buffer, which would copy each frame
/// and search it for newlines before the one `write` it ends in. Everything
/// else written to stdout is flushed at once, so nothing is reordered.
struct RawStdout;

impl Write for RawStdout {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        // `write_all` retries after EINTR.
        nix::unistd::write(io::stdout(), bytes).map_err(io::Error::from)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        restore();
    }
}
