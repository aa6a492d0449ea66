#!/usr/bin/env bash
# Runs the C API's own unsafe code under Miri.
#
#   scripts/miri.sh          the harness (CI): seconds once Miri's sysroot is built
#   scripts/miri.sh --full   also the whole FFI crate's Miri tests (local)
#
# The harness (crates/contact-batch-ffi/miri) compiles the FFI crate's
# self-contained modules from their own source files: `buf` (buffers the
# library allocates and frees, pointer + length inputs), `panic` (the
# boundary) and `result` (codes and names), with their unit tests and
# Miri-specific ones (uninitialized out-parameters, every length, panic
# payloads; Miri's leak check on everything).
#
# --full (or CONTACT_BATCH_MIRI_FULL=1) adds the FFI crate itself: its unit
# tests and crates/contact-batch-ffi/tests/miri.rs (every exported function
# on NULL handles and out-parameters, bad lengths, config and existing-keys
# errors with their messages). Building the core and its dependencies for
# Miri takes many minutes the first time, which is why CI runs only the
# harness. No test builds an Engine: loading the phone metadata does not
# finish in minutes under Miri.
#
# Needs a nightly toolchain with the miri and rust-src components; when
# nightly is installed without them, tries to add them. Without nightly (or
# when the components cannot be added, or Miri's sysroot cannot be built)
# it prints "skipped: ..." and exits 0. Undefined behaviour, a leak or a
# failing test exits non-zero. MIRIFLAGS passes extra Miri options.
set -euo pipefail
cd "$(dirname "$0")/.."

full=${CONTACT_BATCH_MIRI_FULL:-0}
case "${1:-}" in
  '') ;;
  --full) full=1 ;;
  *) echo "usage: scripts/miri.sh [--full]" >&2; exit 2 ;;
esac

skip() {
  echo "skipped: $*"
  exit 0
}

command -v rustup >/dev/null 2>&1 || skip "Miri needs rustup and a nightly toolchain; rustup is not installed"
rustup toolchain list 2>/dev/null | grep '^nightly' >/dev/null ||
  skip "no nightly toolchain (rustup toolchain install nightly --component miri,rust-src)"
if ! cargo +nightly miri --version >/dev/null 2>&1; then
  echo "adding the miri and rust-src components to nightly" >&2
  rustup +nightly component add miri rust-src >&2 ||
    skip "nightly has no miri component and it cannot be added"
fi
# Builds Miri's standard library once (cached in ~/.cache/miri).
cargo +nightly miri setup >&2 || skip "cargo miri setup failed (Miri's sysroot could not be built)"

echo "== Miri ($(cargo +nightly miri --version)): the FFI crate's buf, panic and result modules"
cargo +nightly miri test --locked --lib \
  --manifest-path crates/contact-batch-ffi/miri/Cargo.toml --target-dir target/miri-ffi

if [ "$full" = 1 ]; then
  echo "== Miri: the FFI crate's unit tests and tests/miri.rs"
  cargo +nightly miri test --locked -p contact-batch-ffi --lib --test miri
fi
