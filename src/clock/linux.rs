//! The Linux clock: a `timerfd` on `CLOCK_REALTIME` with
//! `TFD_TIMER_CANCEL_ON_SET` (see the module docs of `clock`).

use std::cell::Cell;
use std::io;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
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
/// timer is armed without `TFD_TIMER_CANCEL_ON_SET` for ten minutes, then
/// with it again, to see whether the nudging goes on; when it does at
/// once, for twice as long each time, up to an hour. While so
/// tolerant, a forward step still wakes the sleeper at once (an
/// absolute deadline the clock passes fires), and a backward step is
/// seen at the deadline as the monotonic clock counts it: a second
/// timer, on `CLOCK_MONOTONIC`, guards each sleep, so a clock set back
/// by hours does not hold the sleeper for hours. Callers that must see
/// every step at once say so with [`SystemClock::set_exact`].
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
    /// How long the last tolerance lasted.
    tolerance: Cell<i128>,
    /// Every step must wake the sleeper at once: never tolerant.
    exact: Cell<bool>,
    /// While tolerant: fires [`NUDGE_NS`] after the deadline as the
    /// monotonic clock counts it, should the wall clock have gone back.
    guard: TimerFd,
}

/// What ended a wait on the timers.
enum Fired {
    Timer(Wake),
    Guard,
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
/// before it asks again whether the nudging goes on; doubled while it
/// goes on at once, up to the longest.
const TOLERANCE_NS: i128 = 600_000_000_000;
const LONGEST_TOLERANCE_NS: i128 = 3_600_000_000_000;

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
            tolerance: Cell::new(0),
            exact: Cell::new(false),
            guard: TimerFd::new(ClockId::CLOCK_MONOTONIC, TimerFlags::TFD_CLOEXEC)?,
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
        if self.exact.get() || mono.saturating_sub(nudges[0]) > NUDGE_WINDOW_NS {
            return false;
        }
        // Nudged again as soon as the last tolerance ended: the host
        // goes on, so ask it less often.
        let again = mono.saturating_sub(self.tolerant_until.get()) <= NUDGE_WINDOW_NS;
        let tolerance = if again {
            (self.tolerance.get() * 2).clamp(TOLERANCE_NS, LONGEST_TOLERANCE_NS)
        } else {
            TOLERANCE_NS
        };
        self.tolerance.set(tolerance);
        self.tolerant_until.set(mono + tolerance);
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

    /// Arm the timer for `deadline`, and while tolerant the monotonic
    /// guard too: whether the guard stands (None when the kernel refuses).
    fn arm_guarded(&self, deadline: WallTime, mono: i128) -> Option<bool> {
        let cancelable = self.cancelable(mono);
        if !self.arm(deadline, cancelable) {
            return None;
        }
        Some(!cancelable && self.arm_guard(deadline))
    }

    /// Arm the monotonic guard for `deadline` (see `guard`).
    fn arm_guard(&self, deadline: WallTime) -> bool {
        let left = (deadline.as_nanos() - self.now().as_nanos()).max(0) + NUDGE_NS;
        let left = Duration::from_nanos(u64::try_from(left).unwrap_or(u64::MAX));
        let spec = TimeSpec::from_duration(left);
        self.guard
            .set(Expiration::OneShot(spec), TimerSetTimeFlags::empty())
            .is_ok()
    }

    /// Block until the timer fires or, when `guarded`, the guard does.
    fn wait(&self, guarded: bool) -> Fired {
        if guarded && self.guard_first() {
            return Fired::Guard;
        }
        Fired::Timer(self.wait_timer())
    }

    /// Poll the timer and the guard: true when the guard fired first
    /// (its expiry read), false when the timer is ready to be read.
    fn guard_first(&self) -> bool {
        loop {
            let mut fds = [
                PollFd::new(self.shared.timer.as_fd(), PollFlags::POLLIN),
                PollFd::new(self.guard.as_fd(), PollFlags::POLLIN),
            ];
            match poll(&mut fds, PollTimeout::NONE) {
                Ok(_) => {}
                Err(Errno::EINTR) => continue,
                // The timer's read then says what is wrong.
                Err(_) => return false,
            }
            let ready = |fd: &PollFd| fd.revents().is_some_and(|r| !r.is_empty());
            if ready(&fds[0]) {
                return false;
            }
            if ready(&fds[1]) {
                // Reading consumes the expiry; it cannot block now.
                let _ = self.guard.wait();
                return true;
            }
        }
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
        // next expiry is it (while tolerant, under a fresh guard).
        let on_tick = deadline.nanos == 0
            && self.armed_cancelable.get() == cancelable
            && self
                .ticking_from
                .get()
                .is_some_and(|from| from <= deadline.secs)
            && started.wall.secs.checked_add(1) == Some(deadline.secs);
        let mut guarded = if on_tick {
            !cancelable && self.arm_guard(deadline)
        } else {
            match self.arm_guarded(deadline, started.mono) {
                Some(guarded) => guarded,
                None => return Wake::ClockChanged,
            }
        };
        loop {
            if self.take_wake() {
                return Wake::Interrupted;
            }
            let wake = match self.wait(guarded) {
                Fired::Timer(wake) => wake,
                // The monotonic deadline passed before the wall one:
                // the clock went back by more than a nudge.
                Fired::Guard if self.now() < deadline => {
                    self.ticking_from.set(None);
                    Wake::ClockChanged
                }
                Fired::Guard => Wake::Deadline,
            };
            if self.take_wake() {
                return Wake::Interrupted;
            }
            if wake == Wake::ClockChanged {
                // A set by a hair that stays in the same second changes
                // nothing anyone sees: sleep on (the timer stays armed
                // for the same instant), at the cost of this read.
                // When the nudge starts tolerance, the caller plans
                // its next sleep knowing that (see `tolerant`).
                if started.only_nudged(self.now(), deadline) && !self.nudged(read_monotonic_ns()) {
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
                match self.arm_guarded(deadline, read_monotonic_ns()) {
                    Some(guard) => guarded = guard,
                    None => return Wake::ClockChanged,
                }
                continue;
            }
            return wake;
        }
    }
}
