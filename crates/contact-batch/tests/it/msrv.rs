//! The crate's declared `rust-version` is true: no dependency the crate
//! builds with (normal dependencies, transitively) declares a newer one.
//!
//! Only one toolchain is installed where CI runs, so the MSRV cannot be
//! checked by building with it; this reads what every dependency declares
//! instead (`cargo metadata`, from the lock file). `--offline` is not
//! passed: metadata needs every locked package's manifest, including
//! other platforms' crates a build never downloads, so on a fresh machine
//! cargo fetches them from the registry (it failed offline there).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// `1.88` as `[1, 88, 0]`, so that `1.85.0` and `1.85` compare equal.
fn version(v: &str) -> [u64; 3] {
    let mut parts = v.split('.').map(|p| p.parse().unwrap_or(0));
    [(); 3].map(|()| parts.next().unwrap_or(0))
}

#[test]
fn declared_rust_version_covers_every_dependency() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--manifest-path",
        ])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages: BTreeMap<&str, &serde_json::Value> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    let nodes: BTreeMap<&str, &serde_json::Value> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    let root = packages
        .values()
        .find(|p| p["name"] == "contact-batch")
        .expect("contact-batch in its own metadata");
    let ours = env!("CARGO_PKG_RUST_VERSION");
    assert_eq!(root["rust_version"], ours);

    // Normal (not dev, not build-only) dependencies, transitively.
    let mut seen = BTreeSet::new();
    let mut todo = vec![root["id"].as_str().unwrap()];
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let normal = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null());
            if normal {
                todo.push(dep["pkg"].as_str().unwrap());
            }
        }
    }
    let too_new: Vec<String> = seen
        .iter()
        .filter_map(|id| {
            let p = packages[id];
            let declared = p["rust_version"].as_str()?;
            (version(declared) > version(ours)).then(|| format!("{} {}", p["name"], declared))
        })
        .collect();
    assert!(
        too_new.is_empty(),
        "rust-version {ours} is older than these dependencies need: {too_new:?}"
    );
    // The phone library is the tests' oracle only: the engine parses phones
    // with its own code over precompiled tables.
    assert!(!seen
        .iter()
        .any(|id| packages[id]["name"] == "rlibphonenumber"));
}
