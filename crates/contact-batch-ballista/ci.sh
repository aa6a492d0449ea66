#!/usr/bin/env bash
# CI for the scale-out workspace (crates/contact-batch-ballista and
# crates/contact-batch-datafusion, own Cargo.lock): one build of everything
# (DataFusion and Ballista compile once: the tests, the three binaries),
# then the UDF tests and the parity tests against `contact-batch import`
# (a scheduler and two executors on 127.0.0.1, own ports). Every step is
# bounded; the cluster tests bound and kill their own processes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
start=$(date +%s)
t() { echo "[scale-out] $* ($(( $(date +%s) - start ))s)"; }

t "reference: the main command line (already built by the workspace tests)"
(cd "$root" && timeout 900 cargo build -p contact-batch-cli --locked)
export CONTACT_BATCH_BIN="$root/target/debug/contact-batch"

cd "$here"
t "format"
cargo fmt --all -- --check
t "build (DataFusion + Ballista, once)"
timeout 1500 cargo test --locked --workspace --no-run
t "tests"
timeout 600 cargo test --locked --workspace
t "done"
