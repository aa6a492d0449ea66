#!/usr/bin/env bash
# Tests a C library installed under a prefix the dynamic loader does not
# search (PREFIX=/opt/cb): a program built with `pkg-config --cflags --libs
# contactbatch` from that prefix runs with a clean environment (no
# LD_LIBRARY_PATH, no root) and loads that prefix's copy, never another
# one (from /usr/local, which CI's deploy step installs first).
#
#   bash crates/contact-batch-ffi/prefix-test.sh PREFIX
#
# Installs what target/release holds (CONTACT_BATCH_NO_BUILD=1) into PREFIX,
# then removes it. Needs cc, pkg-config, readelf and ldd.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
prefix=${1:?usage: prefix-test.sh PREFIX}
work=$(mktemp -d)
cleanup() {
  PREFIX="$prefix" bash "$root/crates/contact-batch-ffi/install.sh" --uninstall >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

PREFIX="$prefix" CONTACT_BATCH_NO_BUILD=1 bash "$root/crates/contact-batch-ffi/install.sh"
pc="$prefix/lib/pkgconfig"
grep -q -- "-Wl,-rpath,\${libdir}" "$pc/contactbatch.pc" \
  || { echo "prefix-test: $pc/contactbatch.pc has no rpath in Libs" >&2; cat "$pc/contactbatch.pc" >&2; exit 1; }

cat >"$work/app.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include "contact_batch.h"

int main(void) {
    cbatch_buf err = {0}, out = {0};
    const char *cfg = "{\"profile\": \"rasl-create\", \"default_region\": \"US\"}";
    cbatch_engine *engine = cbatch_engine_new(cfg, strlen(cfg), &err);
    if (!engine) { fprintf(stderr, "%s\n", err.data); cbatch_buf_free(&err); return 1; }
    const char *raw = "(415) 555-2671";
    int rc = cbatch_normalize_phone(engine, raw, strlen(raw), NULL, 0, &out);
    if (rc != CBATCH_OK) { fprintf(stderr, "%s\n", cbatch_result_name(rc)); return 1; }
    printf("%s %s\n", cbatch_version(), out.data);
    cbatch_buf_free(&out);
    cbatch_engine_free(engine);
    return 0;
}
EOF
# Only the prefix's pkg-config file is visible, as for a user who sets
# PKG_CONFIG_PATH=/opt/cb/lib/pkgconfig.
flags=$(PKG_CONFIG_PATH="$pc" PKG_CONFIG_LIBDIR="$pc" pkg-config --cflags --libs contactbatch)
cc -std=c11 -Wall -Werror "$work/app.c" $flags -o "$work/app"

runpath=$(readelf -d "$work/app" | sed -n 's/.*(\(RUNPATH\|RPATH\)).*\[\(.*\)\]/\2/p')
[ "$runpath" = "$prefix/lib" ] || { echo "prefix-test: the program's RUNPATH is '$runpath', expected $prefix/lib" >&2; exit 1; }
loaded=$(env -i PATH=/usr/bin:/bin ldd "$work/app" | awk '/libcontactbatch/ {print $3}')
[ "$(readlink -f "$loaded")" = "$(readlink -f "$prefix/lib/libcontactbatch.so.0.1")" ] \
  || { echo "prefix-test: the program loads '$loaded', not $prefix/lib/libcontactbatch.so.0.1" >&2; exit 1; }
out=$(env -i PATH=/usr/bin:/bin "$work/app")
case "$out" in
  *'"e164":"+14155552671"'*) ;;
  *) echo "prefix-test: unexpected output: $out" >&2; exit 1 ;;
esac
echo "prefix-test: a pkg-config build under $prefix loads $loaded ($out)"
