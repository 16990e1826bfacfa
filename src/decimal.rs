//! Decimal numbers written without `core::fmt`. The live display writes a
//! few numbers every second, after a second of sleep that leaves the
//! formatting machinery's code cold in the caches: pushing the digits
//! directly costs a fraction of `write!`.

/// The digits of `n`, zero-padded to at least `width` (at most 20), as the
/// tail of a buffer: `(buffer, start)`.
fn digits(mut n: u64, width: usize) -> ([u8; 20], usize) {
    let mut buffer = [b'0'; 20];
    let mut start = buffer.len();
    while n > 0 {
        start -= 1;
        buffer[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    (buffer, start.min(buffer.len().saturating_sub(width.max(1))))
}

/// Append `n`, zero-padded to at least `width` digits.
pub fn push_padded(out: &mut String, n: impl Into<u64>, width: usize) {
    let n = n.into();
    if n < 10 && width <= 1 {
        out.push(char::from(b'0' + n as u8));
        return;
    }
    let (buffer, start) = digits(n, width);
    // Only ASCII digits are ever in the buffer.
    out.push_str(std::str::from_utf8(&buffer[start..]).unwrap_or_default());
}

/// `push_padded` for a byte buffer.
pub fn push_padded_bytes(out: &mut Vec<u8>, n: impl Into<u64>, width: usize) {
    let (buffer, start) = digits(n.into(), width);
    out.extend_from_slice(&buffer[start..]);
}

/// `n` as `to_string` writes it.
pub fn to_string(n: i64) -> String {
    let mut out = String::with_capacity(20);
    push_signed(&mut out, n);
    out
}

/// Append `n` as `to_string` writes it.
pub fn push_signed(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_padded(out, n.unsigned_abs(), 1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pads_to_width() {
        let mut out = String::new();
        push_padded(&mut out, 0u32, 2);
        push_padded(&mut out, 7u32, 1);
        push_padded(&mut out, 2027u32, 4);
        push_padded(&mut out, 12_345u32, 2);
        push_padded(&mut out, 0u32, 0);
        assert_eq!(out, "0072027123450");
        let mut bytes = Vec::new();
        push_padded_bytes(&mut bytes, u64::MAX, 1);
        assert_eq!(bytes, u64::MAX.to_string().as_bytes());
    }

    proptest! {
        #[test]
        fn matches_fmt(n in any::<i64>(), width in 0usize..24) {
            prop_assert_eq!(to_string(n), n.to_string());
            let mut out = String::new();
            push_padded(&mut out, n.unsigned_abs(), width);
            prop_assert_eq!(out, format!("{:0width$}", n.unsigned_abs(), width = width.clamp(1, 20)));
        }
    }
}
