#!/usr/bin/env bash
# The php-fpm benchmark (bench.php) against a pool of 2 static workers.
#   bash bindings/php-ext/fpm/fpm-bench.sh [EXTENSION] [ROUNDS]
# EXTENSION: contact_batch.so (default target/php-ext/modules/contact_batch.so,
# built by bindings/php-ext/build.sh) or "installed". The FFI mode loads
# target/release/libcontactbatch.so.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
ext=${1:-$root/target/php-ext/modules/contact_batch.so}
export CONTACT_BATCH_LIB=${CONTACT_BATCH_LIB:-$root/target/release/libcontactbatch.so}
export CONTACT_BATCH_HEADER=${CONTACT_BATCH_HEADER:-$root/include/contact_batch_php.h}
CONTACT_BATCH_FPM_TIMEOUT=${CONTACT_BATCH_FPM_TIMEOUT:-900} \
  bash "$here/fpm-run.sh" "${CONTACT_BATCH_FPM_PORT:-9072}" "$ext" php "$here/bench.php" "${CONTACT_BATCH_FPM_PORT:-9072}" "$here/app.php" "${2:-1}"
