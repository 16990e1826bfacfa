//! The status-bar segment as a subscriber of the loop: one update each
//! second, written at the boundary; SIGUSR1 and clicks step to the next
//! milestone (until one is passed: then the nearest is shown again); SIGUSR2 stops the output while the bar is hidden and SIGCONT
//! shows the current second at once (the i3bar header declares both). A
//! closed stdout ends the loop with status 0; SIGTERM, SIGINT, SIGHUP end
//! it with 128+N.

use std::io::{BufRead, Write};

use signal_hook::consts::signal::{SIGCONT, SIGUSR1, SIGUSR2};

use super::{Flow, LoopHandle, Message, Observation, Subscriber};
use crate::bar::{Segment, Selection, Target, Writer};
use crate::config::BarSettings;
use crate::engine::Outlook;
use crate::error::{Exit, Result};
use crate::milestone::Epoch;
use crate::time::Zone;

/// The signals the segment handles besides the ones that end it.
pub const BAR_SIGNALS: [i32; 3] = [SIGUSR1, SIGUSR2, SIGCONT];

/// The i3bar mouse buttons: the left one steps, the right one goes back
/// to the nearest milestone.
const STEP_BUTTON: u16 = 1;
const RESET_BUTTON: u16 = 3;

pub struct BarOutput<O: Write> {
    out: O,
    writer: Writer,
    zone: Zone,
    thresholds: BarSettings,
    selection: Selection,
    /// The outlook of the last wake, copied only when it changes.
    outlook: Outlook,
    now: Option<Epoch>,
    target: Option<Target>,
    /// SIGUSR2 came (the bar is hidden): nothing is written until SIGCONT.
    hidden: bool,
    /// What the last update showed: the second and the milestone.
    written: Option<(Epoch, Option<Epoch>)>,
    buffer: Vec<u8>,
}

impl<O: Write> BarOutput<O> {
    /// A segment that writes the format's header first.
    pub fn new(out: O, writer: Writer, zone: Zone, thresholds: BarSettings) -> BarOutput<O> {
        let mut buffer = Vec::with_capacity(512);
        buffer.extend_from_slice(writer.header().as_bytes());
        BarOutput {
            out,
            writer,
            zone,
            thresholds,
            selection: Selection::default(),
            outlook: Outlook::default(),
            now: None,
            target: None,
            hidden: false,
            written: None,
            buffer,
        }
    }

    /// Write the current second unless it is what was written last.
    fn update(&mut self) -> Result<Flow> {
        let Some(now) = self.now else {
            return Ok(Flow::Continue);
        };
        if self.hidden {
            return Ok(Flow::Continue);
        }
        let shown = self.selection.shown(&self.outlook, now);
        let key = (now, shown.map(|m| m.epoch));
        if self.written == Some(key) {
            return Ok(Flow::Continue);
        }
        match shown {
            Some(m) if self.target.as_ref().map(|t| &t.milestone) != Some(m) => {
                self.target = Some(Target::new(m, self.zone));
            }
            Some(_) => {}
            None => self.target = None,
        }
        let segment = Segment::new(now, self.target.as_ref(), &self.outlook, self.thresholds);
        self.writer.update(&segment, &mut self.buffer);
        let written = self
            .out
            .write_all(&self.buffer)
            .and_then(|()| self.out.flush());
        self.buffer.clear();
        if let Err(err) = written {
            return Exit::from_output(Err(err)).map(Flow::Stop);
        }
        self.written = Some(key);
        Ok(Flow::Continue)
    }

    fn step(&mut self) -> Result<Flow> {
        if let Some(now) = self.now {
            self.selection.step(&self.outlook, now);
        }
        self.update()
    }
}

impl<O: Write> Subscriber for BarOutput<O> {
    fn on_observation(&mut self, wake: &Observation<'_>) -> Result<Flow> {
        if !self.outlook.same_as(wake.outlook) {
            // A milestone was passed (or the clock went back): show the
            // nearest again, so that a milestone's second is always seen.
            self.outlook = wake.outlook.clone();
            self.selection.reset();
        }
        self.now = Some(wake.now.secs);
        self.update()
    }

    fn on_message(&mut self, message: &Message) -> Result<Flow> {
        match message {
            Message::Signal(SIGUSR1) | Message::Click(STEP_BUTTON) => self.step(),
            Message::Click(RESET_BUTTON) => {
                self.selection.reset();
                self.update()
            }
            Message::Signal(SIGUSR2) => {
                self.hidden = true;
                Ok(Flow::Continue)
            }
            Message::Signal(SIGCONT) => {
                if std::mem::take(&mut self.hidden) {
                    self.written = None;
                }
                self.update()
            }
            Message::Signal(signal) => Ok(Flow::Stop(Exit::Signal(*signal))),
            Message::Click(_) | Message::Input(_) | Message::Report(_) | Message::Reloaded(_) => {
                Ok(Flow::Continue)
            }
        }
    }
}

/// Read i3bar's click events from stdin (`[`, then one JSON object a line,
/// `,` before all but the first) and send the button of each click on our
/// block to the loop. Ends with stdin.
pub fn spawn_click_reader(handle: LoopHandle) {
    let _ = std::thread::Builder::new()
        .name("clicks".into())
        .spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                let Some(button) = click_button(&line) else {
                    continue;
                };
                if !handle.send(Message::Click(button)) {
                    break;
                }
            }
        });
}

/// The button of one line of i3bar's click stream, when it is a click on
/// our block.
pub fn click_button(line: &str) -> Option<u16> {
    let object = line.trim().trim_start_matches([',', '[']).trim();
    let click: serde_json::Value = serde_json::from_str(object).ok()?;
    if click.get("name")?.as_str()? != "epochwatch" {
        return None;
    }
    u16::try_from(click.get("button")?.as_u64()?).ok()
}

#[cfg(test)]
mod tests {
    use super::click_button;

    #[test]
    fn click_lines_as_i3bar_writes_them() {
        assert_eq!(click_button("["), None);
        assert_eq!(
            click_button(r#"{"name":"epochwatch","instance":"1800000000","button":1,"x":5}"#),
            Some(1)
        );
        assert_eq!(
            click_button(r#",{"name":"epochwatch","button":3}"#),
            Some(3)
        );
        assert_eq!(click_button(r#",{"name":"other","button":1}"#), None);
        assert_eq!(click_button("not json"), None);
    }
}
