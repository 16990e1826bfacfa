//! The screen's styles in one place: one `Theme` with colours and one
//! without, so that the layout says what is shown and the theme how.

use ratatui::style::{Color, Modifier, Style};

/// Every style the layout uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    /// The value itself, in big digits and as text.
    pub value: Style,
    /// Secondary text: zone names, "Next:", the key hint.
    pub dim: Style,
    /// Emphasis: the next milestone's value, the countdown.
    pub bold: Style,
    /// The countdown in its last seconds.
    pub final_seconds: Style,
    /// The celebration line at a milestone.
    pub celebration: Style,
    /// The done and the remaining part of the progress bar.
    pub gauge_done: Style,
    pub gauge_todo: Style,
    /// A status message (an alert channel failing).
    pub status: Style,
    /// The frame of the key help.
    pub border: Style,
}

const BOLD: Style = Style::new().add_modifier(Modifier::BOLD);

/// With colours.
pub const COLORED: Theme = Theme {
    value: BOLD.fg(Color::Cyan),
    dim: Style::new().fg(Color::DarkGray),
    bold: BOLD,
    final_seconds: BOLD.fg(Color::Red).add_modifier(Modifier::SLOW_BLINK),
    celebration: BOLD.fg(Color::Black).bg(Color::Yellow),
    gauge_done: Style::new().fg(Color::Green),
    gauge_todo: Style::new().fg(Color::DarkGray),
    status: Style::new().fg(Color::Yellow),
    border: Style::new().fg(Color::Cyan),
};

/// Without colours: emphasis by bold and reverse video only.
pub const PLAIN: Theme = Theme {
    value: BOLD,
    dim: Style::new(),
    bold: BOLD,
    final_seconds: BOLD.add_modifier(Modifier::REVERSED),
    celebration: BOLD.add_modifier(Modifier::REVERSED),
    gauge_done: Style::new(),
    gauge_todo: Style::new(),
    status: Style::new(),
    border: Style::new(),
};

impl Theme {
    pub fn new(color: bool) -> &'static Theme {
        if color { &COLORED } else { &PLAIN }
    }
}
