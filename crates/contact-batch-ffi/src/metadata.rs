//! The phone metadata: which libphonenumber release an engine validates
//! phones with, and the config's `phone_metadata` (the path of a newer
//! file made by the project's generator), which this layer reads: the core
//! does no I/O.

use std::os::raw::{c_char, c_int};

use contact_batch::{Config, PhoneMetadataBytes};

/// The config member naming a phone metadata file.
const PATH_KEY: &str = "phone_metadata";

/// `Config::from_json` for a config that may name a phone metadata file
/// (`"phone_metadata": "/path/to/phone-9.0.44.cbpm"`): the member is taken
/// out (the core's config has no such key), the file read whole and given
/// to the engine as bytes, which [`contact_batch::Engine::new`] checks. A
/// config without it is read as it is, so its error messages point into
/// the JSON as sent. `null` is the built-in tables.
pub(crate) fn config_from_json(json: &[u8]) -> Result<Config, String> {
    let mut object = match serde_json::from_slice::<serde_json::Value>(json) {
        Ok(serde_json::Value::Object(object)) if object.contains_key(PATH_KEY) => object,
        _ => return Config::from_json(json).map_err(|e| e.to_string()),
    };
    let path = match object.remove(PATH_KEY) {
        Some(serde_json::Value::String(path)) if !path.is_empty() => Some(path),
        Some(serde_json::Value::Null) => None,
        _ => {
            return Err(format!(
                "invalid config: {PATH_KEY} must be a file's path (a non-empty string) or null"
            ))
        }
    };
    let rest = serde_json::to_vec(&object).map_err(|e| e.to_string())?;
    let mut config = Config::from_json(&rest).map_err(|e| e.to_string())?;
    if let Some(path) = path {
        let bytes = std::fs::read(&path)
            .map_err(|e| format!("{PATH_KEY} `{path}`: cannot read the file: {e}"))?;
        config.phone_metadata = Some(PhoneMetadataBytes::from(bytes));
    }
    Ok(config)
}

use crate::buf::{self, cbatch_buf};
use crate::engine::cbatch_engine;
use crate::panic::{guard, guard_result};

const METADATA_LEN: usize = contact_batch::PHONE_METADATA_VERSION.len() + 1;
/// `PHONE_METADATA_VERSION` and a NUL.
static METADATA_VERSION: [u8; METADATA_LEN] = {
    let mut out = [0u8; METADATA_LEN];
    let version = contact_batch::PHONE_METADATA_VERSION.as_bytes();
    let mut i = 0;
    while i < version.len() {
        out[i] = version[i];
        i += 1;
    }
    out
};

/// The libphonenumber metadata release built into the library, e.g.
/// `"9.0.43"`: static and NUL-terminated, never NULL, never to be freed.
/// An engine built with a `phone_metadata` file may use another:
/// `cbatch_engine_phone_metadata_version` tells.
#[no_mangle]
pub extern "C" fn cbatch_phone_metadata_version() -> *const c_char {
    guard(METADATA_VERSION.as_ptr().cast(), || {
        METADATA_VERSION.as_ptr().cast()
    })
}

/// Writes into `out` the libphonenumber metadata release `engine` validates
/// phones with (`9.0.43`). Returns `CBATCH_OK`, or `CBATCH_NULL_ARGUMENT` (nothing
/// written) when `engine` or `out` is NULL.
///
/// # Safety
///
/// `engine` must be NULL or a live engine; `out` NULL or a writable
/// `cbatch_buf` (its previous contents are overwritten, not freed).
#[no_mangle]
pub unsafe extern "C" fn cbatch_engine_phone_metadata_version(
    engine: *const cbatch_engine,
    out: *mut cbatch_buf,
) -> c_int {
    guard_result(|| {
        // SAFETY: forwarded from this function's contract.
        let engine = unsafe { cbatch_engine::from_ptr(engine) }?;
        buf::non_null(out)?;
        let version = engine.engine.phone_metadata_version().to_owned();
        // SAFETY: `out` is non-NULL and writable per the contract.
        unsafe { buf::write(out, version) };
        Ok(())
    })
}
