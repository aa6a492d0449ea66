#!/usr/bin/env bash
# Installs the Debian packages built by packaging/deb/build.sh with dpkg -i
# and checks them as a PHP shop without Rust would use them, then removes
# them (CI's "Debian packages" step; needs root):
#   1. first removes what would hide a broken package: the library that
#      deploy-test.sh installed into /usr/local (install.sh --uninstall) and
#      the extension pecl installed into PHP's extension_dir;
#   2. dpkg -i the four packages;
#   3. with a clean environment (env -i, PATH=/usr/bin:/bin, a temporary
#      HOME and working folder: no target/, no cargo, no LD_LIBRARY_PATH):
#      compiles a C program with pkg-config from /usr, checks it loads
#      /usr/lib/<multiarch>/libcontactbatch.so.0.1, runs it; runs
#      /usr/bin/contact-batch; checks `php -m` lists contact_batch (enabled
#      from mods-available by the package) and answers a request;
#   4. runs the php-fpm pool test (bindings/php-ext/fpm/fpm-test.sh) on the
#      packaged extension;
#   5. dpkg -P (purge) the packages, and checks nothing of them is left.
#
#   bash packaging/deb/test.sh [DEB_FOLDER]     # default target/deb
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
debs=${1:-$root/target/deb}
[ "$(id -u)" = 0 ] || { echo "packaging/deb/test.sh: needs root (dpkg -i)" >&2; exit 1; }
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
packages=(libcontactbatch0 libcontactbatch-dev contact-batch php-contact-batch)
work=$(mktemp -d)
remove() { dpkg -P "${packages[@]}" >/dev/null 2>&1 || true; }
trap 'remove; rm -rf "$work"' EXIT

echo "== remove other copies: /usr/local's library, pecl's extension"
PREFIX=/usr/local bash "$root/crates/contact-batch-ffi/install.sh" --uninstall
if command -v pecl >/dev/null; then pecl uninstall contact_batch >/dev/null 2>&1 || true; fi
extdir=$(php-config --extension-dir)
rm -f "$extdir/contact_batch.so"

echo "== dpkg -i"
files=()
for p in "${packages[@]}"; do
  f=$(ls "$debs/${p}"_*.deb)
  files+=("$f")
done
dpkg -i "${files[@]}"

# Everything below runs with this environment only.
clean=(env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8)
cd "$work"

echo "== C program with pkg-config from /usr"
cat >app.c <<'EOF'
#include <stdio.h>
#include <string.h>
#include "contact_batch.h"

int main(void) {
    cbatch_buf err = {0}, out = {0};
    const char *cfg = "{\"profile\": \"rasl-create\", \"default_region\": \"US\"}";
    cbatch_engine *engine = cbatch_engine_new(cfg, strlen(cfg), &err);
    if (!engine) { fprintf(stderr, "%s\n", err.data); cbatch_buf_free(&err); return 1; }
    const char *body = "{\"contacts\": [{\"firstname\": \"Ann\", \"phone\": \"(415) 555-2671\"}]}";
    int rc = cbatch_respond(engine, body, strlen(body), NULL, 0, &out);
    if (rc == CBATCH_OK) printf("%s\n", out.data);
    cbatch_buf_free(&out);
    cbatch_engine_free(engine);
    return rc;
}
EOF
"${clean[@]}" sh -c 'cc -std=c11 -Wall -Werror app.c $(pkg-config --cflags --libs contactbatch) -o app'
loaded=$("${clean[@]}" ldd ./app | awk '/libcontactbatch/ {print $3}')
# (/lib is /usr/lib on a merged-/usr system: compare the real files)
[ "$(readlink -f "$loaded")" = "$(readlink -f "/usr/lib/$multiarch/libcontactbatch.so.0.1")" ] \
  || { echo "the C program loads '$loaded', not the packaged /usr/lib/$multiarch/libcontactbatch.so.0.1" >&2; exit 1; }
out=$("${clean[@]}" ./app)
grep -q '"status":200' <<<"$out" && grep -q '+14155552671' <<<"$out" \
  || { echo "unexpected answer from the C program: $out" >&2; exit 1; }
echo "C: $loaded answers ${out:0:80}..."
"${clean[@]}" sh -c 'cc -std=c11 app.c $(pkg-config --cflags contactbatch) "$(pkg-config --variable=libdir contactbatch)/libcontactbatch.a" -lpthread -ldl -lm -o app-static'
"${clean[@]}" ./app-static >/dev/null

echo "== /usr/bin/contact-batch"
[ "$("${clean[@]}" sh -c 'command -v contact-batch')" = /usr/bin/contact-batch ] \
  || { echo "contact-batch is not /usr/bin/contact-batch" >&2; exit 1; }
"${clean[@]}" contact-batch --version
printf '%s' '{"contacts": [{"firstname": "Ann", "phone": "(415) 555-2671"}]}' >req.json
"${clean[@]}" contact-batch respond --profile rasl-create --default-region US req.json | grep -q '"status":200'

echo "== PHP: the packaged extension, enabled by its ini file"
modules=$("${clean[@]}" php -m)
grep -qx contact_batch <<<"$modules" || { echo "php -m does not list contact_batch" >&2; exit 1; }
"${clean[@]}" php -r '
$e = ContactBatch\Engine::shared(["profile" => "rasl-create", "default_region" => "US"]);
$r = $e->respond("{\"contacts\": [{\"firstname\": \"Ann\", \"phone\": \"(415) 555-2671\"}]}");
if ($r["status"] !== 200) { fwrite(STDERR, json_encode($r)); exit(1); }
echo "PHP ", PHP_VERSION, ": ", (new ReflectionExtension("contact_batch"))->getVersion(), " answers 200\n";'
if ldd "$extdir/contact_batch.so" | grep -q libcontactbatch; then
  echo "the packaged extension depends on libcontactbatch.so (it links the static library)" >&2; exit 1
fi

echo "== php-fpm pool on the packaged extension"
CONTACT_BATCH_LIB="/usr/lib/$multiarch/libcontactbatch.so.0.1" \
  bash "$root/bindings/php-ext/fpm/fpm-test.sh" installed 300

echo "== dpkg -P"
cd /
dpkg -P "${packages[@]}"
phpver=$(php -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')
for f in "/usr/lib/$multiarch/libcontactbatch.so.0.1" /usr/include/contact_batch.h /usr/bin/contact-batch \
         "$extdir/contact_batch.so" "/etc/php/$phpver/mods-available/contact_batch.ini" "/etc/php/$phpver/cli/conf.d/20-contact_batch.ini"; do
  [ ! -e "$f" ] || { echo "$f is left after dpkg -r" >&2; exit 1; }
done
echo "== Debian packages passed"
