//! The world view of the full screen (key `w`): the selected milestone in
//! the configured cities, for a party projector. Reads the view, changes
//! nothing.
//!
//! Top to bottom: the milestone and its countdown, its UTC date-time, one
//! row per city (sorted by offset), and the current value with the key
//! hint. Rows are as wide as the terminal allows: offset, city, weekday,
//! date, time and marks at 70 columns and more; city, weekday, time and the
//! day mark from 38; city and time below that (the name cut to fit). When the height does not
//! hold every city, the last row says how many are left out. The lines
//! the terminal keeps longest: the milestone and countdown, the current
//! value, then as many cities as fit.

use ratatui::text::{Line, Span};

use super::View;
use super::render::Placed;
use crate::decimal;
use crate::time::world::{Local, world_at};
use crate::time::{self, Zone};

/// The world view at `width` x `height` (at least 2 rows), as placed lines.
pub fn layout(view: &View, width: u16, height: u16, placed: &mut Vec<Placed>) {
    let theme = view.theme();
    let mut top: Vec<Line<'static>> = Vec::with_capacity(3);
    let Some(m) = view.selected_milestone() else {
        top.push(Line::raw("No upcoming milestones"));
        let now = now_line(view, width);
        place(placed, width, height, top, Vec::new(), now);
        return;
    };
    let left = view.countdown().unwrap_or(0);
    let mut countdown = String::from("  in ");
    time::push_countdown(&mut countdown, left);
    let value = || Span::styled(decimal::to_string(m.epoch), theme.bold);
    top.push(fit(
        width,
        vec![
            Line::from(vec![
                value(),
                Span::raw(format!("  {}", m.label)),
                Span::styled(countdown.clone(), theme.bold),
            ]),
            Line::from(vec![value(), Span::styled(countdown, theme.bold)]),
            Line::from(value()),
        ],
    ));
    let utc = time::format_strftime(m.epoch, 0, Zone::Utc, "%a %F %T UTC").unwrap_or_default();
    if utc.len() <= usize::from(width) {
        top.push(Line::styled(utc, theme.dim));
    }
    let rows = world_at(m.epoch, &view.cities)
        .iter()
        .map(|row| Line::raw(city_row(row, width)))
        .collect();
    place(placed, width, height, top, rows, now_line(view, width));
}

/// "now 1799999990   w back   n/p step   q quit", shorter when narrow.
fn now_line(view: &View, width: u16) -> Line<'static> {
    let theme = view.theme();
    let line = |hint: &'static str| {
        Line::from(vec![
            Span::styled("now ", theme.dim),
            Span::styled(decimal::to_string(view.now), theme.value),
            Span::styled(hint, theme.dim),
        ])
    };
    let value = Line::from(Span::styled(decimal::to_string(view.now), theme.value));
    fit(
        width,
        vec![
            line("   w back   n/p step   q quit"),
            line("   w back"),
            line(""),
            value,
        ],
    )
}

/// The first of `candidates` that fits `width` cells, else the last.
fn fit(width: u16, mut candidates: Vec<Line<'static>>) -> Line<'static> {
    let at = candidates
        .iter()
        .position(|line| line.width() <= usize::from(width))
        .unwrap_or(candidates.len().saturating_sub(1));
    candidates.swap_remove(at)
}

/// One city as wide as `width` allows, never wider.
fn city_row(row: &Local, width: u16) -> String {
    let city = format!("{:<16}", row.city);
    let text = if width >= 70 {
        let marks = row.marks().join(", ");
        format!(
            "{}  {city}  {} {} {}  {marks}",
            row.offset_text(),
            row.weekday,
            row.date,
            row.time
        )
    } else if width >= 38 {
        let day = match row.day {
            d if d < 0 => "-1 day",
            d if d > 0 => "+1 day",
            _ => "",
        };
        format!("{city} {} {}  {day}", row.weekday, row.time)
    } else {
        // Cut the name, not the time.
        let time = row.short_time();
        let room = usize::from(width).saturating_sub(time.chars().count() + 1);
        let city: String = row.city.chars().take(room).collect();
        format!("{city} {time}")
    };
    let text = text.trim_end();
    text.chars().take(usize::from(width)).collect()
}

/// Center the rows vertically: `top`, a blank, the cities, a blank, `bottom`;
/// with less room, the blanks go first, then the UTC line, then cities from
/// the end (the last kept row says how many were left out).
fn place(
    placed: &mut Vec<Placed>,
    width: u16,
    height: u16,
    mut top: Vec<Line<'static>>,
    mut cities: Vec<Line<'static>>,
    bottom: Line<'static>,
) {
    let height = usize::from(height);
    let mut blanks = 2;
    let total = |top: &Vec<_>, cities: &Vec<_>, blanks| top.len() + cities.len() + blanks + 1;
    while total(&top, &cities, blanks) > height && blanks > 0 {
        blanks -= 1;
    }
    if total(&top, &cities, blanks) > height && top.len() > 1 {
        top.truncate(1);
    }
    let room = height.saturating_sub(top.len() + blanks + 1);
    if cities.len() > room {
        let hidden = cities.len() + 1 - room;
        cities.truncate(room.saturating_sub(1));
        if room > 0 {
            cities.push(Line::raw(format!("… {hidden} more cities")));
        }
    }
    let mut lines: Vec<Option<Line<'static>>> = top.into_iter().map(Some).collect();
    if blanks > 0 {
        lines.push(None);
    }
    let city_width = cities.iter().map(Line::width).max().unwrap_or(0);
    let city_start = lines.len();
    lines.extend(cities.into_iter().map(Some));
    let city_end = lines.len();
    if blanks > 1 {
        lines.push(None);
    }
    lines.push(Some(bottom));
    let top_row = u16::try_from(height.saturating_sub(lines.len()) / 2).unwrap_or(0);
    for ((i, line), y) in lines.into_iter().enumerate().zip(top_row..) {
        if let Some(line) = line {
            // The city rows share one left edge, so that their columns line up.
            let cells = if (city_start..city_end).contains(&i) {
                city_width
            } else {
                line.width()
            };
            let x = width.saturating_sub(u16::try_from(cells).unwrap_or(u16::MAX)) / 2;
            placed.push(Placed {
                x,
                y,
                content: super::render::Content::Line(line),
            });
        }
    }
}
