//! Resident identity numbers (居民身份证号码) as GB 11643-1999 defines them:
//! six digits of region, eight of birth date, three of sequence (odd for men),
//! and a check digit over the seventeen before it (ISO 7064 MOD 11-2).

use chrono::NaiveDate;
use serde::Serialize;

use super::error::{DomainError, Reason};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct IdNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub const ALL: [Sex; 2] = [Sex::Male, Sex::Female];

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

super::words::stored_words!(Sex);

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check digit for the first seventeen digits of an ID number.
pub fn check_digit(first17: &str) -> char {
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    CHECK_CHARS[(sum % 11) as usize]
}

impl IdNumber {
    pub fn parse(raw: &str) -> Result<IdNumber, DomainError> {
        let invalid = |reason| DomainError::invalid("id_number", reason);
        // Full-width digits and Ｘ (a Chinese input method's) are the same number.
        let value: String = raw
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                'Ｘ' | 'ｘ' => 'X',
                c => c.to_ascii_uppercase(),
            })
            .collect();
        if value.is_empty() {
            return Err(invalid(Reason::Empty));
        }
        if value.chars().count() != 18 {
            return Err(invalid(Reason::IdLength));
        }
        if !value.is_ascii() {
            return Err(invalid(Reason::IdFormat));
        }
        let (body, last) = value.split_at(17);
        if !body.bytes().all(|b| b.is_ascii_digit()) || !matches!(last.as_bytes()[0], b'0'..=b'9' | b'X') {
            return Err(invalid(Reason::IdFormat));
        }
        if birth_date_of(&value).is_none() {
            return Err(invalid(Reason::IdBirthDate));
        }
        let expected = check_digit(body);
        if !last.starts_with(expected) {
            return Err(invalid(Reason::IdCheckDigit(expected)));
        }
        Ok(IdNumber(value))
    }

    /// Builds a valid number from region, birth date and sequence (used to make demo data).
    pub fn compose(region: &str, birth: NaiveDate, sequence: u16) -> Result<IdNumber, DomainError> {
        let first17 = format!("{region:0>6.6}{}{:03}", birth.format("%Y%m%d"), sequence % 1000);
        let check = check_digit(&first17);
        IdNumber::parse(&format!("{first17}{check}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as an integer (a final X counts as 10): equal numbers, equal values.
    pub fn value(&self) -> u64 {
        self.0.bytes().fold(0, |v, b| v * 11 + if b == b'X' { 10 } else { u64::from(b - b'0') })
    }

    pub fn birth_date(&self) -> NaiveDate {
        birth_date_of(&self.0).expect("checked when parsed")
    }

    pub fn sex(&self) -> Sex {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 { Sex::Male } else { Sex::Female }
    }

    /// `150502********1234`: region kept, birth date and sequence hidden.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Masks a stored ID number for lists without re-validating it.
pub fn mask(id_number: &str) -> String {
    let chars: Vec<char> = id_number.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

fn birth_date_of(value: &str) -> Option<NaiveDate> {
    let digits = value.get(6..14)?;
    let year = digits[0..4].parse().ok()?;
    let month = digits[4..6].parse().ok()?;
    let day = digits[6..8].parse().ok()?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    (year >= 1880).then_some(date)
}

#[cfg(test)]
mod tests {

    #[test]
    fn characters_of_any_width_are_checked_not_split() {
        assert!(IdNumber::parse(&"中".repeat(18)).is_err(), "eighteen wide characters are no ID number (and no panic)");
        assert!(IdNumber::parse("15050219600101001中").is_err());
        let narrow = IdNumber::compose("150502", chrono::NaiveDate::from_ymd_opt(1960, 1, 1).unwrap(), 1).unwrap();
        let wide: String =
            narrow.as_str().chars().map(|c| if c == 'X' { 'Ｘ' } else { char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap() }).collect();
        assert_eq!(IdNumber::parse(&wide).unwrap(), narrow, "full-width digits are the same number");
    }
    use super::*;

    #[test]
    fn accepts_a_number_whose_check_digit_is_right() {
        // The standard's own worked example.
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(IdNumber::parse(" 11010519491231002x ").unwrap(), id);
    }

    #[test]
    fn rejects_a_wrong_check_digit_and_names_the_right_one() {
        let err = IdNumber::parse("110105194912310021").unwrap_err();
        assert_eq!(err, DomainError::invalid("id_number", Reason::IdCheckDigit('X')));
    }

    #[test]
    fn rejects_impossible_dates_lengths_and_letters() {
        for (raw, reason) in [
            ("", Reason::Empty),
            ("1101051949123100", Reason::IdLength),
            ("11010519491231002XX", Reason::IdLength),
            ("1101051949123100AX", Reason::IdFormat),
            ("110105194902300021", Reason::IdBirthDate),
        ] {
            assert_eq!(IdNumber::parse(raw).unwrap_err(), DomainError::invalid("id_number", reason), "{raw}");
        }
    }

    #[test]
    fn composed_numbers_are_valid_and_carry_sex_in_the_sequence() {
        let birth = NaiveDate::from_ymd_opt(1985, 2, 28).unwrap();
        let man = IdNumber::compose("150502", birth, 17).unwrap();
        assert_eq!(man.sex(), Sex::Male);
        assert_eq!(man.birth_date(), birth);
        assert_eq!(IdNumber::compose("150502", birth, 18).unwrap().sex(), Sex::Female);
    }

    #[test]
    fn masking_keeps_region_and_last_four() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(id.masked(), "110105********002X");
    }
}
