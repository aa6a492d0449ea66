#!/usr/bin/env bash
# Builds the contact_batch PHP extension out of tree (in target/php-ext) and,
# with `test`, runs its .phpt tests with PHP's own run-tests.php.
#   bash bindings/php-ext/build.sh          # build target/php-ext/modules/contact_batch.so
#   bash bindings/php-ext/build.sh test     # build, then make test
# Needs php-dev (phpize, php-config) and a C compiler; builds the static
# library with cargo first.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
src="$root/bindings/php-ext"
build="$root/target/php-ext"
cargo build --release -p contact-batch-ffi -p contact-batch-cli --manifest-path "$root/Cargo.toml"
mkdir -p "$build"
cp "$src/config.m4" "$src/contact_batch.c" "$src/contact_batch_arginfo.h" "$build/"
rm -rf "$build/tests" && cp -r "$src/tests" "$build/tests"
cd "$build"
if [ ! -f Makefile ] || [ "$src/config.m4" -nt Makefile ]; then
  phpize >/dev/null
  ./configure --with-contact-batch="$root" >/dev/null
fi
# The static library is an input the Makefile does not know about.
[ modules/contact_batch.so -nt "$root/target/release/libcontactbatch.a" ] || rm -f modules/contact_batch.so contact_batch.lo
make -s >/dev/null
echo "built $build/modules/contact_batch.so"
if [ "${1:-}" = test ]; then
  # php -m lists the extension once enabled.
  # (captured first: grep -q would close the pipe under php and fail it)
  modules=$(php -n -d extension="$build/modules/contact_batch.so" -m)
  grep -qx contact_batch <<<"$modules" || { echo "php -m does not list contact_batch" >&2; exit 1; }
  # 007-same-as-cli.phpt compares answers with the release command line.
  export CONTACT_BATCH_ROOT="$root"
  NO_INTERACTION=1 REPORT_EXIT_STATUS=1 TEST_PHP_ARGS="-q --show-diff" make test
fi
