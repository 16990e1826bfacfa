//! Build step: make `epochwatch now` start as fast as `date +%s` on x86-64 Linux.
//!
//! - The executable is linked position-dependent (`-no-pie`): as a PIE, the
//!   loader must patch some 31,000 pointers (vtables, string tables) at every
//!   start, touching ~1 MB of pages; without PIE they are resolved at link time.
//! - The unwinder is linked in statically instead of loading `libgcc_s.so.1`
//!   at every start: std asks for `-lgcc_s`, and a linker script of that name
//!   in this build's own search path answers with the static `libgcc_eh`
//!   (what `gcc -static-libgcc` does). libc stays dynamic, so LD_PRELOAD
//!   (libfaketime) still works.
//!
//! Only this package's executables are affected, not proc-macros.
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    if target != "x86_64-unknown-linux-gnu" {
        return;
    }
    println!("cargo:rustc-link-arg-bins=-no-pie");
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    if std::fs::write(out_dir.join("libgcc_s.so"), "INPUT(-lgcc_eh)\n").is_ok() {
        println!("cargo:rustc-link-search=native={}", out_dir.display());
    }
}
