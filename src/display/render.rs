//! Drawing a `View` into a ratatui frame. Reads the state, changes nothing.
//!
//! The layout degrades with the size: big digits when they fit above all
//! the text lines, then the text lines by priority (the exact value first),
//! down to one line that still holds the value and the countdown. No size,
//! down to 1x1 or 0x0, panics: ratatui clips what does not fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph};

use super::font;
use super::{FINAL_SECONDS, KEY_HELP, View};
use crate::calendar::{self, Zone};
use crate::milestone::group_thousands;

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

pub fn render(view: &View, frame: &mut Frame) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    if area.height == 1 {
        let line = compact_line(view);
        frame
            .buffer_mut()
            .set_line(area.x, area.y, &line, area.width);
        return;
    }

    let slots = text_slots(view);
    let value = view.now.to_string();
    // Big digits only when every text row still fits below them (plus a gap).
    let text_rows = slots.len() as u16;
    let big = area
        .height
        .checked_sub(text_rows + 1)
        .and_then(|room| font::fitting_scale(&value, area.width, room));

    let kept = keep_by_priority(slots, area.height);
    let big_rows = big.map(|s| font::GLYPH_HEIGHT * s.y + 1).unwrap_or(0);
    let total = big_rows + kept.len() as u16;
    let mut y = area.y + area.height.saturating_sub(total) / 2;

    if let Some(scale) = big {
        let style = value_style(view);
        for row in font::render(&value, scale) {
            // Straight into the buffer: a Paragraph per row (wrapping,
            // alignment) was most of the per-second cost.
            let width = row.chars().count() as u16;
            let x = area.x + area.width.saturating_sub(width) / 2;
            let room = usize::from(area.width - (x - area.x));
            frame.buffer_mut().set_stringn(x, y, &row, room, style);
            y += 1;
        }
        y += 1;
    }

    for row in kept {
        if y >= area.y + area.height {
            break;
        }
        match row {
            Row::Text(line) => {
                let width = line.width() as u16;
                let x = area.x + area.width.saturating_sub(width) / 2;
                frame
                    .buffer_mut()
                    .set_line(x, y, &line, area.width - (x - area.x));
            }
            Row::Gauge(ratio) => {
                let width = area.width.min(60);
                let rect = Rect::new(area.x + (area.width - width) / 2, y, width, 1);
                let style = if view.color {
                    Style::default().fg(Color::Green).bg(Color::DarkGray)
                } else {
                    Style::default().add_modifier(Modifier::REVERSED)
                };
                let gauge = Gauge::default()
                    .ratio(ratio)
                    .gauge_style(style)
                    .use_unicode(true)
                    // Floor, so the bar never claims 100% before the milestone.
                    .label(format!("{:.1}%", (ratio * 1000.0).floor() / 10.0));
                frame.render_widget(gauge, rect);
            }
            Row::Blank => {}
        }
        y += 1;
    }

    if view.show_help {
        render_help(view, frame, area);
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
            calendar::format_countdown(left)
        ));
    }
    Line::styled(text, value_style(view))
}

fn value_style(view: &View) -> Style {
    let style = Style::default().add_modifier(Modifier::BOLD);
    if view.color {
        style.fg(Color::Cyan)
    } else {
        style
    }
}

fn zone_name(zone: Zone) -> String {
    match zone {
        Zone::Local => "local".to_string(),
        Zone::Utc => "UTC".to_string(),
        Zone::Named(tz) => tz.name().to_string(),
    }
}

/// All text rows, top to bottom, each with its priority.
fn text_slots(view: &View) -> Vec<Slot> {
    let mut slots = Vec::new();
    let dim = if view.color {
        Style::default().fg(Color::DarkGray)
    } else {
        Style::default()
    };
    let bold = Style::default().add_modifier(Modifier::BOLD);

    slots.push(Slot {
        priority: 0,
        row: Row::Text(Line::styled(view.now.to_string(), value_style(view))),
    });
    let primary = view.primary_zone();
    slots.push(Slot {
        priority: 3,
        row: Row::Text(Line::from(vec![
            Span::raw(calendar::format_datetime(view.now, primary)),
            Span::styled(format!("  {}", zone_name(primary)), dim),
        ])),
    });
    if primary != Zone::Utc {
        slots.push(Slot {
            priority: 5,
            row: Row::Text(Line::from(vec![
                Span::raw(calendar::format_datetime(view.now, Zone::Utc)),
                Span::styled("  UTC", dim),
            ])),
        });
    }
    slots.push(Slot {
        priority: 9,
        row: Row::Blank,
    });

    if let Some((m, _)) = &view.celebrating {
        let style = if view.color {
            Style::default()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        } else {
            bold.add_modifier(Modifier::REVERSED)
        };
        slots.push(Slot {
            priority: 0,
            row: Row::Text(Line::styled(
                format!(
                    " *** {} reached! {} *** ",
                    group_thousands(m.epoch),
                    m.label
                ),
                style,
            )),
        });
    }

    match view.selected_milestone() {
        Some(m) => {
            let position = format!("  ({}/{})", view.selected + 1, view.upcoming.len());
            slots.push(Slot {
                priority: 1,
                row: Row::Text(Line::from(vec![
                    Span::styled("Next: ", dim),
                    Span::styled(m.epoch.to_string(), bold),
                    Span::raw(format!("  {}", m.label)),
                    Span::styled(position, dim),
                ])),
            });
            slots.push(Slot {
                priority: 6,
                row: Row::Text(Line::raw(calendar::format_datetime(m.epoch, primary))),
            });
            let left = view.countdown().unwrap_or(0);
            let mut style = bold;
            if left <= FINAL_SECONDS {
                style = if view.color {
                    style.fg(Color::Red).add_modifier(Modifier::SLOW_BLINK)
                } else {
                    style.add_modifier(Modifier::REVERSED)
                };
            }
            slots.push(Slot {
                priority: 2,
                row: Row::Text(Line::styled(
                    format!("in {}", calendar::format_countdown(left)),
                    style,
                )),
            });
            if view.selected == 0
                && let Some(ratio) = view.progress()
            {
                slots.push(Slot {
                    priority: 7,
                    row: Row::Gauge(ratio),
                });
            }
        }
        None => slots.push(Slot {
            priority: 1,
            row: Row::Text(Line::raw("No upcoming milestones")),
        }),
    }

    let (priority, footer) = match &view.status {
        Some(status) => (
            4,
            Line::styled(
                status.clone(),
                if view.color {
                    Style::default().fg(Color::Yellow)
                } else {
                    Style::default()
                },
            ),
        ),
        None => (8, Line::styled("? keys   n/p step   t zone   q quit", dim)),
    };
    slots.push(Slot {
        priority: 9,
        row: Row::Blank,
    });
    slots.push(Slot {
        priority,
        row: Row::Text(footer),
    });
    slots
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

fn render_help(view: &View, frame: &mut Frame, area: Rect) {
    let lines: Vec<Line> = KEY_HELP
        .iter()
        .map(|(key, what)| Line::raw(format!("{key:>8}  {what}")))
        .collect();
    let width = (lines.iter().map(|l| l.width()).max().unwrap_or(0) as u16 + 4).min(area.width);
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let border = if view.color {
        Style::default().fg(Color::Cyan)
    } else {
        Style::default()
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(border)
                .title(" keys "),
        ),
        rect,
    );
}
