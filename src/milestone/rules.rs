//! One milestone rule: parsing its spec text, finding its values around an
//! instant, and labelling them.
//!
//! Every rule is a set of `i64` epochs and answers `next_after` (strictly
//! after) and `prev_at_or_before` analytically. Near `i64::MIN`/`i64::MAX`
//! they return `None` rather than overflow.

use super::label::{group_thousands, human_i128, human_number};
use super::{Epoch, SpecError, digits, famous};
use crate::time::{Zone, parse_datetime};

/// What a spec may be, for error messages.
pub const ACCEPTED: &str = "expected EPOCH or EPOCH=LABEL (e.g. 2000000000=Two billion), \
     every:N (N decimal or 0x hexadecimal), hex, repdigit, sequence, palindrome, pow2, y2038, \
     famous or anniversary:DATETIME:STEP";

/// The last second of signed 32-bit `time_t`.
pub const Y2038: Epoch = 2_147_483_647;

/// The step of the `hex` rule: 0x10000000 (the last seven hexadecimal digits zero).
pub const HEX_STEP: i64 = 0x1000_0000;

/// Label priority of an explicit value with the user's own label (beats everything).
pub(crate) const PRIORITY_USER_LABEL: u8 = 100;
/// Label priority of an explicit value without a label (loses to everything).
pub(crate) const PRIORITY_BARE_VALUE: u8 = 10;

/// A parsed milestone rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// One explicit epoch, optionally with the user's own label.
    Value { epoch: Epoch, label: Option<String> },
    /// Every positive multiple of the step (step >= 1).
    Every(i64),
    /// Every positive multiple of the step, labelled in hexadecimal: `hex`
    /// (step 0x10000000), or `every:` with a `0x` step.
    Hex(i64),
    /// All digits equal, two digits or more.
    Repdigit,
    /// Digits rising or falling by one mod 10, two digits or more.
    Sequence,
    /// Digits read the same both ways, two digits or more.
    Palindrome,
    /// 2^k for k >= 1.
    Pow2,
    /// Exactly 2^31 - 1.
    Y2038,
    /// The instants of time-keeping history (`famous.rs`).
    Famous,
    /// `base + k * step` for k >= 1; `base_text` is the date as the user wrote it.
    Anniversary {
        base: Epoch,
        step: i64,
        base_text: String,
    },
}

impl Rule {
    /// Parse one spec. Rule names are case-insensitive; surrounding
    /// whitespace is ignored. `zone` reads anniversary dates without an offset.
    pub fn parse(spec: &str, zone: Zone) -> Result<Rule, SpecError> {
        let s = spec.trim();
        let Some(first) = s.chars().next() else {
            return Err(SpecError(format!("empty milestone spec; {ACCEPTED}")));
        };
        if first.is_ascii_digit() || matches!(first, '+' | '-' | '=') {
            return parse_value(s);
        }
        let (name, arg) = match s.split_once(':') {
            Some((name, arg)) => (name.trim(), Some(arg)),
            None => (s, None),
        };
        let rule = match name.to_ascii_lowercase().as_str() {
            "every" => {
                let arg = arg.ok_or_else(|| every_error(s))?;
                match parse_hex(arg) {
                    Some(step) => Rule::Hex(step.ok_or_else(|| every_error(s))?),
                    None => Rule::Every(parse_positive(arg).ok_or_else(|| every_error(s))?),
                }
            }
            "anniversary" => return parse_anniversary(s, arg, zone),
            "repdigit" => Rule::Repdigit,
            "sequence" => Rule::Sequence,
            "palindrome" => Rule::Palindrome,
            "pow2" => Rule::Pow2,
            "y2038" => Rule::Y2038,
            "hex" => Rule::Hex(HEX_STEP),
            "famous" => Rule::Famous,
            _ => {
                return Err(SpecError(format!(
                    "unknown milestone rule {s:?}; {ACCEPTED}"
                )));
            }
        };
        // Only `every` takes an argument among the rules that reach here.
        if arg.is_some() && !name.eq_ignore_ascii_case("every") {
            return Err(SpecError(format!(
                "milestone rule {name:?} takes no argument (got {s:?}); {ACCEPTED}"
            )));
        }
        Ok(rule)
    }

    /// The canonical spec text: lower-case name, as `parse` accepts it back.
    pub fn spec(&self) -> String {
        match self {
            Rule::Value { epoch, label: None } => epoch.to_string(),
            Rule::Value {
                epoch,
                label: Some(label),
            } => format!("{epoch}={label}"),
            Rule::Every(step) => format!("every:{step}"),
            Rule::Hex(HEX_STEP) => "hex".into(),
            Rule::Hex(step) => format!("every:{step:#x}"),
            Rule::Repdigit => "repdigit".into(),
            Rule::Sequence => "sequence".into(),
            Rule::Palindrome => "palindrome".into(),
            Rule::Pow2 => "pow2".into(),
            Rule::Y2038 => "y2038".into(),
            Rule::Famous => "famous".into(),
            Rule::Anniversary {
                step, base_text, ..
            } => format!("anniversary:{base_text}:{step}"),
        }
    }

    /// The first value of this rule strictly after `t`.
    pub fn next_after(&self, t: Epoch) -> Option<Epoch> {
        match self {
            Rule::Value { epoch, .. } => (*epoch > t).then_some(*epoch),
            Rule::Every(step) | Rule::Hex(step) => every_next_after(*step, t),
            Rule::Repdigit => digits::repdigit_next_after(t),
            Rule::Sequence => digits::sequence_next_after(t),
            Rule::Palindrome => digits::palindrome_next_after(t),
            Rule::Pow2 => digits::pow2_next_after(t),
            Rule::Y2038 => (Y2038 > t).then_some(Y2038),
            Rule::Famous => famous::next_after(t),
            Rule::Anniversary { base, step, .. } => anniversary_next_after(*base, *step, t),
        }
    }

    /// The last value of this rule at or before `t`.
    pub fn prev_at_or_before(&self, t: Epoch) -> Option<Epoch> {
        match self {
            Rule::Value { epoch, .. } => (*epoch <= t).then_some(*epoch),
            Rule::Every(step) | Rule::Hex(step) => every_prev_at_or_before(*step, t),
            Rule::Repdigit => digits::repdigit_prev_at_or_before(t),
            Rule::Sequence => digits::sequence_prev_at_or_before(t),
            Rule::Palindrome => digits::palindrome_prev_at_or_before(t),
            Rule::Pow2 => digits::pow2_prev_at_or_before(t),
            Rule::Y2038 => (Y2038 <= t).then_some(Y2038),
            Rule::Famous => famous::prev_at_or_before(t),
            Rule::Anniversary { base, step, .. } => anniversary_prev_at_or_before(*base, *step, t),
        }
    }

    /// Whether `v` is one of this rule's values.
    pub fn contains(&self, v: Epoch) -> bool {
        match self {
            Rule::Palindrome => digits::is_palindrome(v),
            _ => self.prev_at_or_before(v) == Some(v),
        }
    }

    /// The label people read for value `v` of this rule (`v` is assumed to
    /// be one of its values).
    pub fn label(&self, v: Epoch) -> String {
        match self {
            Rule::Value {
                label: Some(label), ..
            } => label.clone(),
            Rule::Value { label: None, .. } => group_thousands(v),
            Rule::Every(_) => human_number(v),
            Rule::Hex(_) => format!("{v:#X}"),
            Rule::Repdigit => format!("repdigit {v}"),
            Rule::Sequence => format!("sequence {v}"),
            Rule::Palindrome => format!("palindrome {v}"),
            Rule::Pow2 => match digits::pow2_exponent(v) {
                Some(k) => format!("2^{k} = {v}"),
                None => format!("power of two {v}"),
            },
            Rule::Y2038 => "Y2038: 2^31-1".into(),
            Rule::Famous => famous::label(v).map_or_else(|| group_thousands(v), str::to_string),
            Rule::Anniversary {
                base, base_text, ..
            } => {
                let offset = i128::from(v) - i128::from(*base);
                format!("{} seconds since {base_text}", human_i128(offset))
            }
        }
    }

    /// Which label wins when several rules produce the same value: higher
    /// wins. A user's own label first, then the rarer and more specific
    /// generated labels, and a bare grouped number last.
    pub fn label_priority(&self) -> u8 {
        match self {
            Rule::Value { label: Some(_), .. } => PRIORITY_USER_LABEL,
            Rule::Famous => 95,
            Rule::Y2038 => 90,
            Rule::Anniversary { .. } => 80,
            Rule::Sequence => 70,
            Rule::Repdigit => 60,
            Rule::Pow2 => 50,
            Rule::Hex(_) => 45,
            Rule::Palindrome => 40,
            Rule::Every(_) => 30,
            Rule::Value { label: None, .. } => PRIORITY_BARE_VALUE,
        }
    }
}

/// `EPOCH` or `EPOCH=LABEL`.
fn parse_value(s: &str) -> Result<Rule, SpecError> {
    let (number, label) = match s.split_once('=') {
        Some((number, label)) => (number.trim(), Some(label.trim())),
        None => (s, None),
    };
    if number.is_empty() {
        return Err(SpecError(format!(
            "missing epoch before '=' in milestone spec {s:?}; {ACCEPTED}"
        )));
    }
    let epoch = number.parse::<Epoch>().map_err(|_| {
        SpecError(format!(
            "invalid milestone spec {s:?}: {number:?} is not a whole number of seconds \
             in the 64-bit range; {ACCEPTED}"
        ))
    })?;
    let label = match label {
        None => None,
        Some("") => {
            return Err(SpecError(format!(
                "empty label after '=' in milestone spec {s:?}; {ACCEPTED}"
            )));
        }
        Some(label) if label.chars().any(char::is_control) => {
            return Err(SpecError(format!(
                "milestone label in {s:?} contains control characters; \
                 expected one line of printable text"
            )));
        }
        Some(label) => Some(label.to_string()),
    };
    Ok(Rule::Value { epoch, label })
}

/// `anniversary:DATETIME:STEP`; DATETIME may itself contain ':', so STEP is
/// after the last one.
fn parse_anniversary(s: &str, arg: Option<&str>, zone: Zone) -> Result<Rule, SpecError> {
    let usage = "expected anniversary:DATETIME:STEP, DATETIME as RFC 3339, YYYY-MM-DD, \
                 YYYY-MM-DD HH:MM[:SS] or @EPOCH, and STEP a positive whole number of seconds, \
                 e.g. anniversary:1990-05-01:1000000000";
    let Some((date, step)) = arg.and_then(|a| a.rsplit_once(':')) else {
        return Err(SpecError(format!(
            "incomplete milestone spec {s:?}; {usage}"
        )));
    };
    let step = parse_positive(step).ok_or_else(|| {
        SpecError(format!(
            "invalid anniversary step {:?} in {s:?}; {usage}",
            step.trim()
        ))
    })?;
    let date = date.trim();
    let base = parse_datetime(date, zone).map_err(|err| {
        SpecError(format!(
            "invalid date in anniversary:DATETIME:STEP spec {s:?}: {err}"
        ))
    })?;
    Ok(Rule::Anniversary {
        base,
        step,
        base_text: date.to_string(),
    })
}

fn every_error(s: &str) -> SpecError {
    SpecError(format!(
        "invalid milestone spec {s:?}: expected every:N with N a positive whole number \
         of seconds, decimal or 0x hexadecimal, e.g. every:100000000 or every:0x10000000"
    ))
}

/// A whole number >= 1, digits only (an optional '+').
fn parse_positive(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok().filter(|&n| n >= 1)
}

/// `0x` (or `0X`) and hexadecimal digits: `None` when it does not start so,
/// `Some(None)` when the rest is not a positive hexadecimal `i64`.
fn parse_hex(text: &str) -> Option<Option<i64>> {
    let text = text.trim();
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))?;
    Some(
        digits
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
            .then(|| i64::from_str_radix(digits, 16).ok())
            .flatten()
            .filter(|&n| n >= 1),
    )
}

fn every_next_after(step: i64, t: Epoch) -> Option<Epoch> {
    if t < step {
        return Some(step);
    }
    // t >= step >= 1, so plain division rounds down.
    (t / step).checked_add(1)?.checked_mul(step)
}

fn every_prev_at_or_before(step: i64, t: Epoch) -> Option<Epoch> {
    (t >= step).then(|| (t / step) * step)
}

/// In `i128`, where base + k * step cannot overflow for any `i64` inputs.
fn anniversary_next_after(base: Epoch, step: i64, t: Epoch) -> Option<Epoch> {
    let (base, step, t) = (i128::from(base), i128::from(step), i128::from(t));
    let k = ((t - base).div_euclid(step) + 1).max(1);
    Epoch::try_from(base + k * step).ok()
}

fn anniversary_prev_at_or_before(base: Epoch, step: i64, t: Epoch) -> Option<Epoch> {
    let (base, step, t) = (i128::from(base), i128::from(step), i128::from(t));
    let k = (t - base).div_euclid(step);
    if k < 1 {
        return None;
    }
    Epoch::try_from(base + k * step).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Rule {
        Rule::parse(s, Zone::Utc).unwrap()
    }

    fn err(s: &str) -> String {
        let e = Rule::parse(s, Zone::Utc).unwrap_err().to_string();
        assert!(!e.contains('\n'), "multi-line error for {s:?}: {e}");
        e
    }

    #[test]
    fn parses_all_forms() {
        assert_eq!(
            parse("2000000000"),
            Rule::Value {
                epoch: 2_000_000_000,
                label: None
            }
        );
        assert_eq!(
            parse(" 2000000000 = Two billion "),
            Rule::Value {
                epoch: 2_000_000_000,
                label: Some("Two billion".into())
            }
        );
        assert_eq!(
            parse("-86400"),
            Rule::Value {
                epoch: -86400,
                label: None
            }
        );
        assert_eq!(parse("every:100000000"), Rule::Every(100_000_000));
        assert_eq!(parse("EVERY:5"), Rule::Every(5));
        assert_eq!(parse("Repdigit"), Rule::Repdigit);
        assert_eq!(parse("sequence"), Rule::Sequence);
        assert_eq!(parse("palindrome"), Rule::Palindrome);
        assert_eq!(parse("POW2"), Rule::Pow2);
        assert_eq!(parse("y2038"), Rule::Y2038);
        assert_eq!(parse("Hex"), Rule::Hex(0x1000_0000));
        assert_eq!(parse("every:0x10000000"), Rule::Hex(0x1000_0000));
        assert_eq!(parse("every:0XfF"), Rule::Hex(255));
        assert_eq!(parse("famous"), Rule::Famous);
        assert_eq!(
            parse("anniversary:@641520000:1000000000"),
            Rule::Anniversary {
                base: 641_520_000,
                step: 1_000_000_000,
                base_text: "@641520000".into()
            }
        );
    }

    #[test]
    fn spec_round_trips() {
        for s in [
            "2000000000",
            "2000000000=Two billion",
            "-5",
            "every:7",
            "repdigit",
            "sequence",
            "palindrome",
            "pow2",
            "y2038",
            "hex",
            "every:0xff",
            "famous",
            "anniversary:@-100:60",
        ] {
            assert_eq!(parse(s).spec(), s);
            assert_eq!(parse(&parse(s).spec()), parse(s));
        }
    }

    #[test]
    fn bad_specs_say_what_is_accepted() {
        for s in [
            "",
            "   ",
            "fibonacci",
            "every",
            "every:",
            "every:0",
            "every:-5",
            "every:abc",
            "anniversary",
            "anniversary:@0",
            "anniversary:garbage:10",
            "anniversary:@0:0",
            "anniversary:@0:-3",
            "anniversary:@0:x",
            "123abc",
            "=label",
            "5=",
            "repdigit:3",
            "hex:3",
            "famous:1",
            "every:0x",
            "every:0x0",
            "every:0xg",
            "every:0x-5",
            "every:0x8000000000000000",
            "99999999999999999999",
        ] {
            let e = err(s);
            assert!(e.contains("expected"), "{s:?}: {e}");
        }
        assert!(err("every:0").contains("positive"));
        assert!(err("fibonacci").contains("unknown"));
        assert!(err("123abc").contains("EPOCH"));
        assert!(err("=label").contains("missing epoch"));
        assert!(err("anniversary:@0:0").contains("STEP"));
        assert!(err("anniversary:garbage:10").contains("DATETIME"));
        assert!(err("5=a\nb").contains("one line"));
    }

    #[test]
    fn every() {
        let r = Rule::Every(100_000_000);
        assert_eq!(r.next_after(1_795_568_278), Some(1_800_000_000));
        assert_eq!(r.next_after(1_800_000_000), Some(1_900_000_000));
        assert_eq!(r.next_after(1_799_999_999), Some(1_800_000_000));
        assert_eq!(r.next_after(-1_000_000_000), Some(100_000_000));
        assert_eq!(r.next_after(i64::MIN), Some(100_000_000));
        assert_eq!(r.next_after(i64::MAX), None);
        assert_eq!(r.prev_at_or_before(1_800_000_000), Some(1_800_000_000));
        assert_eq!(r.prev_at_or_before(1_799_999_999), Some(1_700_000_000));
        assert_eq!(r.prev_at_or_before(99_999_999), None);
        assert_eq!(r.prev_at_or_before(0), None);
        assert_eq!(r.label(1_800_000_000), "1.8 billion");
        assert_eq!(r.label(2_000_000_000), "2 billion");
        let one = Rule::Every(1);
        assert_eq!(one.next_after(i64::MAX - 1), Some(i64::MAX));
        assert_eq!(one.next_after(i64::MAX), None);
        assert_eq!(one.prev_at_or_before(i64::MAX), Some(i64::MAX));
        assert_eq!(one.next_after(0), Some(1));
        assert_eq!(one.prev_at_or_before(0), None);
        let huge = Rule::Every(i64::MAX);
        assert_eq!(huge.next_after(5), Some(i64::MAX));
        assert_eq!(huge.next_after(i64::MAX), None);
        assert_eq!(huge.prev_at_or_before(i64::MAX - 1), None);
    }

    #[test]
    fn digit_rules_and_labels() {
        assert_eq!(
            Rule::Repdigit.next_after(1_234_567_890),
            Some(2_222_222_222)
        );
        assert_eq!(Rule::Repdigit.label(2_222_222_222), "repdigit 2222222222");
        assert_eq!(Rule::Repdigit.next_after(-7), Some(11));
        assert_eq!(
            Rule::Sequence.next_after(1_234_567_889),
            Some(1_234_567_890)
        );
        assert_eq!(
            Rule::Sequence.next_after(9_876_543_209),
            Some(9_876_543_210)
        );
        assert_eq!(Rule::Sequence.label(1_234_567_890), "sequence 1234567890");
        assert!(Rule::Sequence.contains(9_876_543_210));
        assert!(Rule::Sequence.contains(890));
        assert!(!Rule::Sequence.contains(891));
        assert_eq!(
            Rule::Palindrome.next_after(1_795_568_278),
            Some(1_795_665_971)
        );
        assert_eq!(
            Rule::Palindrome.label(1_795_665_971),
            "palindrome 1795665971"
        );
        assert_eq!(Rule::Pow2.next_after(2_000_000_000), Some(2_147_483_648));
        assert_eq!(Rule::Pow2.label(2_147_483_648), "2^31 = 2147483648");
        assert_eq!(Rule::Y2038.next_after(0), Some(2_147_483_647));
        assert_eq!(Rule::Y2038.next_after(2_147_483_647), None);
        assert_eq!(Rule::Y2038.prev_at_or_before(2_147_483_646), None);
        assert_eq!(Rule::Y2038.prev_at_or_before(i64::MAX), Some(2_147_483_647));
        assert_eq!(Rule::Y2038.label(2_147_483_647), "Y2038: 2^31-1");
        for rule in [Rule::Repdigit, Rule::Sequence, Rule::Palindrome, Rule::Pow2] {
            assert_eq!(rule.next_after(i64::MAX), None, "{rule:?}");
            assert_eq!(rule.prev_at_or_before(i64::MIN), None, "{rule:?}");
            assert_eq!(rule.prev_at_or_before(0), None, "{rule:?}");
            assert!(rule.prev_at_or_before(i64::MAX).is_some(), "{rule:?}");
        }
    }

    #[test]
    fn hex_and_famous() {
        let hex = parse("hex");
        assert_eq!(hex.next_after(1_795_568_278), Some(0x7000_0000));
        assert_eq!(hex.next_after(0x7000_0000), Some(0x8000_0000));
        assert_eq!(hex.prev_at_or_before(0x7000_0000 - 1), Some(0x6000_0000));
        assert_eq!(hex.label(0x7000_0000), "0x70000000");
        assert_eq!(hex.label(0xA_0000_0000), "0xA00000000");
        assert_eq!(parse("every:0x1000").label(0x7000), "0x7000");
        assert_eq!(parse("every:0x1000").spec(), "every:0x1000");
        assert_eq!(Rule::Famous.next_after(1_800_000_000), Some(2_085_978_496));
        assert_eq!(
            Rule::Famous.label(2_085_978_496),
            "NTP era 0 ends: 32-bit NTP time wraps"
        );
        assert!(Rule::Famous.label_priority() > Rule::Y2038.label_priority());
        assert!(Rule::Pow2.label_priority() > hex.label_priority());
        assert!(hex.label_priority() > Rule::Palindrome.label_priority());
    }

    #[test]
    fn anniversary() {
        // 1990-05-01T00:00:00Z is 641520000.
        let r = parse("anniversary:@641520000:1000000000");
        assert_eq!(r.next_after(0), Some(1_641_520_000));
        assert_eq!(r.next_after(1_641_520_000), Some(2_641_520_000));
        assert_eq!(r.prev_at_or_before(1_641_519_999), None);
        assert_eq!(r.prev_at_or_before(2_000_000_000), Some(1_641_520_000));
        assert_eq!(r.label(1_641_520_000), "1 billion seconds since @641520000");
        assert_eq!(r.label(2_641_520_000), "2 billion seconds since @641520000");
        assert_eq!(r.spec(), "anniversary:@641520000:1000000000");
        // Negative bases and ends of the range.
        let r = Rule::Anniversary {
            base: i64::MIN,
            step: i64::MAX,
            base_text: "x".into(),
        };
        assert_eq!(r.next_after(i64::MIN), Some(-1));
        assert_eq!(r.next_after(-1), Some(i64::MAX - 1));
        assert_eq!(r.next_after(i64::MAX - 1), None);
        assert_eq!(r.prev_at_or_before(i64::MAX), Some(i64::MAX - 1));
        assert_eq!(r.prev_at_or_before(-2), None);
        assert!(
            r.label(i64::MAX - 1)
                .starts_with("18,446,744,073,709,551,614 seconds")
        );
    }

    #[test]
    fn anniversary_with_calendar_date() {
        let r = parse("anniversary:1990-05-01:1000000000");
        assert_eq!(r.next_after(0), Some(1_641_520_000));
        assert_eq!(r.label(1_641_520_000), "1 billion seconds since 1990-05-01");
        assert_eq!(r.spec(), "anniversary:1990-05-01:1000000000");
        // The date may contain ':'; STEP is after the last one.
        let r = parse("anniversary:1990-05-01T12:00:00Z:1000000000");
        assert_eq!(r.next_after(0), Some(1_641_563_200));
        let r = parse("anniversary:1990-05-01 12:00:1000000000");
        assert_eq!(r.next_after(0), Some(1_641_563_200));
        // Local dates are read in the given zone.
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        let r = Rule::parse("anniversary:1990-05-01:1000000000", berlin).unwrap();
        assert_eq!(r.next_after(0), Some(1_641_520_000 - 2 * 3600));
    }
}
