//! The C API's self-contained modules, compiled from `../src` without the
//! rest of the crate: `buf` (what the library allocates and frees, pointer +
//! length inputs), `panic` (the boundary) and `result` (codes and names).
//! Their own unit tests come along; the tests below add what Miri is best
//! at: uninitialized out-parameters, every length, panic payloads that own
//! memory, and (Miri's leak check) nothing left allocated.
//!
//! If one of these modules starts to use the core crate, this stops
//! compiling: keep them free of it, or move the code that needs it.
#![deny(unsafe_op_in_unsafe_fn)]
// The crate's other modules use these helpers; here only the tests do.
#![allow(dead_code)]

#[path = "../src/buf.rs"]
pub mod buf;
#[path = "../src/panic.rs"]
mod panic;
#[path = "../src/result.rs"]
pub mod result;

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::mem::MaybeUninit;
    use std::os::raw::c_int;
    use std::ptr::{self, NonNull};
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use crate::buf::{bytes, cbatch_buf, cbatch_buf_free, non_null, optional_bytes, text, write};
    use crate::panic::{guard, guard_result};
    use crate::result::{cbatch_result, cbatch_result_name};

    #[test]
    fn out_parameter_may_be_uninitialized() {
        // A C caller may declare `cbatch_buf out;` without `= {0}` and pass
        // it to a call that fills it: the library must not read it.
        let mut out = MaybeUninit::<cbatch_buf>::uninit();
        // SAFETY: `out` is valid for a write of a cbatch_buf.
        unsafe { write(out.as_mut_ptr(), "{\"status\":200}".into()) };
        // SAFETY: written just above.
        let mut out = unsafe { out.assume_init() };
        // SAFETY: filled by the library, not freed.
        assert_eq!(unsafe { out.as_bytes() }, Some(&b"{\"status\":200}"[..]));
        // SAFETY: filled by the library.
        unsafe { cbatch_buf_free(&mut out) };
        assert!(out.data.is_null() && out.len == 0);
    }

    #[test]
    fn every_length_round_trips_with_its_nul() {
        for len in [0, 1, 2, 7, 8, 9, 63, 64, 65, 1000, 4096] {
            let s: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let mut b = cbatch_buf::empty();
            // SAFETY: a valid, writable buf.
            unsafe { write(&mut b, s.clone()) };
            assert_eq!(b.len, len);
            // SAFETY: filled, not freed; the NUL follows the content.
            unsafe {
                assert_eq!(b.as_bytes(), Some(s.as_bytes()));
                assert_eq!(*b.data.add(len), 0);
                assert_eq!(CStr::from_ptr(b.data).to_bytes(), s.as_bytes());
                cbatch_buf_free(&mut b);
            }
        }
        // Content with NUL bytes of its own keeps its length.
        let mut b = cbatch_buf::empty();
        // SAFETY: as above.
        unsafe {
            write(&mut b, "a\0b\0".into());
            assert_eq!(b.as_bytes(), Some(&b"a\0b\0"[..]));
            cbatch_buf_free(&mut b);
        }
    }

    #[test]
    fn free_is_idempotent_and_null_safe() {
        let mut zeroed = cbatch_buf::empty();
        let mut filled = cbatch_buf::empty();
        // SAFETY: NULL, zeroed and filled bufs are all documented inputs.
        unsafe {
            cbatch_buf_free(ptr::null_mut());
            cbatch_buf_free(&mut zeroed);
            write(&mut filled, "x".into());
            for _ in 0..3 {
                cbatch_buf_free(&mut filled);
            }
        }
        assert!(filled.data.is_null() && filled.len == 0);
        // A freed buf can be filled and freed again.
        // SAFETY: as above.
        unsafe {
            write(&mut filled, "again".into());
            cbatch_buf_free(&mut filled);
        }
    }

    #[test]
    fn inputs_by_pointer_and_length() {
        let data = *b"h\xc3\xa9llo";
        let dangling = NonNull::<u8>::dangling().as_ptr().cast_const().cast();
        // SAFETY: NULL pointers and over-long lengths are refused before any
        // read; a dangling non-NULL pointer is read for 0 bytes only; the
        // other pointers cover the lengths given.
        unsafe {
            assert_eq!(bytes(ptr::null(), 0), Ok(&[][..]));
            assert_eq!(bytes(dangling, 0), Ok(&[][..]));
            assert_eq!(optional_bytes(dangling, 0), Ok(None));
            assert_eq!(text(dangling, 0), Ok(""));
            for n in [1, 5, usize::MAX] {
                assert_eq!(
                    bytes(ptr::null(), n),
                    Err(cbatch_result::CBATCH_NULL_ARGUMENT)
                );
            }
            let p = data.as_ptr().cast();
            assert_eq!(
                bytes(p, isize::MAX as usize + 1),
                Err(cbatch_result::CBATCH_INVALID_LENGTH)
            );
            assert_eq!(
                bytes(p, usize::MAX),
                Err(cbatch_result::CBATCH_INVALID_LENGTH)
            );
            assert_eq!(bytes(p, data.len()), Ok(&data[..]));
            assert_eq!(text(p, data.len()), Ok("héllo"));
            // Cut inside the two-byte é: not UTF-8.
            assert_eq!(text(p, 2), Err(cbatch_result::CBATCH_INVALID_UTF8));
            assert_eq!(optional_bytes(p, 1), Ok(Some(&b"h"[..])));
        }
        assert_eq!(
            non_null(ptr::null::<u8>()),
            Err(cbatch_result::CBATCH_NULL_ARGUMENT)
        );
        assert_eq!(non_null(data.as_ptr()), Ok(()));
    }

    /// A panic payload that owns memory and counts its drops.
    struct Payload(Vec<u8>, Arc<AtomicU32>);

    impl Drop for Payload {
        fn drop(&mut self) {
            self.1.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn panics_stop_at_the_boundary_and_free_their_payload() {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let drops = Arc::new(AtomicU32::new(0));
        let d = drops.clone();
        let r = guard(-1, move || -> c_int {
            std::panic::panic_any(Payload(vec![1; 100], d));
        });
        assert_eq!(r, -1);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            1,
            "the payload is dropped inside the guard"
        );
        // A panic while a buf is being built leaves the out-parameter alone.
        let mut out = cbatch_buf::empty();
        let out_ptr: *mut cbatch_buf = &mut out;
        let code = guard_result(|| {
            let s = String::from("half");
            if !s.is_empty() {
                panic!("{s}");
            }
            // SAFETY: not reached; `out_ptr` is writable.
            unsafe { write(out_ptr, s) };
            Ok(())
        });
        assert_eq!(code, cbatch_result::CBATCH_PANIC.code());
        assert!(out.data.is_null());
        std::panic::set_hook(hook);
    }

    #[test]
    fn result_names_are_static_c_strings() {
        for code in -2..12 {
            // SAFETY: the library returns static NUL-terminated strings.
            let name = unsafe { CStr::from_ptr(cbatch_result_name(code)) };
            let want = cbatch_result::from_code(code).map_or("CBATCH_UNKNOWN_RESULT", |r| r.name());
            assert_eq!(name.to_str(), Ok(want));
        }
        for code in [c_int::MIN, c_int::MAX] {
            // SAFETY: as above.
            let name = unsafe { CStr::from_ptr(cbatch_result_name(code)) };
            assert_eq!(name.to_bytes(), b"CBATCH_UNKNOWN_RESULT");
        }
    }
}
