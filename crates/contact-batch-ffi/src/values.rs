//! Single values: `cbatch_normalize_phone`, `cbatch_validate_email`,
//! `cbatch_version`.

use std::os::raw::{c_char, c_int};

use serde::Serialize;

use crate::buf::{self, cbatch_buf};
use crate::engine::cbatch_engine;
use crate::panic::{guard, guard_result};

// The answers' members in the order documented (a struct's order, not
// serde_json's map order, which depends on its features).

/// A valid phone's answer.
#[derive(Serialize)]
struct PhoneAnswer {
    valid: bool,
    e164: String,
    country_code: u16,
    region: Option<String>,
    number_type: &'static str,
    extension: Option<String>,
}

/// A valid email's answer.
#[derive(Serialize)]
struct EmailAnswer {
    valid: bool,
    normalized: String,
    key: String,
}

/// An invalid phone's or email's answer.
#[derive(Serialize)]
struct Invalid {
    valid: bool,
    error: &'static str,
    message: String,
}

/// Plain data of strings, numbers and options: serializing cannot fail.
pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// Normalizes one phone number the way the engine does for rows.
///
/// `raw` is the number as written (UTF-8). `region` is an ISO 3166-1 alpha-2
/// code (`"US"`) for numbers written without `+`; NULL or a length of 0
/// means the engine's configured `default_region`.
///
/// Writes JSON into `out` and returns `CBATCH_OK` whether or not the number
/// is valid (the answer is data):
/// `{"valid": true, "e164": "+14155552671", "country_code": 1,
/// "region": "US", "number_type": "fixed_line_or_mobile",
/// "extension": null}` or
/// `{"valid": false, "error": "too_short", "message": "..."}`. An unknown
/// `region` is `{"valid": false, "error": "invalid_country_code", ...}`.
///
/// Errors: `CBATCH_NULL_ARGUMENT`, `CBATCH_INVALID_UTF8` (`raw` or
/// `region`), `CBATCH_INVALID_LENGTH`, `CBATCH_PANIC`. `out` is written only
/// on success; free it with `cbatch_buf_free`.
///
/// # Safety
///
/// `engine` must be a live engine; `raw` and `region` must point at the
/// given number of readable bytes (or be NULL with length 0); `out` must
/// point at a writable `cbatch_buf`.
#[no_mangle]
pub unsafe extern "C" fn cbatch_normalize_phone(
    engine: *const cbatch_engine,
    raw: *const c_char,
    len: usize,
    region: *const c_char,
    region_len: usize,
    out: *mut cbatch_buf,
) -> c_int {
    guard_result(|| {
        buf::non_null(out)?;
        // SAFETY: forwarded contract for every pointer.
        let engine = unsafe { cbatch_engine::from_ptr(engine) }?;
        // SAFETY: as above.
        let raw = unsafe { buf::text(raw, len) }?;
        // SAFETY: as above.
        let region = unsafe { buf::text(region, region_len) }?;
        let region = (!region.is_empty()).then_some(region);
        let json = match engine.engine.normalize_phone(raw, region) {
            Ok(p) => to_json(&PhoneAnswer {
                valid: true,
                e164: p.e164,
                country_code: p.country_code,
                region: p.region,
                number_type: p.number_type.as_str(),
                extension: p.extension,
            }),
            Err(e) => to_json(&Invalid {
                valid: false,
                error: e.code(),
                message: e.to_string(),
            }),
        };
        // SAFETY: `out` is non-NULL and writable per the contract.
        unsafe { buf::write(out, json) };
        Ok(())
    })
}

/// Validates and normalizes one email address (surrounding whitespace is
/// trimmed) with the rules the engine applies to rows.
///
/// Writes JSON into `out` and returns `CBATCH_OK` whether or not the address
/// is valid (the answer is data):
/// `{"valid": true, "normalized": "Ann@example.com", "key":
/// "ann@example.com"}` (domain lowercased; the key lowercases everything,
/// with IDN domains in punycode) or
/// `{"valid": false, "error": "domain_without_dot", "message": "..."}`.
///
/// Errors: `CBATCH_NULL_ARGUMENT`, `CBATCH_INVALID_UTF8`,
/// `CBATCH_INVALID_LENGTH`, `CBATCH_PANIC`. `out` is written only on
/// success; free it with `cbatch_buf_free`.
///
/// # Safety
///
/// `engine` must be a live engine; `email` must point at `len` readable
/// bytes (or be NULL with `len` 0); `out` must point at a writable
/// `cbatch_buf`.
#[no_mangle]
pub unsafe extern "C" fn cbatch_validate_email(
    engine: *const cbatch_engine,
    email: *const c_char,
    len: usize,
    out: *mut cbatch_buf,
) -> c_int {
    guard_result(|| {
        buf::non_null(out)?;
        // SAFETY: forwarded contract for every pointer.
        let engine = unsafe { cbatch_engine::from_ptr(engine) }?;
        // SAFETY: as above.
        let email = unsafe { buf::text(email, len) }?;
        let json = match engine.engine.validate_email(email) {
            Ok(e) => to_json(&EmailAnswer {
                valid: true,
                normalized: e.normalized,
                key: e.key,
            }),
            Err(e) => to_json(&Invalid {
                valid: false,
                error: e.code(),
                message: e.to_string(),
            }),
        };
        // SAFETY: `out` is non-NULL and writable per the contract.
        unsafe { buf::write(out, json) };
        Ok(())
    })
}

const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library's version, e.g. `"0.1.0"`: static and NUL-terminated, never
/// NULL, never to be freed. Compare it with `CBATCH_VERSION` to check that
/// the header and the library match.
#[no_mangle]
pub extern "C" fn cbatch_version() -> *const c_char {
    guard(VERSION.as_ptr().cast(), || VERSION.as_ptr().cast())
}
