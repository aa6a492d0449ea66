//! Helpers shared by the C API's integration tests.
// Each test crate uses its own subset.
#![allow(dead_code)]

use std::os::raw::{c_char, c_int};

use contactbatch::*;

pub const OK: c_int = cbatch_result::CBATCH_OK as c_int;
pub const NULL_ARGUMENT: c_int = cbatch_result::CBATCH_NULL_ARGUMENT as c_int;
pub const INVALID_UTF8: c_int = cbatch_result::CBATCH_INVALID_UTF8 as c_int;
pub const INVALID_EXISTING: c_int = cbatch_result::CBATCH_INVALID_EXISTING as c_int;
pub const ENGINE_MISMATCH: c_int = cbatch_result::CBATCH_ENGINE_MISMATCH as c_int;
pub const INVALID_LENGTH: c_int = cbatch_result::CBATCH_INVALID_LENGTH as c_int;

/// A byte string as a C input pointer.
pub fn p(b: &[u8]) -> *const c_char {
    b.as_ptr().cast()
}

/// Takes the contents of a filled buf and frees it (twice: harmless).
pub fn take(mut b: cbatch_buf) -> String {
    // SAFETY: `b` was filled by the library and is freed only here.
    let s = unsafe { b.as_bytes() }
        .map(|s| String::from_utf8(s.to_vec()).expect("UTF-8 output"))
        .expect("buf was filled");
    // SAFETY: the byte after the content is the library's NUL.
    assert_eq!(unsafe { *b.data.add(b.len) }, 0);
    // SAFETY: filled by the library; a second free is documented harmless.
    unsafe {
        cbatch_buf_free(&mut b);
        cbatch_buf_free(&mut b);
    }
    assert!(b.data.is_null() && b.len == 0);
    s
}
