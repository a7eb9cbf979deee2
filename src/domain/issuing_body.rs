//! The body that issues a unit's printouts (出具单位): the name, phone number and seal text a
//! unit's HQ sets once, and which every printout of the unit and of the units below it carries.

use serde::Serialize;

use super::error::{DomainError, Problems, Reason};
use super::text;

/// The longest name of an issuing body (乌龙镇疫情防控指挥部 is 10).
pub const MAX_NAME_CHARS: usize = 50;
/// The longest phone number as typed, with its dashes and spaces.
pub const MAX_PHONE_CHARS: usize = 20;
/// The longest seal text: a seal holds a body's name and a word or two.
pub const MAX_SEAL_CHARS: usize = 40;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct IssuingBody {
    /// As printed under a notice: 乌龙镇疫情防控指挥部.
    pub name: String,
    /// An office's or a hotline's number: digits, with dashes and spaces as people write them.
    pub phone: String,
    /// The words of the seal (empty: the printouts show no seal).
    pub seal: String,
}

impl IssuingBody {
    /// Every problem of the three at once, each naming its field.
    pub fn parse(name: &str, phone: &str, seal: &str) -> Result<IssuingBody, DomainError> {
        let mut problems = Problems::default();
        let name = problems.check(text::label("issuer_name", name, MAX_NAME_CHARS));
        let phone = problems.check(office_phone(phone));
        let seal = problems.check(text::optional_label("seal_text", seal, MAX_SEAL_CHARS));
        problems.finish()?;
        Ok(IssuingBody { name: name.unwrap_or_default(), phone: phone.unwrap_or_default(), seal: seal.flatten().unwrap_or_default() })
    }
}

/// An office number is not checked as a person's would be (`Phone`): a hotline is 12345, an
/// extension follows a dash. Digits with dashes and spaces between, at least three digits.
fn office_phone(raw: &str) -> Result<String, DomainError> {
    let field = "issuer_phone";
    let phone = raw.trim();
    if phone.is_empty() {
        return Err(DomainError::invalid(field, Reason::Empty));
    }
    if phone.chars().count() > MAX_PHONE_CHARS {
        return Err(DomainError::invalid(field, Reason::TooLong(MAX_PHONE_CHARS)));
    }
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !phone.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ') || digits < 3 {
        return Err(DomainError::invalid(field, Reason::BadCharacters));
    }
    Ok(phone.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_a_body_as_people_write_it() {
        let body = IssuingBody::parse(" 乌龙镇疫情防控指挥部 ", "0475-1234567", "").unwrap();
        assert_eq!(body.name, "乌龙镇疫情防控指挥部");
        assert_eq!(body.phone, "0475-1234567");
        assert_eq!(body.seal, "");
        assert_eq!(IssuingBody::parse("指挥部", "12345", "乌龙镇人民政府").unwrap().phone, "12345");
    }

    #[test]
    fn says_every_problem_at_once() {
        let err = IssuingBody::parse("", "电话", &"章".repeat(41)).unwrap_err();
        let fields: Vec<_> = err
            .each()
            .iter()
            .map(|e| match e {
                DomainError::Invalid { field, .. } => *field,
                _ => "",
            })
            .collect();
        assert_eq!(fields, ["issuer_name", "issuer_phone", "seal_text"]);
        assert!(IssuingBody::parse("a", "12", "").is_err(), "too few digits");
        assert!(IssuingBody::parse("a", &"1".repeat(21), "").is_err(), "too long");
        assert!(IssuingBody::parse("a<b>", "123", "").is_err(), "markup");
    }
}
