//! Terminal set-up and restoration: raw mode, alternate screen, hidden
//! cursor, and the guarantee that every exit path puts them back.
//!
//! `Session::enter` installs a panic hook that restores the terminal before
//! the panic message is printed; dropping the session restores it too, so
//! `q`, signals and errors all leave the terminal as they found it.
//!
//! A terminal that reports a size of 0 (a pty whose size was never set, as
//! some serial consoles and container runtimes leave it) is drawn at
//! `$COLUMNS` x `$LINES`, else 80x24, each dimension on its own.

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
        let size = match setup().and_then(|()| terminal_size()) {
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
        self.size = usable_size((columns, rows), |name| std::env::var(name).ok());
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
        self.size = terminal_size()?;
        self.writer.invalidate();
        Ok(())
    }
}

/// The terminal's size, with [`usable_size`]'s fallback for a zero.
fn terminal_size() -> io::Result<(u16, u16)> {
    let reported = crossterm::terminal::size()?;
    Ok(usable_size(reported, |name| std::env::var(name).ok()))
}

/// `reported` (columns, rows), where each zero is replaced by the variable
/// (`COLUMNS`, `LINES`) when it holds a positive number, else by 80 or 24.
fn usable_size(reported: (u16, u16), var: impl Fn(&str) -> Option<String>) -> (u16, u16) {
    let pick = |reported: u16, name: &str, default: u16| {
        if reported > 0 {
            return reported;
        }
        var(name)
            .and_then(|v| v.trim().parse::<u16>().ok())
            .filter(|&n| n > 0)
            .unwrap_or(default)
    };
    (
        pick(reported.0, "COLUMNS", 80),
        pick(reported.1, "LINES", 24),
    )
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

#[cfg(test)]
mod tests {
    use super::usable_size;

    #[test]
    fn a_zero_size_falls_back_to_the_variables_then_80x24() {
        let none = |_: &str| None;
        assert_eq!(usable_size((120, 40), none), (120, 40));
        assert_eq!(usable_size((0, 0), none), (80, 24));
        let vars = |name: &str| Some(if name == "COLUMNS" { "100" } else { "x" }.to_string());
        assert_eq!(usable_size((0, 0), vars), (100, 24));
        assert_eq!(usable_size((0, 30), vars), (100, 30));
        let zero = |_: &str| Some("0".to_string());
        assert_eq!(usable_size((0, 0), zero), (80, 24));
    }
}
