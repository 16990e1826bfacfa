//! The binary starts, and usage errors exit 2.
use crate::harness::TestEnv;

#[test]
fn help_exits_zero() {
    TestEnv::new().cmd().arg("--help").assert().success();
}

#[test]
fn unknown_flag_is_usage_error() {
    TestEnv::new().cmd().arg("--no-such-flag").assert().code(2);
}
