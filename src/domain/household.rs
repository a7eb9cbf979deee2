//! Household colours (四色管理): derived from facts, never typed by hand.

use serde::Serialize;

use super::error::{DomainError, Reason};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Colour {
    /// 重点户: someone under isolation or from a key area.
    Red,
    /// 返乡户: a returnee within the observation window.
    Yellow,
    /// 租房户: renters.
    Blue,
    /// 常住户: everyone else.
    White,
}

impl Colour {
    pub const ALL: [Colour; 4] = [Colour::Red, Colour::Yellow, Colour::Blue, Colour::White];

    pub fn as_str(self) -> &'static str {
        match self {
            Colour::Red => "red",
            Colour::Yellow => "yellow",
            Colour::Blue => "blue",
            Colour::White => "white",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Colour::Red => "红色·重点户",
            Colour::Yellow => "黄色·返乡户",
            Colour::Blue => "蓝色·租房户",
            Colour::White => "白色·常住户",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Colour::Red => "red · key household",
            Colour::Yellow => "yellow · returnee",
            Colour::Blue => "blue · renters",
            Colour::White => "white · permanent",
        }
    }
}

/// Why a household has its colour; kept with every change in the colour history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ColourCause {
    UnderIsolation,
    FromKeyArea,
    Returnee,
    Renters,
    Permanent,
}

impl ColourCause {
    pub const ALL: [ColourCause; 5] =
        [ColourCause::UnderIsolation, ColourCause::FromKeyArea, ColourCause::Returnee, ColourCause::Renters, ColourCause::Permanent];

    pub fn as_str(self) -> &'static str {
        match self {
            ColourCause::UnderIsolation => "under_isolation",
            ColourCause::FromKeyArea => "from_key_area",
            ColourCause::Returnee => "returnee",
            ColourCause::Renters => "renters",
            ColourCause::Permanent => "permanent",
        }
    }

    pub fn label(raw: &str, zh: bool) -> &str {
        match (raw, zh) {
            ("under_isolation", true) => "有成员正在隔离",
            ("from_key_area", true) => "有成员来自重点地区",
            ("returnee", true) => "有返乡人员在观察期内",
            ("renters", true) => "租房居住",
            ("permanent", true) => "常住",
            ("under_isolation", false) => "a member is in isolation",
            ("from_key_area", false) => "a member came from a key area",
            ("returnee", false) => "a returnee under observation",
            ("renters", false) => "renting",
            ("permanent", false) => "permanent residents",
            _ => raw,
        }
    }
}

/// The facts about a household that decide its colour. Red and yellow facts come
/// from isolation orders and returnee registrations; the renter fact from its residents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColourFacts {
    pub under_isolation: bool,
    pub from_key_area: bool,
    pub returnee_in_window: bool,
    pub renters: bool,
}

impl ColourFacts {
    /// Precedence: red > yellow > blue > white.
    pub fn colour(&self) -> (Colour, ColourCause) {
        if self.under_isolation {
            (Colour::Red, ColourCause::UnderIsolation)
        } else if self.from_key_area {
            (Colour::Red, ColourCause::FromKeyArea)
        } else if self.returnee_in_window {
            (Colour::Yellow, ColourCause::Returnee)
        } else if self.renters {
            (Colour::Blue, ColourCause::Renters)
        } else {
            (Colour::White, ColourCause::Permanent)
        }
    }
}

/// 居住类型: how a resident lives at the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Residence {
    #[default]
    Permanent,
    Renter,
}

impl Residence {
    pub const ALL: [Residence; 2] = [Residence::Permanent, Residence::Renter];

    /// Accepts the words a roster uses; empty means permanent.
    pub fn parse(raw: &str) -> Result<Residence, DomainError> {
        let raw = raw.trim();
        let is = |words: &[&str]| words.iter().any(|w| raw.eq_ignore_ascii_case(w));
        if is(&["", "常住", "permanent", "户籍"]) {
            Ok(Residence::Permanent)
        } else if is(&["租住", "租房", "renter", "rent", "租户"]) {
            Ok(Residence::Renter)
        } else {
            Err(DomainError::invalid("residence", Reason::UnknownResidence))
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Residence::Permanent => "permanent",
            Residence::Renter => "renter",
        }
    }
}

/// Relations to the head that mark the head themself.
pub fn is_head(relation: &str) -> bool {
    let relation = relation.trim();
    ["户主", "本人", "head", "self"].iter().any(|w| relation.eq_ignore_ascii_case(w))
}

/// The English of the relations to the head rosters write most; `None` for any other, which
/// is shown as written.
pub fn relation_in_english(relation: &str) -> Option<&'static str> {
    Some(match relation.trim() {
        "户主" | "本人" => "head",
        "配偶" | "妻" | "妻子" | "夫" | "丈夫" => "spouse",
        "子女" | "儿女" => "child",
        "父母" => "parent",
        "子" | "儿子" | "长子" | "次子" => "son",
        "女" | "女儿" | "长女" | "次女" => "daughter",
        "父亲" | "父" => "father",
        "母亲" | "母" => "mother",
        "孙子" | "孙女" | "外孙" | "外孙女" => "grandchild",
        "儿媳" => "daughter-in-law",
        "女婿" => "son-in-law",
        "兄弟" | "哥哥" | "弟弟" | "兄" | "弟" => "brother",
        "姐妹" | "姐姐" | "妹妹" | "姐" | "妹" => "sister",
        "祖父" | "祖母" | "外祖父" | "外祖母" => "grandparent",
        "租户" | "租客" => "tenant",
        "其他" => "other",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_and_relations_read_in_english_too() {
        for cause in ColourCause::ALL {
            assert_ne!(ColourCause::label(cause.as_str(), false), cause.as_str(), "{cause:?}");
        }
        assert_eq!((relation_in_english("子女"), relation_in_english("父母")), (Some("child"), Some("parent")));
    }

    #[test]
    fn precedence_is_red_yellow_blue_white() {
        let all = ColourFacts { under_isolation: true, from_key_area: true, returnee_in_window: true, renters: true };
        assert_eq!(all.colour(), (Colour::Red, ColourCause::UnderIsolation));
        let key_area = ColourFacts { under_isolation: false, ..all };
        assert_eq!(key_area.colour(), (Colour::Red, ColourCause::FromKeyArea));
        let returnee = ColourFacts { from_key_area: false, ..key_area };
        assert_eq!(returnee.colour(), (Colour::Yellow, ColourCause::Returnee));
        let renters = ColourFacts { returnee_in_window: false, ..returnee };
        assert_eq!(renters.colour(), (Colour::Blue, ColourCause::Renters));
        assert_eq!(ColourFacts::default().colour(), (Colour::White, ColourCause::Permanent));
    }

    #[test]
    fn residence_words_in_both_languages() {
        assert_eq!(Residence::parse("租住").unwrap(), Residence::Renter);
        assert_eq!(Residence::parse("Renter").unwrap(), Residence::Renter);
        assert_eq!(Residence::parse("").unwrap(), Residence::Permanent);
        assert!(Residence::parse("暂住?").is_err());
    }
}

super::words::stored_words!(Colour, ColourCause, Residence);
