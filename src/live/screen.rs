//! The full-screen display as a subscriber of the loop: ticks and
//! milestones move the `View`, keys and resizes come from an input thread,
//! and a frame is drawn once per wake when something changed.

use std::io::{self, Write};

use crossterm::event::Event as InputEvent;
use signal_hook::consts::signal::{SIGCONT, SIGINT, SIGTSTP};

use super::{Flow, LoopHandle, Message, Observation, Subscriber};
use crate::alert::Report;
use crate::display::terminal::Session;
use crate::display::{KeyAction, View};
use crate::engine::Event;
use crate::error::{Context, Exit, Result};
use crate::time::Zone;

/// The signals the screen handles besides the ones that end it.
pub const SUSPEND_SIGNALS: [i32; 2] = [SIGTSTP, SIGCONT];

pub struct Screen {
    session: Session,
    view: View,
    dirty: bool,
    ring: bool,
}

impl Screen {
    /// Take over the terminal and start reading keys.
    pub fn enter(zone: Zone, color: bool, handle: LoopHandle) -> Result<Screen> {
        let session = Session::enter().context("cannot set up the terminal")?;
        spawn_input_thread(handle);
        Ok(Screen {
            session,
            view: View::new(zone, false, color),
            dirty: false,
            ring: false,
        })
    }

    /// The cities of the world view (key `w`).
    pub fn with_cities(mut self, cities: Vec<crate::time::world::City>) -> Screen {
        self.view.cities = cities;
        self
    }

    fn key(&mut self, action: KeyAction) -> Result<Flow> {
        match action {
            KeyAction::Quit => return Ok(Flow::Stop(Exit::Success)),
            KeyAction::Interrupt => return Ok(Flow::Stop(Exit::Signal(SIGINT))),
            KeyAction::Suspend => self.suspend()?,
            KeyAction::Redraw => self.dirty = true,
            KeyAction::None => {}
        }
        Ok(Flow::Continue)
    }

    /// Ctrl-Z: give the terminal back, stop, and take it again on `fg`.
    fn suspend(&mut self) -> Result<()> {
        self.session.pause();
        // Stops the process as the default SIGTSTP action would; returns on SIGCONT.
        signal_hook::low_level::emulate_default_handler(SIGTSTP)
            .context("cannot suspend the process")?;
        self.session
            .resume()
            .context("cannot restore the terminal")?;
        self.dirty = true;
        Ok(())
    }
}

impl Subscriber for Screen {
    fn on_observation(&mut self, wake: &Observation<'_>) -> Result<Flow> {
        for event in wake.events {
            match event {
                Event::Tick { second } => {
                    self.view.set_now(*second, wake.outlook);
                    self.dirty = true;
                }
                Event::Reached { milestone, .. } => {
                    self.view.celebrate(milestone.clone());
                    self.dirty = true;
                }
                _ => {}
            }
        }
        Ok(Flow::Continue)
    }

    fn on_message(&mut self, message: &Message) -> Result<Flow> {
        match message {
            Message::Input(InputEvent::Key(key)) => {
                let action = self.view.on_key(*key);
                return self.key(action);
            }
            Message::Input(InputEvent::Resize(columns, rows)) => {
                self.session.resized(*columns, *rows);
                self.dirty = true;
            }
            Message::Input(_)
            | Message::Click(_)
            | Message::Reloaded(_)
            | Message::Report(Report::Delivered { .. }) => {}
            Message::Signal(SIGTSTP) => self.suspend()?,
            Message::Signal(SIGCONT) => {
                self.session
                    .resume()
                    .context("cannot restore the terminal")?;
                self.dirty = true;
            }
            Message::Signal(signal) => return Ok(Flow::Stop(Exit::Signal(*signal))),
            Message::Report(Report::Bell) => self.ring = true,
            Message::Report(report @ Report::Failed { .. }) => {
                self.view.status = report.describe();
                self.dirty = true;
            }
            Message::Report(Report::Recovered { .. }) => {
                self.view.status = None;
                self.dirty = true;
            }
        }
        Ok(Flow::Continue)
    }

    fn flush(&mut self) -> Result<()> {
        if std::mem::take(&mut self.dirty) {
            self.session.draw(&self.view).context("cannot draw")?;
        }
        if std::mem::take(&mut self.ring) {
            let mut out = io::stdout();
            let _ = out.write_all(b"\x07");
            let _ = out.flush();
        }
        Ok(())
    }
}

fn spawn_input_thread(handle: LoopHandle) {
    let _ = std::thread::Builder::new()
        .name("input".into())
        .spawn(move || {
            while let Ok(event) = crossterm::event::read() {
                if !handle.send(Message::Input(event)) {
                    break;
                }
            }
        });
}
