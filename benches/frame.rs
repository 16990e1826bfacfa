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
use epochwatch::calendar::Zone;
use epochwatch::display::View;
use epochwatch::display::render::{RowCache, layout_cached};
use epochwatch::display::screen::RowWriter;
use epochwatch::milestone::Schedule;

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

fn frame(c: &mut Criterion) {
    let schedule = Schedule::defaults();
    for (name, zone) in [("utc", Zone::Utc), ("local", Zone::Local)] {
        let mut view = View::new(zone, false, true);
        let mut writer = RowWriter::default();
        let mut cache = RowCache::default();
        let mut sink = Vec::with_capacity(4096);
        let mut now = NOW;
        view.set_now(now, &schedule);
        writer
            .draw(
                &mut sink,
                (100, 30),
                layout_cached(&view, 100, 30, &mut cache),
            )
            .unwrap();
        c.bench_function(&format!("frame/100x30/{name}"), |b| {
            b.iter(|| {
                now += 1;
                view.set_now(now, &schedule);
                sink.clear();
                writer
                    .draw(
                        &mut sink,
                        (100, 30),
                        layout_cached(&view, 100, 30, &mut cache),
                    )
                    .unwrap();
                black_box(sink.len())
            })
        });
        let mut buffer = vec![0u8; SWEEP_BYTES];
        c.bench_function(&format!("frame/100x30/{name}/cold"), |b| {
            b.iter_batched(
                || sweep(&mut buffer),
                |()| {
                    now += 1;
                    view.set_now(now, &schedule);
                    sink.clear();
                    writer
                        .draw(
                            &mut sink,
                            (100, 30),
                            layout_cached(&view, 100, 30, &mut cache),
                        )
                        .unwrap();
                    black_box(sink.len())
                },
                BatchSize::PerIteration,
            )
        });
    }
}

criterion_group!(benches, frame);
criterion_main!(benches);
