//! The segment in each bar's own format, one update at a time.
//!
//! | format | one update |
//! |---|---|
//! | `text` (default), or a template | one line of text ([`super::template`]) |
//! | `waybar` | a JSON object a line: `text`, `alt` (the class), `tooltip`, `class`, `percentage`; text Pango-escaped |
//! | `i3bar` | the i3bar/swaybar protocol: a header line, `[`, then one block list a line (`,` before all but the first): `name`, `instance` (the milestone's epoch), `full_text`, `short_text`, `color`, `urgent` (in the milestone's second) |
//! | `i3blocks` | a line of Pango markup for `interval=persist` with `markup=pango` (i3blocks 1.4 and later): the text in a `<span>` of the class's colour (with a background in the milestone's second) |
//! | `polybar` | a line with `%{F#rrggbb}` colours (and a background in the milestone's second), for `tail = true`; `%{` in the text escaped |
//! | `tmux` | a line with `#[fg=#rrggbb]` styles, `#` doubled |

use super::template::Template;
use super::{Class, Segment};
use std::cell::OnceCell;

/// What `--format` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BarFormat {
    Text(Template),
    Waybar,
    I3bar,
    I3blocks,
    Polybar,
    Tmux,
}

/// The text of the bars that take no template.
pub const DEFAULT_TEXT: &str = "{epoch} \u{b7} {value} in {countdown}";
/// The short text (i3bar's `short_text`, when space runs out).
const SHORT_TEXT: &str = "{countdown}";
/// Waybar's tooltip.
const TOOLTIP: &str =
    "{value} \u{b7} {label}\nlocal  {local}\nUTC    {utc}\n{countdown} ({relative})";
/// The text and tooltip with no milestone ahead.
const BARE_TEXT: &str = "{epoch}";
const BARE_TOOLTIP: &str = "no milestone ahead";

/// The i3bar header: clicks wanted; SIGUSR2 stops the output while the bar
/// is hidden (the clock keeps running), SIGCONT shows the current second.
pub const I3BAR_HEADER: &str =
    "{\"version\":1,\"click_events\":true,\"stop_signal\":12,\"cont_signal\":18}\n[\n";

/// The text and background in the milestone's second, where a bar takes
/// both (i3blocks, polybar, tmux).
const NOW_FOREGROUND: &str = "#2e3440";

impl BarFormat {
    /// A format name, or a template (anything with a brace).
    pub fn parse(text: &str) -> Result<BarFormat, String> {
        Ok(match text {
            "text" => BarFormat::Text(default_text()),
            "waybar" => BarFormat::Waybar,
            "i3bar" => BarFormat::I3bar,
            "i3blocks" => BarFormat::I3blocks,
            "polybar" => BarFormat::Polybar,
            "tmux" => BarFormat::Tmux,
            _ if text.contains(['{', '}']) => BarFormat::Text(Template::parse(text)?),
            _ => {
                return Err(format!(
                    "unknown format {text:?}: text, waybar, i3bar, i3blocks, polybar, tmux, \
                     or a template such as '{{epoch}} {{label}} in {{countdown}}'"
                ));
            }
        })
    }
}

fn default_text() -> Template {
    Template::parse(DEFAULT_TEXT).expect("the default text parses")
}

fn fixed(text: &str) -> Template {
    Template::parse(text).expect("a built-in template parses")
}

fn built_in<'a>(cell: &'a OnceCell<Template>, text: &str) -> &'a Template {
    cell.get_or_init(|| fixed(text))
}

/// Writes updates in one format.
pub struct Writer {
    format: BarFormat,
    // The built-in templates, each parsed when first used: a polled
    // `--once` needs one or two of them.
    text: OnceCell<Template>,
    short: OnceCell<Template>,
    tooltip: OnceCell<Template>,
    bare: OnceCell<Template>,
    /// Whether the next update is the first (i3bar: no comma before it).
    first: bool,
    scratch: String,
}

impl Writer {
    pub fn new(format: BarFormat) -> Writer {
        Writer {
            format,
            text: OnceCell::new(),
            short: OnceCell::new(),
            tooltip: OnceCell::new(),
            bare: OnceCell::new(),
            first: true,
            scratch: String::with_capacity(256),
        }
    }

    /// What goes before the first update: the i3bar header and the opening
    /// of its endless array; nothing for the others.
    pub fn header(&self) -> &'static str {
        match self.format {
            BarFormat::I3bar => I3BAR_HEADER,
            _ => "",
        }
    }

    /// Append one update, with its line end, to `out`.
    pub fn update(&mut self, segment: &Segment<'_>, out: &mut Vec<u8>) {
        let bare = || built_in(&self.bare, BARE_TEXT);
        let text = || {
            if segment.target.is_some() {
                built_in(&self.text, DEFAULT_TEXT)
            } else {
                bare()
            }
        };
        let class = segment.class;
        let scratch = &mut self.scratch;
        scratch.clear();
        match &self.format {
            BarFormat::Text(template) => {
                let template = if segment.target.is_some() {
                    template
                } else {
                    bare()
                };
                template.render(segment, scratch);
                out.extend_from_slice(scratch.as_bytes());
            }
            BarFormat::Waybar => {
                let tooltip = built_in(&self.tooltip, TOOLTIP);
                waybar(segment, text(), tooltip, scratch, out);
            }
            BarFormat::I3bar => {
                if !std::mem::take(&mut self.first) {
                    out.push(b',');
                }
                out.extend_from_slice(b"[{\"name\":\"epochwatch\",\"instance\":");
                match segment.target {
                    Some(t) => {
                        out.push(b'"');
                        out.extend_from_slice(
                            crate::decimal::to_string(t.milestone.epoch).as_bytes(),
                        );
                        out.push(b'"');
                    }
                    None => out.extend_from_slice(b"\"none\""),
                }
                out.push(b',');
                let short = built_in(&self.short, SHORT_TEXT);
                blocks_fields(segment, text(), short, bare(), scratch, out);
                out.extend_from_slice(b"}]");
            }
            styled => {
                text().render(segment, scratch);
                out.extend_from_slice(styled_line(styled, class, scratch).as_bytes());
            }
        }
        out.push(b'\n');
    }
}

/// One Waybar update: a JSON object of `text`, `alt`, `tooltip`, `class`, `percentage`.
fn waybar(
    segment: &Segment<'_>,
    text: &Template,
    tooltip: &Template,
    scratch: &mut String,
    out: &mut Vec<u8>,
) {
    let class = segment.class;
    text.render(segment, scratch);
    out.extend_from_slice(b"{\"text\":");
    push_json_str(out, &pango_escape(scratch));
    out.extend_from_slice(b",\"alt\":");
    push_json_str(out, class.as_str());
    scratch.clear();
    match segment.target {
        Some(_) => tooltip.render(segment, scratch),
        None => scratch.push_str(BARE_TOOLTIP),
    }
    out.extend_from_slice(b",\"tooltip\":");
    push_json_str(out, &pango_escape(scratch));
    out.extend_from_slice(b",\"class\":");
    push_json_str(out, class.as_str());
    out.extend_from_slice(b",\"percentage\":");
    crate::decimal::push_padded_bytes(out, segment.percentage, 1);
    out.push(b'}');
}

/// `text` in the styles of the line formats (i3blocks' Pango, polybar's
/// and tmux's tags) for `class`, with a background in the milestone's second.
fn styled_line(format: &BarFormat, class: Class, text: &str) -> String {
    let now = class == Class::Now;
    let color = class.color();
    match format {
        BarFormat::I3blocks if now => format!(
            "<span foreground=\"{NOW_FOREGROUND}\" background=\"{color}\">{}</span>",
            pango_escape(text)
        ),
        BarFormat::I3blocks => {
            format!("<span foreground=\"{color}\">{}</span>", pango_escape(text))
        }
        BarFormat::Polybar if now => format!(
            "%{{B{color}}}%{{F{NOW_FOREGROUND}}}{}%{{F-}}%{{B-}}",
            polybar_escape(text)
        ),
        BarFormat::Polybar => format!("%{{F{color}}}{}%{{F-}}", polybar_escape(text)),
        BarFormat::Tmux => {
            let escaped = text.replace('#', "##");
            if now {
                format!("#[fg={NOW_FOREGROUND},bg={color}]{escaped}#[default]")
            } else {
                format!("#[fg={color}]{escaped}#[default]")
            }
        }
        // The others are written whole by `Writer::update`.
        _ => text.to_owned(),
    }
}

/// The fields of an i3bar block after its name: `full_text`, `short_text`, `color`, `urgent`.
fn blocks_fields(
    segment: &Segment<'_>,
    text: &Template,
    short: &Template,
    bare: &Template,
    scratch: &mut String,
    out: &mut Vec<u8>,
) {
    scratch.clear();
    text.render(segment, scratch);
    out.extend_from_slice(b"\"full_text\":");
    push_json_str(out, scratch);
    scratch.clear();
    match segment.target {
        Some(_) => short.render(segment, scratch),
        None => bare.render(segment, scratch),
    }
    out.extend_from_slice(b",\"short_text\":");
    push_json_str(out, scratch);
    out.extend_from_slice(b",\"color\":");
    push_json_str(out, segment.class.color());
    out.extend_from_slice(b",\"urgent\":");
    out.extend_from_slice(if segment.class == Class::Now {
        b"true"
    } else {
        b"false"
    });
}

/// `text` as a JSON string.
fn push_json_str(out: &mut Vec<u8>, text: &str) {
    // Writing to a Vec cannot fail, and a &str always serializes.
    let _ = serde_json::to_writer(&mut *out, text);
}

/// `text` with Pango markup's five special characters escaped, as GLib's
/// `g_markup_escape_text` writes them.
pub fn pango_escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['&', '<', '>', '\'', '"']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `text` with each `%{` shown as text in polybar, not read as a tag.
/// polybar has no escape for it (its tag parser, 3.6 to 3.7, takes every
/// `%{` as a tag; `%%{` is `%` then a tag), so an empty offset, `%{O0}`,
/// goes between the two characters.
pub fn polybar_escape(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("%{") {
        std::borrow::Cow::Owned(text.replace("%{", "%%{O0}{"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}
