//! A map of units drawn on the server as SVG, with no base map and no tile server: each child
//! with a boundary coloured by its class of the figure (five classes, a legend beneath), named
//! at its middle with its value, linking to its own map; the area's checkpoints as points by
//! kind. Children without a boundary are listed by the page beside the map.

use std::fmt::Write;

use crate::app::maps::UnitMap;
use crate::domain::Lang;
use crate::domain::boundaries::{Projection, classes};

use super::drawing::escape;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 520.0;
const LEGEND: f64 = 88.0;
/// Light to dark: more of the figure is darker.
const CLASS_FILLS: [&str; 5] = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
const NO_VALUE: &str = "#e5e7eb";

/// A value as the map writes it: whole numbers as such, rates with one decimal.
fn shown(value: f64) -> String {
    if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.1}") }
}

pub fn unit_map_svg(map: &UnitMap, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let metric_words = super::pages::Texts { lang }.metric_words(map.metric);
    let drawn: Vec<_> = map.children.iter().filter_map(|c| c.boundary.as_ref().map(|b| (c, b))).collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg id="unit-map" class="unit-map" viewBox="0 0 {WIDTH} {}" width="100%" role="img" aria-labelledby="unit-map-title" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="13"><title id="unit-map-title">{} · {} · {}</title>"#,
        HEIGHT + LEGEND,
        escape(&map.unit.name),
        escape(metric_words),
        map.date
    );
    if drawn.is_empty() {
        let words = if zh {
            "尚无下级单位的边界：请在下方上传 GeoJSON 文件。"
        } else {
            "No boundaries of the units below yet: upload a GeoJSON file below."
        };
        let _ = write!(svg, r##"<text x="{}" y="{}" text-anchor="middle" fill="#57606a">{}</text></svg>"##, WIDTH / 2.0, HEIGHT / 2.0, escape(words));
        return svg;
    }
    let bounds =
        drawn.iter().map(|(_, b)| b.bounds()).fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)));
    let projection = Projection::fit(bounds, WIDTH, HEIGHT, 12.0);
    let values: Vec<f64> = drawn.iter().filter_map(|(c, _)| c.value).collect();
    let (class_of, lower) = classes(&values);
    let mut next_class = class_of.into_iter();
    for (child, boundary) in &drawn {
        let fill = match child.value {
            Some(_) => CLASS_FILLS[next_class.next().unwrap_or(0)],
            None => NO_VALUE,
        };
        let mut d = String::new();
        for ring in boundary.polygons.iter().flatten() {
            for (i, (lon, lat)) in ring.iter().enumerate() {
                let (x, y) = projection.point(*lon, *lat);
                let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        let value = child.value.map_or_else(|| "—".to_string(), shown);
        let _ = write!(
            svg,
            r##"<a href="/units/{code}/map?metric={metric}&amp;date={date}"><path class="unit" data-unit="{code}" d="{d}" fill="{fill}" fill-rule="evenodd" stroke="#57606a" stroke-width="1"><title>{name}: {value}</title></path></a>"##,
            code = child.code,
            metric = map.metric.as_str(),
            date = map.date,
            name = escape(&child.name),
        );
    }
    let mut points: Vec<(f64, f64)> = Vec::new();
    for checkpoint in &map.checkpoints {
        let (Some(lat), Some(lon)) = (checkpoint.lat, checkpoint.lon) else { continue };
        if lon < bounds.0 || lon > bounds.2 || lat < bounds.1 || lat > bounds.3 {
            continue;
        }
        let (x, y) = projection.point(lon, lat);
        points.push((x, y));
        let kind = checkpoint.kind.as_str();
        let shape = if kind == "checkpoint" {
            format!(r##"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="#cf222e" stroke="#ffffff" stroke-width="1.5"/>"##)
        } else {
            format!(r##"<rect x="{:.1}" y="{:.1}" width="9" height="9" fill="#9a6700" stroke="#ffffff" stroke-width="1.5"/>"##, x - 4.5, y - 4.5)
        };
        let _ = write!(svg, r#"<g class="checkpoint" data-kind="{kind}">{shape}<title>{}</title></g>"#, escape(&checkpoint.name));
    }
    // Names beside the points: a name that would sit on a checkpoint moves below it, so that
    // neither hides the other.
    for (child, boundary) in &drawn {
        let (west, south, east, north) = boundary.label_box();
        let (left, top) = projection.point(west, north);
        let (right, bottom) = projection.point(east, south);
        let (name, size) = fitted_label(&child.name, right - left);
        let x = (left + right) / 2.0;
        let mut y = (top + bottom) / 2.0;
        let half_width = name.chars().map(ems).sum::<f64>() * size / 2.0 + 6.0;
        // The name's line reaches a size above its baseline, the value's line a size below.
        let covered = |y: f64, &(px, py): &(f64, f64)| (px - x).abs() <= half_width && py >= y - size - 6.0 && py <= y + size + 8.0;
        if let Some(lowest) = points.iter().filter(|p| covered(y, p)).map(|p| p.1).max_by(f64::total_cmp) {
            y = lowest + 8.0 + size;
        }
        let value = child.value.map_or_else(|| "—".to_string(), shown);
        let _ = write!(
            svg,
            r##"<text class="label" x="{x:.1}" y="{y:.1}" text-anchor="middle" font-size="{size:.0}" fill="#1f2328" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}<tspan x="{x:.1}" dy="{:.0}">{value}</tspan></text>"##,
            escape(&name),
            size + 2.0,
        );
    }
    // The legend: the figure, its five classes from their lower bounds, the points, and
    // whether the shapes are schematic.
    let top = HEIGHT + 8.0;
    let _ = write!(svg, r##"<text x="12" y="{:.1}" font-weight="600">{} · {}</text>"##, top + 12.0, escape(metric_words), map.date);
    let labels = class_labels(&lower);
    for (i, fill) in CLASS_FILLS.iter().enumerate() {
        let x = 12.0 + i as f64 * 86.0;
        let _ = write!(
            svg,
            r##"<rect class="legend" x="{x:.1}" y="{:.1}" width="16" height="12" fill="{fill}" stroke="#57606a"/><text x="{:.1}" y="{:.1}">≥ {}</text>"##,
            top + 22.0,
            x + 20.0,
            top + 32.0,
            labels[i]
        );
    }
    let points = if zh {
        r##"<tspan fill="#cf222e">●</tspan> 卡点　<tspan fill="#9a6700">■</tspan> 其他检查点"##
    } else {
        r##"<tspan fill="#cf222e">●</tspan> checkpoint  <tspan fill="#9a6700">■</tspan> other check point"##
    };
    let _ = write!(svg, r##"<text x="12" y="{:.1}" fill="#57606a">{points}</text>"##, top + 52.0);
    if map.schematic {
        // A line of its own: beside the points it ran past the map's width in English.
        let words = if zh { "示意图：边界为演示生成，非实测" } else { "schematic: the demo's generated shapes, not surveyed" };
        let _ = write!(svg, r##"<text x="12" y="{:.1}" fill="#57606a">{words}</text>"##, top + 72.0);
    }
    svg.push_str("</svg>");
    svg
}

/// The largest and the smallest size a child's name is written in, in the map's units (the
/// map is drawn at least 560 px wide on a phone, 0.875 px a unit, so 12 is 10.5 px).
const LABEL_SIZES: (f64, f64) = (15.0, 12.0);

/// How wide a character is written, in ems: Han, kana and hangul about one; Latin letters,
/// digits and Mongolian's vertical script written sideways about six tenths.
fn ems(c: char) -> f64 {
    if c as u32 >= 0x2E80 { 1.0 } else { 0.6 }
}

/// A child's name sized to the width of its shape: as large as fits up to 15, and below 12
/// cut short with "…" (the whole name is the shape's tooltip and is listed on the page).
fn fitted_label(name: &str, width: f64) -> (String, f64) {
    let room = (width - 4.0).max(0.0);
    let whole: f64 = name.chars().map(ems).sum();
    let (large, small) = LABEL_SIZES;
    if whole * small <= room {
        return (name.to_string(), (room / whole).clamp(small, large));
    }
    let mut kept = String::new();
    let mut used = ems('…');
    for c in name.chars() {
        if (used + ems(c)) * small > room {
            break;
        }
        used += ems(c);
        kept.push(c);
    }
    kept.push('…');
    (kept, small)
}

/// The classes' lower bounds with as many decimals as their step needs to tell them apart (a
/// rate's classes are 0.05 apart).
fn class_labels(lower: &[f64; 5]) -> Vec<String> {
    let step = lower[1] - lower[0];
    // Every value the same (no step): the value as it is, with the decimals it has.
    let decimals = match step {
        0.0 => [1.0, 10.0, 100.0].iter().position(|scale| (lower[0] * scale).fract() == 0.0).unwrap_or(3),
        step => [1.0, 0.1, 0.01].iter().position(|unit| step >= *unit).unwrap_or(3),
    };
    lower.iter().map(|bound| format!("{bound:.decimals$}")).collect()
}

#[cfg(test)]
mod legend_tests {
    #[test]
    fn a_long_name_fits_its_shape() {
        use super::fitted_label;
        assert_eq!(fitted_label("一组", 200.0), ("一组".to_string(), 15.0));
        let (name, size) = fitted_label("乌兰哈达嘎查村民委员会", 80.0);
        assert_eq!(size, 12.0);
        assert!(name.ends_with('…') && name.chars().count() * 12 <= 80, "{name}");
        let (name, size) = fitted_label("和平社区", 56.0);
        assert_eq!((name.as_str(), size), ("和平社区", 13.0));
    }

    #[test]
    fn every_class_has_a_label_of_its_own() {
        let (_, rates) = crate::domain::boundaries::classes(&[0.0, 0.05, 0.1, 0.2, 0.25]);
        assert_eq!(super::class_labels(&rates), ["0.00", "0.05", "0.10", "0.15", "0.20"]);
        let (_, counts) = crate::domain::boundaries::classes(&[0.0, 500.0]);
        assert_eq!(super::class_labels(&counts), ["0", "100", "200", "300", "400"]);
        assert_eq!(super::class_labels(&[0.0; 5]), ["0"; 5]);
        assert_eq!(super::class_labels(&[0.5; 5]), ["0.5"; 5]);
    }
}
