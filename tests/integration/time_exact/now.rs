//! `now +FORMAT` against `date -d @N.NNNNNNNNN +FORMAT`: every conversion
//! with every flag, width and modifier, in one format, at an instant frozen
//! with libfaketime, in every zone with `TZ=` and with `--tz`. What
//! epochwatch refuses must be what GNU only prints back.

use super::{Mismatches, Subject, Via, YEAR_1, instants};
use crate::harness::internals::format_accepted;
use crate::harness::reference::{at_sign, gnu_date_lines};
use crate::harness::seeded::Rng;
use crate::harness::{Faketime, TestEnv};

/// Between the conversions of the catalogue (no conversion prints it).
const SEP: char = '\u{1f}';

/// Every conversion letter GNU knows, and some it does not.
const LETTERS: &str = "aAbBcCdDeFgGhHIjklmMnNpPqrRsStTuUVwWxXyYzZ%fiJKLoQv!é";
const FLAGS: [&str; 9] = ["", "-", "_", "0", "+", "^", "#", "^#", "_^"];
const WIDTHS: [&str; 5] = ["", "1", "3", "6", "12"];
const MODIFIERS: [&str; 3] = ["", "E", "O"];

/// Every combination of flag, width, modifier and conversion (with the
/// colon forms of `%z`), split into those epochwatch takes and those it refuses.
fn catalogue() -> (Vec<String>, Vec<String>) {
    let mut conversions: Vec<String> = LETTERS.chars().map(String::from).collect();
    conversions.extend([":z", "::z", ":::z", "::::z", ":y"].map(String::from));
    let mut all = Vec::new();
    for flag in FLAGS {
        for width in WIDTHS {
            for modifier in MODIFIERS {
                for conversion in &conversions {
                    all.push(format!("%{flag}{width}{modifier}{conversion}"));
                }
            }
        }
    }
    all.into_iter().partition(|c| format_accepted(c))
}

/// The instant to freeze for one way of giving the zone: with `TZ=`
/// libfaketime takes no negative epoch, nor one in an overlap (see
/// `Faketime::frozen_at_instant`).
fn pick_instant(subject: &Subject, epochs: &[i64], via: Via, rng: &mut Rng) -> (i64, u32) {
    let usable: Vec<i64> = epochs
        .iter()
        .copied()
        .filter(|&e| match via {
            Via::Env => e >= 0 && other_fold(subject, e).is_none(),
            Via::Flag => e >= YEAR_1,
        })
        .collect();
    let nanos = if rng.range(0, 3) == 0 {
        0
    } else {
        rng.range(0, 999_999_999) as u32
    };
    (*rng.pick(&usable), nanos)
}

/// The other instant with the same wall-clock time as `secs`, when `secs`
/// is in an overlap (the clock went back over it).
fn other_fold(subject: &Subject, secs: i64) -> Option<i64> {
    subject.transitions.iter().find_map(|t| {
        let back = i64::from(t.before) - i64::from(t.after);
        if back <= 0 {
            None
        } else if (t.at - back..t.at).contains(&secs) {
            Some(secs + back)
        } else if (t.at..t.at + back).contains(&secs) {
            Some(secs - back)
        } else {
            None
        }
    })
}

/// GNU's `%s` recomputes the epoch from the broken-down local time
/// (gnulib's `mktime_z`), so in an overlap it can print the other instant
/// of the same wall-clock time: a documented difference (epochwatch
/// prints the instant itself).
fn gnu_s_in_overlap(
    conversion: &str,
    ours: &str,
    theirs: &str,
    secs: i64,
    subject: &Subject,
) -> bool {
    conversion.ends_with('s')
        && ours.trim().parse::<i64>() == Ok(secs)
        && other_fold(subject, secs).is_some_and(|other| theirs.trim().parse::<i64>() == Ok(other))
}

/// The conversions of the catalogue that print differently: (conversion,
/// ours, GNU's).
fn differing<'a>(
    ours: &'a str,
    theirs: &'a str,
    accepted: &'a [String],
) -> Result<Vec<(&'a str, &'a str, &'a str)>, String> {
    let ours: Vec<&str> = ours.split(SEP).collect();
    let theirs: Vec<&str> = theirs.split(SEP).collect();
    if ours.len() != theirs.len() {
        return Err(format!("{} pieces against {}", ours.len(), theirs.len()));
    }
    Ok(accepted
        .iter()
        .zip(ours.into_iter().zip(theirs))
        .filter(|(_, (a, b))| a != b)
        .map(|(conversion, (a, b))| (conversion.as_str(), a, b))
        .collect())
}

fn check_zone(
    subject: &Subject,
    format: &str,
    accepted: &[String],
    faketime: &Faketime,
    rng: &mut Rng,
) -> Mismatches {
    let epochs = instants(subject, rng);
    let runs: Vec<(Via, (i64, u32))> = subject
        .vias()
        .into_iter()
        .map(|via| (via, pick_instant(subject, &epochs, via, rng)))
        .collect();
    let lines: Vec<String> = runs.iter().map(|(_, (s, n))| at_sign(*s, *n)).collect();
    let theirs = gnu_date_lines(subject.tz(), &[], &lines, format);
    let env = TestEnv::new();
    let mut found = Mismatches::default();
    for ((via, (secs, nanos)), theirs) in runs.iter().zip(&theirs) {
        found.case();
        let mut cmd = subject.command(&env, *via, "now");
        cmd.envs(faketime.frozen_at_instant(*secs, *nanos))
            .arg(format!("+{format}"));
        let output = cmd.output().expect("running epochwatch");
        let ours = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let ours = ours.strip_suffix('\n').unwrap_or(&ours);
        if !output.status.success() || !stderr.is_empty() {
            found.add(
                "now failed",
                format!("{} ({via:?}): {stderr}", subject.label),
            );
            continue;
        }
        let at = format!("{} ({via:?}) @{secs}.{nanos:09}", subject.label);
        match differing(ours, theirs, accepted) {
            Err(why) => found.add("conversion", format!("{at}: {why}")),
            Ok(differences) => {
                for (conversion, a, b) in differences {
                    if !gnu_s_in_overlap(conversion, a, b, *secs, subject) {
                        found.add(
                            "conversion",
                            format!("{at}: {conversion:?}: now {a:?}, date {b:?}"),
                        );
                    }
                }
            }
        }
    }
    found
}

/// Whether GNU's output for a conversion is the conversion printed back:
/// itself, padded to its width (`%6Q` is `   %6Q`), or as glibc prints back
/// what gnulib hands it without flags and width (`%1Oq` is `%Oq`); of
/// `%O:z` GNU prints back `%O:` (case 6 of gnu_format's list).
fn printed_back(conversion: &str, piece: &str) -> bool {
    let unpadded = piece.trim_start_matches([' ', '0']);
    let bare = format!(
        "%{}",
        conversion[1..].trim_start_matches([
            '-', '_', '0', '+', '^', '#', '1', '2', '3', '4', '5', '6', '7', '8', '9'
        ])
    );
    // `^` upper-cases what is printed back too.
    let unpadded = unpadded.to_ascii_lowercase();
    let (conversion, bare) = (conversion.to_ascii_lowercase(), bare.to_ascii_lowercase());
    unpadded == conversion
        || unpadded == bare
        || (conversion.contains("o:") && bare.starts_with(&unpadded) && unpadded.len() >= 3)
}

/// Each refused conversion is one GNU prints back (but for `%O:z`, of which
/// GNU prints back a part), and the binary refuses it with one line, exit 2.
fn check_refused(refused: &[String], rng: &mut Rng) -> Mismatches {
    let mut found = Mismatches::default();
    let separated: Vec<&str> = refused.iter().map(String::as_str).collect();
    let format = separated.join(&SEP.to_string());
    let printed = gnu_date_lines(Some("UTC0"), &[], &["@1700000000".to_string()], &format);
    let pieces: Vec<&str> = printed[0].split(SEP).collect();
    assert_eq!(pieces.len(), refused.len(), "GNU printed {}", printed[0]);
    for (conversion, piece) in refused.iter().zip(pieces) {
        found.case();
        if !printed_back(conversion, piece) {
            found.add(
                "refused",
                format!("{conversion:?}: GNU prints {piece:?}, epochwatch refuses it"),
            );
        }
    }
    let env = TestEnv::new();
    for _ in 0..12 {
        let conversion = rng.pick(refused);
        let line = env.bad_input(&["now", &format!("+x{conversion}")]);
        assert!(line.contains("conversion"), "{conversion}: {line}");
    }
    found
}

#[test]
fn now_format_matches_gnu_date_in_every_zone() {
    let Some(faketime) = Faketime::require(&[]) else {
        return;
    };
    let Some(mut run) = super::start() else {
        return;
    };
    let (accepted, refused) = catalogue();
    assert!(
        accepted.len() > 4000 && refused.len() > 1000,
        "{} {}",
        accepted.len(),
        refused.len()
    );
    let format = accepted.join(&SEP.to_string());
    let mut found = check_refused(&refused, &mut run.rng.fork("refused"));
    found.merge(
        run.per_zone(|subject, rng| check_zone(subject, &format, &accepted, &faketime, rng)),
    );
    found.assert_none(&format!(
        "now +FORMAT ({} conversions, {} refused) in {} zones",
        accepted.len(),
        refused.len(),
        run.subjects.len()
    ));
}
