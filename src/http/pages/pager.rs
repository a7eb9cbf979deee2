//! A list shown a page at a time: it says which of how many it shows, and links to the pages
//! before and after (`?from=N`), so no list is cut without saying so.

use super::Texts;

/// The rows `from`.. of a list of `total`, `shown` of them on this page of `per_page`.
#[derive(Debug, Clone)]
pub struct Pager {
    /// The list's element id, for tests and anchors.
    pub id: &'static str,
    pub from: u32,
    pub shown: usize,
    pub total: i64,
    pub per_page: u32,
    /// The page's address without `from`, e.g. `/units/150502/checkins?date=2020-02-01`.
    pub href: String,
    /// The query parameter that carries `from` (`from`, unless a page has two lists).
    pub param: &'static str,
}

impl Pager {
    pub fn new(id: &'static str, href: impl Into<String>, from: u32, per_page: u32, shown: usize, total: i64) -> Pager {
        Pager { id, from, shown, total, per_page, href: href.into(), param: "from" }
    }

    /// The same pager, carrying its place in `param` instead of `from`.
    pub fn with_param(self, param: &'static str) -> Pager {
        Pager { param, ..self }
    }

    fn at(&self, from: u32) -> String {
        let separator = if self.href.contains('?') { '&' } else { '?' };
        if from == 0 { self.href.clone() } else { format!("{}{separator}{}={from}", self.href, self.param) }
    }

    pub fn prev(&self) -> Option<String> {
        (self.from > 0).then(|| self.at(self.from.saturating_sub(self.per_page)))
    }

    pub fn next(&self) -> Option<String> {
        (i64::from(self.from) + (self.shown as i64) < self.total).then(|| self.at(self.from + self.shown as u32))
    }

    /// "第 1–500 条，共 3,245 条" / "1–500 of 3,245"; "共 3 条" / "3 in all" when all are shown.
    pub fn words(&self, t: &Texts) -> String {
        let total = thousands(self.total);
        // All shown, or nothing left this far on (an address past the end).
        if (self.shown as i64 >= self.total && self.from == 0) || self.shown == 0 {
            return if t.zh() { format!("共 {total} 条") } else { format!("{total} in all") };
        }
        let (first, last) = (thousands(i64::from(self.from) + 1), thousands(i64::from(self.from) + self.shown as i64));
        if t.zh() { format!("第 {first}–{last} 条，共 {total} 条") } else { format!("{first}–{last} of {total}") }
    }

    pub fn prev_word(&self, t: &Texts) -> &'static str {
        if t.zh() { "‹ 上一页" } else { "‹ Previous" }
    }

    pub fn next_word(&self, t: &Texts) -> &'static str {
        if t.zh() { "下一页 ›" } else { "Next ›" }
    }
}

impl Texts {
    /// Under a list that shows only its newest: "显示最新 200 条，共 1,204 条" / "the newest 200 of 1,204".
    pub fn shown_of(&self, shown: usize, total: i64) -> String {
        let (shown, total) = (thousands(shown as i64), thousands(total));
        if self.zh() { format!("显示最新 {shown} 条，共 {total} 条") } else { format!("the newest {shown} of {total}") }
    }

    /// A count that stops at a cap: "共 1,204 条" / "1,204 in all", or "超过 10,000 条" / "more than 10,000".
    pub fn count_of(&self, total: &i64, more: &bool) -> String {
        let total = thousands(*total);
        match (self.zh(), *more) {
            (true, false) => format!("共 {total} 条"),
            (true, true) => format!("超过 {total} 条"),
            (false, false) => format!("{total} in all"),
            (false, true) => format!("more than {total}"),
        }
    }
}

/// A value as it goes into a page's address (`?q=…`): everything but unreserved characters
/// percent-encoded as UTF-8.
pub fn query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;

    #[test]
    fn a_pager_says_which_of_how_many() {
        let zh = Texts { lang: Lang::Zh };
        let en = Texts { lang: Lang::En };
        let first = Pager::new("missing", "/units/15/checkins", 0, 500, 500, 3245);
        assert_eq!(first.words(&zh), "第 1–500 条，共 3,245 条");
        assert_eq!(first.words(&en), "1–500 of 3,245");
        assert_eq!(first.prev(), None);
        assert_eq!(first.next().as_deref(), Some("/units/15/checkins?from=500"));
        let last = Pager::new("missing", "/units/15/checkins?date=2020-02-01", 3000, 500, 245, 3245);
        assert_eq!(last.next(), None);
        assert_eq!(last.prev().as_deref(), Some("/units/15/checkins?date=2020-02-01&from=2500"));
        let all = Pager::new("missing", "/x", 0, 500, 3, 3);
        assert_eq!(all.words(&zh), "共 3 条");
        assert_eq!((zh.count_of(&10_000, &true), zh.count_of(&1_204, &false)), ("超过 10,000 条".to_string(), "共 1,204 条".to_string()));
        assert_eq!(all.words(&en), "3 in all");
        let beyond = Pager::new("missing", "/x", 99_999, 500, 0, 1103);
        assert_eq!(beyond.words(&zh), "共 1,103 条");
        assert_eq!(beyond.prev().as_deref(), Some("/x?from=99499"));
    }

    #[test]
    fn a_second_list_pages_by_its_own_parameter() {
        let q = query_value("张 三&x=1");
        assert_eq!(q, "%E5%BC%A0%20%E4%B8%89%26x%3D1");
        let people = Pager::new("people", format!("/search?q={q}&from=100"), 0, 100, 100, 250).with_param("people_from");
        assert_eq!(people.next().as_deref(), Some("/search?q=%E5%BC%A0%20%E4%B8%89%26x%3D1&from=100&people_from=100"));
    }
}
