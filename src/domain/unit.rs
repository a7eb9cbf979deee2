//! Units of the grid: codes, levels, and the materialised path that scopes every query.

use serde::{Deserialize, Serialize};

use super::error::{DomainError, Reason};

/// A unit's code: the official statistical code for divisions (`1505`, `150502001001`),
/// or a code given to a grid or villager group below them. Letters, digits and `-`,
/// so that a code can never carry a path separator or a SQL wildcard.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitCode(String);

pub const MAX_CODE_LEN: usize = 32;

impl UnitCode {
    pub fn parse(raw: &str) -> Result<UnitCode, DomainError> {
        let code = raw.trim();
        let invalid = |reason| DomainError::invalid("code", reason);
        if code.is_empty() {
            return Err(invalid(Reason::Empty));
        }
        if code.len() > MAX_CODE_LEN {
            return Err(invalid(Reason::TooLong(MAX_CODE_LEN)));
        }
        if !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(invalid(Reason::BadCharacters));
        }
        Ok(UnitCode(code.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for UnitCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The codes from the root down to a unit, as `/15/1505/150502/`. The root scope is `/`.
/// A unit's subtree is every path that starts with its own, which the storage layer
/// turns into an index range (see `range`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct UnitPath(String);

impl UnitPath {
    pub fn root() -> UnitPath {
        UnitPath("/".into())
    }

    /// Trusts a path read back from storage.
    pub fn from_stored(path: String) -> UnitPath {
        debug_assert!(path.starts_with('/') && path.ends_with('/'));
        UnitPath(path)
    }

    pub fn child(&self, code: &UnitCode) -> UnitPath {
        UnitPath(format!("{}{}/", self.0, code.as_str()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `other` is this unit or lies below it.
    pub fn contains(&self, other: &UnitPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The half-open range `[low, high)` of stored paths inside this subtree: every
    /// such path starts with `self`, and '0' is the character after '/' in ASCII,
    /// so byte order (collation "C") keeps the subtree contiguous.
    pub fn range(&self) -> (String, String) {
        let mut high = self.0.clone();
        high.pop();
        high.push('0');
        (self.0.clone(), high)
    }

    pub fn codes(&self) -> impl Iterator<Item = &str> {
        codes_of(&self.0)
    }

    pub fn depth(&self) -> usize {
        self.codes().count()
    }

    /// The deepest unit containing all of `paths` (the root for none).
    pub fn common<'a>(paths: impl IntoIterator<Item = &'a UnitPath>) -> UnitPath {
        let mut common: Option<Vec<&str>> = None;
        for path in paths {
            let codes: Vec<&str> = path.codes().collect();
            common = Some(match common {
                None => codes,
                Some(prefix) => prefix.into_iter().zip(codes).take_while(|(a, b)| a == b).map(|(a, _)| a).collect(),
            });
        }
        match common {
            Some(codes) if !codes.is_empty() => UnitPath(format!("/{}/", codes.join("/"))),
            _ => UnitPath::root(),
        }
    }

    /// The county (旗县) a unit belongs to: the third code on its path, if any. Large
    /// tables carry it so that a region can later be distributed by county.
    pub fn county_code(&self) -> Option<&str> {
        UnitPath::county_of(&self.0)
    }

    /// The county of a stored path (see `county_code`).
    pub fn county_of(path: &str) -> Option<&str> {
        codes_of(path).nth(2)
    }
}

/// The codes on a stored path, root first.
fn codes_of(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

/// The level of a unit in the tree. Official divisions fill the first five; everything
/// added below a village (villager groups, grids, sub-grids) is a grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province,
    City,
    County,
    Township,
    Village,
    Grid,
}

impl Level {
    pub const ALL: [Level; 6] = [Level::Province, Level::City, Level::County, Level::Township, Level::Village, Level::Grid];

    pub fn parse(raw: &str) -> Result<Level, DomainError> {
        Level::ALL.into_iter().find(|l| l.as_str() == raw.trim()).ok_or(DomainError::invalid("level", Reason::UnknownLevel))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
            Level::Township => "township",
            Level::Village => "village",
            Level::Grid => "grid",
        }
    }

    /// The level of a unit placed under a parent of this level.
    pub fn below(parent: Option<Level>) -> Level {
        match parent {
            None => Level::Province,
            Some(Level::Province) => Level::City,
            Some(Level::City) => Level::County,
            Some(Level::County) => Level::Township,
            Some(Level::Township) => Level::Village,
            Some(Level::Village | Level::Grid) => Level::Grid,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Level::Province => "省/自治区",
            Level::City => "盟/市",
            Level::County => "旗/县/区",
            Level::Township => "苏木/乡/镇/街道",
            Level::Village => "嘎查/村/社区",
            Level::Grid => "村民小组/网格",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Level::Province => "region",
            Level::City => "league/city",
            Level::County => "banner/county",
            Level::Township => "sumu/township",
            Level::Village => "gacha/village",
            Level::Grid => "villager group/grid",
        }
    }
}

/// A unit as it is created: the storage layer derives path, level and county from the parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub code: UnitCode,
    pub name: String,
    pub parent: Option<UnitCode>,
    /// Set by the official division files; `None` means "one below the parent".
    pub level: Option<Level>,
}

impl NewUnit {
    /// A unit's code begins with its parent's code and is longer (`150502001001` under
    /// `150502001`, `530113105214-01` under `530113105214`), as every official code does:
    /// so nobody can take another place's code under their own unit, and a code says where
    /// in the tree it is.
    pub fn parse(code: &str, name: &str, parent: Option<&str>, level: Option<Level>) -> Result<NewUnit, DomainError> {
        let parent = match parent.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Some(UnitCode::parse(p).map_err(|_| DomainError::invalid("parent_code", Reason::BadCharacters))?),
            None => None,
        };
        let code = UnitCode::parse(code)?;
        if let Some(parent) = &parent
            && !code.is_under(parent)
        {
            return Err(DomainError::invalid("code", Reason::CodeUnderParent));
        }
        Ok(NewUnit { code, name: super::text::label("title", name, 100)?, parent, level })
    }
}

impl UnitCode {
    /// Whether this code may be a child's of `parent`: it begins with the parent's code and
    /// is longer.
    pub fn is_under(&self, parent: &UnitCode) -> bool {
        self.0.len() > parent.0.len() && self.0.starts_with(&parent.0)
    }

    /// The code a new child is given when none is typed: the parent's code and the next
    /// three-digit number after its children's (villager groups are numbered so:
    /// 150502001001 → 150502001001001). Only children numbered so count.
    pub fn next_child<'a>(&self, siblings: impl IntoIterator<Item = &'a str>) -> Result<UnitCode, DomainError> {
        let last = siblings
            .into_iter()
            .filter_map(|sibling| sibling.strip_prefix(self.as_str()))
            .filter(|number| number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit()))
            .filter_map(|number| number.parse::<u16>().ok())
            .max()
            .unwrap_or(0);
        if last >= 999 {
            return Err(DomainError::invalid("code", Reason::NoFreeCode));
        }
        UnitCode::parse(&format!("{}{:03}", self.as_str(), last + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_unit_of_paths() {
        let a = UnitPath("/15/1505/150502/150502001/".into());
        let b = UnitPath("/15/1505/150502/150502002/".into());
        assert_eq!(UnitPath::common([&a, &b]).as_str(), "/15/1505/150502/");
        assert_eq!(UnitPath::common([&a]).as_str(), a.as_str());
        assert_eq!(UnitPath::common([]).as_str(), "/");
    }

    fn path(codes: &[&str]) -> UnitPath {
        codes.iter().fold(UnitPath::root(), |p, c| p.child(&UnitCode::parse(c).unwrap()))
    }

    #[test]
    fn paths_contain_their_subtree_and_nothing_else() {
        let county = path(&["15", "1505", "150502"]);
        assert_eq!(county.as_str(), "/15/1505/150502/");
        assert!(county.contains(&path(&["15", "1505", "150502", "150502001"])));
        assert!(county.contains(&county));
        assert!(!county.contains(&path(&["15", "1505", "1505021"])));
        assert!(UnitPath::root().contains(&county));
        assert_eq!(county.county_code(), Some("150502"));
    }

    #[test]
    fn the_range_of_a_subtree_is_exactly_its_paths_in_byte_order() {
        let county = path(&["15", "1505", "150502"]);
        let (low, high) = county.range();
        let inside = path(&["15", "1505", "150502", "zz-9"]);
        let sibling = path(&["15", "1505", "1505021"]);
        assert!(low.as_str() <= inside.as_str() && inside.as_str() < high.as_str());
        assert!(!(low.as_str() <= sibling.as_str() && sibling.as_str() < high.as_str()));
    }

    #[test]
    fn codes_refuse_separators_and_wildcards() {
        for bad in ["", "15/05", "15%", "15_01", "a b", &"9".repeat(33)] {
            assert!(UnitCode::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(UnitCode::parse(" 150502001001-03 ").unwrap().as_str(), "150502001001-03");
    }

    #[test]
    fn a_units_code_begins_with_its_parents() {
        assert!(NewUnit::parse("150502001001001", "一组", Some("150502001001"), None).is_ok());
        assert!(NewUnit::parse("530113105214-01", "一网格", Some("530113105214"), None).is_ok());
        assert!(NewUnit::parse("15", "内蒙古自治区", None, Some(Level::Province)).is_ok());
        for (code, parent) in
            [("150521100777", "150502001001"), ("150502001001", "150502001001"), ("15050200100", "150502001001"), ("1505020010010", "150502001002")]
        {
            let err = NewUnit::parse(code, "x", Some(parent), None).unwrap_err();
            assert_eq!(err, DomainError::invalid("code", Reason::CodeUnderParent), "{code} under {parent}");
        }
        assert_eq!(
            NewUnit::parse("150521100777", "x", Some("150502001001"), None).unwrap_err().message(crate::domain::Lang::Zh),
            "编码: 须以上级单位的编码开头，并比它长"
        );
        assert!(NewUnit::parse("150502001001001", "<script>", Some("150502001001"), None).is_err());
    }

    #[test]
    fn new_children_are_numbered_after_their_siblings() {
        let village = UnitCode::parse("150502001001").unwrap();
        assert_eq!(village.next_child([]).unwrap().as_str(), "150502001001001");
        let siblings = ["150502001001001", "150502001001007", "150502001001-99", "1505020010014294967295", "150502001002009"];
        assert_eq!(village.next_child(siblings).unwrap().as_str(), "150502001001008");
        assert_eq!(village.next_child(["150502001001999"]).unwrap_err(), DomainError::invalid("code", Reason::NoFreeCode));
    }

    #[test]
    fn levels_step_down_and_stop_at_grid() {
        assert_eq!(Level::below(None), Level::Province);
        assert_eq!(Level::below(Some(Level::Township)), Level::Village);
        assert_eq!(Level::below(Some(Level::Grid)), Level::Grid);
    }
}
