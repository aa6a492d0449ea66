//! The C API called as C calls it: raw pointers and lengths, NULLs, zero
//! lengths, lengths past `PTRDIFF_MAX`, NULL out-parameters, handles of the
//! wrong engine, every output freed with `cbatch_buf_free`.
//!
//! The input is a little program: a sequence of operations, each an op byte
//! followed by its argument modes and length-prefixed (2 bytes, little
//! endian) payloads. Checks: the result code is the documented one for the
//! arguments given (never `CBATCH_PANIC`); out-parameters are written on
//! success only; every output is NUL-terminated UTF-8 JSON and equals what
//! the core crate answers for the same input.
#![no_main]

use std::os::raw::c_char;
use std::ptr;
use std::sync::OnceLock;

use contact_batch::{Config, Engine, Existing, Profile};
use contactbatch::{
    cbatch_buf, cbatch_buf_free, cbatch_engine, cbatch_engine_free, cbatch_engine_new,
    cbatch_existing_check, cbatch_normalize_phone, cbatch_prepare, cbatch_prepared,
    cbatch_prepared_free, cbatch_prepared_keys, cbatch_resolve, cbatch_resolve_outcome,
    cbatch_respond, cbatch_result, cbatch_result_name, cbatch_validate_email, cbatch_version,
};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

const OK: i32 = cbatch_result::CBATCH_OK as i32;
const NULL_ARGUMENT: i32 = cbatch_result::CBATCH_NULL_ARGUMENT as i32;
const INVALID_UTF8: i32 = cbatch_result::CBATCH_INVALID_UTF8 as i32;
const INVALID_EXISTING: i32 = cbatch_result::CBATCH_INVALID_EXISTING as i32;
const ENGINE_MISMATCH: i32 = cbatch_result::CBATCH_ENGINE_MISMATCH as i32;
const INVALID_LENGTH: i32 = cbatch_result::CBATCH_INVALID_LENGTH as i32;

/// One C engine per profile, made with the same config as the core engines
/// the answers are compared with. Kept for the process (as `usize`, since
/// raw pointers are not `Sync`; the C API says engines may be shared).
fn c_engines() -> &'static [usize] {
    static ENGINES: OnceLock<Vec<usize>> = OnceLock::new();
    ENGINES.get_or_init(|| {
        Profile::ALL
            .iter()
            .map(|&p| {
                let config = serde_json::to_string(&fuzz_checks::config(p, 1)).expect("config");
                let mut err = cbatch_buf::empty();
                // SAFETY: a live string of that length; `err` is a zeroed buf.
                let e =
                    unsafe { cbatch_engine_new(config.as_ptr().cast(), config.len(), &mut err) };
                assert!(!e.is_null(), "engine config refused: {config}");
                e as usize
            })
            .collect()
    })
}

/// Reads the program.
struct Input<'a>(&'a [u8]);

impl<'a> Input<'a> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    fn payload(&mut self) -> &'a [u8] {
        let len = usize::from(u16::from_le_bytes([self.byte(), self.byte()])).min(self.0.len());
        let (p, rest) = self.0.split_at(len);
        self.0 = rest;
        p
    }
}

/// An input argument as C passes it, and what the library must make of it.
struct Arg<'a> {
    ptr: *const c_char,
    len: usize,
    /// The bytes the library sees (empty for NULL/0 and pointer/0).
    bytes: &'a [u8],
    /// The error this argument alone causes.
    error: Option<i32>,
}

fn arg<'a>(mode: u8, payload: &'a [u8]) -> Arg<'a> {
    match mode % 8 {
        2 => Arg {
            ptr: ptr::null(),
            len: 0,
            bytes: &[],
            error: None,
        },
        3 => Arg {
            ptr: ptr::null(),
            len: payload.len().max(1),
            bytes: &[],
            error: Some(NULL_ARGUMENT),
        },
        4 => Arg {
            ptr: payload.as_ptr().cast(),
            len: 0,
            bytes: &[],
            error: None,
        },
        5 => Arg {
            // Never read: the library must refuse the length first.
            ptr: payload.as_ptr().cast(),
            len: isize::MAX as usize + 1 + payload.len(),
            bytes: &[],
            error: Some(INVALID_LENGTH),
        },
        _ => Arg {
            ptr: payload.as_ptr().cast(),
            len: payload.len(),
            bytes: payload,
            error: None,
        },
    }
}

/// A text argument: the bytes must also be UTF-8.
fn text_error(a: &Arg<'_>) -> Option<i32> {
    a.error
        .or_else(|| std::str::from_utf8(a.bytes).err().map(|_| INVALID_UTF8))
}

/// An existing-keys argument: NULL or empty is "nothing exists".
fn existing_of(a: &Arg<'_>) -> Result<Existing, i32> {
    if let Some(e) = a.error {
        return Err(e);
    }
    if a.bytes.is_empty() {
        return Ok(Existing::new());
    }
    Existing::from_json(a.bytes).map_err(|_| INVALID_EXISTING)
}

/// The engine argument: one of the five, or NULL.
fn engine_arg(b: u8) -> (*const cbatch_engine, Option<Profile>) {
    match usize::from(b) % 6 {
        5 => (ptr::null(), None),
        i => (
            c_engines()[i] as *const cbatch_engine,
            Some(Profile::ALL[i]),
        ),
    }
}

fn core(profile: Profile) -> &'static Engine {
    fuzz_checks::engines(profile).0
}

/// Checks a call's result code against the errors its arguments cause (any
/// of them may be reported) and its out buf: filled on success with
/// NUL-terminated UTF-8, untouched otherwise. Returns the output on success.
fn outcome(rc: i32, errors: &[Option<i32>], out: &mut cbatch_buf) -> Option<String> {
    let errors: Vec<i32> = errors.iter().flatten().copied().collect();
    assert_ne!(
        rc,
        cbatch_result::CBATCH_PANIC as i32,
        "a panic reached the boundary"
    );
    if errors.is_empty() {
        assert_eq!(rc, OK, "valid arguments refused");
    } else {
        assert!(
            errors.contains(&rc),
            "result {rc}, expected one of {errors:?}"
        );
    }
    if rc != OK {
        assert!(out.data.is_null() && out.len == 0, "out written on failure");
        return None;
    }
    assert!(!out.data.is_null(), "success without output");
    // SAFETY: filled by the library: `len` bytes and a NUL.
    let (bytes, nul) = unsafe {
        (
            std::slice::from_raw_parts(out.data.cast::<u8>(), out.len).to_vec(),
            *out.data.add(out.len),
        )
    };
    assert_eq!(nul, 0, "output not NUL-terminated");
    // SAFETY: filled by the library, freed once here (and again: harmless).
    unsafe {
        cbatch_buf_free(out);
        cbatch_buf_free(out);
    }
    assert!(
        out.data.is_null() && out.len == 0,
        "free did not reset the buf"
    );
    Some(String::from_utf8(bytes).expect("output is UTF-8"))
}

/// An out buf, or NULL when `null` (which must be refused).
fn out_ptr(buf: &mut cbatch_buf, null: bool) -> (*mut cbatch_buf, Option<i32>) {
    if null {
        (ptr::null_mut(), Some(NULL_ARGUMENT))
    } else {
        (buf as *mut cbatch_buf, None)
    }
}

fn respond(input: &mut Input<'_>) {
    let (engine, profile) = engine_arg(input.byte());
    let modes = input.byte();
    let req_p = input.payload();
    let ex_p = input.payload();
    let req = arg(modes, req_p);
    let ex = arg(modes >> 3, ex_p);
    let mut buf = cbatch_buf::empty();
    let (out, out_err) = out_ptr(&mut buf, modes & 0x40 != 0);
    let existing = existing_of(&ex);
    // SAFETY: every pointer is NULL, live for its length, or paired with a
    // length the library must refuse before reading.
    let rc = unsafe { cbatch_respond(engine, req.ptr, req.len, ex.ptr, ex.len, out) };
    let engine_err = profile.is_none().then_some(NULL_ARGUMENT);
    let errs = [
        out_err,
        engine_err,
        req.error,
        existing.as_ref().err().copied(),
    ];
    if let Some(s) = outcome(rc, &errs, &mut buf) {
        let expected = core(profile.expect("engine"))
            .respond(req.bytes, &existing.expect("existing"))
            .response
            .to_json();
        assert_eq!(s, expected, "C and Rust answers differ");
    }
}

fn two_phase(input: &mut Input<'_>) {
    let (engine, profile) = engine_arg(input.byte());
    let modes = input.byte();
    let choice = input.byte();
    let req_p = input.payload();
    let ex_p = input.payload();
    let req = arg(modes, req_p);
    let mut handle: *mut cbatch_prepared = ptr::null_mut();
    let null_out = modes & 0x80 != 0;
    let out: *mut *mut cbatch_prepared = if null_out {
        ptr::null_mut()
    } else {
        &mut handle
    };
    // SAFETY: as in `respond`.
    let rc = unsafe { cbatch_prepare(engine, req.ptr, req.len, out) };
    let errs = [
        null_out.then_some(NULL_ARGUMENT),
        profile.is_none().then_some(NULL_ARGUMENT),
        req.error,
    ];
    let errors: Vec<i32> = errs.iter().flatten().copied().collect();
    assert_ne!(rc, cbatch_result::CBATCH_PANIC as i32);
    if errors.is_empty() {
        assert_eq!(rc, OK);
        assert!(!handle.is_null());
    } else {
        assert!(
            errors.contains(&rc),
            "prepare: {rc}, expected one of {errors:?}"
        );
        assert!(handle.is_null(), "prepared handle written on failure");
        // SAFETY: freeing NULL is harmless.
        unsafe { cbatch_prepared_free(handle) };
        return;
    }
    let profile = profile.expect("engine");
    let prepared = core(profile).prepare(req.bytes);

    // Keys, maybe of a NULL handle or into a NULL buf.
    let mut buf = cbatch_buf::empty();
    let (out, out_err) = out_ptr(&mut buf, choice & 1 != 0);
    let h = if choice & 2 != 0 {
        ptr::null()
    } else {
        handle.cast_const()
    };
    // SAFETY: `h` is NULL or live; `out` is NULL or a zeroed buf.
    let rc = unsafe { cbatch_prepared_keys(h, out) };
    let errs = [out_err, h.is_null().then_some(NULL_ARGUMENT)];
    if let Some(s) = outcome(rc, &errs, &mut buf) {
        let keys = prepared.keys();
        let expected = json!({
            "phones": keys.phones,
            "ids": keys.ids,
            "external_refs": keys.external_refs,
            "rejected": prepared.rejection().is_some(),
        });
        assert_eq!(fuzz_checks::parse_output(&s), expected);
    }

    // Resolve, with this engine, another one or NULL.
    let ex = arg(modes >> 3, ex_p);
    let existing = existing_of(&ex);
    let (r_engine, r_profile) = match choice >> 2 & 3 {
        0 | 1 => (engine, Some(profile)),
        2 => engine_arg(choice >> 4),
        _ => (ptr::null(), None),
    };
    let mismatch = match r_profile {
        None => Some(NULL_ARGUMENT),
        Some(p) if p != profile => Some(ENGINE_MISMATCH),
        Some(_) => None,
    };
    for with_rows in [false, true] {
        let mut buf = cbatch_buf::empty();
        let (out, out_err) = out_ptr(&mut buf, choice & 0x40 != 0 && with_rows);
        // SAFETY: handles live or NULL, inputs as in `respond`.
        let rc = unsafe {
            if with_rows {
                cbatch_resolve_outcome(r_engine, handle, ex.ptr, ex.len, out)
            } else {
                cbatch_resolve(r_engine, handle, ex.ptr, ex.len, out)
            }
        };
        let errs = [out_err, mismatch, existing.as_ref().err().copied()];
        if let Some(s) = outcome(rc, &errs, &mut buf) {
            let existing = existing.as_ref().expect("existing");
            let o = core(profile).resolve(&prepared, existing);
            let v = fuzz_checks::parse_output(&s);
            let r = fuzz_checks::parse_output(&o.response.to_json());
            assert_eq!(v["status"], r["status"]);
            assert_eq!(v["body"], r["body"]);
            if with_rows {
                assert_eq!(v["rejected"], Value::Bool(o.rejected));
                assert_eq!(
                    v["summary"],
                    serde_json::to_value(o.summary).expect("summary")
                );
                assert_eq!(v["rows"], serde_json::to_value(&o.rows).expect("rows"));
            } else {
                assert_eq!(s, o.response.to_json());
            }
        }
    }
    // SAFETY: made by `cbatch_prepare`, freed once; NULL is harmless.
    unsafe {
        cbatch_prepared_free(handle);
        cbatch_prepared_free(ptr::null_mut());
    }
}

fn phone(input: &mut Input<'_>) {
    let (engine, profile) = engine_arg(input.byte());
    let modes = input.byte();
    let raw_p = input.payload();
    let region_p = input.payload();
    let raw = arg(modes, raw_p);
    let region = arg(modes >> 3, region_p);
    let mut buf = cbatch_buf::empty();
    let (out, out_err) = out_ptr(&mut buf, modes & 0x40 != 0);
    // SAFETY: as in `respond`.
    let rc =
        unsafe { cbatch_normalize_phone(engine, raw.ptr, raw.len, region.ptr, region.len, out) };
    let errs = [
        out_err,
        profile.is_none().then_some(NULL_ARGUMENT),
        text_error(&raw),
        text_error(&region),
    ];
    if let Some(s) = outcome(rc, &errs, &mut buf) {
        let raw = std::str::from_utf8(raw.bytes).expect("UTF-8");
        let region = std::str::from_utf8(region.bytes).expect("UTF-8");
        let region = (!region.is_empty()).then_some(region);
        let v = fuzz_checks::parse_output(&s);
        match core(profile.expect("engine")).normalize_phone(raw, region) {
            Ok(p) => {
                assert_eq!(v["valid"], true);
                assert_eq!(v["e164"], p.e164.as_str());
                assert_eq!(v["country_code"], p.country_code);
                assert_eq!(v["number_type"], p.number_type.as_str());
            }
            Err(e) => {
                assert_eq!(v["valid"], false);
                assert_eq!(v["error"], e.code());
            }
        }
    }
}

fn email(input: &mut Input<'_>) {
    let (engine, profile) = engine_arg(input.byte());
    let modes = input.byte();
    let raw_p = input.payload();
    let raw = arg(modes, raw_p);
    let mut buf = cbatch_buf::empty();
    let (out, out_err) = out_ptr(&mut buf, modes & 0x40 != 0);
    // SAFETY: as in `respond`.
    let rc = unsafe { cbatch_validate_email(engine, raw.ptr, raw.len, out) };
    let errs = [
        out_err,
        profile.is_none().then_some(NULL_ARGUMENT),
        text_error(&raw),
    ];
    if let Some(s) = outcome(rc, &errs, &mut buf) {
        let raw = std::str::from_utf8(raw.bytes).expect("UTF-8");
        let v = fuzz_checks::parse_output(&s);
        match contact_batch::validate_email(raw) {
            Ok(e) => {
                assert_eq!(v["valid"], true);
                assert_eq!(v["normalized"], e.normalized.as_str());
                assert_eq!(v["key"], e.key.as_str());
            }
            Err(e) => {
                assert_eq!(v["valid"], false);
                assert_eq!(v["error"], e.code());
            }
        }
    }
}

fn existing_check(input: &mut Input<'_>) {
    let modes = input.byte();
    let p = input.payload();
    let ex = arg(modes, p);
    let mut err = cbatch_buf::empty();
    let with_err = modes & 0x40 == 0;
    let err_ptr: *mut cbatch_buf = if with_err { &mut err } else { ptr::null_mut() };
    // SAFETY: as in `respond`; `err` may be NULL.
    let rc = unsafe { cbatch_existing_check(ex.ptr, ex.len, err_ptr) };
    let expected = existing_of(&ex).err().unwrap_or(OK);
    assert_eq!(rc, expected, "existing_check");
    if rc == OK || !with_err {
        assert!(err.data.is_null(), "err written on success or to NULL");
    } else {
        assert!(
            !err.data.is_null() && err.len > 0,
            "no message for a refusal"
        );
        // SAFETY: filled by the library.
        unsafe { cbatch_buf_free(&mut err) };
    }
}

fn engine_new(input: &mut Input<'_>) {
    let modes = input.byte();
    let p = input.payload();
    let config = arg(modes, p);
    // Only configs that fail: building a real engine costs milliseconds.
    let fails = config.error.is_some()
        || match std::str::from_utf8(config.bytes)
            .ok()
            .map(|s| Config::from_json(s.as_bytes()))
        {
            None | Some(Err(_)) => true,
            Some(Ok(c)) => c.threads == Some(0) || c.max_batch == Some(0),
        };
    if !fails {
        return;
    }
    let mut err = cbatch_buf::empty();
    let with_err = modes & 0x40 == 0;
    let err_ptr: *mut cbatch_buf = if with_err { &mut err } else { ptr::null_mut() };
    // SAFETY: as in `respond`; `err` may be NULL.
    let e = unsafe { cbatch_engine_new(config.ptr, config.len, err_ptr) };
    assert!(e.is_null(), "an invalid config made an engine");
    if with_err {
        assert!(
            !err.data.is_null() && err.len > 0,
            "no message for a refused config"
        );
        // SAFETY: filled by the library.
        let msg = unsafe { std::slice::from_raw_parts(err.data.cast::<u8>(), err.len) };
        assert!(std::str::from_utf8(msg).is_ok());
        // SAFETY: filled by the library.
        unsafe { cbatch_buf_free(&mut err) };
    }
    // SAFETY: freeing NULL is harmless.
    unsafe { cbatch_engine_free(e) };
}

fn misc(input: &mut Input<'_>) {
    let code = i32::from(input.byte() as i8) * i32::from(input.byte());
    let name = cbatch_result_name(code);
    assert!(!name.is_null());
    // SAFETY: a static NUL-terminated string.
    let name = unsafe { std::ffi::CStr::from_ptr(name) }
        .to_str()
        .expect("ASCII name");
    match cbatch_result::from_code(code) {
        Some(r) => assert_eq!(name, r.name()),
        None => assert_eq!(name, "CBATCH_UNKNOWN_RESULT"),
    }
    // SAFETY: a static NUL-terminated string.
    let v = unsafe { std::ffi::CStr::from_ptr(cbatch_version()) };
    assert!(!v.to_bytes().is_empty());
    // Freeing NULL and zeroed bufs is harmless.
    let mut b = cbatch_buf::empty();
    // SAFETY: NULL and a zeroed buf.
    unsafe {
        cbatch_buf_free(ptr::null_mut());
        cbatch_buf_free(&mut b);
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    for _ in 0..8 {
        if input.0.is_empty() {
            break;
        }
        match input.byte() % 8 {
            0 | 1 => respond(&mut input),
            2 => two_phase(&mut input),
            3 => phone(&mut input),
            4 => email(&mut input),
            5 => existing_check(&mut input),
            6 => engine_new(&mut input),
            _ => misc(&mut input),
        }
    }
});
