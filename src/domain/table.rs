//! Rows of a user's sheet, already decoded to text, and the errors that point back
//! into it by row number (as the spreadsheet numbers them: the header is row 1).

use super::error::DomainError;
use super::lang::{self, Lang};

/// A decoded sheet: the header and the data rows with their spreadsheet row numbers.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

/// One row's cells, kept in one string: a roster of millions of rows would otherwise
/// allocate a string per cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: usize,
    text: String,
    ends: Vec<u32>,
}

impl Row {
    /// The trimmed text of a cell; a missing column or cell is empty.
    pub fn cell(&self, column: Option<usize>) -> &str {
        let Some(c) = column.filter(|c| *c < self.ends.len()) else { return "" };
        let start = if c == 0 { 0 } else { self.ends[c - 1] as usize };
        self.text[start..self.ends[c] as usize].trim()
    }
}

impl Table {
    pub fn new(header: impl IntoIterator<Item = impl AsRef<str>>) -> Table {
        let header = header.into_iter().map(|h| h.as_ref().trim_start_matches('\u{feff}').trim().to_string()).collect();
        Table { header, rows: Vec::new() }
    }

    /// Adds a row; rows that are entirely blank (Excel leaves them at the end of sheets)
    /// are dropped.
    pub fn push<'a>(&mut self, number: usize, cells: impl IntoIterator<Item = &'a str>) {
        let mut text = String::new();
        let mut ends = Vec::new();
        for cell in cells {
            text.push_str(cell);
            ends.push(text.len() as u32);
        }
        if !text.trim().is_empty() {
            self.rows.push(Row { number, text, ends });
        }
    }

    /// Builds a table from records in order, the first being the header.
    pub fn from_records(records: impl IntoIterator<Item = Vec<String>>) -> Table {
        let mut records = records.into_iter();
        let mut table = Table::new(records.next().unwrap_or_default());
        for (i, cells) in records.enumerate() {
            table.push(i + 2, cells.iter().map(String::as_str));
        }
        table
    }

    /// The index of the first column whose header is one of `names` (case-insensitive).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.header.iter().position(|h| {
            let h = h.to_lowercase();
            names.iter().any(|n| h == *n || h.split('/').any(|part| part.trim() == *n))
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    Field(DomainError),
    MissingColumn,
    DuplicateIdNumber {
        first_row: usize,
    },
    DuplicateCode {
        first_row: usize,
    },
    UnitNotInScope(String),
    UnknownParent(String),
    ParentChanged(String),
    RegisteredElsewhere,
    EmptyFile,
    Unreadable(String),
    /// A record the row names does not exist, or lies outside the caller's subtree.
    NotFound,
    /// What an import was planned from kept being changed by other writes before it could be
    /// written (the whole file, row 0).
    ChangedDuringImport,
    /// More rows than a roster may name of people registered in places the caller does not hold
    /// (the whole file, row 0): the rows are not named, so a file cannot probe ID numbers in bulk.
    ManyRegisteredElsewhere,
}

/// One thing wrong with one row (or with the whole file, when `row` is 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub column: Option<&'static str>,
    pub problem: RowProblem,
}

impl RowError {
    pub fn field(row: usize, err: DomainError) -> RowError {
        let column = match &err {
            DomainError::Invalid { field, .. } => Some(*field),
            DomainError::NotAllowed(_) | DomainError::Several(_) | DomainError::Unconfirmed(_) | DomainError::Feature(_) => None,
        };
        RowError { row, column, problem: RowProblem::Field(err) }
    }

    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let place = match (self.row, self.column) {
            (0, Some(c)) => {
                if zh {
                    format!("列“{}”", lang::field_name(c, lang))
                } else {
                    format!("column {}", lang::field_name(c, lang))
                }
            }
            (0, None) => {
                if zh {
                    "文件".to_string()
                } else {
                    "file".to_string()
                }
            }
            (r, Some(c)) => {
                if zh {
                    format!("第 {r} 行，列“{}”", lang::field_name(c, lang))
                } else {
                    format!("row {r}, column {}", lang::field_name(c, lang))
                }
            }
            (r, None) => {
                if zh {
                    format!("第 {r} 行")
                } else {
                    format!("row {r}")
                }
            }
        };
        let what = match &self.problem {
            RowProblem::Field(DomainError::Invalid { reason, .. }) => reason.message(lang),
            RowProblem::Field(other) => other.message(lang),
            RowProblem::MissingColumn => {
                if zh {
                    "缺少此列".into()
                } else {
                    "this column is missing".into()
                }
            }
            RowProblem::DuplicateIdNumber { first_row } => {
                if zh {
                    format!("身份证号与第 {first_row} 行重复")
                } else {
                    format!("same ID number as row {first_row}")
                }
            }
            RowProblem::DuplicateCode { first_row } => {
                if zh {
                    format!("编码与第 {first_row} 行重复")
                } else {
                    format!("same code as row {first_row}")
                }
            }
            RowProblem::UnitNotInScope(code) => {
                if zh {
                    format!("网格 {code} 不存在或不在导入范围内")
                } else {
                    format!("unit {code} does not exist or is not under the importing unit")
                }
            }
            RowProblem::UnknownParent(code) => {
                if zh {
                    format!("上级单位 {code} 不存在")
                } else {
                    format!("parent unit {code} does not exist")
                }
            }
            RowProblem::ParentChanged(old) => {
                if zh {
                    format!("此编码已存在于上级 {old} 之下，不能移动")
                } else {
                    format!("this code already exists under parent {old} and cannot move")
                }
            }
            RowProblem::RegisteredElsewhere => {
                if zh {
                    "无法在此登记：须由同时管辖两处的上级指挥部处理".into()
                } else {
                    "cannot be registered here: the HQ over both places must settle it".into()
                }
            }
            RowProblem::EmptyFile => {
                if zh {
                    "文件中没有数据行".into()
                } else {
                    "the file has no data rows".into()
                }
            }
            RowProblem::Unreadable(why) => {
                if zh {
                    format!("无法读取文件：{why}")
                } else {
                    format!("cannot read the file: {why}")
                }
            }
            RowProblem::NotFound => {
                if zh {
                    "找不到，或不在您的管辖范围内".into()
                } else {
                    "not found, or outside your area".into()
                }
            }
            RowProblem::ManyRegisteredElsewhere => {
                if zh {
                    "文件中多行人员已登记在您不管辖的地方，未导入任何数据：须由同时管辖两处的上级指挥部处理".into()
                } else {
                    "many rows name people registered in places you do not hold; nothing was imported: the HQ over both places must settle them".into()
                }
            }
            RowProblem::ChangedDuringImport => {
                if zh {
                    "导入期间此范围内的花名册一再被他人修改，未导入任何数据，请重新导入".into()
                } else {
                    "the roster under the importing unit kept being changed while the file was imported; nothing was imported, import it again".into()
                }
            }
        };
        format!("{place}: {what}")
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}
