//! The only place that reads the time or sleeps.
//!
//! `Clock` is a small trait so the engine and tests can run on simulated
//! time. On Linux, `SystemClock` sleeps until an absolute `CLOCK_REALTIME`
//! deadline with a `timerfd` armed with `TFD_TIMER_ABSTIME |
//! TFD_TIMER_CANCEL_ON_SET`: it wakes at the second boundary itself, and at
//! once when the wall clock is stepped (settimeofday, NTP step, resume from
//! suspend). All calls go through libc (via nix), so libfaketime can drive the
//! binary in tests. Other platforms get a portable fallback.

use std::cell::Cell;
use std::time::Duration;

/// A wall-clock instant: seconds and nanoseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct WallTime {
    pub secs: i64,
    /// Always below 1,000,000,000.
    pub nanos: u32,
}

impl WallTime {
    pub const fn from_secs(secs: i64) -> WallTime {
        WallTime { secs, nanos: 0 }
    }

    /// Seconds and nanoseconds since the epoch, floored: `nanos` is always
    /// below 1,000,000,000, so 0.5 s before 1970 is `(-1, 500_000_000)`.
    pub fn from_system_time(time: std::time::SystemTime) -> WallTime {
        match time.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => WallTime {
                secs: i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                nanos: after.subsec_nanos(),
            },
            Err(before) => {
                let before = before.duration();
                let secs = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                match before.subsec_nanos() {
                    0 => WallTime {
                        secs: -secs,
                        nanos: 0,
                    },
                    nanos => WallTime {
                        secs: -secs - 1,
                        nanos: 1_000_000_000 - nanos,
                    },
                }
            }
        }
    }

    /// The start of the next whole second.
    pub fn next_second(self) -> WallTime {
        WallTime::from_secs(self.secs.saturating_add(1))
    }

    /// Milliseconds from the instant `epoch` (whole seconds) to `self`; negative when before.
    pub fn millis_since(self, epoch: i64) -> i64 {
        let whole = self.secs.saturating_sub(epoch).saturating_mul(1000);
        whole.saturating_add(i64::from(self.nanos / 1_000_000))
    }

    /// Nanoseconds since the epoch as one number (for sub-second maths).
    pub fn as_nanos(self) -> i128 {
        i128::from(self.secs) * 1_000_000_000 + i128::from(self.nanos)
    }

    /// The instant `nanos` nanoseconds since the epoch (the inverse of
    /// [`WallTime::as_nanos`]; saturating beyond `i64` seconds).
    pub fn from_nanos(nanos: i128) -> WallTime {
        let secs = nanos.div_euclid(1_000_000_000);
        WallTime {
            secs: i64::try_from(secs).unwrap_or(if secs < 0 { i64::MIN } else { i64::MAX }),
            // Below 1,000,000,000 by construction.
            nanos: nanos.rem_euclid(1_000_000_000) as u32,
        }
    }
}

/// The wall clock read once, for the commands that answer and exit
/// (`now`, `when`, `next`). `SystemTime::now()` is `clock_gettime` through
/// libc, so libfaketime applies; floored as [`WallTime::from_system_time`].
pub fn read_once() -> WallTime {
    WallTime::from_system_time(std::time::SystemTime::now())
}

/// Whether the kernel says the wall clock is synchronized (NTP or similar
/// keeps it right): `adjtimex` in read-only mode reports `STA_UNSYNC` clear.
/// On other systems, and if the kernel will not say, `false`.
pub fn synchronized() -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `timex` is plain data, zeroed is a valid value, and with
        // `modes == 0` adjtimex only reads the kernel's state into it.
        let mut timex: libc::timex = unsafe { std::mem::zeroed() };
        timex.modes = 0;
        // SAFETY: a valid pointer to a `timex` that lives across the call.
        let state = unsafe { libc::adjtimex(&mut timex) };
        state >= 0 && state != libc::TIME_ERROR && timex.status & libc::STA_UNSYNC == 0
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// Why a sleep ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wake {
    /// The deadline came.
    Deadline,
    /// The wall clock was stepped (or the machine resumed): re-read it.
    ClockChanged,
    /// Another thread asked the sleeper to wake (input, signal, report).
    Interrupted,
}

/// Reads the wall clock and sleeps until a wall-clock deadline.
pub trait Clock {
    fn now(&self) -> WallTime;
    /// Sleep until `deadline` (absolute wall time), a clock change, or an interruption.
    fn sleep_until(&self, deadline: WallTime) -> Wake;
}

#[cfg(target_os = "linux")]
pub use linux::{SystemClock, Waker};

#[cfg(not(target_os = "linux"))]
pub use portable::{SystemClock, Waker};

#[cfg(target_os = "linux")]
mod linux;

#[cfg(not(target_os = "linux"))]
mod portable;

/// Simulated time for tests: `sleep_until` jumps straight to the deadline,
/// unless a scripted jump is pending, which it applies instead and reports
/// as a clock change.
#[derive(Debug, Default)]
pub struct SimClock {
    now: Cell<WallTime>,
    pending_jump: Cell<Option<WallTime>>,
}

impl SimClock {
    pub fn new(start: WallTime) -> SimClock {
        SimClock {
            now: Cell::new(start),
            pending_jump: Cell::new(None),
        }
    }

    /// Make the next sleep end early with a step to `to`.
    pub fn jump_during_next_sleep(&self, to: WallTime) {
        self.pending_jump.set(Some(to));
    }

    pub fn advance(&self, by: Duration) {
        let nanos = self.now.get().as_nanos() + by.as_nanos() as i128;
        self.now.set(WallTime::from_nanos(nanos));
    }
}

impl Clock for SimClock {
    fn now(&self) -> WallTime {
        self.now.get()
    }

    fn sleep_until(&self, deadline: WallTime) -> Wake {
        if let Some(to) = self.pending_jump.take() {
            self.now.set(to);
            return Wake::ClockChanged;
        }
        if deadline > self.now.get() {
            self.now.set(deadline);
        }
        Wake::Deadline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_since_counts_sub_seconds() {
        let t = WallTime {
            secs: 10,
            nanos: 1_500_000,
        };
        assert_eq!(t.millis_since(10), 1);
        assert_eq!(t.millis_since(8), 2001);
        assert_eq!(t.millis_since(11), -999);
    }

    #[test]
    fn sim_clock_sleeps_to_deadline_and_applies_jumps() {
        let clock = SimClock::new(WallTime::from_secs(100));
        assert_eq!(clock.sleep_until(WallTime::from_secs(101)), Wake::Deadline);
        assert_eq!(clock.now(), WallTime::from_secs(101));
        clock.jump_during_next_sleep(WallTime::from_secs(50));
        assert_eq!(
            clock.sleep_until(WallTime::from_secs(102)),
            Wake::ClockChanged
        );
        assert_eq!(clock.now(), WallTime::from_secs(50));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn system_clock_wakes_at_the_deadline_not_before() {
        let clock = SystemClock::new().expect("timerfd");
        let start = clock.now();
        let deadline = WallTime {
            secs: start.secs,
            nanos: start.nanos,
        };
        // 30 ms from now.
        let target_nanos = deadline.as_nanos() + 30_000_000;
        let target = WallTime {
            secs: (target_nanos / 1_000_000_000) as i64,
            nanos: (target_nanos % 1_000_000_000) as u32,
        };
        assert_eq!(clock.sleep_until(target), Wake::Deadline);
        assert!(clock.now() >= target);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn consecutive_boundaries_each_wake_once_on_time() {
        let clock = SystemClock::new().expect("timerfd");
        let waker = clock.waker();
        let mut seen = Vec::new();
        for round in 0..3 {
            let boundary = clock.now().next_second();
            if round == 1 {
                // An interruption mid-second must not lose the tick after it.
                let waker = waker.clone();
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(100));
                    waker.wake();
                });
                let mut wake = clock.sleep_until(boundary);
                while wake == Wake::Interrupted && clock.now() < boundary {
                    wake = clock.sleep_until(boundary);
                }
                assert_eq!(wake, Wake::Deadline);
            } else {
                assert_eq!(clock.sleep_until(boundary), Wake::Deadline);
            }
            let woke = clock.now();
            assert!(woke >= boundary, "woke at {woke:?} before {boundary:?}");
            // Generous: only a second (or more) late would be a wrong wake.
            assert!(woke.millis_since(boundary.secs) < 500, "late: {woke:?}");
            seen.push(boundary.secs);
        }
        assert!(seen.windows(2).all(|w| w[1] == w[0] + 1), "{seen:?}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn waker_interrupts_a_long_sleep() {
        let clock = SystemClock::new().expect("timerfd");
        let waker = clock.waker();
        let far = WallTime::from_secs(clock.now().secs + 3600);
        let handle = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            waker.wake();
        });
        assert_eq!(clock.sleep_until(far), Wake::Interrupted);
        handle.join().unwrap();
    }
}
