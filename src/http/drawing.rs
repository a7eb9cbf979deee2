//! Pictures drawn on the server as SVG (no chart library, no base map, no JavaScript): the
//! four-colour household map. Both doors serve them: the API as `image/svg+xml`, the pages
//! inline or as an image.

use std::fmt::Write;

use crate::domain::command::ColourMap;
use crate::domain::{Colour, Lang};

const TILE_W: usize = 44;
const TILE_H: usize = 26;
const GAP: usize = 4;
const COLUMNS: usize = 20;
const MARGIN: usize = 12;

/// The fill of a colour on paper and on screen (the pages' `--red` … in `app.css`).
pub fn fill(colour: Colour) -> &'static str {
    match colour {
        Colour::Red => "#d93025",
        Colour::Yellow => "#f2b600",
        Colour::Blue => "#1a73e8",
        Colour::White => "#ffffff",
    }
}

/// Text on a fill: white on red and blue, dark on yellow and white.
fn ink(colour: Colour) -> &'static str {
    match colour {
        Colour::Red | Colour::Blue => "#ffffff",
        Colour::Yellow | Colour::White => "#1f2328",
    }
}

/// Escapes text for SVG (XML) content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole map as one SVG: a title, the legend with counts, then each group under its name,
/// twenty tiles a row, each tile linking to its household's page.
pub fn colour_map_svg(map: &ColourMap, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let width = MARGIN * 2 + COLUMNS * (TILE_W + GAP) - GAP;
    let mut body = String::new();
    let mut y = MARGIN + 18;
    let title = if zh {
        format!("{} · 四色图（{} 户）", map.unit_name, map.counts.total())
    } else {
        format!("{} · four-colour map ({} households)", map.unit_name, map.counts.total())
    };
    let _ = write!(body, r#"<text x="{MARGIN}" y="{y}" font-size="18" font-weight="700">{}</text>"#, escape(&title));
    y += 14;
    let mut x = MARGIN;
    for colour in Colour::ALL {
        let label = if zh { colour.label_zh() } else { colour.label_en() };
        let _ = write!(
            body,
            r##"<rect x="{x}" y="{y}" width="14" height="14" fill="{}" stroke="#98a2b3"/><text x="{}" y="{}" font-size="13">{} {}</text>"##,
            fill(colour),
            x + 18,
            y + 12,
            escape(label),
            map.counts.get(colour)
        );
        x += 170;
    }
    y += 30;
    for group in &map.groups {
        let _ =
            write!(body, r#"<text x="{MARGIN}" y="{}" font-size="15" font-weight="600">{} ({})</text>"#, y + 12, escape(&group.unit_name), group.tiles.len());
        y += 20;
        for (i, tile) in group.tiles.iter().enumerate() {
            let (col, row) = (i % COLUMNS, i / COLUMNS);
            let (tx, ty) = (MARGIN + col * (TILE_W + GAP), y + row * (TILE_H + GAP));
            let _ = write!(
                body,
                r##"<a href="/households/{}"><rect class="tile {}" x="{tx}" y="{ty}" width="{TILE_W}" height="{TILE_H}" rx="3" fill="{}" stroke="#98a2b3"/><text x="{}" y="{}" font-size="12" text-anchor="middle" fill="{}">{}</text></a>"##,
                tile.household_id,
                tile.colour.as_str(),
                fill(tile.colour),
                tx + TILE_W / 2,
                ty + TILE_H / 2 + 4,
                ink(tile.colour),
                escape(&tile.household_no)
            );
        }
        y += group.tiles.len().div_ceil(COLUMNS) * (TILE_H + GAP) + 12;
    }
    let height = y + MARGIN;
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="system-ui, 'Noto Sans CJK SC', sans-serif" role="img" aria-label="{}">{body}</svg>"#,
        escape(&title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::command::Tile;

    #[test]
    fn every_household_is_one_tile_of_its_colour_and_names_are_escaped() {
        let tiles = (0..45)
            .map(|n| {
                let colour = Colour::ALL[n % 4];
                ("1".to_string(), "一组<&>".to_string(), Tile { household_id: uuid::Uuid::now_v7(), household_no: format!("{n:03}"), colour })
            })
            .collect();
        let map = ColourMap::new("1".into(), "村".into(), tiles);
        let svg = colour_map_svg(&map, Lang::Zh);
        assert_eq!(svg.matches(r#"class="tile red""#).count(), map.counts.red);
        assert_eq!(svg.matches("<rect class=\"tile ").count(), 45);
        assert!(svg.contains("一组&lt;&amp;&gt; (45)"), "{svg}");
        assert!(!svg.contains("一组<&>"));
    }
}
