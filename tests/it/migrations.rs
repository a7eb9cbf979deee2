//! A migration that has landed is never edited again: each one's digest is kept in
//! `migrations/landed.sha256` (the format of `sha256sum`), and a migration that differs from
//! it, or one missing from it, fails here. A new migration lands with its line added
//! (`cd migrations && sha256sum sqlite/NNNN_*.sql postgres/NNNN_*.sql >> landed.sha256`).

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

#[test]
fn landed_migrations_are_never_edited() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let landed: BTreeMap<String, String> = std::fs::read_to_string(root.join("landed.sha256"))
        .expect("migrations/landed.sha256")
        .lines()
        .filter_map(|line| line.split_once("  "))
        .map(|(digest, file)| (file.to_string(), digest.to_string()))
        .collect();
    let mut problems = Vec::new();
    for backend in ["sqlite", "postgres"] {
        for entry in std::fs::read_dir(root.join(backend)).expect("a migrations folder") {
            let path = entry.expect("a migration").path();
            let file = format!("{backend}/{}", path.file_name().unwrap().to_string_lossy());
            let digest = hex::encode(Sha256::digest(std::fs::read(&path).expect("readable")));
            match landed.get(&file) {
                None => problems.push(format!("{file} is not in migrations/landed.sha256: add its line when it lands")),
                Some(kept) if *kept != digest => problems.push(format!("{file} has changed since it landed: never edit a landed migration, add a new one")),
                Some(_) => {}
            }
        }
    }
    for file in landed.keys() {
        if !root.join(file).exists() {
            problems.push(format!("{file} landed and is gone: migrations are never removed"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
