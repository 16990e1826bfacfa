//! `now +FORMAT`, `when` and `at` exactly like GNU `date`, in every zone of
//! the system database and in every form `TZ` takes (a POSIX string,
//! `:path`, a path, empty, unset), with `TZ=` and with `--tz` alike: a
//! seeded differential test against the reference programs, run through the
//! real binary.
//!
//! - `when`: GNU `date -d @N` is the oracle for every field of `when --json`
//!   and for the text form; the JSON must agree with itself, and `at` of
//!   every text `when` prints must give back the instant ([`when`]).
//! - `now +FORMAT`: the whole conversion language (every conversion with
//!   every flag, width and modifier) at instants frozen with libfaketime,
//!   against `date -d @N.NNNNNNNNN +FORMAT`; what epochwatch refuses must
//!   be what GNU only prints back ([`now`]).
//! - `at`: GNU `date -d 'YYYY-MM-DD HH:MM:SS' +%s` for the wall times that
//!   happen once; Python's `zoneinfo` with `fold=0` for those in a DST gap
//!   or overlap, where `date` has no answer or another rule ([`at`]).
//! - [`bugs`]: one test per bug of issue 11, named after what it guards.
//!
//! Instants per zone: every transition of its TZif table (at t-1 and t),
//! those of its POSIX footer in 2038, 2039 and seeded years of 2100-2500
//! and 2501-9998 and in 9999, and seeded instants in years 1-9999, before
//! 1970, in 2100-2500, beyond 9999 and before year 1. A link (US/Eastern
//! for America/New_York) gets a sample of its target's. The seed is
//! printed; `EPOCHWATCH_DIFF_SEED` varies it. No expected value is written
//! here: each comes from a reference program at run time.

mod at;
mod bugs;
mod now;
mod when;

use std::path::{Path, PathBuf};

use crate::harness::reference::{TzVar, require_gnu_date_and_zoneinfo};
use crate::harness::seeded::{Rng, diff_seed, parallel_map};
use crate::harness::tzdata::{
    DayOfYear, PosixTz, SystemZone, Transition, Tzif, system_zones, tzdir, write_posix_tzif,
};
use crate::harness::{TestEnv, calendar};

/// 0001-01-01T00:00:00Z.
pub const YEAR_1: i64 = -62_135_596_800;
/// 10000-01-01T00:00:00Z.
pub const YEAR_10000: i64 = 253_402_300_800;
/// The supported range of epochwatch (and GNU answers across it).
pub const MIN_EPOCH: i64 = -8_334_601_142_400;
pub const MAX_EPOCH: i64 = 8_210_266_790_399;

/// A zone as a person gives it, and what the tests know of its clock.
pub struct Subject {
    /// For messages: "Europe/Berlin", "TZ=:/usr/share/zoneinfo/Asia/Tokyo".
    pub label: String,
    /// `TZ` for both programs (`None`: unset).
    pub tz: Option<String>,
    /// The `--tz` argument that names the same zone, where there is one.
    pub flag: Option<String>,
    /// The zone's name in `when`'s output when it comes from `TZ`.
    pub local_name: String,
    pub transitions: Vec<Transition>,
    /// A TZif file of the zone, for `zoneinfo`; `None` where `zoneinfo`
    /// reads the zone wrong: CPython 3.11 places a POSIX rule's zero-based
    /// day `n` one day early (`59` is February 28th, not March 1st).
    pub file: Option<PathBuf>,
    /// Every transition tested, or (a link of a zone tested in full) a sample.
    pub full: bool,
    /// From this year on `zoneinfo` applies the rules glibc applies: year 1
    /// for TZif files; 1970 for POSIX strings, which glibc reads its own way
    /// before 1970 (see `glibc_before_1970` in src/time/tzdb.rs).
    pub rules_from_year: i64,
}

/// How the zone reaches epochwatch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// `TZ=zone epochwatch …`.
    Env,
    /// `TZ=UTC epochwatch … --tz zone`.
    Flag,
}

impl Subject {
    pub fn tz(&self) -> TzVar<'_> {
        self.tz.as_deref()
    }

    /// The ways this zone can be given to epochwatch.
    pub fn vias(&self) -> Vec<Via> {
        let mut vias = vec![Via::Env];
        if self.flag.is_some() {
            vias.push(Via::Flag);
        }
        vias
    }

    /// Whether `via` makes this the special UTC zone of `--utc` (whose RFC
    /// 3339 form ends in `Z` and whose `when` shows only the UTC line).
    pub fn is_utc_flag(&self, via: Via) -> bool {
        via == Via::Flag && matches!(self.flag.as_deref(), Some("UTC" | "utc" | "Z"))
    }

    /// The zone's name as `when` prints it.
    pub fn name(&self, via: Via) -> &str {
        match via {
            Via::Env => &self.local_name,
            Via::Flag => self.flag.as_deref().unwrap_or_default(),
        }
    }

    /// `epochwatch COMMAND [--tz ZONE] ARGS` with the zone given by `via`.
    pub fn command(&self, env: &TestEnv, via: Via, command: &str) -> std::process::Command {
        let mut cmd = env.command();
        if let Some(dir) = std::env::var_os("TZDIR") {
            cmd.env("TZDIR", dir);
        }
        cmd.arg(command);
        match (via, &self.tz) {
            (Via::Env, Some(tz)) => {
                cmd.env("TZ", tz);
            }
            (Via::Env, None) => {
                cmd.env_remove("TZ");
            }
            (Via::Flag, _) => {
                cmd.args(["--tz", self.flag.as_deref().expect("a --tz form")]);
            }
        }
        cmd
    }

    /// What `epochwatch COMMAND [--tz ZONE] ARGS` prints; it must succeed quietly.
    pub fn stdout(&self, env: &TestEnv, via: Via, command: &str, args: &[String]) -> String {
        let mut cmd = self.command(env, via, command);
        cmd.args(args);
        let output = cmd.output().expect("running epochwatch");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stderr.is_empty(),
            "{} {command} ({via:?}) failed: {stderr}",
            self.label
        );
        String::from_utf8(output.stdout).expect("UTF-8")
    }
}

/// The years whose footer transitions are tested (beyond the TZif tables,
/// which end in 2037).
pub fn footer_years(rng: &mut Rng) -> Vec<i64> {
    let mut years = vec![2038, 2039, 9999];
    years.extend((0..3).map(|_| rng.range(2100, 2500)));
    years.push(rng.range(2501, 9998));
    years.sort_unstable();
    years.dedup();
    years
}

/// Every zone of the system database, then the other forms of `TZ`.
pub fn subjects(rng: &mut Rng, scratch: &Path) -> Vec<Subject> {
    let years = footer_years(rng);
    let mut out: Vec<Subject> = system_zones()
        .into_iter()
        .map(|zone| from_system(zone, &years))
        .collect();
    assert!(
        out.len() > 300,
        "only {} zones found in {}",
        out.len(),
        tzdir().display()
    );
    out.extend(tz_forms(&years));
    let mut posix: Vec<String> = FIXED_POSIX.iter().map(|s| s.to_string()).collect();
    posix.extend((0..6).map(|_| random_posix(rng)));
    for (i, text) in posix.iter().enumerate() {
        out.push(from_posix(text, i, scratch, rng));
    }
    out
}

fn from_system(zone: SystemZone, years: &[i64]) -> Subject {
    Subject {
        label: zone.name.clone(),
        tz: Some(zone.name.clone()),
        flag: Some(zone.name.clone()),
        local_name: zone.name.clone(),
        transitions: zone.tzif.transitions(years),
        file: Some(zone.path),
        full: zone.same_as.is_none(),
        rules_from_year: 1,
    }
}

/// A zone of the database, given as `TZ` other than by its name.
fn file_form(
    label: &str,
    tz: Option<&str>,
    flag: Option<&str>,
    zone: &str,
    years: &[i64],
) -> Subject {
    let file = tzdir().join(zone);
    let tzif = std::fs::read(&file)
        .ok()
        .and_then(|data| Tzif::parse(&data))
        .unwrap_or_else(|| panic!("{} is not a TZif file", file.display()));
    Subject {
        label: label.to_string(),
        tz: tz.map(str::to_string),
        flag: flag.map(str::to_string),
        local_name: zone.to_string(),
        transitions: tzif.transitions(years),
        file: Some(file),
        full: false,
        rules_from_year: 1,
    }
}

/// `TZ=:path`, `TZ=:name`, `TZ=/path`, `TZ=` (UTC) and `TZ` unset.
fn tz_forms(years: &[i64]) -> Vec<Subject> {
    let dir = tzdir();
    let path = |zone: &str| dir.join(zone).display().to_string();
    let colon_path = format!(":{}", path("America/New_York"));
    let plain_path = path("Asia/Kathmandu");
    let mut out = vec![
        file_form(
            &format!("TZ={colon_path}"),
            Some(&colon_path),
            Some(&colon_path),
            "America/New_York",
            years,
        ),
        file_form(
            "TZ=:Europe/Berlin",
            Some(":Europe/Berlin"),
            Some(":Europe/Berlin"),
            "Europe/Berlin",
            years,
        ),
        file_form(
            &format!("TZ={plain_path}"),
            Some(&plain_path),
            Some(&plain_path),
            "Asia/Kathmandu",
            years,
        ),
        file_form("TZ= (empty)", Some(""), None, "UTC", years),
    ];
    // TZ unset: /etc/localtime, named by its link into the database.
    let localtime = Path::new("/etc/localtime");
    if let Some(tzif) = std::fs::read(localtime).ok().and_then(|d| Tzif::parse(&d)) {
        let name = std::fs::read_link(localtime)
            .ok()
            .and_then(|target| {
                let text = target.to_str()?.to_string();
                Some(text[text.rfind("/zoneinfo/")? + "/zoneinfo/".len()..].to_string())
            })
            .unwrap_or_else(|| "local".to_string());
        out.push(Subject {
            label: "TZ unset (/etc/localtime)".to_string(),
            tz: None,
            flag: None,
            local_name: name,
            transitions: tzif.transitions(years),
            file: Some(localtime.to_path_buf()),
            full: true,
            rules_from_year: 1,
        });
    }
    for subject in &mut out[..3] {
        // The same zone also by name: a sample is enough.
        subject.full = false;
    }
    out
}

/// POSIX TZ strings as people write them: the issue's, southern-hemisphere
/// and half-hour rules, times past 24:00 and before 0:00, `Jn` and `n` days.
const FIXED_POSIX: &[&str] = &[
    "EST5EDT,M3.2.0,M11.1.0",
    "JST-9",
    "<+0545>-5:45",
    "CET-1CEST,M3.5.0,M10.5.0/3",
    "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
    "NZST-12NZDT,M9.5.0,M4.1.0/3",
    "IST-2IDT,M3.4.4/26,M10.5.0",
    "<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
    "AAA3BBB,J60/2,J300/2",
    "CCC-3:30DDD-4:30,59/2,300/3",
    "<-0330>3:30<-0230>,M3.2.0/0:01,M11.1.0/0:01",
];

/// A seeded POSIX TZ string with DST.
fn random_posix(rng: &mut Rng) -> String {
    let offset = |rng: &mut Rng, hours: i64| {
        let minutes = *rng.pick(&[0, 0, 30, 45, 15]);
        let text = format!("{}:{minutes:02}", hours.abs());
        let seconds = rng.range(0, 5);
        let text = if seconds == 0 {
            text
        } else {
            format!("{text}:{:02}", rng.range(1, 59))
        };
        if hours < 0 { format!("-{text}") } else { text }
    };
    let day = |rng: &mut Rng, month: i64| match rng.range(0, 3) {
        0 => format!("J{}", rng.range(1, 365)),
        1 => format!("{}", rng.range(0, 365)),
        _ => format!("M{month}.{}.{}", rng.range(1, 5), rng.range(0, 6)),
    };
    let time = |rng: &mut Rng| match rng.range(0, 3) {
        0 => String::new(),
        1 => format!("/{}", rng.range(0, 23)),
        _ => format!("/{}", rng.range(-30, 60)),
    };
    let standard = rng.range(-13, 12);
    let dst = standard - rng.range(1, 2);
    let start_month = rng.range(1, 12);
    let end_month = (start_month + rng.range(2, 9) - 1) % 12 + 1;
    let std_offset = offset(rng, standard);
    let dst_offset = offset(rng, dst);
    let (start, start_time) = (day(rng, start_month), time(rng));
    let (end, end_time) = (day(rng, end_month), time(rng));
    format!("<STD>{std_offset}<DST>{dst_offset},{start}{start_time},{end}{end_time}")
}

fn from_posix(text: &str, index: usize, scratch: &Path, rng: &mut Rng) -> Subject {
    let rule = PosixTz::parse(text).unwrap_or_else(|| panic!("{text:?} is not read here"));
    let mut years = vec![1970, 1971, 2038, 9999];
    years.extend((0..3).map(|_| rng.range(1972, 2037)));
    years.extend((0..2).map(|_| rng.range(2100, 2500)));
    let mut transitions: Vec<Transition> =
        years.iter().flat_map(|&y| rule.transitions(y)).collect();
    let zero_based = rule.dst.as_ref().is_some_and(|dst| {
        [dst.start.day, dst.end.day]
            .iter()
            .any(|day| matches!(day, DayOfYear::Zero(_)))
    });
    transitions.sort_by_key(|t| t.at);
    Subject {
        label: format!("TZ={text}"),
        tz: Some(text.to_string()),
        flag: Some(text.to_string()),
        local_name: text.to_string(),
        transitions,
        file: (!zero_based)
            .then(|| write_posix_tzif(scratch, &format!("posix{index}"), text, rule.standard)),
        full: true,
        rules_from_year: 1970,
    }
}

/// The transitions tested: all of them, or a sample of three.
pub fn tested_transitions<'a>(subject: &'a Subject, rng: &mut Rng) -> Vec<&'a Transition> {
    if subject.full || subject.transitions.len() <= 3 {
        subject.transitions.iter().collect()
    } else {
        (0..3).map(|_| rng.pick(&subject.transitions)).collect()
    }
}

/// The instants tested in a zone, ascending, without repeats.
pub fn instants(subject: &Subject, rng: &mut Rng) -> Vec<i64> {
    let mut out = vec![0, -1, YEAR_10000 - 1, MIN_EPOCH, MAX_EPOCH];
    for t in tested_transitions(subject, rng) {
        out.extend([t.at - 1, t.at]);
    }
    let days = |years: i64| years * 31_556_952;
    let ranges = [
        (YEAR_1, YEAR_10000 - 1, 12),
        (-days(170), -1, 4),
        (days(130), days(530), 4),
        (YEAR_10000 - days(1), YEAR_10000 - 1, 2),
        (YEAR_10000, MAX_EPOCH, 2),
        (MIN_EPOCH, YEAR_1 - 1, 2),
    ];
    for (low, high, count) in ranges {
        out.extend((0..count).map(|_| rng.range(low, high)));
    }
    // Before year 1 glibc reads a POSIX rule's `Mm.w.d` with C division on
    // negative years (Zeller's congruence in tzset.c's `compute_change`),
    // which puts the changes on other days: a documented difference.
    let first = if subject.rules_from_year > 1 {
        YEAR_1
    } else {
        MIN_EPOCH
    };
    out.retain(|t| (first..=MAX_EPOCH).contains(t));
    out.sort_unstable();
    out.dedup();
    out
}

/// What every differential test here starts from: the seeded source (its
/// seed printed) and the zones; the directory holds the TZif files written
/// for POSIX strings.
pub struct Run {
    pub rng: Rng,
    pub subjects: Vec<Subject>,
    _scratch: tempfile::TempDir,
}

/// The references are there (else a loud skip, a failure with CI=true):
/// the run's zones and seeded source.
#[track_caller]
pub fn start() -> Option<Run> {
    if !require_gnu_date_and_zoneinfo() {
        return None;
    }
    let mut rng = Rng::new(diff_seed());
    let scratch = tempfile::tempdir().expect("a temporary directory");
    let subjects = subjects(&mut rng, scratch.path());
    Some(Run {
        rng,
        subjects,
        _scratch: scratch,
    })
}

impl Run {
    /// `work` on every zone, each with a seeded source of its own, in
    /// parallel; what they found, together.
    pub fn per_zone(
        &mut self,
        work: impl Fn(&Subject, &mut Rng) -> Mismatches + Sync,
    ) -> Mismatches {
        let seeds: Vec<(usize, u64)> = (0..self.subjects.len())
            .map(|i| (i, self.rng.next_u64()))
            .collect();
        let subjects = &self.subjects;
        let mut found = Mismatches::default();
        for result in parallel_map(&seeds, |&(i, seed)| work(&subjects[i], &mut Rng::new(seed))) {
            found.merge(result);
        }
        found
    }
}

/// The first second of `year` (UTC).
pub fn year_start(year: i64) -> i64 {
    calendar::days_from_civil(year, 1, 1) * 86_400
}

/// What a differential run found: every difference, by kind.
#[derive(Default)]
pub struct Mismatches {
    found: Vec<(String, String)>,
    cases: usize,
}

impl Mismatches {
    pub fn case(&mut self) {
        self.cases += 1;
    }

    pub fn add(&mut self, kind: &str, what: String) {
        self.found.push((kind.to_string(), what));
    }

    pub fn merge(&mut self, other: Mismatches) {
        self.found.extend(other.found);
        self.cases += other.cases;
    }

    /// Fails with a summary (counts by kind, the first 40) unless empty.
    #[track_caller]
    pub fn assert_none(&self, what: &str) {
        eprintln!("{what}: {} cases compared", self.cases);
        if self.found.is_empty() {
            return;
        }
        let mut kinds: Vec<(&str, usize)> = Vec::new();
        for (kind, _) in &self.found {
            match kinds.iter_mut().find(|(k, _)| k == kind) {
                Some((_, n)) => *n += 1,
                None => kinds.push((kind, 1)),
            }
        }
        let mut report = format!(
            "{what}: {} mismatches in {} cases ({kinds:?}):\n",
            self.found.len(),
            self.cases
        );
        // The first few of each kind, then more of the first kinds, up to 40.
        let mut shown: Vec<&(String, String)> = Vec::new();
        for (kind, _) in &kinds {
            shown.extend(self.found.iter().filter(|(k, _)| k == kind).take(4));
        }
        for found in &self.found {
            if shown.len() >= 40 {
                break;
            }
            if !shown.contains(&found) {
                shown.push(found);
            }
        }
        for (kind, text) in shown.into_iter().take(40) {
            report.push_str(&format!("  [{kind}] {text}\n"));
        }
        panic!("{report}");
    }
}

/// The wall-clock reading `secs` seconds after 1970-01-01 00:00 (as if UTC),
/// as `date -d` and `at` read it.
pub fn wall_text(secs: i64) -> String {
    calendar::iso_wall(secs)
}
