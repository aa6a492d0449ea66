//! The phone metadata: which libphonenumber release an engine validates
//! phones with.

use std::os::raw::{c_char, c_int};

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
#[no_mangle]
pub extern "C" fn cbatch_phone_metadata_version() -> *const c_char {
    let version = METADATA_VERSION.as_ptr().cast();
    guard(version, || version)
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
