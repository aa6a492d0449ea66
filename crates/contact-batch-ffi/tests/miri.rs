//! The C API's exported functions on the paths that need no engine, small
//! enough for Miri (`scripts/miri.sh --full`): NULL handles and
//! out-parameters, bad lengths, config errors with their messages,
//! existing-keys errors, result names and the version string. None of them
//! builds an `Engine` (loading the phone metadata does not finish in
//! minutes under Miri); the paths past a live engine are `tests/ffi.rs`,
//! the C example under valgrind and the sanitizers, and the `c_abi` fuzz
//! target. The buffer and panic-boundary modules have their own, faster
//! Miri harness (`crates/contact-batch-ffi/miri`, what CI runs).
//!
//! They run natively with the other tests too.

use std::ffi::CStr;
use std::os::raw::c_int;
use std::ptr;

use contactbatch::*;

mod common;
use common::*;

/// `cbatch_engine_new` on a config that must fail: its message.
fn config_error(config: &[u8]) -> String {
    let mut err = cbatch_buf::empty();
    // SAFETY: a live byte string and a writable buf.
    let e = unsafe { cbatch_engine_new(p(config), config.len(), &mut err) };
    assert!(e.is_null(), "config {config:?} built an engine");
    take(err)
}

#[test]
fn config_errors_fill_err_and_return_null() {
    for (config, needle) in [
        (&b""[..], "not valid JSON"),
        (b"{\"profile\": \"rasl-create\"", "not valid JSON"),
        (b"{\"profile\": \"nope\"}", "nope"),
        (b"{\"profile\": \"rasl-create\", \"bogus\": 1}", "bogus"),
        (b"{\"profile\": \"rasl-\xff\"}", "UTF-8"),
        (b"{\"profile\": \"rasl-create\", \"threads\": 0}", "threads"),
        (
            b"{\"profile\": \"rasl-create\", \"max_batch\": 0}",
            "max_batch",
        ),
    ] {
        let msg = config_error(config);
        assert!(msg.contains(needle), "{msg:?} should mention {needle:?}");
    }
    // SAFETY: NULL with a length and NULL err are refused without a read.
    unsafe {
        let mut err = cbatch_buf::empty();
        assert!(cbatch_engine_new(ptr::null(), 3, &mut err).is_null());
        assert!(take(err).contains("NULL"));
        assert!(cbatch_engine_new(ptr::null(), 0, ptr::null_mut()).is_null());
        assert!(cbatch_engine_new(p(b"{}"), 2, ptr::null_mut()).is_null());
        let mut err = cbatch_buf::empty();
        assert!(cbatch_engine_new(p(b"{}"), usize::MAX, &mut err).is_null());
        assert!(take(err).contains("PTRDIFF_MAX"));
    }
}

#[test]
fn null_handles_and_out_parameters_are_refused() {
    let r = b"{\"ids\": [1]}";
    let mut out = cbatch_buf::empty();
    let mut prep: *mut cbatch_prepared = ptr::null_mut();
    // SAFETY: every call passes NULL where a handle or out-parameter is
    // required; the library checks before any use.
    unsafe {
        assert_eq!(
            cbatch_respond(ptr::null(), p(r), r.len(), ptr::null(), 0, &mut out),
            NULL_ARGUMENT
        );
        assert_eq!(
            cbatch_prepare(ptr::null(), p(r), r.len(), &mut prep),
            NULL_ARGUMENT
        );
        assert_eq!(cbatch_prepared_keys(ptr::null(), &mut out), NULL_ARGUMENT);
        assert_eq!(
            cbatch_resolve(ptr::null(), ptr::null(), ptr::null(), 0, &mut out),
            NULL_ARGUMENT
        );
        assert_eq!(
            cbatch_resolve_outcome(ptr::null(), ptr::null(), ptr::null(), 0, &mut out),
            NULL_ARGUMENT
        );
        assert_eq!(
            cbatch_normalize_phone(ptr::null(), p(b"1"), 1, ptr::null(), 0, &mut out),
            NULL_ARGUMENT
        );
        assert_eq!(
            cbatch_validate_email(ptr::null(), p(b"a"), 1, &mut out),
            NULL_ARGUMENT
        );
        assert_eq!(
            cbatch_respond(ptr::null(), p(r), r.len(), ptr::null(), 0, ptr::null_mut()),
            NULL_ARGUMENT
        );
        assert_eq!(
            cbatch_prepare(ptr::null(), p(r), r.len(), ptr::null_mut()),
            NULL_ARGUMENT
        );
        cbatch_engine_free(ptr::null_mut());
        cbatch_prepared_free(ptr::null_mut());
        cbatch_buf_free(ptr::null_mut());
    }
    assert!(
        out.data.is_null() && prep.is_null(),
        "a failed call wrote out"
    );
}

#[test]
fn existing_check_paths() {
    let bad = br#"{"phones": {"4155552671": "x"}}"#;
    let good =
        br#"{"phones": {"+14155552671": "x"}, "ids": [1, 2], "external_refs": [["crm", "42"]]}"#;
    let mut err = cbatch_buf::empty();
    // SAFETY: live byte strings of the given lengths, writable bufs, NULLs
    // only where documented.
    unsafe {
        assert_eq!(cbatch_existing_check(p(good), good.len(), &mut err), OK);
        assert!(err.data.is_null(), "err is written only on failure");
        assert_eq!(cbatch_existing_check(ptr::null(), 0, &mut err), OK);
        assert_eq!(cbatch_existing_check(p(b"x"), 0, &mut err), OK);
        assert!(err.data.is_null());

        assert_eq!(
            cbatch_existing_check(p(bad), bad.len(), &mut err),
            INVALID_EXISTING
        );
        assert!(take(err).contains("E.164"));
        let mut err = cbatch_buf::empty();
        assert_eq!(
            cbatch_existing_check(p(b"[]"), 2, &mut err),
            INVALID_EXISTING
        );
        assert!(!take(err).is_empty());
        assert_eq!(
            cbatch_existing_check(p(bad), bad.len(), ptr::null_mut()),
            INVALID_EXISTING
        );

        let mut err = cbatch_buf::empty();
        assert_eq!(
            cbatch_existing_check(ptr::null(), 2, &mut err),
            NULL_ARGUMENT
        );
        assert!(take(err).contains("NULL"));
        let mut err = cbatch_buf::empty();
        assert_eq!(
            cbatch_existing_check(p(b"{}"), usize::MAX, &mut err),
            INVALID_LENGTH
        );
        assert!(take(err).contains("PTRDIFF_MAX"));
    }
}

#[test]
fn names_and_version_are_static_c_strings() {
    for r in cbatch_result::all() {
        // SAFETY: the library returns static NUL-terminated strings.
        let name = unsafe { CStr::from_ptr(cbatch_result_name(r.code())) };
        assert_eq!(name.to_str(), Ok(r.name()));
    }
    for code in [-1, 8, c_int::MAX, c_int::MIN] {
        // SAFETY: as above.
        let name = unsafe { CStr::from_ptr(cbatch_result_name(code)) };
        assert_eq!(name.to_bytes(), b"CBATCH_UNKNOWN_RESULT");
    }
    // SAFETY: as above.
    let version = unsafe { CStr::from_ptr(cbatch_version()) };
    assert_eq!(version.to_str(), Ok(env!("CARGO_PKG_VERSION")));
    assert_eq!(
        cbatch_result::from_code(INVALID_UTF8),
        Some(cbatch_result::CBATCH_INVALID_UTF8)
    );
}

#[test]
fn freed_bufs_can_be_refilled_by_failed_calls_untouched() {
    // A buf filled, freed, then passed to a failing call stays zeroed; a
    // buf passed to two failing calls in a row is never half-written.
    let mut err = cbatch_buf::empty();
    // SAFETY: live byte string, writable buf.
    assert!(unsafe { cbatch_engine_new(p(b"{"), 1, &mut err) }.is_null());
    // SAFETY: filled above.
    unsafe { cbatch_buf_free(&mut err) };
    let mut out = cbatch_buf::empty();
    // SAFETY: NULL engine, refused before `out` is written.
    let rc = unsafe { cbatch_respond(ptr::null(), p(b"{}"), 2, ptr::null(), 0, &mut out) };
    assert_eq!(rc, NULL_ARGUMENT);
    assert!(out.data.is_null() && err.data.is_null());
}
