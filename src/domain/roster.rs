//! The roster (花名册) as users keep it: one row per resident, grouped into households.

use std::collections::HashMap;

use super::household::{Residence, is_head};
use super::id_number::IdNumber;
use super::phone::Phone;
use super::table::{RowError, RowProblem, Table};
use super::text::{label, optional_label, person_name};
use super::unit::UnitCode;

/// Header names accepted for each column, Chinese and English.
const COLUMNS: [(&str, &[&str]); 8] = [
    ("household_no", &["户号", "household_no", "household no", "household"]),
    ("name", &["姓名", "name"]),
    ("id_number", &["身份证号", "身份证号码", "id_number", "id number", "id"]),
    ("relation", &["与户主关系", "关系", "relation"]),
    ("phone", &["联系电话", "电话", "手机号", "phone"]),
    ("address", &["住址", "地址", "address"]),
    ("unit_code", &["网格编码", "网格", "unit_code", "unit code", "unit"]),
    ("residence", &["居住类型", "residence"]),
];
const REQUIRED: [&str; 3] = ["household_no", "name", "id_number"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterResident {
    pub row: usize,
    pub name: String,
    pub id_number: IdNumber,
    pub relation: String,
    pub phone: Option<Phone>,
    pub residence: Residence,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterHousehold {
    pub unit_code: UnitCode,
    pub household_no: String,
    pub address: Option<String>,
    pub residents: Vec<RosterResident>,
}

impl RosterHousehold {
    /// The head's name: the resident marked 户主, else the first listed.
    pub fn head_name(&self) -> &str {
        self.residents.iter().find(|r| is_head(&r.relation)).or(self.residents.first()).map(|r| r.name.as_str()).unwrap_or("")
    }

    pub fn renters(&self) -> bool {
        self.residents.iter().any(|r| r.residence == Residence::Renter)
    }
}

/// Parses every row, collecting every problem; the roster is usable only when there are none.
/// Rows without a unit code belong to `default_unit` (the unit the file is imported into).
pub fn parse(table: &Table, default_unit: &UnitCode) -> Result<Vec<RosterHousehold>, Vec<RowError>> {
    let mut errors = Vec::new();
    let column: [Option<usize>; 8] = COLUMNS.map(|(_, names)| table.column(names));
    for (key, found) in COLUMNS.iter().map(|(key, _)| *key).zip(column) {
        if REQUIRED.contains(&key) && found.is_none() {
            errors.push(RowError { row: 0, column: Some(key), problem: RowProblem::MissingColumn });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if table.rows.is_empty() {
        return Err(vec![RowError { row: 0, column: None, problem: RowProblem::EmptyFile }]);
    }
    let [household_no_at, name_at, id_number_at, relation_at, phone_at, address_at, unit_code_at, residence_at] = column;

    let mut households: Vec<RosterHousehold> = Vec::new();
    let mut household_at: HashMap<(UnitCode, String), usize> = HashMap::new();
    // Keyed by the number's value: no copy of the text per row.
    let mut first_row_of_id: HashMap<u64, usize> = HashMap::with_capacity(table.rows.len());
    for cells in &table.rows {
        let row = cells.number;
        let mut fail = |err| errors.push(RowError::field(row, err));

        let household_no = label("household_no", cells.cell(household_no_at), 32).map_err(&mut fail).ok();
        let name = person_name("name", cells.cell(name_at)).map_err(&mut fail).ok();
        let id_number = IdNumber::parse(cells.cell(id_number_at)).map_err(&mut fail).ok();
        let relation = optional_label("relation", cells.cell(relation_at), 20).map_err(&mut fail).ok().flatten().unwrap_or_default();
        let phone = match cells.cell(phone_at) {
            "" => Some(None),
            raw => Phone::parse(raw).map_err(&mut fail).ok().map(Some),
        };
        let address = super::text::check_address("address", cells.cell(address_at), 200).map_err(&mut fail).ok();
        // Rows of one household usually follow each other: most rows reuse the last unit code.
        let unit_code = match cells.cell(unit_code_at) {
            "" => Some(default_unit.clone()),
            raw => match households.last() {
                Some(last) if last.unit_code.as_str() == raw => Some(last.unit_code.clone()),
                _ => UnitCode::parse(raw).map_err(|e| fail(reword(e, "unit_code"))).ok(),
            },
        };
        let residence = Residence::parse(cells.cell(residence_at)).map_err(&mut fail).ok();

        if let Some(id) = &id_number {
            match first_row_of_id.entry(id.value()) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    errors.push(RowError { row, column: Some("id_number"), problem: RowProblem::DuplicateIdNumber { first_row: *first.get() } })
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(row);
                }
            }
        }
        let (Some(household_no), Some(name), Some(id_number), Some(phone), Some(address), Some(unit_code), Some(residence)) =
            (household_no, name, id_number, phone, address, unit_code, residence)
        else {
            continue;
        };
        let at = match households.last() {
            Some(last) if last.unit_code == unit_code && last.household_no == household_no => households.len() - 1,
            _ => *household_at.entry((unit_code.clone(), household_no.clone())).or_insert_with(|| {
                households.push(RosterHousehold { unit_code, household_no, address: None, residents: Vec::with_capacity(4) });
                households.len() - 1
            }),
        };
        let household = &mut households[at];
        if !address.is_empty() && (household.address.is_none() || is_head(&relation)) {
            household.address = Some(address.to_string());
        }
        household.residents.push(RosterResident { row, name, id_number, relation, phone, residence });
    }
    if errors.is_empty() { Ok(households) } else { Err(errors) }
}

fn reword(err: super::DomainError, field: &'static str) -> super::DomainError {
    match err {
        super::DomainError::Invalid { reason, .. } => super::DomainError::Invalid { field, reason },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DomainError;
    use crate::domain::error::Reason;

    fn table(rows: &[&[&str]]) -> Table {
        Table::from_records(rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()))
    }

    fn unit() -> UnitCode {
        UnitCode::parse("150502001001").unwrap()
    }

    #[test]
    fn groups_rows_into_households_with_chinese_headers() {
        let t = table(&[
            &["\u{feff}户号", "姓名", "身份证号", "与户主关系", "联系电话", "住址", "居住类型"],
            &["001", "张三", "11010519491231002X", "户主", "13812345678", "一组 1 号", "常住"],
            &["001", "李四", "110105195001010012", "配偶", "", "", ""],
            &["002", "王五", "110105198001010016", "户主", "", "一组 2 号", "租住"],
        ]);
        let households = parse(&t, &unit()).unwrap();
        assert_eq!(households.len(), 2);
        assert_eq!(households[0].residents.len(), 2);
        assert_eq!(households[0].head_name(), "张三");
        assert_eq!(households[0].address.as_deref(), Some("一组 1 号"));
        assert!(!households[0].renters());
        assert!(households[1].renters());
        assert_eq!(households[1].unit_code, unit());
    }

    #[test]
    fn names_every_bad_row_and_column() {
        let t = table(&[
            &["household_no", "name", "id_number", "phone"],
            &["001", "Zhang", "110105194912310021", ""],
            &["001", "", "11010519491231002X", "12345"],
            &["002", "Wang", "11010519491231002X", ""],
        ]);
        let errors = parse(&t, &unit()).unwrap_err();
        let found: Vec<(usize, Option<&str>)> = errors.iter().map(|e| (e.row, e.column)).collect();
        assert_eq!(found, vec![(2, Some("id_number")), (3, Some("name")), (3, Some("phone")), (4, Some("id_number"))]);
        assert_eq!(errors[0].problem, RowProblem::Field(DomainError::invalid("id_number", Reason::IdCheckDigit('X'))));
        assert_eq!(errors[3].problem, RowProblem::DuplicateIdNumber { first_row: 3 });
        assert_eq!(errors[0].message(crate::domain::Lang::Zh), "第 2 行，列“身份证号”: 身份证号校验位错误（应为 X）");
    }

    #[test]
    fn a_missing_required_column_is_reported_once() {
        let errors = parse(&table(&[&["姓名", "户号"], &["张三", "1"]]), &unit()).unwrap_err();
        assert_eq!(errors, vec![RowError { row: 0, column: Some("id_number"), problem: RowProblem::MissingColumn }]);
    }
}
