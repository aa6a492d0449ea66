#!/usr/bin/env bash
# Runs every test of the project: the Rust workspace (unit, integration,
# property, phone-vector and doc tests), the generated-header check, the C
# example (strict flags, static and shared, under valgrind), the PHP FFI
# client and the PHP extension's .phpt tests. Parts that need tools this
# machine lacks (cc, php, phpize) are skipped with a note, unless
# CONTACT_BATCH_REQUIRE_ALL=1 (CI) makes a missing tool an error.
set -euo pipefail
cd "$(dirname "$0")/.."
require_all=${CONTACT_BATCH_REQUIRE_ALL:-0}
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

# No module of the core imports one that imports it back (a second's work).
echo "== module cycles"
if have python3 "the module-cycle check"; then
  python3 scripts/module-cycles.py
fi

# Cargo's progress bar is drawn only on a terminal; in a log, the build is
# silent while its last crates compile and link (55 s on a fresh 2-core
# machine). Off a terminal, a line every 20 s says the build is alive.
with_heartbeat() {
  if [ -t 2 ]; then "$@"; return; fi
  local start=$SECONDS
  ( while sleep 20; do echo "   ... $1 $2 still running ($((SECONDS - start)) s)" >&2; done ) &
  local beat=$!
  local rc=0
  "$@" || rc=$?
  kill "$beat" 2>/dev/null; wait "$beat" 2>/dev/null || true
  return "$rc"
}

echo "== cargo test"
with_heartbeat cargo test --workspace --locked --no-run
cargo test --workspace --locked
# That run included the header check (committed_headers_are_what_cbindgen_generates).
export CONTACT_BATCH_HEADERS_CHECKED=1

# The C example (and valgrind) and the PHP FFI client (the header check only
# when run alone):
# run-examples.sh checks for each one's tools itself and names what it skips.
echo "== C and PHP FFI examples"
bash examples/run-examples.sh

if have phpize "the PHP extension"; then
  echo "== PHP extension"
  bash bindings/php-ext/build.sh test
fi

# Every code block of every README: C and PHP run, shell commands run,
# sample output compared, the rest marked with why not (the Rust blocks are
# doctests of contact-batch-cli, run above).
echo "== README snippets"
if have python3 "the README snippet check"; then
  python3 scripts/readme-snippets.py
fi
