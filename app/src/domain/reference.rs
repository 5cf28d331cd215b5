//! Claim reference numbers and access codes: short, readable aloud over the phone, and
//! free of look-alike characters (no 0/O, 1/I/L).

/// 31 symbols: digits 2–9 and letters without I, L and O.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// `random` should hold values below 31 (the server draws them uniformly); larger values wrap.
fn symbols(random: &[u8], n: usize) -> String {
    random
        .iter()
        .take(n)
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect()
}

/// `S41-2569-7KQ4M2`: the Buddhist-era year of filing and six random symbols.
pub fn format_reference(be_year: i32, random: &[u8; 6]) -> String {
    format!("S41-{be_year}-{}", symbols(random, 6))
}

/// `7KQ4-M2XD`: eight random symbols, shown once to the filer.
pub fn format_access_code(random: &[u8; 8]) -> String {
    let s = symbols(random, 8);
    format!("{}-{}", &s[..4], &s[4..])
}

/// Normalises what a person typed: case, spaces and a missing dash do not matter.
pub fn normalise_reference(input: &str) -> String {
    input.trim().to_ascii_uppercase().replace(' ', "")
}

pub fn normalise_access_code(input: &str) -> String {
    let s: String = input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if s.len() == 8 {
        format!("{}-{}", &s[..4], &s[4..])
    } else {
        s
    }
}

/// A plausibly formed reference (the database is the judge of whether it exists).
pub fn looks_like_reference(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3
        && parts[0] == "S41"
        && parts[1].len() == 4
        && parts[1].bytes().all(|b| b.is_ascii_digit())
        && parts[2].len() == 6
        && parts[2].bytes().all(|b| ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_normalises() {
        let r = format_reference(2569, &[0, 1, 2, 3, 30, 31]);
        assert_eq!(r, "S41-2569-2345Z2");
        assert!(looks_like_reference(&r));
        assert_eq!(normalise_reference(" s41-2569-2345z2 "), r);
        let c = format_access_code(&[0, 1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(c, "2345-6789");
        assert_eq!(normalise_access_code("23456789"), c);
        assert_eq!(normalise_access_code("2345 6789"), c);
        assert!(!looks_like_reference("S41-2569-23456O"));
    }
}
