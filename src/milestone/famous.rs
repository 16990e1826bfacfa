//! The `famous` rule: instants of time-keeping history, each labelled with
//! its story. A fixed, sorted table, searched by bisection (analytic: "next
//! after t" is one `partition_point`).
//!
//! Every entry names its source. The epoch of each was checked with GNU
//! `date -u -d 'DATE TIME' +%s` against the UTC date-time the source gives
//! (and is checked again by `tests/integration/milestone_props.rs`).
//! Unix time counts no leap seconds, so a UTC date-time maps to exactly one
//! epoch second. The third GPS week-number rollover (November 2038) is left
//! out: its UTC instant depends on leap seconds not yet announced.

use super::Epoch;

/// (epoch, label), ascending by epoch.
pub(crate) const FAMOUS: &[(Epoch, &str)] = &[
    // 1970-01-01 00:00:00 UTC: the origin of "seconds since the Epoch"
    // (POSIX.1-2017, Base Definitions 4.16).
    (0, "the Unix epoch: time 0"),
    // 1980-01-06 00:00:00 UTC: GPS time starts at week 0 (USNO, "GPS Week
    // Number Rollover", tycho.usno.navy.mil/gps_week.html).
    (315_964_800, "the GPS epoch: GPS week 0 begins"),
    // 1999-08-21 23:59:47 UTC: GPS week 1023 rolls over to 0 (same USNO page:
    // "this corresponded to 23:59:47 UTC on 21 August 1999").
    (935_279_987, "GPS week numbers roll over (1st time)"),
    // 2000-01-01 00:00:00 UTC: the year 2000 ("Year 2000 problem").
    (946_684_800, "Y2K: the year 2000 begins"),
    // 2001-09-09 01:46:40 UTC: Unix time reaches 10^9, the "billennium"
    // (Wikipedia, "Unix time", Notable events in Unix time).
    (1_000_000_000, "the billennium: 10^9 seconds of Unix time"),
    // 2009-02-13 23:31:30 UTC: 1234567890, celebrated with parties in many
    // cities (Wikipedia, "Unix time", Notable events in Unix time).
    (1_234_567_890, "1234567890 day, celebrated around the world"),
    // 2019-04-06 23:59:42 UTC: the second GPS week-number rollover (gps.gov,
    // "GPS Week Number Rollover": "reset to zero at 23:59:42 UTC on April 6, 2019").
    (1_554_595_182, "GPS week numbers roll over (2nd time)"),
    // 2036-02-07 06:28:16 UTC: NTP's 32-bit seconds since 1900-01-01 wrap,
    // era 0 ends (RFC 5905, section 6; D. Mills, "The NTP Era and Era
    // Numbering"): 2^32 - 2208988800.
    (2_085_978_496, "NTP era 0 ends: 32-bit NTP time wraps"),
    // 2038-01-19 03:14:07 UTC: 2^31 - 1, the last second of signed 32-bit
    // time_t (Wikipedia, "Year 2038 problem").
    (2_147_483_647, "Y2038: last second of signed 32-bit time"),
    // 2106-02-07 06:28:15 UTC: 2^32 - 1, the last second of unsigned 32-bit
    // time (Wikipedia, "Time formatting and storage bugs", Year 2106).
    (4_294_967_295, "last second of unsigned 32-bit time"),
    // 10000-01-01 00:00:00 UTC: years need a fifth digit (RFC 2550, "Y10K
    // and Beyond").
    (253_402_300_800, "Y10K: years get a fifth digit"),
];

pub(crate) fn next_after(t: Epoch) -> Option<Epoch> {
    FAMOUS
        .get(FAMOUS.partition_point(|&(v, _)| v <= t))
        .map(|&(v, _)| v)
}

pub(crate) fn prev_at_or_before(t: Epoch) -> Option<Epoch> {
    match FAMOUS.partition_point(|&(v, _)| v <= t) {
        0 => None,
        i => FAMOUS.get(i - 1).map(|&(v, _)| v),
    }
}

/// The story of `v`, when it is one of the famous instants.
pub(crate) fn label(v: Epoch) -> Option<&'static str> {
    FAMOUS
        .binary_search_by_key(&v, |&(epoch, _)| epoch)
        .ok()
        .map(|i| FAMOUS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_searchable() {
        assert!(FAMOUS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(next_after(i64::MIN), Some(0));
        assert_eq!(next_after(1_800_000_000), Some(2_085_978_496));
        assert_eq!(next_after(2_085_978_496), Some(2_147_483_647));
        assert_eq!(next_after(253_402_300_800), None);
        assert_eq!(prev_at_or_before(-1), None);
        assert_eq!(prev_at_or_before(0), Some(0));
        assert_eq!(prev_at_or_before(i64::MAX), Some(253_402_300_800));
        assert_eq!(
            label(4_294_967_295),
            Some("last second of unsigned 32-bit time")
        );
        assert_eq!(label(4_294_967_296), None);
    }
}
