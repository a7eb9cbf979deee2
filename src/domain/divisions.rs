//! Division files: the statistical bureau's five-file layout (provinces, cities, areas,
//! streets, villages) and a generic `code,name,parent_code` sheet, read the same way.

use std::collections::{HashMap, HashSet};

use super::table::{RowError, RowProblem, Table};
use super::unit::{Level, NewUnit};

/// The official files, parent first, with the level of their units and the column naming
/// each row's parent.
pub const OFFICIAL_FILES: [(&str, Level, Option<&str>); 5] = [
    ("provinces", Level::Province, None),
    ("cities", Level::City, Some("provincecode")),
    ("areas", Level::County, Some("citycode")),
    ("streets", Level::Township, Some("areacode")),
    ("villages", Level::Village, Some("streetcode")),
];

/// Parses one sheet. `stem` is the file name without extension: an official file name
/// fixes the level; any other sheet is generic and takes its parent from `parent_code`.
pub fn parse(stem: &str, table: &Table) -> Result<Vec<(usize, NewUnit)>, Vec<RowError>> {
    let official = OFFICIAL_FILES.iter().find(|(name, _, _)| *name == stem);
    let code_col = table.column(&["code", "编码", "代码"]);
    let name_col = table.column(&["name", "名称"]);
    let parent_col = match official {
        Some((_, _, Some(col))) => table.column(&[col]),
        Some((_, _, None)) => None,
        None => table.column(&["parent_code", "parent", "上级编码"]),
    };
    let level_col = table.column(&["level", "层级"]);
    let mut errors = Vec::new();
    for (column, found) in [("code", code_col), ("title", name_col)] {
        if found.is_none() {
            errors.push(RowError { row: 0, column: Some(column), problem: RowProblem::MissingColumn });
        }
    }
    if matches!(official, Some((_, _, Some(_)))) && parent_col.is_none() {
        errors.push(RowError { row: 0, column: Some("parent_code"), problem: RowProblem::MissingColumn });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut units = Vec::with_capacity(table.rows.len());
    let mut first_row_of: HashMap<String, usize> = HashMap::new();
    for cells in &table.rows {
        let row = &cells.number;
        let level = match (official, cells.cell(level_col)) {
            (Some((_, level, _)), _) => Ok(Some(*level)),
            (None, "") => Ok(None),
            (None, raw) => Level::parse(raw).map(Some),
        };
        let parsed = level.and_then(|level| NewUnit::parse(cells.cell(code_col), cells.cell(name_col), Some(cells.cell(parent_col)), level));
        match parsed {
            Ok(unit) => {
                if let Some(first_row) = first_row_of.get(unit.code.as_str()) {
                    errors.push(RowError { row: *row, column: Some("code"), problem: RowProblem::DuplicateCode { first_row: *first_row } });
                } else {
                    first_row_of.insert(unit.code.as_str().to_string(), *row);
                    units.push((*row, unit));
                }
            }
            Err(err) => errors.push(RowError::field(*row, err)),
        }
    }
    if errors.is_empty() { Ok(order_parents_first(units)) } else { Err(errors) }
}

/// Orders units so that every parent named in the batch comes before its children;
/// parents outside the batch (from earlier imports) are left for storage to find.
pub fn order_parents_first(units: Vec<(usize, NewUnit)>) -> Vec<(usize, NewUnit)> {
    let in_batch: HashSet<String> = units.iter().map(|(_, u)| u.code.as_str().to_string()).collect();
    let mut children: HashMap<String, Vec<(usize, NewUnit)>> = HashMap::new();
    let mut ordered = Vec::with_capacity(units.len());
    let mut ready = Vec::new();
    for (row, unit) in units {
        match &unit.parent {
            Some(p) if in_batch.contains(p.as_str()) && p != &unit.code => children.entry(p.as_str().to_string()).or_default().push((row, unit)),
            _ => ready.push((row, unit)),
        }
    }
    ready.reverse();
    while let Some((row, unit)) = ready.pop() {
        if let Some(mut kids) = children.remove(unit.code.as_str()) {
            kids.reverse();
            ready.extend(kids);
        }
        ordered.push((row, unit));
    }
    // Whatever remains sits on a cycle; keep it so that storage reports the unknown parent.
    ordered.extend(children.into_values().flatten());
    ordered
}

/// The provinces of GB/T 2260 by their two-digit code, for places named by a code that the
/// imported divisions do not hold (a key area `42` is 湖北省).
pub fn province_name(code: &str) -> Option<&'static str> {
    const PROVINCES: [(&str, &str); 34] = [
        ("11", "北京市"),
        ("12", "天津市"),
        ("13", "河北省"),
        ("14", "山西省"),
        ("15", "内蒙古自治区"),
        ("21", "辽宁省"),
        ("22", "吉林省"),
        ("23", "黑龙江省"),
        ("31", "上海市"),
        ("32", "江苏省"),
        ("33", "浙江省"),
        ("34", "安徽省"),
        ("35", "福建省"),
        ("36", "江西省"),
        ("37", "山东省"),
        ("41", "河南省"),
        ("42", "湖北省"),
        ("43", "湖南省"),
        ("44", "广东省"),
        ("45", "广西壮族自治区"),
        ("46", "海南省"),
        ("50", "重庆市"),
        ("51", "四川省"),
        ("52", "贵州省"),
        ("53", "云南省"),
        ("54", "西藏自治区"),
        ("61", "陕西省"),
        ("62", "甘肃省"),
        ("63", "青海省"),
        ("64", "宁夏回族自治区"),
        ("65", "新疆维吾尔自治区"),
        ("71", "台湾省"),
        ("81", "香港特别行政区"),
        ("82", "澳门特别行政区"),
    ];
    PROVINCES.iter().find(|(c, _)| *c == code).map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table::from_records(rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()))
    }

    #[test]
    fn official_files_fix_the_level_and_parent_column() {
        let t = table(&[&["code", "name", "areaCode", "provinceCode", "cityCode"], &["150502001", "明仁街道", "150502", "15", "1505"]]);
        let units = parse("streets", &t).unwrap();
        assert_eq!(units[0].1.level, Some(Level::Township));
        assert_eq!(units[0].1.parent.as_ref().unwrap().as_str(), "150502");
    }

    #[test]
    fn generic_sheets_are_ordered_parent_first() {
        let t = table(&[
            &["code", "name", "parent_code"],
            &["150502001001-02", "二组", "150502001001-0"],
            &["150502001001-0", "片区", "150502001001"],
            &["150502001001-01", "一组", "150502001001-0"],
        ]);
        let codes: Vec<String> = parse("grids", &t).unwrap().iter().map(|(_, u)| u.code.to_string()).collect();
        assert_eq!(codes, ["150502001001-0", "150502001001-02", "150502001001-01"]);
    }

    #[test]
    fn bad_rows_are_named() {
        let t = table(&[&["code", "name", "parent_code"], &["1/2", "x", ""], &["7", "", ""], &["8", "a", ""], &["8", "b", ""]]);
        let rows: Vec<usize> = parse("x", &t).unwrap_err().iter().map(|e| e.row).collect();
        assert_eq!(rows, [2, 3, 5]);
    }
}
