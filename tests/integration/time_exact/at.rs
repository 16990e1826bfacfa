//! `at` of wall-clock times around every transition, and at random, in
//! every zone with `TZ=` and `--tz`: against GNU `date -d 'YYYY-MM-DD
//! HH:MM:SS' +%s` where the time happens once, and against Python's
//! `zoneinfo` with `fold=0` where it happens twice (the earlier instant) or
//! not at all (read with the offset before the gap); `date` has no answer
//! for a gap and picks the later instant of an overlap in some zones.

use std::collections::BTreeSet;

use super::{Mismatches, Subject, YEAR_1, YEAR_10000, tested_transitions, wall_text};
use crate::harness::TestEnv;
use crate::harness::calendar::civil_from_seconds;
use crate::harness::reference::{Folds, Wall, gnu_date_lines, zoneinfo_folds};
use crate::harness::seeded::{Rng, parallel_map};
use crate::harness::tzdata::tzdir;

/// The wall times tested in a zone (seconds as if UTC): around each tested
/// transition the last second before the gap or overlap, its first, middle
/// and last, and the first after it; and random ones in years 1-9999.
pub fn walls(subject: &Subject, rng: &mut Rng) -> Vec<i64> {
    let mut out = Vec::new();
    for t in tested_transitions(subject, rng) {
        let (a, b) = (i64::from(t.before), i64::from(t.after));
        let (start, end) = (t.at + a.min(b), t.at + a.max(b));
        out.extend([start - 1, start, (start + end) / 2, end - 1, end]);
    }
    out.extend((0..12).map(|_| rng.range(YEAR_1, YEAR_10000 - 1)));
    let mut out: Vec<i64> = out
        .into_iter()
        .filter(|w| (YEAR_1..YEAR_10000).contains(w))
        .collect::<BTreeSet<i64>>()
        .into_iter()
        .collect();
    if subject.file.is_none() {
        // No zoneinfo: only times a day or more from any transition, for GNU.
        out.retain(|&w| {
            subject
                .transitions
                .iter()
                .all(|t| (w - t.at).abs() > 2 * 86_400)
        });
    }
    if subject.rules_from_year > 1 {
        // Before the year its rules apply from, zoneinfo reads a POSIX
        // string another way than glibc: there, only GNU is asked, and so
        // only about times a day or more from the new year (the only place
        // glibc's offset then changes).
        let from = super::year_start(subject.rules_from_year);
        out.retain(|&w| {
            let (_, month, day, ..) = civil_from_seconds(w);
            w >= from || !((month == 1 && day <= 2) || (month == 12 && day >= 30))
        });
    }
    out
}

/// What `at` must give for one wall time, and who says so.
enum Expect {
    /// Happens once: GNU's answer (GNU and zoneinfo agree, or GNU is asked alone).
    Gnu,
    /// Happens twice or never: zoneinfo's fold=0.
    Fold0(i64),
}

fn expectations(subject: &Subject, walls: &[i64], folds: &[Folds]) -> Vec<Expect> {
    let from = super::year_start(subject.rules_from_year);
    walls
        .iter()
        .zip(folds)
        .map(|(&wall, folds)| {
            if wall < from || folds.is_single() {
                Expect::Gnu
            } else {
                Expect::Fold0(folds.fold0)
            }
        })
        .collect()
}

/// The zones where GNU answers an overlap with the later instant, and where
/// GNU and zoneinfo disagree on a time that happens once.
#[derive(Default)]
struct Notes {
    later: BTreeSet<String>,
    disagree: Vec<String>,
}

fn check_zone(subject: &Subject, walls: &[i64], folds: &[Folds]) -> (Mismatches, Notes) {
    let expect = expectations(subject, walls, folds);
    let texts: Vec<String> = walls.iter().map(|&w| wall_text(w)).collect();
    let once: Vec<String> = texts
        .iter()
        .zip(&expect)
        .filter(|(_, e)| matches!(e, Expect::Gnu))
        .map(|(t, _)| t.clone())
        .collect();
    let mut gnu = gnu_date_lines(subject.tz(), &[], &once, "%s").into_iter();
    let from = super::year_start(subject.rules_from_year);
    let overlaps: Vec<(String, Folds)> = texts
        .iter()
        .zip(walls.iter().zip(folds))
        .filter(|(_, (w, f))| **w >= from && f.is_overlap())
        .map(|(t, (_, f))| (t.clone(), *f))
        .collect();
    let overlap_lines: Vec<String> = overlaps.iter().map(|(t, _)| t.clone()).collect();
    let mut notes = Notes::default();
    for ((text, folds), answer) in
        overlaps
            .iter()
            .zip(gnu_date_lines(subject.tz(), &[], &overlap_lines, "%s"))
    {
        if answer == folds.fold1.to_string() {
            notes.later.insert(subject.label.clone());
        } else if answer != folds.fold0.to_string() {
            notes
                .disagree
                .push(format!("{} overlap {text}: date {answer}", subject.label));
        }
    }
    let wanted: Vec<String> = expect
        .iter()
        .zip(walls.iter().zip(folds))
        .map(|(e, (&w, f))| match e {
            Expect::Gnu => {
                let answer = gnu.next().expect("one answer per time");
                if w >= from && subject.file.is_some() && answer != f.fold0.to_string() {
                    notes.disagree.push(format!(
                        "{}: date {answer}, zoneinfo {}",
                        subject.label, f.fold0
                    ));
                }
                answer
            }
            Expect::Fold0(at) => at.to_string(),
        })
        .collect();
    let env = TestEnv::new();
    let mut found = Mismatches::default();
    let mut args = vec!["--".to_string()];
    args.extend(texts.iter().cloned());
    for via in subject.vias() {
        let out = subject.stdout(&env, via, "at", &args);
        for (((text, line), want), e) in texts.iter().zip(out.lines()).zip(&wanted).zip(&expect) {
            found.case();
            if line != want {
                let (kind, who) = match e {
                    Expect::Gnu => ("once", "date"),
                    Expect::Fold0(_) => ("gap or overlap", "zoneinfo fold=0"),
                };
                found.add(
                    kind,
                    format!(
                        "{} ({via:?}) at {text:?}: {line}, {who} {want}",
                        subject.label
                    ),
                );
            }
        }
    }
    (found, notes)
}

#[test]
fn at_matches_gnu_date_and_the_fold_rule_in_every_zone() {
    let Some(mut run) = super::start() else {
        return;
    };
    let (rng, subjects) = (&mut run.rng, &run.subjects);
    let all_walls: Vec<Vec<i64>> = subjects
        .iter()
        .map(|s| walls(s, &mut rng.fork(&s.label)))
        .collect();
    let lookups: Vec<Wall> = subjects
        .iter()
        .zip(&all_walls)
        .flat_map(|(s, walls)| {
            // Without a file for zoneinfo, every time happens once.
            let file = s.file.clone().unwrap_or_else(|| tzdir().join("UTC"));
            walls.iter().map(move |&w| Wall {
                file: file.clone(),
                civil: civil_from_seconds(w),
            })
        })
        .collect();
    let Some(folds) = zoneinfo_folds(&lookups) else {
        return;
    };
    let mut folds = folds.into_iter();
    let per_zone: Vec<(usize, Vec<Folds>)> = all_walls
        .iter()
        .enumerate()
        .map(|(i, walls)| (i, walls.iter().map(|_| folds.next().unwrap()).collect()))
        .collect();
    let results = parallel_map(&per_zone, |(i, folds)| {
        check_zone(&subjects[*i], &all_walls[*i], folds)
    });
    let mut found = Mismatches::default();
    let mut notes = Notes::default();
    for (result, note) in results {
        found.merge(result);
        notes.later.extend(note.later);
        notes.disagree.extend(note.disagree);
    }
    let with_overlaps = subjects
        .iter()
        .filter(|s| s.transitions.iter().any(|t| t.after < t.before))
        .count();
    eprintln!(
        "GNU date picks the later instant of an overlap in {} of the {with_overlaps} zones \
         with overlaps: {:?}",
        notes.later.len(),
        notes.later
    );
    eprintln!(
        "GNU date and zoneinfo disagree ({}): {:?}",
        notes.disagree.len(),
        &notes.disagree[..notes.disagree.len().min(20)]
    );
    found.assert_none(&format!("at in {} zones", subjects.len()));
}
