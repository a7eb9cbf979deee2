use super::lang::{self, Lang};

/// A value that failed to parse, or a rule that a request would break.
/// Each carries enough to explain itself to the user in their language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: Reason },
    #[error("not allowed for role {0}")]
    NotAllowed(&'static str),
}

/// Why a field was rejected; `message` renders it for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Empty,
    TooLong(usize),
    BadCharacters,
    IdLength,
    IdFormat,
    IdBirthDate,
    IdCheckDigit(char),
    PhoneFormat,
    UnknownRole,
    UnknownLevel,
    UnknownResidence,
    PasswordTooShort,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl Reason {
    pub fn message(&self, lang: Lang) -> String {
        use Reason::*;
        let zh = lang == Lang::Zh;
        match *self {
            Empty => if zh { "不能为空".into() } else { "must not be empty".into() },
            TooLong(n) => if zh { format!("不能超过 {n} 个字符") } else { format!("must be at most {n} characters") },
            BadCharacters => if zh { "含有不允许的字符".into() } else { "contains characters that are not allowed".into() },
            IdLength => if zh { "身份证号应为 18 位".into() } else { "an ID number has 18 characters".into() },
            IdFormat => if zh { "身份证号前 17 位应为数字，末位为数字或 X".into() } else { "an ID number is 17 digits and a final digit or X".into() },
            IdBirthDate => if zh { "身份证号中的出生日期无效".into() } else { "the birth date inside the ID number is not a real date".into() },
            IdCheckDigit(c) => if zh { format!("身份证号校验位错误（应为 {c}）") } else { format!("the ID number's check digit is wrong (expected {c})") },
            PhoneFormat => if zh { "应为 11 位手机号或带区号的固定电话".into() } else { "must be an 11-digit mobile number or a landline with area code".into() },
            UnknownRole => if zh { "角色应为 admin、hq、grid_leader、grid_member、checkpoint 或 inspector".into() } else { "role must be admin, hq, grid_leader, grid_member, checkpoint or inspector".into() },
            UnknownLevel => if zh { "未知的层级".into() } else { "unknown level".into() },
            UnknownResidence => if zh { "居住类型应为 常住 或 租住".into() } else { "residence must be permanent (常住) or renter (租住)".into() },
            PasswordTooShort => if zh { "密码至少 8 位".into() } else { "a password has at least 8 characters".into() },
        }
    }
}

impl DomainError {
    pub fn invalid(field: &'static str, reason: Reason) -> Self {
        DomainError::Invalid { field, reason }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            DomainError::Invalid { field, reason } => {
                format!("{}: {}", lang::field_name(field, lang), reason.message(lang))
            }
            DomainError::NotAllowed(what) => match lang {
                Lang::Zh => format!("无权执行此操作（{what}）"),
                Lang::En => format!("not allowed ({what})"),
            },
        }
    }
}


/// Checks a free-text field: trimmed, non-empty, bounded, no control characters.
pub fn text(field: &'static str, raw: &str, max_chars: usize) -> Result<String, DomainError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(DomainError::invalid(field, Reason::Empty));
    }
    optional_text(field, value, max_chars).map(|v| v.unwrap_or_default())
}

/// Like `text`, but an empty value is `None`.
pub fn optional_text(field: &'static str, raw: &str, max_chars: usize) -> Result<Option<String>, DomainError> {
    let value = check_optional_text(field, raw, max_chars)?;
    Ok((!value.is_empty()).then(|| value.to_string()))
}

/// Checks an optional text and returns it trimmed, without copying it.
pub fn check_optional_text<'a>(field: &'static str, raw: &'a str, max_chars: usize) -> Result<&'a str, DomainError> {
    let value = raw.trim();
    if value.len() > max_chars && value.chars().count() > max_chars {
        return Err(DomainError::invalid(field, Reason::TooLong(max_chars)));
    }
    if value.chars().any(char::is_control) {
        return Err(DomainError::invalid(field, Reason::BadCharacters));
    }
    Ok(value)
}
