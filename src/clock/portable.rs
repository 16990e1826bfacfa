//! The clock on platforms without `timerfd`.

use std::io;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, SystemTime};

use super::{Clock, Wake, WallTime};

/// Portable fallback: sleeps in slices of at most 250 ms on a condition
/// variable, re-reading the wall clock, so a clock step is noticed
/// within a slice.
pub struct SystemClock {
    state: Arc<(Mutex<bool>, Condvar)>,
}

#[derive(Clone)]
pub struct Waker {
    state: Arc<(Mutex<bool>, Condvar)>,
}

impl Waker {
    pub fn wake(&self) {
        let (lock, cvar) = &*self.state;
        if let Ok(mut flag) = lock.lock() {
            *flag = true;
            cvar.notify_all();
        }
    }
}

impl SystemClock {
    pub fn new() -> io::Result<SystemClock> {
        Ok(SystemClock {
            state: Arc::new((Mutex::new(false), Condvar::new())),
        })
    }

    pub fn waker(&self) -> Waker {
        Waker {
            state: Arc::clone(&self.state),
        }
    }

    /// The fallback re-reads the clock every slice: every step is seen.
    pub fn set_exact(&self, _exact: bool) {}

    pub fn tolerant(&self) -> bool {
        false
    }
}

impl Clock for SystemClock {
    fn now(&self) -> WallTime {
        WallTime::from_system_time(SystemTime::now())
    }

    fn sleep_until(&self, deadline: WallTime) -> Wake {
        let (lock, cvar) = &*self.state;
        loop {
            let now = self.now();
            if now >= deadline {
                return Wake::Deadline;
            }
            let left = deadline.as_nanos() - now.as_nanos();
            let slice = Duration::from_nanos(left.min(250_000_000) as u64);
            let Ok(flag) = lock.lock() else {
                return Wake::Interrupted;
            };
            let Ok((mut flag, _)) = cvar.wait_timeout(flag, slice) else {
                return Wake::Interrupted;
            };
            if *flag {
                *flag = false;
                return Wake::Interrupted;
            }
        }
    }
}
