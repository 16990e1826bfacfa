//! Benchmark of one full-screen frame without the terminal: moving the view
//! to the next second, laying it out at 100x30, and diffing it into the bytes
//! the terminal would receive. This is the user-space share of the watcher's
//! per-second cost (the rest is waking up and the write system call).
//!
//! Run: `cargo bench --bench frame -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use epochwatch::calendar::Zone;
use epochwatch::display::View;
use epochwatch::display::render::layout;
use epochwatch::display::screen::RowWriter;
use epochwatch::milestone::Schedule;

const NOW: i64 = 1_795_568_278;

fn frame(c: &mut Criterion) {
    let schedule = Schedule::defaults();
    for (name, zone) in [("utc", Zone::Utc), ("local", Zone::Local)] {
        let mut view = View::new(zone, false, true);
        let mut writer = RowWriter::default();
        let mut sink = Vec::with_capacity(4096);
        let mut now = NOW;
        view.set_now(now, &schedule);
        writer
            .draw(&mut sink, (100, 30), layout(&view, 100, 30))
            .unwrap();
        c.bench_function(&format!("frame/100x30/{name}"), |b| {
            b.iter(|| {
                now += 1;
                view.set_now(now, &schedule);
                sink.clear();
                writer
                    .draw(&mut sink, (100, 30), layout(&view, 100, 30))
                    .unwrap();
                black_box(sink.len())
            })
        });
    }
}

criterion_group!(benches, frame);
criterion_main!(benches);
