//! Gives the shared library its SONAME on Linux: `libcontactbatch.so.0.1`
//! for version 0.1.x (`libcontactbatch.so.1` from 1.0 on), the compatibility
//! promise of semver that `install.sh` lays out as
//! `libcontactbatch.so.0.1.0` with the `.so.0.1` and `.so` links.
//!
//! A program linked with `-lcontactbatch` records the SONAME, not the file
//! name, and asks the dynamic loader for `libcontactbatch.so.0.1` when it
//! starts. So that such a program also runs against the library where cargo
//! built it (`-L target/release` and `LD_LIBRARY_PATH=target/release`,
//! SPEC §5.2), this script lays out that link in the build folder as well:
//! `target/<profile>/libcontactbatch.so.0.1 -> libcontactbatch.so`, the
//! name the loader looks for, pointing at the file cargo writes there (the
//! link is made before cargo links the library, and is right as soon as it
//! has). The installed library is unchanged: same SONAME, same links
//! (`install.sh`). The contract suite (`scripts/contract.sh`) links and runs
//! a C program both ways.
//!
//! (The other way, a library without a SONAME from a plain build and one
//! set at install time, would need `patchelf` on every machine that
//! installs, and would give packages built straight from `target/` a
//! library without one.)

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os != "linux" && os != "freebsd" && os != "android" {
        return;
    }
    let major = env!("CARGO_PKG_VERSION_MAJOR");
    let minor = env!("CARGO_PKG_VERSION_MINOR");
    let sover = if major == "0" {
        format!("0.{minor}")
    } else {
        major.to_owned()
    };
    let soname = format!("libcontactbatch.so.{sover}");
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
    if let Some(dir) = artifact_dir() {
        link_soname(&dir, &soname);
    }
}

/// The folder cargo puts the library in (`target/release`,
/// `target/<triple>/debug`, ...): three levels above this script's
/// `OUT_DIR` (`<that folder>/build/contact-batch-ffi-<hash>/out`).
fn artifact_dir() -> Option<PathBuf> {
    let out = PathBuf::from(std::env::var_os("OUT_DIR")?);
    let dir = out.parent()?.parent()?.parent()?;
    (dir.join("build").is_dir() && out.parent()?.parent()? == dir.join("build"))
        .then(|| dir.to_owned())
}

/// Makes `dir/<soname>` a relative link to `libcontactbatch.so` (replacing
/// whatever is there under that name). Failing costs only the run from the
/// build folder, so it is a warning, not an error.
fn link_soname(dir: &Path, soname: &str) {
    let link = dir.join(soname);
    if std::fs::read_link(&link).is_ok_and(|t| t == Path::new("libcontactbatch.so")) {
        return;
    }
    let _ = std::fs::remove_file(&link);
    #[cfg(unix)]
    let made = std::os::unix::fs::symlink("libcontactbatch.so", &link);
    #[cfg(not(unix))]
    let made: std::io::Result<()> = Ok(());
    if let Err(e) = made {
        println!(
            "cargo:warning=cannot link {} to libcontactbatch.so: {e}",
            link.display()
        );
    }
}
