//! Benchmark of one full-screen frame without the terminal: moving the view
//! to the next second, laying it out at 100x30, and diffing it into the bytes
//! the terminal would receive. This is the user-space share of the watcher's
//! per-second cost (the rest is waking up and the write system call).
//!
//! The `cold` variants first sweep a buffer larger than the CPU caches, so
//! the frame runs as it does in the real watcher, which sleeps a whole
//! second between frames while other processes use the caches.
//!
//! Run: `cargo bench --bench frame -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use epochwatch::clock::WallTime;
use epochwatch::display::render::{RowCache, layout_cached};
use epochwatch::display::screen::RowWriter;
use epochwatch::display::{UPCOMING, View};
use epochwatch::engine::{Engine, EngineOptions, Event};
use epochwatch::milestone::Schedule;
use epochwatch::time::Zone;

const NOW: i64 = 1_795_568_278;

/// Larger than the last-level cache of the machines we measure on.
const SWEEP_BYTES: usize = 64 << 20;

/// Touch one byte per cache line of `buffer`, evicting the frame's code and
/// data from the caches (and its pages from the TLB).
fn sweep(buffer: &mut [u8]) {
    for line in buffer.chunks_mut(64) {
        line[0] = line[0].wrapping_add(1);
    }
    black_box(&buffer[..]);
}

/// The live display's per-second work, without the terminal: the engine
/// observes the second, the view takes its outlook, the frame is written.
struct Frame {
    engine: Engine,
    events: Vec<Event>,
    view: View,
    writer: RowWriter,
    cache: RowCache,
    sink: Vec<u8>,
}

impl Frame {
    fn new(zone: Zone) -> Frame {
        let options = EngineOptions {
            remind: vec![86_400, 3_600, 60, 10],
            catch_up: None,
            fired_through: NOW - 1,
        };
        let engine = Engine::new(Schedule::defaults(), options).with_outlook(UPCOMING);
        let mut frame = Frame {
            engine,
            events: Vec::new(),
            view: View::new(zone, false, true),
            writer: RowWriter::default(),
            cache: RowCache::default(),
            sink: Vec::with_capacity(4096),
        };
        frame.observe(NOW);
        frame.draw();
        frame
    }

    fn observe(&mut self, now: i64) {
        self.events.clear();
        self.engine
            .observe_into(WallTime::from_secs(now), &mut self.events);
        self.view.set_now(now, self.engine.outlook());
    }

    /// Lay out the view and diff it into the bytes for the terminal.
    fn draw(&mut self) -> usize {
        self.sink.clear();
        let mut placed = layout_cached(&self.view, 100, 30, &mut self.cache);
        self.writer
            .draw(&mut self.sink, (100, 30), &mut placed)
            .unwrap();
        self.cache.recycle(placed);
        self.sink.len()
    }

    /// Move on one second and draw it.
    fn next_second(&mut self) -> usize {
        self.observe(self.view.now + 1);
        self.draw()
    }
}

fn frame(c: &mut Criterion) {
    for (name, zone) in [("utc", Zone::Utc), ("local", Zone::Local)] {
        let mut frame = Frame::new(zone);
        c.bench_function(&format!("frame/100x30/{name}"), |b| {
            b.iter(|| black_box(frame.next_second()))
        });
        let mut buffer = vec![0u8; SWEEP_BYTES];
        c.bench_function(&format!("frame/100x30/{name}/cold"), |b| {
            b.iter_batched(
                || sweep(&mut buffer),
                |()| black_box(frame.next_second()),
                BatchSize::PerIteration,
            )
        });
    }
}

criterion_group!(benches, frame);
criterion_main!(benches);
