//! The 13-digit Thai national identification number with its mod-11 check digit.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NationalId(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NationalIdError {
    /// Not exactly 13 digits (spaces and dashes are ignored).
    Format,
    /// 13 digits whose last digit does not match the checksum.
    Checksum,
}

impl NationalId {
    /// Accepts the digits with or without the usual `x-xxxx-xxxxx-xx-x` separators.
    pub fn parse(input: &str) -> Result<Self, NationalIdError> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.len() != 13 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NationalIdError::Format);
        }
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        if check_digit(&d[..12]) != d[12] {
            return Err(NationalIdError::Checksum);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Shown outside the screens that need the full number: only the last four digits.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Masks any stored ID string, keeping the last four digits.
pub fn mask(digits: &str) -> String {
    let n = digits.chars().count();
    let keep: String = digits.chars().skip(n.saturating_sub(4)).collect();
    format!("{}{}", "•".repeat(n.saturating_sub(4)), keep)
}

/// The check digit for the first twelve digits: (11 − Σ dᵢ·(13−i) mod 11) mod 10.
pub fn check_digit(first12: &[u32]) -> u32 {
    let sum: u32 = first12
        .iter()
        .enumerate()
        .map(|(i, d)| d * (13 - i as u32))
        .sum();
    (11 - sum % 11) % 10
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_valid_number() {
        // Check digit worked by hand: Σ dᵢ·(13−i) over 110170023070 = 146; (11 − 146 mod 11) mod 10 = 8.
        assert!(NationalId::parse("1101700230708").is_ok());
        assert!(NationalId::parse("1-1017-00230-70-8").is_ok());
        assert_eq!(
            NationalId::parse("1101700230705"),
            Err(NationalIdError::Checksum)
        );
        assert_eq!(
            NationalId::parse("110170023070"),
            Err(NationalIdError::Format)
        );
        assert_eq!(
            NationalId::parse("11017002307a5"),
            Err(NationalIdError::Format)
        );
    }

    #[test]
    fn masking_keeps_last_four() {
        assert_eq!(mask("1101700230708"), "•••••••••0708");
    }

    proptest! {
        #[test]
        fn every_twelve_digits_have_exactly_one_valid_check_digit(first in proptest::collection::vec(0u32..10, 12)) {
            let prefix: String = first.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            let valid: Vec<u32> = (0..10).filter(|c| NationalId::parse(&format!("{prefix}{c}")).is_ok()).collect();
            prop_assert_eq!(valid.len(), 1);
            prop_assert_eq!(valid[0], check_digit(&first));
        }
    }
}
