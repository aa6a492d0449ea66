#!/usr/bin/env bash
# Builds and tests the core the ways a packager does, in temporary copies
# (nothing here writes into the repository):
#   1. vendored: `cargo vendor` into a temp dir, a .cargo/config.toml source
#      replacement, an empty CARGO_HOME, `cargo test -p contact-batch --offline`;
#   2. packaged: `cargo package -p contact-batch`, then the unpacked .crate's
#      own tests, offline, against the same vendored sources.
# Needs network only for step 0 (`cargo vendor` reads the registry once).
# Slow (two cold builds): not part of scripts/test.sh or CI.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
step() { echo "== $* ($(date -u +%H:%M:%S))"; }

step "copy the tracked tree"
mkdir "$tmp/src"
git -C "$repo" archive HEAD | tar -x -C "$tmp/src"

step "cargo vendor"
(cd "$tmp/src" && cargo vendor --locked "$tmp/vendor" >"$tmp/vendor-config.toml" 2>"$tmp/vendor.log") || { cat "$tmp/vendor.log"; exit 1; }
mkdir -p "$tmp/src/.cargo"
sed "s|$tmp/vendor|$tmp/vendor|" "$tmp/vendor-config.toml" >"$tmp/src/.cargo/config.toml"

export CARGO_HOME="$tmp/cargo-home"   # empty: no registry cache to fall back on
mkdir -p "$CARGO_HOME"

step "vendored: cargo test -p contact-batch --offline"
(cd "$tmp/src" && cargo test -p contact-batch --locked --offline 2>&1 | grep -E '^test result|FAILED|^error' )

step "cargo package -p contact-batch"
(cd "$tmp/src" && cargo package -p contact-batch --locked --offline --no-verify)
crate=$(ls "$tmp"/src/target/package/contact-batch-*.crate)
mkdir "$tmp/unpacked"
tar -xzf "$crate" -C "$tmp/unpacked"
dir=$(ls -d "$tmp"/unpacked/contact-batch-*)
mkdir -p "$dir/.cargo"
cp "$tmp/src/.cargo/config.toml" "$dir/.cargo/config.toml"

step "packaged: cargo test from the unpacked .crate, offline"
(cd "$dir" && cargo test --offline 2>&1 | grep -E '^test result|FAILED|^error')
step "done"
