//! The floor of a Rust command's start-up, for bench/bar_once.sh: print the
//! seconds since the epoch and exit, built as epochwatch is (no PIE, the
//! unwinder static, std's start-up), so that what epochwatch costs beyond
//! it is what epochwatch does.
use std::io::Write;

fn main() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let _ = writeln!(std::io::stdout().lock(), "{now}");
}
