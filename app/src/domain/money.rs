//! Amounts as Thai letters write them: with thousands separators, and in Thai words
//! (บาทถ้วน), as official letters and cheques give an amount in baht.

/// `n` with commas every three digits: 1234567 → "1,234,567".
pub fn with_separators(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

const DIGITS: [&str; 10] = ["", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า"];
const PLACES: [&str; 6] = ["", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน"];

/// Under a million, in words ("" for 0). `after` says whether higher digits precede, so a
/// final 1 is read เอ็ด ("ten-one" is สิบเอ็ด, "a million and one" ล้านเอ็ด).
fn below_million(n: u64, after: bool) -> String {
    let digits: Vec<u64> = n.to_string().chars().map(|c| u64::from(c.to_digit(10).unwrap_or(0))).collect();
    let len = digits.len();
    let mut out = String::new();
    for (i, &d) in digits.iter().enumerate() {
        let place = len - 1 - i;
        if d == 0 {
            continue;
        }
        match (place, d) {
            (1, 1) => out.push_str("สิบ"),
            (1, 2) => out.push_str("ยี่สิบ"),
            (0, 1) if after || len > 1 => out.push_str("เอ็ด"),
            _ => {
                out.push_str(DIGITS[d as usize]);
                out.push_str(PLACES[place]);
            }
        }
    }
    out
}

/// Whole baht in Thai words: 50000 → "ห้าหมื่นบาทถ้วน"; 1 → "หนึ่งบาทถ้วน";
/// 2_100_021 → "สองล้านหนึ่งแสนยี่สิบเอ็ดบาทถ้วน".
pub fn baht_in_thai_words(n: u64) -> String {
    if n == 0 {
        return "ศูนย์บาทถ้วน".into();
    }
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push(rest % 1_000_000);
        rest /= 1_000_000;
    }
    let mut out = String::new();
    for (i, g) in groups.iter().enumerate().rev() {
        let higher = i + 1 < groups.len();
        out.push_str(&below_million(*g, higher && *g < 10));
        if i > 0 {
            out.push_str("ล้าน");
        }
    }
    out + "บาทถ้วน"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_thai_letters_write_them() {
        assert_eq!(with_separators(240_000), "240,000");
        assert_eq!(with_separators(999), "999");
        assert_eq!(baht_in_thai_words(1), "หนึ่งบาทถ้วน");
        assert_eq!(baht_in_thai_words(11), "สิบเอ็ดบาทถ้วน");
        assert_eq!(baht_in_thai_words(21), "ยี่สิบเอ็ดบาทถ้วน");
        assert_eq!(baht_in_thai_words(101), "หนึ่งร้อยเอ็ดบาทถ้วน");
        assert_eq!(baht_in_thai_words(50_000), "ห้าหมื่นบาทถ้วน");
        assert_eq!(baht_in_thai_words(240_000), "สองแสนสี่หมื่นบาทถ้วน");
        assert_eq!(baht_in_thai_words(400_000), "สี่แสนบาทถ้วน");
        assert_eq!(baht_in_thai_words(1_000_000), "หนึ่งล้านบาทถ้วน");
        assert_eq!(baht_in_thai_words(1_000_001), "หนึ่งล้านเอ็ดบาทถ้วน");
        assert_eq!(baht_in_thai_words(2_100_021), "สองล้านหนึ่งแสนยี่สิบเอ็ดบาทถ้วน");
        assert_eq!(baht_in_thai_words(12_345), "หนึ่งหมื่นสองพันสามร้อยสี่สิบห้าบาทถ้วน");
    }
}
