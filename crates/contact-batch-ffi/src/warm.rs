//! `cbatch_engine_warm`: compile regions' phone patterns before the first
//! request.

use std::os::raw::{c_char, c_int};

use crate::buf::{self, cbatch_buf};
use crate::engine::cbatch_engine;
use crate::panic::guard_result;
use crate::result::cbatch_result;

/// Compiles the phone patterns of the named regions now, so the first
/// request with numbers of those regions costs what later ones do (the
/// metadata otherwise compiles a region's patterns the first time a number
/// of it is read). Call it once, right after `cbatch_engine_new`.
///
/// `regions` is a comma-separated list of ISO 3166-1 alpha-2 codes, e.g.
/// `"US,GB,DE"` (spaces around a code and empty items are ignored; NULL
/// or a length of 0 warms nothing). Changes no answer of the engine.
///
/// Errors: `CBATCH_NULL_ARGUMENT`, `CBATCH_INVALID_UTF8`,
/// `CBATCH_INVALID_LENGTH`, `CBATCH_INVALID_CONFIG` (a code without phone
/// metadata: nothing is warmed, and `err`, if not NULL, gets a UTF-8
/// message to free with `cbatch_buf_free`), `CBATCH_PANIC`. `err` is written
/// only on `CBATCH_INVALID_CONFIG`.
///
/// Thread safety: like every other use of an engine, it may run while other
/// threads use the same engine.
///
/// # Safety
///
/// `engine` must be a live engine; `regions` must point at `len` readable
/// bytes (or be NULL with `len` 0); `err` must be NULL or point at a
/// writable `cbatch_buf`.
#[no_mangle]
pub unsafe extern "C" fn cbatch_engine_warm(
    engine: *const cbatch_engine,
    regions: *const c_char,
    len: usize,
    err: *mut cbatch_buf,
) -> c_int {
    guard_result(|| {
        // SAFETY: forwarded contract for every pointer.
        let engine = unsafe { cbatch_engine::from_ptr(engine) }?;
        // SAFETY: as above.
        let regions = unsafe { buf::text(regions, len) }?;
        let codes: Vec<&str> = regions
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        engine.engine.warm(&codes).map_err(|e| {
            if !err.is_null() {
                // SAFETY: non-NULL, and the caller promises a writable buf.
                unsafe { buf::write(err, e.to_string()) };
            }
            cbatch_result::CBATCH_INVALID_CONFIG
        })
    })
}
