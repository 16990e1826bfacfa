//! The digit-pattern sets on positive `i64`: repdigits, digit sequences,
//! palindromes and powers of two.
//!
//! Each set answers "next after t" and "previous at or before t" directly:
//! the small sets (repdigits, sequences) are tables made at compile time
//! and binary searched, powers of two come from bit arithmetic, and palindromes are built
//! by mirroring the left half of a number. All of them have at least two
//! decimal digits (powers of two: 2^k with k >= 1), so none is below 2.

use super::Epoch;

/// 10^0 ..= 10^19; 10^19 still fits a `u64` and is one digit more than `i64::MAX` has.
const POW10: [u64; 20] = {
    let mut table = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// Largest value any rule may produce, as `u64`.
const MAX: u64 = i64::MAX as u64;

/// The smallest element of a sorted list strictly greater than `t`.
fn next_in(list: &[Epoch], t: Epoch) -> Option<Epoch> {
    list.get(list.partition_point(|&x| x <= t)).copied()
}

/// The largest element of a sorted list at or before `t`.
fn prev_in(list: &[Epoch], t: Epoch) -> Option<Epoch> {
    match list.partition_point(|&x| x <= t) {
        0 => None,
        i => list.get(i - 1).copied(),
    }
}

/// The number whose decimal digits are `first`, `first + step`, ... mod 10
/// (`len` of them), or None if it does not fit an `i64`. `step` 0 makes a
/// repdigit; 1 and 9 (-1 mod 10) the ascending and descending runs.
const fn from_digits(len: usize, first: i64, step: i64) -> Option<Epoch> {
    let mut acc = 0i64;
    let mut i = 0;
    while i < len {
        let digit = (first + step * i as i64) % 10;
        acc = match acc.checked_mul(10) {
            Some(v) => match v.checked_add(digit) {
                Some(v) => v,
                None => return None,
            },
            None => return None,
        };
        i += 1;
    }
    Some(acc)
}

/// Every digit run of 2..=19 digits with one of `steps` and no leading
/// zero that fits an `i64`, sorted and deduplicated, in the first `.1`
/// slots (the rest is zero). `N` is room for all of them.
const fn digit_runs<const N: usize>(steps: &[i64]) -> ([Epoch; N], usize) {
    let mut list = [0; N];
    let mut n = 0;
    let mut len = 2;
    while len <= 19 {
        let mut first = 1;
        while first <= 9 {
            let mut s = 0;
            while s < steps.len() {
                if let Some(v) = from_digits(len, first, steps[s]) {
                    // Insertion sort, dropping repeats: a few hundred values, once, at compile time.
                    let mut at = n;
                    while at > 0 && list[at - 1] > v {
                        at -= 1;
                    }
                    if at == 0 || list[at - 1] != v {
                        let mut j = n;
                        while j > at {
                            list[j] = list[j - 1];
                            j -= 1;
                        }
                        list[at] = v;
                        n += 1;
                    }
                }
                s += 1;
            }
            first += 1;
        }
        len += 1;
    }
    (list, n)
}

/// The first `M` values of a [`digit_runs`] table.
const fn prefix<const N: usize, const M: usize>(table: &[Epoch; N]) -> [Epoch; M] {
    let mut out = [0; M];
    let mut i = 0;
    while i < M {
        out[i] = table[i];
        i += 1;
    }
    out
}

/// Tables made at compile time: built on first use they were most of the
/// instructions of `bar --once`, which a polling bar starts every second.
const ROOM: usize = 18 * 9 * 2;
const REPDIGIT_RUNS: ([Epoch; ROOM], usize) = digit_runs(&[0]);
const SEQUENCE_RUNS: ([Epoch; ROOM], usize) = digit_runs(&[1, 9]);
static REPDIGITS: [Epoch; REPDIGIT_RUNS.1] = prefix(&REPDIGIT_RUNS.0);
static SEQUENCES: [Epoch; SEQUENCE_RUNS.1] = prefix(&SEQUENCE_RUNS.0);

/// All repdigits with 2..=19 digits that fit an `i64`, ascending.
pub(crate) fn repdigits() -> &'static [Epoch] {
    &REPDIGITS
}

/// All ascending (+1 mod 10) and descending (-1 mod 10) digit runs with
/// 2..=19 digits and no leading zero that fit an `i64`, ascending.
pub(crate) fn sequences() -> &'static [Epoch] {
    &SEQUENCES
}

pub(crate) fn repdigit_next_after(t: Epoch) -> Option<Epoch> {
    next_in(repdigits(), t)
}

pub(crate) fn repdigit_prev_at_or_before(t: Epoch) -> Option<Epoch> {
    prev_in(repdigits(), t)
}

pub(crate) fn sequence_next_after(t: Epoch) -> Option<Epoch> {
    next_in(sequences(), t)
}

pub(crate) fn sequence_prev_at_or_before(t: Epoch) -> Option<Epoch> {
    prev_in(sequences(), t)
}

/// The exponent k of a power of two 2^k (k >= 1), else None.
pub(crate) fn pow2_exponent(v: Epoch) -> Option<u32> {
    (v >= 2 && v.count_ones() == 1).then(|| v.trailing_zeros())
}

pub(crate) fn pow2_next_after(t: Epoch) -> Option<Epoch> {
    if t < 2 {
        return Some(2);
    }
    // t >= 2: the next power of two above t has one more bit than t has.
    let bits = Epoch::BITS - t.leading_zeros();
    1i64.checked_shl(bits).filter(|&v| v > 0)
}

pub(crate) fn pow2_prev_at_or_before(t: Epoch) -> Option<Epoch> {
    if t < 2 {
        return None;
    }
    let bits = Epoch::BITS - t.leading_zeros();
    Some(1i64 << (bits - 1))
}

/// Number of decimal digits of `n` (n >= 1).
fn digit_count(n: u64) -> usize {
    POW10.iter().position(|&p| p > n).unwrap_or(POW10.len())
}

/// The `len`-digit palindrome whose first `len - len/2` digits are `high`.
fn mirror(high: u64, len: usize) -> u64 {
    let low_len = len / 2;
    // For odd lengths the middle digit is not repeated.
    let mut rest = high / POW10[len % 2];
    let mut low = 0;
    for _ in 0..low_len {
        low = low * 10 + rest % 10;
        rest /= 10;
    }
    high * POW10[low_len] + low
}

/// The smallest palindrome >= n, for 11 <= n <= i64::MAX + 1 (the result may exceed i64::MAX).
fn palindrome_at_or_after(n: u64) -> u64 {
    let len = digit_count(n);
    let low_len = len / 2;
    let high = n / POW10[low_len];
    let candidate = mirror(high, len);
    if candidate >= n {
        return candidate;
    }
    let high = high + 1;
    if high == POW10[len - low_len] {
        // The left half was all nines: the next palindrome has one digit more.
        return POW10[len] + 1;
    }
    mirror(high, len)
}

/// The largest palindrome <= n with at least two digits, for n >= 1.
fn palindrome_at_or_before(n: u64) -> Option<u64> {
    if n < 11 {
        return None;
    }
    let len = digit_count(n);
    let low_len = len / 2;
    let high = n / POW10[low_len];
    let candidate = mirror(high, len);
    if candidate <= n {
        return Some(candidate);
    }
    let high = high - 1;
    if high < POW10[len - low_len - 1] {
        // The left half was 10…0: the previous palindrome is 9…9, one digit shorter
        // (len >= 3 here, since every two-digit n >= 11 is at or after its own 11·d).
        return Some(POW10[len - 1] - 1);
    }
    Some(mirror(high, len))
}

pub(crate) fn is_palindrome(v: Epoch) -> bool {
    v >= 11 && palindrome_at_or_before(v.unsigned_abs()) == Some(v.unsigned_abs())
}

pub(crate) fn palindrome_next_after(t: Epoch) -> Option<Epoch> {
    if t < 11 {
        return Some(11);
    }
    // t >= 11, so t + 1 <= i64::MAX + 1 fits a u64 and has at most 19 digits.
    let found = palindrome_at_or_after(t.unsigned_abs() + 1);
    if found > MAX {
        None
    } else {
        Epoch::try_from(found).ok()
    }
}

pub(crate) fn palindrome_prev_at_or_before(t: Epoch) -> Option<Epoch> {
    if t < 11 {
        return None;
    }
    palindrome_at_or_before(t.unsigned_abs()).and_then(|v| Epoch::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repdigit_list() {
        let list = repdigits();
        assert_eq!(&list[..3], &[11, 22, 33]);
        assert_eq!(list.last(), Some(&8_888_888_888_888_888_888));
        assert_eq!(list.len(), 18 * 9 - 1); // 9…9 (19 digits) overflows
        assert_eq!(repdigit_next_after(1_234_567_890), Some(2_222_222_222));
        assert_eq!(repdigit_next_after(i64::MAX), None);
        assert_eq!(repdigit_prev_at_or_before(10), None);
        assert_eq!(repdigit_prev_at_or_before(11), Some(11));
    }

    /// The tables as they were built at run time, by filtering and sorting.
    fn built(steps: &[i64]) -> Vec<Epoch> {
        let mut list: Vec<Epoch> = (2..=19)
            .flat_map(|len| (1..=9).flat_map(move |d| steps.iter().map(move |&s| (len, d, s))))
            .filter_map(|(len, d, s)| {
                (0..len).try_fold(0i64, |acc, i| {
                    acc.checked_mul(10)?.checked_add((d + s * i) % 10)
                })
            })
            .collect();
        list.sort_unstable();
        list.dedup();
        list
    }

    #[test]
    fn compile_time_tables_match_the_built_ones() {
        assert_eq!(repdigits(), built(&[0]).as_slice());
        assert_eq!(sequences(), built(&[1, 9]).as_slice());
    }

    #[test]
    fn sequence_list() {
        let list = sequences();
        assert_eq!(&list[..4], &[10, 12, 21, 23]);
        assert!(list.binary_search(&1_234_567_890).is_ok());
        assert!(list.binary_search(&9_876_543_210).is_ok());
        assert!(list.binary_search(&890).is_ok());
        assert!(list.binary_search(&109).is_ok());
        assert!(list.binary_search(&3210).is_ok());
        assert!(list.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn pow2() {
        assert_eq!(pow2_next_after(i64::MIN), Some(2));
        assert_eq!(pow2_next_after(1), Some(2));
        assert_eq!(pow2_next_after(2), Some(4));
        assert_eq!(pow2_next_after(2_147_483_647), Some(2_147_483_648));
        assert_eq!(pow2_next_after(1 << 62), None);
        assert_eq!(pow2_next_after((1 << 62) - 1), Some(1 << 62));
        assert_eq!(pow2_next_after(i64::MAX), None);
        assert_eq!(pow2_prev_at_or_before(i64::MAX), Some(1 << 62));
        assert_eq!(pow2_prev_at_or_before(1), None);
        assert_eq!(pow2_prev_at_or_before(3), Some(2));
        assert_eq!(pow2_exponent(2_147_483_648), Some(31));
        assert_eq!(pow2_exponent(1), None);
    }

    #[test]
    fn palindromes() {
        assert_eq!(palindrome_next_after(1_795_568_278), Some(1_795_665_971));
        assert_eq!(palindrome_next_after(-5), Some(11));
        assert_eq!(palindrome_next_after(11), Some(22));
        assert_eq!(palindrome_next_after(99), Some(101));
        assert_eq!(palindrome_next_after(999), Some(1001));
        assert_eq!(palindrome_next_after(1991), Some(2002));
        assert_eq!(palindrome_next_after(12921), Some(13031));
        assert_eq!(palindrome_next_after(i64::MAX), None);
        assert_eq!(palindrome_next_after(9_223_372_036_302_733_229), None);
        assert_eq!(
            palindrome_next_after(9_223_372_036_302_733_228),
            Some(9_223_372_036_302_733_229)
        );
        assert_eq!(
            palindrome_prev_at_or_before(i64::MAX),
            Some(9_223_372_036_302_733_229)
        );
        assert_eq!(palindrome_prev_at_or_before(100), Some(99));
        assert_eq!(palindrome_prev_at_or_before(1000), Some(999));
        assert_eq!(
            palindrome_prev_at_or_before(10_000_000_000),
            Some(9_999_999_999)
        );
        assert_eq!(palindrome_prev_at_or_before(10), None);
        assert_eq!(palindrome_prev_at_or_before(11), Some(11));
        assert_eq!(palindrome_prev_at_or_before(21), Some(11));
        assert_eq!(
            palindrome_prev_at_or_before(1_795_665_970),
            Some(1_795_555_971)
        );
        assert!(is_palindrome(1_795_665_971));
        assert!(!is_palindrome(1_795_665_972));
        assert!(!is_palindrome(7));
    }
}
