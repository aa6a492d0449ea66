//! The committed headers agree with this crate (freshness itself is checked
//! by `gen-header.sh --check`, which needs the pinned cbindgen).

use std::path::PathBuf;

fn read(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../include")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn define(header: &str, name: &str) -> String {
    let prefix = format!("#define {name} ");
    header
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no #define {name}"))
        .trim()
        .to_owned()
}

#[test]
fn version_macros_match_cargo() {
    let h = read("contact_batch.h");
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(define(&h, "CBATCH_VERSION"), format!("\"{version}\""));
    assert_eq!(
        define(&h, "CBATCH_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert_eq!(
        define(&h, "CBATCH_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    assert_eq!(
        define(&h, "CBATCH_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION_PATCH")
    );
}

#[test]
fn result_codes_match_the_library() {
    for h in [read("contact_batch.h"), read("contact_batch_php.h")] {
        for r in contactbatch::cbatch_result::all() {
            let line = format!("{} = {},", r.name(), r as i32);
            assert!(h.contains(&line), "header lacks `{line}`");
        }
    }
}

#[test]
fn php_header_has_no_preprocessor_lines() {
    let h = read("contact_batch_php.h");
    assert!(!h.lines().any(|l| l.trim_start().starts_with('#')));
    assert!(h.contains("cbatch_respond("));
}

/// A cheap freshness check that needs no cbindgen: every exported function
/// of the sources is declared in both headers.
#[test]
fn every_exported_function_is_declared() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for line in text.lines() {
            let line = line.trim_start();
            let rest = line
                .strip_prefix("pub unsafe extern \"C\" fn ")
                .or_else(|| line.strip_prefix("pub extern \"C\" fn "));
            if let Some(rest) = rest {
                names.push(rest.split('(').next().unwrap().to_owned());
            }
        }
    }
    assert!(names.len() >= 14, "found only {names:?}");
    for h in [read("contact_batch.h"), read("contact_batch_php.h")] {
        for name in &names {
            assert!(
                h.contains(&format!(" {name}(")) || h.contains(&format!("*{name}(")),
                "{name} is not declared: run crates/contact-batch-ffi/gen-header.sh"
            );
        }
    }
}
