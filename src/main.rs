//! Thin entry point: run the library on the process's arguments; it says how the run ended.
fn main() -> std::process::ExitCode {
    epochwatch::main(std::env::args_os())
}
