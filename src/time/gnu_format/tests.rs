//! Tests of the GNU format language: every conversion, flag, width and
//! modifier and the refused forms.

use super::spec::Modifier;
use super::*;

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// The fields of a UTC date and time.
fn at(year: i64, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Fields<'static> {
    let days = days_from_civil(year, month, day);
    let seconds = i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
    Fields {
        epoch: days * 86_400 + seconds,
        year,
        month,
        day,
        hour,
        minute,
        second,
        nanos: 0,
        weekday: (days + 4).rem_euclid(7) as u8,
        yday: (days - days_from_civil(year, 1, 1)) as u16,
        utc_offset: 0,
        abbreviation: "UTC",
    }
}

/// 2023-11-14 22:13:20.12 UTC, a Tuesday: epoch 1,700,000,000.
fn sample() -> Fields<'static> {
    Fields {
        nanos: 120_000_000,
        ..at(2023, 11, 14, 22, 13, 20)
    }
}

/// 2024-03-05 07:08:09 UTC: small numbers, to see padding.
fn morning() -> Fields<'static> {
    Fields {
        nanos: 5,
        ..at(2024, 3, 5, 7, 8, 9)
    }
}

fn with_offset(
    fields: Fields<'static>,
    utc_offset: i32,
    abbreviation: &'static str,
) -> Fields<'static> {
    Fields {
        utc_offset,
        abbreviation,
        ..fields
    }
}

fn fmt(format: &str, fields: &Fields) -> String {
    match Format::parse(format) {
        Ok(parsed) => parsed.format(fields),
        Err(e) => panic!("{format:?} refused: {e}"),
    }
}

/// Checks `(format, expected)` pairs for one instant.
fn check(fields: &Fields, cases: &[(&str, &str)]) {
    for &(format, expected) in cases {
        assert_eq!(fmt(format, fields), expected, "format {format:?}");
    }
}

fn error(format: &str) -> FormatError {
    match Format::parse(format) {
        Ok(_) => panic!("{format:?} accepted"),
        Err(e) => e,
    }
}

#[test]
fn every_plain_conversion() {
    check(
        &sample(),
        &[
            ("%a", "Tue"),
            ("%A", "Tuesday"),
            ("%b", "Nov"),
            ("%B", "November"),
            ("%h", "Nov"),
            ("%c", "Tue Nov 14 22:13:20 2023"),
            ("%C", "20"),
            ("%d", "14"),
            ("%D", "11/14/23"),
            ("%e", "14"),
            ("%F", "2023-11-14"),
            ("%g", "23"),
            ("%G", "2023"),
            ("%H", "22"),
            ("%I", "10"),
            ("%j", "318"),
            ("%k", "22"),
            ("%l", "10"),
            ("%m", "11"),
            ("%M", "13"),
            ("%n", "\n"),
            ("%N", "120000000"),
            ("%p", "PM"),
            ("%P", "pm"),
            ("%q", "4"),
            ("%r", "10:13:20 PM"),
            ("%R", "22:13"),
            ("%s", "1700000000"),
            ("%S", "20"),
            ("%t", "\t"),
            ("%T", "22:13:20"),
            ("%u", "2"),
            ("%U", "46"),
            ("%V", "46"),
            ("%w", "2"),
            ("%W", "46"),
            ("%x", "11/14/23"),
            ("%X", "22:13:20"),
            ("%y", "23"),
            ("%Y", "2023"),
            ("%z", "+0000"),
            ("%:z", "+00:00"),
            ("%::z", "+00:00:00"),
            ("%:::z", "+00"),
            ("%Z", "UTC"),
            ("%%", "%"),
        ],
    );
}

#[test]
fn small_values_and_their_default_padding() {
    check(
        &morning(),
        &[
            (
                "%d %e %H %k %I %l %j %m %M %S",
                "05  5 07  7 07  7 065 03 08 09",
            ),
            ("%u %w %U %W %V %q %p %r", "2 2 09 10 10 1 AM 07:08:09 AM"),
            ("%c", "Tue Mar  5 07:08:09 2024"),
            ("%N", "000000005"),
            ("%I %l %p", "07  7 AM"),
        ],
    );
    check(
        &at(2024, 1, 1, 0, 0, 0),
        &[("%I %l %p %H %k", "12 12 AM 00  0")],
    );
    check(&at(2024, 1, 1, 12, 0, 0), &[("%I %l %p", "12 12 PM")]);
}

#[test]
fn padding_flags_on_numbers() {
    check(
        &morning(),
        &[
            ("%-d|%_d|%0d|%+d", "5| 5|05|05"),
            ("%-e|%_e|%0e|%+e", "5| 5|05|05"),
            (
                "%5d|%_5d|%-5d|%+5d|%05e|%5e",
                "00005|    5|5|00005|00005|    5",
            ),
            ("%-j|%_j|%_5j|%2j", "65| 65|   65|65"),
            ("%-k|%0k|%-l|%0l", "7|07|7|07"),
            // The last padding flag wins; case flags mean nothing here.
            ("%-_d|%_-d|%0_d|%^#d", " 5|5| 5|05"),
        ],
    );
}

#[test]
fn epoch_seconds() {
    let before = Fields {
        epoch: -5,
        ..sample()
    };
    check(
        &before,
        &[(
            "%s|%_5s|%05s|%-5s|%5s|%+5s",
            "-5|   -5|-0005|-5|-0005|-0005",
        )],
    );
    check(
        &sample(),
        &[(
            "%012s|%_12s|%Es|%Os",
            "001700000000|  1700000000|1700000000|1700000000",
        )],
    );
}

#[test]
fn case_flags() {
    check(
        &sample(),
        &[
            ("%^a|%#a|%^A|%#A", "TUE|TUE|TUESDAY|TUESDAY"),
            ("%^b|%#b|%^B|%#h", "NOV|NOV|NOVEMBER|NOV"),
            // `#` lowers %p and %Z; %P is lower case whatever else.
            ("%p|%#p|%^p|%^#p|%P|%^P|%#P", "PM|pm|PM|pm|pm|pm|pm"),
            ("%Z|%^Z|%#Z|%^#Z", "UTC|UTC|utc|utc"),
            (
                "%^c|%#c",
                "TUE NOV 14 22:13:20 2023|Tue Nov 14 22:13:20 2023",
            ),
            ("%^r|%#r", "10:13:20 PM|10:13:20 PM"),
        ],
    );
    check(&with_offset(sample(), 0, "Lmt"), &[("%^Z|%#Z", "LMT|lmt")]);
}

#[test]
fn widths_on_text() {
    check(
        &sample(),
        &[
            (
                "%10a|%010a|%-10a|%_10a|%+10a|%2a",
                "       Tue|0000000Tue|Tue|       Tue|0000000Tue|Tue",
            ),
            ("%10Z|%-10Z|%^010Z", "       UTC|UTC|0000000UTC"),
            ("%5p|%#5p", "   PM|   pm"),
            ("%3n|%-3n|%03t", "  \n|\n|00\t"),
            ("%26c", "  Tue Nov 14 22:13:20 2023"),
            ("%10x|%010X|%-12r", "  11/14/23|0022:13:20|10:13:20 PM"),
        ],
    );
}

#[test]
fn subformats_and_their_flags() {
    check(
        &sample(),
        &[
            (
                "%10D|%010D|%-10D|%3D",
                "  11/14/23|0011/14/23|11/14/23|11/14/23",
            ),
            (
                "%8R|%08R|%10T|%_10T",
                "   22:13|00022:13|  22:13:20|  22:13:20",
            ),
            (
                "%12F|%+12F|%_12F|%-12F|%9F",
                "002023-11-14|+02023-11-14|  2023-11-14|2023-11-14|2023-11-14",
            ),
        ],
    );
    // `%D` passes its flag to its `%y`, `%F` to its `%Y`.
    check(
        &at(2005, 4, 19, 9, 46, 40),
        &[
            (
                "%D|%-D|%_D|%0D|%+D",
                "04/19/05|04/19/5|04/19/ 5|04/19/05|04/19/05",
            ),
            (
                "%F|%-F|%_F|%0F|%+F",
                "2005-04-19|2005-04-19|2005-04-19|2005-04-19|2005-04-19",
            ),
        ],
    );
    check(
        &at(5, 4, 19, 9, 46, 40),
        &[(
            "%F|%-F|%_F|%+F|%10F|%11F|%_11F",
            "0005-04-19|5-04-19|5-04-19|5-04-19|0005-04-19|00005-04-19|    5-04-19",
        )],
    );
}

#[test]
fn years_beyond_9999() {
    check(
        &at(10_000, 1, 1, 0, 0, 0),
        &[
            ("%Y|%C|%y|%G|%g|%V", "10000|100|00|9999|99|52"),
            ("%F|%D|%x", "+10000-01-01|01/01/00|01/01/00"),
            ("%c", "Sat Jan  1 00:00:00 10000"),
            (
                "%+Y|%+C|%+y|%_Y|%-F|%+F|%10F",
                "+10000|+100|00|10000|10000-01-01|+10000-01-01|10000-01-01",
            ),
        ],
    );
    check(
        &at(262_000, 6, 30, 0, 0, 0),
        &[("%Y|%C|%F|%EY", "262000|2620|+262000-06-30|262000")],
    );
}

#[test]
fn the_plus_flag_signs_wide_years() {
    check(
        &sample(),
        &[(
            "%+Y|%+4Y|%+5Y|%+6Y|%+2C|%+3C|%+3y|%+G|%+6G",
            "2023|2023|+2023|+02023|20|+20|+23|2023|+02023",
        )],
    );
}

#[test]
fn years_zero_and_negative() {
    // Year 0 is 1 BC.
    check(
        &at(0, 1, 1, 0, 0, 0),
        &[(
            "%Y|%C|%y|%G|%g|%F|%D|%x|%EY|%EC|%OC|%Oy",
            "0000|00|00|-001|01|0000-01-01|01/01/00|01/01/00|0|0|0|00",
        )],
    );
    // Year -1 is 2 BC: gnulib truncates %C toward zero and keeps the sign
    // ("-0"); glibc's %EC floors (-1) and its %x year is -1 mod 100.
    check(
        &at(-1, 1, 1, 0, 0, 0),
        &[
            (
                "%Y|%C|%y|%G|%g|%F|%D|%x",
                "-001|-0|01|-002|02|-001-01-01|01/01/01|01/01/99",
            ),
            (
                "%c|%EY|%EC|%Ey|%OC|%Oy|%OG|%Og",
                "Fri Jan  1 00:00:00 -1|-1|-1|99|-0|99|-002|98",
            ),
            (
                "%_Y|%-Y|%_6Y|%06Y|%+Y|%-C|%_3C",
                "  -1|-1|    -1|-00001|-001|-0| -0",
            ),
        ],
    );
    check(
        &at(-251_540, 2, 3, 9, 46, 40),
        &[(
            "%Y|%C|%y|%F|%x|%EC|%Ey|%OC|%Oy",
            "-251540|-2515|40|-251540-02-03|02/03/60|-2516|60|-2515|60",
        )],
    );
    check(
        &at(-100, 6, 1, 0, 0, 0),
        &[("%C|%EC|%y|%Ey", "-1|-1|00|00")],
    );
    check(
        &at(-101, 6, 1, 0, 0, 0),
        &[("%C|%EC|%y|%Ey", "-1|-2|01|99")],
    );
}

#[test]
fn iso_week_years_at_year_boundaries() {
    // 2021-01-01 is a Friday of 2020's week 53.
    check(
        &at(2021, 1, 1, 0, 0, 0),
        &[("%G|%g|%V|%U|%W|%j", "2020|20|53|00|00|001")],
    );
    // 2024-12-30 is the Monday of 2025's week 1.
    check(
        &at(2024, 12, 30, 0, 0, 0),
        &[("%G|%g|%V|%U|%W", "2025|25|01|52|53")],
    );
    // 2026-01-01, a Thursday, begins 2026's week 1.
    check(&at(2026, 1, 1, 0, 0, 0), &[("%G|%V", "2026|01")]);
    // In -200 (a Monday, Dec 29th) the ISO year is -199, and gnulib's
    // arithmetic makes %g 01, not 99; glibc's %Og says 01 too (-199 mod 100).
    check(
        &at(-200, 12, 29, 0, 0, 0),
        &[("%G|%g|%V|%OG|%Og", "-199|01|01|-199|01")],
    );
}

#[test]
fn nanoseconds() {
    check(
        &sample(),
        &[
            (
                "%N|%3N|%1N|%12N|%012N|%_12N",
                "120000000|120|1|120000000000|120000000000|12          ",
            ),
            // `date` makes exactly `%-N` into `%9N`; other `-` and `_`
            // drop or blank trailing zeros.
            (
                "%-N|%--N|%0-N|%-3N|%_3N|%_N|%-9N",
                "120000000|12|12|12|12 |12       |12",
            ),
            ("%ON|%+N|%^N", "120000000|120000000|120000000"),
        ],
    );
    check(
        &Fields {
            nanos: 0,
            ..sample()
        },
        &[("%N|%3N|%-3N|%_3N|%-N", "000000000|000|0|0  |000000000")],
    );
    check(
        &Fields {
            nanos: 999_999_999,
            ..sample()
        },
        &[("%N|%3N|%-N", "999999999|999|999999999")],
    );
    check(
        &Fields {
            nanos: u32::MAX,
            ..sample()
        },
        &[("%N", "999999999")],
    );
}

#[test]
fn offsets_with_seconds_and_minutes() {
    let west = with_offset(sample(), -12_652, "XYZ");
    check(
        &west,
        &[
            ("%z|%:z|%::z|%:::z", "-0330|-03:30|-03:30:52|-03:30:52"),
            (
                "%-z|%_z|%10z|%_10:z|%-::z",
                "-330| -330|-000000330|     -3:30|-3:30:52",
            ),
            (
                "%Oz|%-Oz|%10Oz|%Ez|%E:z",
                "-0330|-330|-000000330|-0330|-03:30",
            ),
        ],
    );
    let east = with_offset(sample(), 20_700, "+0545");
    check(
        &east,
        &[
            (
                "%z|%:z|%::z|%:::z|%Z",
                "+0545|+05:45|+05:45:00|+05:45|+0545",
            ),
            // glibc renders %Oz when the offset is not negative: flags
            // are lost, the width kept (with spaces).
            (
                "%-z|%_z|%Oz|%-Oz|%10Oz|%010Oz",
                "+545| +545|+0545|+0545|     +0545|00000+0545",
            ),
        ],
    );
    check(
        &with_offset(sample(), 5 * 3600, "E5"),
        &[("%:::z|%-:::z|%_5:::z", "+05|+5|   +5")],
    );
    check(
        &with_offset(sample(), 14 * 3600, "+14"),
        &[("%z|%-z", "+1400|+1400")],
    );
    check(
        &with_offset(sample(), -30, "NEG"),
        &[("%z|%:z|%::z|%:::z", "-0000|-00:00|-00:00:30|-00:00:30")],
    );
    check(
        &sample(),
        &[("%-z|%_z|%-:z|%-::z", "+0|   +0|+0:00|+0:00:00")],
    );
    // A zero offset prints as -0000 in a zone abbreviated "-00".
    check(
        &with_offset(sample(), 0, "-00"),
        &[("%z|%:::z|%Oz|%Z", "-0000|-00|-0000|-00")],
    );
}

#[test]
fn the_o_modifier_is_glibc_digits_without_flags() {
    check(
        &morning(),
        &[
            (
                "%Od|%-Od|%_Od|%_3Od|%3Od|%03Od|%-3Od",
                "05|05|05| 05| 05|005|05",
            ),
            ("%Oe|%-Oe|%0Oe|%_4Oe|%04Oe", " 5| 5| 5|   5|00 5"),
            (
                "%OH|%OI|%Ok|%Ol|%Oj|%Om|%OM|%OS",
                "07|07| 7| 7|065|03|08|09",
            ),
            (
                "%Ou|%Ow|%OU|%OW|%OV|%Oy|%OC|%OG|%Og",
                "2|2|09|10|10|24|20|2024|24",
            ),
            ("%Ob|%OB|%Oh|%^Ob", "Mar|March|Mar|MAR"),
            (
                "%Op|%OP|%Or|%OR|%OT|%On|%Ot|%OZ|%Os",
                "AM|am|07:08:09 AM|07:08|07:08:09|\n|\t|UTC|1709622489",
            ),
        ],
    );
    check(
        &at(5, 4, 19, 0, 0, 0),
        &[("%OC|%C|%OG|%G|%-OG|%6OG", "0|00|5|0005|5|     5")],
    );
}

#[test]
fn the_e_modifier() {
    check(
        &at(5, 4, 19, 9, 46, 40),
        &[
            (
                "%Ec|%Ex|%EX|%EC|%Ey|%EY",
                "Tue Apr 19 09:46:40 5|04/19/05|09:46:40|0|05|5",
            ),
            (
                "%-EY|%_5EY|%05EY|%^Ec",
                "5|    5|00005|TUE APR 19 09:46:40 5",
            ),
            (
                "%Eu|%Eq|%Es|%EZ|%Ez|%En|%Et|%Ep|%EP|%Er|%ER|%ET",
                "2|2|-62000000000|UTC|+0000|\n|\t|AM|am|09:46:40 AM|09:46|09:46:40",
            ),
        ],
    );
}

#[test]
fn literal_text_is_copied_byte_for_byte() {
    check(
        &sample(),
        &[
            ("", ""),
            ("plain", "plain"),
            ("é%Y日本 🕰", "é2023日本 🕰"),
            ("100%% %%Y %%%Y", "100% %Y %2023"),
            ("a\nb\tc\\d\"e", "a\nb\tc\\d\"e"),
            ("+%Y", "+2023"),
        ],
    );
}

#[test]
fn write_appends_and_a_format_is_reusable() {
    let format = Format::parse("%a %Y-%m-%d %H:%M:%S %z").unwrap();
    let mut out = String::from(">");
    format.write(&sample(), &mut out);
    out.push('|');
    format.write(&morning(), &mut out);
    assert_eq!(
        out,
        ">Tue 2023-11-14 22:13:20 +0000|Tue 2024-03-05 07:08:09 +0000"
    );
    assert_eq!("%Y".parse::<Format>().unwrap().format(&sample()), "2023");
}

#[test]
fn widths_up_to_the_limit() {
    let padded = fmt(&format!("%{MAX_WIDTH}Y"), &sample());
    assert_eq!(padded.len(), MAX_WIDTH);
    assert!(padded.ends_with("2023") && padded.starts_with("000"));
    assert_eq!(fmt("%_100Z", &sample()).trim_start(), "UTC");
    let e = error(&format!("%{}Y", MAX_WIDTH + 1));
    assert!(
        e.to_string()
            .starts_with("field width too large in conversion \"%4097Y\""),
        "{e}"
    );
    let e = error("%99999999999999999999999999d");
    assert!(e.to_string().contains("at most 4096"), "{e}");
}

#[test]
fn the_documented_error_message() {
    assert_eq!(
        error("%Q").to_string(),
        "invalid conversion \"%Q\" in format \"+%Q\" (expected a conversion as for GNU date, \
         e.g. +%Y-%m-%dT%H:%M:%S%:z; use %% for a literal %)"
    );
    let e = error("%Y-%m-%Q!");
    assert_eq!((e.conversion(), e.position()), ("%Q", 6));
}

#[test]
fn what_gnu_only_prints_back_is_an_error() {
    let cases: &[(&str, &str, &str)] = &[
        // (format, conversion named, words the message must hold)
        ("%Q", "%Q", "invalid conversion"),
        ("%i", "%i", "invalid conversion"),
        ("x%é", "%é", "invalid conversion"),
        ("%", "%", "incomplete conversion \"%\" at the end"),
        ("%Y%-", "%-", "incomplete conversion"),
        ("%5", "%5", "incomplete conversion"),
        ("%E", "%E", "incomplete conversion"),
        ("%_^", "%_^", "incomplete conversion"),
        ("%-%", "%-%", "%% takes no flag"),
        ("%5%", "%5%", "%% takes no flag"),
        ("%E%", "%E%", "%% takes no flag"),
        (
            "%Ed",
            "%Ed",
            "%E only before one of c C n p P q r R s t T u x X y Y z Z :z",
        ),
        (
            "%Oa",
            "%Oa",
            "%O only before one of b B C d e g G h H I j k l m M n N p P r R s S t T u U V w W y z Z;",
        ),
        ("%OY", "%OY", "%O only before"),
        ("%EF", "%EF", "%E only before"),
        ("%OD", "%OD", "%O only before"),
        ("%Oq", "%Oq", "%O only before"),
        ("%EN", "%EN", "%E only before"),
        ("%Ex%Oc", "%Oc", "%O only before"),
        ("%O:z", "%O:z", "%O does not combine"),
        ("%_O::z", "%_O::z", "%O does not combine"),
        ("%:y", "%:y", "colons go only in"),
        ("%::::z", "%::::z", "colons go only in"),
        ("%:", "%:", "incomplete conversion"),
        ("%::é", "%::é", "colons go only in"),
    ];
    for &(format, conversion, words) in cases {
        let e = error(format);
        assert_eq!(e.conversion(), conversion, "{format:?}");
        let message = e.to_string();
        assert!(message.contains(words), "{format:?}: {message}");
        assert!(
            message.contains(&format!("\"{conversion}\"")),
            "{format:?}: {message}"
        );
    }
}

#[test]
fn error_messages_stay_on_one_line() {
    for format in [
        "a\nb%Q",
        "\r%Q",
        "%\n",
        "x\u{2028}y\u{85}z\u{1b}%",
        "say \"hi\" \\ %Q",
        "%\t",
    ] {
        let message = error(format).to_string();
        assert!(
            !message.chars().any(|c| c.is_control() || c == '\u{2028}'),
            "{message:?}"
        );
    }
    let message = error("a\nb\t\"%Q").to_string();
    assert!(message.contains(r#"in format "+a\nb\t\"%Q""#), "{message}");
    let message = error("%\n").to_string();
    assert!(
        message.starts_with(r#"invalid conversion "%\n""#),
        "{message}"
    );
}

#[test]
fn modifiers_listed_in_messages_are_exactly_those_accepted() {
    for modifier in [Modifier::E, Modifier::O] {
        let listed: Vec<&str> = accepted_after(modifier).collect();
        for c in (b'!'..=b'~').map(char::from) {
            let format = format!("%{}{c}", modifier.letter());
            let accepted = Format::parse(&format).is_ok();
            assert_eq!(
                accepted,
                listed.contains(&c.to_string().as_str()),
                "{format}"
            );
        }
        let colon = Format::parse(&format!("%{}:z", modifier.letter())).is_ok();
        assert_eq!(colon, listed.contains(&":z"));
    }
}

#[test]
fn garbage_fields_never_panic() {
    let conversions = "aAbBcCdDeFgGhHIjklmMnNpPqrRsStTuUVwWxXyYzZ";
    let mut formats = Vec::new();
    for prefix in ["", "-", "_", "0", "+", "^#", "+40", "_40", "-40"] {
        for modifier in ["", "E", "O"] {
            for c in conversions.chars() {
                formats.push(format!("%{prefix}{modifier}{c}"));
            }
            for colons in [":", "::", ":::"] {
                formats.push(format!("%{prefix}{modifier}{colons}z"));
            }
        }
    }
    let formats: Vec<Format> = formats
        .iter()
        .filter_map(|f| Format::parse(f).ok())
        .collect();
    assert!(formats.len() > 600, "{}", formats.len());
    let extremes = [
        Fields {
            epoch: i64::MIN,
            year: i64::MIN,
            month: 0,
            day: 0,
            hour: 255,
            minute: 255,
            second: 255,
            nanos: u32::MAX,
            weekday: 255,
            yday: u16::MAX,
            utc_offset: i32::MIN,
            abbreviation: "",
        },
        Fields {
            epoch: i64::MAX,
            year: i64::MAX,
            month: 13,
            weekday: 7,
            yday: 400,
            utc_offset: i32::MAX,
            abbreviation: "-é",
            ..sample()
        },
        Fields {
            year: i64::MIN + 1,
            month: 255,
            utc_offset: 0,
            abbreviation: "-",
            ..sample()
        },
    ];
    let mut out = String::new();
    for fields in &extremes {
        for format in &formats {
            out.clear();
            format.write(fields, &mut out);
        }
    }
    check(
        &extremes[1],
        &[("%a|%b|%B|%c", "?|?|?|? ? 14 22:13:20 9223372036854775807")],
    );
}
