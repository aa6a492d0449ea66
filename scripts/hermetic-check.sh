#!/usr/bin/env bash
# Builds and tests the core the ways a packager does, in temporary copies
# (nothing here writes into the repository):
#   1. vendored: `cargo vendor` into a temp dir, a .cargo/config.toml source
#      replacement, an empty CARGO_HOME, `cargo test -p contact-batch --offline`;
#   2. packaged: `cargo package -p contact-batch`, then the unpacked .crate's
#      own tests, offline, against the same vendored sources;
#   3. cold start: `contact-batch respond` of a 1000-row request, a whole
#      process, from a release build of the vendored tree against one of the
#      checkout built the usual way (11 runs each, alternating, medians);
#      fails if the vendored one is 1.5x slower (a build that lost its
#      embedded phone metadata was 4.4x).
# Needs network only for step 0 (`cargo vendor` reads the registry once).
# Slow (two cold builds): not part of scripts/test.sh or CI.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
normal_cargo_home=${CARGO_HOME:-$HOME/.cargo}
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
step "cold start: release builds, vendored (offline) and usual"
(cd "$tmp/src" && cargo build --release --locked --offline -q -p contact-batch-cli)
(cd "$repo" && CARGO_HOME="$normal_cargo_home" cargo build --release --locked -q -p contact-batch-cli)
python3 "$repo/benches/gen_contacts.py" --rows 1000 --format ndjson --seed 7 \
    | python3 -c 'import json,sys; json.dump({"contacts":[{k: v for k, v in json.loads(l).items() if k != "region"} for l in sys.stdin]}, sys.stdout)' \
    >"$tmp/request-1000.json"
python3 - "$tmp/src/target/release/contact-batch" "$repo/target/release/contact-batch" "$tmp/request-1000.json" <<'EOF'
import statistics, subprocess, sys, time
vendored, usual, request = sys.argv[1:]
times = {vendored: [], usual: []}
outputs = {}
for _ in range(11):
    for exe in (vendored, usual):
        start = time.perf_counter()
        out = subprocess.run([exe, "respond", "--profile", "rasl-create", request],
                             capture_output=True, check=True).stdout
        times[exe].append(time.perf_counter() - start)
        outputs[exe] = out
med = {exe: statistics.median(t) for exe, t in times.items()}
print(f"respond, 1000 rows, whole process: vendored {med[vendored]*1000:.1f} ms, "
      f"usual {med[usual]*1000:.1f} ms, ratio {med[vendored]/med[usual]:.2f}")
assert outputs[vendored] == outputs[usual], "the two builds answer differently"
assert med[vendored] <= 1.5 * med[usual], "the vendored build starts slower"
EOF
step "done"
