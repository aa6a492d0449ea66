#!/usr/bin/env bash
# The contract suite: every fixed outside surface of the project (SPEC §5)
# driven exactly as a script outside the project drives it, so that no
# change breaks one silently (issue 28). It runs the release build:
#
#   - the command line (tests/contract/cli.py): `respond` and `import`
#     flags, exit codes 0 and 2, the stdout JSON shapes, the JSON summary as
#     the last stderr line in every mode, `--threads` output identity,
#     `--out`, `--rejects`, every input format, a closed stdout, SIGTERM,
#     and the peak memory of `respond` on 1 GB of stdin;
#   - the C library (tests/contract/link.c), linked with -lcontactbatch
#     from the build folder (-L target/release, LD_LIBRARY_PATH) and from an
#     install into a temporary prefix (install.sh, pkg-config);
#   - the PHP extension (ContactBatch\Engine, ContactBatch\ functions) and
#     the composer FFI class ContactBatch\Ffi\Engine, over the built and
#     the installed library (tests/contract/php.php);
#   - `contact-batch-cluster`'s usage, when the scale-out step (.ci/run
#     runs it first) has built it: the suite does not build DataFusion.
#
#   bash scripts/contract.sh
#
# Needs cargo, python3, a C compiler, pkg-config, readelf, PHP with FFI and
# php-dev (phpize). A missing tool skips its part with a note, unless
# CONTACT_BATCH_REQUIRE_ALL=1 (CI) makes it a failure. Exits non-zero when
# any check failed, after running them all.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
require_all=${CONTACT_BATCH_REQUIRE_ALL:-0}
failed=()
fail() { echo "FAIL - $*" >&2; failed+=("$*"); }
pass() { echo "ok - $*"; }
have() {
  if command -v "$1" >/dev/null 2>&1; then return 0; fi
  if [ "$require_all" = 1 ]; then fail "$1 is required for $2"; return 1; fi
  echo "note: $1 not found; skipping $2" >&2
  return 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== build (release: the command line and the C library)"
# The package set of run-examples.sh and the PHP extension's build.sh: one
# feature set, so nothing is built twice.
cargo build --release --locked -p contact-batch-ffi -p contact-batch-cli
release="$root/target/release"

echo "== command line"
if have python3 "the command-line contract"; then
  python3 tests/contract/cli.py "$release/contact-batch" || fail "the command-line contract (see above)"
fi

# Where the loader finds libcontactbatch for a program: the path `ldd` prints.
resolved() { LD_LIBRARY_PATH="$2" ldd "$1" | sed -n 's/.*libcontactbatch[^ ]* => \([^ ]*\) .*/\1/p'; }

echo "== C library from the build folder"
if have cc "the C contract"; then
  if cc -std=c11 -Wall -Wextra -Werror -pedantic -I include -o "$work/c-build" \
       tests/contract/link.c -L "$release" -lcontactbatch; then
    pass "cc link.c -L target/release -lcontactbatch links"
    if out=$(LD_LIBRARY_PATH="$release" "$work/c-build") && [ "$out" = ok ]; then
      pass "it runs with LD_LIBRARY_PATH=target/release"
    else
      fail "the C program linked from target/release does not run (SONAME link missing?)"
    fi
    where=$(resolved "$work/c-build" "$release")
    case "$where" in
      "$release"/*) pass "the loader takes the library from target/release ($where)" ;;
      *) fail "the loader takes libcontactbatch from '$where', not target/release" ;;
    esac
  else
    fail "cc link.c -L target/release -lcontactbatch does not link"
  fi
fi

echo "== C library from an install (install.sh into a temporary prefix, pkg-config)"
prefix="$work/prefix"
if PREFIX="$prefix" CONTACT_BATCH_NO_BUILD=1 bash crates/contact-batch-ffi/install.sh >"$work/install.log" 2>&1; then
  pass "install.sh installs into PREFIX"
  if command -v readelf >/dev/null; then
    soname=$(readelf -d "$prefix/lib/libcontactbatch.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
    [ "$soname" = libcontactbatch.so.0.1 ] && pass "the installed library's SONAME is $soname" \
      || fail "the installed library's SONAME is '$soname', not libcontactbatch.so.0.1"
  fi
  if have cc "the installed C contract" && have pkg-config "the installed C contract"; then
    pc() { PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config "$@" contactbatch; }
    # shellcheck disable=SC2046
    if cc -std=c11 -Wall -Wextra -Werror -pedantic -o "$work/c-installed" tests/contract/link.c \
         $(pc --cflags) $(pc --libs); then
      if out=$(LD_LIBRARY_PATH="$prefix/lib" "$work/c-installed") && [ "$out" = ok ]; then
        pass "a C program built with pkg-config against the install runs"
      else
        fail "the C program built against the install does not run"
      fi
      where=$(resolved "$work/c-installed" "$prefix/lib")
      [ "$where" = "$prefix/lib/libcontactbatch.so.0.1" ] \
        && pass "it loads the installed SONAME ($where)" \
        || fail "it loads '$where', not \$PREFIX/lib/libcontactbatch.so.0.1"
    else
      fail "a C program does not build with pkg-config against the install"
    fi
  fi
else
  cat "$work/install.log" >&2
  fail "install.sh into a temporary prefix"
fi

echo "== PHP: the composer FFI class ContactBatch\\Ffi\\Engine"
if have php "the PHP contracts"; then
  if ! php -m | grep -ix ffi >/dev/null; then
    [ "$require_all" = 1 ] && fail "PHP has no FFI extension" || echo "note: PHP has no FFI; skipping the FFI class" >&2
  else
    php -d ffi.enable=1 tests/contract/php.php ffi "$release/libcontactbatch.so" \
      && pass "ContactBatch\\Ffi\\Engine over target/release" || fail "ContactBatch\\Ffi\\Engine over target/release"
    if [ -f "$prefix/lib/libcontactbatch.so.0.1" ]; then
      php -d ffi.enable=1 tests/contract/php.php ffi "$prefix/lib/libcontactbatch.so.0.1" \
        && pass "ContactBatch\\Ffi\\Engine over the installed library" \
        || fail "ContactBatch\\Ffi\\Engine over the installed library"
    fi
  fi
  echo "== PHP: the extension ContactBatch\\Engine"
  if have phpize "the PHP extension's contract"; then
    if bash bindings/php-ext/build.sh >"$work/ext.log" 2>&1; then
      php -n -d extension="$root/target/php-ext/modules/contact_batch.so" tests/contract/php.php ext \
        && pass "the extension's ContactBatch\\Engine and functions" || fail "the extension's contract"
    else
      cat "$work/ext.log" >&2
      fail "the PHP extension does not build"
    fi
  fi
fi

echo "== contact-batch-cluster usage"
cluster="${CARGO_TARGET_DIR:-$root/crates/contact-batch-ballista/target}/debug/contact-batch-cluster"
if [ -x "$cluster" ]; then
  help=$("$cluster" import --help 2>&1 || true)
  missing=()
  for flag in --scheduler --local --profile --default-region --existing --out --out-format ndjson parquet INPUT; do
    grep -q -- "$flag" <<<"$help" || missing+=("$flag")
  done
  [ ${#missing[@]} -eq 0 ] && pass "contact-batch-cluster import --help names every SPEC §5.5 flag" \
    || fail "contact-batch-cluster import --help lacks: ${missing[*]}"
  set +e; "$cluster" import >/dev/null 2>&1; code=$?; set -e
  [ "$code" = 2 ] && pass "contact-batch-cluster import without INPUT: exit 2" \
    || fail "contact-batch-cluster import without INPUT exits $code, not 2"
else
  echo "note: $cluster is not built; its usage is checked when the scale-out step has built it (.ci/run runs that step first)" >&2
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "contract: ${#failed[@]} part(s) failed:" >&2
  printf '  - %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "contract: every surface holds"
