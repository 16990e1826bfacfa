//! The alert sinks as the loop sees them: the alerts of each wake are
//! handed to the dispatcher's worker thread (never waited for), and its
//! reports come back to the loop as messages.

use std::time::Duration;

use super::{Message, Notifier, Setup};
use crate::alert::{Alert, Dispatcher};
use crate::milestone::Epoch;

pub struct AlertSink {
    dispatcher: Dispatcher,
    grace: Duration,
}

impl AlertSink {
    pub fn start(setup: &Setup, notifier: Notifier) -> AlertSink {
        // The zone's data is read on first use: not at the first alert.
        let _ = crate::time::format_datetime(0, setup.zone);
        let dispatcher = Dispatcher::start(
            setup.alerts.clone(),
            setup.zone,
            Box::new(move |report| {
                notifier.send(Message::Report(report));
            }),
        );
        AlertSink {
            dispatcher,
            grace: setup.grace,
        }
    }

    /// Enqueue the alerts of one wake; never blocks.
    pub fn send(&self, alerts: &[Alert]) {
        for alert in alerts {
            self.dispatcher.send(alert.clone());
        }
    }

    /// The alerts due at the second `due`, a moment before it (see
    /// [`Dispatcher::ahead`]); never blocks.
    pub fn ahead(&self, due: Epoch, alerts: &[Alert]) {
        self.dispatcher.ahead(due, alerts.to_vec());
    }

    /// Give in-flight alerts the setup's grace to finish.
    pub fn shutdown(self) {
        self.dispatcher.shutdown(self.grace);
    }
}
