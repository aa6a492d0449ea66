#!/usr/bin/env bash
# The deployment test: a php-fpm pool (2 static workers on 127.0.0.1, its own
# port, bounded in time; see fpm-run.sh) serving app.php with the extension,
# and check.php's loopback client sending a few hundred requests.
#   bash bindings/php-ext/fpm/fpm-test.sh [EXTENSION] [REQUESTS]
# EXTENSION: a contact_batch.so, or "installed" (default: the one PHP's
# extension_dir holds, as pecl installs it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=${CONTACT_BATCH_FPM_PORT:-9071}
bash "$here/fpm-run.sh" "$port" "${1:-installed}" php "$here/check.php" "$port" "$here/app.php" "${2:-300}"
