//! The one seeded random source of the tests (the differential tests print
//! their seed, `EPOCHWATCH_DIFF_SEED` to vary it; the engine simulation and
//! the random kills of `delivery` use it too), and a parallel map over the
//! differential tests' cases.

/// A deterministic random source (splitmix64), so that a seed replays a run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// In `0..n` (`n` > 0; the modulo's bias is nothing at the sizes tests draw).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Uniform in `low..=high`.
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        let span = high.abs_diff(low).saturating_add(1);
        low.wrapping_add_unsigned(self.next_u64() % span)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as i64 - 1) as usize]
    }

    /// A new source for one part of the run, so that parts do not depend on
    /// each other's draws.
    pub fn fork(&mut self, salt: &str) -> Rng {
        let hash = salt.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
        });
        Rng(self.next_u64() ^ hash)
    }
}

/// The seed of the differential tests: `EPOCHWATCH_DIFF_SEED`, else a fixed
/// one; printed, so that a failing run can be replayed.
pub fn diff_seed() -> u64 {
    let seed = match std::env::var("EPOCHWATCH_DIFF_SEED") {
        Ok(text) => text
            .trim()
            .parse()
            .expect("EPOCHWATCH_DIFF_SEED is a number"),
        Err(_) => 20_261_125,
    };
    eprintln!("{}: EPOCHWATCH_DIFF_SEED={seed}", super::test_name());
    seed
}

/// `work` on every item, on a few threads (the machine is shared: at most
/// four), results in the items' order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    let slots = std::sync::Mutex::new(&mut results);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else {
                        break;
                    };
                    let result = work(item);
                    slots.lock().unwrap()[i] = Some(result);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every item done"))
        .collect()
}
