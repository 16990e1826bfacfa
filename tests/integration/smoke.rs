//! The binary starts, says its version, and usage errors exit 2.
use crate::harness::TestEnv;

#[test]
fn help_exits_zero() {
    TestEnv::new().cmd().arg("--help").assert().success();
}

#[test]
fn version_prints_the_crate_version() {
    let expected = format!("epochwatch {}\n", env!("CARGO_PKG_VERSION"));
    for flag in ["--version", "-V"] {
        TestEnv::new()
            .cmd()
            .arg(flag)
            .assert()
            .success()
            .stdout(expected.clone())
            .stderr("");
    }
}

#[test]
fn unknown_flag_is_usage_error() {
    TestEnv::new().cmd().arg("--no-such-flag").assert().code(2);
}
