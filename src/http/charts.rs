//! Trend charts drawn on the server as SVG (no chart library, no JavaScript): a full line chart
//! with axes and dates for the trends page, and a sparkline for the dashboard. Each point
//! carries its day and value as a `<title>` (shown on hover); the pages give the same values
//! in a table beneath for screen readers and printers. Colours are presentation attributes,
//! not styles, so the pages' content security policy lets them through.

use std::fmt::Write;

use chrono::NaiveDate;

use super::drawing::escape;

// Drawn about as wide as a phone shows it, so that its 13-unit type stays readable there
// (about 10 px on a 360-px phone); the page keeps it from growing past 480 px.
const WIDTH: f64 = 400.0;
const HEIGHT: f64 = 180.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 28.0;
const LINE: &str = "#1a73e8";
const AXIS: &str = "#57606a";
const GRID: &str = "#d0d7de";

/// The top of the value axis: the largest value rounded up to a round number (at least 1).
fn axis_top(values: &[i64]) -> i64 {
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let magnitude = 10_i64.pow(max.ilog10());
    [1, 2, 5, 10].iter().map(|step| step * magnitude).find(|top| *top >= max).unwrap_or(max)
}

/// The x of the i-th of `n` points between `left` and `right`.
fn x_of(i: usize, n: usize, left: f64, right: f64) -> f64 {
    if n <= 1 {
        return (left + right) / 2.0;
    }
    left + (right - left) * i as f64 / (n - 1) as f64
}

/// A line chart of one series over days: value axis with three gridlines, the first, middle
/// and last dates under the axis, a point per day. Scales to its container's width.
pub fn line_chart(id: &str, title: &str, days: &[NaiveDate], values: &[i64]) -> String {
    let top = axis_top(values);
    let (plot_left, plot_right, plot_top, plot_bottom) = (LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM);
    let y_of = |v: i64| plot_bottom - (plot_bottom - plot_top) * v as f64 / top as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg id="{id}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-labelledby="{id}-title" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="13"><title id="{id}-title">{}</title>"#,
        escape(title)
    );
    for step in 0..=2 {
        let v = top * step / 2;
        let y = y_of(v);
        let _ = write!(
            svg,
            r#"<line x1="{plot_left}" y1="{y:.1}" x2="{plot_right}" y2="{y:.1}" stroke="{GRID}"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="{AXIS}">{v}</text>"#,
            plot_left - 6.0,
            y + 4.0
        );
    }
    let _ = write!(svg, r#"<line x1="{plot_left}" y1="{plot_top}" x2="{plot_left}" y2="{plot_bottom}" stroke="{AXIS}"/>"#);
    let _ = write!(svg, r#"<line x1="{plot_left}" y1="{plot_bottom}" x2="{plot_right}" y2="{plot_bottom}" stroke="{AXIS}"/>"#);
    let n = days.len();
    let mut labelled: Vec<usize> = vec![0, n / 2, n.saturating_sub(1)];
    labelled.dedup();
    for i in labelled.into_iter().filter(|i| *i < n) {
        let x = x_of(i, n, plot_left, plot_right);
        let anchor = if n == 1 {
            "middle"
        } else if i == 0 {
            "start"
        } else if i == n - 1 {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            svg,
            r#"<line x1="{x:.1}" y1="{plot_bottom}" x2="{x:.1}" y2="{:.1}" stroke="{AXIS}"/><text x="{x:.1}" y="{:.1}" text-anchor="{anchor}" fill="{AXIS}">{}</text>"#,
            plot_bottom + 4.0,
            plot_bottom + 18.0,
            days[i].format("%m-%d")
        );
    }
    let points: Vec<String> = values.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x_of(i, n, plot_left, plot_right), y_of(*v))).collect();
    let _ = write!(svg, r#"<polyline points="{}" fill="none" stroke="{LINE}" stroke-width="2"/>"#, points.join(" "));
    for (i, (day, v)) in days.iter().zip(values).enumerate() {
        let _ =
            write!(svg, r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{LINE}"><title>{day}: {v}</title></circle>"#, x_of(i, n, plot_left, plot_right), y_of(*v));
    }
    svg.push_str("</svg>");
    svg
}

/// A small line of a series (no axes), scaled to its own largest value; `label` names it for
/// a screen reader, with the last value.
pub fn sparkline(label: &str, values: &[i64]) -> String {
    let (w, h, pad) = (90.0, 22.0, 2.0);
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let n = values.len();
    let points: Vec<String> =
        values.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x_of(i, n, pad, w - pad), h - pad - (h - 2.0 * pad) * *v as f64 / max)).collect();
    format!(
        r#"<svg class="spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg"><polyline points="{}" fill="none" stroke="{LINE}" stroke-width="1.5"/></svg>"#,
        escape(label),
        points.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_axis_ends_on_a_round_number_above_the_largest_value() {
        assert_eq!(axis_top(&[]), 1);
        assert_eq!(axis_top(&[0, 0]), 1);
        assert_eq!(axis_top(&[3]), 5);
        assert_eq!(axis_top(&[37, 12]), 50);
        assert_eq!(axis_top(&[100]), 100);
        assert_eq!(axis_top(&[101]), 200);
    }

    #[test]
    fn a_chart_has_a_point_per_day_with_its_value_and_escapes_its_title() {
        let days: Vec<NaiveDate> = NaiveDate::from_ymd_opt(2020, 2, 1).unwrap().iter_days().take(3).collect();
        let svg = line_chart("c", "发热 <&>", &days, &[1, 4, 2]);
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("<title>2020-02-02: 4</title>"));
        assert!(svg.contains("发热 &lt;&amp;&gt;"));
        assert!(svg.contains(">02-01<") && svg.contains(">02-03<"));
        let spark = sparkline("x", &[0, 1]);
        assert!(spark.contains(r#"points="2.0,20.0 88.0,2.0""#), "{spark}");
    }
}
