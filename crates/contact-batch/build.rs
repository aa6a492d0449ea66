//! Finds the phone metadata that `rlibphonenumber` builds into itself, so the
//! engine can load the same metadata with ASCII digit classes (see
//! `src/phone_metadata.rs` for why).
//!
//! `rlibphonenumber` keeps its compiled metadata (`metadata.bin`, a
//! `PhoneMetadataCollection` protobuf) private. Cargo unpacks every
//! registry dependency's sources under `$CARGO_HOME/registry/src/`, so the
//! file is found there, for the exact version the workspace pins; it is
//! copied into `OUT_DIR` and embedded with `include_bytes!`. The
//! environment variable `CONTACT_BATCH_PHONE_METADATA` names the file
//! directly for builds where the sources live elsewhere (vendored
//! dependencies). When neither gives the file, the build warns and the
//! engine uses `rlibphonenumber`'s own loader: the same answers, with a
//! slower first batch.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

/// Must equal the `=` version of rlibphonenumber in the workspace
/// `Cargo.toml` (a test in `src/phone_metadata.rs` checks it).
const RLIBPHONENUMBER_VERSION: &str = "2.2.15";
const INSIDE_CRATE: &str = "src/generated/metadata/metadata.bin";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CONTACT_BATCH_PHONE_METADATA");
    println!("cargo:rerun-if-env-changed=CARGO_HOME");
    println!("cargo:rustc-check-cfg=cfg(embedded_phone_metadata)");
    println!("cargo:rustc-env=CONTACT_BATCH_RLIBPHONENUMBER_VERSION={RLIBPHONENUMBER_VERSION}");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    match find() {
        Some(path) => {
            println!("cargo:rerun-if-changed={}", path.display());
            fs::copy(&path, out.join("phone_metadata.bin"))
                .unwrap_or_else(|e| panic!("cannot copy {}: {e}", path.display()));
            println!("cargo:rustc-cfg=embedded_phone_metadata");
        }
        None => println!(
            "cargo:warning=rlibphonenumber {RLIBPHONENUMBER_VERSION}'s metadata.bin was not found \
             under $CARGO_HOME/registry/src; set CONTACT_BATCH_PHONE_METADATA to its path for \
             fast regex compilation (falling back to rlibphonenumber's loader)"
        ),
    }
}

fn find() -> Option<PathBuf> {
    if let Some(path) = env::var_os("CONTACT_BATCH_PHONE_METADATA") {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    let crate_dir = format!("rlibphonenumber-{RLIBPHONENUMBER_VERSION}");
    let mut found: Vec<PathBuf> = fs::read_dir(home.join("registry").join("src"))
        .ok()?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path().join(&crate_dir).join(INSIDE_CRATE))
        .filter(|path| path.is_file())
        .collect();
    // Several registries may hold the same version; their files are the
    // published crate's, identical by checksum. Pick one deterministically.
    found.sort();
    found.into_iter().next()
}
