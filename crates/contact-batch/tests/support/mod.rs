//! What the core crate's test binaries share: a counting allocator
//! ([`alloc`]) and engines, stores and requests as the tests build them
//! ([`engines`]). `tests/hostile.rs` declares it as `mod support;`, the
//! `it` binary with a `#[path]`; each binary uses part of it.
#![allow(dead_code)]

pub mod alloc;
pub mod engines;
