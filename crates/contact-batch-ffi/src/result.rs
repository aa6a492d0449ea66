//! `cbatch_result`: the numbered result codes and their names.

use std::os::raw::{c_char, c_int};

use crate::panic::guard;

/// The result of a fallible call: every function that can fail returns one
/// of these as an `int`.
///
/// The numbers are permanent: a code keeps its number forever, new codes get
/// new numbers, and a code that is retired stays listed here as a comment so
/// its number is never given to anything else. A malformed request is not an
/// error: it is the API's 4xx response, returned with `CBATCH_OK`.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum cbatch_result {
    /// Success; the out-parameter was written.
    CBATCH_OK = 0,
    /// A required pointer was NULL, or an input pointer was NULL with a
    /// non-zero length.
    CBATCH_NULL_ARGUMENT = 1,
    /// A config, phone, region or email that must be UTF-8 was not.
    /// (Request bodies are never refused with this: the engine answers
    /// invalid UTF-8 in a body with the API's 4xx response.)
    CBATCH_INVALID_UTF8 = 2,
    /// The engine config was not valid (bad JSON, unknown profile or
    /// region, a zero limit, ...).
    CBATCH_INVALID_CONFIG = 3,
    /// The existing-keys JSON was malformed; `cbatch_existing_check` gives
    /// the message.
    CBATCH_INVALID_EXISTING = 4,
    /// A bug inside the library: a panic was caught at the boundary. The
    /// handles passed in remain valid; please report it.
    CBATCH_PANIC = 5,
    /// `cbatch_resolve` was given a prepared batch made by another engine.
    CBATCH_ENGINE_MISMATCH = 6,
    /// An input length was larger than `PTRDIFF_MAX`.
    CBATCH_INVALID_LENGTH = 7,
}

impl cbatch_result {
    /// Every code, in number order.
    pub fn all() -> [cbatch_result; 8] {
        ALL
    }

    /// The code as the C functions return it.
    pub fn code(self) -> c_int {
        self as c_int
    }

    /// The code with this number, if there is one.
    pub fn from_code(code: c_int) -> Option<cbatch_result> {
        ALL.into_iter().find(|r| r.code() == code)
    }

    /// The constant's name, NUL-terminated.
    fn name_nul(self) -> &'static str {
        match self {
            cbatch_result::CBATCH_OK => "CBATCH_OK\0",
            cbatch_result::CBATCH_NULL_ARGUMENT => "CBATCH_NULL_ARGUMENT\0",
            cbatch_result::CBATCH_INVALID_UTF8 => "CBATCH_INVALID_UTF8\0",
            cbatch_result::CBATCH_INVALID_CONFIG => "CBATCH_INVALID_CONFIG\0",
            cbatch_result::CBATCH_INVALID_EXISTING => "CBATCH_INVALID_EXISTING\0",
            cbatch_result::CBATCH_PANIC => "CBATCH_PANIC\0",
            cbatch_result::CBATCH_ENGINE_MISMATCH => "CBATCH_ENGINE_MISMATCH\0",
            cbatch_result::CBATCH_INVALID_LENGTH => "CBATCH_INVALID_LENGTH\0",
        }
    }

    /// The constant's name, e.g. `CBATCH_INVALID_UTF8`.
    pub fn name(self) -> &'static str {
        let n = self.name_nul();
        &n[..n.len() - 1]
    }

    /// What the code means, for a log line, NUL-terminated.
    fn message_nul(self) -> &'static str {
        match self {
            cbatch_result::CBATCH_OK => "success\0",
            cbatch_result::CBATCH_NULL_ARGUMENT => {
                "a required pointer was NULL, or an input pointer was NULL with a non-zero length\0"
            }
            cbatch_result::CBATCH_INVALID_UTF8 => {
                "a config, phone, region or email that must be UTF-8 was not\0"
            }
            cbatch_result::CBATCH_INVALID_CONFIG => {
                "the engine config is not valid (the err buffer of the call says why)\0"
            }
            cbatch_result::CBATCH_INVALID_EXISTING => {
                "the existing-keys JSON is malformed (cbatch_existing_check says why)\0"
            }
            cbatch_result::CBATCH_PANIC => {
                "a bug inside contact-batch was caught at the boundary; the handles stay valid; please report it\0"
            }
            cbatch_result::CBATCH_ENGINE_MISMATCH => {
                "the prepared batch was made by another engine\0"
            }
            cbatch_result::CBATCH_INVALID_LENGTH => "an input length is larger than PTRDIFF_MAX\0",
        }
    }

    /// What the code means, e.g. `"the prepared batch was made by another
    /// engine"`.
    pub fn message(self) -> &'static str {
        let n = self.message_nul();
        &n[..n.len() - 1]
    }
}

// Not an associated const: cbindgen would export it.
const ALL: [cbatch_result; 8] = [
    cbatch_result::CBATCH_OK,
    cbatch_result::CBATCH_NULL_ARGUMENT,
    cbatch_result::CBATCH_INVALID_UTF8,
    cbatch_result::CBATCH_INVALID_CONFIG,
    cbatch_result::CBATCH_INVALID_EXISTING,
    cbatch_result::CBATCH_PANIC,
    cbatch_result::CBATCH_ENGINE_MISMATCH,
    cbatch_result::CBATCH_INVALID_LENGTH,
];

const UNKNOWN: &str = "CBATCH_UNKNOWN_RESULT\0";

/// The name of a result code, e.g. `"CBATCH_INVALID_UTF8"` for 2, or
/// `"CBATCH_UNKNOWN_RESULT"` for a number that is no code. The string is
/// static and NUL-terminated: never free it. Never returns NULL.
#[no_mangle]
pub extern "C" fn cbatch_result_name(code: c_int) -> *const c_char {
    guard(UNKNOWN.as_ptr().cast(), || {
        cbatch_result::from_code(code)
            .map_or(UNKNOWN, cbatch_result::name_nul)
            .as_ptr()
            .cast()
    })
}

const UNKNOWN_MESSAGE: &str = "not a contact-batch result code\0";

/// What a result code means, as a sentence for a log line (e.g. `"the
/// prepared batch was made by another engine"` for 6), or `"not a
/// contact-batch result code"` for a number that is no code. The string is
/// static and NUL-terminated: never free it. Never returns NULL.
#[no_mangle]
pub extern "C" fn cbatch_result_message(code: c_int) -> *const c_char {
    guard(UNKNOWN_MESSAGE.as_ptr().cast(), || {
        cbatch_result::from_code(code)
            .map_or(UNKNOWN_MESSAGE, cbatch_result::message_nul)
            .as_ptr()
            .cast()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn every_code_has_a_message() {
        let mut seen = std::collections::HashSet::new();
        for r in cbatch_result::all() {
            // SAFETY: the function returns a static NUL-terminated string.
            let c = unsafe { CStr::from_ptr(cbatch_result_message(r.code())) };
            assert_eq!(c.to_str().unwrap(), r.message());
            assert!(r.message().len() > 6, "{r:?}");
            assert!(seen.insert(r.message()), "{r:?} shares its message");
        }
        // SAFETY: as above.
        let c = unsafe { CStr::from_ptr(cbatch_result_message(99)) };
        assert_eq!(c.to_str().unwrap(), "not a contact-batch result code");
    }

    #[test]
    fn numbers_are_dense_and_names_match() {
        for (i, r) in cbatch_result::all().into_iter().enumerate() {
            assert_eq!(r.code(), i as c_int);
            assert_eq!(cbatch_result::from_code(r.code()), Some(r));
            assert_eq!(format!("{r:?}"), r.name());
            // SAFETY: the function returns a static NUL-terminated string.
            let c = unsafe { CStr::from_ptr(cbatch_result_name(r.code())) };
            assert_eq!(c.to_str().unwrap(), r.name());
        }
        // SAFETY: as above.
        let c = unsafe { CStr::from_ptr(cbatch_result_name(-1)) };
        assert_eq!(c.to_str().unwrap(), "CBATCH_UNKNOWN_RESULT");
    }
}
