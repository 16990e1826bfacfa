//! `when` against GNU `date -d @N`: every field of `when --json` and the
//! text form, in every zone, with `TZ=` and `--tz`; the JSON's fields must
//! agree with each other; `at` of each text `when` prints gives the instant back.

use serde_json::Value;

use super::{Mismatches, Subject, Via, instants};
use crate::harness::TestEnv;
use crate::harness::calendar::{Civil, days_from_civil, weekday_name};
use crate::harness::reference::gnu_date_lines;
use crate::harness::seeded::Rng;

/// What GNU prints for one instant in the zone, field by field.
const LOCAL_FIELDS: &str =
    "%::z\x1f%FT%T%:z\x1f%FT%T%::z\x1f%:z\x1f%Z\x1f%a\x1f%a %F %T %:z\x1f%a %F %T %::z";
const UTC_FIELDS: &str = "%FT%TZ\x1f%a %F %T %:z";

/// `±HH:MM:SS` in seconds east.
fn offset_seconds(text: &str) -> Option<i64> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let mut parts = text[1..].split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (
        parts.next()??,
        parts.next().unwrap_or(Some(0))?,
        parts.next().unwrap_or(Some(0))?,
    );
    Some(sign * (h * 3600 + m * 60 + s))
}

/// A date-time as GNU's `%F` writes it, in ISO 8601's expanded form as
/// `when --json` writes it: GNU pads a negative year to four characters
/// with its sign (`-001-12-31`), the expanded form has four digits after it
/// (`-0001-12-31`; chrono writes the same).
fn expanded(gnu: &str) -> String {
    match gnu.strip_prefix('-') {
        Some(rest) => {
            let digits = rest.find('-').unwrap_or(rest.len());
            format!("-{}{rest}", "0".repeat(4usize.saturating_sub(digits)))
        }
        None => gnu.to_string(),
    }
}

/// What `when` must print for one instant, from GNU's fields.
struct Expected {
    epoch: i64,
    offset_seconds: i64,
    /// `local` and `utc` as JSON writes them (years expanded).
    local: String,
    offset: String,
    abbreviation: String,
    weekday: String,
    /// `Fri 2009-02-13 23:31:30 +00:00`, the text form's date-time.
    display: String,
    utc: String,
    utc_display: String,
}

fn expected(epoch: i64, local: &str, utc: &str, utc_zone: bool) -> Expected {
    let f: Vec<&str> = local.split('\x1f').collect();
    let u: Vec<&str> = utc.split('\x1f').collect();
    let seconds = offset_seconds(f[0]).expect("date's %::z");
    let whole = seconds % 60 == 0;
    let pick =
        |minutes: &str, with_seconds: &str| if whole { minutes } else { with_seconds }.to_string();
    Expected {
        epoch,
        offset_seconds: seconds,
        local: expanded(&if utc_zone {
            u[0].to_string()
        } else {
            pick(f[1], f[2])
        }),
        offset: pick(f[3], f[0]),
        abbreviation: f[4].to_string(),
        weekday: f[5].to_string(),
        display: pick(f[6], f[7]),
        utc: expanded(u[0]),
        utc_display: u[1].to_string(),
    }
}

/// `when --json` against GNU, field by field.
fn compare_json(
    subject: &Subject,
    via: Via,
    item: &Value,
    want: &Expected,
    found: &mut Mismatches,
) {
    let label = &subject.label;
    let epoch = want.epoch;
    let mut field = |name: &str, ours: Value, theirs: Value| {
        if ours != theirs {
            found.add(
                &format!("json {name}"),
                format!("{label} ({via:?}) @{epoch}: when {ours}, date {theirs}"),
            );
        }
    };
    field("epoch", item["epoch"].clone(), epoch.into());
    field("local", item["local"].clone(), want.local.clone().into());
    field("utc", item["utc"].clone(), want.utc.clone().into());
    field("offset", item["offset"].clone(), want.offset.clone().into());
    field(
        "offset_seconds",
        item["offset_seconds"].clone(),
        want.offset_seconds.into(),
    );
    field(
        "abbreviation",
        item["abbreviation"].clone(),
        want.abbreviation.clone().into(),
    );
    field(
        "weekday",
        item["weekday"].clone(),
        want.weekday.clone().into(),
    );
    field("zone", item["zone"].clone(), subject.name(via).into());
}

/// An RFC 3339 text as `when` writes it: the civil fields, and the suffix
/// after the seconds (`Z`, `+05:45`, `-03:30:52`).
fn split_rfc3339(text: &str) -> Option<(Civil, &str)> {
    let t = text.find('T')?;
    let (date, rest) = (&text[..t], &text[t + 1..]);
    let dash = date.rfind('-')?;
    let month_dash = date[..dash].rfind('-')?;
    let year: i64 = date[..month_dash].parse().ok()?;
    let month: i64 = date[month_dash + 1..dash].parse().ok()?;
    let day: i64 = date[dash + 1..].parse().ok()?;
    let time = rest.get(..8)?;
    let mut hms = time.split(':').map(|p| p.parse::<i64>().ok());
    let civil = (year, month, day, hms.next()??, hms.next()??, hms.next()??);
    Some((civil, &rest[8..]))
}

/// The fields of one `when --json` item agree with each other: the offset
/// with `offset_seconds` and with `local`'s suffix, `local` and `utc` with
/// the epoch, the weekday with `local`'s date (by an independent calendar).
pub fn json_consistent(item: &Value) -> Result<(), String> {
    let text = |key: &str| item[key].as_str().ok_or(format!("no {key}"));
    let epoch = item["epoch"].as_i64().ok_or("no epoch")?;
    let seconds = item["offset_seconds"].as_i64().ok_or("no offset_seconds")?;
    let offset = text("offset")?;
    if offset_seconds(offset) != Some(seconds) {
        return Err(format!("offset {offset} is not {seconds} s"));
    }
    let (civil, suffix) = split_rfc3339(text("local")?).ok_or("local is not RFC 3339")?;
    let suffix_seconds = if suffix == "Z" {
        Some(0)
    } else {
        offset_seconds(suffix)
    };
    if suffix_seconds != Some(seconds) || (suffix != "Z" && suffix != offset) {
        return Err(format!("local ends in {suffix}, offset is {offset}"));
    }
    let (y, mo, d, h, mi, s) = civil;
    let days = days_from_civil(y, mo, d);
    if days * 86_400 + h * 3600 + mi * 60 + s - seconds != epoch {
        return Err(format!("local {} is not epoch {epoch}", text("local")?));
    }
    let weekday = text("weekday")?;
    if weekday != weekday_name(days) {
        return Err(format!("weekday {weekday} for a {}", weekday_name(days)));
    }
    let (utc, z) = split_rfc3339(text("utc")?).ok_or("utc is not RFC 3339")?;
    let (y, mo, d, h, mi, s) = utc;
    if z != "Z" || days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s != epoch {
        return Err(format!("utc {} is not epoch {epoch}", text("utc")?));
    }
    Ok(())
}

/// The text form against GNU; returns the texts to read back with `at`.
fn compare_text(
    subject: &Subject,
    via: Via,
    block: &str,
    want: &Expected,
    found: &mut Mismatches,
) -> Vec<String> {
    let lines: Vec<&str> = block.lines().collect();
    let name = subject.name(via);
    let mut expect = vec![want.epoch.to_string()];
    if !subject.is_utc_flag(via) {
        let label = if via == Via::Env { "local" } else { "tz" };
        let description = if want.abbreviation == name {
            name.to_string()
        } else {
            format!("{name}, {}", want.abbreviation)
        };
        expect.push(format!("  {label:<5}  {} ({description})", want.display));
    }
    expect.push(format!("  utc    {}", want.utc_display));
    let shown = &lines[..lines.len().saturating_sub(1)];
    let relative = lines.last().map(|l| l.trim()).unwrap_or_default();
    if shown != expect.as_slice()
        || relative.is_empty()
        || !lines.last().unwrap().starts_with("         ")
    {
        found.add(
            "text",
            format!(
                "{} ({via:?}) @{}: when {lines:?}, date {expect:?}",
                subject.label, want.epoch
            ),
        );
    }
    shown
        .iter()
        .skip(1)
        .filter_map(|line| line.get(9..).map(str::to_string))
        .collect()
}

/// One zone, one way of giving it: `when --json`, `when`, and `at` of
/// their texts.
fn check_via(subject: &Subject, via: Via, epochs: &[i64], wants: &[Expected]) -> Mismatches {
    let env = TestEnv::new();
    let mut found = Mismatches::default();
    let args: Vec<String> = epochs.iter().map(i64::to_string).collect();
    let mut json_args = vec!["--json".to_string()];
    json_args.extend(args.iter().cloned());
    let json: Value =
        serde_json::from_str(&subject.stdout(&env, via, "when", &json_args)).expect("JSON");
    let items = json.as_array().expect("an array");
    let text = subject.stdout(&env, via, "when", &args);
    let blocks: Vec<&str> = text.trim_end().split("\n\n").collect();
    assert_eq!(
        (items.len(), blocks.len()),
        (epochs.len(), epochs.len()),
        "{}",
        subject.label
    );
    let mut round_trip = Vec::new();
    for ((item, block), want) in items.iter().zip(&blocks).zip(wants) {
        found.case();
        compare_json(subject, via, item, want, &mut found);
        if let Err(why) = json_consistent(item) {
            found.add(
                "json consistency",
                format!("{} ({via:?}) @{}: {why}", subject.label, want.epoch),
            );
        }
        let mut texts = compare_text(subject, via, block, want, &mut found);
        for key in ["local", "utc"] {
            texts.extend(item[key].as_str().map(str::to_string));
        }
        round_trip.extend(texts.into_iter().map(|text| (want.epoch, text)));
    }
    // After `--`: a year before 1 starts with '-'.
    let mut texts = vec!["--".to_string()];
    texts.extend(round_trip.iter().map(|(_, text)| text.clone()));
    let back = subject.stdout(&env, via, "at", &texts);
    for ((epoch, text), line) in round_trip.iter().zip(back.lines()) {
        if line != epoch.to_string() {
            found.add(
                "round trip",
                format!(
                    "{} ({via:?}): at {text:?} = {line}, not {epoch}",
                    subject.label
                ),
            );
        }
    }
    found
}

fn check_zone(subject: &Subject, rng: &mut Rng) -> Mismatches {
    let epochs = instants(subject, rng);
    let lines: Vec<String> = epochs.iter().map(|e| format!("@{e}")).collect();
    let local = gnu_date_lines(subject.tz(), &[], &lines, LOCAL_FIELDS);
    let utc = gnu_date_lines(Some("UTC0"), &["-u"], &lines, UTC_FIELDS);
    let mut found = Mismatches::default();
    for via in subject.vias() {
        let wants: Vec<Expected> = epochs
            .iter()
            .zip(local.iter().zip(&utc))
            .map(|(&e, (l, u))| expected(e, l, u, subject.is_utc_flag(via)))
            .collect();
        found.merge(check_via(subject, via, &epochs, &wants));
    }
    found
}

#[test]
fn when_matches_gnu_date_in_every_zone() {
    let Some(mut run) = super::start() else {
        return;
    };
    let found = run.per_zone(check_zone);
    found.assert_none(&format!("when in {} zones", run.subjects.len()));
}
