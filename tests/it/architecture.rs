//! The invariants ARCHITECTURE.md states, checked on the source itself: which layer may use
//! what. A change that breaks one fails here with the file and the line.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/<dir>`, with its text.
fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir), &mut out);
    assert!(!out.is_empty(), "no sources under src/{dir}");
    out
}

/// The lines of `files` that contain any of `words`, outside comments and a module's own tests
/// (`#[cfg(test)]` to the end of the file), as `file:line: text`.
fn offending(files: &[(PathBuf, String)], words: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in files {
        for (n, line) in text.lines().enumerate().take_while(|(_, l)| l.trim() != "#[cfg(test)]") {
            let code = line.split("//").next().unwrap_or("");
            if words.iter().any(|w| code.contains(w)) {
                let short = path.to_string_lossy().split("/src/").last().unwrap_or_default().to_string();
                found.push(format!("src/{short}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn http_reaches_storage_only_through_app() {
    let found = offending(&sources("http"), &["crate::store", ".store.", "app.store", "sqlx"]);
    assert!(found.is_empty(), "src/http must call app, never the store:\n{}", found.join("\n"));
}

#[test]
fn only_app_checks_roles() {
    let found = offending(&sources("http"), &["require("]);
    assert!(found.is_empty(), "role checks belong in app (Role::may), not in http:\n{}", found.join("\n"));
}

#[test]
fn the_api_and_the_pages_do_not_import_each_other() {
    let mut found = offending(&sources("http/api"), &["pages::"]);
    found.extend(offending(&sources("http/pages"), &["api::"]));
    assert!(found.is_empty(), "what both doors share lives in http/common.rs or in app:\n{}", found.join("\n"));
}

#[test]
fn only_the_store_touches_sqlx() {
    for dir in ["app", "domain", "http"] {
        let found = offending(&sources(dir), &["sqlx"]);
        assert!(found.is_empty(), "sqlx outside src/store:\n{}", found.join("\n"));
    }
    for file in ["cli.rs", "main.rs", "lib.rs"] {
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(file)).unwrap_or_default();
        assert!(!text.contains("sqlx"), "src/{file} uses sqlx");
    }
}

#[test]
fn lower_layers_do_not_reach_up() {
    for (dir, above) in [
        ("domain", &["crate::app", "crate::store", "crate::http", "axum", "tokio", "std::fs"][..]),
        ("store", &["crate::app", "crate::http"]),
        ("app", &["crate::http"]),
    ] {
        let found = offending(&sources(dir), above);
        assert!(found.is_empty(), "src/{dir} reaches a layer above it (or does I/O in domain):\n{}", found.join("\n"));
    }
}

#[test]
fn unsafe_code_lives_in_one_module() {
    let found: Vec<String> = offending(&sources(""), &["unsafe "]).into_iter().filter(|l| !l.starts_with("src/store/sqlite_raw.rs:")).collect();
    assert!(found.is_empty(), "unsafe code outside store/sqlite_raw.rs:\n{}", found.join("\n"));
}

#[test]
fn no_sql_hides_in_a_macro() {
    for (path, text) in sources("store") {
        for body in text.split("macro_rules!").skip(1) {
            for keyword in ["SELECT ", "INSERT ", "UPDATE ", "DELETE "] {
                assert!(!body.contains(keyword), "{}: SQL inside macro_rules! (write it as a function)", path.display());
            }
        }
    }
}

#[test]
fn the_scope_filter_is_written_once() {
    let found: Vec<String> = offending(&sources("store"), &["path >= $", "path < $", "path >= ?", "path < ?"])
        .into_iter()
        .filter(|l| !l.starts_with("src/store/scope.rs:"))
        .collect();
    assert!(found.is_empty(), "a subtree's range is bound by the Scope type, not written by hand:\n{}", found.join("\n"));
}

/// Every refusal the code can give has its words in Chinese too, so a Chinese page never shows
/// the English ones (`无权执行此操作（read the roster）`).
#[test]
fn every_refusal_reads_in_chinese() {
    use wangge::domain::{DomainError, Lang};
    let mut checked = 0;
    for (path, text) in sources("") {
        let given = text.split("NotAllowed(\"").skip(1).filter_map(|rest| rest.split('"').next());
        let required = text.lines().filter(|l| l.contains(".require(") && l.contains(", \"")).filter_map(|l| l.rsplit(", \"").next()?.split('"').next());
        // The gates of the API's write routes (`http::auth::gate`): `Permission => "what"`.
        let gated =
            text.split("gates!(").skip(1).flat_map(|rest| rest.split(");").next().unwrap_or("").split("=> \"").skip(1).filter_map(|w| w.split('"').next()));
        for what in given.chain(required).chain(gated) {
            let what: &'static str = Box::leak(what.to_string().into_boxed_str());
            let zh = DomainError::NotAllowed(what).message(Lang::Zh);
            assert!(zh != "您的账号无权执行此操作", "{}: no Chinese for the refusal {what:?}", path.display());
            checked += 1;
        }
    }
    assert!(checked > 20, "found the refusals ({checked})");
}

/// Every kind of record the store writes to the audit log can be picked in the log's filter
/// (`app::audit::ENTITIES`, which the audit page also offers): a new kind that is not there
/// could be written but never found.
#[test]
fn every_audited_kind_of_record_can_be_filtered_for() {
    let mut missing = Vec::new();
    let mut seen = 0;
    for (path, text) in sources("store") {
        // `audit(&mut tx, caller, "action", "entity", …)`: the second string literal of the call.
        for (at, _) in text.match_indices("audit(&mut ") {
            let call = &text[at..text.len().min(at + 300)];
            let literals: Vec<&str> = call.split('"').collect();
            let before_first = literals[0];
            if before_first.matches(',').count() != 2 || literals.len() < 4 || literals[2].trim() != "," {
                continue; // the action or the kind is not written out here
            }
            seen += 1;
            if !wangge::app::audit::ENTITIES.contains(&literals[3]) {
                missing.push(format!("{}: {}", path.display(), literals[3]));
            }
        }
    }
    assert!(seen > 20, "the audit calls were found ({seen})");
    assert!(missing.is_empty(), "add these to app::audit::ENTITIES (and their words to record_words.rs): {missing:?}");
}
