//! The command lines read without clap (`Cli::fast_path`: `now`, `bar
//! --once`, `when` with plain epochs) against clap itself, over generated
//! lists of arguments: wherever the fast path answers, clap reads the same
//! command (the same parsed structs); wherever clap refuses a line, the fast
//! path does not answer it. Seeded (`EPOCHWATCH_DIFF_SEED` replays a run).

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use clap::Parser;

use crate::harness::internals::Cli;
use crate::harness::seeded::{Rng, diff_seed};

/// Lines generated per run (each read by clap too: a few seconds in all).
const CASES: usize = 10_000;

/// The first words: the three fast commands, their near misses, others.
const COMMANDS: &[&str] = &[
    "now", "now", "bar", "bar", "bar", "when", "when", "when", "Now", "now ", "bars", "next",
    "watch", "--once", "--", "", "-h",
];

/// What follows `bar`, mostly: its fast options, their values, near misses.
const BAR_TOKENS: &[&str] = &[
    "--once",
    "--once",
    "--once",
    "--format",
    "--format",
    "--format=",
    "--format=tmux",
    "--format=-x",
    "--format==",
    "-f",
    "tmux",
    "waybar",
    "{epoch}",
    "",
    " ",
    "-",
    "--",
    "--once=true",
];

/// What follows `when`, mostly: epochs as typed, in range and not, and near misses.
const EPOCH_TOKENS: &[&str] = &[
    "0",
    "5",
    "-5",
    "+5",
    "-0",
    "+0",
    "007",
    "123456789",
    "-86400",
    "1800000000",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999",
    "8210266790399",
    "8210266790400",
    "-8334601142400",
    "-8334601142401",
    "1e5",
    "0x10",
    " 5",
    "5 ",
    "--5",
    "+-5",
    "-",
    "",
];

/// Anything else: other options, values and odd tokens.
const TOKENS: &[&str] = &[
    "--utc",
    "--tz",
    "UTC",
    "--json",
    "--world",
    "--share",
    "-m",
    "every:10",
    "--no-defaults",
    "-p",
    "ms",
    "+%s",
    "--help",
    "-h",
    "--version",
    "-V",
    "--config",
    "x.toml",
    "é",
    "\u{1}",
    "now",
    "bar",
    "when",
    "--",
    "--once",
    "--format",
];

fn argv(rng: &mut Rng) -> Vec<OsString> {
    let command = *rng.pick(COMMANDS);
    let own = match command {
        "bar" => BAR_TOKENS,
        "when" => EPOCH_TOKENS,
        _ => TOKENS,
    };
    let mut args: Vec<OsString> = vec!["epochwatch".into(), command.into()];
    for _ in 0..rng.range(0, 4) {
        match rng.range(0, 19) {
            // Not UTF-8: the fast path must leave it to clap.
            0 => args.push(OsString::from_vec(vec![b'-', b'-', 0xff])),
            1 => args.push(OsString::from_vec(vec![b'5', 0xff])),
            2..=4 => args.push((*rng.pick(TOKENS)).into()),
            _ => args.push((*rng.pick(own)).into()),
        }
    }
    args
}

/// The lines of the fast path by hand, and near misses of each.
const WRITTEN: &[&[&str]] = &[
    &["now"],
    &["now", "--utc"],
    &["bar", "--once"],
    &["bar", "--once", "--format", "tmux"],
    &["bar", "--format", "tmux", "--once"],
    &["bar", "--format=waybar", "--once"],
    &["bar", "--once", "--format="],
    &["bar", "--once", "--format", ""],
    &["bar", "--once", "--once"],
    &["bar", "--once", "--format", "a", "--format", "b"],
    &["bar", "--once", "--format", "--once"],
    &["bar", "--once", "--format"],
    &["bar", "--format", "-", "--once"],
    &["bar"],
    &["when", "0"],
    &["when", "-86400", "+5", "1800000000"],
    &["when", "9223372036854775807"],
    &["when", "8210266790399", "-8334601142400"],
    &["when"],
    &["when", "--", "5"],
    &["when", "5", "--json"],
];

/// `args` through both: the fast path's answer, if any, is clap's.
fn agree(args: &[OsString]) -> bool {
    let fast = Cli::fast_path(args);
    let clap = Cli::try_parse_from(args);
    match (&fast, &clap) {
        (Some(fast), Ok(clap)) => {
            assert_eq!(format!("{fast:?}"), format!("{clap:?}"), "{args:?}");
            true
        }
        (Some(fast), Err(err)) => panic!("{args:?}: the fast path read {fast:?}, clap: {err}"),
        (None, _) => false,
    }
}

#[test]
fn the_fast_path_reads_what_clap_reads() {
    let written: Vec<Vec<OsString>> = WRITTEN
        .iter()
        .map(|line| {
            std::iter::once("epochwatch")
                .chain(line.iter().copied())
                .map(OsString::from)
                .collect()
        })
        .collect();
    let answered: Vec<bool> = written.iter().map(|args| agree(args)).collect();
    // The fast path answers the lines it is for (and none of the misses).
    let expected = [
        true, false, true, true, true, true, true, true, false, false, false, false, false, false,
        true, true, false, true, false, false, false,
    ];
    assert_eq!(answered, expected, "{WRITTEN:#?}");

    let mut rng = Rng::new(diff_seed()).fork("fast path");
    let mut fast = 0;
    for _ in 0..CASES {
        fast += usize::from(agree(&argv(&mut rng)));
    }
    // The generated lines reach the fast path often enough to test it.
    eprintln!("the fast path answered {fast} of {CASES} generated lines");
    assert!(
        fast >= CASES / 40,
        "the fast path answered only {fast} of {CASES} lines"
    );
}
