#!/usr/bin/env bash
# THE one command that moves the engine to another libphonenumber metadata
# release (then run the tests: `cargo test --workspace`):
#
#     scripts/update-phone-metadata.sh 9.0.44
#
# It installs `phonenumbers==VERSION` from PyPI into a venv under target/,
# writes the metadata with scripts/gen_phone_metadata.py, regenerates the
# phone-type tables from it, regenerates the phone vectors with the same
# reference (scripts/gen_phone_vectors.py), sets the version the engine
# reports, and rewrites data/PROVENANCE.md's record (version, sizes,
# SHA-256). Review `git diff` (the vectors' diff lists every verdict that
# changed) and commit.
#
# With `--out FILE` it changes nothing in the project: it writes a phone
# metadata file of that release instead (the same tables, compiled by the
# same code, in the checked format of `contact_batch::phone_file`), which
# a host loads with `contact-batch respond|import --phone-metadata FILE`,
# `Config::phone_metadata`, or `"phone_metadata": "FILE"` in the C/PHP
# config, to run on a newer libphonenumber release than the one built in:
#
#     scripts/update-phone-metadata.sh 9.0.44 --out phone-9.0.44.cbpm
set -euo pipefail
usage="usage: scripts/update-phone-metadata.sh VERSION [--out FILE] (VERSION: a phonenumbers release, e.g. 9.0.44)"
version=${1:?$usage}
case "$version" in
  *[!0-9.]* | "") echo "not a version: $version" >&2; exit 2 ;;
esac
out=
if [ $# -gt 1 ]; then
  if [ "$2" != --out ] || [ -z "${3:-}" ] || [ $# -gt 3 ]; then
    echo "$usage" >&2
    exit 2
  fi
  out=$(realpath -m "$3")
fi
cd "$(dirname "$0")/.."
data=crates/contact-batch/data
venv=$(bash scripts/phone-metadata-venv.sh "$version")

if [ -n "$out" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  "$venv/bin/python" scripts/gen_phone_metadata.py --version "$version" --out "$tmp/metadata.bin"
  CONTACT_BATCH_PHONE_FILE_METADATA="$tmp/metadata.bin" \
  CONTACT_BATCH_PHONE_FILE_VERSION="$version" \
  CONTACT_BATCH_PHONE_FILE_OUT="$tmp/out.cbpm" \
    cargo test -q -p contact-batch --lib phone::file_tests::generate_phone_metadata_file \
      -- --ignored --exact >&2
  mv "$tmp/out.cbpm" "$out"
  echo "wrote $out: libphonenumber metadata $version ($(stat -c %s "$out") bytes)"
  exit 0
fi

"$venv/bin/python" scripts/gen_phone_metadata.py --version "$version" --out "$data/phone_metadata.bin"
sed -i "s/^pub const PHONE_METADATA_VERSION: &str = \".*\";/pub const PHONE_METADATA_VERSION: \&str = \"$version\";/" \
  crates/contact-batch/src/phone_version.rs
sed -i "s/^PHONENUMBERS_VERSION = \".*\"/PHONENUMBERS_VERSION = \"$version\"/" scripts/gen_phone_vectors.py
CONTACT_BATCH_WRITE_PHONE_TYPES=1 cargo test -q -p contact-batch --lib phone_types::tests::committed_table_is_fresh
"$venv/bin/python" scripts/gen_phone_vectors.py
python3 scripts/phone_provenance.py "$version"
echo "phone metadata is now $version; run: cargo test --workspace"
