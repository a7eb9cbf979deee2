//! The scope filter. Every query of people's data keeps to the caller's subtree; a subtree
//! is the half-open range of stored paths `[path, path-with-last-'/'-made-'0')`
//! (`UnitPath::range`), so the filter is an index range scan. `Scope` is the one place that
//! writes that condition and binds its ends, so no query spells the range by hand or binds
//! its ends by position.

use sqlx::{Database, Encode, QueryBuilder, Type};

use crate::domain::UnitPath;

/// A subtree of the grid as the range of stored paths inside it.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    low: String,
    high: String,
}

impl Scope {
    pub(crate) fn of(path: &UnitPath) -> Scope {
        let (low, high) = path.range();
        Scope { low, high }
    }

    /// Whether a stored path lies in the subtree, for a check made on rows already read.
    pub(crate) fn contains(&self, path: &str) -> bool {
        self.low.as_str() <= path && path < self.high.as_str()
    }

    /// The condition for a statement prepared once and bound by hand (SQLite's group writers):
    /// `column >= $n AND column < $n+1`, where `ends` are bound.
    pub(crate) fn condition(column: &str, n: usize) -> String {
        format!("{column} >= ${n} AND {column} < ${}", n + 1)
    }

    /// The ends to bind at a `condition`'s parameters, in its order.
    pub(crate) fn ends(&self) -> (&str, &str) {
        (&self.low, &self.high)
    }

    /// Appends `column >= low AND column < high` to `query`, binding both ends.
    pub(crate) fn push_within<'q, DB>(&self, query: &'q mut QueryBuilder<DB>, column: &str) -> &'q mut QueryBuilder<DB>
    where
        DB: Database,
        String: for<'e> Encode<'e, DB> + Type<DB>,
    {
        query.push(column).push(" >= ").push_bind(self.low.clone()).push(" AND ").push(column).push(" < ").push_bind(self.high.clone())
    }
}

/// The condition that the path `column` lies in the subtree whose root's path is the column
/// `root` of another row (a join of a unit with what lies under it).
pub(crate) fn within_column(column: &str, root: &str) -> String {
    format!("{column} >= {root} AND {column} < substr({root}, 1, length({root}) - 1) || '0'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_range_is_appended_with_both_ends_bound() {
        let mut query = QueryBuilder::<sqlx::Postgres>::new("SELECT id FROM households WHERE id = ");
        query.push_bind(1_i64).push(" AND ");
        Scope::of(&UnitPath::from_stored("/15/1505/".to_string())).push_within(&mut query, "h.unit_path");
        assert_eq!(query.sql().as_str(), "SELECT id FROM households WHERE id = $1 AND h.unit_path >= $2 AND h.unit_path < $3");
    }

    #[test]
    fn a_prepared_condition_names_its_parameters_and_the_ends_to_bind() {
        assert_eq!(Scope::condition("unit_path", 2), "unit_path >= $2 AND unit_path < $3");
        assert_eq!(Scope::of(&UnitPath::from_stored("/15/1505/".to_string())).ends(), ("/15/1505/", "/15/15050"));
    }

    #[test]
    fn a_column_subtree_ends_before_its_last_slash_made_zero() {
        assert_eq!(within_column("uc.path", "c.path"), "uc.path >= c.path AND uc.path < substr(c.path, 1, length(c.path) - 1) || '0'");
    }
}
