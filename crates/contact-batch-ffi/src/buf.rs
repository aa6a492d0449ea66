//! `cbatch_buf`: bytes the library hands out, and the pointer + length
//! inputs it takes in.

use std::os::raw::c_char;
use std::ptr;

use crate::panic::guard;
use crate::result::cbatch_result;

/// Bytes returned by the library: `len` bytes at `data`, followed by a NUL
/// byte that is not counted in `len` (so `data` can be used as a C string
/// when the content has no NUL of its own, which JSON output never has).
///
/// Ownership: the library allocates `data`; only `cbatch_buf_free` releases
/// it (never `free()`). Functions write a `cbatch_buf` only when they
/// succeed, and overwrite it without freeing what it held: pass a zeroed or
/// freed buf. Do not copy a filled buf and free both copies.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct cbatch_buf {
    /// The bytes, NUL-terminated; NULL in a zeroed or freed buf.
    pub data: *mut c_char,
    /// The number of bytes before the terminating NUL.
    pub len: usize,
}

impl cbatch_buf {
    /// A zeroed buf, as a C caller declares it (`cbatch_buf b = {0};`).
    pub const fn empty() -> cbatch_buf {
        cbatch_buf {
            data: ptr::null_mut(),
            len: 0,
        }
    }

    /// The contents (without the NUL), or `None` for a zeroed buf.
    ///
    /// # Safety
    ///
    /// `self` must be zeroed or filled by this library and not yet freed.
    pub unsafe fn as_bytes(&self) -> Option<&[u8]> {
        if self.data.is_null() {
            return None;
        }
        // SAFETY: a filled buf points at `len + 1` initialized bytes that
        // live until `cbatch_buf_free`, per the caller's contract.
        Some(unsafe { std::slice::from_raw_parts(self.data.cast::<u8>(), self.len) })
    }
}

/// Moves `s` into a new allocation with a trailing NUL.
fn into_raw(s: String) -> cbatch_buf {
    let mut bytes = s.into_bytes();
    let len = bytes.len();
    bytes.push(0);
    let boxed: Box<[u8]> = bytes.into_boxed_slice();
    cbatch_buf {
        data: Box::into_raw(boxed).cast::<c_char>(),
        len,
    }
}

/// Fills `*out` with `s`. The last step of a successful call.
///
/// # Safety
///
/// `out` must be non-NULL and valid for a write of a `cbatch_buf`.
pub(crate) unsafe fn write(out: *mut cbatch_buf, s: String) {
    let buf = into_raw(s);
    // SAFETY: the caller checked `out` for NULL; the C caller promises it
    // points at a writable `cbatch_buf`. `write` does not read or drop the
    // old (possibly uninitialized) value.
    unsafe { ptr::write(out, buf) };
}

/// Releases the bytes of a buf filled by this library and resets it to
/// `{NULL, 0}`.
///
/// `buf` may be NULL, zeroed or already freed by this function: then nothing
/// happens, so calling it twice on the same buf is harmless.
///
/// # Safety
///
/// `buf` must be NULL or point at a `cbatch_buf` that is zeroed or was
/// filled by this library (and not copied and freed through the copy).
#[no_mangle]
pub unsafe extern "C" fn cbatch_buf_free(buf: *mut cbatch_buf) {
    guard((), || {
        if buf.is_null() {
            return;
        }
        // SAFETY: non-NULL, and the caller promises it points at a buf.
        let b = unsafe { &mut *buf };
        if !b.data.is_null() {
            let slice = ptr::slice_from_raw_parts_mut(b.data.cast::<u8>(), b.len + 1);
            // SAFETY: `data` and `len + 1` are exactly the pointer and length
            // of the `Box<[u8]>` leaked by `into_raw`, not freed since (a
            // free resets `data` to NULL).
            drop(unsafe { Box::from_raw(slice) });
        }
        *b = cbatch_buf::empty();
    })
}

/// An input given as pointer + length. NULL with length 0 is the empty
/// input; NULL with any other length is `CBATCH_NULL_ARGUMENT`.
///
/// # Safety
///
/// A non-NULL `data` must point at `len` readable bytes that stay valid and
/// unmodified for `'a`.
pub(crate) unsafe fn bytes<'a>(data: *const c_char, len: usize) -> Result<&'a [u8], cbatch_result> {
    if data.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(cbatch_result::CBATCH_NULL_ARGUMENT)
        };
    }
    if len > isize::MAX as usize {
        return Err(cbatch_result::CBATCH_INVALID_LENGTH);
    }
    // SAFETY: non-NULL, at most isize::MAX bytes, readable for `'a` per the
    // caller's contract; u8 has no alignment or validity requirements.
    Ok(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) })
}

/// An input that may be absent: NULL or a length of 0 is `None`.
///
/// # Safety
///
/// As [`bytes`].
pub(crate) unsafe fn optional_bytes<'a>(
    data: *const c_char,
    len: usize,
) -> Result<Option<&'a [u8]>, cbatch_result> {
    // SAFETY: forwarded contract.
    let b = unsafe { bytes(data, len) }?;
    Ok(if b.is_empty() { None } else { Some(b) })
}

/// A UTF-8 text input.
///
/// # Safety
///
/// As [`bytes`].
pub(crate) unsafe fn text<'a>(data: *const c_char, len: usize) -> Result<&'a str, cbatch_result> {
    // SAFETY: forwarded contract.
    let b = unsafe { bytes(data, len) }?;
    std::str::from_utf8(b).map_err(|_| cbatch_result::CBATCH_INVALID_UTF8)
}

/// Fails with `CBATCH_NULL_ARGUMENT` when `p` is NULL.
pub(crate) fn non_null<T>(p: *const T) -> Result<(), cbatch_result> {
    if p.is_null() {
        Err(cbatch_result::CBATCH_NULL_ARGUMENT)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_double_free() {
        let mut b = cbatch_buf::empty();
        // SAFETY: `b` is a valid, writable buf.
        unsafe { write(&mut b, "{\"a\":1}".into()) };
        assert_eq!(b.len, 7);
        // SAFETY: filled above, not freed.
        assert_eq!(unsafe { b.as_bytes() }, Some(&b"{\"a\":1}"[..]));
        // SAFETY: the byte after the content is the NUL we appended.
        assert_eq!(unsafe { *b.data.add(7) }, 0);
        // SAFETY: filled by us; freeing twice is allowed.
        unsafe {
            cbatch_buf_free(&mut b);
            cbatch_buf_free(&mut b);
            cbatch_buf_free(ptr::null_mut());
        }
        assert!(b.data.is_null() && b.len == 0);

        let mut e = cbatch_buf::empty();
        // SAFETY: as above; an empty string still gets its NUL.
        unsafe { write(&mut e, String::new()) };
        assert!(!e.data.is_null() && e.len == 0);
        // SAFETY: filled by us.
        unsafe { cbatch_buf_free(&mut e) };
    }

    #[test]
    fn inputs() {
        // SAFETY: NULL pointers are never dereferenced; the other pointers
        // point at live byte strings of the given lengths.
        unsafe {
            assert_eq!(bytes(ptr::null(), 0), Ok(&b""[..]));
            assert_eq!(
                bytes(ptr::null(), 1),
                Err(cbatch_result::CBATCH_NULL_ARGUMENT)
            );
            assert_eq!(
                bytes(b"x".as_ptr().cast(), usize::MAX),
                Err(cbatch_result::CBATCH_INVALID_LENGTH)
            );
            assert_eq!(optional_bytes(b"x".as_ptr().cast(), 0), Ok(None));
            assert_eq!(text(b"ab".as_ptr().cast(), 2), Ok("ab"));
            assert_eq!(
                text(b"\xff".as_ptr().cast(), 1),
                Err(cbatch_result::CBATCH_INVALID_UTF8)
            );
        }
    }
}
