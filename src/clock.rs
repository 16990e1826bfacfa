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
mod linux {
    use std::cell::Cell;
    use std::io;
    use std::os::fd::AsFd;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use nix::errno::Errno;
    use nix::sys::time::TimeSpec;
    use nix::sys::timer::Expiration;
    use nix::sys::timerfd::{ClockId, TimerFd, TimerFlags, TimerSetTimeFlags};
    use nix::time::{ClockId as TimeClockId, clock_gettime};

    use super::{Clock, Wake, WallTime};

    /// What the sleeper and its wakers share: the timer itself, and whether
    /// a wake was asked for.
    struct Shared {
        timer: TimerFd,
        woken: AtomicBool,
    }

    /// The real wall clock, sleeping on a `timerfd` (see the module docs).
    ///
    /// The sleeper blocks in `read` on the timer alone: one system call per
    /// wake, which matters for a process whose whole job is to wake once a
    /// second. A deadline on a whole second arms the timer to repeat every
    /// second from there, so a watcher asking for one boundary after another
    /// does not re-arm it each time. A `Waker` interrupts the sleep by
    /// raising a flag and firing the same timer at once.
    ///
    /// A host that nudges the clock (tiny sets, several within seconds)
    /// would wake the sleeper at each one: each costs a wake however cheaply
    /// it is handled. After [`NUDGES_TO_TOLERATE`] nudges within 10 s the
    /// timer is armed without `TFD_TIMER_CANCEL_ON_SET` for a minute, then
    /// with it again, to see whether the nudging goes on. While so
    /// tolerant, a forward step still wakes the sleeper at once (an
    /// absolute deadline the clock passes fires), but a backward step is
    /// seen only at the deadline; callers that must see every step at once
    /// say so with [`SystemClock::set_exact`].
    pub struct SystemClock {
        shared: Arc<Shared>,
        /// The whole second from which the timer is firing every second, if
        /// it is (cleared by a clock change or a wake, which disarm it).
        ticking_from: Cell<Option<i64>>,
        /// Whether the timer is armed with `TFD_TIMER_CANCEL_ON_SET`.
        armed_cancelable: Cell<bool>,
        /// The monotonic times of the last nudges, newest last.
        nudges: Cell<[i128; NUDGES_TO_TOLERATE]>,
        /// Until this monotonic time, nudges are tolerated (see above).
        tolerant_until: Cell<i128>,
        /// Every step must wake the sleeper at once: never tolerant.
        exact: Cell<bool>,
    }

    /// A handle other threads use to interrupt `SystemClock::sleep_until`.
    #[derive(Clone)]
    pub struct Waker {
        shared: Arc<Shared>,
    }

    impl Waker {
        /// Make the current or next sleep return `Wake::Interrupted`.
        pub fn wake(&self) {
            // Flag first, then fire: a sleeper that armed its own deadline
            // after this flag was raised sees the flag before it blocks, and
            // one that armed before has its timer replaced by this expiry.
            self.shared.woken.store(true, Ordering::SeqCst);
            // Fire at "now" as this process reads the clock (not at a tiny
            // absolute time), so an interposed clock such as libfaketime's
            // maps it to the real present rather than the distant past.
            let now = read_realtime();
            let spec = TimeSpec::new(now.secs, i64::from(now.nanos));
            // Only a clock stepped in between (ECANCELED, which also wakes
            // the sleeper) or an impossible time can make this fail.
            let _ = self
                .shared
                .timer
                .set(Expiration::OneShot(spec), timer_flags());
        }
    }

    fn timer_flags() -> TimerSetTimeFlags {
        TimerSetTimeFlags::TFD_TIMER_ABSTIME | TimerSetTimeFlags::TFD_TIMER_CANCEL_ON_SET
    }

    /// This many nudges within [`NUDGE_WINDOW_NS`] make the clock nudge-tolerant.
    const NUDGES_TO_TOLERATE: usize = 3;
    const NUDGE_WINDOW_NS: i128 = 10_000_000_000;
    /// How long the timer is then armed without `TFD_TIMER_CANCEL_ON_SET`
    /// before it asks again whether the nudging goes on.
    const TOLERANCE_NS: i128 = 60_000_000_000;

    /// A clock set that moves the wall clock by less than this against the
    /// monotonic clock is a nudge (some hosts set their guests' clocks ten
    /// times a second by sub-millisecond steps), not a step.
    const NUDGE_NS: i128 = 20_000_000;

    /// Where a sleep began, on both clocks.
    struct Started {
        wall: WallTime,
        mono: i128,
    }

    impl Started {
        /// Whether the wall clock, now reading `now`, was only nudged since
        /// the sleep began: it is within a hair of where the monotonic clock
        /// says it should be, in the same second, and short of `deadline`.
        fn only_nudged(&self, now: WallTime, deadline: WallTime) -> bool {
            let expected = self.wall.as_nanos() + (read_monotonic_ns() - self.mono);
            (now.as_nanos() - expected).abs() < NUDGE_NS
                && now < deadline
                && now.secs == expected.div_euclid(1_000_000_000) as i64
        }
    }

    fn read_monotonic_ns() -> i128 {
        match clock_gettime(TimeClockId::CLOCK_MONOTONIC) {
            Ok(ts) => i128::from(ts.tv_sec()) * 1_000_000_000 + i128::from(ts.tv_nsec()),
            Err(_) => 0,
        }
    }

    fn read_realtime() -> WallTime {
        // clock_gettime(CLOCK_REALTIME) cannot fail for a valid clock id;
        // if it ever did, the epoch is a visible, harmless answer.
        match clock_gettime(TimeClockId::CLOCK_REALTIME) {
            Ok(ts) => WallTime {
                secs: ts.tv_sec(),
                nanos: u32::try_from(ts.tv_nsec()).unwrap_or(0),
            },
            Err(_) => WallTime::default(),
        }
    }

    impl SystemClock {
        pub fn new() -> io::Result<SystemClock> {
            // Blocking on purpose: the sleep is a plain `read`.
            let timer = TimerFd::new(ClockId::CLOCK_REALTIME, TimerFlags::TFD_CLOEXEC)?;
            Ok(SystemClock {
                shared: Arc::new(Shared {
                    timer,
                    woken: AtomicBool::new(false),
                }),
                ticking_from: Cell::new(None),
                armed_cancelable: Cell::new(true),
                nudges: Cell::new([i128::MIN; NUDGES_TO_TOLERATE]),
                tolerant_until: Cell::new(i128::MIN),
                exact: Cell::new(false),
            })
        }

        /// Whether every clock step must wake the sleeper at once, even on a
        /// host that nudges the clock (see the type's docs).
        pub fn set_exact(&self, exact: bool) {
            self.exact.set(exact);
        }

        /// Whether nudges are being tolerated: a backward step is then seen
        /// only at the deadline.
        pub fn tolerant(&self) -> bool {
            !self.cancelable(read_monotonic_ns())
        }

        /// Whether the timer should be armed with `TFD_TIMER_CANCEL_ON_SET` at `mono`.
        fn cancelable(&self, mono: i128) -> bool {
            self.exact.get() || mono >= self.tolerant_until.get()
        }

        /// Count a nudge seen at `mono`; true when it starts tolerance.
        fn nudged(&self, mono: i128) -> bool {
            let mut nudges = self.nudges.get();
            nudges.rotate_left(1);
            nudges[NUDGES_TO_TOLERATE - 1] = mono;
            self.nudges.set(nudges);
            if self.exact.get() || mono - nudges[0] > NUDGE_WINDOW_NS {
                return false;
            }
            self.tolerant_until.set(mono + TOLERANCE_NS);
            true
        }

        pub fn waker(&self) -> Waker {
            Waker {
                shared: Arc::clone(&self.shared),
            }
        }

        /// Arm the timer for `deadline`: repeating every second from there
        /// when it is a whole second, once otherwise. False when the kernel
        /// refuses (only for deadlines it cannot represent).
        fn arm(&self, deadline: WallTime, cancelable: bool) -> bool {
            let spec = TimeSpec::new(deadline.secs, i64::from(deadline.nanos));
            let ticking = deadline.nanos == 0;
            let expiration = if ticking {
                Expiration::IntervalDelayed(spec, TimeSpec::new(1, 0))
            } else {
                Expiration::OneShot(spec)
            };
            let flags = if cancelable {
                timer_flags()
            } else {
                TimerSetTimeFlags::TFD_TIMER_ABSTIME
            };
            let armed = self.shared.timer.set(expiration, flags).is_ok();
            self.armed_cancelable.set(cancelable);
            self.ticking_from
                .set((armed && ticking).then_some(deadline.secs));
            armed
        }

        /// Take a pending wake request, if any. A wake re-armed the timer
        /// as a one-shot, so the repeating tick no longer stands.
        fn take_wake(&self) -> bool {
            let woken = self.shared.woken.swap(false, Ordering::SeqCst);
            if woken {
                self.ticking_from.set(None);
            }
            woken
        }

        /// Block until the timer fires; ECANCELED means the clock was set.
        fn wait_timer(&self) -> Wake {
            let mut buf = [0u8; 8];
            loop {
                match nix::unistd::read(self.shared.timer.as_fd(), &mut buf) {
                    Ok(_) => return Wake::Deadline,
                    Err(Errno::EINTR) => continue,
                    // ECANCELED is a clock step; any other error is treated
                    // like one too, so the caller re-reads the clock.
                    Err(_) => return Wake::ClockChanged,
                }
            }
        }
    }

    impl Clock for SystemClock {
        fn now(&self) -> WallTime {
            read_realtime()
        }

        fn sleep_until(&self, deadline: WallTime) -> Wake {
            let started = Started {
                wall: self.now(),
                mono: read_monotonic_ns(),
            };
            let cancelable = self.cancelable(started.mono);
            // Already ticking towards this boundary, armed as wanted: the
            // next expiry is it.
            let on_tick = deadline.nanos == 0
                && self.armed_cancelable.get() == cancelable
                && self
                    .ticking_from
                    .get()
                    .is_some_and(|from| from <= deadline.secs)
                && started.wall.secs.checked_add(1) == Some(deadline.secs);
            if !on_tick && !self.arm(deadline, cancelable) {
                return Wake::ClockChanged;
            }
            loop {
                if self.take_wake() {
                    return Wake::Interrupted;
                }
                let wake = self.wait_timer();
                if self.take_wake() {
                    return Wake::Interrupted;
                }
                if wake == Wake::ClockChanged {
                    // A set by a hair that stays in the same second changes
                    // nothing anyone sees: sleep on (the timer stays armed
                    // for the same instant), at the cost of this read.
                    // When `nudged` says tolerance begins, the caller plans
                    // its next sleep knowing that (see `tolerant`).
                    if started.only_nudged(self.now(), deadline)
                        && !self.nudged(read_monotonic_ns())
                    {
                        continue;
                    }
                    self.ticking_from.set(None);
                    return wake;
                }
                // A timer that fires before the deadline as this process
                // sees it (an earlier tick still unread, or an interposed
                // clock such as libfaketime's disagreeing by a hair) is
                // re-armed, so callers may rely on `now() >= deadline`.
                if self.now() < deadline {
                    if !self.arm(deadline, self.cancelable(read_monotonic_ns())) {
                        return Wake::ClockChanged;
                    }
                    continue;
                }
                return wake;
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod portable {
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
}

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
        self.now.set(WallTime {
            secs: nanos.div_euclid(1_000_000_000) as i64,
            nanos: nanos.rem_euclid(1_000_000_000) as u32,
        });
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
