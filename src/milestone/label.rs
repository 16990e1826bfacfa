//! Number formatting for milestone labels: thousands separators and
//! "1.8 billion"-style words for round numbers.
//!
//! Shared with the notification code, so everything here is total (no
//! panics for any `i64`, including `i64::MIN`).

/// Format an integer with ',' between groups of three digits:
/// `group_thousands(1800000000) == "1,800,000,000"`, `group_thousands(-1234) == "-1,234"`.
pub fn group_thousands(v: i64) -> String {
    group_i128(i128::from(v))
}

/// A round number in words ("1.8 billion", "100 million", "12.34 trillion"),
/// anything else with thousands separators ("1,795,568,278", "999,000").
///
/// "Round" means at least one million with at most four significant digits,
/// so the words never hide a digit.
pub fn human_number(v: i64) -> String {
    human_i128(i128::from(v))
}

/// `group_thousands` over `i128`, for offsets that may not fit an `i64`.
pub(crate) fn group_i128(v: i128) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if v < 0 {
        out.push('-');
    }
    let first = digits.len() % 3;
    for (i, c) in digits.chars().enumerate() {
        if i != 0 && i % 3 == first {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `human_number` over `i128`.
pub(crate) fn human_i128(v: i128) -> String {
    const UNITS: [(u128, &str); 5] = [
        (1_000_000_000_000_000_000, "quintillion"),
        (1_000_000_000_000_000, "quadrillion"),
        (1_000_000_000_000, "trillion"),
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
    ];
    let abs = v.unsigned_abs();
    if significant_digits(abs) <= 4 {
        for (unit, name) in UNITS {
            if abs >= unit {
                let whole = abs / unit;
                let frac = abs % unit;
                let sign = if v < 0 { "-" } else { "" };
                if frac == 0 {
                    return format!("{sign}{whole} {name}");
                }
                // At most 4 significant digits, so the fraction has a short,
                // exact decimal form: pad to the unit's width, drop trailing zeros.
                let width = unit.ilog10() as usize;
                let text = format!("{frac:0width$}");
                return format!("{sign}{whole}.{} {name}", text.trim_end_matches('0'));
            }
        }
    }
    group_i128(v)
}

/// Digits left after stripping trailing zeros (0 has none).
fn significant_digits(mut v: u128) -> u32 {
    if v == 0 {
        return 0;
    }
    while v.is_multiple_of(10) {
        v /= 10;
    }
    v.ilog10() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(-1000), "-1,000");
        assert_eq!(group_thousands(123456), "123,456");
        assert_eq!(group_thousands(1234567), "1,234,567");
        assert_eq!(group_thousands(1_800_000_000), "1,800,000,000");
        assert_eq!(group_thousands(i64::MAX), "9,223,372,036,854,775,807");
        assert_eq!(group_thousands(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn words_for_round_numbers() {
        assert_eq!(human_number(1_800_000_000), "1.8 billion");
        assert_eq!(human_number(2_000_000_000), "2 billion");
        assert_eq!(human_number(100_000_000), "100 million");
        assert_eq!(human_number(1_000_000), "1 million");
        assert_eq!(human_number(1_234_000_000), "1.234 billion");
        assert_eq!(human_number(1_050_000_000), "1.05 billion");
        assert_eq!(human_number(1_000_500_000), "1,000,500,000");
        assert_eq!(human_number(123_400_000_000), "123.4 billion");
        assert_eq!(human_number(-1_500_000), "-1.5 million");
        assert_eq!(human_number(9_000_000_000_000_000_000), "9 quintillion");
    }

    #[test]
    fn digits_for_the_rest() {
        assert_eq!(human_number(0), "0");
        assert_eq!(human_number(999_000), "999,000");
        assert_eq!(human_number(1_234_500_000), "1,234,500,000");
        assert_eq!(human_number(1_795_568_278), "1,795,568,278");
        assert_eq!(human_number(i64::MAX), "9,223,372,036,854,775,807");
        assert_eq!(human_number(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(1_800_000_000), "1,800,000,000");
        assert_eq!(group_thousands(-1_234_567), "-1,234,567");
    }
}
