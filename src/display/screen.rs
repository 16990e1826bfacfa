//! Writing placed lines to the terminal, row by row: a row is rewritten only
//! when its line changed since the last frame, so a second costs the few rows
//! that change (the digits, the clock, the countdown), with no cell grid to
//! build and diff.

use std::io::{self, Write};

use crossterm::cursor::MoveTo;
use crossterm::queue;
use crossterm::style::{Attribute, Print, ResetColor, SetAttribute, SetStyle};
use crossterm::terminal::{Clear, ClearType};
use ratatui::backend::IntoCrossterm;
use ratatui::style::Style;
use ratatui::text::Line;

use super::render::Placed;

/// Remembers what each row shows, to rewrite only the rows that change.
#[derive(Debug, Default)]
pub struct RowWriter {
    size: (u16, u16),
    /// What each row shows now: the column it starts at and its line.
    rows: Vec<Option<(u16, Line<'static>)>>,
    /// The next frame's rows, kept between frames (see `out`).
    next: Vec<Option<(u16, Line<'static>)>>,
    /// The bytes of one frame, kept between frames so that drawing does not
    /// allocate (and the allocator does not give memory back and forth).
    out: Vec<u8>,
}

/// The style the terminal is writing with, so that a run of segments in one
/// style (the rows of the big digits) sets it once.
struct Pen {
    style: Style,
}

impl Pen {
    /// Start of a frame: the terminal is in its default style (every frame
    /// ends with a reset).
    fn new() -> Pen {
        Pen {
            style: Style::default(),
        }
    }

    /// Switch to `style` unless it is already set. Attributes are reset
    /// first, because setting a style does not clear the ones it lacks.
    fn set(&mut self, out: &mut Vec<u8>, style: Style) -> io::Result<()> {
        if style == self.style {
            return Ok(());
        }
        self.reset(out)?;
        if style != Style::default() {
            queue!(out, SetStyle(style.into_crossterm()))?;
            self.style = style;
        }
        Ok(())
    }

    fn reset(&mut self, out: &mut Vec<u8>) -> io::Result<()> {
        if self.style != Style::default() {
            queue!(out, ResetColor, SetAttribute(Attribute::Reset))?;
            self.style = Style::default();
        }
        Ok(())
    }
}

impl RowWriter {
    /// Forget the screen: the next frame rewrites every row.
    pub fn invalidate(&mut self) {
        self.rows.clear();
    }

    /// Bring the terminal of `size` (columns, rows) to show `placed`.
    /// Line wrapping must be off, so that over-long lines are clipped.
    pub fn draw(
        &mut self,
        terminal: &mut impl Write,
        size: (u16, u16),
        placed: Vec<Placed>,
    ) -> io::Result<()> {
        // One write per frame: the commands are gathered here first.
        let mut out = std::mem::take(&mut self.out);
        out.clear();
        let height = usize::from(size.1);
        if size != self.size || self.rows.len() != height {
            self.size = size;
            self.rows.clear();
            self.rows.resize(height, None);
            queue!(
                out,
                ResetColor,
                SetAttribute(Attribute::Reset),
                Clear(ClearType::All)
            )?;
        }
        let mut next = std::mem::take(&mut self.next);
        next.clear();
        next.resize(height, None);
        for p in placed {
            if let Some(slot) = next.get_mut(usize::from(p.y)) {
                *slot = Some((p.x, p.line));
            }
        }
        let mut pen = Pen::new();
        for (y, (old, new)) in self.rows.iter_mut().zip(next.drain(..)).enumerate() {
            if *old == new {
                continue;
            }
            let y = y as u16;
            if let (Some(before), Some(after)) = (old.as_ref(), new.as_ref())
                && let Some((column, text)) = changed_part(before, after)
            {
                // Only the cells that differ (the digits that moved on).
                pen.set(&mut out, after.1.style.patch(after.1.spans[0].style))?;
                queue!(out, MoveTo(column, y), Print(text))?;
                *old = new;
                continue;
            }
            // Clearing paints with the current background: reset it first.
            pen.reset(&mut out)?;
            queue!(out, MoveTo(0, y), Clear(ClearType::CurrentLine))?;
            if let Some((x, line)) = &new {
                queue!(out, MoveTo(*x, y))?;
                for span in &line.spans {
                    pen.set(&mut out, line.style.patch(span.style))?;
                    queue!(out, Print(&span.content))?;
                }
            }
            *old = new;
        }
        self.next = next;
        pen.reset(&mut out)?;
        let written = if out.is_empty() {
            Ok(())
        } else {
            terminal.write_all(&out).and_then(|()| terminal.flush())
        };
        self.out = out;
        written
    }
}

/// For two one-span lines at the same column, in the same style, of the
/// same number of one-cell characters: the column and text of the part that
/// differs. `None` when the row must be rewritten whole.
fn changed_part<'a>(
    before: &(u16, Line<'static>),
    after: &'a (u16, Line<'static>),
) -> Option<(u16, &'a str)> {
    let (x, old_line) = before;
    let (new_x, new_line) = after;
    let [old_span] = old_line.spans.as_slice() else {
        return None;
    };
    let [new_span] = new_line.spans.as_slice() else {
        return None;
    };
    if x != new_x || old_line.style.patch(old_span.style) != new_line.style.patch(new_span.style) {
        return None;
    }
    let one_cell = |c: char| c.is_ascii_graphic() || c == ' ' || c == '█';
    let new_text: &str = &new_span.content;
    let mut old_chars = old_span.content.chars();
    // One pass, no allocation: this runs for every changed row every second.
    let mut first: Option<(u16, usize)> = None;
    let mut end = 0;
    let mut column: u16 = 0;
    for (at, new) in new_text.char_indices() {
        let old = old_chars.next()?;
        if !one_cell(new) || !one_cell(old) {
            return None;
        }
        if new != old {
            first.get_or_insert((column, at));
            end = at + new.len_utf8();
        }
        column = column.saturating_add(1);
    }
    if old_chars.next().is_some() {
        return None;
    }
    let (offset, start) = first?;
    Some((x + offset, &new_text[start..end]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Style};

    fn placed(y: u16, text: &str) -> Placed {
        Placed {
            x: 2,
            y,
            line: Line::styled(text.to_string(), Style::default().fg(Color::Cyan)),
        }
    }

    /// One frame of the value on row 0 and a fixed row 2; the bytes written.
    fn frame(writer: &mut RowWriter, value: &str) -> String {
        let mut out = Vec::new();
        writer
            .draw(
                &mut out,
                (20, 3),
                vec![placed(0, value), placed(2, "in 1 s")],
            )
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rewrites_only_changed_rows() {
        let mut writer = RowWriter::default();
        let first = frame(&mut writer, "1795568278");
        assert!(first.contains("1795568278") && first.contains("in 1 s"));

        let second = frame(&mut writer, "1795568279");
        assert!(
            second.contains("\u{1b}[1;12H") && !second.contains("17955"),
            "{second:?}"
        );
        assert!(!second.contains("in 1 s"), "an unchanged row was rewritten");

        // Of a row that changed in a few cells, only those are written.
        let third = frame(&mut writer, "1795568289");
        assert!(third.contains("\u{1b}[1;11H"), "{third:?}");
        assert!(!third.contains("17955682"), "{third:?}");

        // A new size, or an invalidated screen, rewrites everything.
        writer.invalidate();
        assert!(frame(&mut writer, "1795568289").contains("in 1 s"));
    }
}
