//! The C API called as a C program calls it: raw pointers, lengths, bufs.

use std::ffi::CStr;
use std::os::raw::c_int;
use std::ptr;

use contactbatch::*;
use serde_json::{json, Value};

mod common;
use common::*;

fn json_of(b: cbatch_buf) -> Value {
    serde_json::from_str(&take(b)).expect("JSON output")
}

#[derive(Debug)]
struct Engine(*mut cbatch_engine);

// SAFETY: the C API documents engines as shareable across threads.
unsafe impl Send for Engine {}
// SAFETY: as above.
unsafe impl Sync for Engine {}

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: created by `cbatch_engine_new`, freed once.
        unsafe { cbatch_engine_free(self.0) }
    }
}

fn try_engine(config: &[u8]) -> Result<Engine, String> {
    let mut err = cbatch_buf::empty();
    // SAFETY: a live byte string and a writable buf.
    let e = unsafe { cbatch_engine_new(p(config), config.len(), &mut err) };
    if e.is_null() {
        Err(take(err))
    } else {
        assert!(err.data.is_null(), "err is written only on failure");
        Ok(Engine(e))
    }
}

fn engine(config: Value) -> Engine {
    try_engine(config.to_string().as_bytes()).expect("engine")
}

fn create_engine() -> Engine {
    engine(json!({"profile": "rasl-create", "default_region": "US", "threads": 2}))
}

fn respond(e: &Engine, request: &[u8], existing: Option<&[u8]>) -> Result<Value, c_int> {
    let mut out = cbatch_buf::empty();
    let (ep, el) = existing.map_or((ptr::null(), 0), |x| (p(x), x.len()));
    // SAFETY: live engine, live byte strings, a writable buf.
    let rc = unsafe { cbatch_respond(e.0, p(request), request.len(), ep, el, &mut out) };
    if rc == OK {
        Ok(json_of(out))
    } else {
        assert!(out.data.is_null(), "out is written only on success");
        Err(rc)
    }
}

const TWO: &[u8] = br#"{"contacts": [
    {"firstname": "Ann", "phone": "(415) 555-2671"},
    {"firstname": "Bob", "phone": "+1 415 555 2672"}
], "options": {"skip_duplicates": true}}"#;

#[test]
fn respond_one_call() {
    let e = create_engine();
    let v = respond(&e, TWO, None).unwrap();
    assert_eq!(v["status"], 200);
    assert_eq!(
        v["body"]["summary"],
        json!({"total": 2, "created": 2, "skipped": 0, "failed": 0})
    );
    let existing = br#"{"phones": {"+14155552672": "ct_9"}}"#;
    let v = respond(&e, TWO, Some(existing)).unwrap();
    assert_eq!(v["body"]["summary"]["skipped"], 1);
    assert_eq!(v["body"]["skipped"][0]["reason"], "duplicate_phone");
    // Non-NULL existing pointer with length 0: none.
    let v = respond(&e, TWO, Some(b"")).unwrap();
    assert_eq!(v["body"]["summary"]["created"], 2);
}

#[test]
fn malformed_requests_are_4xx_responses_not_errors() {
    let e = create_engine();
    for body in [
        &br#"{"contacts": [{"firstname": "Ann", "#[..],
        b"",
        b"\xff\xfe",
        b"[]",
        br#"{"contacts": []}"#,
    ] {
        let v = respond(&e, body, None).unwrap();
        assert_eq!(v["status"], 422, "{body:?}");
        assert_eq!(v["body"]["error"]["code"], "VALIDATION_ERROR");
    }
    // NULL request with length 0 is the empty body.
    let mut out = cbatch_buf::empty();
    // SAFETY: NULL/0 is a documented empty input.
    let rc = unsafe { cbatch_respond(e.0, ptr::null(), 0, ptr::null(), 0, &mut out) };
    assert_eq!(rc, OK);
    assert_eq!(json_of(out)["status"], 422);
}

/// With a live engine; NULL handles (no engine at all), NULL frees and NULL
/// config or existing pointers are `tests/miri.rs`.
#[test]
fn null_arguments_everywhere() {
    let e = create_engine();
    let mut out = cbatch_buf::empty();
    // SAFETY: every call passes NULL where a pointer is required; the library
    // checks before any use. Other pointers are live.
    unsafe {
        let r = p(TWO);
        let n = TWO.len();
        assert_eq!(
            cbatch_respond(e.0, r, n, ptr::null(), 0, ptr::null_mut()),
            NULL_ARGUMENT
        );
        assert_eq!(
            cbatch_respond(e.0, ptr::null(), 5, ptr::null(), 0, &mut out),
            NULL_ARGUMENT
        );
        assert_eq!(
            cbatch_respond(e.0, r, n, ptr::null(), 3, &mut out),
            NULL_ARGUMENT
        );

        let mut prep: *mut cbatch_prepared = ptr::null_mut();
        assert_eq!(cbatch_prepare(e.0, r, n, ptr::null_mut()), NULL_ARGUMENT);
        assert_eq!(
            cbatch_prepare(e.0, ptr::null(), 1, &mut prep),
            NULL_ARGUMENT
        );
        assert!(prep.is_null());
        assert_eq!(
            cbatch_resolve(e.0, ptr::null(), ptr::null(), 0, &mut out),
            NULL_ARGUMENT
        );

        assert_eq!(
            cbatch_normalize_phone(e.0, p(b"1"), 1, ptr::null(), 0, ptr::null_mut()),
            NULL_ARGUMENT
        );
        assert_eq!(
            cbatch_normalize_phone(e.0, ptr::null(), 2, ptr::null(), 0, &mut out),
            NULL_ARGUMENT
        );
        assert_eq!(
            cbatch_normalize_phone(e.0, p(b"1"), 1, ptr::null(), 2, &mut out),
            NULL_ARGUMENT
        );
        assert_eq!(
            cbatch_validate_email(e.0, ptr::null(), 1, &mut out),
            NULL_ARGUMENT
        );
        assert_eq!(
            cbatch_validate_email(e.0, p(b"a"), 1, ptr::null_mut()),
            NULL_ARGUMENT
        );
    }
    assert!(out.data.is_null(), "no failed call wrote out");
}

#[test]
fn lengths_over_ptrdiff_max() {
    let e = create_engine();
    let mut out = cbatch_buf::empty();
    // SAFETY: the length is refused before the pointer is read.
    let rc = unsafe { cbatch_respond(e.0, p(b"{}"), usize::MAX, ptr::null(), 0, &mut out) };
    assert_eq!(rc, INVALID_LENGTH);
    assert!(out.data.is_null());
}

#[test]
fn engine_config_errors_carry_messages() {
    let cases: [(&[u8], &str); 6] = [
        (b"", "not valid JSON"),
        (b"{\"profile\": \"rasl-create\"", "not valid JSON"),
        (b"{\"profile\": \"nope\"}", "nope"),
        (
            b"{\"profile\": \"rasl-create\", \"default_region\": \"XX\"}",
            "XX",
        ),
        (b"{\"profile\": \"rasl-create\", \"bogus\": 1}", "bogus"),
        (b"{\"profile\": \"rasl-\xff\"}", "UTF-8"),
    ];
    for (config, needle) in cases {
        let msg = try_engine(config).expect_err("config must fail");
        assert!(msg.contains(needle), "{msg:?} should mention {needle:?}");
    }
    // NULL err: failure without a message, no crash.
    // SAFETY: a live byte string; err may be NULL.
    assert!(unsafe { cbatch_engine_new(p(b"{}"), 2, ptr::null_mut()) }.is_null());
    let msg = try_engine(b"{\"profile\": \"rasl-create\", \"threads\": 0}").unwrap_err();
    assert!(msg.contains("threads"), "{msg}");
}

#[test]
fn every_profile_builds_and_answers() {
    for profile in [
        "rasl-create",
        "rasl-delete",
        "rasl-update",
        "record-list",
        "contact-book",
    ] {
        let e = engine(json!({"profile": profile, "threads": 1}));
        let v = respond(&e, b"not json", None).unwrap();
        let status = v["status"].as_u64().unwrap();
        assert!((400..500).contains(&status), "{profile}: {v}");
    }
    let e = engine(json!({"profile": "rasl-delete"}));
    let v = respond(&e, br#"{"ids":[1,2,1,3]}"#, Some(br#"{"ids":[1,2]}"#)).unwrap();
    assert_eq!(
        v,
        json!({"status": 200, "body": {"success": true, "summary": {"total": 4, "deleted": 2, "failed": 2}}})
    );
}

#[test]
fn invalid_existing_is_an_error_with_a_message() {
    let e = create_engine();
    let bad: &[u8] = br#"{"phones": {"4155552671": "x"}}"#;
    assert_eq!(respond(&e, TWO, Some(bad)), Err(INVALID_EXISTING));
    assert_eq!(respond(&e, TWO, Some(b"{")), Err(INVALID_EXISTING));
    let mut err = cbatch_buf::empty();
    // SAFETY: live byte string, writable buf.
    let rc = unsafe { cbatch_existing_check(p(bad), bad.len(), &mut err) };
    assert_eq!(rc, INVALID_EXISTING);
    assert!(take(err).contains("E.164"));
    let good = br#"{"phones": {"+14155552671": "x"}}"#;
    // SAFETY: live byte strings; a NULL err is allowed.
    unsafe {
        assert_eq!(
            cbatch_existing_check(p(good), good.len(), ptr::null_mut()),
            OK
        );
        assert_eq!(cbatch_existing_check(ptr::null(), 0, ptr::null_mut()), OK);
        assert_eq!(
            cbatch_existing_check(p(bad), bad.len(), ptr::null_mut()),
            INVALID_EXISTING
        );
    }
}

struct Handle(*mut cbatch_prepared);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: created by `cbatch_prepare`, freed once.
        unsafe { cbatch_prepared_free(self.0) }
    }
}

fn prepare(e: &Engine, request: &[u8]) -> Handle {
    let mut h: *mut cbatch_prepared = ptr::null_mut();
    // SAFETY: live engine and bytes, writable out pointer.
    let rc = unsafe { cbatch_prepare(e.0, p(request), request.len(), &mut h) };
    assert_eq!(rc, OK);
    assert!(!h.is_null());
    Handle(h)
}

fn keys(h: &Handle) -> Value {
    let mut out = cbatch_buf::empty();
    // SAFETY: live handle, writable buf.
    assert_eq!(unsafe { cbatch_prepared_keys(h.0, &mut out) }, OK);
    json_of(out)
}

fn resolve(e: &Engine, h: &Handle, existing: &[u8]) -> Result<Value, c_int> {
    let mut out = cbatch_buf::empty();
    // SAFETY: live handles and bytes, writable buf.
    let rc = unsafe { cbatch_resolve(e.0, h.0, p(existing), existing.len(), &mut out) };
    if rc == OK {
        Ok(json_of(out))
    } else {
        assert!(out.data.is_null());
        Err(rc)
    }
}

#[test]
fn two_phase() {
    let e = create_engine();
    let h = prepare(&e, TWO);
    assert_eq!(
        keys(&h),
        json!({"phones": ["+14155552671", "+14155552672"], "ids": [], "external_refs": [], "rejected": false})
    );
    let existing = br#"{"phones": {"+14155552671": "ct_1"}}"#;
    let v = resolve(&e, &h, existing).unwrap();
    assert_eq!(v["body"]["summary"]["skipped"], 1);
    // Resolving again gives the same answer; one-call gives it too.
    assert_eq!(resolve(&e, &h, existing).unwrap(), v);
    assert_eq!(respond(&e, TWO, Some(existing)).unwrap(), v);
    assert_eq!(resolve(&e, &h, b"{"), Err(INVALID_EXISTING));

    let mut out = cbatch_buf::empty();
    // SAFETY: live handles, writable buf.
    let rc = unsafe { cbatch_resolve_outcome(e.0, h.0, p(existing), existing.len(), &mut out) };
    assert_eq!(rc, OK);
    let o = json_of(out);
    assert_eq!(o["status"], v["status"]);
    assert_eq!(o["body"], v["body"]);
    assert_eq!(o["rejected"], false);
    assert_eq!(o["summary"]["existing"], 1);
    assert_eq!(o["rows"][0]["status"], "existing");
    assert_eq!(o["rows"][1]["action"], "create");
    assert_eq!(o["rows"][1]["key"], "+14155552672");

    // A prepared batch belongs to the engine that made it.
    let other = create_engine();
    assert_eq!(resolve(&other, &h, b""), Err(ENGINE_MISMATCH));
}

#[test]
fn rejected_request_two_phase() {
    let e = create_engine();
    let h = prepare(&e, br#"{"contacts": "#);
    assert_eq!(keys(&h)["rejected"], true);
    assert_eq!(keys(&h)["phones"], json!([]));
    assert_eq!(resolve(&e, &h, b"").unwrap()["status"], 422);
}

#[test]
fn prepared_outlives_its_engine() {
    let e = create_engine();
    let h = prepare(&e, TWO);
    drop(e);
    assert_eq!(keys(&h)["phones"].as_array().unwrap().len(), 2);
}

fn phone(e: &Engine, raw: &[u8], region: Option<&[u8]>) -> Result<Value, c_int> {
    let mut out = cbatch_buf::empty();
    let (rp, rl) = region.map_or((ptr::null(), 0), |r| (p(r), r.len()));
    // SAFETY: live engine and bytes, writable buf.
    let rc = unsafe { cbatch_normalize_phone(e.0, p(raw), raw.len(), rp, rl, &mut out) };
    if rc == OK {
        Ok(json_of(out))
    } else {
        Err(rc)
    }
}

fn email(e: &Engine, raw: &[u8]) -> Result<Value, c_int> {
    let mut out = cbatch_buf::empty();
    // SAFETY: live engine and bytes, writable buf.
    let rc = unsafe { cbatch_validate_email(e.0, p(raw), raw.len(), &mut out) };
    if rc == OK {
        Ok(json_of(out))
    } else {
        Err(rc)
    }
}

#[test]
fn single_values() {
    let e = create_engine();
    assert_eq!(
        phone(&e, b"(415) 555-2671", None).unwrap(),
        json!({"valid": true, "e164": "+14155552671", "country_code": 1, "region": "US",
               "number_type": "fixed_line_or_mobile", "extension": null})
    );
    let v = phone(&e, b"020 7183 8750 ext. 12", Some(b"GB")).unwrap();
    assert_eq!(v["e164"], "+442071838750");
    assert_eq!(v["extension"], "12");
    let v = phone(&e, b"12", None).unwrap();
    assert_eq!(v["valid"], false);
    assert!(v["error"].is_string() && v["message"].is_string());
    assert_eq!(
        // An unknown region reads the number with none (libphonenumber).
        phone(&e, b"415 555 2671", Some(b"ZZ")).unwrap()["error"],
        "invalid_country_code"
    );
    assert_eq!(phone(&e, b"", None).unwrap()["error"], "empty");
    assert_eq!(phone(&e, b"\xff", None), Err(INVALID_UTF8));
    assert_eq!(phone(&e, b"1", Some(b"\xff")), Err(INVALID_UTF8));
    // A region with length 0 is the default region.
    assert_eq!(
        phone(&e, b"(415) 555-2671", Some(b"")).unwrap()["valid"],
        true
    );

    assert_eq!(
        email(&e, b" Ann@Example.COM ").unwrap(),
        json!({"valid": true, "normalized": "Ann@example.com", "key": "ann@example.com"})
    );
    let v = email(&e, b"a@localhost").unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["error"], "domain_without_dot");
    assert_eq!(email(&e, b"").unwrap()["error"], "empty");
    assert_eq!(email(&e, b"a@b.c\xff"), Err(INVALID_UTF8));
    // Issue 28: a control character inside an address, quoted parts
    // included, is invalid (it was collapsed into a space, and valid).
    for raw in [
        &b"\"\r\"@example.com"[..],
        b"\"test\r\n blah\"@iana.org",
        b"\"a\tb\"@example.com",
    ] {
        let v = email(&e, raw).unwrap();
        assert_eq!(v["valid"], false, "{raw:?}");
        assert_eq!(v["error"], "control_character", "{raw:?}");
    }
}

#[test]
fn version_and_names() {
    // SAFETY: static NUL-terminated strings.
    let v = unsafe { CStr::from_ptr(cbatch_version()) };
    assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    // SAFETY: as above.
    let n = unsafe { CStr::from_ptr(cbatch_result_name(INVALID_UTF8)) };
    assert_eq!(n.to_str().unwrap(), "CBATCH_INVALID_UTF8");
}

#[test]
fn phone_metadata_version_of_the_library_and_of_an_engine() {
    // SAFETY: a static NUL-terminated string.
    let built_in = unsafe { CStr::from_ptr(cbatch_phone_metadata_version()) };
    assert_eq!(
        built_in.to_str().unwrap(),
        contact_batch::PHONE_METADATA_VERSION
    );
    assert!(
        built_in.to_str().unwrap().split('.').count() == 3,
        "{built_in:?} is a libphonenumber release"
    );
    let e = create_engine();
    let mut out = cbatch_buf {
        data: ptr::null_mut(),
        len: 0,
    };
    // SAFETY: a live engine and a zeroed buf.
    let rc = unsafe { cbatch_engine_phone_metadata_version(e.0, &mut out) };
    assert_eq!(rc, OK);
    // SAFETY: the library filled `out` (data, len).
    let got = unsafe { std::slice::from_raw_parts(out.data.cast::<u8>(), out.len) }.to_vec();
    // SAFETY: `out` was filled by the library.
    unsafe { cbatch_buf_free(&mut out) };
    assert_eq!(got, built_in.to_bytes());
    // NULL engine or out: an error code, nothing written.
    // SAFETY: NULLs are part of the contract.
    assert_eq!(
        unsafe { cbatch_engine_phone_metadata_version(ptr::null(), &mut out) },
        NULL_ARGUMENT
    );
    assert!(out.data.is_null());
    // SAFETY: as above.
    assert_eq!(
        unsafe { cbatch_engine_phone_metadata_version(e.0, ptr::null_mut()) },
        NULL_ARGUMENT
    );
}

/// The version an engine reports through the C API.
fn engine_version(e: &Engine) -> String {
    let mut out = cbatch_buf {
        data: ptr::null_mut(),
        len: 0,
    };
    // SAFETY: a live engine and a zeroed buf.
    assert_eq!(
        unsafe { cbatch_engine_phone_metadata_version(e.0, &mut out) },
        OK
    );
    // SAFETY: the library filled `out` (data, len).
    let got = unsafe { std::slice::from_raw_parts(out.data.cast::<u8>(), out.len) }.to_vec();
    // SAFETY: `out` was filled by the library.
    unsafe { cbatch_buf_free(&mut out) };
    String::from_utf8(got).unwrap()
}

/// SPEC §5.7: the config's `phone_metadata` names a file made by the
/// project's generator (libphonenumber 9.0.42's here, one release before the
/// built-in one: Georgia's mobile range 508 opened in between).
#[test]
fn phone_metadata_file_in_the_config() {
    let file = format!(
        "{}/../contact-batch/tests/data/phone-9.0.42.cbpm",
        env!("CARGO_MANIFEST_DIR")
    );
    let old = engine(json!({"profile": "rasl-create", "phone_metadata": file}));
    assert_eq!(engine_version(&old), "9.0.42");
    let built_in = engine(json!({"profile": "rasl-create", "phone_metadata": null}));
    assert_eq!(
        engine_version(&built_in),
        contact_batch::PHONE_METADATA_VERSION
    );
    assert_eq!(phone(&old, b"+995508887752", None).unwrap()["valid"], false);
    assert_eq!(
        phone(&built_in, b"+995508887752", None).unwrap()["valid"],
        true
    );

    let config = |v: Value| {
        try_engine(v.to_string().as_bytes())
            .map(|_| ())
            .unwrap_err()
    };
    let missing =
        config(json!({"profile": "rasl-create", "phone_metadata": "/nonexistent/x.cbpm"}));
    assert!(
        missing.starts_with("phone_metadata `/nonexistent/x.cbpm`: cannot read the file"),
        "{missing}"
    );
    let not_a_path = config(json!({"profile": "rasl-create", "phone_metadata": 3}));
    assert!(
        not_a_path.contains("phone_metadata must be a file's path"),
        "{not_a_path}"
    );
    let dir = std::env::temp_dir().join(format!("cbatch-ffi-meta-{}", std::process::id()));
    std::fs::write(&dir, b"CBPHMETA not really").unwrap();
    let bad = config(json!({"profile": "rasl-create", "phone_metadata": dir.to_str().unwrap()}));
    std::fs::remove_file(&dir).unwrap();
    assert!(
        bad.starts_with("the phone metadata file is refused: "),
        "{bad}"
    );
    // The other members are still checked as before.
    let unknown = config(json!({"profile": "rasl-create", "phone_metadata": null, "x": 1}));
    assert!(unknown.contains("unknown field `x`"), "{unknown}");
}

#[test]
fn eight_threads_share_one_engine() {
    let e = create_engine();
    let existing: &[u8] = br#"{"phones": {"+14155552671": "ct_1"}}"#;
    let expected = respond(&e, TWO, Some(existing)).unwrap();
    std::thread::scope(|s| {
        for t in 0..8 {
            let (e, expected) = (&e, &expected);
            s.spawn(move || {
                for i in 0..20 {
                    if (t + i) % 2 == 0 {
                        assert_eq!(&respond(e, TWO, Some(existing)).unwrap(), expected);
                    } else {
                        let h = prepare(e, TWO);
                        assert_eq!(keys(&h)["phones"].as_array().unwrap().len(), 2);
                        assert_eq!(&resolve(e, &h, existing).unwrap(), expected);
                    }
                    assert_eq!(phone(e, b"(415) 555-2671", None).unwrap()["valid"], true);
                }
            });
        }
    });
}

#[test]
fn prepared_handles_move_between_threads() {
    struct Sendable(Handle);
    // SAFETY: the C API lets a prepared batch move between threads.
    unsafe impl Send for Sendable {}
    let e = create_engine();
    let handles: Vec<Sendable> = (0..8).map(|_| Sendable(prepare(&e, TWO))).collect();
    std::thread::scope(|s| {
        for h in handles {
            let e = &e;
            s.spawn(move || {
                let h = h;
                assert_eq!(resolve(e, &h.0, b"").unwrap()["status"], 200);
            });
        }
    });
}

#[test]
fn config_errors_are_whole_c_strings_without_terminal_escapes() {
    // Issue 16: a NUL in a config value cut the message (err.len 83,
    // strlen 24), and ANSI escapes reached the terminal.
    let cases: [&[u8]; 4] = [
        b"{\"profile\": \"rasl\\u0000create\"}",
        b"{\"profile\": \"rasl-create\", \"default_region\": \"U\\u001b[2JS\"}",
        b"{\"profile\": \"rasl-create\", \"bog\\u0000us\": 1}",
        b"{\"profile\": \"rasl-create\", \"threads\": 18446744073709551615}",
    ];
    for config in cases {
        let mut err = cbatch_buf::empty();
        // SAFETY: a live byte string and a writable buf.
        let e = unsafe { cbatch_engine_new(p(config), config.len(), &mut err) };
        assert!(e.is_null());
        // SAFETY: the buf the call filled: `len` bytes at `data`.
        let bytes = unsafe { std::slice::from_raw_parts(err.data, err.len) }.to_vec();
        let msg = take(err);
        assert!(!bytes.contains(&0), "strlen would cut {msg:?}");
        assert!(!bytes.contains(&0x1b), "{msg:?}");
        assert!(!msg.is_empty());
    }
    let msg = try_engine(b"{\"profile\": \"rasl-create\", \"threads\": 18446744073709551615}")
        .unwrap_err();
    assert!(
        msg.contains("threads is 18446744073709551615; at most 256 are allowed"),
        "{msg}"
    );
    let msg =
        try_engine(b"{\"profile\": \"rasl-create\", \"limits\": {\"rasl_text\": 0}}").unwrap_err();
    assert!(msg.contains("limits.rasl_text must be at least 1"), "{msg}");
}

fn warm(e: *const cbatch_engine, regions: Option<&[u8]>) -> (c_int, Option<String>) {
    let mut err = cbatch_buf::empty();
    let (rp, rl) = regions.map_or((ptr::null(), 0), |r| (p(r), r.len()));
    // SAFETY: a live engine (or NULL, refused), live bytes, a writable buf.
    let rc = unsafe { cbatch_engine_warm(e, rp, rl, &mut err) };
    let message = (!err.data.is_null()).then(|| take(err));
    (rc, message)
}

#[test]
fn warm_up_changes_no_answer_and_refuses_unknown_regions() {
    let cold = create_engine();
    let warmed = create_engine();
    assert_eq!(warm(warmed.0, Some(b" US, GB,,DE ")), (OK, None));
    assert_eq!(warm(warmed.0, None), (OK, None));
    assert_eq!(warm(warmed.0, Some(b"")), (OK, None));
    let request = br#"{"contacts":[{"firstname":"A","phone":"020 7183 8750"},{"firstname":"B","phone":"+49 30 123456"},{"firstname":"C","phone":"(415) 555-2671"}]}"#;
    assert_eq!(
        respond(&cold, request, None).unwrap(),
        respond(&warmed, request, None).unwrap()
    );
    let (rc, message) = warm(warmed.0, Some(b"US,XX"));
    assert_eq!(rc, cbatch_result::CBATCH_INVALID_CONFIG as c_int);
    assert!(message.unwrap().contains("XX"));
    assert_eq!(warm(warmed.0, Some(b"\xff")), (INVALID_UTF8, None));
    assert_eq!(warm(ptr::null(), Some(b"US")), (NULL_ARGUMENT, None));
    let mut err = cbatch_buf::empty();
    // SAFETY: NULL with a non-zero length must be refused without reading.
    let rc = unsafe { cbatch_engine_warm(warmed.0, ptr::null(), 2, &mut err) };
    assert_eq!(rc, NULL_ARGUMENT);
    assert!(err.data.is_null());
}
