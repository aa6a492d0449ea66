#!/usr/bin/env bash
# Starts a php-fpm pool on 127.0.0.1:PORT serving bindings/php-ext/fpm/app.php,
# runs a command against it, then stops the pool; the whole run is bounded by
# CONTACT_BATCH_FPM_TIMEOUT seconds (default 300) and the pool stops by
# itself even if this script is killed (php-fpm runs under `timeout`).
#
#   fpm-run.sh PORT EXTENSION COMMAND...
# EXTENSION: the contact_batch.so to load, or "installed" for the one in
# PHP's extension_dir (pecl install). The pool: pm=static, 2 workers,
# request_terminate_timeout=30s, no php.ini (-n) but the extension, FFI
# (ffi.enable=1, for the FFI package) and the ini settings of CONTACT_BATCH_INI
# (e.g. "contact_batch.warm_regions=US,GB").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=$1 ext=$2
shift 2
fpm=$(command -v php-fpm || ls /usr/sbin/php-fpm* 2>/dev/null | head -n1 || true)
[ -n "$fpm" ] || { echo "php-fpm not found (apt-get install php-fpm)" >&2; exit 1; }
limit=${CONTACT_BATCH_FPM_TIMEOUT:-300}
tmp=$(mktemp -d)
trap 'kill "$fpm_pid" 2>/dev/null || true; wait "$fpm_pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
[ "$ext" = installed ] && ext=contact_batch
extdir=$(php -r 'echo ini_get("extension_dir");')
# As root (CI), php-fpm wants a user for its workers and -R to keep root.
user_line="" root_arg=()
if [ "$(id -u)" = 0 ]; then user_line="user = root"; root_arg=(-R); fi
cat > "$tmp/fpm.conf" <<CONF
[global]
pid = $tmp/fpm.pid
error_log = $tmp/fpm.log
daemonize = no
log_level = notice

[cb]
$user_line
listen = 127.0.0.1:$port
listen.allowed_clients = 127.0.0.1
pm = static
pm.max_children = 2
request_terminate_timeout = 30s
catch_workers_output = yes
clear_env = no
php_admin_value[display_errors] = 0
php_admin_value[log_errors] = 1
php_admin_value[post_max_size] = 64M
php_admin_value[memory_limit] = 256M
php_admin_value[ffi.enable] = 1
CONF
extra=()
for kv in ${CONTACT_BATCH_INI:-}; do extra+=(-d "$kv"); done
# -n: no php.ini; the modules the app needs come by -d (ffi) or are built in.
ffi_arg=()
[ -f "$extdir/ffi.so" ] && ffi_arg=(-d extension=ffi)
# The workers inherit the environment (clear_env = no): the FFI package's path.
export CONTACT_BATCH_FFI_SRC=${CONTACT_BATCH_FFI_SRC:-$here/../../php-ffi/src}
timeout "$limit" "$fpm" -n -d extension="$ext" "${ffi_arg[@]}" "${extra[@]}" "${root_arg[@]}" -y "$tmp/fpm.conf" -F &
fpm_pid=$!
for _ in $(seq 1 100); do
  if php -r '$s=@stream_socket_client("tcp://127.0.0.1:'"$port"'"); exit($s ? 0 : 1);' 2>/dev/null; then break; fi
  kill -0 "$fpm_pid" 2>/dev/null || { cat "$tmp/fpm.log" >&2; echo "php-fpm did not start" >&2; exit 1; }
  sleep 0.1
done
status=0
timeout "$limit" "$@" || status=$?
# A worker that died (a signal, a crash) is logged by the master.
if grep -E "exited on signal|exited with code|SIGSEGV|SIGABRT" "$tmp/fpm.log" >&2; then
  echo "a php-fpm worker died" >&2
  status=1
fi
exit $status
