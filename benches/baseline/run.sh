#!/usr/bin/env bash
# The external baseline: Google's C++ libphonenumber (Debian's
# libphonenumber-dev) doing only parse -> IsValidNumber -> Format(E164) on the
# phones of 100k generated mixed-country rows, against the whole
# `contact-batch import` (CSV in, NDJSON out, email, dedupe) on the same rows
# with 1 and 2 threads. Whole processes, run alternately, medians.
#
#   bash benches/baseline/run.sh            # 5 runs of each, 100k rows
#   RUNS=9 ROWS=200000 bash benches/baseline/run.sh
#
# Builds into target/baseline/. Needs g++, python3 and libphonenumber-dev
# (installed with apt-get when missing). Timings are only meaningful on an
# otherwise idle machine: the script prints the load average before it starts.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-5}
rows=${ROWS:-100000}
seed=${SEED:-7}
work=target/baseline
mkdir -p "$work"

if [ ! -f /usr/include/phonenumbers/phonenumberutil.h ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends libphonenumber-dev g++
fi

echo "== build"
g++ -O2 -std=c++17 -o "$work/libphonenumber_loop" benches/baseline/libphonenumber_loop.cc \
  -lphonenumber -lprotobuf
cargo build --release -q -p contact-batch-cli
cli=target/release/contact-batch

echo "== data: $rows rows, seed $seed"
csv="$work/contacts-$rows-$seed.csv"
if [ ! -s "$csv" ]; then
  python3 benches/gen_contacts.py --rows "$rows" --format csv --seed "$seed" >"$csv.tmp"
  mv "$csv.tmp" "$csv"
fi

cpp_version=$(dpkg-query -W -f='${Version}' libphonenumber-dev 2>/dev/null || echo unknown)
# The engine parses with its own tables; their metadata release is what
# `contact-batch --version` names.
ours_version=$("$cli" --version | sed -n 's/.*libphonenumber metadata \([0-9.]*\).*/\1/p')

python3 - "$runs" "$csv" "$work" "$cli" "$cpp_version" "$ours_version" <<'EOF'
import csv, json, os, statistics, subprocess, sys, time

runs, path, work, cli, cpp_version, ours_version = sys.argv[1:]
runs = int(runs)

GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None

def run(cmd):
    """Wall time (s), peak RSS (MiB, None without GNU time) and output of one
    whole process. The peak RSS comes from GNU time, not from this Python
    process's wait4: a child forked from Python keeps Python's high-water mark."""
    rss_file = f"{work}/maxrss"
    full = [GNU_TIME, "-f", "%M", "-o", rss_file] + cmd if GNU_TIME else cmd
    with open(f"{work}/stdout", "w+b") as out, open(f"{work}/stderr", "w+b") as err:
        start = time.perf_counter()
        p = subprocess.run(full, stdout=out, stderr=err)
        wall = time.perf_counter() - start
        out.seek(0); err.seek(0)
        o, e = out.read(), err.read()
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}): {e.decode()[-2000:]}")
    rss = None
    if GNU_TIME:
        with open(rss_file) as f:
            rss = int(f.read().split()[-1]) / 1024
    return wall, rss, o, e

def mib(values):
    values = [v for v in values if v is not None]
    return f"{max(values):6.1f} MiB" if values else "   n/a"

with open(path, newline="", encoding="utf-8") as f:
    reader = csv.DictReader(f)
    rows = list(reader)
n = len(rows)
regions = {r.get("region", "") for r in rows if r.get("region")}

cpp = [f"{work}/libphonenumber_loop", path]
def ours(threads, out="/dev/null"):
    return [cli, "import", "--profile", "rasl-create", "--summary", "json", "--threads", str(threads), path, "--out", out]

# One checked run of each first (also warms the page cache): do they agree?
_, _, cpp_out, cpp_err = run(cpp)
cpp_valid = int(cpp_out.split()[0])
checked = f"{work}/import-check.ndjson"
_, _, _, err = run(ours(1, checked))
summary = json.loads(err.decode().strip().splitlines()[-1])
ours_valid = 0
with open(checked, encoding="utf-8") as f:
    for line in f:
        o = json.loads(line)
        if "phone" in o or "phone" not in o.get("errors", {}):
            ours_valid += 1
_, _, _, err2 = run(ours(2, checked + ".2"))
same = open(checked, "rb").read() == open(checked + ".2", "rb").read()

# A 1000-contact rasl-create request from the first rows, for the cold start.
request = f"{work}/request-1000.json"
fields = [c for c in (reader.fieldnames or []) if c != "region"]
with open(request, "w", encoding="utf-8") as f:
    contacts = [{k: r[k] for k in fields if r.get(k)} for r in rows[:1000]]
    json.dump({"contacts": contacts}, f)
cold = [cli, "respond", "--profile", "rasl-create", request]

print(f"machine: {os.cpu_count()} cores, load average before timing "
      f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
print(f"input: {n} rows, {len(regions)} regions in the region column, {os.path.getsize(path)} bytes")
print(f"C++ libphonenumber {cpp_version} (Debian) vs contact-batch's own parse "
      f"(metadata {ours_version}): metadata differ, so valid counts may too")
print(f"valid phones: C++ {cpp_valid}, ours {ours_valid}; our summary {json.dumps(summary)}")
print(f"ours: 1-thread and 2-thread outputs identical: {same}")

times = {"cpp": [], "ours1": [], "ours2": [], "cold": []}
rss = {k: [] for k in times}
for i in range(runs):
    for key, cmd in (("cpp", cpp), ("ours1", ours(1)), ("ours2", ours(2)), ("cold", cold)):
        wall, peak, _, _ = run(cmd)
        times[key].append(wall)
        rss[key].append(peak)

load_after = os.getloadavg()
med = {k: statistics.median(v) for k, v in times.items()}
label = {"cpp": "C++ parse+IsValid+Format loop", "ours1": "contact-batch import, 1 thread",
         "ours2": "contact-batch import, 2 threads", "cold": "contact-batch respond, 1000 rows"}
print(f"\nwhole-process wall time, median of {runs} (alternating runs; load average after "
      f"timing {' '.join(f'{x:.2f}' for x in load_after)}; the runs themselves add about 1)")
for k in ("cpp", "ours1", "ours2"):
    print(f"  {label[k]:34} {med[k]*1000:8.1f} ms  {med[k]*1e6/n:6.2f} us/row  "
          f"peak RSS {mib(rss[k])}   runs: {' '.join(f'{t*1000:.0f}' for t in times[k])}")
k = "cold"
print(f"  {label[k]:34} {med[k]*1000:8.1f} ms  (cold start: process + engine + first batch)  "
      f"peak RSS {mib(rss[k])}")
print(f"  (C++ in-process loop alone, first run: {cpp_err.decode().strip()})")
print("\nratios (C++ time / ours; above 1 means ours is faster):")
print(f"  C++ / ours 1 thread : {med['cpp']/med['ours1']:.2f}x")
print(f"  C++ / ours 2 threads: {med['cpp']/med['ours2']:.2f}x")
print(f"  ours 2 threads vs 1 : {med['ours1']/med['ours2']:.2f}x speedup")

# Each round runs the four commands back to back, so within a round they see
# the same machine; the median of the per-round ratios holds up better than
# the ratio of medians when the machine's speed drifts during the runs.
def paired(a, b):
    return statistics.median(x / y for x, y in zip(times[a], times[b]))
print("\npaired ratios (median over rounds of the ratio within each round):")
print(f"  C++ / ours 1 thread : {paired('cpp', 'ours1'):.2f}x")
print(f"  C++ / ours 2 threads: {paired('cpp', 'ours2'):.2f}x")
print(f"  ours 2 threads vs 1 : {paired('ours1', 'ours2'):.2f}x speedup")
EOF
