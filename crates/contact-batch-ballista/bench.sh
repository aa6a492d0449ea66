#!/usr/bin/env bash
# Benchmark (not a test): N generated rows through `contact-batch import`,
# `contact-batch-cluster import --local` and a cluster of one scheduler and
# two executors on 127.0.0.1. Each process runs under /usr/bin/time -v:
# wall time, CPU (user + sys) and peak RSS per process. Checks the three
# outputs are byte-identical. Prints a Markdown table.
#
#   bash crates/contact-batch-ballista/bench.sh 1000000
#
# Needs the release binaries: `cargo build --release -p contact-batch-cli`
# at the repository root and `cargo build --release --locked` here
# (CLUSTER_BIN_DIR=target/debug: the test build's binaries instead).
set -euo pipefail
rows=${1:-1000000}
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${CLUSTER_BIN_DIR:-$here/target/release}"
main="${CONTACT_BATCH_BIN:-$root/target/release/contact-batch}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

python3 "$root/benches/gen_contacts.py" --rows "$rows" --format csv --seed 1 > "$work/in.csv"
# wall s, cpu s, peak RSS MB of one /usr/bin/time -v log
stats() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + t[i] }
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
    END { printf "%.2f | %.2f | %.0f", w, u + s, r / 1024 }' "$1"
}
echo "| run | process | wall s | CPU s | peak RSS MB |"
echo "|---|---|---:|---:|---:|"

/usr/bin/time -v -o "$work/t-import" "$main" import --profile rasl-create --summary json \
  --out "$work/import.ndjson" "$work/in.csv" 2>/dev/null
echo "| contact-batch import (2 threads) | contact-batch | $(stats "$work/t-import") |"

/usr/bin/time -v -o "$work/t-local" "$bin/contact-batch-cluster" import --local --profile rasl-create \
  --out "$work/local.ndjson" "$work/in.csv" 2>/dev/null
echo "| contact-batch-cluster --local | contact-batch-cluster | $(stats "$work/t-local") |"
cmp "$work/import.ndjson" "$work/local.ndjson"

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sp=$(port)
/usr/bin/time -v -o "$work/t-scheduler" "$bin/contact-batch-scheduler" --bind-host 127.0.0.1 \
  --external-host 127.0.0.1 --bind-port "$sp" >/dev/null 2>&1 &
pids+=($!)
sleep 1
for i in 1 2; do
  mkdir -p "$work/e$i"
  /usr/bin/time -v -o "$work/t-executor$i" "$bin/contact-batch-executor" --scheduler-host 127.0.0.1 \
    --scheduler-port "$sp" --bind-host 127.0.0.1 --external-host 127.0.0.1 --bind-port "$(port)" \
    --bind-grpc-port "$(port)" --bind-health-port "$(port)" --vcores 1 --work-dir "$work/e$i" >/dev/null 2>&1 &
  pids+=($!)
done
sleep 3
timeout 1800 /usr/bin/time -v -o "$work/t-client" "$bin/contact-batch-cluster" import \
  --scheduler "df://127.0.0.1:$sp" --profile rasl-create --out "$work/cluster.ndjson" "$work/in.csv" 2>/dev/null
cmp "$work/import.ndjson" "$work/cluster.ndjson"
# The executors and the scheduler report when they stop (SIGTERM, then
# their time -v log is written by the time wrapper).
for p in "${pids[@]}"; do pkill -TERM -P "$p" 2>/dev/null || true; done
sleep 2
echo "| 2-executor cluster | contact-batch-cluster (client) | $(stats "$work/t-client") |"
for f in scheduler executor1 executor2; do
  [ -s "$work/t-$f" ] && echo "| 2-executor cluster | contact-batch-$f | $(stats "$work/t-$f") |"
done
echo
echo "outputs byte-identical: yes ($rows rows, $(wc -c < "$work/in.csv") bytes of CSV)"
