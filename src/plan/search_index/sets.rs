//! Sets of document numbers as short strings that need no escaping in
//! JSON or in a script; `decode()` in templates/assets/search.js reads them.

/// 64 characters that need no escaping in JSON or in a script.
pub(super) const DIGITS: &[u8; 64] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
/// Starts a bitmap; a list of gaps starts with a digit.
pub(super) const BITMAP: char = '~';

/// A sorted set of document numbers as a string, whichever is shorter of:
/// the gaps between numbers (the first counted from -1), less one, each in
/// base 32, most significant digit first, with 32 added to every digit but
/// the last; or `~` and a bitmap, six documents a digit, the lowest bit first.
pub fn encode_set(numbers: &[u32]) -> String {
    let Some(&last) = numbers.last() else {
        return String::new();
    };
    let mut gaps = String::new();
    let mut previous: i64 = -1;
    let mut digits = Vec::new();
    for &n in numbers {
        let mut gap = (i64::from(n) - previous - 1) as u64;
        previous = i64::from(n);
        digits.clear();
        digits.push(DIGITS[(gap & 31) as usize]);
        gap >>= 5;
        while gap > 0 {
            digits.push(DIGITS[(32 + (gap & 31)) as usize]);
            gap >>= 5;
        }
        gaps.extend(digits.iter().rev().map(|&d| d as char));
    }
    let bitmap_length = 1 + last as usize / 6 + 1;
    if gaps.len() <= bitmap_length {
        return gaps;
    }
    let mut bits = vec![0u8; bitmap_length - 1];
    for &n in numbers {
        bits[n as usize / 6] |= 1 << (n % 6);
    }
    std::iter::once(BITMAP)
        .chain(bits.into_iter().map(|b| DIGITS[b as usize] as char))
        .collect()
}

/// The value of a digit of [`DIGITS`].
fn digit_value(c: u8) -> u32 {
    u32::from(match c {
        b'0'..=b'9' => c - b'0',
        b'A'..=b'Z' => c - b'A' + 10,
        b'a'..=b'z' => c - b'a' + 36,
        b'-' => 62,
        _ => 63,
    })
}

/// The numbers of an [`encode_set`] string.
pub fn decode_set(code: &str) -> Vec<u32> {
    let value = digit_value;
    let mut numbers = Vec::new();
    if let Some(bitmap) = code.strip_prefix(BITMAP) {
        for (i, c) in bitmap.bytes().enumerate() {
            let bits = value(c);
            numbers.extend(
                (0..6)
                    .filter(|b| bits & (1 << b) != 0)
                    .map(|b| i as u32 * 6 + b),
            );
        }
        return numbers;
    }
    let mut next: i64 = -1;
    let mut gap: i64 = 0;
    for c in code.bytes() {
        let digit = value(c);
        gap = gap * 32 + i64::from(digit & 31);
        if digit < 32 {
            next += gap + 1;
            numbers.push(next as u32);
            gap = 0;
        }
    }
    numbers
}
