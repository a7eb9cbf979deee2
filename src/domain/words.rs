//! Closed lists of words: what the API and people type parses into an enum, and what storage
//! wrote (`as_str`) reads back into the same enum or fails loudly.

/// A word read back from storage that no variant writes: the database holds something this
/// code never stored. Never defaulted: a read that meets one fails (a 500 and a log line).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored {kind} {word:?} is not one this program writes")]
pub struct UnknownWord {
    pub kind: &'static str,
    pub word: String,
}

/// `TryFrom<String>` (what storage reads, e.g. sqlx's `#[sqlx(try_from = "String")]`) and
/// `Display` (the stored word) for enums that have `ALL` and `as_str`.
macro_rules! stored_words {
    ($($name:ty),+ $(,)?) => {$(
        impl TryFrom<String> for $name {
            type Error = $crate::domain::words::UnknownWord;
            fn try_from(word: String) -> Result<$name, Self::Error> {
                <$name>::from_stored(&word)
            }
        }

        impl $name {
            /// Reads back a word storage wrote with `as_str`.
            pub fn from_stored(word: &str) -> Result<$name, $crate::domain::words::UnknownWord> {
                <$name>::ALL
                    .iter()
                    .copied()
                    .find(|w| w.as_str() == word)
                    .ok_or_else(|| $crate::domain::words::UnknownWord { kind: stringify!($name), word: word.to_string() })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )+};
}
pub(crate) use stored_words;

/// Whether a typed word is the API's word, in any case and with spaces for its underscores
/// (`Turned back` is `turned_back`, as the English message lists it).
pub fn same_word(typed: &str, word: &str) -> bool {
    typed.len() == word.len() && typed.bytes().zip(word.bytes()).all(|(t, w)| t.eq_ignore_ascii_case(&w) || (t == b' ' && w == b'_'))
}

/// The word a Chinese form shows for a variant: its first Chinese alias, else its API word.
macro_rules! shown_word {
    ($word:literal) => {
        $word
    };
    ($word:literal, $alias:literal $(, $more:literal)*) => {
        $alias
    };
}
pub(crate) use shown_word;

/// Declares a closed list of words as an enum that parses from the words the API uses
/// (and, where given, the Chinese words people type), and reads back from storage.
macro_rules! words {
    ($(#[$meta:meta])* $name:ident, $field:literal, { $($variant:ident = $word:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn parse(raw: &str) -> Result<$name, $crate::domain::DomainError> {
                let raw = raw.trim();
                $(if $crate::domain::words::same_word(raw, $word) $(|| raw == $alias)* { return Ok($name::$variant); })+
                Err($crate::domain::DomainError::invalid(
                    $field,
                    $crate::domain::error::Reason::OneOf(concat!($($word, " "),+), concat!($($crate::domain::words::shown_word!($word $(, $alias)*), " "),+)),
                ))
            }

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        $crate::domain::words::stored_words!($name);
    };
}
pub(crate) use words;

#[cfg(test)]
mod tests {
    use crate::domain::{Colour, Direction};

    #[test]
    fn a_stored_word_reads_back_or_fails_loudly() {
        for word in Direction::ALL {
            assert_eq!(Direction::from_stored(word.as_str()), Ok(*word));
        }
        assert_eq!(Colour::try_from("red".to_string()), Ok(Colour::Red));
        let unknown = Colour::from_stored("purple").unwrap_err();
        assert_eq!(unknown.to_string(), "stored Colour \"purple\" is not one this program writes");
        assert!(Direction::from_stored("进").is_err(), "storage holds the API's words, not what people type");
    }

    #[test]
    fn a_word_not_in_the_list_is_answered_with_the_words_a_person_can_choose() {
        use crate::domain::{Lang, Outcome, Transport};
        let wrong = Direction::parse("sideways").unwrap_err();
        assert_eq!(wrong.message(Lang::Zh), "方向: 应为以下之一：进、出");
        assert_eq!(wrong.message(Lang::En), "Direction: must be one of: in, out");
        assert!(Outcome::parse("x").unwrap_err().message(Lang::Zh).ends_with("通行、劝返、送医"));
        assert!(Transport::parse("x").unwrap_err().message(Lang::Zh).ends_with("火车、客车、自驾、飞机、其他"));
        // English lists the words as people write them, and takes them back as written.
        assert_eq!(Outcome::parse("x").unwrap_err().message(Lang::En), "Outcome: must be one of: passed, turned back, referred");
        assert_eq!(Outcome::parse("Turned back").unwrap(), Outcome::TurnedBack);
        assert_eq!(Outcome::parse("TURNED_BACK").unwrap(), Outcome::TurnedBack);
    }
}
