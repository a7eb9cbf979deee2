//! What people type, checked: free text, short labels, people's names, numbers in a range.
//! One rule each, used by every form, file and request, so that nothing unseen, no markup and
//! nothing that turns text around is ever stored.

use super::error::{DomainError, Reason};

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
/// control characters (line breaks among them), invisible characters (but the joiner and
/// the variation selectors emoji are made of: 👨‍👩‍👧, ❤️), or markup: a `<` that opens a tag
/// (`<b`, `</`, `<!`, `<?`, also with something unseen between). A `<` or `>` before a number
/// or a space stays (体温>37.3, <3 天), as staff write them in notes.
pub fn check_optional_text<'a>(field: &'static str, raw: &'a str, max_chars: usize) -> Result<&'a str, DomainError> {
    let value = bounded(field, raw, max_chars)?;
    let unseen = |c: char| c.is_control() || (invisible(c) && !matches!(c, '\u{200D}' | '\u{FE00}'..='\u{FE0F}'));
    if value.chars().any(unseen) || opens_a_tag(value) {
        return Err(DomainError::invalid(field, Reason::TextCharacters));
    }
    Ok(value)
}

/// Whether a text holds what a browser would read as the start of a tag, or what looks like
/// one to a reader (a `<` and a letter with something unseen between).
fn opens_a_tag(value: &str) -> bool {
    value
        .match_indices('<')
        .any(|(at, _)| value[at + 1..].chars().find(|c| !invisible(*c)).is_some_and(|next| next.is_ascii_alphabetic() || matches!(next, '/' | '!' | '?')))
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

/// An address as people type it (一组 3 栋 2 单元): free in its words, but like a label it
/// holds no markup, line breaks or invisible characters, since lists and printouts show it.
/// Empty is allowed; returned trimmed, without copying it (a roster's rows repeat it).
pub fn check_address<'a>(field: &'static str, raw: &'a str, max_chars: usize) -> Result<&'a str, DomainError> {
    let value = bounded(field, raw, max_chars)?;
    if !value.chars().all(shown) || (!value.is_empty() && !visible(value)) {
        return Err(DomainError::invalid(field, Reason::LabelCharacters));
    }
    Ok(value)
}

/// Like `check_address`, copied, and an empty value is `None`.
pub fn optional_address(field: &'static str, raw: &str, max_chars: usize) -> Result<Option<String>, DomainError> {
    let value = check_address(field, raw, max_chars)?;
    Ok((!value.is_empty()).then(|| value.to_string()))
}

/// A free text a member of the public typed: like `optional_text`, and no markup or
/// invisible characters either, so that nothing that looks like HTML is ever stored from a
/// public form.
pub fn public_text(field: &'static str, raw: &str, max_chars: usize) -> Result<Option<String>, DomainError> {
    let value = optional_text(field, raw, max_chars)?;
    if value.as_deref().is_some_and(|v| !v.chars().all(shown)) {
        return Err(DomainError::invalid(field, Reason::TextCharacters));
    }
    Ok(value)
}

/// A full-width digit, point or sign as its ASCII self; any other character as it is.
fn half_width(c: char) -> char {
    match c {
        '０'..='９' | '．' | '－' | '＋' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
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

/// A number as it was typed: a JSON number a program sent, or the text of a form's field. Text
/// is parsed in `app` with the other fields, so that text that is no number is said beside
/// their problems; a number keeps its JSON form (a request's fingerprint is its JSON).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(untagged)]
pub enum TypedNumber {
    Number(serde_json::Number),
    Text(String),
}

impl Default for TypedNumber {
    fn default() -> Self {
        TypedNumber::Text(String::new())
    }
}

impl From<f64> for TypedNumber {
    fn from(n: f64) -> Self {
        serde_json::Number::from_f64(n).map(TypedNumber::Number).unwrap_or_else(|| TypedNumber::Text(n.to_string()))
    }
}

impl From<u32> for TypedNumber {
    fn from(n: u32) -> Self {
        TypedNumber::Number(n.into())
    }
}

impl From<String> for TypedNumber {
    fn from(text: String) -> Self {
        TypedNumber::Text(text)
    }
}

impl TypedNumber {
    /// The text typed with what `strip` takes off its end (a unit, say), or the number; `None` when blank.
    fn text(&self, strip: &[char]) -> Option<String> {
        match self {
            TypedNumber::Number(n) => Some(n.to_string()),
            // Full-width digits and signs, as a Chinese input method types them (３６．５), read
            // as the digits they are, as ID numbers are.
            TypedNumber::Text(t) => Some(t.trim().trim_end_matches(strip).trim().chars().map(half_width).collect::<String>()).filter(|t| !t.is_empty()),
        }
    }

    /// A decimal number, `None` when left blank; anything else that is no finite number is
    /// `reason` for `field`. `strip` are signs people type after the number (℃).
    pub fn decimal(&self, field: &'static str, reason: Reason, strip: &[char]) -> Result<Option<f64>, DomainError> {
        let Some(text) = self.text(strip) else { return Ok(None) };
        text.parse::<f64>().ok().filter(|n| n.is_finite()).map(Some).ok_or(DomainError::invalid(field, reason))
    }

    /// Whether nothing but spaces was typed.
    pub fn is_blank(&self) -> bool {
        self.text(&[]).is_none()
    }

    /// A whole number within `min..=max`, `None` when left blank.
    pub fn whole(&self, field: &'static str, min: i64, max: i64) -> Result<Option<i64>, DomainError> {
        let Some(text) = self.text(&[]) else { return Ok(None) };
        let out_of_range = DomainError::invalid(field, Reason::Between(min, max));
        let n = match text.parse::<i64>() {
            Ok(n) => n,
            // 14.0 from a program is 14.
            Err(_) => match text.parse::<f64>() {
                Ok(n) if n.fract() == 0.0 && n.abs() < 1e15 => n as i64,
                _ => return Err(out_of_range),
            },
        };
        number_between(field, n, min, max).map(Some)
    }
}

/// `TypedNumber::decimal` of a field that may be left out.
pub fn optional_decimal(raw: Option<&TypedNumber>, field: &'static str, reason: Reason, strip: &[char]) -> Result<Option<f64>, DomainError> {
    raw.map_or(Ok(None), |raw| raw.decimal(field, reason, strip))
}

/// `TypedNumber::whole` of a field that may be left out.
pub fn optional_whole(raw: Option<&TypedNumber>, field: &'static str, min: i64, max: i64) -> Result<Option<i64>, DomainError> {
    raw.map_or(Ok(None), |raw| raw.whole(field, min, max))
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

    #[test]
    fn numbers_typed_full_width_read_as_their_digits() {
        let typed = TypedNumber::Text("３６．５℃".into());
        assert_eq!(typed.decimal("temperature", Reason::TemperatureFormat, &['℃']).unwrap(), Some(36.5));
        assert_eq!(TypedNumber::Text("１４".into()).whole("days", 1, 60).unwrap(), Some(14));
        assert!(TypedNumber::Text("三十六".into()).decimal("temperature", Reason::TemperatureFormat, &[]).is_err());
    }
    use crate::domain::Lang;

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
        assert_eq!(reason(text("note", "a\u{202E}b", 20)), Reason::TextCharacters);
        assert_eq!(reason(public_text("from", "a\u{200B}b", 20)), Reason::TextCharacters);
        for markup in ["<b>x</b>", "a<script>", "x</p", "<!-- c -->", "<?xml", "<\u{200D}script>", "a\u{2028}b", "a\u{200B}b", "\u{FEFF}a"] {
            assert_eq!(reason(text("note", markup, 20)), Reason::TextCharacters, "{markup}");
        }
        for fine in ["体温>37.3", "<3 天", "a < b", "发热 > 2 人", "平安 ❤\u{FE0F}", "👨\u{200D}👩\u{200D}👧"] {
            assert_eq!(text("note", fine, 20).unwrap(), fine);
        }
    }

    #[test]
    fn numbers_name_their_range() {
        assert_eq!(number_between("days", 1u32, 1, 60).unwrap(), 1);
        assert_eq!(number_between("days", 60u32, 1, 60).unwrap(), 60);
        let zero = number_between("days", 0u32, 1, 60).unwrap_err();
        assert_eq!(zero.message(Lang::En), "Days: must be between 1 and 60");
        assert_eq!(zero.message(Lang::Zh), "天数: 须在 1 到 60 之间");
    }

    #[test]
    fn typed_numbers_are_read_from_json_or_text() {
        let json: TypedNumber = serde_json::from_str("14").unwrap();
        assert_eq!(json.whole("days", 1, 60).unwrap(), Some(14));
        assert_eq!(serde_json::to_string(&json).unwrap(), "14", "a number keeps its JSON form");
        let text: TypedNumber = serde_json::from_str("\" 14 \"").unwrap();
        assert_eq!(text.whole("days", 1, 60).unwrap(), Some(14));
        assert_eq!(TypedNumber::from(14.0).whole("days", 1, 60).unwrap(), Some(14));
        assert_eq!(TypedNumber::default().whole("days", 1, 60).unwrap(), None, "blank is none");
        for bad in ["abc", "0", "1.5", "61", "1e400"] {
            assert_eq!(reason(TypedNumber::from(bad.to_string()).whole("days", 1, 60)), Reason::Between(1, 60), "{bad}");
        }
        assert_eq!(TypedNumber::from("36.5℃".to_string()).decimal("temperature", Reason::TemperatureFormat, &['℃']).unwrap(), Some(36.5));
        for bad in ["hot", "NaN", "inf", "36,5"] {
            assert_eq!(
                reason(TypedNumber::from(bad.to_string()).decimal("temperature", Reason::TemperatureFormat, &['℃'])),
                Reason::TemperatureFormat,
                "{bad}"
            );
        }
    }
}
