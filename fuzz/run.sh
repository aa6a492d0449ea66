#!/usr/bin/env bash
# Builds every fuzz target and runs each for a bounded time.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS (default 10) is the time per target; TARGETs default to all of
# them (`cargo fuzz list`). On the stable toolchain the targets run without
# a sanitizer (`-s none`); with FUZZ_ASAN=1 and a nightly toolchain
# installed they run under AddressSanitizer (`cargo +nightly fuzz run`).
# FUZZ_ARGS adds libFuzzer options (e.g. FUZZ_ARGS="-jobs=2 -workers=2").
# FUZZ_SEED=N fixes libFuzzer's random seed, so a run explores the same
# inputs in the same order on every machine (CI sets it: a gate must not
# pass or fail by luck; campaigns to find new bugs leave it unset).
# Prints the executions of each target and exits non-zero if any target
# crashed (the reproducer is left in fuzz/artifacts/TARGET/).
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:-10}
shift || true
case $seconds in
  '' | *[!0-9]*) echo "usage: fuzz/run.sh [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi

toolchain=()
sanitizer=(-s none)
if [ "${FUZZ_ASAN:-0}" = 1 ]; then
  if rustup toolchain list 2>/dev/null | grep '^nightly' >/dev/null; then
    toolchain=(+nightly)
    sanitizer=()
    echo "fuzzing with AddressSanitizer on nightly" >&2
  else
    echo "FUZZ_ASAN=1 but no nightly toolchain: fuzzing without a sanitizer" >&2
  fi
fi

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo "${toolchain[@]}" fuzz list)
fi

cargo "${toolchain[@]}" fuzz build "${sanitizer[@]}"

# Request-shaped targets need room for a batch of 64+ rows (the parallel
# path); the single-value targets are best kept short.
max_len() {
  case $1 in
    phone | email) echo 4096 ;;
    *) echo 16384 ;;
  esac
}

failed=()
report=()
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
for t in "${targets[@]}"; do
  echo "=== $t (${seconds}s)" >&2
  mkdir -p "corpus/$t"
  log="$logs/$t.log"
  # shellcheck disable=SC2086 # FUZZ_ARGS is a list of options
  if cargo "${toolchain[@]}" fuzz run "${sanitizer[@]}" "$t" -- \
      -max_total_time="$seconds" -max_len="$(max_len "$t")" \
      -print_final_stats=1 ${FUZZ_SEED:+-seed="$FUZZ_SEED"} ${FUZZ_ARGS:-} >"$log" 2>&1; then
    status=ok
  else
    status=CRASH
    failed+=("$t")
    grep -a -E -A12 'panicked at|ERROR: (libFuzzer|AddressSanitizer)' "$log" | head -40 >&2 || true
    grep -a -E 'Test unit written to' "$log" >&2 || true
  fi
  runs=$(grep -a -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  report+=("$(printf '%-22s %-6s %12s executions' "$t" "$status" "${runs:-?}")")
done

echo
printf '%s\n' "${report[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "crashed: ${failed[*]}" >&2
  exit 1
fi
