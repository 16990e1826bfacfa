//! Build step: link the executable position-dependent on x86-64 Linux.
//!
//! `epochwatch now` is meant to start as fast as `date +%s`. As a PIE, the
//! loader must patch some 31,000 pointers (vtables, string tables) at every
//! start, touching ~1 MB of pages; linked with `-no-pie` they are resolved at
//! link time. Only the binary is affected (`-bins`), not proc-macros or tests.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    if target == "x86_64-unknown-linux-gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
