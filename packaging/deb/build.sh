#!/usr/bin/env bash
# Builds the Debian packages of contact-batch with dpkg-deb (no Rust on the
# machine that installs them):
#
#   libcontactbatch0       /usr/lib/<multiarch>/libcontactbatch.so.0.1.0 and
#                          its SONAME link libcontactbatch.so.0.1
#   libcontactbatch-dev    the .so link, libcontactbatch.a, contactbatch.pc,
#                          /usr/include/contact_batch.h, contact_batch_php.h
#   contact-batch          /usr/bin/contact-batch
#   php-contact-batch      the extension for this machine's PHP (php-config),
#                          linked with the static library, and its ini file in
#                          /etc/php/<version>/mods-available (enabled by phpenmod)
#
#   bash packaging/deb/build.sh [OUT]     # OUT: target/deb; prints the .deb paths
#
# Uses the release build (cargo build --release -p contact-batch-ffi -p
# contact-batch-cli, run here unless CONTACT_BATCH_NO_BUILD=1) and
# crates/contact-batch-ffi/install.sh for the library's layout. Needs
# dpkg-deb, php-dev (phpize, php-config) and a C compiler.
# packaging/deb/test.sh installs and checks them.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/target/deb}
rev=${CONTACT_BATCH_DEB_REVISION:-1}
for tool in dpkg-deb phpize php-config cc; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool not found (apt-get install dpkg-dev php-dev gcc)" >&2; exit 1; }
done
if [ "${CONTACT_BATCH_NO_BUILD:-0}" != 1 ]; then
  cargo build --release --locked -p contact-batch-ffi -p contact-batch-cli --manifest-path "$root/Cargo.toml"
fi
release="$root/target/release"
version=$(sed -n 's/^#define CBATCH_VERSION "\(.*\)"$/\1/p' "$root/include/contact_batch.h")
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
debver="$version-$rev"
maintainer="contact-batch maintainers <maintainers@contact-batch.invalid>"
homepage=$(sed -n 's/^repository = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n1)

rm -rf "$out" && mkdir -p "$out"
stage="$out/stage"

# The library as install.sh lays it out under /usr (no rpath there).
DESTDIR="$stage/all" PREFIX=/usr LIBDIR="/usr/lib/$multiarch" CONTACT_BATCH_NO_BUILD=1 \
  bash "$root/crates/contact-batch-ffi/install.sh" >/dev/null

# The Debian packages of the shared libraries a binary needs (dpkg -S).
depends_of() {
  local libs pkgs=()
  libs=$(objdump -p "$1" | awk '/NEEDED/ {print $2}')
  for l in $libs; do
    local p
    p=$(dpkg -S "*/$l" 2>/dev/null | grep -v -- '-dev\|i386\|:i386' | head -n1 | cut -d: -f1 || true)
    [ -n "$p" ] && pkgs+=("$p")
  done
  printf '%s\n' "${pkgs[@]}" | sort -u | paste -sd, | sed 's/,/, /g'
}

# copyright and changelog, as Debian policy wants them in every package.
docs() {
  local dir="$1/usr/share/doc/$2"
  install -d "$dir"
  printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: contact-batch\nSource: %s\n\nFiles: *\nCopyright: contact-batch maintainers\nLicense: Apache-2.0\n On Debian systems, the full text is in /usr/share/common-licenses/Apache-2.0.\n' \
    "$homepage" >"$dir/copyright"
  printf '%s (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n' \
    "$2" "$debver" "$version" "$maintainer" "$(date -uR)" | gzip -9n >"$dir/changelog.Debian.gz"
}

# control NAME DIR DEPENDS SECTION DESCRIPTION...
control() {
  local name=$1 dir=$2 depends=$3 section=$4
  shift 4
  local size
  size=$(du -sk --exclude=DEBIAN "$dir" | cut -f1)
  install -d "$dir/DEBIAN"
  {
    echo "Package: $name"
    echo "Version: $debver"
    echo "Architecture: $arch"
    echo "Maintainer: $maintainer"
    echo "Installed-Size: $size"
    [ -z "$depends" ] || echo "Depends: $depends"
    echo "Section: $section"
    echo "Priority: optional"
    echo "Homepage: $homepage"
    echo "Description: $1"
    shift
    for line in "$@"; do echo " $line"; done
  } >"$dir/DEBIAN/control"
}

pack() {
  find "$1" -type d -exec chmod 0755 {} +
  dpkg-deb --build --root-owner-group -Zxz "$1" "$out/${2}_${debver}_$arch.deb" >/dev/null
  echo "$out/${2}_${debver}_$arch.deb"
}

sover=$(readelf -d "$stage/all/usr/lib/$multiarch/libcontactbatch.so.$version" | sed -n 's/.*soname: \[libcontactbatch.so.\(.*\)\]/\1/p')

# libcontactbatch0
d="$stage/libcontactbatch0"
install -d "$d/usr/lib/$multiarch"
cp -a "$stage/all/usr/lib/$multiarch/libcontactbatch.so.$version" "$stage/all/usr/lib/$multiarch/libcontactbatch.so.$sover" "$d/usr/lib/$multiarch/"
docs "$d" libcontactbatch0
control libcontactbatch0 "$d" "$(depends_of "$d/usr/lib/$multiarch/libcontactbatch.so.$version")" libs \
  "contact-batch C library: validate, normalize and dedupe contact batches" \
  "The contact-batch engine behind its C API (cbatch_*): turns a bulk-contacts" \
  "request body into the API's response (phones to E.164, emails normalized," \
  "duplicates found), for C, PHP and any language with a C FFI."
echo "libcontactbatch $sover libcontactbatch0 (>= $version)" >"$d/DEBIAN/shlibs"
echo "activate-noawait ldconfig" >"$d/DEBIAN/triggers"
chmod 0644 "$d/DEBIAN/shlibs" "$d/DEBIAN/triggers"
pack "$d" libcontactbatch0

# libcontactbatch-dev
d="$stage/libcontactbatch-dev"
install -d "$d/usr/lib/$multiarch/pkgconfig" "$d/usr/include"
cp -a "$stage/all/usr/lib/$multiarch/libcontactbatch.so" "$stage/all/usr/lib/$multiarch/libcontactbatch.a" "$d/usr/lib/$multiarch/"
cp -a "$stage/all/usr/lib/$multiarch/pkgconfig/contactbatch.pc" "$d/usr/lib/$multiarch/pkgconfig/"
cp -a "$stage/all/usr/include/contact_batch.h" "$stage/all/usr/include/contact_batch_php.h" "$d/usr/include/"
docs "$d" libcontactbatch-dev
control libcontactbatch-dev "$d" "libcontactbatch0 (= $debver)" libdevel \
  "contact-batch C library: headers, static library, pkg-config file" \
  "Build with: cc app.c \$(pkg-config --cflags --libs contactbatch)."
pack "$d" libcontactbatch-dev

# contact-batch
d="$stage/contact-batch"
install -d "$d/usr/bin"
install -m 0755 "$release/contact-batch" "$d/usr/bin/contact-batch"
strip --strip-debug "$d/usr/bin/contact-batch" 2>/dev/null || true
docs "$d" contact-batch
control contact-batch "$d" "$(depends_of "$d/usr/bin/contact-batch")" utils \
  "validate, normalize and dedupe contact batches (command line)" \
  "contact-batch respond answers one bulk-contacts API request; contact-batch" \
  "import checks a CSV, NDJSON or JSON file of contacts of any size."
pack "$d" contact-batch

# php-contact-batch: built against the checkout's header and static library
# (what the packaged libcontactbatch-dev holds), so it needs no libcontactbatch0.
phpver=$(php -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')
phpapi=$(php-config --phpapi)
extdir=$(php-config --extension-dir)
build="$out/php-build"
mkdir -p "$build"
cp "$root/bindings/php-ext/config.m4" "$root/bindings/php-ext/contact_batch.c" "$root/bindings/php-ext/contact_batch_arginfo.h" "$build/"
(cd "$build" && phpize && ./configure --with-contact-batch="$root" && make -s) >"$out/php-build.log" 2>&1 \
  || { tail -n 30 "$out/php-build.log" >&2; echo "build.sh: the PHP extension did not build" >&2; exit 1; }
d="$stage/php-contact-batch"
install -d "$d$extdir" "$d/etc/php/$phpver/mods-available"
install -m 0644 "$build/modules/contact_batch.so" "$d$extdir/contact_batch.so"
strip --strip-debug "$d$extdir/contact_batch.so" 2>/dev/null || true
printf '; configuration for php contact_batch module\n; priority=20\nextension=contact_batch.so\n' \
  >"$d/etc/php/$phpver/mods-available/contact_batch.ini"
docs "$d" php-contact-batch
php_deps="phpapi-$phpapi, php-common"
lib_deps=$(depends_of "$d$extdir/contact_batch.so")
control php-contact-batch "$d" "$php_deps${lib_deps:+, $lib_deps}" php \
  "contact-batch for PHP $phpver (extension contact_batch)" \
  "ContactBatch\\Engine, Engine::shared() (one engine per worker, kept across" \
  "requests) and the functions ContactBatch\\normalize_phone and" \
  "ContactBatch\\validate_email. Enabled for every SAPI on install (phpenmod)."
echo "/etc/php/$phpver/mods-available/contact_batch.ini" >"$d/DEBIAN/conffiles"
cat >"$d/DEBIAN/postinst" <<EOF
#!/bin/sh
set -e
if [ "\$1" = configure ] && command -v phpenmod >/dev/null; then
  phpenmod -v $phpver -s ALL contact_batch
fi
EOF
cat >"$d/DEBIAN/prerm" <<EOF
#!/bin/sh
set -e
if [ "\$1" = remove ] && command -v phpdismod >/dev/null; then
  phpdismod -v $phpver -s ALL contact_batch
fi
EOF
chmod 0755 "$d/DEBIAN/postinst" "$d/DEBIAN/prerm"
chmod 0644 "$d/DEBIAN/conffiles"
pack "$d" php-contact-batch
