//! The evening report sheet (日报表) as .xlsx and CSV: a title row (the unit, the date, when it
//! was made), two-level headers, a row per child (and one for what is registered on the unit
//! itself), and a total row whose sums are formulas that also carry their values, so that a
//! viewer without a calculation engine shows them.

use chrono::{DateTime, Utc};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook};

use super::AppError;
use super::command::Dashboard;
use super::files::csv_cell;
use crate::domain::Lang;
use crate::domain::command::{DayFigures, SHEET, SheetValue, rate_parts};
use crate::domain::time::REGION_TZ;

/// The rows of the sheet: a name and its figures, the children first, then the unit's own.
fn rows(board: &Dashboard, lang: Lang) -> Vec<(String, &DayFigures)> {
    let mut rows: Vec<(String, &DayFigures)> = board.children.iter().map(|(unit, f)| (unit.name.clone(), f)).collect();
    if board.own != DayFigures::default() || rows.is_empty() {
        let own = if lang == Lang::Zh { format!("{}（本级）", board.unit.name) } else { format!("{} (itself)", board.unit.name) };
        rows.push((own, &board.own));
    }
    rows
}

fn title(board: &Dashboard, lang: Lang) -> String {
    if lang == Lang::Zh {
        format!("{} 疫情防控日报表 · {}", board.unit.name, board.date)
    } else {
        format!("{} · daily report · {}", board.unit.name, board.date)
    }
}

fn pick(words: (&'static str, &'static str), lang: Lang) -> &'static str {
    if lang == Lang::Zh { words.0 } else { words.1 }
}

/// `A`, `B`, … `Z`, `AA`, …: a column's letters.
fn column_name(mut index: usize) -> String {
    let mut name = String::new();
    loop {
        name.insert(0, char::from(b'A' + (index % 26) as u8));
        if index < 26 {
            return name;
        }
        index = index / 26 - 1;
    }
}

/// The sheet as an .xlsx workbook.
pub fn xlsx(board: &Dashboard, lang: Lang, made_at: DateTime<Utc>) -> Result<Vec<u8>, AppError> {
    let failed = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("writing the sheet: {e}"));
    let rows = rows(board, lang);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(if lang == Lang::Zh { "日报表" } else { "Daily report" }).map_err(failed)?;
    let header = Format::new().set_bold().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter).set_border(FormatBorder::Thin).set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let rate = Format::new().set_border(FormatBorder::Thin).set_num_format("0.0%");
    let bold = Format::new().set_bold().set_border(FormatBorder::Thin);
    let bold_rate = Format::new().set_bold().set_border(FormatBorder::Thin).set_num_format("0.0%");
    let last = SHEET.len() as u16;
    let made = made_at.with_timezone(&REGION_TZ).format("%Y-%m-%d %H:%M");
    let made = if lang == Lang::Zh { format!("{}（制表时间 {made}）", title(board, lang)) } else { format!("{} (made {made})", title(board, lang)) };
    sheet.merge_range(0, 0, 0, last, &made, &Format::new().set_bold().set_font_size(14)).map_err(failed)?;
    sheet.merge_range(1, 0, 2, 0, pick(("单位", "Unit"), lang), &header).map_err(failed)?;
    let mut col = 0;
    while col < SHEET.len() {
        let group = SHEET[col].group;
        let width = SHEET[col..].iter().take_while(|c| c.group == group).count();
        let (first, end) = (col as u16 + 1, (col + width) as u16);
        if width > 1 {
            sheet.merge_range(1, first, 1, end, pick(group, lang), &header).map_err(failed)?;
        } else {
            sheet.write_string_with_format(1, first, pick(group, lang), &header).map_err(failed)?;
        }
        col += width;
    }
    for (i, column) in SHEET.iter().enumerate() {
        sheet.write_string_with_format(2, i as u16 + 1, pick(column.header, lang), &header).map_err(failed)?;
        sheet.set_column_width(i as u16 + 1, 9).map_err(failed)?;
    }
    sheet.set_column_width(0, 18).map_err(failed)?;
    for (r, (name, figures)) in rows.iter().enumerate() {
        let row = 3 + r as u32;
        sheet.write_string_with_format(row, 0, name, &cell).map_err(failed)?;
        for (i, column) in SHEET.iter().enumerate() {
            match (column.value)(figures) {
                SheetValue::Count(n) => sheet.write_number_with_format(row, i as u16 + 1, n as f64, &cell),
                SheetValue::Rate(Some(r)) => sheet.write_number_with_format(row, i as u16 + 1, r, &rate),
                SheetValue::Rate(None) => sheet.write_blank(row, i as u16 + 1, &rate),
            }
            .map_err(failed)?;
        }
    }
    // The total row: sums over the rows above, and the rate of the summed columns.
    let (first, total_row) = (4, 3 + rows.len() as u32);
    sheet.write_string_with_format(total_row, 0, pick(("合计", "Total"), lang), &bold).map_err(failed)?;
    let (reported, expected) = rate_parts();
    for (i, column) in SHEET.iter().enumerate() {
        let letters = column_name(i + 1);
        match (column.value)(&board.figures) {
            SheetValue::Count(n) => {
                let formula = Formula::new(format!("=SUM({letters}{first}:{letters}{total_row})")).set_result(n.to_string());
                sheet.write_formula_with_format(total_row, i as u16 + 1, formula, &bold).map_err(failed)?;
            }
            SheetValue::Rate(value) => {
                let (r, e) = (column_name(reported + 1), column_name(expected + 1));
                let cell = format!("{}", total_row + 1);
                let formula = Formula::new(format!("=IF({e}{cell}=0,\"\",{r}{cell}/{e}{cell})")).set_result(value.map(|v| v.to_string()).unwrap_or_default());
                sheet.write_formula_with_format(total_row, i as u16 + 1, formula, &bold_rate).map_err(failed)?;
            }
        }
    }
    sheet.set_freeze_panes(3, 1).map_err(failed)?;
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(1, 2).map_err(failed)?;
    workbook.save_to_buffer().map_err(failed)
}

/// The sheet as CSV (UTF-8 with a byte-order mark, so that spreadsheets read the Chinese):
/// a header row naming each column by its group and header, the rows, the total row.
pub fn csv(board: &Dashboard, lang: Lang) -> String {
    let mut out = String::from("\u{feff}");
    let mut header = vec![csv_cell(pick(("单位", "Unit"), lang))];
    header.extend(SHEET.iter().map(|c| csv_cell(&format!("{}·{}", pick(c.group, lang), pick(c.header, lang)))));
    out.push_str(&header.join(","));
    out.push('\n');
    let total = pick(("合计", "Total"), lang).to_string();
    for (name, figures) in rows(board, lang).into_iter().chain([(total, &board.figures)]) {
        let mut line = vec![csv_cell(&name)];
        line.extend(SHEET.iter().map(|c| match (c.value)(figures) {
            SheetValue::Count(n) => n.to_string(),
            SheetValue::Rate(Some(r)) => format!("{:.1}%", r * 100.0),
            SheetValue::Rate(None) => String::new(),
        }));
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::column_name;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!([column_name(0), column_name(25), column_name(26), column_name(27), column_name(701)], ["A", "Z", "AA", "AB", "ZZ"]);
    }
}
