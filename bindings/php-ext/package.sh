#!/usr/bin/env bash
# Builds the PECL tarball in a build folder, never in the checkout: copies
# package.xml and the files it lists into OUT (default target/pecl), sets
# the release date to today (pecl warns about any other date), runs `pecl
# package` there and prints the tarball's path.
#
#   bash bindings/php-ext/package.sh [OUT]
#
# Needs pecl (Debian: php-pear, php-xml).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/target/pecl}
command -v pecl >/dev/null || { echo "package.sh: pecl not found (apt-get install php-pear php-xml)" >&2; exit 1; }
stage="$out/src"
rm -rf "$stage" && mkdir -p "$stage"
today=$(date -u +%Y-%m-%d)
sed "s|<date>[0-9-]*</date>|<date>$today</date>|" "$here/package.xml" >"$stage/package.xml"
# The files package.xml lists (role src/test/doc), from the checkout.
grep -o 'name="[^"]*\.\(c\|h\|m4\|php\|phpt\)"' "$here/package.xml" | sed 's/name="\(.*\)"/\1/' \
  | while read -r f; do
      src=$(cd "$here" && find . -path "*/$f" -o -name "$f" | head -n1)
      [ -n "$src" ] || { echo "package.sh: $f (listed in package.xml) is missing" >&2; exit 1; }
      install -D -m 0644 "$here/$src" "$stage/$src"
    done
log="$out/pecl-package.log"
(cd "$out" && pecl package "$stage/package.xml") >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
if grep -qi 'warning' "$log"; then cat "$log" >&2; echo "package.sh: pecl package warned" >&2; exit 1; fi
tgz="$out/$(sed -n 's/^Package \(.*\.tgz\) done$/\1/p' "$log")"
[ -f "$tgz" ] || { cat "$log" >&2; echo "package.sh: no tarball" >&2; exit 1; }
echo "$tgz"
