//! Writing placed lines to the terminal, row by row: a row is rewritten only
//! when its line changed since the last frame, and the big digits only where
//! a digit changed, so a second costs the few cells that change (the digits,
//! the clock, the countdown), with no cell grid to build and diff.

use std::io::{self, Write};

use crossterm::queue;
use crossterm::style::SetStyle;
use crossterm::terminal::{Clear, ClearType};
use ratatui::backend::IntoCrossterm;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::font;
use super::render::{BigText, Content, Placed};
use crate::decimal::push_padded_bytes;

/// What one row of the terminal shows.
#[derive(Clone, Debug, PartialEq)]
enum Shown {
    Blank,
    /// A line starting at a column.
    Line(u16, Line<'static>),
    /// A row of the big digits (drawn from `RowWriter::big`).
    Big,
}

/// The big digits on screen and their top-left cell.
#[derive(Debug, PartialEq)]
struct PlacedBig {
    x: u16,
    y: u16,
    big: BigText,
}

impl PlacedBig {
    /// Whether `next` can be drawn over `self` digit by digit: same place,
    /// size and style, as many digits.
    fn same_frame(&self, next: &PlacedBig) -> bool {
        self.x == next.x
            && self.y == next.y
            && self.big.scale == next.big.scale
            && self.big.style == next.big.style
            && self.big.text.len() == next.big.text.len()
    }
}

/// Remembers what each row shows, to rewrite only the rows that change.
#[derive(Debug, Default)]
pub struct RowWriter {
    size: (u16, u16),
    /// What each row shows now.
    rows: Vec<Shown>,
    /// The next frame's rows, kept between frames (see `out`).
    next: Vec<Shown>,
    /// The big digits on screen, if any.
    big: Option<PlacedBig>,
    codes: StyleCodes,
    /// The bytes of one frame, kept between frames so that drawing does not
    /// allocate (and the allocator does not give memory back and forth).
    out: Vec<u8>,
}

/// The escape sequences that set the styles met so far, so that a frame
/// copies bytes instead of formatting them (a screen uses a handful of
/// styles; the list is emptied if it ever grows past `MAX_STYLES`).
#[derive(Debug, Default)]
struct StyleCodes(Vec<(Style, Vec<u8>)>);

const MAX_STYLES: usize = 32;

/// Select Graphic Rendition 0: default colours and no attributes.
const RESET: &[u8] = b"\x1b[0m";

impl StyleCodes {
    fn get(&mut self, style: Style) -> io::Result<&[u8]> {
        let index = match self.0.iter().position(|(known, _)| *known == style) {
            Some(index) => index,
            None => {
                if self.0.len() >= MAX_STYLES {
                    self.0.clear();
                }
                let mut code = Vec::new();
                queue!(code, SetStyle(style.into_crossterm()))?;
                self.0.push((style, code));
                self.0.len() - 1
            }
        };
        Ok(&self.0[index].1)
    }
}

/// The style the terminal is writing with, so that a run of segments in one
/// style (the rows of the big digits) sets it once.
struct Pen<'a> {
    style: Style,
    codes: &'a mut StyleCodes,
}

impl Pen<'_> {
    /// Start of a frame: the terminal is in its default style (every frame
    /// ends with a reset).
    fn new(codes: &mut StyleCodes) -> Pen<'_> {
        Pen {
            style: Style::default(),
            codes,
        }
    }

    /// Switch to `style` unless it is already set. Attributes are reset
    /// first, because setting a style does not clear the ones it lacks.
    fn set(&mut self, out: &mut Vec<u8>, style: Style) -> io::Result<()> {
        if style == self.style {
            return Ok(());
        }
        self.reset(out);
        if style != Style::default() {
            out.extend_from_slice(self.codes.get(style)?);
            self.style = style;
        }
        Ok(())
    }

    fn reset(&mut self, out: &mut Vec<u8>) {
        if self.style != Style::default() {
            out.extend_from_slice(RESET);
            self.style = Style::default();
        }
    }
}

/// Move the cursor to `column`, `row` (0-based): crossterm's `MoveTo`, without
/// the formatting machinery, as it is written a dozen times a second.
fn move_to(out: &mut Vec<u8>, column: u16, row: u16) {
    out.extend_from_slice(b"\x1b[");
    push_padded_bytes(out, u32::from(row) + 1, 1);
    out.push(b';');
    push_padded_bytes(out, u32::from(column) + 1, 1);
    out.push(b'H');
}

impl RowWriter {
    /// Forget the screen: the next frame rewrites every row.
    pub fn invalidate(&mut self) {
        self.rows.clear();
        self.big = None;
    }

    /// Bring the terminal of `size` (columns, rows) to show `placed`.
    /// Line wrapping must be off, so that over-long lines are clipped.
    pub fn draw(
        &mut self,
        terminal: &mut impl Write,
        size: (u16, u16),
        placed: &mut Vec<Placed>,
    ) -> io::Result<()> {
        // One write per frame: the commands are gathered here first.
        let mut out = std::mem::take(&mut self.out);
        out.clear();
        let height = usize::from(size.1);
        if size != self.size || self.rows.len() != height {
            self.size = size;
            self.rows.clear();
            self.rows.resize(height, Shown::Blank);
            self.big = None;
            out.extend_from_slice(RESET);
            queue!(out, Clear(ClearType::All))?;
        }
        let mut next = std::mem::take(&mut self.next);
        let next_big = sort_into_rows(placed, size, &mut next);
        // Digits in the same place and style are redrawn digit by digit
        // below; any other change repaints their rows whole.
        let big_in_place = match (&self.big, &next_big) {
            (Some(old), Some(new)) => old.same_frame(new),
            _ => false,
        };
        let mut pen = Pen::new(&mut self.codes);
        // The digits first: the plain value below them has their style.
        if big_in_place && let (Some(old), Some(new)) = (&self.big, &next_big) {
            draw_changed_digits(&mut out, &mut pen, old, new, height as u16)?;
        }
        for (y, (old, new)) in self.rows.iter_mut().zip(next.drain(..)).enumerate() {
            let y = y as u16;
            let kept = match (&*old, &new) {
                (Shown::Big, Shown::Big) => big_in_place,
                (Shown::Blank, Shown::Blank) => true,
                (Shown::Line(..), Shown::Line(..)) if *old == new => true,
                (Shown::Line(x, before), Shown::Line(new_x, after)) => {
                    patch_line(&mut out, &mut pen, y, (*x, before), (*new_x, after))?
                }
                _ => false,
            };
            if kept {
                *old = new;
                continue;
            }
            repaint_row(&mut out, &mut pen, y, &new, next_big.as_ref())?;
            *old = new;
        }
        self.big = next_big;
        self.next = next;
        pen.reset(&mut out);
        let written = if out.is_empty() {
            Ok(())
        } else {
            terminal.write_all(&out).and_then(|()| terminal.flush())
        };
        self.out = out;
        written
    }
}

/// Sort the placed items into one slot per row of the screen of `size`
/// (`rows`, refilled), each line clipped to the screen's width; the big
/// digits, if any, are returned and their rows marked.
fn sort_into_rows(
    placed: &mut Vec<Placed>,
    (width, height): (u16, u16),
    rows: &mut Vec<Shown>,
) -> Option<PlacedBig> {
    let height = usize::from(height);
    rows.clear();
    rows.resize(height, Shown::Blank);
    let mut big_placed = None;
    for p in placed.drain(..) {
        match p.content {
            Content::Line(line) => {
                if let Some(slot) = rows.get_mut(usize::from(p.y)) {
                    *slot = Shown::Line(p.x, clip(line, width.saturating_sub(p.x)));
                }
            }
            Content::Big(big) => {
                let covered = usize::from(p.y)..usize::from(p.y + big.height()).min(height);
                for slot in rows.get_mut(covered).into_iter().flatten() {
                    *slot = Shown::Big;
                }
                big_placed = Some(PlacedBig {
                    x: p.x,
                    y: p.y,
                    big,
                });
            }
        }
    }
    big_placed
}

/// `line` cut to at most `cells` cells. With line wrapping off, a terminal
/// writes what passes its last column over that column: the line must end
/// at the edge, not run past it.
fn clip(mut line: Line<'static>, cells: u16) -> Line<'static> {
    let fits = |line: &Line| {
        let ascii_len: Option<usize> = line
            .spans
            .iter()
            .map(|s| {
                s.content
                    .bytes()
                    .all(|b| b.is_ascii_graphic() || b == b' ')
                    .then_some(s.content.len())
            })
            .sum();
        match ascii_len {
            Some(len) => len <= usize::from(cells),
            None => line.width() <= usize::from(cells),
        }
    };
    if fits(&line) {
        return line;
    }
    let mut left = usize::from(cells);
    let mut kept = Vec::with_capacity(line.spans.len());
    for span in line.spans.drain(..) {
        if left == 0 {
            break;
        }
        let mut end = 0;
        for (at, c) in span.content.char_indices() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if w > left {
                break;
            }
            left -= w;
            end = at + c.len_utf8();
        }
        let cut = span.content.len() > end;
        kept.push(Span::styled(span.content[..end].to_string(), span.style));
        if cut {
            break;
        }
    }
    line.spans = kept;
    line
}

/// Rewrite row `y` whole, as `new`.
fn repaint_row(
    out: &mut Vec<u8>,
    pen: &mut Pen<'_>,
    y: u16,
    new: &Shown,
    big: Option<&PlacedBig>,
) -> io::Result<()> {
    // Clearing paints with the current background: reset it first.
    pen.reset(out);
    move_to(out, 0, y);
    queue!(out, Clear(ClearType::CurrentLine))?;
    match new {
        Shown::Blank => {}
        Shown::Line(x, line) => {
            move_to(out, *x, y);
            for span in &line.spans {
                pen.set(out, line.style.patch(span.style))?;
                out.extend_from_slice(span.content.as_bytes());
            }
        }
        Shown::Big => {
            if let Some(PlacedBig { x, y: top, big }) = big {
                let glyph_row = usize::from((y - top) / big.scale.y);
                pen.set(out, big.style)?;
                move_to(out, *x, y);
                font::push_row(out, &big.text, glyph_row, big.scale);
            }
        }
    }
    Ok(())
}

/// Redraw the cells of the big digits that differ between `old` and `new`
/// (same place, scale and length): for each changed digit, the glyph rows
/// that differ, from their first to their last differing cell.
fn draw_changed_digits(
    out: &mut Vec<u8>,
    pen: &mut Pen<'_>,
    old: &PlacedBig,
    new: &PlacedBig,
    height: u16,
) -> io::Result<()> {
    let scale = new.big.scale;
    let pitch = (font::GLYPH_WIDTH + 1) * scale.x;
    for (i, (was, is)) in old.big.text.chars().zip(new.big.text.chars()).enumerate() {
        if was == is {
            continue;
        }
        let (was, is) = (font::glyph(was), font::glyph(is));
        for (glyph_row, (before, after)) in was.iter().zip(is.iter()).enumerate() {
            let Some(first) = before.bytes().zip(after.bytes()).position(|(a, b)| a != b) else {
                continue;
            };
            let last = before
                .bytes()
                .zip(after.bytes())
                .rposition(|(a, b)| a != b)
                .unwrap_or(first);
            pen.set(out, new.big.style)?;
            let column = new.x + i as u16 * pitch + first as u16 * scale.x;
            for dy in 0..scale.y {
                let y = new.y + glyph_row as u16 * scale.y + dy;
                if y >= height {
                    break;
                }
                move_to(out, column, y);
                font::push_cells(out, &after[first..=last], scale.x);
            }
        }
    }
    Ok(())
}

/// Rewrite in place, span by span, only the cells of row `y` that differ
/// between `before` and `after` (the digits that moved on). That needs the
/// same column, spans of the same styles and the same numbers of one-cell
/// characters; otherwise nothing is written (what a span already wrote is
/// taken back) and `false` says the row must be rewritten whole.
fn patch_line(
    out: &mut Vec<u8>,
    pen: &mut Pen<'_>,
    y: u16,
    (x, old_line): (u16, &Line<'static>),
    (new_x, new_line): (u16, &Line<'static>),
) -> io::Result<bool> {
    if x != new_x || old_line.spans.len() != new_line.spans.len() {
        return Ok(false);
    }
    let (mark, pen_style) = (out.len(), pen.style);
    let mut column = x;
    for (old, new) in old_line.spans.iter().zip(&new_line.spans) {
        let style = new_line.style.patch(new.style);
        let change = (old_line.style.patch(old.style) == style)
            .then(|| span_change(&old.content, &new.content))
            .flatten();
        let Some(change) = change else {
            out.truncate(mark);
            pen.style = pen_style;
            return Ok(false);
        };
        if let Some((offset, bytes)) = change.changed {
            pen.set(out, style)?;
            move_to(out, column.saturating_add(offset), y);
            out.extend_from_slice(new.content[bytes].as_bytes());
        }
        column = column.saturating_add(change.cells);
    }
    Ok(true)
}

/// How a span's text changed, given that it kept its number of characters
/// and they all take one cell.
struct SpanChange {
    /// Cells the span takes.
    cells: u16,
    /// The changed cells, if any: the first one's offset in the span, and
    /// the bytes of the new text from it to the last changed one.
    changed: Option<(u16, std::ops::Range<usize>)>,
}

fn span_change(old: &str, new: &str) -> Option<SpanChange> {
    let one_cell = |c: char| c.is_ascii_graphic() || c == ' ' || c == '█' || c == '░';
    let mut old_chars = old.chars();
    // One pass, no allocation: this runs for every changed row every second.
    let mut first: Option<(u16, usize)> = None;
    let mut end = 0;
    let mut cells: u16 = 0;
    for (at, new) in new.char_indices() {
        let old = old_chars.next()?;
        if !one_cell(new) || !one_cell(old) {
            return None;
        }
        if new != old {
            first.get_or_insert((cells, at));
            end = at + new.len_utf8();
        }
        cells = cells.saturating_add(1);
    }
    if old_chars.next().is_some() {
        return None;
    }
    Some(SpanChange {
        cells,
        changed: first.map(|(offset, start)| (offset, start..end)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Style};
    use ratatui::text::Span;

    fn placed(y: u16, text: &str) -> Placed {
        Placed {
            x: 2,
            y,
            content: Content::Line(Line::styled(
                text.to_string(),
                Style::default().fg(Color::Cyan),
            )),
        }
    }

    /// One frame of the value on row 0 and a fixed row 2; the bytes written.
    fn frame(writer: &mut RowWriter, value: &str) -> String {
        let mut out = Vec::new();
        writer
            .draw(
                &mut out,
                (20, 3),
                &mut vec![placed(0, value), placed(2, "in 1 s")],
            )
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn lines_wider_than_the_terminal_end_at_its_edge() {
        // Placed at x = 2 on a terminal 20 wide: 18 cells fit.
        let mut out = Vec::new();
        let wide = "0123456789abcdefghijKLMNOP";
        RowWriter::default()
            .draw(
                &mut out,
                (20, 3),
                &mut vec![placed(0, wide), placed(1, "né éé ééééééééééééééé")],
            )
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("0123456789abcdefgh\u{1b}"), "{text:?}");
        assert!(!text.contains("ijKLMNOP"), "{text:?}");
        assert!(text.contains("né éé éééééééééééé\u{1b}"), "{text:?}");
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

    /// A row of several spans in several styles (the date-time and its
    /// zone) is patched span by span: a tick writes the seconds only.
    #[test]
    fn patches_each_span_of_a_styled_row() {
        let dim = Style::default().fg(Color::DarkGray);
        let clock = |time: &str| Placed {
            x: 1,
            y: 0,
            content: Content::Line(Line::from(vec![
                Span::raw(format!("Fri 2027-01-15 {time}")),
                Span::styled("  ", dim),
                Span::styled("Europe/Berlin", dim),
            ])),
        };
        let mut writer = RowWriter::default();
        let mut draw = |time: &str| {
            let mut out = Vec::new();
            writer
                .draw(&mut out, (60, 1), &mut vec![clock(time)])
                .unwrap();
            String::from_utf8(out).unwrap()
        };
        assert!(draw("08:59:46").contains("Europe/Berlin"));
        // "Fri 2027-01-15 08:59:4" is 22 cells from column 1: the 7 is at column 24.
        assert_eq!(draw("08:59:47"), "\u{1b}[1;24H7");
        assert_eq!(draw("09:00:00"), "\u{1b}[1;18H9:00:00");
        // A span that changes length rewrites the row.
        assert!(draw("9:00:01").contains("Europe/Berlin"));
    }
}
