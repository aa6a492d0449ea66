#!/usr/bin/env bash
# Regenerates include/contact_batch.h and include/contact_batch_php.h with the
# cbindgen version pinned in crates/contact-batch-ffi/Cargo.toml. The
# generator is the test `committed_headers_are_what_cbindgen_generates`
# (crates/contact-batch-ffi/tests/header.rs), so `cargo test --workspace`
# checks the headers with no build of its own.
#
#   gen-header.sh          rewrite the committed headers
#   gen-header.sh --check  exit 1 if the committed headers are stale
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
case "${1:-}" in
    "") bless=1 ;;
    --check) bless=0 ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
# `--workspace --tests`: every test target, so the dev-dependencies of every
# package take part in feature resolution as in the README's `cargo test
# --workspace`, and this reuses that build. (`--test header` alone left the
# core's dev-dependency features out, so regex-automata, regex, the phone
# library and the core were built a second time: 52 s on a fresh machine.)
# The test's report (which header, what differs) only when it fails.
if ! log="$(CONTACT_BATCH_BLESS=$bless cargo test --quiet --locked \
    --manifest-path "$root/Cargo.toml" --workspace --tests \
    -- --exact committed_headers_are_what_cbindgen_generates 2>&1)"; then
    # From the failing test's report on (the other test binaries print only
    # that they ran nothing); all of it when the build itself failed.
    if grep -q '^failures:' <<<"$log"; then sed -n '/^failures:/,$p' <<<"$log" >&2
    else printf '%s\n' "$log" >&2; fi
    echo "gen-header.sh: the committed headers are stale; run crates/contact-batch-ffi/gen-header.sh" >&2
    exit 1
fi
if [ "$bless" = 1 ]; then
    echo "wrote include/contact_batch.h and include/contact_batch_php.h"
else
    echo "headers are fresh"
fi
