//! `cbatch_engine`: a configured engine, and the one-call `cbatch_respond`.

use std::os::raw::{c_char, c_int};
use std::ptr;
use std::sync::Arc;

use contact_batch::Engine;

use crate::buf::{self, cbatch_buf};
use crate::existing;
use crate::panic::{guard, guard_result};
use crate::result::cbatch_result;

/// An engine for one API profile, built once from a JSON config and reused
/// for every request.
///
/// Thread safety: an engine is immutable once built. Any number of threads
/// may use the same engine at the same time (through `const cbatch_engine *`)
/// without locking. Free it once, after every other use has finished.
#[allow(non_camel_case_types)]
pub struct cbatch_engine {
    pub(crate) engine: Arc<Engine>,
}

// The C API promises that an engine may be shared across threads.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<cbatch_engine>()
};

impl cbatch_engine {
    /// Borrows the engine behind a C pointer.
    ///
    /// # Safety
    ///
    /// `p` must be NULL or a live pointer returned by `cbatch_engine_new`.
    pub(crate) unsafe fn from_ptr<'a>(
        p: *const cbatch_engine,
    ) -> Result<&'a cbatch_engine, cbatch_result> {
        // SAFETY: NULL is refused; otherwise the caller promises a live
        // engine, which is only ever read.
        unsafe { p.as_ref() }.ok_or(cbatch_result::CBATCH_NULL_ARGUMENT)
    }
}

/// Builds an engine from a JSON config, e.g.
/// `{"profile": "rasl-create", "default_region": "US"}`.
///
/// Config members: `profile` (required: `rasl-create`, `rasl-delete`,
/// `rasl-update`, `record-list` or `contact-book`), `default_region`,
/// `max_batch`, `threads`, `phone_util_per_thread`, `max_body_bytes`, `plan_quota`,
/// `require_timezone`, `link_base`, `limits` (see the core crate's
/// `Config`), and `phone_metadata`: the path of a phone metadata file made
/// by the project's generator (`scripts/update-phone-metadata.sh VERSION
/// --out FILE`), read once here, to validate phones with a newer
/// libphonenumber release than the built-in one (an unreadable or bad file
/// fails with a message naming it). Unknown members are an error.
///
/// Returns the engine, to be released with `cbatch_engine_free`. On failure
/// returns NULL and, if `err` is not NULL, fills `err` with a UTF-8 message
/// (release it with `cbatch_buf_free`); `err` is written only on failure.
///
/// # Safety
///
/// `config_json` must point at `len` readable bytes (or be NULL with `len`
/// 0, which is an invalid, empty config); `err` must be NULL or point at a
/// writable `cbatch_buf`.
#[no_mangle]
pub unsafe extern "C" fn cbatch_engine_new(
    config_json: *const c_char,
    len: usize,
    err: *mut cbatch_buf,
) -> *mut cbatch_engine {
    guard(ptr::null_mut(), || {
        // SAFETY: forwarded from this function's contract.
        match unsafe { build(config_json, len) } {
            Ok(engine) => Box::into_raw(Box::new(cbatch_engine {
                engine: Arc::new(engine),
            })),
            Err(message) => {
                if !err.is_null() {
                    // SAFETY: non-NULL, and the caller promises a writable buf.
                    unsafe { buf::write(err, message) };
                }
                ptr::null_mut()
            }
        }
    })
}

/// # Safety
///
/// As [`cbatch_engine_new`].
unsafe fn build(config_json: *const c_char, len: usize) -> Result<Engine, String> {
    // SAFETY: forwarded contract.
    let json = unsafe { buf::bytes(config_json, len) }.map_err(|e| match e {
        cbatch_result::CBATCH_NULL_ARGUMENT => {
            "config_json is NULL but its length is not 0".to_owned()
        }
        _ => "the config length is larger than PTRDIFF_MAX".to_owned(),
    })?;
    if let Err(e) = std::str::from_utf8(json) {
        return Err(format!(
            "the config is not valid UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ));
    }
    let config = crate::metadata::config_from_json(json)?;
    Engine::new(config).map_err(|e| e.to_string())
}

/// Releases an engine. NULL is harmless. Prepared batches made by the engine
/// stay valid (they keep what they need alive) and are freed on their own.
///
/// # Safety
///
/// `engine` must be NULL or a pointer returned by `cbatch_engine_new`, not
/// yet freed, and not in use by another thread.
#[no_mangle]
pub unsafe extern "C" fn cbatch_engine_free(engine: *mut cbatch_engine) {
    guard((), || {
        if !engine.is_null() {
            // SAFETY: returned by `cbatch_engine_new` (a leaked Box), freed
            // once, per the caller's contract.
            drop(unsafe { Box::from_raw(engine) });
        }
    })
}

/// Both phases in one call: validates `request` (the raw HTTP body) against
/// the keys that already exist and writes the API's response into `out` as
/// `{"status": HTTP_STATUS, "body": RESPONSE_BODY}`, exactly what the
/// command line prints.
///
/// `existing_json` is the JSON of the command line's `--existing` file
/// (`{"phones": {"+14155552671": "ct_1"}, "ids": [...], ...}`); NULL or a
/// length of 0 means nothing exists.
///
/// A malformed request (not JSON, invalid UTF-8, wrong shape, too many rows)
/// is the API's 4xx response, returned with `CBATCH_OK`. Errors:
/// `CBATCH_NULL_ARGUMENT` (`engine` or `out` NULL, or an input NULL with a
/// non-zero length), `CBATCH_INVALID_EXISTING` (malformed `existing_json`;
/// `cbatch_existing_check` says why), `CBATCH_INVALID_LENGTH`,
/// `CBATCH_PANIC`. `out` is written only on success; free it with
/// `cbatch_buf_free`.
///
/// # Safety
///
/// `engine` must be a live engine; `request` and `existing_json` must point
/// at the given number of readable bytes (or be NULL with length 0); `out`
/// must point at a writable `cbatch_buf`.
#[no_mangle]
pub unsafe extern "C" fn cbatch_respond(
    engine: *const cbatch_engine,
    request: *const c_char,
    len: usize,
    existing_json: *const c_char,
    existing_len: usize,
    out: *mut cbatch_buf,
) -> c_int {
    guard_result(|| {
        buf::non_null(out)?;
        // SAFETY: forwarded contract for every pointer below.
        let engine = unsafe { cbatch_engine::from_ptr(engine) }?;
        // SAFETY: as above.
        let request = unsafe { buf::bytes(request, len) }?;
        // SAFETY: as above.
        let existing = unsafe { existing::parse(existing_json, existing_len) }?;
        let outcome = engine.engine.respond(request, &existing);
        // SAFETY: `out` is non-NULL and writable per the contract.
        unsafe { buf::write(out, outcome.response.to_json()) };
        Ok(())
    })
}
