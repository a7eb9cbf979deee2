//! The command line, run as a user runs it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::support::{id_number, roster_csv};

fn wangge(dir: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wangge"))
        .args(args)
        .env("WANGGE_DATABASE_URL", format!("sqlite:{}", dir.join("cli.db").display()))
        .env("WANGGE_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run wangge");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn a_county_office_builds_its_grid_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let divisions = concat!(env!("CARGO_MANIFEST_DIR"), "/data/divisions-tongliao");
    let out = wangge(dir.path(), &["import", "divisions", divisions], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("units: 2722 created, 0 renamed, 0 unchanged"), "{}", text(&out));
    let out = wangge(dir.path(), &["import", "divisions", divisions], "");
    assert!(text(&out).contains("units: 0 created, 0 renamed, 2722 unchanged"), "{}", text(&out));

    let groups = dir.path().join("groups.csv");
    std::fs::write(&groups, "code,name,parent_code\n150502001001001,一组,150502001001\n").unwrap();
    assert!(wangge(dir.path(), &["import", "divisions", groups.to_str().unwrap()], "").status.success());

    let out = wangge(dir.path(), &["user", "add", "chief", "--role", "admin", "--unit", "15", "--password-stdin"], "a long password\n");
    assert!(out.status.success(), "{}", text(&out));
    let out = wangge(dir.path(), &["user", "add", "chief2", "--role", "admin", "--unit", "15", "--password-stdin"], "short\n");
    assert!(!out.status.success());
    assert!(text(&out).contains("at least 10 characters"), "{}", text(&out));
    let out = wangge(dir.path(), &["user", "add", "x", "--role", "king", "--unit", "15", "--password-stdin"], "a long password\n");
    assert!(text(&out).contains("role must be"), "{}", text(&out));

    let bad = dir.path().join("bad.csv");
    let good_id = id_number("150502", 1);
    std::fs::write(
        &bad,
        roster_csv(&[
            ("001", "张三", &good_id, "户主", "", "150502001001001", "常住"),
            ("002", "王五", "150502198001010000", "户主", "", "150502001001001", "常住"),
        ]),
    )
    .unwrap();
    let out = wangge(dir.path(), &["import", "roster", bad.to_str().unwrap(), "--unit", "150502001001"], "");
    assert!(!out.status.success());
    assert!(text(&out).contains("row 3, column ID number"), "{}", text(&out));

    let roster = roster_csv(&[("001", "张三", &good_id, "户主", "", "150502001001001", "常住")]);
    let (gbk, _, _) = encoding_rs::GBK.encode(&roster);
    let good = dir.path().join("good.csv");
    std::fs::write(&good, &gbk).unwrap();
    let out = wangge(dir.path(), &["import", "roster", good.to_str().unwrap(), "--unit", "150502001001"], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("households: 1 created"), "{}", text(&out));
    let out = wangge(dir.path(), &["import", "roster", good.to_str().unwrap(), "--unit", "150502001001"], "");
    assert!(text(&out).contains("households: 0 created, 0 updated, 1 unchanged"), "{}", text(&out));

    // The evening sheet of the village: the household's resident is expected, none reported.
    let sheet = dir.path().join("report.csv");
    let out = wangge(dir.path(), &["report", "daily", "--unit", "150502001001", "--output", sheet.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out));
    let csv = std::fs::read_to_string(&sheet).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[1].starts_with("\"一组\","), "a row per child: {csv}");
    assert!(lines[2].starts_with("\"合计\","), "{csv}");
    let xlsx = dir.path().join("report.xlsx");
    let out =
        wangge(dir.path(), &["report", "daily", "--unit", "150502001001", "--date", "2020-02-01", "--lang", "en", "--output", xlsx.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"), "a workbook");
    let out = wangge(dir.path(), &["report", "daily", "--unit", "150502001001", "--output", dir.path().join("report.pdf").to_str().unwrap()], "");
    assert!(!out.status.success() && text(&out).contains(".xlsx or a .csv"), "{}", text(&out));
    let out = wangge(dir.path(), &["report", "daily", "--unit", "150502001001", "--date", "2999-01-01", "--output", sheet.to_str().unwrap()], "");
    assert!(!out.status.success(), "{}", text(&out));

    let out = wangge(dir.path(), &["--help"], "");
    for command in ["serve", "demo", "import", "report", "user"] {
        assert!(text(&out).contains(command), "{}", text(&out));
    }
}

#[test]
fn bad_database_urls_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_wangge")).args(["--database-url", "mysql://x", "demo"]).current_dir(dir.path()).output().unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("use sqlite:PATH or postgres://"), "{}", text(&out));
}

/// `wangge import boundaries`: a GeoJSON file of units' boundaries, all or nothing, every bad
/// feature listed with its place.
#[test]
fn boundaries_are_imported_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let divisions = concat!(env!("CARGO_MANIFEST_DIR"), "/data/divisions-tongliao");
    assert!(wangge(dir.path(), &["import", "divisions", divisions], "").status.success());
    let square = |code: &str, west: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"dm":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{west},43.5],[{e},43.5],[{e},43.6],[{west},43.6],[{west},43.5]]]}}}}"#,
            e = west + 0.1
        )
    };
    let bad = dir.path().join("bad.geojson");
    std::fs::write(
        &bad,
        format!(r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#, square("150502001", 122.0), square("999999999", 122.1), square("150502001", 122.2)),
    )
    .unwrap();
    let out = wangge(dir.path(), &["import", "boundaries", bad.to_str().unwrap(), "--code-property", "dm"], "");
    assert!(!out.status.success());
    let said = text(&out);
    assert!(said.contains("nothing was imported; 2 problems"), "{said}");
    assert!(said.contains("feature 2: no unit 999999999") && said.contains("feature 3: unit 150502001 is named by a feature before"), "{said}");
    std::fs::write(&bad, format!(r#"{{"type":"FeatureCollection","features":[{},{}]}}"#, square("150502001", 122.0), square("999999999", 122.1))).unwrap();
    let out = wangge(dir.path(), &["import", "boundaries", bad.to_str().unwrap(), "--code-property", "dm"], "");
    assert!(!out.status.success() && text(&out).contains("feature 2: no unit 999999999"), "{}", text(&out));
    let good = dir.path().join("good.geojson");
    std::fs::write(&good, format!(r#"{{"type":"FeatureCollection","features":[{},{}]}}"#, square("150502001", 122.0), square("150502002", 122.1))).unwrap();
    let out = wangge(dir.path(), &["import", "boundaries", good.to_str().unwrap(), "--code-property", "dm"], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("boundaries: 2 units"), "{}", text(&out));
    let out = wangge(dir.path(), &["import", "boundaries", "--help"], "");
    assert!(text(&out).contains("--code-property"), "{}", text(&out));
}
