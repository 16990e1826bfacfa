//! The one live loop, shared by `watch`, `bar` and `daemon`: the clock
//! wakes it, the engine turns the instant into events and alerts, and its
//! one subscriber gets them (the screen or the pipe lines, the status-bar
//! segment, or the daemon's state and log), then the alert dispatcher. Signals,
//! terminal input, bar clicks and alert reports come from their own
//! threads as [`Message`]s on one channel, and wake the clock; nothing else
//! wakes the process. Nothing here waits on a channel: the dispatcher only
//! enqueues, and everything slow runs on its worker.

pub mod bar;
pub mod daemon;
pub mod lines;
pub mod screen;
mod signals;

use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use crate::alert::{Alert, Countdown, Dispatcher, Report};
use crate::clock::{Clock, SystemClock, Waker, WallTime};
use crate::config::AlertSettings;
use crate::engine::{Engine, EngineOptions, Event, History, Outlook};
use crate::error::{Context, Exit, Result};
use crate::milestone::{Epoch, Schedule};
use crate::time::Zone;

pub use signals::Signals;

/// What the helper threads tell the loop.
#[derive(Debug)]
pub enum Message {
    /// A key press or a resize (full screen only).
    Input(crossterm::event::Event),
    /// One of the signals the loop was started for.
    Signal(i32),
    /// An alert channel's news: failed, works again, ring the bell.
    Report(Report),
    /// A click on the status-bar segment: the mouse button (i3bar's click events).
    Click(u16),
    /// The configuration was re-read (after `Flow::Reload`): `Err` says why
    /// the old one is kept.
    Reloaded(Result<(), String>),
}

/// What a subscriber wants the loop to do next.
#[derive(Debug)]
pub enum Flow {
    Continue,
    /// End the loop with this exit.
    Stop(Exit),
    /// Re-read the configuration (the daemon's SIGHUP).
    Reload,
}

/// What one wake of the loop observed, as its subscriber gets it.
pub struct Observation<'a> {
    pub now: WallTime,
    pub events: &'a [Event],
    /// The alerts those events stand for (none for silent milestones).
    pub alerts: &'a [Alert],
    /// The schedule around `now` (kept when the setup asks for an outlook).
    pub outlook: &'a Outlook,
    /// What the engine has passed and how (the daemon saves it).
    pub history: &'a History,
    /// The zone of the date-times in alerts.
    pub zone: Zone,
}

/// The output of the live loop: the screen, the pipe lines, the status-bar
/// segment or the daemon's record.
pub trait Subscriber {
    /// Take in one wake's events.
    fn on_observation(&mut self, observation: &Observation<'_>) -> Result<Flow>;

    /// Take in a message from a helper thread.
    fn on_message(&mut self, _message: &Message) -> Result<Flow> {
        Ok(Flow::Continue)
    }

    /// How long before a boundary with alerts this subscriber wants to be
    /// told them ([`Subscriber::on_ahead`]; only with [`Cadence::WhenDue`]).
    fn ahead(&self) -> Option<Duration> {
        None
    }

    /// The alerts the wake at the next boundary will send, [`Subscriber::ahead`]
    /// before it: the daemon records them as pending then, so that no
    /// write stands between the boundary and the notification.
    fn on_ahead(&mut self, _alerts: &[Alert]) -> Result<()> {
        Ok(())
    }

    /// After the events and messages of a wake: draw, flush.
    fn flush(&mut self) -> Result<()> {
        Ok(())
    }

    /// An instant by which the loop must wake for this subscriber (to retry
    /// something), besides its cadence.
    fn wake_by(&self) -> Option<Epoch> {
        None
    }
}

/// A handle helper threads use to reach the loop.
#[derive(Clone)]
pub struct LoopHandle {
    tx: Sender<Message>,
    waker: Waker,
}

impl LoopHandle {
    /// Queue `message` and wake the loop; false once the loop is gone.
    pub fn send(&self, message: Message) -> bool {
        let sent = self.tx.send(message).is_ok();
        if sent {
            self.waker.wake();
        }
        sent
    }
}

/// When the loop wakes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cadence {
    /// At every second boundary (the displays).
    EverySecond,
    /// Only when an alert is due (the daemon), and at least once a day.
    WhenDue,
}

/// With no alert ahead, the daemon wakes this often anyway (cheap, and
/// bounds any drift).
const IDLE_WAKE_SECS: i64 = 86_400;

/// While the clock tolerates nudges, the daemon wakes this often (seconds):
/// a backward step is then seen at the deadline (the clock's monotonic
/// guard), and a daemon's deadline can be years away. What it misses
/// meanwhile changes nothing it does: what it alerted stays done, and
/// nothing crossed is remembered (else the clock would not tolerate).
const TOLERANT_WAKE_SECS: i64 = 600;

/// What the loop runs: the schedule and how alerts go out.
#[derive(Clone, Debug)]
pub struct Setup {
    pub schedule: Schedule,
    pub alerts: AlertSettings,
    /// The zone of the date-times in notifications.
    pub zone: Zone,
    pub cadence: Cadence,
    /// How many upcoming milestones the outlook keeps (0 for none).
    pub outlook: usize,
    /// How long in-flight alerts get when the loop ends.
    pub grace: Duration,
}

impl Setup {
    /// `schedule` at `cadence`, alerting by `alerts` with date-times in
    /// `zone`; no outlook, and no grace for alerts in flight at the end.
    pub fn new(schedule: Schedule, alerts: AlertSettings, zone: Zone, cadence: Cadence) -> Setup {
        Setup {
            schedule,
            alerts,
            zone,
            cadence,
            outlook: 0,
            grace: Duration::ZERO,
        }
    }

    /// Keep an outlook of the next `count` milestones.
    pub fn with_outlook(self, count: usize) -> Setup {
        Setup {
            outlook: count,
            ..self
        }
    }

    /// Give alerts in flight at the end this long.
    pub fn with_grace(self, grace: Duration) -> Setup {
        Setup { grace, ..self }
    }
}

/// Where a previous run of the daemon left off.
#[derive(Clone, Debug)]
pub struct Resume {
    /// What it had passed, and how.
    pub history: History,
    /// Alerts it sent without their delivery recorded: sent again first.
    pub resend: Vec<Alert>,
}

/// The clock and the channel, ready before the work is known: the signals
/// are caught from the start, before any configuration is read.
pub struct Live {
    clock: SystemClock,
    tx: Sender<Message>,
    rx: Receiver<Message>,
    signals: Signals,
}

impl Live {
    /// Take the clock and catch `signals` from now on.
    pub fn start(signals: &[i32]) -> Result<Live> {
        let clock = SystemClock::new().context("cannot create the wall-clock timer")?;
        let (tx, rx) = mpsc::channel();
        let handle = LoopHandle {
            tx: tx.clone(),
            waker: clock.waker(),
        };
        let signals = Signals::forward(signals, handle).context("cannot catch signals")?;
        Ok(Live {
            clock,
            tx,
            rx,
            signals,
        })
    }

    pub fn handle(&self) -> LoopHandle {
        LoopHandle {
            tx: self.tx.clone(),
            waker: self.clock.waker(),
        }
    }

    /// Run `setup` (from where `resume` says, else from now) until
    /// `output` stops the loop. `reload` gives a new setup when `output`
    /// asks for one.
    pub fn run(
        self,
        setup: Setup,
        resume: Option<Resume>,
        output: &mut dyn Subscriber,
        reload: Option<&dyn Fn() -> Result<Setup>>,
    ) -> Result<Exit> {
        let mut runner = Runner::new(&self, setup, resume);
        let result = runner.run(output, reload);
        runner.shutdown();
        self.signals.close();
        result
    }
}

/// The loop's state while it runs.
struct Runner<'a> {
    live: &'a Live,
    engine: Engine,
    dispatcher: Option<Dispatcher>,
    setup: Setup,
    events: Vec<Event>,
    fired: Vec<Alert>,
    /// The due second whose alerts were announced ahead.
    announced: Option<Epoch>,
}

impl<'a> Runner<'a> {
    fn new(live: &'a Live, setup: Setup, resume: Option<Resume>) -> Runner<'a> {
        let Resume { history, resend } = resume.unwrap_or_else(|| Resume {
            history: History::starting_at(live.clock.now().secs),
            resend: Vec::new(),
        });
        let handle = live.handle();
        let dispatcher = Dispatcher::start(
            setup.alerts.clone(),
            setup.zone,
            Box::new(move |report| {
                handle.send(Message::Report(report));
            }),
        );
        for alert in resend {
            dispatcher.send(alert);
        }
        Runner {
            engine: engine_for(&setup, history),
            dispatcher: Some(dispatcher),
            live,
            setup,
            events: Vec::new(),
            fired: Vec::new(),
            announced: None,
        }
    }

    /// Give in-flight alerts the setup's grace to finish.
    fn shutdown(&mut self) {
        if let Some(dispatcher) = self.dispatcher.take() {
            dispatcher.shutdown(self.setup.grace);
        }
    }

    fn run(
        &mut self,
        output: &mut dyn Subscriber,
        reload: Option<&dyn Fn() -> Result<Setup>>,
    ) -> Result<Exit> {
        loop {
            let now = self.live.clock.now();
            if let Flow::Stop(exit) = self.observe(now, output)? {
                return Ok(exit);
            }
            while let Ok(message) = self.live.rx.try_recv() {
                match output.on_message(&message)? {
                    Flow::Continue => {}
                    Flow::Stop(exit) => return Ok(exit),
                    Flow::Reload => self.reload(reload),
                }
            }
            let ahead = output.ahead();
            self.announce_ahead(now, ahead, output)?;
            // Every step must be seen at once while a backward one could
            // bring a crossed milestone back; else nudges may be tolerated.
            self.live.clock.set_exact(self.engine.history().revivable());
            output.flush()?;
            let mut deadline = self.deadline(now, ahead);
            if let Some(by) = output.wake_by() {
                deadline = deadline.min(WallTime::from_secs(by));
            }
            self.live.clock.sleep_until(deadline);
        }
    }

    /// Feed the engine, then the subscriber and the alert dispatcher.
    fn observe(&mut self, now: WallTime, output: &mut dyn Subscriber) -> Result<Flow> {
        self.events.clear();
        self.engine.observe_into(now, &mut self.events);
        self.fired.clear();
        self.fired.extend(
            self.events
                .iter()
                .filter_map(|event| Alert::from_event(event, now)),
        );
        let observation = Observation {
            now,
            events: &self.events,
            alerts: &self.fired,
            outlook: self.engine.outlook(),
            history: self.engine.history(),
            zone: self.setup.zone,
        };
        if let flow @ Flow::Stop(_) = output.on_observation(&observation)? {
            return Ok(flow);
        }
        if let Some(dispatcher) = &self.dispatcher {
            for alert in &self.fired {
                dispatcher.send(alert.clone());
            }
            for countdown in self.events.iter().filter_map(Countdown::from_event) {
                dispatcher.countdown(&countdown);
            }
        }
        Ok(Flow::Continue)
    }

    /// Swap in a new setup, keeping what has been fired (and the alert
    /// channels, with a countdown on screen); on failure keep the old one.
    /// Either way the subscriber is told.
    fn reload(&mut self, reload: Option<&dyn Fn() -> Result<Setup>>) {
        let Some(reload) = reload else { return };
        let outcome = match reload() {
            Ok(setup) => {
                self.engine = engine_for(&setup, self.engine.history().clone());
                if let Some(dispatcher) = &mut self.dispatcher {
                    dispatcher.reconfigure(setup.alerts.clone(), setup.zone);
                }
                self.setup = setup;
                self.announced = None;
                Ok(())
            }
            Err(err) => Err(err.to_string()),
        };
        // Delivered with the next batch of messages.
        let _ = self.live.tx.send(Message::Reloaded(outcome));
    }

    /// The next alert's due second, when it must still be announced
    /// `ahead` of it (to a subscriber that asks, with the daemon's cadence),
    /// and when to announce it.
    fn unannounced_due(&self, ahead: Option<Duration>) -> Option<(Epoch, WallTime)> {
        let ahead = ahead.filter(|_| self.setup.cadence == Cadence::WhenDue)?;
        let due = self.engine.next_alert_due()?;
        (self.announced != Some(due)).then(|| (due, ahead_of(due, ahead)))
    }

    /// Shortly before the next alerts' boundary, tell the subscriber what
    /// will go out there (what the engine would make of that instant).
    fn announce_ahead(
        &mut self,
        now: WallTime,
        ahead: Option<Duration>,
        output: &mut dyn Subscriber,
    ) -> Result<()> {
        let Some((due, at)) = self.unannounced_due(ahead) else {
            return Ok(());
        };
        if now.secs >= due || now < at {
            return Ok(());
        }
        self.announced = Some(due);
        let at = WallTime::from_secs(due);
        let mut probe = self.engine.clone();
        let mut events = Vec::new();
        probe.observe_into(at, &mut events);
        let alerts: Vec<Alert> = events
            .iter()
            .filter_map(|event| Alert::from_event(event, at))
            .collect();
        output.on_ahead(&alerts)
    }

    /// When to wake next after observing `now`.
    fn deadline(&self, now: WallTime, ahead: Option<Duration>) -> WallTime {
        match self.setup.cadence {
            Cadence::EverySecond => now.next_second(),
            Cadence::WhenDue => {
                // While the clock tolerates nudges a backward step is seen
                // only at the deadline: keep that within ten minutes.
                let idle = if self.live.clock.tolerant() {
                    TOLERANT_WAKE_SECS
                } else {
                    IDLE_WAKE_SECS
                };
                let idle = now.secs.saturating_add(idle);
                let due = self
                    .engine
                    .next_alert_due()
                    .into_iter()
                    .chain(self.engine.next_countdown_second(now.secs))
                    .fold(idle, Epoch::min);
                match self.unannounced_due(ahead) {
                    Some((next, at)) if next == due && now < at => at,
                    _ => WallTime::from_secs(due),
                }
            }
        }
    }
}

/// When the alerts due at `due` are announced: `ahead` before it.
fn ahead_of(due: Epoch, ahead: Duration) -> WallTime {
    let ahead = i128::try_from(ahead.as_nanos()).unwrap_or(0);
    WallTime::from_nanos(i128::from(due) * 1_000_000_000 - ahead)
}

fn engine_for(setup: &Setup, history: History) -> Engine {
    Engine::new(
        setup.schedule.clone(),
        EngineOptions {
            remind: setup.alerts.remind.clone(),
            catch_up: Some(setup.alerts.catch_up),
            fired_through: history.fired_through,
        },
    )
    .with_history(history)
    .with_outlook(setup.outlook)
    .with_countdown(if setup.alerts.desktop {
        setup.alerts.countdown
    } else {
        0
    })
}
