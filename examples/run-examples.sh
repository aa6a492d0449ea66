#!/usr/bin/env bash
# Builds libcontactbatch, checks that the committed headers are fresh,
# installs the library into a private prefix (target/capi-prefix, or
# CONTACT_BATCH_PREFIX) with install.sh, then builds and runs the C example
# (static from the checkout; shared against the installed library through
# pkg-config; strict flags, under
# valgrind when installed) and the PHP FFI test (also under valgrind when
# installed). Exits non-zero on the first failure.
#
# A missing C compiler or PHP is skipped with a note, unless
# CONTACT_BATCH_REQUIRE_ALL=1 (CI), which makes it an error; so is a missing
# valgrind. CONTACT_BATCH_VALGRIND=0 skips the valgrind runs.
# CONTACT_BATCH_HEADERS_CHECKED=1 (set by scripts/test.sh, whose `cargo test
# --workspace` has just run the header test) skips the header check.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
require_all=${CONTACT_BATCH_REQUIRE_ALL:-0}
use_valgrind=${CONTACT_BATCH_VALGRIND:-1}
lib="$root/target/release/libcontactbatch.so"
vg=(valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --quiet)

# The Debian package that provides a tool.
pkg_of() {
  case "$1" in
    cc) echo gcc ;; php) echo "php-cli (with FFI)" ;; phpize) echo php-dev ;;
    pecl) echo php-pear ;; *) echo "$1" ;;
  esac
}
have() {
    if command -v "$1" >/dev/null 2>&1; then return 0; fi
    if [ "$require_all" = 1 ]; then echo "error: $1 is required for $2" >&2; exit 1; fi
    echo "note: $1 not found; skipping $2 (Debian: apt-get install $(pkg_of "$1"))" >&2
    return 1
}
valgrind_ok() { [ "$use_valgrind" = 1 ] && have valgrind "$1"; }

echo "== build libcontactbatch (release)"
# The same package set as the README's first command (the command line) and
# the PHP extension's build: one feature set, so none rebuilds the others'
# dependencies.
cargo build --release --locked -p contact-batch-ffi -p contact-batch-cli

if [ "${CONTACT_BATCH_HEADERS_CHECKED:-0}" = 1 ]; then
    echo "== headers: checked by cargo test (committed_headers_are_what_cbindgen_generates)"
else
    echo "== headers are fresh"
    bash crates/contact-batch-ffi/gen-header.sh --check
fi

prefix=${CONTACT_BATCH_PREFIX:-$root/target/capi-prefix}
echo "== install the C library into $prefix"
if [ "$prefix" = "$root/target/capi-prefix" ]; then rm -rf "$prefix"; fi
PREFIX="$prefix" CONTACT_BATCH_NO_BUILD=1 bash crates/contact-batch-ffi/install.sh
have pkg-config "the C example against the installed library" || prefix=""
export PREFIX="$prefix"

if have cc "the C example" && [ -n "$prefix" ]; then
    echo "== C example"
    make -C examples/c --no-print-directory clean all
    make -C examples/c --no-print-directory run
    if valgrind_ok "the C example under valgrind"; then
        echo "== C example under valgrind"
        make -C examples/c --no-print-directory valgrind VALGRIND="${vg[*]}"
    fi
    if have clang "the C example under AddressSanitizer + UBSan"; then
        echo "== C example under AddressSanitizer + UndefinedBehaviorSanitizer"
        make -C examples/c --no-print-directory sanitize
    fi
fi

if have php "the PHP FFI test"; then
    php -m | grep -ix ffi >/dev/null || { echo "error: PHP has no FFI extension" >&2; exit 1; }
    echo "== PHP FFI test"
    php -d ffi.enable=1 examples/php/test.php "$lib"
    if valgrind_ok "the PHP FFI test under valgrind"; then
        echo "== PHP FFI test under valgrind"
        USE_ZEND_ALLOC=0 "${vg[@]}" php -d ffi.enable=1 examples/php/test.php "$lib"
    fi
fi
echo "== examples passed"
