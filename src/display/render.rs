//! Laying out a `View` as styled rows. Reads the state, changes nothing.
//!
//! The screen is a list of lines, each placed at a row and a column: big
//! digits when they fit above all the text lines, then the text lines by
//! priority (the exact value first), down to one line that still holds the
//! value and the countdown. `screen::RowWriter` compares them with the last
//! frame and writes only what changed (cheap: no cell grid to diff each
//! second); `render` draws them into a ratatui buffer for tests. No size,
//! down to 0x0, panics.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::font;
use super::{FINAL_SECONDS, KEY_HELP, View};
use crate::decimal;
use crate::milestone::{Milestone, group_thousands};
use crate::time::{self, Zone};

/// One row of the text part of the screen.
enum Row {
    Text(Line<'static>),
    Gauge(f64),
    Blank,
}

/// A row with its priority: lower numbers are kept longer as space shrinks.
struct Slot {
    priority: u8,
    row: Row,
}

/// Something on the screen and where its top-left cell is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub x: u16,
    pub y: u16,
    pub content: Content,
}

/// What is placed: one row of text, or the value in big digits over
/// several rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    Line(Line<'static>),
    /// Kept as its digits rather than as rows of blocks, so that the
    /// writer can redraw just the digits that changed.
    Big(BigText),
}

/// `text` in big digits at `scale`, all in `style`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BigText {
    pub text: String,
    pub scale: font::Scale,
    pub style: Style,
}

impl BigText {
    /// Rows it covers.
    pub fn height(&self) -> u16 {
        font::GLYPH_HEIGHT * self.scale.y
    }

    /// Its rows as styled lines, top to bottom.
    pub fn lines(&self) -> impl Iterator<Item = Line<'static>> + '_ {
        font::render(&self.text, self.scale)
            .into_iter()
            .map(|row| Line::from(Span::styled(row, self.style)))
    }
}

impl Placed {
    fn line(x: u16, y: u16, line: Line<'static>) -> Placed {
        Placed {
            x,
            y,
            content: Content::Line(line),
        }
    }
}

/// The two rows about the selected milestone (its value, label and position
/// in the list; its date-time), kept between frames: they change only when
/// the selection, the zone or the colours do, so a plain tick copies them
/// instead of formatting them again.
#[derive(Debug, Default)]
pub struct RowCache {
    key: Option<RowKey>,
    next: Line<'static>,
    date: Line<'static>,
    /// The list of placed lines, handed back empty after a frame (see
    /// `recycle`) so that the next one does not allocate it again.
    spare: Vec<Placed>,
}

/// Everything the cached rows are made from.
#[derive(Debug, PartialEq)]
struct RowKey {
    epoch: i64,
    label: String,
    selected: usize,
    upcoming: usize,
    zone: Zone,
    color: bool,
}

impl RowCache {
    /// Give back the list `layout_cached` returned, once drawn and emptied.
    pub fn recycle(&mut self, placed: Vec<Placed>) {
        self.spare = placed;
    }

    /// The cached rows for milestone `m` of `view`, made anew when stale.
    fn rows(&mut self, view: &View, m: &Milestone) -> (Line<'static>, Line<'static>) {
        let fresh = self.key.as_ref().is_some_and(|k| {
            k.epoch == m.epoch
                && k.label == m.label
                && k.selected == view.selected
                && k.upcoming == view.upcoming().len()
                && k.zone == view.primary_zone()
                && k.color == view.color
        });
        if !fresh {
            self.next = next_line(view, m);
            self.date = Line::raw(time::format_datetime(m.epoch, view.primary_zone()));
            self.key = Some(RowKey {
                epoch: m.epoch,
                label: m.label.clone(),
                selected: view.selected,
                upcoming: view.upcoming().len(),
                zone: view.primary_zone(),
                color: view.color,
            });
        }
        (self.next.clone(), self.date.clone())
    }
}

/// "Next: 1800000000  1.8 billion  (1/50)".
fn next_line(view: &View, m: &Milestone) -> Line<'static> {
    let position = format!("  ({}/{})", view.selected + 1, view.upcoming().len());
    Line::from(vec![
        Span::styled("Next: ", view.theme().dim),
        Span::styled(m.epoch.to_string(), view.theme().bold),
        Span::raw(format!("  {}", m.label)),
        Span::styled(position, view.theme().dim),
    ])
}

/// Draw the view into a ratatui frame (the in-memory render tests use this).
pub fn render(view: &View, frame: &mut Frame) {
    let area = frame.area();
    let room = |x: u16| area.width.saturating_sub(x);
    for placed in layout(view, area.width, area.height) {
        let (x, y) = (area.x + placed.x, area.y + placed.y);
        match placed.content {
            Content::Line(line) => {
                frame.buffer_mut().set_line(x, y, &line, room(placed.x));
            }
            Content::Big(big) => {
                for (line, dy) in big.lines().zip(0..area.height.saturating_sub(placed.y)) {
                    frame
                        .buffer_mut()
                        .set_line(x, y + dy, &line, room(placed.x));
                }
            }
        }
    }
}

/// The screen of `width` x `height` cells as placed lines, at most one per row.
/// Lines may be wider than the screen; whoever draws them clips them.
pub fn layout(view: &View, width: u16, height: u16) -> Vec<Placed> {
    layout_cached(view, width, height, &mut RowCache::default())
}

/// `layout`, reusing the rows in `cache` that did not change since the
/// frame it was last used for (the live display keeps one).
pub fn layout_cached(view: &View, width: u16, height: u16, cache: &mut RowCache) -> Vec<Placed> {
    let mut placed = std::mem::take(&mut cache.spare);
    placed.clear();
    placed.reserve(16);
    if width == 0 || height == 0 {
        return placed;
    }
    if height == 1 {
        placed.push(Placed::line(0, 0, compact_line(view)));
        return placed;
    }
    if view.show_world {
        super::world_view::layout(view, width, height, &mut placed);
        if view.show_help {
            overlay_help(view, &mut placed, width, height);
        }
        return placed;
    }

    let value = decimal::to_string(view.now);
    let slots = text_slots(view, &value, cache);
    // Big digits only when every text row still fits below them (plus a gap).
    let text_rows = slots.len() as u16;
    let big = height
        .checked_sub(text_rows + 1)
        .and_then(|room| font::fitting_scale(&value, width, room));

    let kept = keep_by_priority(slots, height);
    let big_rows = big.map(|s| font::GLYPH_HEIGHT * s.y + 1).unwrap_or(0);
    let total = big_rows + kept.len() as u16;
    let mut y = height.saturating_sub(total) / 2;
    let centered = |line_width: u16| width.saturating_sub(line_width) / 2;

    if let Some(scale) = big {
        let x = centered(font::size(&value, scale).0);
        let big = BigText {
            text: value,
            scale,
            style: view.theme().value,
        };
        let rows = big.height();
        placed.push(Placed {
            x,
            y,
            content: Content::Big(big),
        });
        y += rows + 1;
    }

    for row in kept {
        if y >= height {
            break;
        }
        let line = match row {
            Row::Text(line) => {
                let cells = line_width(&line);
                Some((line, cells))
            }
            Row::Gauge(ratio) => Some(gauge_line(view, ratio, width.min(GAUGE_WIDTH))),
            Row::Blank => None,
        };
        if let Some((line, cells)) = line {
            placed.push(Placed::line(centered(cells), y, line));
        }
        y += 1;
    }

    if view.show_help {
        overlay_help(view, &mut placed, width, height);
    }
    placed
}

/// Cells taken by `line`. Most rows are printable ASCII, one cell a byte;
/// only the others need the Unicode width tables (cold in the cache after
/// a second of sleep).
fn line_width(line: &Line) -> u16 {
    let cells: usize = line
        .spans
        .iter()
        .map(|span| {
            if span.content.bytes().all(|b| (b' '..=b'~').contains(&b)) {
                span.content.len()
            } else {
                span.width()
            }
        })
        .sum();
    u16::try_from(cells).unwrap_or(u16::MAX)
}

/// The widest progress bar, in cells.
const GAUGE_WIDTH: u16 = 60;

/// A progress bar about `width` cells wide with its percentage, floored so
/// that it never claims 100% before the milestone; and its width in cells.
fn gauge_line(view: &View, ratio: f64, width: u16) -> (Line<'static>, u16) {
    let permille = (ratio * 1000.0).floor() as u32;
    let mut label = String::with_capacity(8);
    label.push(' ');
    decimal::push_padded(&mut label, permille / 10, 1);
    label.push('.');
    decimal::push_padded(&mut label, permille % 10, 1);
    label.push('%');
    let bar = usize::from(width).saturating_sub(label.len());
    let filled = ((ratio * bar as f64).floor() as usize).min(bar);
    let theme = view.theme();
    // Every character of the bar is one cell, and the label is ASCII.
    let cells = u16::try_from(bar + label.len()).unwrap_or(u16::MAX);
    let line = Line::from(vec![
        Span::styled(repeated(FULL, filled), theme.gauge_done),
        Span::styled(repeated(EMPTY, bar - filled), theme.gauge_todo),
        Span::raw(label),
    ]);
    (line, cells)
}

/// `GAUGE_WIDTH` cells of the bar's two characters (three bytes each in UTF-8).
const FULL: &str = "████████████████████████████████████████████████████████████";
const EMPTY: &str = "░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░";

/// `count` cells of `cells` (`FULL` or `EMPTY`): borrowed, not allocated.
fn repeated(cells: &'static str, count: usize) -> Cow<'static, str> {
    match cells.get(..count * 3) {
        Some(part) => Cow::Borrowed(part),
        None => Cow::Owned(cells[..3].repeat(count)),
    }
}

/// The single line used when the terminal is one row high.
fn compact_line(view: &View) -> Line<'static> {
    let mut text = view.now.to_string();
    if let Some((m, _)) = &view.celebrating {
        text.push_str(&format!(" * {} reached!", m.epoch));
    } else if let (Some(m), Some(left)) = (view.selected_milestone(), view.countdown()) {
        text.push_str(&format!(
            " -> {} in {}",
            m.epoch,
            time::format_countdown(left)
        ));
    }
    Line::styled(text, view.theme().value)
}

/// All text rows, top to bottom, each with its priority.
fn text_slots(view: &View, value: &str, cache: &mut RowCache) -> Vec<Slot> {
    let mut slots = Vec::with_capacity(12);
    push_clock_slots(&mut slots, view, value);
    push_milestone_slots(&mut slots, view, cache);
    push_footer_slots(&mut slots, view);
    slots
}

fn slot(priority: u8, row: Row) -> Slot {
    Slot { priority, row }
}

/// The value as text, the date-time in the display zone and in UTC; the
/// UTC line only where it says something the zone's does not (not in a zone
/// that is UTC, such as `TZ=UTC` or `Etc/UTC`, nor at an offset of zero).
fn push_clock_slots(slots: &mut Vec<Slot>, view: &View, value: &str) {
    let theme = view.theme();
    let value = Line::from(Span::styled(value.to_string(), theme.value));
    slots.push(slot(0, Row::Text(value)));
    let primary = view.primary_zone();
    let local_text = time::format_datetime(view.now, primary);
    let utc_text = (primary != Zone::Utc)
        .then(|| time::format_datetime(view.now, Zone::Utc))
        .filter(|utc| *utc != local_text);
    let local = Line::from(vec![
        Span::raw(local_text),
        Span::styled("  ", theme.dim),
        Span::styled(primary.setting(), theme.dim),
    ]);
    slots.push(slot(3, Row::Text(local)));
    if let Some(utc_text) = utc_text {
        let utc = Line::from(vec![Span::raw(utc_text), Span::styled("  UTC", theme.dim)]);
        slots.push(slot(5, Row::Text(utc)));
    }
    slots.push(slot(9, Row::Blank));
}

/// The celebration, then the selected milestone: value and label, its
/// date-time, the countdown and (for the next one) the progress bar.
fn push_milestone_slots(slots: &mut Vec<Slot>, view: &View, cache: &mut RowCache) {
    let theme = view.theme();
    if let Some((m, _)) = &view.celebrating {
        let text = format!(
            " *** {} reached! {} *** ",
            group_thousands(m.epoch),
            m.label
        );
        slots.push(slot(0, Row::Text(Line::styled(text, theme.celebration))));
    }
    let Some(m) = view.selected_milestone() else {
        slots.push(slot(1, Row::Text(Line::raw("No upcoming milestones"))));
        return;
    };
    let (next, date) = cache.rows(view, m);
    slots.push(slot(1, Row::Text(next)));
    slots.push(slot(6, Row::Text(date)));
    let left = view.countdown().unwrap_or(0);
    let style = if left <= FINAL_SECONDS {
        theme.final_seconds
    } else {
        theme.bold
    };
    // One span, so that only the digits that moved are rewritten.
    let countdown = Line::from(Span::styled(countdown_text(left), style));
    slots.push(slot(2, Row::Text(countdown)));
    if view.selected == 0
        && let Some(ratio) = view.progress()
    {
        slots.push(slot(7, Row::Gauge(ratio)));
    }
}

/// A status message, or the key hint.
fn push_footer_slots(slots: &mut Vec<Slot>, view: &View) {
    let theme = view.theme();
    let (priority, footer) = match &view.status {
        Some(status) => (4, Line::styled(status.clone(), theme.status)),
        // A span, not `Line::styled`, which would search it for newlines.
        None => (
            8,
            Line::from(Span::styled(
                "? keys   n/p step   t zone   w world   q quit",
                theme.dim,
            )),
        ),
    };
    slots.push(slot(9, Row::Blank));
    slots.push(slot(priority, Row::Text(footer)));
}

/// "in 00:00:09".
fn countdown_text(left: i64) -> String {
    let mut text = String::with_capacity(24);
    text.push_str("in ");
    time::push_countdown(&mut text, left);
    text
}

/// Keep the rows with the best priorities that fit in `height`, in their order.
fn keep_by_priority(slots: Vec<Slot>, height: u16) -> Vec<Row> {
    let height = usize::from(height);
    if slots.len() <= height {
        return slots.into_iter().map(|s| s.row).collect();
    }
    let mut order: Vec<usize> = (0..slots.len()).collect();
    order.sort_by_key(|&i| (slots[i].priority, i));
    let mut keep = vec![false; slots.len()];
    for &i in order.iter().take(height) {
        keep[i] = true;
    }
    slots
        .into_iter()
        .zip(keep)
        .filter_map(|(slot, k)| k.then_some(slot.row))
        .collect()
}

/// The key help in a box, centered, replacing the rows it covers.
fn overlay_help(view: &View, placed: &mut Vec<Placed>, width: u16, height: u16) {
    let inner = KEY_HELP
        .iter()
        .map(|(key, what)| format!("{key:>8}  {what}"))
        .collect::<Vec<_>>();
    let inner_width = inner.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let border = view.theme().border;
    let title = " keys ";
    let mut rows = vec![Line::styled(
        format!(
            "┌{title}{}┐",
            "─".repeat((inner_width + 2).saturating_sub(title.len()))
        ),
        border,
    )];
    for text in inner {
        rows.push(Line::from(vec![
            Span::styled("│ ", border),
            Span::raw(format!("{text:<inner_width$}")),
            Span::styled(" │", border),
        ]));
    }
    rows.push(Line::styled(
        format!("└{}┘", "─".repeat(inner_width + 2)),
        border,
    ));
    let box_width = (inner_width + 4) as u16;
    let top = height.saturating_sub(rows.len() as u16) / 2;
    let x = width.saturating_sub(box_width) / 2;
    // The box covers whole rows, some of them perhaps the big digits': lay
    // those out as rows of text first (the help is rarely shown, so this
    // costs nothing that matters).
    expand_big(placed);
    for (i, line) in rows.into_iter().enumerate() {
        let y = top + i as u16;
        if y >= height {
            break;
        }
        placed.retain(|p| p.y != y);
        placed.push(Placed::line(x, y, line));
    }
    placed.sort_by_key(|p| p.y);
}

/// Replace big digits in `placed` by one line per row they cover.
fn expand_big(placed: &mut Vec<Placed>) {
    let mut expanded = Vec::with_capacity(placed.len() + 16);
    for p in placed.drain(..) {
        match p.content {
            Content::Big(big) => {
                for (line, dy) in big.lines().zip(0..) {
                    expanded.push(Placed::line(p.x, p.y + dy, line));
                }
            }
            Content::Line(_) => expanded.push(p),
        }
    }
    *placed = expanded;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Outlook;
    use crate::milestone::Schedule;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    /// The cache must never change what is drawn: through ticks, a
    /// milestone passing, a backward step, `n`/`p` and the zone toggle, a
    /// long-lived cache gives the same screen as a fresh layout.
    #[test]
    fn cached_rows_always_match_a_fresh_layout() {
        let schedule = Schedule::defaults();
        let mut cache = RowCache::default();
        let mut view = View::new(Zone::parse("Europe/Berlin").unwrap(), false, true);
        let key = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        let steps: &[(i64, Option<char>)] = &[
            (1_799_999_990, None),
            (1_799_999_991, Some('n')),
            (1_799_999_992, Some('n')),
            (1_799_999_993, Some('p')),
            (1_799_999_994, Some('t')),
            (1_799_999_995, Some('t')),
            (1_800_000_000, None),
            (1_800_000_001, None),
            (1_234_567_880, None),
            (1_234_567_881, Some('c')),
        ];
        for &(now, pressed) in steps {
            view.set_now(now, &Outlook::at(&schedule, now, crate::display::UPCOMING));
            if let Some(c) = pressed {
                if c == 'c' {
                    view.color = !view.color;
                } else {
                    view.on_key(key(c));
                }
            }
            assert_eq!(
                layout_cached(&view, 100, 30, &mut cache),
                layout(&view, 100, 30),
                "at {now} after {pressed:?}"
            );
        }
    }
}
