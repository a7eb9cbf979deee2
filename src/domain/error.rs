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
    /// Shorter than the least length it names.
    PasswordTooShort(usize),
    /// Letters only, digits only, or other signs only.
    PasswordOneKind,
    /// One of the passwords people choose first.
    PasswordCommon,
    /// One of a fixed list of words, given in English as the API spells them.
    OneOf(&'static str),
    TemperatureRange,
    PlateFormat,
    DateFormat,
    TimeFormat,
    DateOrder,
    Coordinates,
    TooMany(usize),
    InFuture,
    /// An ID number registered in a place the caller does not hold.
    HeldElsewhere,
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
            PasswordTooShort(n) => if zh { format!("密码至少 {n} 位") } else { format!("a password has at least {n} characters") },
            PasswordOneKind => if zh { "密码须混合至少两类字符（字母、数字、其他符号），不能只用一类".into() } else { "a password mixes at least two kinds of characters (letters, digits, other signs), not only one".into() },
            PasswordCommon => if zh { "这是常见密码，很容易被猜中，请换一个".into() } else { "this is one of the most common passwords, easily guessed; choose another".into() },
            OneOf(words) => if zh { format!("应为以下之一：{words}") } else { format!("must be one of: {words}") },
            TemperatureRange => if zh { "体温应在 34.0 到 43.0 ℃ 之间".into() } else { "a body temperature lies between 34.0 and 43.0 °C".into() },
            PlateFormat => if zh { "车牌号格式不对（例：蒙G12345）".into() } else { "not a vehicle plate (e.g. 蒙G12345)".into() },
            DateFormat => if zh { "日期格式应为 YYYY-MM-DD".into() } else { "a date is written YYYY-MM-DD".into() },
            TimeFormat => if zh { "时间格式应为 YYYY-MM-DDTHH:MM（北京时间）或带时区".into() } else { "a time is written YYYY-MM-DDTHH:MM (Beijing time) or with a zone".into() },
            DateOrder => if zh { "结束不能早于开始".into() } else { "the end cannot come before the start".into() },
            Coordinates => if zh { "经纬度无效".into() } else { "not a valid latitude/longitude".into() },
            TooMany(n) => if zh { format!("最多 {n} 项") } else { format!("at most {n} items") },
            InFuture => if zh { "时间不能晚于现在".into() } else { "cannot be in the future".into() },
            HeldElsewhere => if zh {
                "无法在此登记：须由同时管辖两处的上级指挥部处理，已通知其处置".into()
            } else {
                "cannot be registered here: the HQ over both places must settle it, and has been told".into()
            },
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

/// A free text a member of the public typed: like `optional_text`, and no markup either, so
/// that nothing that looks like HTML is ever stored from a public form.
pub fn public_text(field: &'static str, raw: &str, max_chars: usize) -> Result<Option<String>, DomainError> {
    let value = optional_text(field, raw, max_chars)?;
    if value.as_deref().is_some_and(|v| v.contains(['<', '>'])) {
        return Err(DomainError::invalid(field, Reason::BadCharacters));
    }
    Ok(value)
}

/// A person's name: letters of any script, spaces and the dots and dashes of transliterated
/// names (巴·特尔, Anne-Marie); no digits, no markup.
pub fn person_name(field: &'static str, raw: &str) -> Result<String, DomainError> {
    let name = text(field, raw, 50)?;
    if name.chars().any(|c| c.is_ascii_digit() || (c.is_ascii_punctuation() && !matches!(c, '.' | '-' | '\'')) || c.is_control()) {
        return Err(DomainError::invalid(field, Reason::BadCharacters));
    }
    Ok(name)
}

/// Parses a value that may be left blank: blank is `None`.
pub fn optional<T>(raw: &str, parse: impl FnOnce(&str) -> Result<T, DomainError>) -> Result<Option<T>, DomainError> {
    match raw.trim() {
        "" => Ok(None),
        value => parse(value).map(Some),
    }
}
