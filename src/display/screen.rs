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
use ratatui::text::Line;

use super::render::Placed;

/// Remembers what each row shows, to rewrite only the rows that change.
#[derive(Debug, Default)]
pub struct RowWriter {
    size: (u16, u16),
    /// What each row shows now: the column it starts at and its line.
    rows: Vec<Option<(u16, Line<'static>)>>,
    /// The bytes of one frame, kept between frames so that drawing does not
    /// allocate (and the allocator does not give memory back and forth).
    out: Vec<u8>,
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
        let (_, height) = size;
        if size != self.size || self.rows.len() != usize::from(height) {
            self.size = size;
            self.rows = vec![None; usize::from(height)];
            queue!(
                out,
                ResetColor,
                SetAttribute(Attribute::Reset),
                Clear(ClearType::All)
            )?;
        }
        let mut next: Vec<Option<(u16, Line<'static>)>> = vec![None; usize::from(height)];
        for p in placed {
            if let Some(slot) = next.get_mut(usize::from(p.y)) {
                *slot = Some((p.x, p.line));
            }
        }
        for (y, (old, new)) in self.rows.iter_mut().zip(next).enumerate() {
            if *old == new {
                continue;
            }
            let y = y as u16;
            if let (Some(before), Some(after)) = (old.as_ref(), new.as_ref())
                && let Some((column, text)) = changed_part(before, after)
            {
                // Only the cells that differ (the digits that moved on).
                let style = after.1.style.patch(after.1.spans[0].style);
                queue!(
                    out,
                    MoveTo(column, y),
                    SetStyle(style.into_crossterm()),
                    Print(text),
                    ResetColor,
                    SetAttribute(Attribute::Reset)
                )?;
                *old = new;
                continue;
            }
            queue!(out, MoveTo(0, y), Clear(ClearType::CurrentLine))?;
            if let Some((x, line)) = &new {
                queue!(out, MoveTo(*x, y))?;
                for span in &line.spans {
                    let style = line.style.patch(span.style);
                    queue!(
                        out,
                        SetStyle(style.into_crossterm()),
                        Print(&span.content),
                        ResetColor,
                        SetAttribute(Attribute::Reset)
                    )?;
                }
            }
            *old = new;
        }
        let written = terminal.write_all(&out).and_then(|()| terminal.flush());
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
    let one_cell = |c: char| c.is_ascii_graphic() || c == ' ' || c == '█';
    if x != new_x
        || old_line.style.patch(old_span.style) != new_line.style.patch(new_span.style)
        || !old_span.content.chars().all(one_cell)
        || !new_span.content.chars().all(one_cell)
        || old_span.content.chars().count() != new_span.content.chars().count()
    {
        return None;
    }
    let old_chars: Vec<char> = old_span.content.chars().collect();
    let new_text: &str = &new_span.content;
    let new_chars: Vec<(usize, char)> = new_text.char_indices().collect();
    let first = new_chars
        .iter()
        .zip(&old_chars)
        .position(|((_, a), b)| a != b)?;
    let last = new_chars
        .iter()
        .zip(&old_chars)
        .rposition(|((_, a), b)| a != b)?;
    let start = new_chars[first].0;
    let end = new_chars.get(last + 1).map_or(new_text.len(), |(i, _)| *i);
    Some((x + first as u16, &new_text[start..end]))
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
