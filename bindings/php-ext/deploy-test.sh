#!/usr/bin/env bash
# Tests the artifacts as users deploy them (CI's "installed artifacts" step;
# needs root for the system prefix, or PREFIX=somewhere writable):
#   1. installs the C library with install.sh into PREFIX (default /usr/local)
#      and builds the C example against it with pkg-config only; installs it
#      again under another prefix and checks that a pkg-config build there
#      loads that copy (crates/contact-batch-ffi/prefix-test.sh);
#   2. checks the generated arginfo is fresh (gen_stub.php);
#   3. builds the PECL package (package.sh) and installs the extension from
#      the tarball (pecl install, configured with --with-contact-batch=PREFIX);
#   4. runs the tarball's .phpt suite against the installed extension;
#   5. runs the php-fpm pool test (fpm/fpm-test.sh) on the installed extension;
#   6. installs the FFI class with composer into a fresh project (path
#      repository, packagist off) and calls it on the installed library
#      (bindings/php-ffi/composer-test.sh).
# Uses target/release as built by scripts/test.sh (cargo build --release).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/bindings/php-ext"
PREFIX=${PREFIX:-/usr/local}
work="$root/target/deploy"
rm -rf "$work" && mkdir -p "$work"

echo "== install the C library into $PREFIX"
cargo build --release -p contact-batch-ffi -p contact-batch-cli --manifest-path "$root/Cargo.toml"
PREFIX="$PREFIX" CONTACT_BATCH_NO_BUILD=1 bash "$root/crates/contact-batch-ffi/install.sh"
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
echo "pkg-config: $(pkg-config --modversion contactbatch) $(pkg-config --cflags --libs contactbatch)"

echo "== a second install under another prefix loads its own copy (rpath from pkg-config), not $PREFIX's"
bash "$root/crates/contact-batch-ffi/prefix-test.sh" "$work/opt-cb"

echo "== C example against the installed library (pkg-config)"
make -C "$root/examples/c" --no-print-directory PREFIX="$PREFIX" clean example_shared
"$root/examples/c/example_shared"
make -C "$root/examples/c" --no-print-directory clean

echo "== arginfo is fresh"
bash "$here/gen-arginfo.sh" --check

echo "== PECL package (package.sh: in a build folder, dated today, no warning)"
tgz=$(bash "$here/package.sh" "$work/pecl")
echo "built $tgz"
if ls "$root"/*.tgz "$here"/*.tgz >/dev/null 2>&1; then
  echo "a tarball was left in the checkout" >&2; exit 1
fi

echo "== pecl install from the package"
pecl uninstall contact_batch >/dev/null 2>&1 || true
pecl install --configureoptions "with-contact-batch=\"$PREFIX\"" "$tgz" > "$work/pecl-install.log" 2>&1 \
  || { tail -n 40 "$work/pecl-install.log" >&2; exit 1; }
extdir=$(php-config --extension-dir)
[ -f "$extdir/contact_batch.so" ] || { echo "pecl did not install $extdir/contact_batch.so" >&2; exit 1; }
modules=$(php -n -d extension=contact_batch -m)
grep -qx contact_batch <<<"$modules" || { echo "php -m does not list the installed contact_batch" >&2; exit 1; }
# Linked statically: the installed extension needs no libcontactbatch.so.
if ldd "$extdir/contact_batch.so" | grep -q libcontactbatch; then
  echo "the installed extension depends on libcontactbatch.so" >&2; exit 1
fi

echo "== the package's .phpt suite on the installed extension"
tar -xzf "$tgz" -C "$work"
src=$(ls -d "$work"/contact_batch-*/)
run_tests=$(ls /usr/lib/php/*/build/run-tests.php 2>/dev/null | head -n1 || true)
[ -n "$run_tests" ] || run_tests="$(php-config --prefix)/lib/php/build/run-tests.php"
export CONTACT_BATCH_ROOT="$root"
NO_INTERACTION=1 REPORT_EXIT_STATUS=1 TEST_PHP_EXECUTABLE=$(command -v php) \
  php "$run_tests" -q --show-diff -n -d extension=contact_batch "$src/tests"

echo "== php-fpm pool on the installed extension"
CONTACT_BATCH_LIB="$PREFIX/lib/libcontactbatch.so.0.1" bash "$here/fpm/fpm-test.sh" installed 300
echo "== the FFI class installed with composer, on the installed library"
bash "$root/bindings/php-ffi/composer-test.sh" "$PREFIX"
echo "== deployed artifacts passed"
