//! The committed headers are what the pinned cbindgen generates from this
//! crate, and agree with it. `CONTACT_BATCH_BLESS=1` (what
//! `gen-header.sh` sets) rewrites them instead of failing.
//!
//! The generator is a test, not a binary behind a feature: so it is built
//! with the rest of `cargo test --workspace`, in the same feature set, and
//! checking the headers rebuilds nothing. (As a `--features gen-header`
//! binary, the check rebuilt most dependencies in another feature set:
//! 260 s of a 929 s fresh-machine test run, printing nothing.)

use std::path::{Path, PathBuf};

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

/// The full freshness check: both headers, byte for byte.
#[test]
fn committed_headers_are_what_cbindgen_generates() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .unwrap_or_else(|e| panic!("cbindgen.toml: {e}"));
    let mut c = config.clone();
    c.after_includes = Some(version_macros());
    let header = generate(crate_dir, c);
    let php = generate(crate_dir, php_config(config));
    if let Some(line) = php.lines().find(|l| l.trim_start().starts_with('#')) {
        panic!("the PHP header still has a preprocessor line: {line}");
    }
    let include = crate_dir.join("../../include");
    let bless = std::env::var_os("CONTACT_BATCH_BLESS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for (name, text) in [("contact_batch.h", header), ("contact_batch_php.h", php)] {
        let path = include.join(name);
        if bless {
            std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        } else if read(name) != text {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "include/{stale:?} stale: run crates/contact-batch-ffi/gen-header.sh"
    );
}

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn version_macros() -> String {
    let mut parts = VERSION.split(['.', '-', '+']);
    let mut next = || parts.next().unwrap_or("0").to_owned();
    let (major, minor, patch) = (next(), next(), next());
    format!(
        "/** The version of the library this header was generated for. */\n\
         #define CBATCH_VERSION \"{VERSION}\"\n\
         #define CBATCH_VERSION_MAJOR {major}\n\
         #define CBATCH_VERSION_MINOR {minor}\n\
         #define CBATCH_VERSION_PATCH {patch}"
    )
}

fn generate(crate_dir: &Path, config: cbindgen::Config) -> String {
    let mut out = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/lib.rs"))
        .generate()
        .unwrap_or_else(|e| panic!("cbindgen: {e}"))
        .write(&mut out);
    String::from_utf8(out).expect("cbindgen writes UTF-8")
}

/// The same declarations without a single preprocessor line, for PHP's
/// `FFI::cdef`, which rejects them.
fn php_config(mut config: cbindgen::Config) -> cbindgen::Config {
    config.cpp_compat = false;
    config.include_guard = None;
    config.pragma_once = false;
    config.no_includes = true;
    config.sys_includes.clear();
    config.includes.clear();
    config.after_includes = None;
    config.header = Some(
        "/*\n * contact-batch C API for PHP's FFI::cdef: the declarations of\n \
         * contact_batch.h without preprocessor lines. See contact_batch.h for\n \
         * the contract (ownership, result codes, threads).\n */"
            .to_owned(),
    );
    config
}

/// Issue 31: one boundary rule, checked. Every exported function's body
/// starts with `guard(...)` or `guard_result(...)` (`src/panic.rs`), so no
/// panic crosses into C whatever the function does; and the header
/// declares every one of them.
#[test]
fn every_export_goes_through_the_panic_guard() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let header = read("contact_batch.h");
    let mut exports = Vec::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("#[no_mangle]") {
            rest = &rest[at + "#[no_mangle]".len()..];
            let name = rest
                .split("fn ")
                .nth(1)
                .and_then(|s| s.split(['(', '<']).next())
                .unwrap_or_default()
                .trim()
                .to_owned();
            let body = &rest[rest.find('{').expect("a body") + 1..];
            let first = body
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with("//"))
                .unwrap_or_default();
            assert!(
                first.starts_with("guard(") || first.starts_with("guard_result("),
                "{}: `{name}` does not start with guard/guard_result: `{first}`",
                path.display()
            );
            assert!(
                header.contains(&format!("{name}(")),
                "`{name}` is not in include/contact_batch.h"
            );
            exports.push(name);
        }
    }
    // The scan found the exports (a change of layout would make it pass
    // vacuously): the C API has at least the functions SPEC §5.2 names.
    for name in [
        "cbatch_engine_new",
        "cbatch_respond",
        "cbatch_prepare",
        "cbatch_resolve",
        "cbatch_buf_free",
        "cbatch_result_message",
    ] {
        assert!(exports.iter().any(|e| e == name), "{name} not found");
    }
}
