//! The pipe output of `watch`: one line per second on stdout, like
//! `date +%s` each second (`--plain`), or one JSON object per line (`--json`).
//! In plain mode, milestones and reminders go to stderr so stdout stays
//! exactly what `date +%s` would print. A closed stdout (`| head -3`) ends
//! the loop with status 0; a signal with 128+N.

use std::io::{self, Write};

use serde_json::json;

use super::{Flow, Message, Observation, Subscriber};
use crate::alert::Report;
use crate::engine::Event;
use crate::error::{Exit, Result};
use crate::milestone::Milestone;
use crate::time;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineFormat {
    Plain,
    Json,
}

/// Writes engine events as lines. Every line is flushed at once.
pub struct LineOutput<O: Write, E: Write> {
    format: LineFormat,
    out: O,
    err: E,
}

fn milestone_json(m: &Milestone) -> serde_json::Value {
    json!({
        "epoch": m.epoch,
        "label": m.label,
        "rule": m.rule,
        "utc": time::format_rfc3339_utc(m.epoch),
    })
}

/// " (late by 12 s)" when an alert came a second late or more, else "".
fn late_suffix(late_ms: i64) -> String {
    time::late_phrase(late_ms).map_or_else(String::new, |late| format!(" (late by {late})"))
}

impl<O: Write, E: Write> LineOutput<O, E> {
    pub fn new(format: LineFormat, out: O, err: E) -> Self {
        LineOutput { format, out, err }
    }

    /// Write one event. Errors on stdout (a closed pipe) are returned;
    /// errors on stderr are ignored, as there is nowhere left to report them.
    pub fn event(&mut self, event: &Event) -> io::Result<()> {
        match self.format {
            LineFormat::Plain => self.plain(event),
            LineFormat::Json => self.json(event),
        }
    }

    /// A message for the user (an alert channel failing), on stderr.
    pub fn notice(&mut self, text: &str) {
        let _ = writeln!(self.err, "epochwatch: {text}");
        let _ = self.err.flush();
    }

    /// Ring the terminal bell (on stderr, so stdout stays clean).
    pub fn bell(&mut self) {
        let _ = self.err.write_all(b"\x07");
        let _ = self.err.flush();
    }

    fn plain(&mut self, event: &Event) -> io::Result<()> {
        match event {
            Event::Tick { second } => {
                writeln!(self.out, "{second}")?;
                self.out.flush()
            }
            Event::Reached { milestone, late_ms } => {
                self.notice(&format!(
                    "milestone {} reached: {}{}",
                    milestone.epoch,
                    milestone.label,
                    late_suffix(*late_ms)
                ));
                Ok(())
            }
            Event::Reminder {
                milestone,
                lead,
                late_ms,
                ..
            } => {
                self.notice(&format!(
                    "reminder: milestone {} ({}) in {}{}",
                    milestone.epoch,
                    milestone.label,
                    time::format_duration_short(*lead),
                    late_suffix(*late_ms)
                ));
                Ok(())
            }
            Event::Missed {
                count, first, last, ..
            } => {
                self.notice(&format!(
                    "{count} milestone(s) passed while the clock jumped ahead: {} to {}",
                    first.epoch, last.epoch
                ));
                Ok(())
            }
            // The desktop's: these lines count the seconds already.
            Event::Countdown { .. } => Ok(()),
        }
    }

    fn json(&mut self, event: &Event) -> io::Result<()> {
        let value = match event {
            Event::Tick { second } => json!({"event": "tick", "epoch": second}),
            Event::Reached { milestone, late_ms } => {
                let mut v = milestone_json(milestone);
                v["event"] = json!("milestone");
                v["late_ms"] = json!(late_ms);
                v
            }
            Event::Reminder {
                milestone,
                lead,
                due,
                late_ms,
            } => {
                let mut v = milestone_json(milestone);
                v["event"] = json!("reminder");
                v["lead"] = json!(lead);
                v["due"] = json!(due);
                v["late_ms"] = json!(late_ms);
                v
            }
            Event::Missed {
                count, first, last, ..
            } => json!({
                "event": "missed",
                "count": count,
                "first": milestone_json(first),
                "last": milestone_json(last),
            }),
            Event::Countdown { .. } => return Ok(()),
        };
        writeln!(self.out, "{value}")?;
        self.out.flush()
    }
}

impl<O: Write, E: Write> Subscriber for LineOutput<O, E> {
    fn on_observation(&mut self, wake: &Observation<'_>) -> Result<Flow> {
        for event in wake.events {
            if let Err(err) = self.event(event) {
                return Exit::from_output(Err(err)).map(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    fn on_message(&mut self, message: &Message) -> Result<Flow> {
        match message {
            Message::Signal(signal) => return Ok(Flow::Stop(Exit::Signal(*signal))),
            Message::Report(Report::Bell) => self.bell(),
            Message::Report(report) => {
                if let Some(line) = report.describe() {
                    self.notice(&line);
                }
            }
            Message::Input(_) | Message::Click(_) | Message::Reloaded(_) => {}
        }
        Ok(Flow::Continue)
    }
}
