#!/usr/bin/env bash
# Tests the FFI class as users install it: composer (Debian's `composer`
# package) installs bindings/php-ffi into a fresh project from a path
# repository, packagist disabled and no network, copying the files (not a
# symlink into the checkout); a script then loads vendor/autoload.php and
# calls respond() and normalizePhone() against the installed C library, from
# the command line and from a php-fpm pool configured as the README says
# (php_admin_value[ffi.enable] = 1; a second pool without it shows the
# error the setting cures).
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

# Under php-fpm: PHP's default ffi.enable=preload refuses FFI in web
# requests; the pool setting the README gives allows it. Two pools of one
# master (bounded by timeout): "ffi" with the setting, "plain" without.
fpm=$(command -v php-fpm || ls /usr/sbin/php-fpm* 2>/dev/null | head -n1 || true)
[ -n "$fpm" ] || { echo "composer-test.sh: php-fpm is not installed (apt-get install php-fpm)" >&2; exit 1; }
cat >"$project/web.php" <<'EOF'
<?php
declare(strict_types=1);
require __DIR__ . '/vendor/autoload.php';
try {
    $engine = new ContactBatch\Ffi\Engine(['profile' => 'rasl-create', 'default_region' => 'US']);
    echo $engine->respondJson(file_get_contents('php://input'), '{"phones": {"+14155552672": "ct_1"}}');
} catch (Throwable $e) {
    http_response_code(500);
    echo get_class($e), ': ', $e->getMessage();
}
EOF
port_ffi=${CONTACT_BATCH_FFI_PORT:-9073}
port_plain=$((port_ffi + 1))
user_line="" root_arg=()
if [ "$(id -u)" = 0 ]; then user_line="user = root"; root_arg=(-R); fi
pool() {
  printf '[%s]\n%s\nlisten = 127.0.0.1:%s\npm = static\npm.max_children = 1\n' "$1" "$user_line" "$2"
  printf 'request_terminate_timeout = 30s\nenv[CONTACT_BATCH_LIB] = %s\n' "$lib"
}
{
  printf '[global]\npid = %s\nerror_log = %s\ndaemonize = no\n\n' "$work/fpm.pid" "$work/fpm.log"
  pool ffi "$port_ffi"
  printf 'php_admin_value[ffi.enable] = 1\n\n'
  pool plain "$port_plain"
} >"$work/fpm.conf"
ffi_arg=()
[ -f "$(php -r 'echo ini_get("extension_dir");')/ffi.so" ] && ffi_arg=(-d extension=ffi)
timeout 120 "$fpm" -n "${ffi_arg[@]}" "${root_arg[@]}" -y "$work/fpm.conf" -F &
fpm_pid=$!
trap 'kill "$fpm_pid" 2>/dev/null || true; wait "$fpm_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
cat >"$work/client.php" <<'EOF'
<?php
require $argv[1];
[, , $port, $script, $want] = $argv;
for ($i = 0; $i < 100; $i++) {
    if ($s = @stream_socket_client("tcp://127.0.0.1:$port")) { fclose($s); break; }
    usleep(100000);
}
$r = fcgi_request('127.0.0.1', (int) $port, $script, '',
    '{"contacts": [{"firstname": "Ann", "phone": "(415) 555-2671"}, {"firstname": "Bo", "phone": "(415) 555-2672"}]}');
echo "composer-test: php-fpm pool on :$port: HTTP {$r['status']} ", substr($r['body'], 0, 160), "\n";
if (!str_contains($r['body'], $want)) {
    fwrite(STDERR, "composer-test: FAILED: expected '$want' in the answer\n");
    exit(1);
}
EOF
fcgi="$root/bindings/php-ext/fpm/fcgi.php"
php "$work/client.php" "$fcgi" "$port_ffi" "$project/web.php" '"created":1' \
  || { cat "$work/fpm.log" >&2; exit 1; }
php "$work/client.php" "$fcgi" "$port_plain" "$project/web.php" 'ffi.enable' \
  || { cat "$work/fpm.log" >&2; exit 1; }
echo "composer-test: ok under php-fpm (the pool needs php_admin_value[ffi.enable] = 1)"
