//! Gives the shared library its SONAME on Linux: `libcontactbatch.so.0.1`
//! for version 0.1.x (`libcontactbatch.so.1` from 1.0 on), the compatibility
//! promise of semver that `install.sh` lays out as
//! `libcontactbatch.so.0.1.0` with the `.so.0.1` and `.so` links.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" || os == "freebsd" || os == "android" {
        let major = env!("CARGO_PKG_VERSION_MAJOR");
        let minor = env!("CARGO_PKG_VERSION_MINOR");
        let sover = if major == "0" {
            format!("0.{minor}")
        } else {
            major.to_owned()
        };
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libcontactbatch.so.{sover}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
