#!/usr/bin/env bash
# Regenerates contact_batch_arginfo.h from contact_batch.stub.php with PHP's
# own gen_stub.php (php-dev's build/gen_stub.php; it needs PHP-Parser 4.x,
# taken from Debian's php-parser package, /usr/share/php/PhpParser).
#   bash bindings/php-ext/gen-arginfo.sh           # rewrite the committed file
#   bash bindings/php-ext/gen-arginfo.sh --check   # fail when it is stale
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gen=$(ls /usr/lib/php/*/build/gen_stub.php 2>/dev/null | head -n1 || true)
[ -n "$gen" ] || { echo "gen_stub.php not found (apt-get install php-dev)" >&2; exit 1; }
parser=${PHP_PARSER_DIR:-/usr/share/php/PhpParser}
[ -d "$parser" ] || { echo "PHP-Parser not found at $parser (apt-get install php-parser)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$gen" "$tmp/gen_stub.php"
# gen_stub.php loads PHP-Parser from PHP-Parser-<version>/lib next to itself.
version=$(sed -n 's/.*\$version = "\([0-9.]*\)";.*/\1/p' "$gen" | head -n1)
mkdir -p "$tmp/PHP-Parser-$version/lib"
ln -s "$parser" "$tmp/PHP-Parser-$version/lib/PhpParser"
cp "$here/contact_batch.stub.php" "$tmp/"
php "$tmp/gen_stub.php" -f "$tmp/contact_batch.stub.php" || { echo "gen_stub.php failed" >&2; exit 1; }
# The generated file names the stub by its path: keep it the committed one.
sed -i "s|$tmp/||" "$tmp/contact_batch_arginfo.h"
if [ "${1:-}" = --check ]; then
  diff -u "$here/contact_batch_arginfo.h" "$tmp/contact_batch_arginfo.h"
else
  cp "$tmp/contact_batch_arginfo.h" "$here/contact_batch_arginfo.h"
fi
