#!/usr/bin/env bash
# Installs libcontactbatch as a system library: the shared library with its
# SONAME and version links, the static archive, the headers and a pkg-config
# file, laid out as cargo-c's `cargo cinstall` lays them out.
#
#   bash crates/contact-batch-ffi/install.sh                 # into /usr/local
#   PREFIX=/usr bash crates/contact-batch-ffi/install.sh
#   DESTDIR=/tmp/stage PREFIX=/usr bash crates/contact-batch-ffi/install.sh   # packaging
#
#   PREFIX=/opt/cb bash crates/contact-batch-ffi/install.sh   # another prefix
#   PREFIX=/opt/cb bash crates/contact-batch-ffi/install.sh --uninstall
#
# Variables: PREFIX (/usr/local), LIBDIR ($PREFIX/lib), INCLUDEDIR
# ($PREFIX/include), DESTDIR (staging root, empty), CONTACT_BATCH_NO_BUILD=1
# (install what target/release already holds instead of running cargo),
# RPATH=auto|yes|no (auto: yes unless LIBDIR is a folder the dynamic loader
# searches by itself, /usr/lib, /lib and their multiarch folders).
#
# A library under another prefix (/opt/cb) loads without LD_LIBRARY_PATH or
# root: the pkg-config file's Libs carry `-Wl,-rpath,LIBDIR`, so a program
# built with `pkg-config --libs contactbatch` finds this copy first (its
# RUNPATH comes before ld.so.cache), never another one from /usr/local.
# Programs not built that way (PHP's FFI) take the library's path
# (CONTACT_BATCH_LIB), or the folder is registered once, as root:
#   echo /opt/cb/lib > /etc/ld.so.conf.d/contactbatch.conf && ldconfig
#
# Installs (for version X.Y.Z, X = 0):
#   $LIBDIR/libcontactbatch.so.X.Y.Z, libcontactbatch.so.X.Y -> it (the SONAME),
#   libcontactbatch.so -> it (for -lcontactbatch), libcontactbatch.a,
#   $LIBDIR/pkgconfig/contactbatch.pc,
#   $INCLUDEDIR/contact_batch.h and contact_batch_php.h (PHP FFI's header).
# Debug info is stripped from both libraries (symbols stay).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
PREFIX=${PREFIX:-/usr/local}
LIBDIR=${LIBDIR:-$PREFIX/lib}
INCLUDEDIR=${INCLUDEDIR:-$PREFIX/include}
DESTDIR=${DESTDIR:-}
target=${CARGO_TARGET_DIR:-$root/target}/release
RPATH=${RPATH:-auto}
lib="$DESTDIR$LIBDIR"
inc="$DESTDIR$INCLUDEDIR"

if [ "${1:-}" = --uninstall ]; then
  rm -f "$lib"/libcontactbatch.so "$lib"/libcontactbatch.so.* "$lib/libcontactbatch.a" \
        "$lib/pkgconfig/contactbatch.pc" "$inc/contact_batch.h" "$inc/contact_batch_php.h"
  if [ -z "$DESTDIR" ] && [ "$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then ldconfig; fi
  echo "removed libcontactbatch from $DESTDIR$PREFIX"
  exit 0
fi

if [ "${CONTACT_BATCH_NO_BUILD:-0}" != 1 ]; then
  cargo build --release -p contact-batch-ffi --manifest-path "$root/Cargo.toml"
fi

header="$root/include/contact_batch.h"
version=$(sed -n 's/^#define CBATCH_VERSION "\(.*\)"$/\1/p' "$header")
major=${version%%.*}
rest=${version#*.}
minor=${rest%%.*}
if [ "$major" = 0 ]; then sover="0.$minor"; else sover="$major"; fi
[ -n "$version" ] || { echo "install.sh: no CBATCH_VERSION in $header" >&2; exit 1; }

so="$target/libcontactbatch.so"
a="$target/libcontactbatch.a"
for f in "$so" "$a"; do
  [ -f "$f" ] || { echo "install.sh: $f is missing (cargo build --release -p contact-batch-ffi)" >&2; exit 1; }
done
soname=$(readelf -d "$so" 2>/dev/null | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p' || true)
if command -v readelf >/dev/null && [ "$soname" != "libcontactbatch.so.$sover" ]; then
  echo "install.sh: $so has SONAME '$soname', expected libcontactbatch.so.$sover" >&2
  exit 1
fi

install -d "$lib/pkgconfig" "$inc"
install -m 0755 "$so" "$lib/libcontactbatch.so.$version"
ln -sf "libcontactbatch.so.$version" "$lib/libcontactbatch.so.$sover"
ln -sf "libcontactbatch.so.$sover" "$lib/libcontactbatch.so"
install -m 0644 "$a" "$lib/libcontactbatch.a"
if command -v strip >/dev/null; then
  strip --strip-debug "$lib/libcontactbatch.so.$version" "$lib/libcontactbatch.a"
fi
install -m 0644 "$header" "$root/include/contact_batch_php.h" "$inc/"

# pkg-config: -lcontactbatch links the shared library; --static adds what
# the archive needs from the system (Libs.private). Outside the loader's own
# folders, an rpath makes programs load this copy (see the top).
multiarch=$(gcc -print-multiarch 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || true)
case "$RPATH" in
  yes) rpath=1 ;;
  no) rpath=0 ;;
  auto)
    rpath=1
    for d in /usr/lib /lib /usr/lib64 /lib64 ${multiarch:+/usr/lib/$multiarch /lib/$multiarch}; do
      [ "${LIBDIR%/}" = "$d" ] && rpath=0
    done ;;
  *) echo "install.sh: RPATH must be auto, yes or no, not '$RPATH'" >&2; exit 1 ;;
esac
libs='-L${libdir} -lcontactbatch'
[ "$rpath" = 0 ] || libs='-L${libdir} -Wl,-rpath,${libdir} -lcontactbatch'
cat > "$lib/pkgconfig/contactbatch.pc" <<PC
prefix=$PREFIX
exec_prefix=\${prefix}
libdir=$LIBDIR
includedir=$INCLUDEDIR

Name: contactbatch
Description: contact-batch C API: validate, normalize and dedupe batches of contact records
Version: $version
Libs: $libs
Libs.private: -lpthread -ldl -lm
Cflags: -I\${includedir}
PC
chmod 0644 "$lib/pkgconfig/contactbatch.pc"
if [ -z "$DESTDIR" ] && [ "$(id -u)" = 0 ] && command -v ldconfig >/dev/null \
   && { [ "$LIBDIR" = /usr/lib ] || [ "$LIBDIR" = /usr/local/lib ]; }; then
  ldconfig
fi
echo "installed libcontactbatch $version (SONAME libcontactbatch.so.$sover) into $DESTDIR$PREFIX"
