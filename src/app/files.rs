//! Turns a user's file into a table of text: .xlsx (the first sheet), or CSV in UTF-8
//! (with or without BOM) or GBK/GB18030, which Excel in a Chinese office saves.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Reader, Xlsx, open_workbook_from_rs};

use crate::domain::table::{RowError, RowProblem, Table};

/// The largest file accepted: a tongliao-scale roster is about 250 MB.
pub const MAX_FILE_BYTES: usize = 512 * 1024 * 1024;

pub fn read_table(bytes: &[u8]) -> Result<Table, RowError> {
    let unreadable = |why: String| RowError { row: 0, column: None, problem: RowProblem::Unreadable(why) };
    if bytes.starts_with(b"PK\x03\x04") {
        let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: calamine::XlsxError| unreadable(e.to_string()))?;
        let range = workbook.worksheet_range_at(0).ok_or_else(|| unreadable("the workbook has no sheet".into()))?.map_err(|e| unreadable(e.to_string()))?;
        return Ok(Table::from_records(range.rows().map(|row| row.iter().map(|c| c.to_string()).collect())));
    }
    let text = decode_text(bytes);
    let delimiter = sniff_delimiter(text.lines().next().unwrap_or(""));
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let read = |reader: &mut csv::Reader<&[u8]>, record: &mut csv::StringRecord, row: usize| {
        reader.read_record(record).map_err(|e| RowError { row, column: None, problem: RowProblem::Unreadable(e.to_string()) })
    };
    if !read(&mut reader, &mut record, 1)? {
        return Ok(Table::default());
    }
    let mut table = Table::new(record.iter());
    let mut row = 2;
    while read(&mut reader, &mut record, row)? {
        table.push(row, record.iter());
        row += 1;
    }
    Ok(table)
}

/// UTF-8 if the bytes are valid UTF-8 (a BOM is dropped), else GB18030, a superset of GBK.
pub fn decode_text(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => encoding_rs::GB18030.decode(bytes).0,
    }
}

fn sniff_delimiter(header: &str) -> u8 {
    [b',', b'\t', b';'].into_iter().max_by_key(|d| header.bytes().filter(|b| b == d).count()).unwrap_or(b',')
}

/// Quotes a CSV cell, and defuses a leading `=`, `+`, `-` or `@` that a spreadsheet would run.
pub fn csv_cell(cell: &str) -> String {
    let cell = if cell.starts_with(['=', '+', '-', '@']) { format!("'{cell}") } else { cell.to_string() };
    format!("\"{}\"", cell.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_and_bom_and_tabs_are_read() {
        let (gbk, _, _) = encoding_rs::GBK.encode("户号,姓名\n001,张三\n");
        let table = read_table(&gbk).unwrap();
        assert_eq!(table.header, ["户号", "姓名"]);
        assert_eq!(table.rows.len(), 1);
        assert_eq!((table.rows[0].number, table.rows[0].cell(Some(0)), table.rows[0].cell(Some(1))), (2, "001", "张三"));
        let table = read_table("\u{feff}户号\t姓名\n001\t张三\n".as_bytes()).unwrap();
        assert_eq!(table.header, ["户号", "姓名"]);
        assert_eq!(table.rows[0].cell(Some(1)), "张三");
    }
}
