//! Passwords people may choose: long enough, and none that is common or guessable.

use super::error::{DomainError, Reason};

/// The least length of a password, in characters.
pub const PASSWORD_MIN: usize = 10;

/// Passwords people choose first, refused whatever else they pass (compared ignoring case).
const COMMON_PASSWORDS: &[&str] = &[
    "password123",
    "password1234",
    "password12345",
    "passw0rd123",
    "p@ssw0rd123",
    "p@ssword123",
    "password!!",
    "password01",
    "1234567890",
    "12345678910",
    "0123456789",
    "1234567890a",
    "a1234567890",
    "a123456789",
    "123456789a",
    "abc1234567",
    "abcd123456",
    "abc123456789",
    "aa123456789",
    "qwertyuiop",
    "qwerty1234",
    "qwerty12345",
    "qwerty123456",
    "qwe1234567",
    "1qaz2wsx3edc",
    "1qaz@wsx3edc",
    "zaq12wsxcde3",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "asdf123456",
    "asd1234567",
    "zxcvbnm123",
    "admin12345",
    "admin123456",
    "administrator",
    "admin@12345",
    "iloveyou123",
    "welcome123",
    "welcome1234",
    "letmein123",
    "changeme123",
    "woaini1314",
    "woaini520",
    "5201314520",
    "qq123456789",
    "wangge123",
    "wangge2020",
    "wangge1234",
];

/// Words people build passwords on, checked with the digits and signs around them taken off.
const COMMON_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "qwerty",
    "qwertyuiop",
    "asdf",
    "asdfgh",
    "zxcvbnm",
    "abc",
    "abcd",
    "abcdef",
    "admin",
    "administrator",
    "root",
    "welcome",
    "letmein",
    "changeme",
    "iloveyou",
    "woaini",
    "wangge",
    "wanggedemo",
    "china",
    "zhongguo",
    "test",
    "user",
    "login",
    "sunshine",
    "monkey",
    "dragon",
    "huawei",
    "football",
    "baseball",
    "master",
    "shadow",
    "superman",
    "princess",
    "hello",
    "love",
    "secret",
    "abcd",
    "zhang",
    "wang",
    "liu",
    "chen",
    "yang",
    "zhao",
    "huang",
    "zhou",
    "wu",
];

/// Whether a new password is good enough: at least 10 characters, not all of one kind
/// (letters, digits, other signs), and not one of the passwords people choose first.
pub fn check_password(password: &str) -> Result<(), DomainError> {
    if password.len() > 1024 {
        return Err(DomainError::invalid("password", Reason::TooLong(1024)));
    }
    if password.chars().count() < PASSWORD_MIN {
        return Err(DomainError::invalid("password", Reason::PasswordTooShort(PASSWORD_MIN)));
    }
    let kind = |c: char| {
        if c.is_alphabetic() {
            0
        } else if c.is_numeric() {
            1
        } else {
            2
        }
    };
    let first = password.chars().next().map(kind);
    if password.chars().all(|c| Some(kind(c)) == first) {
        return Err(DomainError::invalid("password", Reason::PasswordOneKind));
    }
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 5 {
        return Err(DomainError::invalid("password", Reason::PasswordOneKind));
    }
    let lower = folded(password);
    let plain = letters(&lower, false);
    // Few letters: the rest must not be a run of digits, and the whole not a handful of keys.
    let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
    let digit_run = digits.len() >= 6 && ("01234567890".contains(&digits) || "09876543210".contains(&digits));
    let too_few_letters = plain.chars().count() < 4 && (distinct.len() < 8 || digit_run);
    if COMMON_PASSWORDS.contains(&lower.trim()) || too_few_letters || guessable(&plain) || guessable(&letters(&lower, true)) {
        return Err(DomainError::invalid("password", Reason::PasswordCommon));
    }
    Ok(())
}

/// A password as guessing tools see it: NFKC (full-width, circled and mathematical letters
/// and digits as their plain twins), lower case.
fn folded(password: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    password.nfkc().collect::<String>().to_lowercase()
}

/// The letters of a password, digits and signs taken out; `leet` reads 0 as o, @ as a, $ as s…
fn letters(lower: &str, leet: bool) -> String {
    lower
        .chars()
        .filter_map(|c| match c {
            '0' if leet => Some('o'),
            '1' | '!' if leet => Some('i'),
            '3' if leet => Some('e'),
            '4' | '@' if leet => Some('a'),
            '5' | '$' if leet => Some('s'),
            '7' if leet => Some('t'),
            c if c.is_alphabetic() => Some(c),
            _ => None,
        })
        .collect()
}

/// Whether a password's letters are what guessing tools try first: too few, a common word (or
/// one repeated, or with up to three letters added), or a run along the alphabet or a keyboard.
fn guessable(letters: &str) -> bool {
    if letters.is_empty() {
        return false;
    }
    let repeats = |word: &str| letters.len().is_multiple_of(word.len()) && letters == word.repeat(letters.len() / word.len());
    let near = |word: &str| (letters.starts_with(word) || letters.ends_with(word)) && letters.len() <= word.len() + 3;
    COMMON_WORDS.iter().any(|word| repeats(word) || near(word)) || walked(letters) || made_of_words(letters)
}

/// Rows, columns and the alphabet, along which guessing tools walk (either way).
const RUNS: [&str; 5] = ["abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qazwsxedcrfvtgbyhnujmikolp"];

/// Whether the letters are walks of three or more keys along the alphabet or a keyboard's rows
/// or columns, one after another (qwer, poiuytrewq, qweasdzxc, 1qaz2wsx, abcabc).
fn walked(letters: &str) -> bool {
    let next = |a: char, b: char| RUNS.iter().any(|run| run.find(a).zip(run.find(b)).is_some_and(|(i, j)| i.abs_diff(j) == 1));
    let chars: Vec<char> = letters.chars().collect();
    let mut start = 0;
    for i in 1..=chars.len() {
        if i == chars.len() || !next(chars[i - 1], chars[i]) {
            if i - start < 3 {
                return false;
            }
            start = i;
        }
    }
    !chars.is_empty()
}

/// Whether the letters are common words one after another (adminwangge, passwordqwerty).
fn made_of_words(letters: &str) -> bool {
    let mut reachable = vec![false; letters.len() + 1];
    reachable[0] = true;
    for i in 0..letters.len() {
        if reachable[i] {
            for word in COMMON_WORDS.iter().filter(|w| w.len() >= 3) {
                if letters[i..].starts_with(word) {
                    reachable[i + word.len()] = true;
                }
            }
        }
    }
    letters.len() >= 3 && reachable[letters.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(password: &str) -> Option<Reason> {
        match check_password(password) {
            Ok(()) => None,
            Err(DomainError::Invalid { reason, .. }) => Some(reason),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn weak_passwords_are_refused_by_rule() {
        for short in ["12345678", "aaaaaaaa", "        ", "abc1234", "a1b2c3d4e"] {
            assert_eq!(reason(short), Some(Reason::PasswordTooShort(10)), "{short:?}");
        }
        for one_kind in ["aaaaaaaaaa", "abcdefghijkl", "1234567891", "          ", "!@#$%^&*()", "密码密码密码密码密码", "ABCDEFGHIJ"] {
            assert_eq!(reason(one_kind), Some(Reason::PasswordOneKind), "{one_kind:?}");
        }
        for repetitive in ["aaaaaaaaa1", "1111111111a", "         1", "\t\t\t\t\t\t\t\t\t1", "ａａａａａａａａａ1", "abababab12"] {
            assert_eq!(reason(repetitive), Some(Reason::PasswordOneKind), "{repetitive:?}");
        }
        for common in [
            "password123",
            "Password123",
            "1qaz2wsx3edc",
            "woaini1314",
            "ADMIN123456",
            "password12",
            "Password1!",
            "iloveyou12",
            "zhang12345",
            "1234567890a",
            "x-12345678",
            "ｐａｓｓｗｏｒｄ12",
            "Ｐａｓｓｗｏｒｄ１!",
            "P@ssw0rd12",
            "Passw0rd!!",
            "Pa$$word12",
            "Qwer1234!!",
            "1q2w3e4r!!",
            "qazwsx1234",
            "asdfghjkl1",
            "zhangwei123",
            "abc123abc123",
            "a1b2c3d4e5",
            "abcde12345",
            "passwordpassword1",
            "pass word12",
            "wangge-demo",
            "poiuytrewq1",
            "lkjhgfdsa12",
            "mnbvcxz123!",
            "zyxwvutsrq1",
            "qweasdzxc1",
            "qweasdzxc123",
            "zaq1xsw2cde3",
            "1qazxsw23edc",
            "1qaz!QAZ2wsx",
            "1234qwerQWER",
            "qwer1234QWER",
            "sunshine123",
            "monkey12345",
            "dragon1234!",
            "huawei12345",
            "admin-wangge1",
            "ℙ𝕒𝕤𝕤𝕨𝕠𝕣𝕕123",
            "ⓟⓐⓢⓢⓦⓞⓡⓓ123",
        ] {
            assert_eq!(reason(common), Some(Reason::PasswordCommon), "{common:?}");
        }
        assert_eq!(reason(&"a1".repeat(600)), Some(Reason::TooLong(1024)));
        // The tests' password and the ones the tests create accounts with (the demo's is public,
        // so refused for real accounts).
        for good in ["9#4$7&2*1@", "correct horse battery", "long enough", "another password", "a long password", "科尔沁区2020年春"] {
            assert_eq!(reason(good), None, "{good:?}");
        }
    }

    #[test]
    fn the_message_names_the_rule_in_both_languages() {
        use crate::domain::Lang;
        let err = check_password("aaaaaaaaaaaa").unwrap_err();
        assert!(err.message(Lang::En).contains("letters, digits, other signs"), "{}", err.message(Lang::En));
        assert!(err.message(Lang::Zh).contains("字母、数字、其他符号"), "{}", err.message(Lang::Zh));
        let err = check_password("short").unwrap_err();
        assert!(err.message(Lang::En).contains("at least 10 characters"));
        assert!(err.message(Lang::Zh).contains("至少 10 位"));
    }
}
