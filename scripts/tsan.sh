#!/usr/bin/env bash
# ThreadSanitizer over the tests that share one engine across threads: the
# C API's eight threads on one engine (respond, prepare/resolve and single
# values at once), and the core's parser shared by every thread.
#
#   scripts/tsan.sh
#
# The whole dependency tree and the standard library are built with
# `-Zsanitizer=thread -Zbuild-std` (Rust's own locks are then visible to
# TSan: without build-std it reports races inside them). Needs a nightly
# toolchain with rust-src; without it prints "skipped: ..." and exits 0.
# A data race reported by TSan fails the run (TSAN_OPTIONS halt_on_error).
# Builds into target/tsan (minutes the first time).
set -euo pipefail
cd "$(dirname "$0")/.."

skip() {
  echo "skipped: $*"
  exit 0
}
rustup toolchain list 2>/dev/null | grep -q '^nightly' || skip "no nightly toolchain"
if ! rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
  rustup component add rust-src --toolchain nightly >/dev/null 2>&1 ||
    skip "the nightly toolchain has no rust-src (needed by -Zbuild-std)"
fi
target=$(rustc +nightly -vV | sed -n 's/^host: //p')
export RUSTFLAGS="-Zsanitizer=thread"
export RUSTDOCFLAGS="-Zsanitizer=thread"
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}/tsan
run() {
  cargo +nightly test -q -Zbuild-std --target "$target" "$@"
}
run -p contact-batch-ffi --test ffi -- eight_threads_share_one_engine
run -p contact-batch --lib -- phone::tests::one_parser_for_every_thread
echo "tsan: no data race"
