//! The segment's text from a template: `{epoch} {label} in {countdown}`.
//! `{{` and `}}` are literal braces; an unknown field is an error that
//! lists the known ones.
//!
//! | field | what |
//! |---|---|
//! | `{epoch}` | the current second |
//! | `{value}` | the milestone shown, epoch seconds |
//! | `{label}` | its label ("1.8 billion") |
//! | `{rule}` | the rule(s) that produced it ("every:100000000") |
//! | `{countdown}` | the time left: `00:00:09`, `49 d 12:03:04` |
//! | `{relative}` | the time left in words: "in 49 days 12 hours", "now" |
//! | `{remaining}` | the time left in seconds |
//! | `{local}` | its date-time in the display zone (`Fri 2027-01-15 08:00:00 +00:00`) |
//! | `{utc}` | its date-time in UTC |
//! | `{class}` | `far`, `soon`, `imminent` or `now` |
//! | `{percentage}` | progress from the previous milestone to the next, 0 to 100 |
//!
//! With no milestone ahead, the milestone's fields are empty.

use super::Segment;
use crate::decimal;
use crate::time;

/// One field of a template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Epoch,
    Value,
    Label,
    Rule,
    Countdown,
    Relative,
    Remaining,
    Local,
    Utc,
    Class,
    Percentage,
}

/// Every field by name, in the order the documentation lists them.
pub const FIELDS: [(&str, Field); 11] = [
    ("epoch", Field::Epoch),
    ("value", Field::Value),
    ("label", Field::Label),
    ("rule", Field::Rule),
    ("countdown", Field::Countdown),
    ("relative", Field::Relative),
    ("remaining", Field::Remaining),
    ("local", Field::Local),
    ("utc", Field::Utc),
    ("class", Field::Class),
    ("percentage", Field::Percentage),
];

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    Field(Field),
}

/// A parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

/// The known fields as `{epoch}, {value}, ...`, for error messages.
fn field_list() -> String {
    let names: Vec<String> = FIELDS
        .iter()
        .map(|(name, _)| format!("{{{name}}}"))
        .collect();
    names.join(", ")
}

impl Template {
    /// Parse `text`; the error says what is wrong in one line.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(i) = rest.find(['{', '}']) {
            literal.push_str(&rest[..i]);
            let brace = &rest[i..];
            if let Some(after) = brace
                .strip_prefix("{{")
                .or_else(|| brace.strip_prefix("}}"))
            {
                literal.push_str(&brace[..1]);
                rest = after;
                continue;
            }
            if brace.starts_with('}') {
                return Err("a lone '}' (write '}}' for a brace)".to_string());
            }
            let Some(end) = brace.find('}') else {
                return Err("a '{' without its '}' (write '{{' for a brace)".to_string());
            };
            let name = &brace[1..end];
            let Some(&(_, field)) = FIELDS.iter().find(|(known, _)| *known == name) else {
                return Err(format!(
                    "unknown field {{{name}}}; the fields are {}",
                    field_list()
                ));
            };
            if !literal.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut literal)));
            }
            pieces.push(Piece::Field(field));
            rest = &brace[end + 1..];
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(Template { pieces })
    }

    /// Append the text of `segment` to `out`.
    pub fn render(&self, segment: &Segment<'_>, out: &mut String) {
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Field(field) => push_field(*field, segment, out),
            }
        }
    }
}

fn push_field(field: Field, segment: &Segment<'_>, out: &mut String) {
    let target = segment.target;
    match (field, target) {
        (Field::Epoch, _) => decimal::push_signed(out, segment.now),
        (Field::Class, _) => out.push_str(segment.class.as_str()),
        (Field::Percentage, _) => decimal::push_padded(out, segment.percentage, 1),
        (_, None) => {}
        (Field::Value, Some(t)) => decimal::push_signed(out, t.milestone.epoch),
        (Field::Label, Some(t)) => out.push_str(&t.milestone.label),
        (Field::Rule, Some(t)) => out.push_str(&t.milestone.rule),
        (Field::Countdown, Some(_)) => time::push_countdown(out, segment.remaining),
        (Field::Relative, Some(t)) => {
            time::push_relative_phrase(out, t.milestone.epoch, segment.now);
        }
        (Field::Remaining, Some(_)) => decimal::push_signed(out, segment.remaining),
        (Field::Local, Some(t)) => out.push_str(t.local()),
        (Field::Utc, Some(t)) => out.push_str(t.utc()),
    }
}
