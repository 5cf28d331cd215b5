//! The backend depends only downward: no module of `app/src/backend` reaches, through the
//! modules it names, back to itself, and none names the server-function layer (`crate::api`).
//! Read from the source, as a reviewer would.

use std::collections::{BTreeMap, BTreeSet};

fn backend_imports() -> BTreeMap<String, BTreeSet<String>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/backend");
    let modules: BTreeMap<String, String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            let name = path.file_stem()?.to_str()?.to_string();
            (path.extension()? == "rs" && name != "mod").then(|| {
                let text = std::fs::read_to_string(&path).unwrap();
                // Tests may reach anywhere.
                let code = text.split("#[cfg(test)]").next().unwrap().to_string();
                (name, code)
            })
        })
        .collect();
    modules
        .iter()
        .map(|(name, code)| {
            let named = modules
                .keys()
                .filter(|other| *other != name)
                .filter(|other| {
                    [format!("super::{other}"), format!("crate::backend::{other}")]
                        .iter()
                        .any(|path| {
                            code.match_indices(path.as_str()).any(|(at, _)| {
                                !code[at + path.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
                            })
                        })
                })
                .cloned()
                .collect();
            (name.clone(), named)
        })
        .collect()
}

#[test]
fn the_backend_has_no_import_cycle() {
    let imports = backend_imports();
    assert!(imports.len() > 10, "the backend's modules were found");
    // Every module reached from `start`, following imports.
    let reach = |start: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start.to_string()];
        while let Some(m) = todo.pop() {
            for next in imports.get(&m).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let cyclic: Vec<&String> = imports.keys().filter(|m| reach(m).contains(*m)).collect();
    assert!(cyclic.is_empty(), "these backend modules import themselves back: {cyclic:?}");
}

#[test]
fn the_backend_does_not_name_the_server_functions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/backend");
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!text.contains("crate::api"), "{} names crate::api", path.display());
        }
    }
}
