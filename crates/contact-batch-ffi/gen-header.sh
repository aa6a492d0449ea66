#!/usr/bin/env bash
# Regenerates include/contact_batch.h and include/contact_batch_php.h with the
# cbindgen version pinned in crates/contact-batch-ffi/Cargo.toml.
#
#   gen-header.sh          rewrite the committed headers
#   gen-header.sh --check  regenerate into a temporary directory and diff;
#                          exit 1 if the committed headers are stale
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
include="$root/include"

mode=write
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cargo run --quiet --manifest-path "$here/Cargo.toml" \
    --features gen-header --bin cbatch-gen-header -- "$tmp"

if [ "$mode" = check ]; then
    status=0
    for h in contact_batch.h contact_batch_php.h; do
        if ! diff -u "$include/$h" "$tmp/$h"; then
            echo "include/$h is stale: run crates/contact-batch-ffi/gen-header.sh" >&2
            status=1
        fi
    done
    [ "$status" = 0 ] && echo "headers are fresh"
    exit "$status"
fi

mkdir -p "$include"
cp "$tmp/contact_batch.h" "$tmp/contact_batch_php.h" "$include/"
echo "wrote include/contact_batch.h and include/contact_batch_php.h"
