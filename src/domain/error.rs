use chrono::{NaiveDate, NaiveDateTime};

use super::lang::{self, Lang};

/// A value that failed to parse, or a rule that a request would break.
/// Each carries enough to explain itself to the user in their language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: Reason },
    #[error("not allowed for role {0}")]
    NotAllowed(&'static str),
    /// Every problem of a form at once, so that it is fixed in one go (see `Problems`).
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Several(Vec<DomainError>),
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
    /// A passage with no ID number, no name and no plate.
    NamesNobody,
    /// A number outside `min..=max`.
    Between(i64, i64),
    /// A year the time parser does not take (before 1900, after 2200).
    YearRange,
    /// A day outside the window around today (see `time::Window`).
    DateWindow(NaiveDate, NaiveDate),
    /// An instant outside the window around now, as local (Beijing) times.
    TimeWindow(NaiveDateTime, NaiveDateTime),
    /// A person's name with something besides letters, spaces and `. - '` (see `person_name`).
    NameCharacters,
    /// A label with markup, a line break or an invisible character (see `label`).
    LabelCharacters,
    /// A unit's code that does not begin with its parent's code.
    CodeUnderParent,
    /// No free three-digit number is left for an automatically numbered unit.
    NoFreeCode,
    /// No such record (an account's login, say) in the caller's area.
    Unknown,
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
            Empty => {
                if zh {
                    "不能为空".into()
                } else {
                    "must not be empty".into()
                }
            }
            TooLong(n) => {
                if zh {
                    format!("不能超过 {n} 个字符")
                } else {
                    format!("must be at most {n} characters")
                }
            }
            BadCharacters => {
                if zh {
                    "含有不允许的字符".into()
                } else {
                    "contains characters that are not allowed".into()
                }
            }
            IdLength => {
                if zh {
                    "身份证号应为 18 位".into()
                } else {
                    "an ID number has 18 characters".into()
                }
            }
            IdFormat => {
                if zh {
                    "身份证号前 17 位应为数字，末位为数字或 X".into()
                } else {
                    "an ID number is 17 digits and a final digit or X".into()
                }
            }
            IdBirthDate => {
                if zh {
                    "身份证号中的出生日期无效".into()
                } else {
                    "the birth date inside the ID number is not a real date".into()
                }
            }
            IdCheckDigit(c) => {
                if zh {
                    format!("身份证号校验位错误（应为 {c}）")
                } else {
                    format!("the ID number's check digit is wrong (expected {c})")
                }
            }
            PhoneFormat => {
                if zh {
                    "应为 11 位手机号或带区号的固定电话".into()
                } else {
                    "must be an 11-digit mobile number or a landline with area code".into()
                }
            }
            UnknownRole => {
                if zh {
                    "角色应为 admin、hq、grid_leader、grid_member、checkpoint 或 inspector".into()
                } else {
                    "role must be admin, hq, grid_leader, grid_member, checkpoint or inspector".into()
                }
            }
            UnknownLevel => {
                if zh {
                    "未知的层级".into()
                } else {
                    "unknown level".into()
                }
            }
            UnknownResidence => {
                if zh {
                    "居住类型应为 常住 或 租住".into()
                } else {
                    "residence must be permanent (常住) or renter (租住)".into()
                }
            }
            PasswordTooShort(n) => {
                if zh {
                    format!("密码至少 {n} 位")
                } else {
                    format!("a password has at least {n} characters")
                }
            }
            PasswordOneKind => {
                if zh {
                    "密码须混合至少两类字符（字母、数字、其他符号），且至少含 5 个不同的字符".into()
                } else {
                    "a password mixes at least two kinds of characters (letters, digits, other signs) and has at least 5 different characters".into()
                }
            }
            PasswordCommon => {
                if zh {
                    "这是常见密码，很容易被猜中，请换一个".into()
                } else {
                    "this is one of the most common passwords, easily guessed; choose another".into()
                }
            }
            OneOf(words) => {
                if zh {
                    format!("应为以下之一：{words}")
                } else {
                    format!("must be one of: {words}")
                }
            }
            TemperatureRange => {
                if zh {
                    "体温应在 34.0 到 43.0 ℃ 之间".into()
                } else {
                    "a body temperature lies between 34.0 and 43.0 °C".into()
                }
            }
            PlateFormat => {
                if zh {
                    "车牌号格式不对（例：蒙G12345）".into()
                } else {
                    "not a vehicle plate (e.g. 蒙G12345)".into()
                }
            }
            DateFormat => {
                if zh {
                    "日期格式应为 YYYY-MM-DD".into()
                } else {
                    "a date is written YYYY-MM-DD".into()
                }
            }
            TimeFormat => {
                if zh {
                    "时间格式应为 YYYY-MM-DDTHH:MM（北京时间）或带时区".into()
                } else {
                    "a time is written YYYY-MM-DDTHH:MM (Beijing time) or with a zone".into()
                }
            }
            DateOrder => {
                if zh {
                    "结束不能早于开始".into()
                } else {
                    "the end cannot come before the start".into()
                }
            }
            Coordinates => {
                if zh {
                    "经纬度无效".into()
                } else {
                    "not a valid latitude/longitude".into()
                }
            }
            TooMany(n) => {
                if zh {
                    format!("最多 {n} 项")
                } else {
                    format!("at most {n} items")
                }
            }
            InFuture => {
                if zh {
                    "时间不能晚于现在".into()
                } else {
                    "cannot be in the future".into()
                }
            }
            NamesNobody => {
                if zh {
                    "请填写身份证号、姓名或车牌号中的至少一项".into()
                } else {
                    "give an ID number, a name or a plate".into()
                }
            }
            HeldElsewhere => {
                if zh {
                    "无法在此登记：须由同时管辖两处的上级指挥部处理，已通知其处置".into()
                } else {
                    "cannot be registered here: the HQ over both places must settle it, and has been told".into()
                }
            }
            Between(min, max) => {
                if zh {
                    format!("须在 {min} 到 {max} 之间")
                } else {
                    format!("must be between {min} and {max}")
                }
            }
            YearRange => {
                if zh {
                    "年份须在 1900 到 2200 之间".into()
                } else {
                    "the year must be between 1900 and 2200".into()
                }
            }
            DateWindow(from, to) => {
                if zh {
                    format!("须在 {from} 到 {to} 之间")
                } else {
                    format!("must be between {from} and {to}")
                }
            }
            TimeWindow(from, to) => {
                let (from, to) = (from.format("%Y-%m-%d %H:%M"), to.format("%Y-%m-%d %H:%M"));
                if zh { format!("须在 {from} 到 {to}（北京时间）之间") } else { format!("must be between {from} and {to} (Beijing time)") }
            }
            NameCharacters => {
                if zh {
                    "只能含文字、空格和 · . - '，不能含数字、其他符号、换行或不可见字符".into()
                } else {
                    "may hold only letters, spaces and . - ' (no digits, other symbols, line breaks or invisible characters)".into()
                }
            }
            LabelCharacters => {
                if zh {
                    "不能含 < >、换行或不可见字符".into()
                } else {
                    "must not contain < >, line breaks or invisible characters".into()
                }
            }
            CodeUnderParent => {
                if zh {
                    "须以上级单位的编码开头，并比它长".into()
                } else {
                    "must begin with the parent unit's code and be longer than it".into()
                }
            }
            NoFreeCode => {
                if zh {
                    "已无可自动编的三位序号，请填写编码".into()
                } else {
                    "no three-digit number is left to give automatically; type a code".into()
                }
            }
            Unknown => {
                if zh {
                    "找不到，或不在您的管辖范围内".into()
                } else {
                    "not found, or outside your area".into()
                }
            }
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
            DomainError::NotAllowed(what) => match (lang, refusal_zh(what)) {
                (Lang::Zh, Some(what)) => format!("您的账号无权{what}"),
                (Lang::Zh, None) => "您的账号无权执行此操作".into(),
                (Lang::En, _) => format!("Your account may not {what}."),
            },
            DomainError::Several(all) => all.iter().map(|e| e.message(lang)).collect::<Vec<_>>().join(if lang == Lang::Zh { "；" } else { "; " }),
        }
    }

    /// Each problem on its own (one, or each of `Several`).
    pub fn each(&self) -> Vec<&DomainError> {
        match self {
            DomainError::Several(all) => all.iter().flat_map(DomainError::each).collect(),
            one => vec![one],
        }
    }
}

/// The problems of a form, collected field after field, so that a person sees them all at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<DomainError>);

impl Problems {
    /// The value, or `None` with its problem kept.
    pub fn check<T>(&mut self, result: Result<T, DomainError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }

    pub fn push(&mut self, err: DomainError) {
        self.0.push(err);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each problem kept, in the order the fields were checked.
    pub fn into_each(self) -> Vec<DomainError> {
        self.0
    }

    /// `Ok` when there were none; one problem as itself, more as `Several`.
    pub fn finish(mut self) -> Result<(), DomainError> {
        match self.0.len() {
            0 => Ok(()),
            1 => Err(self.0.remove(0)),
            _ => Err(DomainError::Several(self.0)),
        }
    }
}

/// What a refused account tried to do, in Chinese (the English is the words themselves).
fn refusal_zh(what: &str) -> Option<&'static str> {
    Some(match what {
        "add residents" => "添加居民",
        "assign households" => "分配包联户",
        "assign staff" => "指派网格长和网格员",
        "change households" => "修改户信息",
        "change residents" => "修改居民信息",
        "create households" => "新增户",
        "create units" => "新增下级单位",
        "declare key areas" => "设定重点地区",
        "end isolation" => "解除隔离",
        "follow up isolation" => "登记隔离随访",
        "hand out check-in links" => "生成报平安链接",
        "hand out staff links" => "生成职工报平安链接",
        "import" | "import roster" => "导入花名册",
        "import units" => "导入单位",
        "list an organisation's staff" => "登记单位职工",
        "log passages" => "登记卡点通行",
        "manage accounts" => "管理账号",
        "open screening rounds" => "发起排查轮次",
        "order isolation" => "下达隔离",
        "read the audit log" => "查看操作日志",
        "read the roster" => "查看户籍名册",
        "read trajectories" => "查看行动轨迹",
        "record visits" => "登记入户排查",
        "register organisations" => "登记单位",
        "register returnees" => "登记返乡人员",
        "rename units" => "修改单位名称",
        "report check-ins" => "报平安",
        "screen people" => "排查人员",
        "set up checkpoints" => "设置卡点",
        "trace contacts" => "追踪密切接触者",
        "change an order that has ended" => "修改已结束的隔离",
        "follow up an order that has ended" => "为已结束的隔离登记随访",
        "member must be a grid member whose unit contains the household" => "把此户分配给该账号：须是此户所在网格的网格员",
        "pair a cadre who cannot see the household" => "指派看不到此户的干部",
        "release without a final follow-up on the planned day" => "在计划解除日登记最后一次随访之前解除隔离",
        _ => return None,
    })
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

/// Checks an optional text and returns it trimmed, without copying it. No text holds
/// control characters (line breaks among them) or the controls that turn text around.
pub fn check_optional_text<'a>(field: &'static str, raw: &'a str, max_chars: usize) -> Result<&'a str, DomainError> {
    let value = bounded(field, raw, max_chars)?;
    if value.chars().any(|c| c.is_control() || bidi_control(c)) {
        return Err(DomainError::invalid(field, Reason::BadCharacters));
    }
    Ok(value)
}

/// Trims a value and checks its length.
fn bounded<'a>(field: &'static str, raw: &'a str, max_chars: usize) -> Result<&'a str, DomainError> {
    let value = raw.trim();
    if value.len() > max_chars && value.chars().count() > max_chars {
        return Err(DomainError::invalid(field, Reason::TooLong(max_chars)));
    }
    Ok(value)
}

/// The bidirectional controls: U+202E shows `txt.exe` for `exe.txt`, and a name or a
/// note with one reads differently from what it is.
fn bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that are not seen but change what is seen: the bidirectional controls,
/// zero-width characters (two names that look alike would differ), the soft hyphen, the
/// byte order mark and the line and paragraph separators. The Mongolian free variation
/// selectors and vowel separator (U+180B..U+180F) belong to the script and are kept.
pub fn invisible(c: char) -> bool {
    bidi_control(c)
        || matches!(
            c,
            '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{200B}'..='\u{200D}' | '\u{2028}' | '\u{2029}'
                | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}'
                | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}' | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}'
                | '\u{08E2}' | '\u{110BD}' | '\u{110CD}' | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{16FE4}' | '\u{2800}'
                | '\u{FFFC}'
        )
}

/// Whether a label or a name shows anything: at least one digit or base letter of a script its
/// users write (Han, Mongolian, Tibetan, Latin, Cyrillic, Greek, Arabic, Yi, Thai, Devanagari,
/// Hangul, kana), not only marks that sit on letters, separators or fillers.
fn visible(text: &str) -> bool {
    text.chars().any(|c| {
        c.is_ascii_alphanumeric()
            || c.is_numeric()
            || matches!(
                c,
                '\u{00C0}'..='\u{00D6}' | '\u{00D8}'..='\u{00F6}' | '\u{00F8}'..='\u{024F}' | '\u{0386}'..='\u{03FF}' | '\u{0400}'..='\u{0481}'
                    | '\u{048A}'..='\u{052F}' | '\u{05D0}'..='\u{05EA}' | '\u{0620}'..='\u{064A}' | '\u{0671}'..='\u{06D3}' | '\u{0904}'..='\u{0939}' | '\u{0E01}'..='\u{0E30}'
                    | '\u{0F40}'..='\u{0F6C}' | '\u{1820}'..='\u{1878}' | '\u{1E00}'..='\u{1EFF}' | '\u{3040}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}'
                    | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{A000}'..='\u{A48C}' | '\u{AC00}'..='\u{D7A3}' | '\u{F900}'..='\u{FAFF}'
                    | '\u{20000}'..='\u{3134F}'
            )
    })
}

/// Whether a character may stand in a label or a name: nothing unseen, no line break, no
/// markup.
fn shown(c: char) -> bool {
    !(c.is_control() || invisible(c) || c == '<' || c == '>')
}

/// A short label people type and others read in lists: a household number, the name of a
/// unit, a checkpoint or an organisation, a relation, a place. Trimmed, non-empty,
/// bounded, and every character shown: no markup, line breaks or invisible characters.
pub fn label(field: &'static str, raw: &str, max_chars: usize) -> Result<String, DomainError> {
    optional_label(field, raw, max_chars)?.ok_or(DomainError::invalid(field, Reason::Empty))
}

/// Like `label`, but an empty value is `None`.
pub fn optional_label(field: &'static str, raw: &str, max_chars: usize) -> Result<Option<String>, DomainError> {
    let value = bounded(field, raw, max_chars)?;
    if !value.chars().all(shown) || (!value.is_empty() && !visible(value)) {
        return Err(DomainError::invalid(field, Reason::LabelCharacters));
    }
    Ok((!value.is_empty()).then(|| value.to_string()))
}

/// A free text a member of the public typed: like `optional_text`, and no markup or
/// invisible characters either, so that nothing that looks like HTML is ever stored from a
/// public form.
pub fn public_text(field: &'static str, raw: &str, max_chars: usize) -> Result<Option<String>, DomainError> {
    let value = optional_text(field, raw, max_chars)?;
    if value.as_deref().is_some_and(|v| !v.chars().all(shown)) {
        return Err(DomainError::invalid(field, Reason::BadCharacters));
    }
    Ok(value)
}

/// The longest person's name.
pub const MAX_NAME_CHARS: usize = 50;

/// A person's name, the one rule for every name (residents, returnees, travellers, staff,
/// members of organisations, accounts): letters of any script, spaces and the dots and
/// dashes of transliterated names (巴·特尔, Anne-Marie, O'Neil); no digits, no other
/// symbols, no line breaks or invisible characters.
pub fn person_name(field: &'static str, raw: &str) -> Result<String, DomainError> {
    let name = bounded(field, raw, MAX_NAME_CHARS)?;
    if name.is_empty() {
        return Err(DomainError::invalid(field, Reason::Empty));
    }
    if !name.chars().all(name_char) || !visible(name) || !well_formed(name) {
        return Err(DomainError::invalid(field, Reason::NameCharacters));
    }
    Ok(name.to_string())
}

/// The signs of a name (· . - ' and their full-width twins) and its marks stand between
/// letters: at most three signs, never two in a row, and at most three marks on a letter.
fn well_formed(name: &str) -> bool {
    let sign = |c: char| matches!(c, '.' | '-' | '\'' | '·' | '・' | '．' | '－' | '＇');
    let mut signs = 0;
    let mut previous_sign = false;
    let mut marks = 0;
    for c in name.chars().filter(|c| *c != ' ') {
        if sign(c) {
            signs += 1;
            if previous_sign {
                return false;
            }
        }
        previous_sign = sign(c);
        marks = if combining_mark(c) { marks + 1 } else { 0 };
        if marks > 3 {
            return false;
        }
    }
    signs <= 3
}

/// Marks that sit on the letter before them (accents, vowel signs, Mongolian selectors).
fn combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05C7}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
            | '\u{06D6}'..='\u{06ED}' | '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}' | '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}'
            | '\u{0F71}'..='\u{0F87}' | '\u{0F8D}'..='\u{0FBC}' | '\u{180B}'..='\u{180F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Whether a character may stand in a person's name: a letter, a space, one of `· . - '` (a
/// full-width sign follows the rule of its ASCII twin), a mark on a letter, or Tibetan's tsheg
/// between syllables; 〇 is a character of names, not a digit.
fn name_char(c: char) -> bool {
    let ascii = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    let digit = c.is_numeric() && c != '〇';
    let allowed = (c.is_alphabetic() && !digit)
        || c == ' '
        || c == '〇'
        || matches!(ascii, '.' | '-' | '\'')
        || matches!(c, '·' | '・' | '\u{0F0B}' | '\u{0F0C}')
        || combining_mark(c);
    shown(c) && allowed && !matches!(c, '\u{3001}'..='\u{3006}' | '\u{3008}'..='\u{303F}')
}

/// A number people type, within `min..=max`.
pub fn number_between<T: Into<i64> + Copy>(field: &'static str, value: T, min: i64, max: i64) -> Result<T, DomainError> {
    if (min..=max).contains(&value.into()) { Ok(value) } else { Err(DomainError::invalid(field, Reason::Between(min, max))) }
}

/// Parses a value that may be left blank: blank is `None`.
pub fn optional<T>(raw: &str, parse: impl FnOnce(&str) -> Result<T, DomainError>) -> Result<Option<T>, DomainError> {
    match raw.trim() {
        "" => Ok(None),
        value => parse(value).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(result: Result<impl std::fmt::Debug, DomainError>) -> Reason {
        match result {
            Err(DomainError::Invalid { reason, .. }) => reason,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_rule_for_every_persons_name() {
        for odd in [
            "张三😀",
            "张★三",
            "张→三",
            "张█三",
            "张⟨x⟩",
            "张\u{E000}三",
            "张\u{FFFD}三",
            "张\u{3000}三",
            "张\u{2003}三",
            "张\u{00A0}三",
            "王⼆",
            "a . . . . . .",
            "张............三",
            "张\u{0301}\u{0302}\u{0303}\u{0304}三",
        ] {
            assert!(person_name("name", odd).is_err(), "{odd:?} is no name");
        }
        for name in ["张三", "巴特尔", "阿卜杜拉·买买提", "Mary-Ann O'Neil", "ᠪᠠᠲᠦ", "བཀྲ་ཤིས", "Zoë", "王〇"] {
            assert!(person_name("name", name).is_ok(), "{name:?} is a name");
        }
        for blank in [
            "\u{E0041}\u{E0042}",
            "张\u{E0041}三",
            "\u{3164}\u{3164}",
            "\u{180E}",
            &"\u{0301}".repeat(40),
            "\u{FE0F}张三",
            "\u{064e}\u{064e}",
            "\u{0e31}\u{0e31}",
            "\u{093f}\u{093f}",
            "\u{05b4}\u{05b4}",
            "\u{1dd3}",
            "\u{0f71}\u{0f72}",
            "张\u{1BCA0}三",
            "张\u{13430}三",
            "张\u{0600}三",
            "张\u{16FE4}三",
            "张\u{2800}三",
        ] {
            assert!(person_name("name", blank).is_err(), "{blank:?} hides or shows nothing");
            assert!(label("name", blank, 50).is_err(), "{blank:?} hides or shows nothing");
        }
        assert!(person_name("name", "ᠪᠠᠲᠦ᠋").is_ok(), "Mongolian with a variation selector is a name");
        for good in ["巴特尔", "巴·特尔", "Anne-Marie", "O'Neil", "J. R. Smith", "李〇", "ᠪᠠᠲᠦ", "巴．特尔"] {
            assert_eq!(person_name("name", &format!(" {good} ")).unwrap(), good);
        }
        for bad in [
            "<script>alert(1)</script>",
            "张\u{202E}三",
            "张\u{200B}三",
            "张\u{200F}三",
            "张\u{2060}三",
            "张\u{FEFF}三",
            "张\n三",
            "张\u{2028}三",
            "张三1",
            "张三１",
            "张三（小）",
            "张三＜b＞",
            "张三、李四",
            "a@b",
        ] {
            assert_eq!(reason(person_name("name", bad)), Reason::NameCharacters, "{bad:?}");
        }
        assert_eq!(reason(person_name("name", " ")), Reason::Empty);
        assert_eq!(reason(person_name("name", &"长".repeat(51))), Reason::TooLong(50));
        let message = DomainError::invalid("name", Reason::NameCharacters).message(Lang::En);
        assert!(message.starts_with("Name: may hold only letters"), "{message}");
    }

    #[test]
    fn labels_hold_what_is_shown_and_no_markup() {
        for good in ["3-201", "一组(东)", "通辽市第一中学", "A&B"] {
            assert_eq!(label("household_no", good, 32).unwrap(), good);
        }
        for bad in ["<script>", "1\u{202E}02", "1\u{200B}02", "1\u{FEFF}", "1\n2", "1\u{2029}2"] {
            assert_eq!(reason(label("household_no", bad, 32)), Reason::LabelCharacters, "{bad:?}");
        }
        assert_eq!(optional_label("relation", " ", 20).unwrap(), None);
        assert_eq!(reason(label("name", "", 20)), Reason::Empty);
        // Free text keeps what is harmless there, and refuses what turns it around.
        assert_eq!(text("note", "3 < 4", 20).unwrap(), "3 < 4");
        assert_eq!(reason(text("note", "a\u{202E}b", 20)), Reason::BadCharacters);
        assert_eq!(reason(public_text("from", "a\u{200B}b", 20)), Reason::BadCharacters);
    }

    #[test]
    fn numbers_name_their_range() {
        assert_eq!(number_between("days", 1u32, 1, 60).unwrap(), 1);
        assert_eq!(number_between("days", 60u32, 1, 60).unwrap(), 60);
        let zero = number_between("days", 0u32, 1, 60).unwrap_err();
        assert_eq!(zero.message(Lang::En), "Days: must be between 1 and 60");
        assert_eq!(zero.message(Lang::Zh), "天数: 须在 1 到 60 之间");
    }
}
