//! Phone numbers: an 11-digit mainland mobile number, or a landline with its area code.

use serde::Serialize;

use super::error::{DomainError, Reason};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Accepts spaces and hyphens as people write them; stores mobiles as 11 digits
    /// and landlines as `AREA-NUMBER`.
    pub fn parse(raw: &str) -> Result<Phone, DomainError> {
        let invalid = |reason| DomainError::invalid("phone", reason);
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(invalid(Reason::Empty));
        }
        let trimmed = trimmed.strip_prefix("+86").unwrap_or(trimmed);
        let digits: String = trimmed.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(Reason::PhoneFormat));
        }
        let bytes = digits.as_bytes();
        if bytes.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1]) {
            return Ok(Phone(digits));
        }
        if bytes.first() == Some(&b'0') {
            // Area codes are three digits for 010 and 02x, four elsewhere (0475 is Tongliao).
            let area_len = if matches!(bytes.get(1), Some(b'1' | b'2')) { 3 } else { 4 };
            let local = bytes.len().saturating_sub(area_len);
            if bytes.len() > area_len && (7..=8).contains(&local) && bytes[area_len] != b'0' {
                return Ok(Phone(format!("{}-{}", &digits[..area_len], &digits[area_len..])));
            }
        }
        Err(invalid(Reason::PhoneFormat))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// `138****5678` for mobiles, `0475-****2345` for landlines.
pub fn mask(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if let Some(dash) = phone.find('-') {
        let local = phone[dash + 1..].chars().count();
        let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
        return format!("{}-{}{tail}", &phone[..dash], "*".repeat(local.saturating_sub(4)));
    }
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_and_landlines_are_normalised() {
        assert_eq!(Phone::parse("138 1234 5678").unwrap().as_str(), "13812345678");
        assert_eq!(Phone::parse("+86 13812345678").unwrap().as_str(), "13812345678");
        assert_eq!(Phone::parse("0475-8212345").unwrap().as_str(), "0475-8212345");
        assert_eq!(Phone::parse("01062345678").unwrap().as_str(), "010-62345678");
    }

    #[test]
    fn other_numbers_are_rejected() {
        for raw in ["12812345678", "1381234567", "abc", "0475-123", "0475-01234567", "138123456789"] {
            assert_eq!(Phone::parse(raw).unwrap_err(), DomainError::invalid("phone", Reason::PhoneFormat), "{raw}");
        }
    }

    #[test]
    fn masks_hide_the_middle() {
        assert_eq!(Phone::parse("13812345678").unwrap().masked(), "138****5678");
        assert_eq!(Phone::parse("0475-8212345").unwrap().masked(), "0475-***2345");
    }
}
