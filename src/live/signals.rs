//! Signals as messages: a thread waits for the signals the loop was started
//! for and forwards each one, waking the clock.

use std::io;

use signal_hook::iterator::backend::Handle;

use super::{LoopHandle, Message};

/// The signal thread's handle; `close` stops it.
pub struct Signals {
    handle: Handle,
}

impl Signals {
    /// Catch `wanted` from now on and forward each to the loop.
    pub fn forward(wanted: &[i32], to_loop: LoopHandle) -> io::Result<Signals> {
        let mut signals = signal_hook::iterator::Signals::new(wanted)?;
        let handle = signals.handle();
        std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                for signal in signals.forever() {
                    if !to_loop.send(Message::Signal(signal)) {
                        break;
                    }
                }
            })?;
        Ok(Signals { handle })
    }

    /// Stop catching: the thread ends.
    pub fn close(&self) {
        self.handle.close();
    }
}
