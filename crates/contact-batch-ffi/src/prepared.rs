//! `cbatch_prepared`: the two-phase protocol (prepare, look up the keys,
//! resolve).

use std::os::raw::{c_char, c_int};
use std::ptr;
use std::sync::Arc;

use contact_batch::{Engine, Outcome, Prepared};

use crate::buf::{self, cbatch_buf};
use crate::engine::cbatch_engine;
use crate::existing;
use crate::panic::{guard, guard_result};
use crate::result::cbatch_result;

/// A request after phase one: validated, normalized and deduped inside
/// itself, waiting for the host to say which of its keys exist.
///
/// Thread safety: a prepared batch belongs to one thread at a time. It may
/// be handed to another thread, but must not be used by two threads at once
/// (and never freed while in use). It keeps its engine's internals alive, so
/// it stays valid after `cbatch_engine_free`.
#[allow(non_camel_case_types)]
pub struct cbatch_prepared {
    /// Keeps the engine's internals alive for the handle's lifetime (the
    /// engine check itself is the core's, [`Prepared::is_from`]).
    _engine: Arc<Engine>,
    prepared: Prepared,
}

// The C API lets a prepared batch move between threads.
const _: () = {
    const fn movable<T: Send>() {}
    movable::<cbatch_prepared>()
};

impl cbatch_prepared {
    /// # Safety
    ///
    /// `p` must be NULL or a live pointer returned by `cbatch_prepare`.
    unsafe fn from_ptr<'a>(
        p: *const cbatch_prepared,
    ) -> Result<&'a cbatch_prepared, cbatch_result> {
        // SAFETY: NULL is refused; otherwise the caller promises a live
        // handle, which is only ever read.
        unsafe { p.as_ref() }.ok_or(cbatch_result::CBATCH_NULL_ARGUMENT)
    }
}

/// Phase one: parses and checks `request` (the raw HTTP body), validates,
/// normalizes and dedupes its rows, and stores the result in a new handle
/// written to `*out` (free it with `cbatch_prepared_free`).
///
/// A malformed request still gives a handle, with `CBATCH_OK`: its keys are
/// empty, `"rejected"` is true in `cbatch_prepared_keys`, and
/// `cbatch_resolve` renders the API's 4xx response. Errors:
/// `CBATCH_NULL_ARGUMENT`, `CBATCH_INVALID_LENGTH`, `CBATCH_PANIC`; `*out`
/// is written only on success.
///
/// # Safety
///
/// `engine` must be a live engine; `request` must point at `len` readable
/// bytes (or be NULL with `len` 0); `out` must point at a writable
/// `cbatch_prepared *`.
#[no_mangle]
pub unsafe extern "C" fn cbatch_prepare(
    engine: *const cbatch_engine,
    request: *const c_char,
    len: usize,
    out: *mut *mut cbatch_prepared,
) -> c_int {
    guard_result(|| {
        buf::non_null(out)?;
        // SAFETY: forwarded contract.
        let engine = unsafe { cbatch_engine::from_ptr(engine) }?;
        // SAFETY: forwarded contract.
        let request = unsafe { buf::bytes(request, len) }?;
        let prepared = engine.engine.prepare(request);
        let handle = Box::into_raw(Box::new(cbatch_prepared {
            _engine: Arc::clone(&engine.engine),
            prepared,
        }));
        // SAFETY: `out` is non-NULL and writable per the contract.
        unsafe { ptr::write(out, handle) };
        Ok(())
    })
}

/// The keys the host must look up in its store, as JSON:
/// `{"phones": ["+14155552671", ...], "ids": [1, ...], "external_refs":
/// [["provider", "id"], ...], "rejected": false}`. Phones are E.164,
/// distinct, in first-seen order. `"rejected": true` means the request
/// itself was refused: there is nothing to look up and `cbatch_resolve`
/// gives the API's error response.
///
/// Errors: `CBATCH_NULL_ARGUMENT`, `CBATCH_PANIC`. `out` is written only on
/// success; free it with `cbatch_buf_free`.
///
/// # Safety
///
/// `prepared` must be a live handle; `out` must point at a writable
/// `cbatch_buf`.
#[no_mangle]
pub unsafe extern "C" fn cbatch_prepared_keys(
    prepared: *const cbatch_prepared,
    out: *mut cbatch_buf,
) -> c_int {
    guard_result(|| {
        buf::non_null(out)?;
        // SAFETY: forwarded contract.
        let p = unsafe { cbatch_prepared::from_ptr(prepared) }?;
        let keys = p.prepared.keys();
        /// The keys' members in the documented order (a struct's order).
        #[derive(serde::Serialize)]
        struct Keys<'k> {
            phones: &'k [String],
            ids: &'k [i64],
            external_refs: &'k [(String, String)],
            rejected: bool,
        }
        let json = crate::values::to_json(&Keys {
            phones: &keys.phones,
            ids: &keys.ids,
            external_refs: &keys.external_refs,
            rejected: p.prepared.rejection().is_some(),
        });
        // SAFETY: `out` is non-NULL and writable per the contract.
        unsafe { buf::write(out, json) };
        Ok(())
    })
}

/// Checks the handles and inputs of the resolve functions and resolves.
///
/// # Safety
///
/// As [`cbatch_resolve`].
unsafe fn resolve(
    engine: *const cbatch_engine,
    prepared: *const cbatch_prepared,
    existing_json: *const c_char,
    existing_len: usize,
    out: *mut cbatch_buf,
) -> Result<Outcome, cbatch_result> {
    buf::non_null(out)?;
    // SAFETY: forwarded contract for each pointer.
    let engine = unsafe { cbatch_engine::from_ptr(engine) }?;
    // SAFETY: as above.
    let p = unsafe { cbatch_prepared::from_ptr(prepared) }?;
    if !p.prepared.is_from(&engine.engine) {
        return Err(cbatch_result::CBATCH_ENGINE_MISMATCH);
    }
    // SAFETY: as above.
    let existing = unsafe { existing::parse(existing_json, existing_len) }?;
    Ok(engine.engine.resolve(&p.prepared, &existing))
}

/// Phase two: classifies the prepared rows against the keys that exist and
/// writes the API's response into `out` as `{"status": HTTP_STATUS, "body":
/// RESPONSE_BODY}` (the same object as `cbatch_respond`). May be called more
/// than once on the same handle.
///
/// `existing_json` is the subset of the keys that exist, in the form
/// `cbatch_respond` takes (NULL or length 0: none exists). `engine` must be
/// the engine that prepared the batch (else `CBATCH_ENGINE_MISMATCH`).
/// Errors: `CBATCH_NULL_ARGUMENT`, `CBATCH_INVALID_EXISTING`,
/// `CBATCH_ENGINE_MISMATCH`, `CBATCH_INVALID_LENGTH`, `CBATCH_PANIC`. `out`
/// is written only on success; free it with `cbatch_buf_free`.
///
/// # Safety
///
/// `engine` and `prepared` must be live handles; `existing_json` must point
/// at `existing_len` readable bytes (or be NULL with length 0); `out` must
/// point at a writable `cbatch_buf`.
#[no_mangle]
pub unsafe extern "C" fn cbatch_resolve(
    engine: *const cbatch_engine,
    prepared: *const cbatch_prepared,
    existing_json: *const c_char,
    existing_len: usize,
    out: *mut cbatch_buf,
) -> c_int {
    guard_result(|| {
        // SAFETY: forwarded contract.
        let outcome = unsafe { resolve(engine, prepared, existing_json, existing_len, out) }?;
        // SAFETY: `resolve` checked `out` for NULL; writable per the contract.
        unsafe { buf::write(out, outcome.response.to_json()) };
        Ok(())
    })
}

/// Like `cbatch_resolve`, with the typed per-row outcome beside the
/// response, for a host that writes the rows itself:
/// `{"status": HTTP_STATUS, "body": RESPONSE_BODY, "rejected": bool,
/// "refusal": KIND, "summary": {"total", "new", "existing", "duplicate", "invalid"},
/// "rows": [{"index", "status", "action", "key", "duplicate_of",
/// "existing_id", "errors", "contact"}, ...]}`.
///
/// `rejected: true` means nothing may be written; `refusal` is present
/// only when the request itself was refused (no row judged), naming why:
/// `too_large`, `empty`, `not_json`, `budget_exceeded`, `not_an_object`,
/// `batch_missing`, `batch_empty`, `batch_too_long`, `batch_not_an_array`,
/// `element_invalid`, `bad_options` or `invalid` (more may come). A row's `action` is
/// `create`, `update`, `delete` or `none`; its `contact` is the normalized
/// record to write. Same arguments and errors as `cbatch_resolve`.
///
/// # Safety
///
/// As `cbatch_resolve`.
#[no_mangle]
pub unsafe extern "C" fn cbatch_resolve_outcome(
    engine: *const cbatch_engine,
    prepared: *const cbatch_prepared,
    existing_json: *const c_char,
    existing_len: usize,
    out: *mut cbatch_buf,
) -> c_int {
    guard_result(|| {
        // SAFETY: forwarded contract.
        let outcome = unsafe { resolve(engine, prepared, existing_json, existing_len, out) }?;
        let json = outcome_json(&outcome);
        // SAFETY: `resolve` checked `out` for NULL; writable per the contract.
        unsafe { buf::write(out, json) };
        Ok(())
    })
}

fn outcome_json(outcome: &Outcome) -> String {
    let mut s = outcome.response.to_json();
    // `to_json` ends with the object's closing brace; add our members.
    s.pop();
    s.push_str(",\"rejected\":");
    s.push_str(if outcome.rejected { "true" } else { "false" });
    if let Some(kind) = outcome.refusal {
        // A request refused as a whole: why, typed (`batch_too_long`, ...).
        s.push_str(",\"refusal\":\"");
        s.push_str(kind.as_str());
        s.push('"');
    }
    s.push_str(",\"summary\":");
    // Serializing these types cannot fail: string keys, no maps with
    // non-string keys, no non-finite floats.
    s.push_str(&serde_json::to_string(&outcome.summary).unwrap_or_else(|_| "null".into()));
    s.push_str(",\"rows\":");
    s.push_str(&serde_json::to_string(&outcome.rows).unwrap_or_else(|_| "null".into()));
    s.push('}');
    s
}

/// Releases a prepared batch. NULL is harmless.
///
/// # Safety
///
/// `prepared` must be NULL or a pointer written by `cbatch_prepare`, not yet
/// freed and not in use by another thread.
#[no_mangle]
pub unsafe extern "C" fn cbatch_prepared_free(prepared: *mut cbatch_prepared) {
    guard((), || {
        if !prepared.is_null() {
            // SAFETY: a leaked Box from `cbatch_prepare`, freed once per the
            // caller's contract.
            drop(unsafe { Box::from_raw(prepared) });
        }
    })
}
