//! The panic boundary: every exported function runs its body through
//! [`guard`], so a panic (a bug of ours) becomes a result code or a
//! documented fallback value instead of unwinding into C, which would abort
//! the host process (a PHP-FPM worker, say).

use std::os::raw::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::result::cbatch_result;

/// Runs `f`, returning `on_panic` if it panics.
///
/// `AssertUnwindSafe` is sound here: after a panic the only state the caller
/// can observe is through the handles it passed in, and every handle is
/// either immutable (`cbatch_engine`, `cbatch_prepared`) or written only on
/// success (out-parameters), so no half-updated value escapes.
pub(crate) fn guard<R>(on_panic: R, f: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        // The payload (the panic message) is dropped here; the default
        // hook has already printed it to stderr.
        Err(_payload) => on_panic,
    }
}

/// [`guard`] for the common shape: a body that succeeds or fails with a
/// code; a panic is `CBATCH_PANIC`.
pub(crate) fn guard_result(f: impl FnOnce() -> Result<(), cbatch_result>) -> c_int {
    guard(cbatch_result::CBATCH_PANIC.code(), || match f() {
        Ok(()) => cbatch_result::CBATCH_OK.code(),
        Err(e) => e.code(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_fallback() {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        assert_eq!(guard(7, || -> i32 { panic!("boom") }), 7);
        assert_eq!(
            guard_result(|| panic!("boom")),
            cbatch_result::CBATCH_PANIC.code()
        );
        assert_eq!(
            guard(std::ptr::null::<u8>(), || panic!(
                "{}",
                String::from("owned")
            )),
            std::ptr::null()
        );
        std::panic::set_hook(hook);
    }

    #[test]
    fn results_pass_through() {
        assert_eq!(guard(7, || 3), 3);
        assert_eq!(guard_result(|| Ok(())), 0);
        assert_eq!(
            guard_result(|| Err(cbatch_result::CBATCH_INVALID_UTF8)),
            cbatch_result::CBATCH_INVALID_UTF8.code()
        );
    }
}
