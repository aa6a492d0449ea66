//! Writes `contact_batch.h` and `contact_batch_php.h` into a directory with
//! the pinned cbindgen. Run through `gen-header.sh`, not by hand.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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

fn generate(crate_dir: &Path, config: cbindgen::Config) -> Result<String, String> {
    let mut out = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/lib.rs"))
        .generate()
        .map_err(|e| e.to_string())?
        .write(&mut out);
    String::from_utf8(out).map_err(|e| e.to_string())
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

fn run() -> Result<(), String> {
    let out_dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: cbatch-gen-header OUT_DIR")?;
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .map_err(|e| format!("cbindgen.toml: {e}"))?;

    let mut c = config.clone();
    c.after_includes = Some(version_macros());
    let header = generate(crate_dir, c)?;

    let php = generate(crate_dir, php_config(config))?;
    if let Some(line) = php.lines().find(|l| l.trim_start().starts_with('#')) {
        return Err(format!(
            "the PHP header still has a preprocessor line: {line}"
        ));
    }

    fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    for (name, text) in [("contact_batch.h", header), ("contact_batch_php.h", php)] {
        let path = out_dir.join(name);
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cbatch-gen-header: {e}");
            ExitCode::FAILURE
        }
    }
}
