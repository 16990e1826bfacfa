//! The widest label a rule can give over a range of epochs, found without
//! walking the range: for `next`'s table, which lays out its columns before
//! it has seen every row (a table of two billion rows cannot be measured
//! first), and must still line them up.
//!
//! Each bound is an upper bound, exact where it is cheap to be: the labels
//! are numbers, whose width grows with their magnitude, so the widest
//! number of a range is at one of its ends.

use super::Epoch;
use super::famous::FAMOUS;
use super::label::group_i128;
use super::rules::Rule;

/// Characters of `v` in decimal, with its sign.
fn decimal(v: i128) -> usize {
    let digits = v
        .unsigned_abs()
        .checked_ilog10()
        .map_or(1, |d| d as usize + 1);
    digits + usize::from(v < 0)
}

/// Characters of `group_thousands(v)`.
fn grouped(v: i128) -> usize {
    group_i128(v).len()
}

/// The widest of `width` at the ends of `lo..=hi`: right for any width that
/// grows with the magnitude (the largest magnitudes of a range are at its ends).
fn at_ends(lo: i128, hi: i128, width: fn(i128) -> usize) -> usize {
    width(lo).max(width(hi))
}

/// The widest `human_i128(v)` for `v` in `lo..=hi`: the grouped digits, or
/// for a round number of a million or more at most four significant digits
/// ("-123.4") and the name of the largest unit the range reaches.
fn human(lo: i128, hi: i128) -> usize {
    const UNITS: [(u128, usize); 5] = [
        (1_000_000_000_000_000_000, "quintillion".len()),
        (1_000_000_000_000_000, "quadrillion".len()),
        (1_000_000_000_000, "trillion".len()),
        (1_000_000_000, "billion".len()),
        (1_000_000, "million".len()),
    ];
    let largest = lo.unsigned_abs().max(hi.unsigned_abs());
    let name = UNITS
        .iter()
        .filter(|(unit, _)| largest >= *unit)
        .map(|(_, name)| *name)
        .max();
    let words = name.map_or(0, |name| usize::from(lo < 0) + "123.4 ".len() + name);
    at_ends(lo, hi, grouped).max(words)
}

impl Rule {
    /// At least as many characters as [`Rule::label`] writes for any value
    /// of this rule in `lo..=hi` (`lo <= hi`).
    pub fn label_width_bound(&self, lo: Epoch, hi: Epoch) -> usize {
        let (lo, hi) = (i128::from(lo), i128::from(hi));
        match self {
            Rule::Value {
                label: Some(label), ..
            } => label.chars().count(),
            Rule::Value { label: None, .. } => at_ends(lo, hi, grouped),
            Rule::Every(_) => human(lo, hi),
            // "0x" and the hexadecimal digits (the values are positive).
            Rule::Hex(_) => 2 + format!("{:X}", hi.max(0)).len(),
            Rule::Repdigit => "repdigit ".len() + at_ends(lo, hi, decimal),
            Rule::Sequence => "sequence ".len() + at_ends(lo, hi, decimal),
            Rule::Palindrome => "palindrome ".len() + at_ends(lo, hi, decimal),
            // "2^62 = 4611686018427387904": an exponent of at most two digits.
            Rule::Pow2 => "2^62 = ".len() + at_ends(lo, hi, decimal),
            Rule::Y2038 => Rule::Y2038.label(super::Y2038).chars().count(),
            Rule::Famous => FAMOUS
                .iter()
                .map(|(_, label)| label.chars().count())
                .max()
                .unwrap_or(0)
                .max(at_ends(lo, hi, grouped)),
            Rule::Anniversary {
                base, base_text, ..
            } => {
                let base = i128::from(*base);
                human(lo - base, hi - base) + " seconds since ".len() + base_text.chars().count()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Zone;

    /// Every value of each rule in a few ranges is within the bound.
    #[test]
    fn no_label_is_wider_than_its_bound() {
        let specs = [
            "every:1",
            "every:7",
            "every:1000",
            "every:0x10",
            "hex",
            "repdigit",
            "sequence",
            "palindrome",
            "pow2",
            "y2038",
            "famous",
            "42=the answer",
            "42",
            "anniversary:2000-01-01:1000",
        ];
        let ranges = [
            (-5_000, 5_000),
            (999_000, 1_001_000),
            (1_233_990_000, 1_234_010_000),
            (i64::MAX - 10_000, i64::MAX),
        ];
        for spec in specs {
            let rule = Rule::parse(spec, Zone::Utc).unwrap();
            for (lo, hi) in ranges {
                let bound = rule.label_width_bound(lo, hi);
                let mut v = lo;
                while let Some(next) = rule.next_after(v - 1).filter(|&n| n <= hi) {
                    let label = rule.label(next);
                    assert!(
                        label.chars().count() <= bound,
                        "{spec}: {label:?} is wider than {bound} in {lo}..={hi}"
                    );
                    match next.checked_add(1) {
                        Some(after) => v = after,
                        None => break,
                    }
                }
            }
        }
    }

    /// A round number's words may be wider than its digits: "1.234 million".
    #[test]
    fn words_count_where_they_are_wider_than_the_digits() {
        let rule = Rule::Every(1_000);
        assert_eq!(rule.label(1_234_000), "1.234 million");
        assert!(rule.label_width_bound(1_000_000, 1_999_999) >= "1.234 million".len());
    }
}
