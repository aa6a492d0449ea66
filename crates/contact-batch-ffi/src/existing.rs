//! The existing-keys JSON that `cbatch_respond` and `cbatch_resolve` take,
//! and `cbatch_existing_check`, which explains why one was refused.

use std::os::raw::{c_char, c_int};

use contact_batch::Existing;

use crate::buf::{self, cbatch_buf};
use crate::panic::guard_result;
use crate::result::cbatch_result;

/// Parses existing-keys JSON; NULL or empty is "nothing exists".
///
/// # Safety
///
/// `data` must point at `len` readable bytes, or be NULL with `len` 0.
pub(crate) unsafe fn parse(data: *const c_char, len: usize) -> Result<Existing, cbatch_result> {
    // SAFETY: forwarded contract.
    match unsafe { buf::optional_bytes(data, len) }? {
        None => Ok(Existing::new()),
        Some(json) => Existing::from_json(json).map_err(|_| cbatch_result::CBATCH_INVALID_EXISTING),
    }
}

/// Checks existing-keys JSON (see `cbatch_respond`) without using it.
///
/// Returns `CBATCH_OK` when `cbatch_respond` and `cbatch_resolve` accept it
/// (NULL or a length of 0 included), and `err` is left untouched. Otherwise
/// returns the code they would return (`CBATCH_INVALID_EXISTING`, ...) and,
/// if `err` is not NULL, fills `err` with a UTF-8 message saying what is
/// wrong (free it with `cbatch_buf_free`). Call it after one of them failed
/// with `CBATCH_INVALID_EXISTING`, to report why.
///
/// # Safety
///
/// `existing_json` must point at `existing_len` readable bytes (or be NULL
/// with length 0); `err` must be NULL or point at a writable `cbatch_buf`.
#[no_mangle]
pub unsafe extern "C" fn cbatch_existing_check(
    existing_json: *const c_char,
    existing_len: usize,
    err: *mut cbatch_buf,
) -> c_int {
    guard_result(|| {
        // SAFETY: forwarded contract.
        let message = match unsafe { buf::optional_bytes(existing_json, existing_len) } {
            Ok(None) => return Ok(()),
            Ok(Some(json)) => match Existing::from_json(json) {
                Ok(_) => return Ok(()),
                Err(e) => (cbatch_result::CBATCH_INVALID_EXISTING, e.to_string()),
            },
            Err(code) => (
                code,
                match code {
                    cbatch_result::CBATCH_NULL_ARGUMENT => {
                        "existing_json is NULL but its length is not 0".to_owned()
                    }
                    _ => "the existing_json length is larger than PTRDIFF_MAX".to_owned(),
                },
            ),
        };
        if !err.is_null() {
            // SAFETY: non-NULL and writable per the contract.
            unsafe { buf::write(err, message.1) };
        }
        Err(message.0)
    })
}
