//! The C API of [`contact_batch`]: `libcontactbatch.so` / `libcontactbatch.a`
//! and the header `include/contact_batch.h`.
//!
//! # Should I use this crate?
//!
//! From Rust, no: use `contact-batch` directly. This crate exists for hosts
//! written in C, PHP (through `FFI`, with `include/contact_batch_php.h`) or
//! any language that can call C. Build it with
//! `cargo build --release -p contact-batch-ffi`.
//!
//! # The contract
//!
//! - Every symbol is prefixed `cbatch_` (types and functions) or `CBATCH_`
//!   (constants). Handles (`cbatch_engine`, `cbatch_prepared`) are opaque.
//! - Inputs are a pointer plus a length, never NUL-terminated; NULL with
//!   length 0 is the empty input (for `existing_json` and `region`: absent).
//! - Outputs go into a `cbatch_buf` that the library allocates (with a NUL
//!   after the last byte) and only `cbatch_buf_free` releases.
//! - Fallible functions return an `int` result code ([`cbatch_result`]):
//!   0 is success, other numbers are permanent and never reused.
//!   Out-parameters are written only on success. A malformed request is not
//!   an error: it is the API's 4xx response.
//! - No panic crosses the boundary: every exported function runs inside one
//!   panic guard (the private `panic` module) and a panic becomes
//!   `CBATCH_PANIC`. The crate refuses to build with `panic = "abort"`,
//!   which would turn a bug into a killed host process.
//! - An engine is immutable and may be shared by any number of threads; a
//!   prepared batch belongs to one thread at a time.
//!
//! # Error messages
//!
//! Result codes name the failure (`cbatch_result_name`). The two failures
//! that carry details have a message channel without global state:
//! `cbatch_engine_new` fills its `err` buf, and `cbatch_existing_check`
//! explains why existing-keys JSON was refused with
//! `CBATCH_INVALID_EXISTING`.
//!
//! # The header
//!
//! `include/contact_batch.h` and `include/contact_batch_php.h` are generated
//! from this crate by a pinned cbindgen and committed. The test
//! `committed_headers_are_what_cbindgen_generates` (`tests/header.rs`, part
//! of `cargo test --workspace`) fails when they are stale, and with
//! `CONTACT_BATCH_BLESS=1` rewrites them; `gen-header.sh` runs it.
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

// A panic must become CBATCH_PANIC, never an abort of the host process.
#[cfg(not(panic = "unwind"))]
compile_error!("contact-batch-ffi must be built with panic = \"unwind\" (the default): with panic = \"abort\" a bug would kill the host process instead of returning CBATCH_PANIC");

mod buf;
mod engine;
mod existing;
mod metadata;
mod panic;
mod prepared;
mod result;
mod values;
mod warm;

pub use buf::{cbatch_buf, cbatch_buf_free};
pub use engine::{cbatch_engine, cbatch_engine_free, cbatch_engine_new, cbatch_respond};
pub use existing::cbatch_existing_check;
pub use metadata::{cbatch_engine_phone_metadata_version, cbatch_phone_metadata_version};
pub use prepared::{
    cbatch_prepare, cbatch_prepared, cbatch_prepared_free, cbatch_prepared_keys, cbatch_resolve,
    cbatch_resolve_outcome,
};
pub use result::{cbatch_result, cbatch_result_name};
pub use values::{cbatch_normalize_phone, cbatch_validate_email, cbatch_version};
pub use warm::cbatch_engine_warm;
