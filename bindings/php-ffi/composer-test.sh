#!/usr/bin/env bash
# Tests the FFI class as users install it: composer (Debian's `composer`
# package) installs bindings/php-ffi into a fresh project from a path
# repository, packagist disabled and no network, copying the files (not a
# symlink into the checkout); a script then loads vendor/autoload.php and
# calls respond() and normalizePhone() against the installed C library.
#
#   bash bindings/php-ffi/composer-test.sh PREFIX
#
# PREFIX is where crates/contact-batch-ffi/install.sh put the library
# (PREFIX/lib/libcontactbatch.so.0.1 and PREFIX/include/contact_batch_php.h);
# bindings/php-ext/deploy-test.sh runs this right after installing it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
prefix=${1:?usage: composer-test.sh PREFIX}
command -v composer >/dev/null || { echo "composer-test.sh: composer is not installed (apt-get install composer)" >&2; exit 1; }
lib="$prefix/lib/libcontactbatch.so.0.1"
[ -f "$lib" ] || { echo "composer-test.sh: $lib is missing (run install.sh first)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
project="$work/app"
mkdir -p "$project"
# Everything composer keeps (cache, config, auth) stays in the temp folder.
export COMPOSER_HOME="$work/composer-home" COMPOSER_CACHE_DIR="$work/composer-cache"
export COMPOSER_NO_INTERACTION=1 COMPOSER_DISABLE_NETWORK=1 COMPOSER_ALLOW_SUPERUSER=1
# The package's version: a path repository outside a git work tree has none,
# so it is given; `*@dev` below takes it whatever it is.
cat >"$project/composer.json" <<EOF
{
    "name": "example/app",
    "type": "project",
    "repositories": [
        {"type": "path", "url": "$root/bindings/php-ffi",
         "options": {"symlink": false, "versions": {"contact-batch/contact-batch-ffi": "0.1.0"}}},
        {"packagist.org": false}
    ],
    "require": {"contact-batch/contact-batch-ffi": "*@dev"},
    "config": {"platform-check": true}
}
EOF
(cd "$project" && composer install --no-progress --no-ansi 2>&1) >"$work/composer.log" \
  || { cat "$work/composer.log" >&2; exit 1; }
installed="$project/vendor/contact-batch/contact-batch-ffi"
[ -f "$installed/src/Engine.php" ] && [ ! -L "$installed" ] \
  || { echo "composer-test.sh: the package was not copied into vendor/" >&2; cat "$work/composer.log" >&2; exit 1; }

cat >"$project/app.php" <<'EOF'
<?php
declare(strict_types=1);
require __DIR__ . '/vendor/autoload.php';

use ContactBatch\Ffi\Engine;

function check(bool $ok, string $what): void
{
    if (!$ok) {
        fwrite(STDERR, "composer-test: FAILED: $what\n");
        exit(1);
    }
}

[$lib] = array_slice($argv, 1);
// The header is found from the library's path (PREFIX/include).
$engine = new Engine(['profile' => 'rasl-create', 'default_region' => 'US'], $lib);
check(preg_match('/^\d+\.\d+\.\d+$/', $engine->version()) === 1, 'version()');

$r = $engine->respond(['contacts' => [['firstname' => 'Ann', 'phone' => '(415) 555-2671']]]);
check($r['status'] === 200, 'respond() answers 200, got ' . json_encode($r));
$body = json_encode($r['body']);
check(str_contains($body, '+14155552671'), "respond() normalizes the phone: $body");

$p = $engine->normalizePhone('(415) 555-2671');
check($p !== null && $p['e164'] === '+14155552671', 'normalizePhone() uses the default region: ' . json_encode($p));
check($engine->normalizePhone('12') === null, 'normalizePhone() is null for a bad number');
$why = $engine->normalizePhoneResult('12');
check($why['valid'] === false && $why['message'] !== '', 'normalizePhoneResult() says why: ' . json_encode($why));
check($engine->validateEmail('not-an-email') === null, 'validateEmail() is null for a bad address');
echo "composer-test: ok ({$engine->version()}, " . strlen($body) . " bytes of response)\n";
EOF
php -d ffi.enable=1 "$project/app.php" "$lib"
