//! The dependency rule of docs/ARCHITECTURE.md, checked: lower layers never
//! import the engine. A back-edge (`crate::engine` in `src/routing/**`,
//! `src/scenario/**` or `src/demand/**`, `crate::shard` in `src/metrics/**`
//! …) fails this test with the file and line.

use super::support::root;
use std::path::Path;

/// What an engine component (`src/engine/*` outside `sim`) must not import:
/// the replication and its handlers, the other components that hold state,
/// the router.
const COMPONENT: &[&str] = &[
    "crate::engine::sim",
    "super::sim",
    "super::super::sim",
    "crate::engine::workforce",
    "super::workforce",
    "crate::engine::waiting",
    "super::waiting",
    "crate::engine::front_line",
    "super::front_line",
    "crate::engine::quality",
    "super::quality",
    "crate::routing",
];

/// Folders (under `src/`) that must not import the modules listed with them.
const RULES: &[(&str, &[&str])] = &[
    (
        "routing",
        &["crate::engine", "crate::metrics", "crate::report"],
    ),
    (
        "scenario",
        &[
            "crate::engine",
            "crate::routing",
            "crate::metrics",
            "crate::report",
        ],
    ),
    (
        "demand",
        &[
            "crate::engine",
            "crate::routing",
            "crate::metrics",
            "crate::report",
        ],
    ),
    // The metrics (accumulate, store) know nothing of the engine that fills
    // them or of the shard wire format and writers that read them.
    (
        "metrics",
        &[
            "crate::engine",
            "crate::shard",
            "crate::report",
            "crate::planner",
            "crate::compare",
        ],
    ),
    // Engine components never see the replication (`sim`, whose handlers
    // combine them) or the router: only the dispatch handlers touch two.
    ("engine/workforce", COMPONENT),
    ("engine/quality.rs", COMPONENT),
    ("engine/waiting.rs", COMPONENT),
    ("engine/arrivals.rs", COMPONENT),
    ("engine/front_line.rs", COMPONENT),
    ("engine/clock.rs", COMPONENT),
    ("engine/guard.rs", COMPONENT),
    ("engine/calendar.rs", COMPONENT),
    ("engine/queue.rs", COMPONENT),
    ("engine/contact.rs", COMPONENT),
    ("time.rs", &["crate::"]),
    ("rng.rs", &["crate::"]),
];

fn rust_files(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    for entry in std::fs::read_dir(path).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Every `(file:line, forbidden path)` in `src/<folder>` for the rules.
fn back_edges(src: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for (folder, forbidden) in RULES {
        let mut files = Vec::new();
        rust_files(&src.join(folder), &mut files);
        assert!(!files.is_empty(), "src/{folder} has no Rust files");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for f in *forbidden {
                    if code.contains(f) {
                        found.push(format!("{}:{}: {f}", file.display(), n + 1));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn lower_layers_never_import_the_engine() {
    let found = back_edges(&root().join("src"));
    assert!(
        found.is_empty(),
        "dependency back-edges:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_finds_a_planted_back_edge() {
    let dir = std::env::temp_dir().join(format!("cxsim-arch-{}", std::process::id()));
    // A clean tree with every path the rules name.
    for (path, _) in RULES {
        if path.ends_with(".rs") {
            let file = dir.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, "pub type T = u64;\n").unwrap();
        } else {
            std::fs::create_dir_all(dir.join(path)).unwrap();
            std::fs::write(dir.join(path).join("ok.rs"), "pub type T = u64;\n").unwrap();
        }
    }
    assert!(back_edges(&dir).is_empty());
    std::fs::write(
        dir.join("routing").join("bad.rs"),
        "// crate::engine in a comment is fine\nuse crate::engine::SimTime;\n",
    )
    .unwrap();
    let found = back_edges(&dir);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].ends_with("bad.rs:2: crate::engine"), "{found:?}");
    std::fs::write(
        dir.join("metrics").join("wire.rs"),
        "use crate::shard::WireStats;\n",
    )
    .unwrap();
    let found = back_edges(&dir);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found.iter().any(|f| f.ends_with("wire.rs:1: crate::shard")),
        "{found:?}"
    );
    // A component reaching into the replication's handlers.
    std::fs::write(
        dir.join("engine/workforce").join("duty.rs"),
        "use crate::engine::sim::Replication;\n",
    )
    .unwrap();
    let found = back_edges(&dir);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found
            .iter()
            .any(|f| f.ends_with("duty.rs:1: crate::engine::sim")),
        "{found:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
